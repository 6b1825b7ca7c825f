#ifndef GENAUTH_DETAIL_PROTOCOL_REQUEST_HPP
#define GENAUTH_DETAIL_PROTOCOL_REQUEST_HPP

// Request building, with no I/O: options -> settings (once per client), DTO -> prepared_call
// (once per operation), settings + prepared_call -> HTTP request.

#include <genauth/client_options.hpp>
#include <genauth/detail/config.hpp>
#include <genauth/error.hpp>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <string>
#include <string_view>

namespace genauth::detail {

namespace http = boost::beast::http;

/// Where app_host points.
struct host_address {
    bool tls = true;
    std::string host;         ///< name or IP literal, without brackets
    std::string port;         ///< "443" by default
    std::string host_header;  ///< host[:port] as sent in `Host` (port omitted when default)
    bool operator==(const host_address&) const = default;
};

/// Parses `scheme://host[:port][/]`. On failure returns errc::invalid_app_host and says why in `why`.
GENAUTH_DECL error_code parse_app_host(std::string_view app_host, host_address& out, std::string& why);

/// True when `value` can be sent as a header value: no control characters (CR, LF, NUL, ...).
GENAUTH_DECL bool is_valid_header_value(std::string_view value) noexcept;

/// Everything per-client that goes into a request, computed once from client_options.
struct request_settings {
    host_address address;
    std::string authorization;  ///< "Bearer <token>": secret, never logged
    std::string app_id;
    std::string lang;  ///< empty: header not sent
    std::string request_from;
    std::string app_id_header, sdk_version_header, request_from_header, lang_header;
};

/// Validates the options and computes the settings. On failure returns an input error (never
/// mentioning the token's value) and says why in `why`.
GENAUTH_DECL error_code make_request_settings(const client_options& opts, request_settings& out, std::string& why);

/// One operation's request, ready to send, or the input error that stops it.
struct prepared_call {
    http::verb method = http::verb::post;
    std::string target;  ///< path and query, percent-encoded
    std::string body;    ///< JSON text; empty for GET
    error_code error;    ///< set when the input was rejected: nothing is sent
    std::string detail;
};

/// An endpoint: method and path under the app host. Adding an endpoint is one of these, a DTO
/// with its JSON mapping and `validate`, and one line in authentication_client.
struct endpoint {
    http::verb method;
    std::string_view path;
};

inline constexpr endpoint enroll_factor_endpoint{http::verb::post, "/api/v3/enroll-factor"};

/// A POST with `request` as its JSON body, after `validate(request)` passed.
template <class Request>
prepared_call prepare_json_call(endpoint ep, const Request& request) {
    prepared_call call;
    call.method = ep.method;
    call.target = ep.path;
    call.error = validate(request);
    if (call.error)
        call.detail = call.error.message();
    else
        call.body = boost::json::serialize(boost::json::value_from(request));
    return call;
}

/// The library's user agent, "genauth-cpp/<version>".
GENAUTH_DECL std::string_view user_agent() noexcept;

/// The HTTP/1.1 request for `call`: method, target, Host, content-type, authorization, app id,
/// sdk version, request-from, lang (when set), user-agent, keep-alive, body.
GENAUTH_DECL http::request<http::string_body> build_http_request(const request_settings& settings,
                                                                 const prepared_call& call);

}  // namespace genauth::detail

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/detail/protocol/impl/request.ipp>
#endif

#endif
