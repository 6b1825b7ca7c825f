#ifndef GENAUTH_DETAIL_SANSIO_RESPONSE_HPP
#define GENAUTH_DETAIL_SANSIO_RESPONSE_HPP

// Response interpretation, with no I/O: a complete HTTP response -> an error or the envelope.

#include <genauth/detail/config.hpp>
#include <genauth/detail/json_decode.hpp>
#include <genauth/detail/sansio/envelope_kind.hpp>
#include <genauth/error.hpp>
#include <genauth/impl/sansio/sanitize.hpp>
#include <genauth/response_envelope.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace genauth::detail {

/// The outcome of one call before the endpoint's DTO is decoded.
struct call_outcome {
    call_outcome() = default;
    /// `body` allocates from `storage` (moving a body between outcomes copies it unless both use
    /// the same storage).
    explicit call_outcome(boost::json::storage_ptr storage) : body(std::move(storage)) {}

    error_code ec;
    response_envelope envelope;  ///< what the server said, as far as the response allowed
    diagnostics diag;            ///< what the library saw (HTTP status, excerpt, detail)
    boost::json::value body;     ///< the whole JSON body on success
};

/// How long an excerpt of a non-JSON body may be.
inline constexpr std::size_t body_excerpt_bytes = 200;

/// Interprets a complete response: redirects are refused, the body must be JSON, and by `kind`:
/// - v3 (every V3 endpoint): a GenAuth envelope; success is a 2xx HTTP status with statusCode 200;
/// - v2 (the V2 sign-in challenge routes): `{code, message, data}`, success is a 2xx HTTP status
///   with code 200; `envelope.status_code` holds `code` (or `statusCode` when a body has no
///   `code`, as the JS SDK accepts), `api_code` and `request_id` stay empty (V2 has neither);
/// - bare (an endpoint whose answer is the data itself): success is a 2xx HTTP status; a body
///   that does carry a statusCode is read as a V3 envelope (GenAuth's usual error form).
/// See genauth::errc for each failure. The body's JSON is allocated from `storage`. Server text
/// that a diagnostic cuts (an excerpt, a key, a host) has `secrets` redacted before the cut.
GENAUTH_DECL call_outcome interpret_response(unsigned http_status, std::string_view content_type,
                                             std::string_view location, std::string_view body,
                                             envelope_kind kind = envelope_kind::v3,
                                             const boost::json::storage_ptr& storage = {},
                                             const call_secrets& secrets = {});

/// The last step of every call, success or failure: `secrets` redacted from every text the
/// caller and the observer see (the server's message and requestId, the excerpt, the detail),
/// each whole and decoded, before anything cuts it.
GENAUTH_DECL void redact_texts(response_envelope& envelope, diagnostics& diag, const call_secrets& secrets);

/// Decodes the endpoint's response type from a successful outcome. The envelope members come
/// from the outcome (read from the body once, by interpret_response), the diagnostics too.
template <class Response>
std::pair<error_code, Response> decode_response(call_outcome&& outcome) {
    std::pair<error_code, Response> result{outcome.ec, Response{}};
    auto& [ec, response] = result;
    if (!ec) {
        decode_context ctx;
        ctx.envelope_read = outcome.envelope.status_code != 0;  // 0: an answer without an envelope
        if (!decode_value(outcome.body, response, ctx)) {
            ec = ctx.ec;
            response = Response{};
            static_cast<response_envelope&>(response) = std::move(outcome.envelope);
            response.diag = std::move(outcome.diag);
            response.diag.detail = "response " + ctx.detail;
            return result;
        }
        if (ctx.envelope_read) static_cast<response_envelope&>(response) = std::move(outcome.envelope);
        response.diag = std::move(outcome.diag);
        return result;
    }
    static_cast<response_envelope&>(response) = std::move(outcome.envelope);
    response.diag = std::move(outcome.diag);
    return result;
}

}  // namespace genauth::detail

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/sansio/response.ipp>
#endif

#endif
