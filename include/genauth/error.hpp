#ifndef GENAUTH_ERROR_HPP
#define GENAUTH_ERROR_HPP

#include <genauth/detail/config.hpp>

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace genauth {

using error_code = boost::system::error_code;

/// Errors detected by this library, in the category named "genauth.client".
///
/// The values fall in three ranges: input errors (1-99) are found before any I/O and compare
/// equal to `std::errc::invalid_argument` and `genauth::condition::invalid_argument`; transport
/// errors (100-199) match `condition::transport_error`; response errors (200-) match
/// `condition::protocol_error`.
/// Cancellation by the caller is reported as `boost::asio::error::operation_aborted`.
enum class errc : int {
    // --- input, checked before any I/O ---------------------------------------------------
    invalid_app_host = 1,  ///< app_host is not `http(s)://host[:port]` with an optional trailing slash
    invalid_header_value,  ///< a header value (token, app id, request_from) is not an RFC 9110 field value
    missing_access_token,  ///< no access token: neither the client's options nor the handle (with_access_token) has one
    missing_enrollment_token,  ///< enroll_factor_request::enrollment_token is empty
    missing_pass_code,         ///< SMS, EMAIL and OTP enrollment need enrollment_data.pass_code
    missing_photo,             ///< FACE enrollment needs enrollment_data.photo
    invalid_factor_type,       ///< a factor_type value outside otp/sms/email/face
    invalid_option,            ///< an option is out of range (zero timeout, zero body limit, ...)
    tls_ca_load_failed,        ///< the extra CA file or PEM text could not be loaded
    missing_phone_number,      ///< an SMS factor needs profile.phone_number
    missing_email,             ///< an EMAIL factor needs profile.email
    missing_factor_id,         ///< factor_id is empty
    missing_totp,              ///< the TOTP code to verify is empty
    invalid_otpauth_uri,       ///< not an `otpauth://totp/...` key URI with valid parameters
    invalid_totp_secret,       ///< the TOTP secret is not valid Base32, or is empty
    invalid_real_ip,           ///< user_context::real_ip is not an IPv4 or IPv6 address (or has a zone id)
    invalid_lang,              ///< a language tag is empty, longer than 35 bytes or not [A-Za-z0-9_-]
    missing_app_id,            ///< client_options::app_id is empty
    invalid_channel,           ///< an sms_channel / email_channel value outside its enumeration
    missing_mfa_token,         ///< verify_mfa_token_request::token, or the token of with_mfa_token, is empty
    invalid_proxy,             ///< client_options::proxy (or HTTPS_PROXY / ALL_PROXY) is not
                               ///< `[http://][user:password@]host[:port]`
    missing_code,              ///< the SMS or email code of an MFA challenge is empty
    missing_recovery_code,     ///< mfa_recovery_code_challenge::recovery_code is empty
    missing_phone_or_email,    ///< mfa_bindable_request has neither a phone number nor an email address

    // --- transport ------------------------------------------------------------------------
    timeout = 100,             ///< the operation's deadline (client_options::timeout) passed
    resolve_failed,            ///< the host name could not be resolved
    connect_failed,            ///< no TCP connection could be made to any resolved address
    tls_certificate_rejected,  ///< the server certificate failed verification (chain or host name)
    tls_handshake_failed,      ///< the TLS handshake failed for another reason (protocol, alert)
    connection_reset,          ///< the peer reset the connection before the response was complete
    connection_closed,         ///< the peer closed the connection before the response was complete
    tls_error,      ///< TLS failed after the handshake (a fatal alert, a corrupted or undecryptable record): OpenSSL's
                    ///< reason in `detail`
    network_error,  ///< another socket error after connecting (unreachable, timed out in the kernel, ...): the system's
                    ///< reason in `detail`
    proxy_unreachable,    ///< the HTTPS proxy's name did not resolve or it refused the TCP connection
    proxy_auth_required,  ///< the proxy answered CONNECT with 407 (or 401): credentials missing or refused
    proxy_refused,        ///< the proxy answered CONNECT with another non-2xx status (in diag.http_status)
    proxy_closed,  ///< the proxy closed the connection (or sent bytes that are not HTTP) before answering CONNECT

    // --- response ---------------------------------------------------------------------------
    malformed_http = 200,  ///< the bytes received are not a valid HTTP/1.x response
    response_too_large,    ///< the response header or body exceeded its limit
    redirect_refused,      ///< the server answered 3xx; redirects are never followed (the token would travel)
    non_json_response,     ///< the body is not JSON (a proxy's HTML error page, ...): see http_status and body_excerpt
    malformed_json,        ///< the body claims to be JSON but does not parse
    invalid_envelope,      ///< the JSON is not a GenAuth envelope (not an object, statusCode missing or not an integer)
    missing_field,         ///< a required JSON field is absent or null: the field is named in `detail`
    wrong_field_type,      ///< a JSON field has the wrong type: the field is named in `detail`
    http_status_error,     ///< non-2xx HTTP status although the envelope's statusCode says 200
    duplicate_json_key,    ///< an object in the body repeats a key, so its meaning is ambiguous
};

/// Portable conditions; `ec == genauth::condition::invalid_argument` is true for every input error.
enum class condition : int {
    invalid_argument = 1,  ///< the caller's input was rejected before any I/O
    api_error,             ///< GenAuth answered with an envelope whose statusCode is not 200
    transport_error,       ///< the request or response did not get through (timeout, TLS, reset, ...)
    protocol_error,        ///< the response could not be understood
};

/// The category of `genauth::errc` ("genauth.client").
GENAUTH_DECL const boost::system::error_category& client_category() noexcept;

/// The category of GenAuth's business status codes ("genauth.api"): the error value is the
/// envelope's `statusCode` (400, 401, 403, 404, 429, 500, ...). The `apiCode`, `message` and
/// `requestId` travel in the response object and in `genauth::error_with_diagnostics`.
GENAUTH_DECL const boost::system::error_category& api_category() noexcept;

/// The category of `genauth::condition` ("genauth.condition").
GENAUTH_DECL const boost::system::error_category& condition_category() noexcept;

inline error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), client_category()}; }

inline boost::system::error_condition make_error_condition(condition c) noexcept {
    return {static_cast<int>(c), condition_category()};
}

/// The error code for a GenAuth envelope whose statusCode is `status_code` (not 200).
inline error_code make_api_error_code(int status_code) noexcept { return {status_code, api_category()}; }

}  // namespace genauth

namespace boost::system {
template <>
struct is_error_code_enum<genauth::errc> : std::true_type {};
template <>
struct is_error_condition_enum<genauth::condition> : std::true_type {};
}  // namespace boost::system

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/error.ipp>
#endif

#endif
