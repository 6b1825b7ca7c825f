#ifndef GENAUTH_OBSERVER_HPP
#define GENAUTH_OBSERVER_HPP

// Seeing what the client does: a per-operation record for logs, metrics and traces, and a
// snapshot of a client's counters. Neither ever holds an access token or a body.

#include <genauth/error.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

namespace genauth {

/// How an operation got its connection.
enum class connection_use {
    none,            ///< it never needed one (an input error) or failed before it had one
    reused,          ///< an idle keep-alive connection from the pool
    new_connection,  ///< a new connection with a full TLS handshake (or plain TCP)
    resumed,         ///< a new connection whose TLS handshake resumed an earlier session
};

/// What one finished operation did. Views into it are valid during the observer call only.
struct operation_record {
    std::string_view method;      ///< "GET" or "POST"
    std::string_view path;        ///< the endpoint's path, never the query ("/api/v3/enroll-factor")
    error_code ec;                ///< what the handler receives
    unsigned http_status = 0;     ///< 0 when no response was read
    int status_code = 0;          ///< the envelope's statusCode; 0 when none was read
    std::optional<int> api_code;  ///< the envelope's apiCode
    std::string_view request_id;  ///< the envelope's requestId, redacted like every text; empty when none
    connection_use connection = connection_use::none;  ///< the connection of the last attempt
    bool resent = false;  ///< the request was sent a second time (see "Nothing sent twice")
    /// How many times a read was tried (retry_policy): 1 when it was not tried again. An
    /// attempt's immediate resend on a fresh connection (`resent`) is part of that attempt.
    unsigned attempts = 1;
    std::chrono::microseconds retry_waiting{0};           ///< waiting between attempts
    std::optional<std::chrono::seconds> retry_after;      ///< the last answer's Retry-After (diagnostics::retry_after)
    std::chrono::microseconds total{0};                   ///< from the initiating call to completion
    std::chrono::microseconds waiting_for_connection{0};  ///< queued for a place in the pool
    std::chrono::microseconds connecting{0};              ///< resolve and TCP connect (zero on reuse)
    std::chrono::microseconds tls_handshake{0};           ///< the TLS handshake (zero on reuse)
    std::chrono::microseconds exchange{0};                ///< writing the request and reading the response
};

/// Called exactly once per operation when it completes, right before its handler runs and on the
/// same thread (the handler's executor; with `thread_safe`, after the operation's lock is
/// released), with exactly what the handler receives: the error after the response is decoded
/// (a 2xx whose data does not decode is recorded as that failure), and texts redacted of every
/// secret of the call. Several may run at once on a multi-threaded executor. Keep it short and
/// non-blocking; an exception it throws is swallowed. Unset (the default), an operation costs
/// nothing more.
using operation_observer = std::function<void(const operation_record&)>;

/// A client's counters, read one after another (the client keeps running meanwhile).
struct client_statistics {
    std::uint64_t operations_succeeded = 0;
    std::uint64_t input_errors = 0;      ///< condition::invalid_argument
    std::uint64_t api_errors = 0;        ///< condition::api_error
    std::uint64_t transport_errors = 0;  ///< condition::transport_error (timeouts included)
    std::uint64_t protocol_errors = 0;   ///< condition::protocol_error
    std::uint64_t cancelled = 0;         ///< operation_aborted
    std::uint64_t connections_opened = 0;
    std::uint64_t tls_sessions_resumed = 0;
    std::uint64_t resends = 0;
    std::uint64_t retries = 0;                    ///< reads tried again after a wait (retry_policy)
    std::uint64_t retries_refused_by_budget = 0;  ///< retries the budget did not allow (retry_budget_options)
    std::size_t open_connections = 0;             ///< now: in use, idle or being opened
    std::size_t waiting_operations = 0;           ///< now: queued for a connection
};

}  // namespace genauth

#endif
