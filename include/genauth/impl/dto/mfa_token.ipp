#ifndef GENAUTH_IMPL_DTO_MFA_TOKEN_IPP
#define GENAUTH_IMPL_DTO_MFA_TOKEN_IPP

#include <genauth/dto/envelope.hpp>
#include <genauth/dto/mfa_token.hpp>

#include <boost/json/value_from.hpp>

namespace genauth {

GENAUTH_DECL error_code validate(const verify_mfa_token_request& r) noexcept {
    return r.token.empty() ? error_code(errc::missing_mfa_token) : error_code();
}

GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const verify_mfa_token_request& v) {
    jv.emplace_object()["token"] = v.token;
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, verify_mfa_token_request& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "token", out.token, ctx, detail::presence::required);
}

GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const mfa_token_introspection& v) {
    auto& obj = jv.emplace_object();
    obj["active"] = v.active;
    detail::put_optional(obj, "userPoolId", v.user_pool_id);
    detail::put_optional(obj, "userId", v.user_id);
    detail::put_optional(obj, "exp", v.exp);
    detail::put_optional(obj, "iat", v.iat);
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, mfa_token_introspection& out,
                                       detail::decode_context& ctx) {
    using detail::presence;
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_field(*obj, "active", out.active, ctx, presence::required) &&
           detail::decode_field(*obj, "userPoolId", out.user_pool_id, ctx, presence::optional) &&
           detail::decode_field(*obj, "userId", out.user_id, ctx, presence::optional) &&
           detail::decode_field(*obj, "exp", out.exp, ctx, presence::optional) &&
           detail::decode_field(*obj, "iat", out.iat, ctx, presence::optional);
}

GENAUTH_DEFINE_RESPONSE_OF_BARE_DATA(verify_mfa_token_response)

}  // namespace genauth

#endif
