#ifndef GENAUTH_IMPL_SANSIO_RESPONSE_IPP
#define GENAUTH_IMPL_SANSIO_RESPONSE_IPP

#include <genauth/detail/sansio/request.hpp>
#include <genauth/detail/sansio/response.hpp>
#include <genauth/dto/envelope.hpp>
#include <genauth/impl/sansio/json_parser.hpp>
#include <genauth/impl/sansio/sanitize.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace genauth::detail {

inline bool contains_icase(std::string_view text, std::string_view lower_needle) noexcept {
    for (std::size_t i = 0; i + lower_needle.size() <= text.size(); ++i)
        if (iequals_prefix(text.substr(i), lower_needle)) return true;
    return false;
}

// The host of a Location header, for the redirect error (not the whole URL: it may carry tokens).
inline std::string location_host(std::string_view location, const call_secrets& secrets) {
    const auto scheme_end = location.find("://");
    if (scheme_end == std::string_view::npos) return "(same host)";
    auto rest = location.substr(scheme_end + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
    return safe_excerpt(rest, 100, secrets);
}

GENAUTH_DECL call_outcome interpret_response(unsigned http_status, std::string_view content_type,
                                             std::string_view location, std::string_view body, envelope_kind kind,
                                             const boost::json::storage_ptr& storage, const call_secrets& secrets) {
    // A body shown in an excerpt is shown decoded (JSON escapes resolved) and redacted.
    const auto excerpt = [&] { return safe_excerpt(body, body_excerpt_bytes, secrets, true); };
    call_outcome out(storage);
    out.diag.http_status = http_status;
    if (http_status >= 300 && http_status < 400) {
        out.ec = errc::redirect_refused;
        out.diag.detail = "redirect to " + location_host(location, secrets) + " not followed";
        return out;
    }

    error_code parse_ec;
    std::string duplicate;
    boost::json::value jv =
        body.empty() ? boost::json::value() : parse_refusing_duplicates(body, parse_ec, duplicate, storage);
    if (parse_ec == errc::duplicate_json_key) {
        out.ec = errc::duplicate_json_key;
        out.diag.detail = "response repeats the key '" + safe_excerpt(duplicate, 64, secrets) + "'";
        return out;
    }
    if (body.empty() || parse_ec) {
        const auto first = body.find_first_not_of(" \t\r\n");
        const bool claims_json = contains_icase(content_type, "json") ||
                                 (first != std::string_view::npos && (body[first] == '{' || body[first] == '['));
        out.ec = claims_json && !body.empty() ? errc::malformed_json : errc::non_json_response;
        out.diag.body_excerpt = excerpt();
        if (out.ec == errc::malformed_json) out.diag.detail = "JSON parser: " + parse_ec.message();
        return out;
    }

    if (kind == envelope_kind::bare && !(jv.is_object() && jv.get_object().contains("statusCode"))) {
        // The data itself: the HTTP status decides; the endpoint's DTO checks the shape.
        if (http_status < 200 || http_status >= 300) {
            out.ec = errc::http_status_error;
            out.diag.body_excerpt = excerpt();
            return out;
        }
        out.body = std::move(jv);
        return out;
    }

    decode_context ctx;
    const bool v2 = kind == envelope_kind::v2 && jv.is_object() && jv.get_object().contains("code");
    const std::string_view status_field = v2 ? "'code'" : "'statusCode'";  // as decode_context names it
    if (!(v2 ? decode_v2_envelope(jv.get_object(), out.envelope, ctx) : decode_value(jv, out.envelope, ctx))) {
        const bool envelope_broken = !jv.is_object() || ctx.detail.find(status_field) != std::string::npos;
        out.ec = envelope_broken ? error_code(errc::invalid_envelope) : ctx.ec;
        out.diag.detail = "response " + ctx.detail;
        if (!jv.is_object()) out.diag.body_excerpt = excerpt();
        return out;
    }
    if (out.envelope.status_code == 0) {
        // Not representable as an API error: an error_code of value 0 reads as success.
        out.ec = errc::invalid_envelope;
        out.diag.detail = "response field " + std::string(status_field) + ": 0 is not a status";
        return out;
    }
    if (out.envelope.status_code != 200) {
        out.ec = make_api_error_code(out.envelope.status_code);
        return out;
    }
    if (http_status < 200 || http_status >= 300) {
        out.ec = errc::http_status_error;
        return out;
    }
    out.body = std::move(jv);
    return out;
}

GENAUTH_DECL void redact_texts(response_envelope& envelope, diagnostics& diag, const call_secrets& secrets) {
    for (std::string* text : {&envelope.message, &diag.body_excerpt, &diag.detail}) redact(*text, secrets);
    if (envelope.request_id) redact(*envelope.request_id, secrets);
}

}  // namespace genauth::detail

#endif
