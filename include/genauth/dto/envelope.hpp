#ifndef GENAUTH_DTO_ENVELOPE_HPP
#define GENAUTH_DTO_ENVELOPE_HPP

#include <genauth/detail/json_decode.hpp>
#include <genauth/detail/json_mapping.hpp>
#include <genauth/response_envelope.hpp>

#include <boost/json/value.hpp>

// JSON mapping of the V3 envelope shared by every response: statusCode, message, apiCode, requestId.
namespace genauth {

/// Decodes the envelope members of `jv` (an object) into `out`. statusCode is required and must
/// be an integer; message may be absent; apiCode may be a number or a numeric string ("2011"
/// appears in legacy answers); requestId may be absent or null. Unknown keys are ignored.
namespace detail {
GENAUTH_DECL bool decode_value(const boost::json::value& jv, response_envelope& out, decode_context& ctx);
}  // namespace detail

/// Writes the envelope members into `obj` (absent optionals are omitted).
GENAUTH_DECL void encode_envelope(boost::json::object& obj, const response_envelope& e);

/// The response of an endpoint that answers with the envelope only (enroll-factor, reset-factor,
/// send-sms, send-email).
struct envelope_response : response_base {
    bool operator==(const envelope_response&) const = default;
};

GENAUTH_DECLARE_JSON_MAPPING(envelope_response)

}  // namespace genauth

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/dto/envelope.ipp>
#endif

#endif
