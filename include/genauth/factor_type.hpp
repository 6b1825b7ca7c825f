#ifndef GENAUTH_FACTOR_TYPE_HPP
#define GENAUTH_FACTOR_TYPE_HPP

#include <genauth/detail/json_decode.hpp>

#include <boost/json/conversion.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace genauth {

/// An MFA authentication factor, sent as "OTP", "SMS", "EMAIL" or "FACE".
/// The MFA factor types. `unknown` is what a response holds when GenAuth names a type this
/// library does not know yet (WebAuthn/passkey MFA exists already): the call still succeeds and
/// the DTO keeps the name as sent (`factor_type_name`). Sending `unknown` is an input error.
enum class factor_type { otp, sms, email, face, unknown };

/// The wire name ("OTP", "SMS", "EMAIL", "FACE"); empty for `unknown` and any value outside the
/// enumeration.
constexpr std::string_view to_string(factor_type t) noexcept {
    switch (t) {
        case factor_type::otp:
            return "OTP";
        case factor_type::sms:
            return "SMS";
        case factor_type::email:
            return "EMAIL";
        case factor_type::face:
            return "FACE";
        case factor_type::unknown:
            return {};
    }
    return {};
}

/// The factor type named `name` (exact upper-case match), or nullopt.
constexpr std::optional<factor_type> parse_factor_type(std::string_view name) noexcept {
    for (auto t : {factor_type::otp, factor_type::sms, factor_type::email, factor_type::face})
        if (to_string(t) == name) return t;
    return std::nullopt;
}

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, factor_type t) {
    jv = boost::json::string(to_string(t));
}

namespace detail {
inline bool decode_value(const boost::json::value& jv, factor_type& out, decode_context& ctx) {
    if (!jv.is_string()) return ctx.fail(errc::wrong_field_type, "expected a string");
    auto t = parse_factor_type(jv.get_string());
    if (!t) return ctx.fail(errc::wrong_field_type, "expected one of OTP, SMS, EMAIL, FACE");
    out = *t;
    return true;
}

/// A factorType in a response: a name this library does not know is no error but
/// factor_type::unknown, the name kept in `name` (cleared for a known type).
inline bool decode_received_factor_type(const boost::json::object& obj, factor_type& out, std::string& name,
                                        decode_context& ctx) {
    decode_context::scope guard(ctx, "factorType");
    const auto* jv = obj.if_contains("factorType");
    if (jv == nullptr || jv->is_null()) return ctx.fail(errc::missing_field, "missing");
    if (!jv->is_string()) return ctx.fail(errc::wrong_field_type, "expected a string");
    const auto known = parse_factor_type(jv->get_string());
    out = known.value_or(factor_type::unknown);
    if (known)
        name.clear();
    else
        name.assign(jv->get_string().data(), jv->get_string().size());
    return true;
}

}  // namespace detail

/// The name of a factor type received from a server: its wire name, or for `unknown` the name
/// the server sent (kept in the DTO's `factor_type_name`).
inline std::string_view wire_name(factor_type t, std::string_view name_if_unknown) noexcept {
    return t == factor_type::unknown ? name_if_unknown : to_string(t);
}

inline boost::system::result<factor_type> tag_invoke(boost::json::try_value_to_tag<factor_type>,
                                                     const boost::json::value& jv) {
    return detail::try_decode<factor_type>(jv);
}

}  // namespace genauth

#endif
