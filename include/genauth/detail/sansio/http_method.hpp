#ifndef GENAUTH_DETAIL_SANSIO_HTTP_METHOD_HPP
#define GENAUTH_DETAIL_SANSIO_HTTP_METHOD_HPP

// The HTTP methods GenAuth's endpoints use. Our own enumeration rather than Beast's `http::verb`,
// so that a file including only <genauth/genauth.hpp> in separate-compilation mode reads no Beast
// header at all.

#include <cstdint>
#include <string_view>

namespace genauth::detail {

enum class http_method : std::uint8_t { get, post };

/// The method's token as it goes on the request line.
constexpr std::string_view method_name(http_method method) noexcept {
    return method == http_method::get ? "GET" : "POST";
}

/// Whether a request with this method carries a JSON body (with its Content-Type and -Length);
/// a GET sends its parameters in the query instead.
constexpr bool carries_body(http_method method) noexcept { return method != http_method::get; }

}  // namespace genauth::detail

#endif
