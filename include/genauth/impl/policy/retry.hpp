#ifndef GENAUTH_IMPL_POLICY_RETRY_HPP
#define GENAUTH_IMPL_POLICY_RETRY_HPP

// Whether and when a read is tried again, with no I/O: which failures are passing, how long to
// wait (backoff, the server's Retry-After, the deadline), and the client's retry budget.

#include <genauth/client_options.hpp>
#include <genauth/detail/config.hpp>
#include <genauth/detail/sansio/request.hpp>
#include <genauth/error.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

namespace genauth::detail {

/// What the retry policy sees of a failed attempt.
struct attempt_failure {
    error_code ec;              ///< the attempt's error
    bool received_any = false;  ///< a byte of a response arrived
    unsigned http_status = 0;   ///< the response's HTTP status; 0: none was read
    int status_code = 0;        ///< the envelope's statusCode (V2: code); 0: none was read
};

/// Whether a failure may pass if the request is tried again later:
/// - an answer: HTTP 429, 502, 503 or 504 (a busy or restarting GenAuth, a gateway that lost
///   it), or HTTP 2xx with envelope status 429 or 503 (GenAuth's rate limit in its own form);
/// - no byte of an answer: the connection could not be made (connect_failed, proxy_unreachable)
///   or ended before the answer (connection_reset, connection_closed, proxy_closed,
///   network_error).
/// Not: a refusal GenAuth meant (4xx, an API error), a certificate, a timeout (the deadline is
/// spent), a cancellation, a name that does not resolve, an answer cut in the middle.
constexpr bool is_transient(const attempt_failure& f) noexcept {
    if (!f.ec) return false;
    const unsigned s = f.http_status;
    if (s == 429 || s == 502 || s == 503 || s == 504) return true;
    if (s >= 200 && s < 300) return f.status_code == 429 || f.status_code == 503;
    if (s != 0 || f.received_any) return false;
    return f.ec == errc::connect_failed || f.ec == errc::connection_reset || f.ec == errc::connection_closed ||
           f.ec == errc::network_error || f.ec == errc::proxy_unreachable || f.ec == errc::proxy_closed;
}

/// What happens after a failed attempt.
enum class retry_verdict {
    give_up,  ///< not a read, no attempts left, or not a passing failure: the answer stands
    no_time,  ///< the wait would not end before the deadline: the answer stands, at once
    retry,    ///< wait, then try again (if the budget allows)
};

struct retry_plan {
    retry_verdict verdict = retry_verdict::give_up;
    std::chrono::milliseconds wait{0};
};

/// Everything plan_retry decides from.
struct retry_inputs {
    operation_effect effect = operation_effect::changes_state;
    retry_policy policy;
    unsigned attempts_made = 1;  ///< attempts so far, the failed one included
    attempt_failure failure;
    std::optional<std::chrono::seconds> retry_after;  ///< the failed answer's
    std::chrono::nanoseconds remaining{0};            ///< until the operation's deadline
    std::chrono::nanoseconds last_attempt{0};         ///< how long the failed attempt took
    double jitter = 0;                                ///< uniform in [0, 1)
};

/// The decision after a failed attempt. The wait is jitter times min(max_backoff,
/// initial_backoff * 2^(attempts_made - 1)), raised to the Retry-After. The wait and another
/// attempt as long as the last one must end before the deadline: otherwise the caller gets the
/// answer it has now rather than a timeout later. A write (changes_state) is never tried again,
/// whatever happened.
GENAUTH_DECL retry_plan plan_retry(const retry_inputs& in) noexcept;

/// Checks a retry_policy: errc::invalid_option with the reason in `why` when out of range.
GENAUTH_DECL error_code validate_retry_policy(const retry_policy& p, std::string& why);
/// Checks retry_budget_options likewise.
GENAUTH_DECL error_code validate_retry_budget(const retry_budget_options& b, std::string& why);

/// The client's retry budget (retry_budget_options). Earning is one relaxed atomic increment per
/// read (no lock on the hot path); spending, on the retry path only, settles what was earned
/// under a lock. Thread-safe.
class retry_budget {
public:
    using clock = std::chrono::steady_clock;
    GENAUTH_DECL retry_budget(const retry_budget_options& opts, clock::time_point now);

    /// A call that may be retried started: it earns `ratio` of a retry.
    void earn() noexcept { calls_.fetch_add(1, std::memory_order_relaxed); }
    /// Spends one retry at `now`, if the balance allows.
    GENAUTH_DECL bool try_spend(clock::time_point now);
    /// The balance at `now` (for tests).
    GENAUTH_DECL double balance(clock::time_point now);

private:
    void settle(clock::time_point now);

    retry_budget_options opts_;
    std::atomic<std::uint64_t> calls_{0};
    std::mutex mutex_;
    std::uint64_t calls_settled_ = 0;
    double balance_;
    clock::time_point settled_at_;
};

}  // namespace genauth::detail

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/policy/retry.ipp>
#endif

#endif
