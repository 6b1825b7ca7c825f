#ifndef GENAUTH_IMPL_IO_OPERATION_HPP
#define GENAUTH_IMPL_IO_OPERATION_HPP

// One operation in flight: its state (executor, cancellation, deadline, outcome), its place in
// the connection pool, and the record of its phases that the observer receives. Only
// client_impl.ipp includes this header.

#include <genauth/detail/client_impl.hpp>
#include <genauth/impl/io/connection.hpp>
#include <genauth/impl/io/connection_pool.hpp>
#include <genauth/impl/io/deadline_queue.hpp>
#include <genauth/impl/io/operation_executor.hpp>
#include <genauth/observer.hpp>

#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/monotonic_resource.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace genauth::detail {

namespace asio = boost::asio;
namespace http = boost::beast::http;

// The pool of this client's connections.
class connection_pool : public basic_connection_pool<connection> {
public:
    using basic_connection_pool::basic_connection_pool;
};

// A place in the pool, held by one operation: whatever happens (success, error, cancellation
// unwinding the coroutine), the connection goes back, kept for reuse only when `reusable`.
struct pool_lease {
    pool_lease(connection_pool& p, std::unique_ptr<connection> c) : pool(p), conn(std::move(c)) {}
    connection_pool& pool;
    std::unique_ptr<connection> conn;
    bool reusable = false;
    pool_lease(const pool_lease&) = delete;
    pool_lease& operator=(const pool_lease&) = delete;
    ~pool_lease() { pool.release(std::move(conn), reusable); }
};

// Where an operation's time went and which connection it used, for the observer. The clock is
// read only when there is an observer (`mark()` is then the zero time point): an operation would
// otherwise read it eight times for nobody. Each phase is measured as `since = mark()`, the
// phase, then the phase's own call with `since`.
struct operation_timing {
    using clock = std::chrono::steady_clock;
    explicit operation_timing(bool observed) : observed(observed) {}
    clock::time_point mark() const noexcept { return observed ? clock::now() : clock::time_point{}; }

    void waited(clock::time_point since) noexcept { waiting = mark() - since; }
    // A connection was opened: TCP (and a proxy's tunnel) until `connected` (zero when it never
    // connected), the TLS handshake after it.
    void opened(clock::time_point since, clock::time_point connected) noexcept {
        const auto now = mark();
        if (observed && connected != clock::time_point{}) {
            connecting += connected - since;
            handshake += now - connected;
        } else {
            connecting += now - since;  // zero unless observed
        }
    }
    void exchanged(clock::time_point since) noexcept { exchange += mark() - since; }
    void waited_to_retry(clock::time_point since) noexcept { retry_waiting += mark() - since; }

    bool observed;
    clock::time_point start = mark();
    clock::duration waiting{}, connecting{}, handshake{}, exchange{}, retry_waiting{};
    connection_use connection = connection_use::none;
    bool resent = false;
    std::uint8_t attempts = 1;  // retry_policy::max_attempts is at most 10
};

// One operation in flight, touched only on its executor: with thread_safe, the client's
// executor taking the operation's lock for each step; else the client's executor (which the
// caller promises is single-threaded). Its deadline is an entry in the client's deadline_queue.
struct operation_state final : deadline_queue::entry, std::enable_shared_from_this<operation_state> {
    operation_state(const asio::any_io_executor& client_executor, bool thread_safe, prepared_call& call,
                    std::shared_ptr<deadline_queue> q, bool observed, std::chrono::milliseconds timeout)
        : timeout(timeout),
          lock(thread_safe ? new operation_lock : nullptr),
          executor(executor_for(client_executor, lock)),
          deadlines(std::move(q)),
          caller(call.caller),
          request_secrets(std::move(call.secrets)),
          method(call.method),
          path(call.path),
          timing(observed),
          outcome(boost::json::storage_ptr(&json_memory)) {}
    ~operation_state() { deadlines->remove(*this); }  // normally done already by stop()
    operation_state(const operation_state&) = delete;
    operation_state& operator=(const operation_state&) = delete;

    // The deadline passed (called under the queue's lock).
    void expire() override {
        if (auto self = weak_from_this().lock()) cancel_soon(std::move(self), true);
    }

