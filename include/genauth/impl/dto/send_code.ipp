#ifndef GENAUTH_IMPL_DTO_SEND_CODE_IPP
#define GENAUTH_IMPL_DTO_SEND_CODE_IPP

#include <genauth/dto/envelope.hpp>
#include <genauth/dto/send_code.hpp>

namespace genauth {
namespace detail {

inline constexpr std::string_view sms_channel_names[] = {"CHANNEL_LOGIN",          "CHANNEL_REGISTER",
                                                         "CHANNEL_RESET_PASSWORD", "CHANNEL_BIND_PHONE",
                                                         "CHANNEL_UNBIND_PHONE",   "CHANNEL_BIND_MFA",
                                                         "CHANNEL_VERIFY_MFA",     "CHANNEL_UNBIND_MFA",
                                                         "CHANNEL_COMPLETE_PHONE", "CHANNEL_IDENTITY_VERIFICATION",
                                                         "CHANNEL_DELETE_ACCOUNT"};
inline constexpr std::string_view email_channel_names[] = {
    "CHANNEL_LOGIN",          "CHANNEL_REGISTER",       "CHANNEL_RESET_PASSWORD", "CHANNEL_VERIFY_EMAIL_LINK",
    "CHANNEL_UPDATE_EMAIL",   "CHANNEL_BIND_EMAIL",     "CHANNEL_UNBIND_EMAIL",   "CHANNEL_VERIFY_MFA",
    "CHANNEL_UNLOCK_ACCOUNT", "CHANNEL_COMPLETE_EMAIL", "CHANNEL_DELETE_ACCOUNT"};

// One table per enumeration, in its order: the value is the index.
template <class Enum, std::size_t N>
std::string_view channel_name(Enum c, const std::string_view (&names)[N]) noexcept {
    const auto i = static_cast<std::size_t>(c);
    return i < N ? names[i] : std::string_view{};
}

template <class Enum, std::size_t N>
bool decode_channel(const json::object& obj, Enum& out, const std::string_view (&names)[N], decode_context& ctx) {
    std::string name;
    if (!decode_field(obj, "channel", name, ctx, presence::required)) return false;
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == name) {
            out = static_cast<Enum>(i);
            return true;
        }
    }
    decode_context::scope guard(ctx, "channel");
    return ctx.fail(errc::wrong_field_type, "not a known channel");
}

}  // namespace detail

GENAUTH_DECL std::string_view to_string(sms_channel c) noexcept {
    return detail::channel_name(c, detail::sms_channel_names);
}
GENAUTH_DECL std::string_view to_string(email_channel c) noexcept {
    return detail::channel_name(c, detail::email_channel_names);
}

GENAUTH_DECL error_code validate(const send_sms_request& r) noexcept {
    if (to_string(r.channel).empty()) return errc::invalid_channel;
    return r.phone_number.empty() ? error_code(errc::missing_phone_number) : error_code();
}
GENAUTH_DECL error_code validate(const send_email_request& r) noexcept {
    if (to_string(r.channel).empty()) return errc::invalid_channel;
    return r.email.empty() ? error_code(errc::missing_email) : error_code();
}

GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const send_sms_request& v) {
    auto& obj = jv.emplace_object();
    obj["channel"] = to_string(v.channel);
    obj["phoneNumber"] = v.phone_number;
    detail::put_optional(obj, "phoneCountryCode", v.phone_country_code);
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, send_sms_request& out,
                                       detail::decode_context& ctx) {
    using detail::presence;
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_channel(*obj, out.channel, detail::sms_channel_names, ctx) &&
           detail::decode_field(*obj, "phoneNumber", out.phone_number, ctx, presence::required) &&
           detail::decode_field(*obj, "phoneCountryCode", out.phone_country_code, ctx, presence::optional);
}
GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const send_email_request& v) {
    auto& obj = jv.emplace_object();
    obj["channel"] = to_string(v.channel);
    obj["email"] = v.email;
}
GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, send_email_request& out,
                                       detail::decode_context& ctx) {
    const auto* obj = detail::as_object(jv, ctx);
    return obj && detail::decode_channel(*obj, out.channel, detail::email_channel_names, ctx) &&
           detail::decode_field(*obj, "email", out.email, ctx, detail::presence::required);
}

}  // namespace genauth

#endif
