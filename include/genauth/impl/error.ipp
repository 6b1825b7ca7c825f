#ifndef GENAUTH_IMPL_ERROR_IPP
#define GENAUTH_IMPL_ERROR_IPP

#include <genauth/error.hpp>

#include <boost/system/errc.hpp>

#include <string>
#include <system_error>

namespace genauth {
namespace detail {

inline const char* client_message(int value) noexcept {
    switch (static_cast<errc>(value)) {
        case errc::invalid_app_host:
            return "app_host is not an http(s) URL of the form scheme://host[:port]";
        case errc::invalid_header_value:
            return "a header value contains CR, LF or another control character";
        case errc::missing_access_token:
            return "no access token: set client_options::access_token or use with_access_token";
        case errc::missing_enrollment_token:
            return "enrollment_token is empty: call send-enroll-factor-request first";
        case errc::missing_pass_code:
            return "enrollment_data.pass_code is required for SMS, EMAIL and OTP factors";
        case errc::missing_photo:
            return "enrollment_data.photo is required for FACE factors";
        case errc::invalid_factor_type:
            return "factor_type is not one of OTP, SMS, EMAIL, FACE";
        case errc::invalid_option:
            return "a client option is out of range";
        case errc::tls_ca_load_failed:
            return "the extra CA certificate could not be loaded";
        case errc::missing_phone_number:
            return "an SMS factor needs profile.phone_number";
        case errc::missing_email:
            return "an EMAIL factor needs profile.email";
        case errc::missing_factor_id:
            return "factor_id is empty";
        case errc::missing_totp:
            return "the TOTP code is empty";
        case errc::invalid_otpauth_uri:
            return "not a valid otpauth://totp/ key URI";
        case errc::invalid_totp_secret:
            return "the TOTP secret is not valid Base32";
        case errc::invalid_real_ip:
            return "real_ip is not an IPv4 or IPv6 address";
        case errc::missing_app_id:
            return "client_options::app_id is empty";
        case errc::invalid_channel:
            return "the channel is not one of the documented CHANNEL_* values";
        case errc::missing_mfa_token:
            return "the MFA token is empty";
        case errc::invalid_proxy:
            return "the proxy is not a valid http://[user:password@]host[:port] URL";
        case errc::missing_code:
            return "the verification code is empty";
        case errc::missing_recovery_code:
            return "the recovery code is empty";
        case errc::missing_phone_or_email:
            return "neither a phone number nor an email address is given";
        case errc::proxy_unreachable:
            return "the HTTPS proxy could not be reached";
        case errc::proxy_auth_required:
            return "the HTTPS proxy requires authentication or refused the credentials (407)";
        case errc::proxy_refused:
            return "the HTTPS proxy refused to open a tunnel to the app host";
        case errc::proxy_closed:
            return "the HTTPS proxy closed the connection before answering CONNECT";
        case errc::invalid_lang:
            return "the language tag is not 1-35 characters of A-Z, a-z, 0-9, '-' and '_'";
        case errc::timeout:
            return "the operation did not finish before its deadline";
        case errc::resolve_failed:
            return "the GenAuth host name could not be resolved";
        case errc::connect_failed:
            return "could not connect to the GenAuth host";
        case errc::tls_certificate_rejected:
            return "the server's TLS certificate was rejected";
        case errc::tls_handshake_failed:
            return "the TLS handshake failed";
        case errc::connection_reset:
            return "the connection was reset before the response was complete";
        case errc::connection_closed:
            return "the connection was closed before the response was complete";
        case errc::tls_error:
            return "the TLS connection failed after the handshake (alert or corrupted record)";
        case errc::network_error:
            return "a network error ended the connection";
        case errc::malformed_http:
            return "the response is not valid HTTP/1.1";
        case errc::response_too_large:
            return "the response exceeds the configured size limit";
        case errc::redirect_refused:
            return "the server answered with a redirect, which is never followed";
        case errc::non_json_response:
            return "the response body is not JSON";
        case errc::malformed_json:
            return "the response body is malformed JSON";
        case errc::invalid_envelope:
            return "the response is not a GenAuth envelope (statusCode missing or not an integer)";
        case errc::missing_field:
            return "a required JSON field is missing";
        case errc::wrong_field_type:
            return "a JSON field has the wrong type";
        case errc::duplicate_json_key:
            return "the response JSON repeats a key within one object";
        case errc::http_status_error:
            return "the server answered with a non-2xx HTTP status";
    }
    return "unknown genauth.client error";
}

inline bool is_input_error(int value) noexcept { return value >= 1 && value < static_cast<int>(errc::timeout); }

inline bool is_transport_error(int value) noexcept {
    return value >= static_cast<int>(errc::timeout) && value < static_cast<int>(errc::malformed_http);
}

class client_category_impl final : public boost::system::error_category {
public:
    constexpr client_category_impl() noexcept : error_category(0x67656e6175746801ULL) {}
    const char* name() const noexcept override { return "genauth.client"; }
    std::string message(int value) const override { return client_message(value); }
    char const* message(int value, char*, std::size_t) const noexcept override { return client_message(value); }
    boost::system::error_condition default_error_condition(int value) const noexcept override {
        if (is_input_error(value)) return boost::system::errc::invalid_argument;
        if (static_cast<errc>(value) == errc::timeout) return boost::system::errc::timed_out;
        return {value, *this};
    }
    bool equivalent(int value, const boost::system::error_condition& cond) const noexcept override {
        if (cond.category() == condition_category()) {
            switch (static_cast<condition>(cond.value())) {
                case condition::invalid_argument:
                    return is_input_error(value);
                case condition::transport_error:
                    return is_transport_error(value);
                case condition::protocol_error:
                    return value >= static_cast<int>(errc::malformed_http);
                case condition::api_error:
                    return false;
            }
        }
        return default_error_condition(value) == cond;
    }
};

inline const char* api_status_message(int status) noexcept {
    switch (status) {
        case 400:
            return "GenAuth API error: invalid argument";
        case 401:
            return "GenAuth API error: unauthorized (missing or expired access token)";
        case 402:
            return "GenAuth API error: payment needed";
        case 403:
            return "GenAuth API error: forbidden";
        case 404:
            return "GenAuth API error: not found";
        case 409:
            return "GenAuth API error: conflict";
        case 413:
            return "GenAuth API error: payload too large";
        case 422:
            return "GenAuth API error: invalid operation";
        case 429:
            return "GenAuth API error: throttled, retry later";
        case 499:
            return "GenAuth API error: client error";
        case 500:
            return "GenAuth API error: server error";
        case 501:
            return "GenAuth API error: unsupported";
        case 502:
            return "GenAuth API error: bad gateway";
        case 503:
            return "GenAuth API error: unavailable";
        case 601:
            return "GenAuth API error: endpoint request error";
        case 602:
            return "GenAuth API error: endpoint response error";
        case 603:
            return "GenAuth API error: custom code error";
        default:
            return "GenAuth API error";
    }
}

class api_category_impl final : public boost::system::error_category {
public:
    constexpr api_category_impl() noexcept : error_category(0x67656e6175746802ULL) {}
    const char* name() const noexcept override { return "genauth.api"; }
    std::string message(int value) const override {
        return std::string(api_status_message(value)) + " (statusCode " + std::to_string(value) + ")";
    }
    bool equivalent(int, const boost::system::error_condition& cond) const noexcept override {
        return cond == condition::api_error;
    }
};

class condition_category_impl final : public boost::system::error_category {
public:
    constexpr condition_category_impl() noexcept : error_category(0x67656e6175746803ULL) {}
    const char* name() const noexcept override { return "genauth.condition"; }
    std::string message(int value) const override {
        switch (static_cast<condition>(value)) {
            case condition::invalid_argument:
                return "invalid argument";
            case condition::api_error:
                return "GenAuth API error";
            case condition::transport_error:
                return "transport error";
            case condition::protocol_error:
                return "protocol error";
        }
        return "unknown genauth condition";
    }
};

// One function-local static for all three: thread-safe initialisation paid once.
struct all_categories {
    client_category_impl client;
    api_category_impl api;
    condition_category_impl condition;
};

inline const all_categories& categories() noexcept {
    static const all_categories instance;
    return instance;
}

}  // namespace detail

GENAUTH_DECL const boost::system::error_category& client_category() noexcept { return detail::categories().client; }
GENAUTH_DECL const boost::system::error_category& api_category() noexcept { return detail::categories().api; }
GENAUTH_DECL const boost::system::error_category& condition_category() noexcept {
    return detail::categories().condition;
}

}  // namespace genauth

#endif
