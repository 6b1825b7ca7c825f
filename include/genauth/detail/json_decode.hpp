#ifndef GENAUTH_DETAIL_JSON_DECODE_HPP
#define GENAUTH_DETAIL_JSON_DECODE_HPP

#include <genauth/error.hpp>

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Decoding JSON into DTOs with a context that remembers which field failed, so that an error can
// say "data.factorId: expected a string" instead of a bare "not a string". Boost.JSON 1.81 has no
// contextual conversions, so the `tag_invoke(try_value_to_tag<T>)` overloads of the DTOs call
// these functions and keep only the error code.
namespace genauth::detail {

namespace json = boost::json;

class decode_context {
public:
    error_code ec;
    std::string detail;  // "field 'data.factorId': expected a string"
    // The envelope members were read from this body already (interpret_response): decoding a
    // response_envelope then leaves them to the caller instead of copying them a second time.
    bool envelope_read = false;

    bool fail(errc e, std::string_view expected) {
        ec = e;
        detail = (path_.empty() ? std::string("top level") : "field '" + path_ + "'") + ": " + std::string(expected);
        return false;
    }

    // Appends `key` (or `[index]`) to the path for the lifetime of the guard.
    class scope {
    public:
        scope(decode_context& ctx, std::string_view key) : ctx_(ctx), old_size_(ctx.path_.size()) {
            if (!ctx.path_.empty()) ctx.path_ += '.';
            ctx.path_ += key;
        }
        scope(decode_context& ctx, std::size_t index) : ctx_(ctx), old_size_(ctx.path_.size()) {
            ctx.path_ += '[' + std::to_string(index) + ']';
        }
        scope(const scope&) = delete;
        scope& operator=(const scope&) = delete;
        ~scope() { ctx_.path_.resize(old_size_); }

    private:
        decode_context& ctx_;
        std::size_t old_size_;
    };

    std::string_view path() const noexcept { return path_; }

private:
    std::string path_;
};

inline bool decode_value(const json::value& jv, std::string& out, decode_context& ctx) {
    if (!jv.is_string()) return ctx.fail(errc::wrong_field_type, "expected a string");
    out.assign(jv.get_string().data(), jv.get_string().size());
    return true;
}

inline bool decode_value(const json::value& jv, bool& out, decode_context& ctx) {
    if (!jv.is_bool()) return ctx.fail(errc::wrong_field_type, "expected a boolean");
    out = jv.get_bool();
    return true;
}

// An integer that fits in `int`; an integral double such as 400.0 is accepted too.
inline std::optional<int> as_int(const json::value& jv) noexcept {
    constexpr auto lo = std::numeric_limits<int>::min();
    constexpr auto hi = std::numeric_limits<int>::max();
    if (jv.is_int64()) {
        const auto v = jv.get_int64();
        if (v >= lo && v <= hi) return static_cast<int>(v);
    } else if (jv.is_uint64()) {
        const auto v = jv.get_uint64();
        if (v <= static_cast<std::uint64_t>(hi)) return static_cast<int>(v);
    } else if (jv.is_double()) {
        const double d = jv.get_double();
        if (d >= lo && d <= hi && static_cast<double>(static_cast<int>(d)) == d) return static_cast<int>(d);
    }
    return std::nullopt;
}

inline bool decode_value(const json::value& jv, int& out, decode_context& ctx) {
    auto v = as_int(jv);
    if (!v) return ctx.fail(errc::wrong_field_type, "expected an integer");
    out = *v;
    return true;
}

// A whole number of up to 64 bits (Unix times); an integral double is accepted too.
inline bool decode_value(const json::value& jv, std::int64_t& out, decode_context& ctx) {
    if (jv.is_int64()) {
        out = jv.get_int64();
    } else if (jv.is_uint64() &&
               jv.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        out = static_cast<std::int64_t>(jv.get_uint64());
    } else if (jv.is_double() && jv.get_double() >= -9.0e15 && jv.get_double() <= 9.0e15 &&
               static_cast<double>(static_cast<std::int64_t>(jv.get_double())) == jv.get_double()) {
        out = static_cast<std::int64_t>(jv.get_double());
    } else {
        return ctx.fail(errc::wrong_field_type, "expected an integer");
    }
    return true;
}

inline bool decode_value(const json::value& jv, json::object& out, decode_context& ctx) {
    if (!jv.is_object()) return ctx.fail(errc::wrong_field_type, "expected an object");
    out = jv.get_object();
    return true;
}

// JSON null and an absent key both mean "no value".
template <class T>
bool decode_value(const json::value& jv, std::optional<T>& out, decode_context& ctx) {
    if (jv.is_null()) {
        out.reset();
        return true;
    }
    T value{};
    if (!decode_value(jv, value, ctx)) return false;
    out = std::move(value);
    return true;
}

template <class T>
bool decode_value(const json::value& jv, std::vector<T>& out, decode_context& ctx) {
    if (!jv.is_array()) return ctx.fail(errc::wrong_field_type, "expected an array");
    const auto& arr = jv.get_array();
    out.clear();
    out.reserve(arr.size());
    for (std::size_t i = 0; i < arr.size(); ++i) {
        decode_context::scope guard(ctx, i);
        T element{};
        if (!decode_value(arr[i], element, ctx)) return false;
        out.push_back(std::move(element));
    }
    return true;
}

enum class presence { required, optional };

// Reads obj[key] into out. Unknown keys are never looked at, so they are ignored.
template <class T>
bool decode_field(const json::object& obj, std::string_view key, T& out, decode_context& ctx, presence p) {
    decode_context::scope guard(ctx, key);
    const json::value* jv = obj.if_contains(key);
    if (jv == nullptr) {
        if (p == presence::required) return ctx.fail(errc::missing_field, "missing");
        return true;
    }
    if (p == presence::required && jv->is_null())
        return ctx.fail(errc::missing_field, "null where a value is required");
    return decode_value(*jv, out, ctx);
}

inline const json::object* as_object(const json::value& jv, decode_context& ctx) {
    if (!jv.is_object()) {
        ctx.fail(errc::wrong_field_type, "expected an object");
        return nullptr;
    }
    return &jv.get_object();
}

// The body of every `tag_invoke(try_value_to_tag<T>, ...)` of our DTOs. boost::system::result:
// boost::json::result was deprecated in Boost 1.85 and removed in 1.87.
template <class T>
boost::system::result<T> try_decode(const json::value& jv) {
    decode_context ctx;
    T out{};
    if (!decode_value(jv, out, ctx)) return ctx.ec;
    return out;
}

// Adds key: value to obj only when the optional holds a value (absent optionals are omitted, never null).
template <class T>
void put_optional(json::object& obj, std::string_view key, const std::optional<T>& value) {
    if (value) obj[key] = *value;
}

}  // namespace genauth::detail

#endif
