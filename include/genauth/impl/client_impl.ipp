#ifndef GENAUTH_IMPL_CLIENT_IMPL_IPP
#define GENAUTH_IMPL_CLIENT_IMPL_IPP

#include <genauth/detail/client_impl.hpp>
#include <genauth/impl/io/connection_pool.hpp>
#include <genauth/impl/io/deadline_queue.hpp>
#include <genauth/impl/io/operation_executor.hpp>
#include <genauth/impl/policy/policy.hpp>
#include <genauth/impl/sansio/sanitize.hpp>
#include <genauth/impl/io/connection.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/monotonic_resource.hpp>

#include <array>

namespace genauth::detail {

GENAUTH_DECL client_impl::client_impl(asio::any_io_executor ex, asio::ssl::context* external_tls, client_options opts)
    : executor_(std::move(ex)),
      options_(std::move(opts)),
      pool_(std::make_unique<connection_pool>(options_.max_connections, options_.idle_timeout)),
      sessions_(std::make_unique<tls_session_cache>()),
      deadlines_(std::make_shared<deadline_queue>(executor_)) {
    setup_error_ = make_request_settings(options_, settings_, setup_detail_);
    own_identity_ =
        std::make_shared<const caller_identity>(make_caller_identity({options_.access_token, {}, options_.lang}));
    options_.access_token.clear();  // one copy of the secret is enough: own_identity_
    if (setup_error_ || !settings_.address.tls) return;
    if (external_tls != nullptr) {
        if (!options_.tls.extra_ca_file.empty() || !options_.tls.extra_ca_pem.empty()) {
            setup_error_ = errc::invalid_option;
            setup_detail_ =
                "tls.extra_ca_* cannot be combined with a caller's ssl::context: add the CA to that context";
            return;
        }
        // Narrows the OpenSSL race that prepare_trust_store explains; handshakes already running
        // on the caller's context elsewhere are the caller's to order.
        prepare_trust_store(external_tls->native_handle());
        tls_ = external_tls;
    } else {
        shared_tls_ = shared_tls_context(options_.tls, setup_error_, setup_detail_);
        tls_ = shared_tls_.get();
    }
}

GENAUTH_DECL std::shared_ptr<const caller_identity> client_impl::make_identity(user_context user) const {
    if (!user.lang) user.lang = options_.lang;
    return std::make_shared<const caller_identity>(make_caller_identity(user));
}

GENAUTH_DECL client_impl::~client_impl() = default;

// The pool of this client's connections.
class connection_pool : public basic_connection_pool<connection> {
public:
    using basic_connection_pool::basic_connection_pool;
};

GENAUTH_DECL client_statistics client_impl::statistics() const {
    client_statistics s;
    s.operations_succeeded = succeeded_.load();
    s.input_errors = input_errors_.load();
    s.api_errors = api_errors_.load();
    s.transport_errors = transport_errors_.load();
    s.protocol_errors = protocol_errors_.load();
    s.cancelled = cancelled_.load();
    s.connections_opened = connections_opened_.load();
    s.tls_sessions_resumed = tls_sessions_resumed_.load();
    s.resends = resends_.load();
    s.open_connections = pool_->open_count();
    s.waiting_operations = pool_->waiting_count();
    return s;
}

GENAUTH_DECL void client_impl::close_idle_connections() { pool_->close_idle(); }

GENAUTH_DECL std::unique_ptr<connection> client_impl::new_connection() {
    ++connections_opened_;
    return std::make_unique<connection>(executor_, settings_.address.tls ? tls_ : nullptr);
}

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
// read only when there is an observer (`now()` is then the zero time point): an operation would
// otherwise read it eight times for nobody.
struct operation_timing {
    using clock = std::chrono::steady_clock;
    explicit operation_timing(bool observed) : observed(observed) {}
    clock::time_point now() const noexcept { return observed ? clock::now() : clock::time_point{}; }
    bool observed;
    clock::time_point start = now();
    clock::duration waiting{}, connecting{}, handshake{}, exchange{};
    connection_use connection = connection_use::none;
    bool resent = false;
};

// One operation in flight, touched only on its executor: with thread_safe, the client's
// executor taking the operation's lock for each step; else the client's executor (which the
// caller promises is single-threaded). Its deadline is an entry in the client's deadline_queue.
struct operation_state final : deadline_queue::entry, std::enable_shared_from_this<operation_state> {
    operation_state(const asio::any_io_executor& client_executor, bool thread_safe, prepared_call& call,
                    std::shared_ptr<deadline_queue> q, bool observed)
        : lock(thread_safe ? new operation_lock : nullptr),
          executor(executor_for(client_executor, lock)),
          deadlines(std::move(q)),
          caller(call.caller),
          request_secrets(std::move(call.secrets)),
          method(call.method),
          path(call.path),
          timing(observed),
          outcome(boost::json::storage_ptr(&json_memory)) {}
    ~operation_state() { deadlines->remove(*this); }  // normally done already by finish_call
    operation_state(const operation_state&) = delete;
    operation_state& operator=(const operation_state&) = delete;

