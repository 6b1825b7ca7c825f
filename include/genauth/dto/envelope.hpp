#ifndef GENAUTH_DTO_ENVELOPE_HPP
#define GENAUTH_DTO_ENVELOPE_HPP

#include <genauth/detail/json_decode.hpp>
#include <genauth/detail/json_mapping.hpp>
#include <genauth/response_envelope.hpp>

#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>

// JSON mapping of the V3 envelope shared by every response: statusCode, message, apiCode, requestId.
namespace genauth {

/// Decodes the envelope members of `jv` (an object) into `out`. statusCode is required and must
/// be an integer; message may be absent; apiCode may be a number or a numeric string ("2011"
/// appears in legacy answers); requestId may be absent or null. Unknown keys are ignored.
namespace detail {
GENAUTH_DECL bool decode_value(const boost::json::value& jv, response_envelope& out, decode_context& ctx);
}  // namespace detail

/// Decodes a V2 envelope, `{code, message, data}`: `code` (required, an integer) into
/// `out.status_code`, `message` (optional); V2 has no apiCode or requestId.
namespace detail {
GENAUTH_DECL bool decode_v2_envelope(const boost::json::object& obj, response_envelope& out, decode_context& ctx);
}  // namespace detail

/// Writes the envelope members into `obj` (absent optionals are omitted).
GENAUTH_DECL void encode_envelope(boost::json::object& obj, const response_envelope& e);

namespace detail {

/// A response with a payload: the envelope plus a required `data` member.
template <class Response>
bool decode_envelope_and_data(const boost::json::value& jv, Response& out, decode_context& ctx) {
    return decode_value(jv, static_cast<response_envelope&>(out), ctx) &&
           decode_field(jv.get_object(), "data", out.data, ctx, presence::required);
}

template <class Response>
void encode_envelope_and_data(boost::json::value& jv, const Response& r) {
    auto& obj = jv.emplace_object();
    encode_envelope(obj, r);
    obj["data"] = boost::json::value_from(r.data, obj.storage());
}

}  // namespace detail

// The JSON mapping of a response type, in its DTO's .ipp (namespace genauth), one line each:
// - GENAUTH_DEFINE_RESPONSE_WITH_DATA(T): the envelope and a required `data` (T::data);
// - GENAUTH_DEFINE_RESPONSE_OF_BARE_DATA(T): no envelope, the whole body is T::data (an endpoint
//   declared with `envelope_kind::bare`).
// An envelope-only answer needs no type of its own: envelope_response.
// NOLINTBEGIN(bugprone-macro-parentheses): T is a type name, which cannot be parenthesised.
#define GENAUTH_DEFINE_RESPONSE_WITH_DATA(T)                                                                    \
    GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const T& v) {             \
        detail::encode_envelope_and_data(jv, v);                                                                \
    }                                                                                                           \
    GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, T& out, detail::decode_context& ctx) { \
        return detail::decode_envelope_and_data(jv, out, ctx);                                                  \
    }
#define GENAUTH_DEFINE_RESPONSE_OF_BARE_DATA(T)                                                                 \
    GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const T& v) {             \
        jv = boost::json::value_from(v.data, jv.storage());                                                     \
    }                                                                                                           \
    GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, T& out, detail::decode_context& ctx) { \
        return decode_value(jv, out.data, ctx);                                                                 \
    }
// NOLINTEND(bugprone-macro-parentheses)

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
