#ifndef GENAUTH_IMPL_DTO_MFA_FACTORS_IPP
#define GENAUTH_IMPL_DTO_MFA_FACTORS_IPP

#include <genauth/dto/mfa_factors.hpp>

#include <boost/json/value_from.hpp>

namespace genauth {
using detail::presence;

GENAUTH_DECL error_code validate(const send_enroll_factor_request_params& p) noexcept {
    if (to_string(p.factor_type).empty()) return errc::invalid_factor_type;
    if (p.factor_type == factor_type::sms && (!p.profile.phone_number || p.profile.phone_number->empty()))
        return errc::missing_phone_number;
    if (p.factor_type == factor_type::email && (!p.profile.email || p.profile.email->empty()))
        return errc::missing_email;
    return {};
}

GENAUTH_DECL error_code validate(const factor_id_request& r) noexcept {
    return r.factor_id.empty() ? error_code(errc::missing_factor_id) : error_code();
}

GENAUTH_DECL error_code validate(const mfa_otp_verify_request& r) noexcept {
    return r.totp.empty() ? error_code(errc::missing_totp) : error_code();
}

// factor_profile
GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const factor_profile& v) {
    auto& obj = jv.emplace_object();
    detail::put_optional(obj, "phoneNumber", v.phone_number);
    detail::put_optional(obj, "phoneCountryCode", v.phone_country_code);
    detail::put_optional(obj, "email", v.email);
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, factor_profile& out, detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "phoneNumber", out.phone_number, ctx, presence::optional) &&
           detail::decode_field(*obj, "phoneCountryCode", out.phone_country_code, ctx, presence::optional) &&
           detail::decode_field(*obj, "email", out.email, ctx, presence::optional);
}

// send_enroll_factor_request_params
GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv,
                             const send_enroll_factor_request_params& v) {
    auto& obj = jv.emplace_object();
    obj["factorType"] = to_string(v.factor_type);
    obj["profile"] = boost::json::value_from(v.profile, obj.storage());
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, send_enroll_factor_request_params& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "factorType", out.factor_type, ctx, presence::required) &&
           detail::decode_field(*obj, "profile", out.profile, ctx, presence::optional);
}

// otp_data
GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const otp_data& v) {
    auto& obj = jv.emplace_object();
    obj["qrCodeUri"] = v.qr_code_uri;
    obj["qrCodeDataUrl"] = v.qr_code_data_url;
    obj["recoveryCode"] = v.recovery_code;
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, otp_data& out, detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "qrCodeUri", out.qr_code_uri, ctx, presence::required) &&
           detail::decode_field(*obj, "qrCodeDataUrl", out.qr_code_data_url, ctx, presence::required) &&
           detail::decode_field(*obj, "recoveryCode", out.recovery_code, ctx, presence::required);
}

// send_enroll_factor_request_data
GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv,
                             const send_enroll_factor_request_data& v) {
    auto& obj = jv.emplace_object();
    obj["enrollmentToken"] = v.enrollment_token;
    if (v.otp_data) obj["otpData"] = boost::json::value_from(*v.otp_data, obj.storage());
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, send_enroll_factor_request_data& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "enrollmentToken", out.enrollment_token, ctx, presence::required) &&
           detail::decode_field(*obj, "otpData", out.otp_data, ctx, presence::optional);
}

// factor
GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const factor& v) {
    auto& obj = jv.emplace_object();
    obj["factorId"] = v.factor_id;
    obj["factorType"] = wire_name(v.factor_type, v.factor_type_name);
    obj["profile"] = v.profile;
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, factor& out, detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    if (!obj || !detail::decode_field(*obj, "factorId", out.factor_id, ctx, presence::required) ||
        !detail::decode_received_factor_type(*obj, out.factor_type, out.factor_type_name, ctx))
        return false;
    // `profile` is free-form; null or absent means empty.
    std::optional<boost::json::object> profile;
    if (!detail::decode_field(*obj, "profile", profile, ctx, presence::optional)) return false;
    out.profile = profile ? std::move(*profile) : boost::json::object();
    return true;
}

GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const factor_id_request& v) {
    jv.emplace_object()["factorId"] = v.factor_id;
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, factor_id_request& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "factorId", out.factor_id, ctx, presence::required);
}

// factor_to_enroll
GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const factor_to_enroll& v) {
    jv.emplace_object()["factorType"] = wire_name(v.factor_type, v.factor_type_name);
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, factor_to_enroll& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_received_factor_type(*obj, out.factor_type, out.factor_type_name, ctx);
}

// mfa_otp_verify_request, otp_verify_data
GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const mfa_otp_verify_request& v) {
    jv.emplace_object()["totp"] = v.totp;
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, mfa_otp_verify_request& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "totp", out.totp, ctx, presence::required);
}
GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const otp_verify_data& v) {
    jv.emplace_object()["verified"] = v.verified;
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, otp_verify_data& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "verified", out.verified, ctx, presence::required);
}

// Responses: the envelope, plus `data`.
GENAUTH_DEFINE_RESPONSE_WITH_DATA(send_enroll_factor_request_response)
GENAUTH_DEFINE_RESPONSE_WITH_DATA(list_enrolled_factors_response)
GENAUTH_DEFINE_RESPONSE_WITH_DATA(get_factor_response)
GENAUTH_DEFINE_RESPONSE_WITH_DATA(list_factors_to_enroll_response)
GENAUTH_DEFINE_RESPONSE_WITH_DATA(mfa_otp_verify_response)

}  // namespace genauth

#endif