    // The operation has its result: a late cancellation or deadline finds it done, its deadline
    // leaves the queue (`check`: who looks at the queue's timer next) and its lock is released,
    // so that what runs next (the observer, the handler) may block or start operations freely.
    void stop(deadline_queue::idle_check check) {
        done = true;
        deadlines->remove(*this, check);
        if (lock) release_operation_lock(*lock);
    }

    // Where the operation's steps run.
    static asio::any_io_executor executor_for(const asio::any_io_executor& client_executor,
                                              const boost::intrusive_ptr<operation_lock>& lock) {
        if (!lock) return client_executor;
        // On an io_context (the usual case) its executor is wrapped directly, not through a
        // second any_io_executor: one type erasure per step instead of two, and a copy of it
        // fits in any_io_executor's own storage.
        if (const auto* io = client_executor.target<asio::io_context::executor_type>())
            return operation_executor<asio::io_context::executor_type>(*io, lock);
        return operation_executor<asio::any_io_executor>(client_executor, lock);
    }

    // Cancels `self` on its own executor, unless it finished first; the deadline's cancellation
    // marks the operation timed out.
    static void cancel_soon(std::shared_ptr<operation_state> self, bool by_deadline) {
        auto& ex = self->executor;
        asio::post(ex, [self = std::move(self), by_deadline] {
            if (self->done) return;
            if (by_deadline) self->timed_out = true;
            self->cancel.emit(asio::cancellation_type::terminal);
        });
    }

    std::chrono::milliseconds timeout;          // the deadline is this long after the start
    boost::intrusive_ptr<operation_lock> lock;  // thread_safe: each step runs under it; else null
    asio::any_io_executor executor;
    std::shared_ptr<deadline_queue> deadlines;
    asio::cancellation_signal cancel;  // drives the coroutine's cancellation state
    bool timed_out = false;
    bool done = false;
    std::shared_ptr<const caller_identity> caller;  // whose token to redact
    std::string request_secrets;                    // the request's secret fields (prepared_call::secrets)
    http_method method;
    std::string_view path;  // static storage (the endpoint table)
    operation_timing timing;
    // The response's JSON lives here until the handler has decoded it: an envelope (about 250
    // bytes as a json::value) fits in the buffer, so parsing allocates nothing; a larger body
    // takes more from the heap. The decoded response never refers to it (decoding copies into
    // default storage). The size keeps make_shared's block (state and 16-byte control block)
    // within 1,032 bytes on x86-64 with glibc, the largest its per-thread cache serves: with 512
    // it was 1,048, and each operation's allocation took the bins' path, which first merges the
    // fast bins (cachegrind at 64 in flight: about 1,000 instructions and 30 first-level cache
    // misses per request more).
    std::array<unsigned char, 416> json_buffer;
    boost::json::monotonic_resource json_memory{json_buffer.data(), json_buffer.size()};
    call_outcome outcome;  // run_call's result, handed to the completion handler in place
};

#if defined(__GLIBC__) && defined(__x86_64__)
// See json_buffer: make_shared's block (the state and a 16-byte control block) must stay within
// the largest size glibc's per-thread cache serves, or every operation pays the bins' path.
static_assert(sizeof(operation_state) + 16 <= 1032,
              "operation_state outgrew glibc's per-thread cache: shrink json_buffer");
#endif

// The observer's view of a finished operation, as its handler receives it.
inline operation_record make_record(const operation_state& s, const error_code& ec, const response_envelope& envelope,
                                    const diagnostics& diag) {
    using std::chrono::duration_cast;
    using us = std::chrono::microseconds;
    operation_record r;
    r.method = method_name(s.method);
    r.path = s.path;
    r.ec = ec;
    r.http_status = diag.http_status;
    r.status_code = envelope.status_code;
    r.api_code = envelope.api_code;
    if (envelope.request_id) r.request_id = *envelope.request_id;
    r.connection = s.timing.connection;
    r.resent = s.timing.resent;
    r.attempts = s.timing.attempts;
    r.retry_after = diag.retry_after;
    r.total = duration_cast<us>(operation_timing::clock::now() - s.timing.start);
    r.waiting_for_connection = duration_cast<us>(s.timing.waiting);
    r.connecting = duration_cast<us>(s.timing.connecting);
    r.tls_handshake = duration_cast<us>(s.timing.handshake);
    r.exchange = duration_cast<us>(s.timing.exchange);
    r.retry_waiting = duration_cast<us>(s.timing.retry_waiting);
    return r;
}

}  // namespace genauth::detail

#endif
