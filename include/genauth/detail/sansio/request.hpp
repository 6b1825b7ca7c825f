#ifndef GENAUTH_DETAIL_SANSIO_REQUEST_HPP
#define GENAUTH_DETAIL_SANSIO_REQUEST_HPP

// Request building, with no I/O: options -> settings (once per client), DTO -> prepared_call
// (once per operation), settings + prepared_call -> HTTP request.

#include <genauth/client_options.hpp>
#include <genauth/detail/config.hpp>
#include <genauth/detail/sansio/envelope_kind.hpp>
#include <genauth/detail/sansio/head_writer.hpp>
#include <genauth/detail/sansio/http_method.hpp>
#include <genauth/detail/sansio/proxy.hpp>
#include <genauth/error.hpp>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <chrono>
#include <concepts>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace genauth::detail {

/// Parses `scheme://host[:port][/]`. On failure returns errc::invalid_app_host and says why in `why`.
GENAUTH_DECL error_code parse_app_host(std::string_view app_host, host_address& out, std::string& why);

/// Everything per-client that goes into a request, computed once from client_options. The
/// per-user part (token, IP, language) is a caller_identity.
struct request_settings {
    host_address address;
    std::optional<proxy_address> proxy;  ///< the tunnel's proxy, when the app host is reached through one
    /// The header lines every request of the client carries, ready to send (Host, User-Agent,
    /// Accept, app id, SDK version, request-from): built once per client.
    std::string fixed_headers;
    std::string lang_header;  ///< x-authing-lang or x-genauth-lang
};

/// Validates the options (all but the token and lang, which make the client's own
/// caller_identity) and computes the settings. On failure returns an input error and says why in
/// `why`.
GENAUTH_DECL error_code make_request_settings(const client_options& opts, request_settings& out, std::string& why);

/// Who a call is made for, as it goes on the wire: computed once per handle (or once per client
/// for the options' own token), shared by every call of that handle, never changed.
struct caller_identity {
    std::string authorization;  ///< "Bearer <token>"; empty when there is no token. Secret: never logged
    std::string real_ip;        ///< sent as x-real-ip; empty: not sent
    std::string lang;           ///< sent as x-authing-lang; empty: not sent
    error_code error;           ///< set when a value was rejected: every call fails with it before any I/O
    std::string detail;         ///< why, naming the field, never the token's value

    /// The token alone (what a server might echo back), for redaction.
    GENAUTH_DECL std::string_view token() const noexcept;
};

/// Which bearer token an identity carries (`user_context::access_token` holds it): the error for
/// none, and the name a bad one is reported by (never its value).
struct token_kind {
    errc missing;
    std::string_view missing_detail;
    std::string_view name;
};
inline constexpr token_kind access_token_kind{errc::missing_access_token, "no access token for this call",
                                              "access_token"};
inline constexpr token_kind mfa_token_kind{errc::missing_mfa_token, "the MFA token is empty", "mfa_token"};

/// Validates `user` and computes its identity: no token -> `kind.missing`, a token that is not a
/// field value -> invalid_header_value, a real_ip that is not an IP literal (or carries an IPv6
/// zone id, "%eth0") -> invalid_real_ip, a lang that is not a language tag -> invalid_lang. The
/// IP is sent in its canonical form, made from the parsed address, never the caller's text.
GENAUTH_DECL caller_identity make_caller_identity(const user_context& user, const token_kind& kind = access_token_kind);

/// True for 1-35 characters of A-Z, a-z, 0-9, '-' and '_' ("en-US", "zh-CN", "zh_TW").
GENAUTH_DECL bool is_valid_lang(std::string_view lang) noexcept;

/// One operation's request, ready to send, or the input error that stops it.
/// Whether sending an endpoint's request a second time can do harm: only a read_only call is
/// tried again after a failure (retry_policy).
enum class operation_effect {
    changes_state,  ///< binds, sends, verifies, resets: a repeat costs money or an attempt
    read_only,      ///< changes nothing on the server
};

/// A handle's own settings for its calls (`with_timeout`, `with_retry`); unset: the client's.
struct call_settings {
    std::optional<std::chrono::milliseconds> timeout;
    std::optional<retry_policy> retry;
};

