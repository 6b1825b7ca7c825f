#ifndef GENAUTH_DETAIL_PROTOCOL_RESEND_HPP
#define GENAUTH_DETAIL_PROTOCOL_RESEND_HPP

// The one rule for sending a request a second time, with no I/O.

#include <genauth/error.hpp>

#include <boost/beast/http/verb.hpp>

namespace genauth::detail {

/// What is known about an exchange that failed.
struct failed_exchange {
    boost::beast::http::verb method = boost::beast::http::verb::post;
    bool resent = false;           ///< this was already the second attempt
    bool nothing_written = false;  ///< the write failed before the first write of the request completed
    bool received_any = false;     ///< a byte of a response arrived
    error_code ec;                 ///< the mapped transport error
};

/// Whether to send the request once more, on a fresh connection. Only after a connection
/// closed or reset under it, never twice, never once a byte of a response arrived, and:
/// - for any method when the request provably did not reach the server (its first write failed:
///   at most a cut TLS record or a partial header left, which no server acts on);
/// - for GET (idempotent, RFC 9110 section 9.2.2): a keep-alive connection the server closed just
///   as the request went out, or a server that dropped a fresh connection, costs one more try.
/// A POST that was written is never resent: the server may have read and acted on it (bound a
/// factor, sent an SMS) before the connection died. The caller gets connection_closed or
/// connection_reset and decides (for example by listing the enrolled factors).
constexpr bool should_resend(const failed_exchange& f) noexcept {
    const bool connection_died = f.ec == errc::connection_closed || f.ec == errc::connection_reset;
    if (f.resent || f.received_any || !connection_died) return false;
    return f.nothing_written || f.method == boost::beast::http::verb::get;
}

}  // namespace genauth::detail

#endif
