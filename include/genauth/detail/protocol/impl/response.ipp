#ifndef GENAUTH_DETAIL_PROTOCOL_IMPL_RESPONSE_IPP
#define GENAUTH_DETAIL_PROTOCOL_IMPL_RESPONSE_IPP

#include <genauth/detail/protocol/request.hpp>
#include <genauth/detail/protocol/response.hpp>
#include <genauth/detail/sanitize.hpp>
#include <genauth/dto/envelope.hpp>

#include <boost/json/parse.hpp>

namespace genauth::detail {

inline bool contains_icase(std::string_view text, std::string_view lower_needle) noexcept {
    for (std::size_t i = 0; i + lower_needle.size() <= text.size(); ++i)
        if (iequals_prefix(text.substr(i), lower_needle)) return true;
    return false;
}

// The host of a Location header, for the redirect error (not the whole URL: it may carry tokens).
inline std::string location_host(std::string_view location) {
    const auto scheme_end = location.find("://");
    if (scheme_end == std::string_view::npos) return "(same host)";
    auto rest = location.substr(scheme_end + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
    return sanitize_excerpt(rest, 100);
}

GENAUTH_DECL call_outcome interpret_response(unsigned http_status, std::string_view content_type,
                                             std::string_view location, std::string_view body) {
    call_outcome out;
    out.envelope.http_status = http_status;
    if (http_status >= 300 && http_status < 400) {
        out.ec = errc::redirect_refused;
        out.envelope.detail = "redirect to " + location_host(location) + " not followed";
        return out;
    }

    error_code parse_ec;
    boost::json::value jv = body.empty() ? boost::json::value() : boost::json::parse(body, parse_ec);
    if (body.empty() || parse_ec) {
        const auto first = body.find_first_not_of(" \t\r\n");
        const bool claims_json = contains_icase(content_type, "json") ||
                                 (first != std::string_view::npos && (body[first] == '{' || body[first] == '['));
        out.ec = claims_json && !body.empty() ? errc::malformed_json : errc::non_json_response;
        out.envelope.body_excerpt = sanitize_excerpt(body, body_excerpt_bytes);
        if (out.ec == errc::malformed_json) out.envelope.detail = "JSON parser: " + parse_ec.message();
        return out;
    }

    decode_context ctx;
    if (!decode_value(jv, out.envelope, ctx)) {
        const bool envelope_broken = !jv.is_object() || ctx.detail.find("'statusCode'") != std::string::npos;
        out.ec = envelope_broken ? error_code(errc::invalid_envelope) : ctx.ec;
        out.envelope.detail = "response " + ctx.detail;
        if (!jv.is_object()) out.envelope.body_excerpt = sanitize_excerpt(body, body_excerpt_bytes);
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

}  // namespace genauth::detail

#endif
