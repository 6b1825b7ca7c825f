#ifndef GENAUTH_DTO_ENROLL_FACTOR_HPP
#define GENAUTH_DTO_ENROLL_FACTOR_HPP

#include <genauth/detail/json_decode.hpp>
#include <genauth/detail/json_mapping.hpp>
#include <genauth/dto/envelope.hpp>
#include <genauth/factor_type.hpp>
#include <genauth/response_envelope.hpp>

#include <boost/json/conversion.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>

// POST /api/v3/enroll-factor: bind an MFA factor (the seed's AuthenticationClient.enroll_factor).
namespace genauth {

/// `enrollmentData` (EnrollFactorEnrollmentDataDto): what the factor needs to be bound.
struct enroll_factor_enrollment_data {
    std::optional<std::string> pass_code;   ///< `passCode`: the SMS/email code or current OTP value (SMS, EMAIL, OTP)
    std::optional<std::string> photo;       ///< `photo`: the face image link (FACE)
    std::optional<bool> is_external_photo;  ///< `isExternalPhoto`: whether `photo` is an external link (FACE)

    bool operator==(const enroll_factor_enrollment_data&) const = default;
};

/// The body of POST /api/v3/enroll-factor (EnrollFactorDto).
struct enroll_factor_request {
    std::string enrollment_token;  ///< `enrollmentToken` from send-enroll-factor-request (valid 60 s)
    genauth::factor_type factor_type = genauth::factor_type::otp;  ///< `factorType`
    enroll_factor_enrollment_data enrollment_data;                 ///< `enrollmentData`

    bool operator==(const enroll_factor_request&) const = default;
};

/// The answer to enroll-factor (EnrollFactorRespDto): the envelope only.
/// enroll-factor answers with the envelope only.
using enroll_factor_response = envelope_response;

/// Checks what must hold before anything is sent: a non-empty token, `pass_code` for SMS, EMAIL
/// and OTP, `photo` for FACE, a factor type inside the enumeration. Returns the first failure.
GENAUTH_DECL error_code validate(const enroll_factor_request& req) noexcept;

// JSON mapping (Boost.JSON tag_invoke); decode_value is the field-naming form used by the client.
GENAUTH_DECLARE_JSON_MAPPING(enroll_factor_enrollment_data)
GENAUTH_DECLARE_JSON_MAPPING(enroll_factor_request)

}  // namespace genauth

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/dto/enroll_factor.ipp>
#endif

#endif