struct prepared_call {
    http_method method = http_method::post;
    std::string_view path;  ///< the endpoint's path (static storage), as the observer reports it
    /// The path sent when the endpoint's path has a `{}` placeholder: filled with the request's
    /// path_argument(), percent-encoded. Empty otherwise (`path` is sent).
    std::string path_with_argument;
    std::string query;  ///< "?k=v&..." for a GET with parameters, percent-encoded; else empty
    std::string body;   ///< JSON text; empty for GET
    error_code error;   ///< set when the input was rejected: nothing is sent
    std::string detail;
    /// Who the call is for (a handle's identity); null: the client's own (client_options).
    std::shared_ptr<const caller_identity> caller;
    /// The form of the answer.
    envelope_kind envelope = envelope_kind::v3;
    /// Whether the call may be tried again.
    operation_effect effect = operation_effect::changes_state;
    /// The handle's deadline and retry policy, where it has its own.
    call_settings settings;
    /// The values of the request's secret fields (secret_field_names), NUL-joined: redacted from
    /// every text the call's outcome shows, as the caller's token is.
    std::string secrets;
};

/// The JSON keys whose string values are secrets wherever they stand in a request: tokens,
/// pass codes, one-time and recovery codes, passwords. One list for every endpoint.
inline constexpr std::string_view secret_field_names[] = {
    "enrollmentToken", "passCode", "token", "mfaToken", "totp", "code", "password", "recoveryCode"};

/// Adds the string values of `request`'s secret fields (at any depth) to the NUL-joined `list`.
GENAUTH_DECL void collect_secret_fields(const boost::json::value& request, std::string& list);

/// An endpoint: method and path under the app host. Adding an endpoint is one of these (in
/// `endpoints` and `endpoints::all`), a DTO with its JSON mapping and `validate`, and one member
/// of authentication_client (README, "Layout", says each step).
struct endpoint {
    http_method method;
    envelope_kind envelope;
    /// May hold one `{}`, filled per call with the request's `path_argument(request)` (found by
    /// ADL, percent-encoded; the request's `validate` refuses an empty one). The observer sees
    /// the path with `{}`: an operator's per-path counts do not grow with each id.
    std::string_view path;
    /// Whether a call may be tried again; an endpoint changes state unless it says otherwise.
    operation_effect effect = operation_effect::changes_state;
};

namespace endpoints {
inline constexpr auto read_only = operation_effect::read_only;
inline constexpr endpoint send_enroll_factor_request{http_method::post, envelope_kind::v3,
                                                     "/api/v3/send-enroll-factor-request"};
inline constexpr endpoint enroll_factor{http_method::post, envelope_kind::v3, "/api/v3/enroll-factor"};
inline constexpr endpoint list_enrolled_factors{http_method::get, envelope_kind::v3, "/api/v3/list-enrolled-factors",
                                                read_only};
inline constexpr endpoint get_factor{http_method::get, envelope_kind::v3, "/api/v3/get-factor", read_only};
inline constexpr endpoint reset_factor{http_method::post, envelope_kind::v3, "/api/v3/reset-factor"};
inline constexpr endpoint list_factors_to_enroll{http_method::get, envelope_kind::v3, "/api/v3/list-factors-to-enroll",
                                                 read_only};
inline constexpr endpoint mfa_otp_verify{http_method::post, envelope_kind::v3, "/api/v3/mfa-totp-verify"};
inline constexpr endpoint send_sms{http_method::post, envelope_kind::v3, "/api/v3/send-sms"};
inline constexpr endpoint send_email{http_method::post, envelope_kind::v3, "/api/v3/send-email"};
// Token introspection changes nothing: a read, though a POST.
inline constexpr endpoint verify_mfa_token{http_method::post, envelope_kind::bare, "/mfa/token/introspection",
                                           read_only};

// The sign-in challenge (mfa_challenge_client): V2 routes as authing-js-sdk 4.23.55 sends them.
// GenAuth's Guard sends the TOTP and face checks to /api/v2/applications/mfa/{totp,face}/verify
// instead; which of the two the server prefers is not known here: these paths follow the SDK.
inline constexpr endpoint mfa_verify_totp{http_method::post, envelope_kind::v2, "/api/v2/mfa/totp/verify"};
inline constexpr endpoint mfa_verify_sms{http_method::post, envelope_kind::v2, "/api/v2/applications/mfa/sms/verify"};
inline constexpr endpoint mfa_verify_email{http_method::post, envelope_kind::v2,
                                           "/api/v2/applications/mfa/email/verify"};
inline constexpr endpoint mfa_verify_recovery_code{http_method::post, envelope_kind::v2, "/api/v2/mfa/totp/recovery"};
inline constexpr endpoint mfa_verify_face{http_method::post, envelope_kind::v2, "/api/v2/mfa/face/verify"};
inline constexpr endpoint mfa_check_bindable{http_method::post, envelope_kind::v2, "/api/v2/applications/mfa/check",
                                             read_only};
inline constexpr endpoint mfa_associate_totp{http_method::post, envelope_kind::v2, "/api/v2/mfa/totp/associate"};
inline constexpr endpoint mfa_confirm_totp_association{http_method::post, envelope_kind::v2,
                                                       "/api/v2/mfa/totp/associate/confirm"};
inline constexpr endpoint mfa_list_authenticators{http_method::get, envelope_kind::v2, "/api/v2/mfa/authenticator",
                                                  read_only};
// The Node SDK's two V3 WebAuthn MFA calls (V3 envelope).
inline constexpr endpoint webauthn_mfa_bind_initialize{http_method::post, envelope_kind::v3,
                                                       "/api/v3/webauthn/mfa-bind/initialize"};
inline constexpr endpoint webauthn_mfa_verify_initialize{http_method::post, envelope_kind::v3,
                                                         "/api/v3/webauthn/mfa-verify/initialize"};

/// Every endpoint: the fake server refuses to start without a route for each.
inline constexpr endpoint all[] = {send_enroll_factor_request,
                                   enroll_factor,
                                   list_enrolled_factors,
                                   get_factor,
                                   reset_factor,
                                   list_factors_to_enroll,
                                   mfa_otp_verify,
                                   send_sms,
                                   send_email,
                                   verify_mfa_token,
                                   mfa_verify_totp,
                                   mfa_verify_sms,
                                   mfa_verify_email,
                                   mfa_verify_recovery_code,
                                   mfa_verify_face,
                                   mfa_check_bindable,
                                   mfa_associate_totp,
                                   mfa_confirm_totp_association,
                                   mfa_list_authenticators,
                                   webauthn_mfa_bind_initialize,
                                   webauthn_mfa_verify_initialize};
}  // namespace endpoints

