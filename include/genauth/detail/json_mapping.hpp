#ifndef GENAUTH_DETAIL_JSON_MAPPING_HPP
#define GENAUTH_DETAIL_JSON_MAPPING_HPP

// The one way a DTO is mapped to and from JSON: `tag_invoke(value_from_tag)` and
// `detail::decode_value` (bodies in the DTO's .ipp; the field-naming decoder the client uses, not
// public API), and Boost.JSON's `try_value_to` through decode_value, keeping only the error code. Every DTO header
// declares its types with GENAUTH_DECLARE_JSON_MAPPING(T).

#include <genauth/detail/config.hpp>
#include <genauth/detail/json_decode.hpp>

#include <boost/json/conversion.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

// NOLINTBEGIN(bugprone-macro-parentheses): T is a type name, which cannot be parenthesised.
#define GENAUTH_DECLARE_JSON_MAPPING(T)                                                                          \
    GENAUTH_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const T& v);               \
    namespace detail {                                                                                           \
    GENAUTH_DECL bool decode_value(const boost::json::value& jv, T& out, decode_context& ctx);                   \
    }                                                                                                            \
    inline boost::system::result<T> tag_invoke(boost::json::try_value_to_tag<T>, const boost::json::value& jv) { \
        return detail::try_decode<T>(jv);                                                                        \
    }
// NOLINTEND(bugprone-macro-parentheses)

#endif