    // The deadline passed (called under the queue's lock).
    void expire() override {
        if (auto self = weak_from_this().lock()) cancel_soon(std::move(self), true);
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

    boost::intrusive_ptr<operation_lock> lock;  // thread_safe: each step runs under it; else null
    asio::any_io_executor executor;
    std::shared_ptr<deadline_queue> deadlines;
    asio::cancellation_signal cancel;  // drives the coroutine's cancellation state
    bool timed_out = false;
    bool done = false;
    std::shared_ptr<const caller_identity> caller;  // whose token to redact
    std::string request_secrets;                    // the request's secret fields (prepared_call::secrets)
    http::verb method;
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
    std::array<unsigned char, 448> json_buffer;
    boost::json::monotonic_resource json_memory{json_buffer.data(), json_buffer.size()};
    call_outcome outcome;  // run_call's result, handed to the completion handler in place
};

#if defined(__GLIBC__) && defined(__x86_64__)
// See json_buffer: make_shared's block (the state and a 16-byte control block) must stay within
// the largest size glibc's per-thread cache serves, or every operation pays the bins' path.
static_assert(sizeof(operation_state) + 16 <= 1032,
              "operation_state outgrew glibc's per-thread cache: shrink json_buffer");
#endif

// The operation's I/O. Cancellation (the caller's or the deadline's) arrives through the
// coroutine's cancellation state: the wait or I/O in progress ends with operation_aborted and
// the connection in use is closed. `op` outlives it (the completion handler owns it).
GENAUTH_DECL asio::awaitable<void> client_impl::run_call(prepared_call call, operation_state& op) {
    auto& timing = op.timing;
    call_outcome& out = op.outcome;
    // First the client's options, then the caller's identity, then the request's own input.
    const caller_identity& caller = *call.caller;
    if (setup_error_ || caller.error || call.error) {
        out.ec = setup_error_ ? setup_error_ : caller.error ? caller.error : call.error;
        out.diag.detail = setup_error_ ? setup_detail_ : caller.error ? caller.detail : call.detail;
        co_return;
    }
    std::string request;
    if (auto ec = build_http_request(settings_, caller, call, request, out.diag.detail)) {
        out.ec = ec;
        co_return;
    }
    auto phase_start = timing.now();
    // A free connection at once (no coroutine), else a place in the queue.
    auto free_now = pool_->try_acquire();
    if (!free_now) free_now = co_await pool_->acquire();
    auto& granted = *free_now;
    timing.waiting = timing.now() - phase_start;
    if (granted.ec) {
        out.ec = granted.ec;
        co_return;
    }
    pool_lease lease{*pool_, std::move(granted.conn)};
    if (granted.reused) timing.connection = connection_use::reused;
    for (;;) {
        if (!lease.conn) {
            lease.conn = new_connection();
            phase_start = timing.now();
            const auto ec =
                co_await lease.conn->open(settings_.address, settings_.proxy ? &*settings_.proxy : nullptr,
                                          !options_.tls.insecure_skip_verification, *sessions_, out.diag.detail);
            const auto connected = lease.conn->connected_at();
            if (timing.observed && connected != operation_timing::clock::time_point{}) {
                timing.connecting += connected - phase_start;
                timing.handshake += timing.now() - connected;
            } else {
                timing.connecting += timing.now() - phase_start;  // zero unless observed
            }
            if (ec) {
                out.ec = ec;
                out.diag.http_status = lease.conn->proxy_status();  // the proxy's refusal, if it answered
                co_return;
            }
            const bool resumed = lease.conn->resumed_session();
            timing.connection = resumed ? connection_use::resumed : connection_use::new_connection;
            if (resumed) ++tls_sessions_resumed_;
        }
        phase_start = timing.now();
        auto exchanged = co_await lease.conn->exchange(request, options_.max_response_body);
        timing.exchange += timing.now() - phase_start;
        if (exchanged.ec) {
            // Once more on a fresh connection, keeping this operation's place in the pool, only
            // where should_resend says the server cannot have acted on the request or it is a GET.
            if (should_resend(
                    {call.method, timing.resent, exchanged.nothing_written, exchanged.received_any, exchanged.ec})) {
                timing.resent = true;
                ++resends_;
                lease.conn.reset();
                continue;
            }
            out.ec = exchanged.ec;
            out.diag.detail = std::move(exchanged.detail);
            if (exchanged.status != 0) out.diag.http_status = exchanged.status;
            co_return;
        }
        lease.conn->remember_session(*sessions_);
        out = interpret_response(exchanged.status, exchanged.content_type, exchanged.location, exchanged.body,
                                 call.enveloped, out.body.storage(), secrets_of(op));
        // After an answer we could not understand (a 204, an HTML page, broken JSON) the stream's
        // state is suspect: its body may still be on the way. API errors are ordinary answers.
        lease.reusable = exchanged.keep_alive && out.ec != condition::protocol_error;
        co_return;
    }
}

// The observer's view of a finished operation, as its handler receives it.
inline operation_record make_record(const operation_state& s, const error_code& ec, const response_envelope& envelope,
                                    const diagnostics& diag) {
    using std::chrono::duration_cast;
    using us = std::chrono::microseconds;
    operation_record r;
    r.method = http::to_string(s.method);
    r.path = s.path;
    r.ec = ec;
    r.http_status = diag.http_status;
    r.status_code = envelope.status_code;
    r.api_code = envelope.api_code;
    if (envelope.request_id) r.request_id = *envelope.request_id;
    r.connection = s.timing.connection;
    r.resent = s.timing.resent;
    r.total = duration_cast<us>(operation_timing::clock::now() - s.timing.start);
    r.waiting_for_connection = duration_cast<us>(s.timing.waiting);
    r.connecting = duration_cast<us>(s.timing.connecting);
    r.tls_handshake = duration_cast<us>(s.timing.handshake);
    r.exchange = duration_cast<us>(s.timing.exchange);
    return r;
}

GENAUTH_DECL call_secrets client_impl::secrets_of(const operation_state& op) const noexcept {
    return {op.caller->token(), op.request_secrets, settings_.proxy ? std::string_view(settings_.proxy->secrets) : ""};
}

GENAUTH_DECL call_outcome& finished_call::outcome() const noexcept { return op_->outcome; }

GENAUTH_DECL void finished_call::report(const error_code& ec, response_envelope& envelope, diagnostics& diag) {
    const auto client = std::move(client_);
    const auto op = std::move(op_);
    redact_texts(envelope, diag, client->secrets_of(*op));
    switch (classify_outcome(ec)) {
        case outcome_class::succeeded:
            ++client->succeeded_;
            break;
        case outcome_class::input_error:
            ++client->input_errors_;
            break;
        case outcome_class::api_error:
            ++client->api_errors_;
            break;
        case outcome_class::protocol_error:
            ++client->protocol_errors_;
            break;
        case outcome_class::cancelled:
            ++client->cancelled_;
            break;
        case outcome_class::transport_error:
            ++client->transport_errors_;
            break;
    }
    if (client->options_.observer) {
        try {
            client->options_.observer(make_record(*op, ec, envelope, diag));
        } catch (...) {  // NOLINT(bugprone-empty-catch): an observer's failure must not change the outcome
        }
    }
}

// What initiate_call makes of the usual handler executor (an io_context's): it tracks work.
using tracked_io_executor = std::decay_t<decltype(asio::prefer(std::declval<asio::io_context::executor_type>(),
                                                               asio::execution::outstanding_work.tracked))>;

GENAUTH_DECL void client_impl::finish_call(std::shared_ptr<client_impl> self, std::exception_ptr thrown,
                                           std::shared_ptr<operation_state> op_ptr, call_handler handler,
                                           const asio::any_io_executor& handler_executor) {
    auto& op = *op_ptr;
    auto& out = op.outcome;
    op.done = true;
    // The usual handler runs right here, at the end (below): an io_context's executor, on one of
    // its threads. The queue is then looked at once that handler is done (it has usually started
    // the next operation), not by a check queued for later.
    const auto* inline_executor = handler_executor.target<tracked_io_executor>();
    if (inline_executor != nullptr && !inline_executor->running_in_this_thread()) inline_executor = nullptr;
    auto& deadlines = *self->deadlines_;  // the client outlives this call: call_completion holds it
    deadlines.remove(
        op, inline_executor != nullptr ? deadline_queue::idle_check::by_caller : deadline_queue::idle_check::posted);
    // From here on nothing else touches the operation (a late cancellation sees `done`): the
    // observer and the handler run without its lock, so they may block or start operations
    // freely.
    if (op.lock) release_operation_lock(*op.lock);
    auto caller_slot = asio::get_associated_cancellation_slot(handler);
    if (caller_slot.is_connected()) caller_slot.clear();
    settle_error(out.ec, out.diag.detail, thrown, op.timed_out, self->options_.timeout);
    const error_code ec = out.ec;
    auto complete = [handler = std::move(handler), ec,
                     finished = finished_call(std::move(self), std::move(op_ptr))]() mutable {
        std::move(handler)(ec, std::move(finished));
    };
    if (inline_executor != nullptr) {
        // What dispatch does on this thread, without first wrapping the function for the
        // type-erased executor (an allocation and an indirect call).
        struct idle_check_after {
            deadline_queue& queue;
            ~idle_check_after() { queue.cancel_if_idle(); }
        } check{deadlines};
        asio::dispatch(*inline_executor, std::move(complete));
        return;
    }
    // Another executor, or not on this thread: runs at once when this thread may run it there,
    // else is queued; Asio adds no type-erased work tracking for it.
    asio::dispatch(handler_executor, std::move(complete));
}

// co_spawn's completion handler: hands the raw result to finish_call, on the operation's
// executor, with the operation's cancellation slot.
class call_completion {
public:
    call_completion(std::shared_ptr<client_impl> client, std::shared_ptr<operation_state> op, call_handler handler,
                    asio::any_io_executor handler_executor)
        : client_(std::move(client)),
          op_(std::move(op)),
          handler_(std::move(handler)),
          handler_executor_(std::move(handler_executor)) {}

