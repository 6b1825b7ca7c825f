#ifndef GENAUTH_IMPL_POLICY_POLICY_HPP
#define GENAUTH_IMPL_POLICY_POLICY_HPP

// The operation's decisions, with no I/O: whether to send a request again, and what error an
// operation finally reports (from what its coroutine returned or threw and whether its deadline
// passed), and how it is counted.

#include <genauth/detail/config.hpp>
#include <genauth/detail/sansio/http_method.hpp>
#include <genauth/error.hpp>

#include <chrono>
#include <exception>
#include <string>

namespace genauth::detail {

/// What is known about an exchange that failed.
struct failed_exchange {
    http_method method = http_method::post;
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
    return f.nothing_written || f.method == http_method::get;
}

/// Maps any error of an exchange (socket, TLS, HTTP parser) to a genauth::errc that matches
/// condition::transport_error or condition::protocol_error, keeping the original's category and
/// message in `detail`. Total: nothing raw escapes but operation_aborted (the caller's
/// cancellation; the operation maps the deadline's to errc::timeout).
GENAUTH_DECL error_code map_exchange_error(const error_code& ec, std::string& detail);

/// The error an operation reports, from the raw result of its coroutine:
/// - an exception it threw becomes an error code (a system_error's own code; bad_alloc:
///   no_memory; anything else: fault, with "internal error: <what>" in `detail`);
/// - when the deadline (`timeout`) had passed, any error becomes errc::timeout: the deadline's
///   cancellation is what ended the operation, whatever error that cancellation surfaced as.
/// `ec` and `detail` are updated in place.
GENAUTH_DECL void settle_error(error_code& ec, std::string& detail, const std::exception_ptr& thrown, bool timed_out,
                               std::chrono::milliseconds timeout);

/// The counter an outcome goes to (client_statistics).
enum class outcome_class { succeeded, input_error, api_error, protocol_error, cancelled, transport_error };

/// Classifies a final error code (the transport's errors, timeouts and any exception's code are
/// transport errors).
GENAUTH_DECL outcome_class classify_outcome(const error_code& ec) noexcept;

}  // namespace genauth::detail

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/policy/exchange_error.ipp>
#include <genauth/impl/policy/policy.ipp>
#endif

#endif
