#ifndef GENAUTH_IMPL_DTO_MFA_CHALLENGE_IPP
#define GENAUTH_IMPL_DTO_MFA_CHALLENGE_IPP

#include <genauth/dto/mfa_challenge.hpp>

#include <boost/json/value_from.hpp>

namespace genauth {

using detail::presence;

GENAUTH_DECL error_code validate(const mfa_totp_challenge& r) noexcept {
    return r.totp.empty() ? errc::missing_totp : error_code();
}
GENAUTH_DECL error_code validate(const mfa_sms_challenge& r) noexcept {
    if (r.phone.empty()) return errc::missing_phone_number;
    return r.code.empty() ? errc::missing_code : error_code();
}
GENAUTH_DECL error_code validate(const mfa_email_challenge& r) noexcept {
    if (r.email.empty()) return errc::missing_email;
    return r.code.empty() ? errc::missing_code : error_code();
}
GENAUTH_DECL error_code validate(const mfa_recovery_code_challenge& r) noexcept {
    return r.recovery_code.empty() ? errc::missing_recovery_code : error_code();
}
GENAUTH_DECL error_code validate(const mfa_face_challenge& r) noexcept {
    return r.photo.empty() ? errc::missing_photo : error_code();
}
GENAUTH_DECL error_code validate(const mfa_bindable_request& r) noexcept {
    const bool phone = r.phone && !r.phone->empty(), email = r.email && !r.email->empty();
    return phone || email ? error_code() : errc::missing_phone_or_email;
}
GENAUTH_DECL error_code validate(const totp_association_request&) noexcept { return {}; }
GENAUTH_DECL error_code validate(const totp_association_confirm_request& r) noexcept {
    return r.totp.empty() ? errc::missing_totp : error_code();
}
GENAUTH_DECL error_code validate(const mfa_authenticators_request& r) noexcept {
    return r.type.empty() ? errc::invalid_factor_type : error_code();
}

// signed_in_user
GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const signed_in_user& v) {
    auto& obj = jv.emplace_object();
    obj["id"] = v.id;
    obj["token"] = v.token;
    detail::put_optional(obj, "tokenExpiredAt", v.token_expired_at);
    detail::put_optional(obj, "username", v.username);
    detail::put_optional(obj, "email", v.email);
    detail::put_optional(obj, "phone", v.phone);
    detail::put_optional(obj, "nickname", v.nickname);
    detail::put_optional(obj, "photo", v.photo);
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, signed_in_user& out, detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "id", out.id, ctx, presence::required) &&
           detail::decode_field(*obj, "token", out.token, ctx, presence::required) &&
           detail::decode_field(*obj, "tokenExpiredAt", out.token_expired_at, ctx, presence::optional) &&
           detail::decode_field(*obj, "username", out.username, ctx, presence::optional) &&
           detail::decode_field(*obj, "email", out.email, ctx, presence::optional) &&
           detail::decode_field(*obj, "phone", out.phone, ctx, presence::optional) &&
           detail::decode_field(*obj, "nickname", out.nickname, ctx, presence::optional) &&
           detail::decode_field(*obj, "photo", out.photo, ctx, presence::optional);
}

// The challenges' requests
GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const mfa_totp_challenge& v) {
    jv.emplace_object()["totp"] = v.totp;
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, mfa_totp_challenge& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "totp", out.totp, ctx, presence::required);
}

GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const mfa_sms_challenge& v) {
    auto& obj = jv.emplace_object();
    obj["phone"] = v.phone;
    obj["code"] = v.code;
    detail::put_optional(obj, "phoneCountryCode", v.phone_country_code);
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, mfa_sms_challenge& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "phone", out.phone, ctx, presence::required) &&
           detail::decode_field(*obj, "code", out.code, ctx, presence::required) &&
           detail::decode_field(*obj, "phoneCountryCode", out.phone_country_code, ctx, presence::optional);
}

GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const mfa_email_challenge& v) {
    auto& obj = jv.emplace_object();
    obj["email"] = v.email;
    obj["code"] = v.code;
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, mfa_email_challenge& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "email", out.email, ctx, presence::required) &&
           detail::decode_field(*obj, "code", out.code, ctx, presence::required);
}

GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv,
                             const mfa_recovery_code_challenge& v) {
    jv.emplace_object()["recoveryCode"] = v.recovery_code;
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, mfa_recovery_code_challenge& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "recoveryCode", out.recovery_code, ctx, presence::required);
}

GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const mfa_face_challenge& v) {
    jv.emplace_object()["photo"] = v.photo;
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, mfa_face_challenge& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "photo", out.photo, ctx, presence::required);
}

GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const mfa_bindable_request& v) {
    auto& obj = jv.emplace_object();
    detail::put_optional(obj, "phone", v.phone);
    detail::put_optional(obj, "email", v.email);
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, mfa_bindable_request& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "phone", out.phone, ctx, presence::optional) &&
           detail::decode_field(*obj, "email", out.email, ctx, presence::optional);
}

// The TOTP association
GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const totp_association_request& v) {
    auto& obj = jv.emplace_object();
    obj["authenticator_type"] = "totp";
    detail::put_optional(obj, "source", v.source);
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, totp_association_request& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "source", out.source, ctx, presence::optional);
}

GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const totp_association& v) {
    auto& obj = jv.emplace_object();
    obj["authenticator_type"] = v.authenticator_type;
    obj["secret"] = v.secret;
    obj["qrcode_uri"] = v.qrcode_uri;
    obj["qrcode_data_url"] = v.qrcode_data_url;
    obj["recovery_code"] = v.recovery_code;
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, totp_association& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "authenticator_type", out.authenticator_type, ctx, presence::required) &&
           detail::decode_field(*obj, "secret", out.secret, ctx, presence::required) &&
           detail::decode_field(*obj, "qrcode_uri", out.qrcode_uri, ctx, presence::required) &&
           detail::decode_field(*obj, "qrcode_data_url", out.qrcode_data_url, ctx, presence::optional) &&
           detail::decode_field(*obj, "recovery_code", out.recovery_code, ctx, presence::optional);
}

GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv,
                             const totp_association_confirm_request& v) {
    auto& obj = jv.emplace_object();
    obj["authenticator_type"] = "totp";
    obj["totp"] = v.totp;
    detail::put_optional(obj, "source", v.source);
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, totp_association_confirm_request& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "totp", out.totp, ctx, presence::required) &&
           detail::decode_field(*obj, "source", out.source, ctx, presence::optional);
}

// The authenticators
GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const mfa_authenticators_request& v) {
    auto& obj = jv.emplace_object();
    obj["type"] = v.type;
    detail::put_optional(obj, "source", v.source);
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, mfa_authenticators_request& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "type", out.type, ctx, presence::required) &&
           detail::decode_field(*obj, "source", out.source, ctx, presence::optional);
}

GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const mfa_authenticator& v) {
    auto& obj = jv.emplace_object();
    obj["id"] = v.id;
    detail::put_optional(obj, "createdAt", v.created_at);
    detail::put_optional(obj, "updatedAt", v.updated_at);
    detail::put_optional(obj, "userId", v.user_id);
    detail::put_optional(obj, "enable", v.enable);
    detail::put_optional(obj, "secret", v.secret);
    detail::put_optional(obj, "authenticatorType", v.authenticator_type);
    detail::put_optional(obj, "recoveryCode", v.recovery_code);
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, mfa_authenticator& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "id", out.id, ctx, presence::required) &&
           detail::decode_field(*obj, "createdAt", out.created_at, ctx, presence::optional) &&
           detail::decode_field(*obj, "updatedAt", out.updated_at, ctx, presence::optional) &&
           detail::decode_field(*obj, "userId", out.user_id, ctx, presence::optional) &&
           detail::decode_field(*obj, "enable", out.enable, ctx, presence::optional) &&
           detail::decode_field(*obj, "secret", out.secret, ctx, presence::optional) &&
           detail::decode_field(*obj, "authenticatorType", out.authenticator_type, ctx, presence::optional) &&
           detail::decode_field(*obj, "recoveryCode", out.recovery_code, ctx, presence::optional);
}

// Responses: the envelope (V2's read by interpret_response, V3's here), plus `data`.
GENAUTH_DEFINE_RESPONSE_WITH_DATA(mfa_challenge_response)
GENAUTH_DEFINE_RESPONSE_WITH_DATA(mfa_bindable_response)
GENAUTH_DEFINE_RESPONSE_WITH_DATA(totp_association_response)
GENAUTH_DEFINE_RESPONSE_WITH_DATA(list_mfa_authenticators_response)
GENAUTH_DEFINE_RESPONSE_WITH_DATA(webauthn_initialize_response)

}  // namespace genauth

#endif
