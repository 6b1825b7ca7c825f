#ifndef GENAUTH_IMPL_DTO_ENROLL_FACTOR_IPP
#define GENAUTH_IMPL_DTO_ENROLL_FACTOR_IPP

#include <genauth/dto/enroll_factor.hpp>

#include <boost/json/value_from.hpp>

namespace genauth {

GENAUTH_DECL error_code validate(const enroll_factor_request& req) noexcept {
    if (to_string(req.factor_type).empty()) return errc::invalid_factor_type;
    if (req.enrollment_token.empty()) return errc::missing_enrollment_token;
    const auto& data = req.enrollment_data;
    if (req.factor_type == factor_type::face) {
        if (!data.photo || data.photo->empty()) return errc::missing_photo;
    } else if (!data.pass_code || data.pass_code->empty()) {
        return errc::missing_pass_code;
    }
    return {};
}

GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv,
                             const enroll_factor_enrollment_data& d) {
    auto& obj = jv.emplace_object();
    detail::put_optional(obj, "passCode", d.pass_code);
    detail::put_optional(obj, "photo", d.photo);
    detail::put_optional(obj, "isExternalPhoto", d.is_external_photo);
}

GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const enroll_factor_request& r) {
    auto& obj = jv.emplace_object();
    obj["enrollmentToken"] = r.enrollment_token;
    obj["factorType"] = to_string(r.factor_type);
    obj["enrollmentData"] = boost::json::value_from(r.enrollment_data, obj.storage());
}

GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, enroll_factor_enrollment_data& out,
                                       detail::decode_context& ctx) {
    using detail::presence;
    const auto* obj = detail::as_object(jv, ctx);
    return obj != nullptr && detail::decode_field(*obj, "passCode", out.pass_code, ctx, presence::optional) &&
           detail::decode_field(*obj, "photo", out.photo, ctx, presence::optional) &&
           detail::decode_field(*obj, "isExternalPhoto", out.is_external_photo, ctx, presence::optional);
}

GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, enroll_factor_request& out,
                                       detail::decode_context& ctx) {
    using detail::presence;
    const auto* obj = detail::as_object(jv, ctx);
    return obj != nullptr &&
           detail::decode_field(*obj, "enrollmentToken", out.enrollment_token, ctx, presence::required) &&
           detail::decode_field(*obj, "factorType", out.factor_type, ctx, presence::required) &&
           detail::decode_field(*obj, "enrollmentData", out.enrollment_data, ctx, presence::required);
}

}  // namespace genauth

#endif
