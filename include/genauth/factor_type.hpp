#ifndef GENAUTH_FACTOR_TYPE_HPP
#define GENAUTH_FACTOR_TYPE_HPP

#include <genauth/detail/json_decode.hpp>

#include <boost/json/conversion.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string_view>

namespace genauth {

/// An MFA authentication factor, sent as "OTP", "SMS", "EMAIL" or "FACE".
enum class factor_type { otp, sms, email, face };

/// The wire name ("OTP", "SMS", "EMAIL", "FACE"); empty for a value outside the enumeration.
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
    }
    return {};
}

/// The factor named `wire_name` (exact upper-case match), or nullopt.
constexpr std::optional<factor_type> parse_factor_type(std::string_view wire_name) noexcept {
    for (auto t : {factor_type::otp, factor_type::sms, factor_type::email, factor_type::face})
        if (to_string(t) == wire_name) return t;
    return std::nullopt;
}

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, factor_type t) {
    jv = boost::json::string(to_string(t));
}

inline bool decode_value(const boost::json::value& jv, factor_type& out, detail::decode_context& ctx) {
    if (!jv.is_string()) return ctx.fail(errc::wrong_field_type, "expected a string");
    auto t = parse_factor_type(jv.get_string());
    if (!t) return ctx.fail(errc::wrong_field_type, "expected one of OTP, SMS, EMAIL, FACE");
    out = *t;
    return true;
}

inline boost::system::result<factor_type> tag_invoke(boost::json::try_value_to_tag<factor_type>,
                                                   const boost::json::value& jv) {
    return detail::try_decode<factor_type>(jv);
}

}  // namespace genauth

#endif