/// Whether `Request` names a path argument (an endpoint path's `{}`).
template <class Request>
concept has_path_argument = requires(const Request& r) {
    { path_argument(r) } -> std::convertible_to<std::string_view>;
};

/// Fills `call.path_with_argument` from `call.path`'s `{}` and `argument` (percent-encoded).
GENAUTH_DECL void fill_path_argument(prepared_call& call, std::string_view argument);

/// Percent-encodes everything but RFC 3986 unreserved characters (ALPHA DIGIT - . _ ~).
GENAUTH_DECL std::string percent_encode(std::string_view text);

/// "?k1=v1&k2=v2" from a JSON object's scalar members, in the object's order, percent-encoded;
/// "" for an empty object.
GENAUTH_DECL std::string to_query_string(const boost::json::object& params);

/// What a call to `ep` takes from the endpoint, before its request is added.
inline prepared_call call_to(const endpoint& ep) {
    prepared_call call;
    call.method = ep.method;
    call.path = ep.path;
    call.envelope = ep.envelope;
    call.effect = ep.effect;
    return call;
}

/// The call for `request` after `validate(request)` passed: a POST carries the request as its
/// JSON body; a GET carries the request's members as the query string.
template <class Request>
prepared_call prepare_call(endpoint ep, const Request& request) {
    prepared_call call = call_to(ep);
    call.error = validate(request);
    if (call.error) {
        call.detail = call.error.message();
        return call;
    }
    // The JSON value lives only until it is serialised: built on the stack, not the heap.
    unsigned char scratch_buffer[1024];
    boost::json::monotonic_resource scratch(scratch_buffer, sizeof scratch_buffer);
    const auto jv = boost::json::value_from(request, boost::json::storage_ptr(&scratch));
    if constexpr (has_path_argument<Request>) fill_path_argument(call, path_argument(request));
    if (carries_body(ep.method))
        call.body = boost::json::serialize(jv);
    else
        call.query = to_query_string(jv.as_object());
    collect_secret_fields(jv, call.secrets);
    return call;
}

/// The call for an endpoint that takes no parameters.
inline prepared_call prepare_call(endpoint ep) {
    prepared_call call = call_to(ep);
    if (carries_body(ep.method)) call.body = "{}";
    return call;
}

/// The library's user agent, "genauth-cpp/<version>".
GENAUTH_DECL std::string_view user_agent() noexcept;

/// The HTTP/1.1 request for `call` made for `caller`, as it goes on the wire, into `out`: the
/// request line, the client's fixed header block, the caller's Authorization, lang and x-real-ip
/// (when set), Content-Type and Content-Length (not for GET), the body. One allocation; nothing
/// of the client's block is rebuilt per call or per user. Every line goes through
/// append_request_line or append_header (the fixed block did when it was made): a value that
/// could change the request's structure fails with invalid_header_value, naming the field in
/// `why`, and `out` is then not to be sent.
GENAUTH_DECL error_code build_http_request(const request_settings& settings, const caller_identity& caller,
                                           const prepared_call& call, std::string& out, std::string& why);

}  // namespace genauth::detail

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/sansio/request.ipp>
#endif

#endif
