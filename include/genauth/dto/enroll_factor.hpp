#ifndef GENAUTH_DTO_ENROLL_FACTOR_HPP
#define GENAUTH_DTO_ENROLL_FACTOR_HPP

#include <genauth/detail/json_decode.hpp>
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
struct enroll_factor_response : response_envelope {};

/// Checks what must hold before anything is sent: a non-empty token, `pass_code` for SMS, EMAIL
/// and OTP, `photo` for FACE, a factor type inside the enumeration. Returns the first failure.
GENAUTH_DECL error_code validate(const enroll_factor_request& req) noexcept;

// JSON mapping (Boost.JSON tag_invoke); decode_value is the field-naming form used by the client.
GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv,
                             const enroll_factor_enrollment_data& d);
GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const enroll_factor_request& r);
GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const enroll_factor_response& r);

GENAUTH_DECL bool decode_value(const boost::json::value& jv, enroll_factor_enrollment_data& out,
                               detail::decode_context& ctx);
GENAUTH_DECL bool decode_value(const boost::json::value& jv, enroll_factor_request& out, detail::decode_context& ctx);
GENAUTH_DECL bool decode_value(const boost::json::value& jv, enroll_factor_response& out, detail::decode_context& ctx);

inline boost::system::result<enroll_factor_enrollment_data> tag_invoke(
    boost::json::try_value_to_tag<enroll_factor_enrollment_data>, const boost::json::value& jv) {
    return detail::try_decode<enroll_factor_enrollment_data>(jv);
}
inline boost::system::result<enroll_factor_request> tag_invoke(boost::json::try_value_to_tag<enroll_factor_request>,
                                                               const boost::json::value& jv) {
    return detail::try_decode<enroll_factor_request>(jv);
}
inline boost::system::result<enroll_factor_response> tag_invoke(boost::json::try_value_to_tag<enroll_factor_response>,
                                                                const boost::json::value& jv) {
    return detail::try_decode<enroll_factor_response>(jv);
}

}  // namespace genauth

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/dto/impl/enroll_factor.ipp>
#endif

#endif
