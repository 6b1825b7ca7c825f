#ifndef GENAUTH_IMPL_DTO_ENVELOPE_IPP
#define GENAUTH_IMPL_DTO_ENVELOPE_IPP

#include <genauth/dto/envelope.hpp>

#include <charconv>

namespace genauth {

namespace detail {

// apiCode arrives as a number, or as a numeric string in legacy answers.
inline bool decode_api_code(const json::value& jv, std::optional<int>& out, decode_context& ctx) {
    if (jv.is_null()) {
        out.reset();
        return true;
    }
    if (auto v = as_int(jv)) {
        out = *v;
        return true;
    }
    if (jv.is_string()) {
        const auto& s = jv.get_string();
        int v = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) {
            out = v;
            return true;
        }
    }
    return ctx.fail(errc::wrong_field_type, "expected an integer or a numeric string");
}

}  // namespace detail

GENAUTH_DECL bool detail::decode_value(const boost::json::value& jv, response_envelope& out,
                                       detail::decode_context& ctx) {
    using detail::presence;
    if (ctx.envelope_read) return true;
    const auto* obj = detail::as_object(jv, ctx);
    if (obj == nullptr) return false;
    if (!detail::decode_field(*obj, "statusCode", out.status_code, ctx, presence::required)) return false;
    if (!detail::decode_field(*obj, "message", out.message, ctx, presence::optional)) return false;
    if (const auto* api_code = obj->if_contains("apiCode")) {
        detail::decode_context::scope guard(ctx, "apiCode");
        if (!detail::decode_api_code(*api_code, out.api_code, ctx)) return false;
    }
    return detail::decode_field(*obj, "requestId", out.request_id, ctx, presence::optional);
}

GENAUTH_DECL bool detail::decode_v2_envelope(const boost::json::object& obj, response_envelope& out,
                                             detail::decode_context& ctx) {
    using detail::presence;
    return detail::decode_field(obj, "code", out.status_code, ctx, presence::required) &&
           detail::decode_field(obj, "message", out.message, ctx, presence::optional);
}

GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const envelope_response& v) {
    encode_envelope(jv.emplace_object(), v);
}

namespace detail {
GENAUTH_DECL bool decode_value(const boost::json::value& jv, envelope_response& out, decode_context& ctx) {
    return decode_value(jv, static_cast<response_envelope&>(out), ctx);
}
}  // namespace detail

GENAUTH_DECL void encode_envelope(boost::json::object& obj, const response_envelope& e) {
    obj["statusCode"] = e.status_code;
    obj["message"] = e.message;
    detail::put_optional(obj, "apiCode", e.api_code);
    detail::put_optional(obj, "requestId", e.request_id);
}

}  // namespace genauth

#endif