    using cancellation_slot_type = asio::cancellation_slot;
    cancellation_slot_type get_cancellation_slot() const noexcept { return op_->cancel.slot(); }
    using executor_type = asio::any_io_executor;
    executor_type get_executor() const noexcept { return op_->executor; }

    void operator()(std::exception_ptr thrown) {
        client_impl::finish_call(client_, std::move(thrown), std::move(op_), std::move(handler_), handler_executor_);
    }

private:
    std::shared_ptr<client_impl> client_;  // keeps the client (and run_call's `this`) alive
    std::shared_ptr<operation_state> op_;
    call_handler handler_;
    asio::any_io_executor handler_executor_;
};

GENAUTH_DECL void client_impl::async_call(prepared_call call, call_handler handler,
                                          asio::any_io_executor handler_executor) {
    if (!call.caller) call.caller = own_identity_;
    auto op = std::make_shared<operation_state>(executor_, options_.thread_safe, call, deadlines_,
                                                static_cast<bool>(options_.observer));

    // The caller's terminal cancellation, forwarded to the executor that owns the operation.
    auto caller_slot = asio::get_associated_cancellation_slot(handler);
    if (caller_slot.is_connected()) {
        caller_slot.assign([weak = std::weak_ptr<operation_state>(op)](asio::cancellation_type type) {
            if ((type & asio::cancellation_type::terminal) == asio::cancellation_type::none) return;
            if (auto s = weak.lock()) operation_state::cancel_soon(std::move(s), false);
        });
    }

    // One deadline for the whole operation.
    deadlines_->add(*op, deadline_queue::clock::now() + options_.timeout);

    auto& state = *op;
    asio::co_spawn(state.executor, run_call(std::move(call), state),
                   call_completion(shared_from_this(), std::move(op), std::move(handler), std::move(handler_executor)));
}

}  // namespace genauth::detail

#endif
