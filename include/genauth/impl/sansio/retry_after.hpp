#ifndef GENAUTH_IMPL_SANSIO_RETRY_AFTER_HPP
#define GENAUTH_IMPL_SANSIO_RETRY_AFTER_HPP

// Reading a Retry-After field (RFC 9110 section 10.2.3), with no I/O.

#include <genauth/detail/config.hpp>
#include <genauth/detail/sansio/response.hpp>

#include <chrono>
#include <optional>
#include <string_view>

namespace genauth::detail {

/// The longest wait a server can ask for: a larger value (or a date further away) reads as this.
/// A day: no deadline a caller sets is that long, and no arithmetic on it can overflow.
inline constexpr std::chrono::seconds max_retry_after{24 * 60 * 60};

/// The wait a Retry-After field value asks for, from `now`: delta-seconds ("120") or an HTTP-date
/// in any of the three forms a recipient must accept (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT",
/// RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT", asctime "Sun Nov  6 08:49:37 1994"). A date in the
/// past reads as 0 s; anything longer than max_retry_after as max_retry_after. Anything else
/// (empty, a sign, a fraction, a bad date, trailing bytes): nullopt.
GENAUTH_DECL std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                                   std::chrono::system_clock::time_point now);

/// Whether the server asks the client to slow down: HTTP 429 or 503, or an envelope status 429 or
/// 503 on any HTTP status. Its Retry-After is then read.
constexpr bool asks_to_slow_down(unsigned http_status, int status_code) noexcept {
    return http_status == 429 || http_status == 503 || status_code == 429 || status_code == 503;
}

/// Sets `out.diag.retry_after` from a response's Retry-After field value `field` ("" when it had
/// none) when the answer asks to slow down; leaves it unset otherwise.
GENAUTH_DECL void read_retry_after(call_outcome& out, std::string_view field,
                                   std::chrono::system_clock::time_point now);

}  // namespace genauth::detail

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/sansio/retry_after.ipp>
#endif

#endif
