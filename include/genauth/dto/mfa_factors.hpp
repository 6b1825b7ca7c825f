#ifndef GENAUTH_DTO_MFA_FACTORS_HPP
#define GENAUTH_DTO_MFA_FACTORS_HPP

// The MFA factor lifecycle around enroll-factor: start an enrollment, list, get and reset bound
// factors, list the factors that can still be bound, verify an OTP code.

#include <genauth/detail/json_decode.hpp>
#include <genauth/detail/json_mapping.hpp>
#include <genauth/dto/envelope.hpp>
#include <genauth/factor_type.hpp>
#include <genauth/response_envelope.hpp>

#include <boost/json/conversion.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace genauth {

// --- POST /api/v3/send-enroll-factor-request ----------------------------------------------------

/// `profile` (FactorProfile): where the code goes. SMS needs phone_number, EMAIL needs email;
/// OTP and FACE send `{}`.
struct factor_profile {
    std::optional<std::string> phone_number;        ///< `phoneNumber`
    std::optional<std::string> phone_country_code;  ///< `phoneCountryCode` (GenAuth defaults to +86)
    std::optional<std::string> email;               ///< `email`
    bool operator==(const factor_profile&) const = default;
};

/// The body of send-enroll-factor-request (SendEnrollFactorRequestDto).
struct send_enroll_factor_request_params {
    genauth::factor_type factor_type = genauth::factor_type::otp;  ///< `factorType`
    factor_profile profile;                                        ///< `profile`
    bool operator==(const send_enroll_factor_request_params&) const = default;
};

/// `otpData`: only for OTP.
struct otp_data {
    std::string qr_code_uri;       ///< `qrCodeUri`: the otpauth:// key URI (holds the secret)
    std::string qr_code_data_url;  ///< `qrCodeDataUrl`: a PNG of the QR code as a data: URL
    std::string recovery_code;     ///< `recoveryCode`: show it to the user once
    bool operator==(const otp_data&) const = default;
};

/// `data` of send-enroll-factor-request.
struct send_enroll_factor_request_data {
    std::string enrollment_token;               ///< `enrollmentToken`, valid for 60 s
    std::optional<genauth::otp_data> otp_data;  ///< `otpData`, OTP only
    bool operator==(const send_enroll_factor_request_data&) const = default;
};

struct send_enroll_factor_request_response : response_base {
    send_enroll_factor_request_data data;
    bool operator==(const send_enroll_factor_request_response&) const = default;
};

// --- GET /api/v3/list-enrolled-factors, GET /api/v3/get-factor ----------------------------------

/// A bound factor (FactorDto). `profile` is free-form JSON (e.g. phoneNumber, phoneCountryCode).
struct factor {
    std::string factor_id;  ///< `factorId` (24 hex digits on GenAuth)
    genauth::factor_type factor_type = genauth::factor_type::otp;
    boost::json::object profile;
    /// The `factorType` as sent when it is one this library does not know (`factor_type` is then
    /// `unknown`); empty otherwise.
    std::string factor_type_name;
    bool operator==(const factor&) const = default;
};

struct list_enrolled_factors_response : response_base {
    std::vector<factor> data;
    bool operator==(const list_enrolled_factors_response&) const = default;
};

/// "Which factor": the request of get-factor (sent as the `factorId` query parameter,
/// percent-encoded) and of reset-factor (the `factorId` body member).
struct factor_id_request {
    std::string factor_id;  ///< `factorId`; required
    bool operator==(const factor_id_request&) const = default;
};

using get_factor_request = factor_id_request;

struct get_factor_response : response_base {
    factor data;
    bool operator==(const get_factor_response&) const = default;
};

// --- POST /api/v3/reset-factor --------------------------------------------------------------------

using reset_factor_request = factor_id_request;
using reset_factor_response = envelope_response;

// --- GET /api/v3/list-factors-to-enroll ----------------------------------------------------------

struct factor_to_enroll {
    genauth::factor_type factor_type = genauth::factor_type::otp;
    std::string factor_type_name;  ///< as in `factor`: the name sent when `factor_type` is `unknown`
    bool operator==(const factor_to_enroll&) const = default;
};

struct list_factors_to_enroll_response : response_base {
    std::vector<factor_to_enroll> data;
    bool operator==(const list_factors_to_enroll_response&) const = default;
};

// --- POST /api/v3/mfa-totp-verify ----------------------------------------------------------------

struct mfa_otp_verify_request {
    std::string totp;  ///< `totp`: the user's current code
    bool operator==(const mfa_otp_verify_request&) const = default;
};

struct otp_verify_data {
    bool verified = false;  ///< `verified`
    bool operator==(const otp_verify_data&) const = default;
};

struct mfa_otp_verify_response : response_base {
    otp_verify_data data;
    bool operator==(const mfa_otp_verify_response&) const = default;
};

// --- checks before any I/O -------------------------------------------------------------------------

/// SMS needs a phone number, EMAIL an email, and the factor type must be one of the four.
GENAUTH_DECL error_code validate(const send_enroll_factor_request_params& p) noexcept;
GENAUTH_DECL error_code validate(const factor_id_request& r) noexcept;
GENAUTH_DECL error_code validate(const mfa_otp_verify_request& r) noexcept;

// --- JSON mapping ---------------------------------------------------------------------------------
// Requests and response data both ways (value_from / try_value_to), so that a server (such as
// genauth::testing::fake_genauth_server) can use the same DTOs.

GENAUTH_DECLARE_JSON_MAPPING(factor_profile)
GENAUTH_DECLARE_JSON_MAPPING(send_enroll_factor_request_params)
GENAUTH_DECLARE_JSON_MAPPING(otp_data)
GENAUTH_DECLARE_JSON_MAPPING(send_enroll_factor_request_data)
GENAUTH_DECLARE_JSON_MAPPING(send_enroll_factor_request_response)
GENAUTH_DECLARE_JSON_MAPPING(factor)
GENAUTH_DECLARE_JSON_MAPPING(list_enrolled_factors_response)
GENAUTH_DECLARE_JSON_MAPPING(factor_id_request)
GENAUTH_DECLARE_JSON_MAPPING(get_factor_response)
GENAUTH_DECLARE_JSON_MAPPING(factor_to_enroll)
GENAUTH_DECLARE_JSON_MAPPING(list_factors_to_enroll_response)
GENAUTH_DECLARE_JSON_MAPPING(mfa_otp_verify_request)
GENAUTH_DECLARE_JSON_MAPPING(otp_verify_data)
GENAUTH_DECLARE_JSON_MAPPING(mfa_otp_verify_response)

}  // namespace genauth

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/dto/mfa_factors.ipp>
#endif

#endif
