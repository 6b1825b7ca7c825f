#ifndef GENAUTH_DETAIL_IMPL_CLIENT_IMPL_IPP
#define GENAUTH_DETAIL_IMPL_CLIENT_IMPL_IPP

#include <genauth/detail/client_impl.hpp>
#include <genauth/detail/protocol/resend.hpp>
#include <genauth/detail/sanitize.hpp>
#include <genauth/detail/transport/connection.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <new>

namespace genauth::detail {

GENAUTH_DECL client_impl::client_impl(asio::any_io_executor ex, asio::ssl::context* external_tls, client_options opts)
    : executor_(std::move(ex)),
      options_(std::move(opts)),
      pool_(options_.max_connections, options_.idle_timeout),
      sessions_(std::make_unique<tls_session_cache>()) {
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

GENAUTH_DECL void client_impl::redact_secret(response_envelope& e, const caller_identity& caller) {
    const std::string_view token = caller.token();
    if (token.empty()) return;
    for (std::string* text : {&e.message, &e.body_excerpt, &e.detail}) redact(*text, token);
    if (e.request_id) redact(*e.request_id, token);
}

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
    s.open_connections = pool_.open_count();
    s.waiting_operations = pool_.waiting_count();
    return s;
}

GENAUTH_DECL void client_impl::count_outcome(const error_code& ec) const noexcept {
    if (!ec)
        ++succeeded_;
    else if (ec == condition::invalid_argument)
        ++input_errors_;
    else if (ec == condition::api_error)
        ++api_errors_;
    else if (ec == condition::protocol_error)
        ++protocol_errors_;
    else if (ec == asio::error::operation_aborted)
        ++cancelled_;
    else
        ++transport_errors_;  // the transport's errors, and any exception's code
}

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

// Where an operation's time went and which connection it used, for the observer. Written by
// run_call, read by call_completion: both on the operation's executor.
struct operation_timing {
    using clock = std::chrono::steady_clock;
    clock::time_point start = clock::now();
    clock::duration waiting{}, connecting{}, handshake{}, exchange{};
    connection_use connection = connection_use::none;
    bool resent = false;
};

// The operation itself. Cancellation (the caller's or the deadline's) arrives through the
// coroutine's cancellation state: the wait or I/O in progress ends with operation_aborted and
// the connection in use is closed. `timing` outlives it (the completion handler owns it).
inline asio::awaitable<call_outcome> run_call(std::shared_ptr<client_impl> self, prepared_call call,
                                              operation_timing& timing) {
    using clock = operation_timing::clock;
    call_outcome out;
    // First the client's options, then the caller's identity, then the request's own input.
    const caller_identity& caller = *call.caller;
    if (self->setup_error() || caller.error || call.error) {
        out.ec = self->setup_error() ? self->setup_error() : caller.error ? caller.error : call.error;
        out.envelope.detail = self->setup_error() ? self->setup_detail() : caller.error ? caller.detail : call.detail;
        co_return out;
    }
    const auto request = build_http_request(self->settings(), caller, call);
    auto phase_start = clock::now();
    auto granted = co_await self->pool().acquire();
    timing.waiting = clock::now() - phase_start;
    pool_lease lease{self->pool(), std::move(granted.conn)};
    if (granted.reused) timing.connection = connection_use::reused;
    for (;;) {
        if (!lease.conn) {
            lease.conn = self->new_connection();
            phase_start = clock::now();
            const auto ec = co_await lease.conn->open(self->settings().address, self->verify_peer(), self->sessions(),
                                                      out.envelope.detail);
            const auto connected = lease.conn->connected_at();
            if (connected != clock::time_point{}) {
                timing.connecting += connected - phase_start;
                timing.handshake += clock::now() - connected;
            } else {
                timing.connecting += clock::now() - phase_start;
            }
            if (ec) {
                out.ec = ec;
                co_return out;
            }
            const bool resumed = lease.conn->resumed_session();
            timing.connection = resumed ? connection_use::resumed : connection_use::new_connection;
            if (resumed) self->count_resumption();
        }
        phase_start = clock::now();
        auto exchanged = co_await lease.conn->exchange(request, self->options().max_response_body);
        timing.exchange += clock::now() - phase_start;
        if (exchanged.ec) {
            // Once more on a fresh connection, keeping this operation's place in the pool, only
            // where should_resend says the server cannot have acted on the request or it is a GET.
            if (should_resend(
                    {call.method, timing.resent, exchanged.nothing_written, exchanged.received_any, exchanged.ec})) {
                timing.resent = true;
                self->count_resend();
                lease.conn.reset();
                continue;
            }
            out.ec = exchanged.ec;
            out.envelope.detail = std::move(exchanged.detail);
            if (exchanged.status != 0) out.envelope.http_status = exchanged.status;
            co_return out;
        }
        lease.conn->remember_session(self->sessions());
        out = interpret_response(exchanged.status, exchanged.content_type, exchanged.location, exchanged.body,
                                 call.enveloped);
        // After an answer we could not understand (a 204, an HTML page, broken JSON) the stream's
        // state is suspect: its body may still be on the way. API errors are ordinary answers.
        lease.reusable = exchanged.keep_alive && out.ec != condition::protocol_error;
        co_return out;
    }
}

// Per-operation state, touched only on the operation's executor: a strand of its own when the
// client is thread_safe, else the client's executor (which the caller promises is single-threaded).
struct call_state {
    call_state(const asio::any_io_executor& ex, const prepared_call& call)
        : executor(ex), deadline(ex), method(call.method), path(call.path) {}
    asio::any_io_executor executor;
    asio::steady_timer deadline;
    asio::cancellation_signal cancel;  // drives the coroutine's cancellation state
    bool timed_out = false;
    bool done = false;
    http::verb method;
    std::string_view path;  // static storage (the endpoint table)
    operation_timing timing;
};

// The observer's view of a finished operation.
inline operation_record make_record(const call_state& s, const call_outcome& out) {
    using std::chrono::duration_cast;
    using us = std::chrono::microseconds;
    operation_record r;
    r.method = http::to_string(s.method);
    r.path = s.path;
    r.ec = out.ec;
    r.http_status = out.envelope.http_status;
    r.status_code = out.envelope.status_code;
    r.api_code = out.envelope.api_code;
    if (out.envelope.request_id) r.request_id = *out.envelope.request_id;
    r.connection = s.timing.connection;
    r.resent = s.timing.resent;
    r.total = duration_cast<us>(operation_timing::clock::now() - s.timing.start);
    r.waiting_for_connection = duration_cast<us>(s.timing.waiting);
    r.connecting = duration_cast<us>(s.timing.connecting);
    r.tls_handshake = duration_cast<us>(s.timing.handshake);
    r.exchange = duration_cast<us>(s.timing.exchange);
    return r;
}

// co_spawn's completion handler: maps the outcome and hands it to the caller's handler.
class call_completion {
public:
    call_completion(std::shared_ptr<const client_impl> client, std::shared_ptr<const caller_identity> caller,
                    std::shared_ptr<call_state> state, call_handler handler)
        : client_(std::move(client)),
          caller_(std::move(caller)),
          state_(std::move(state)),
          handler_(std::move(handler)) {}

    using cancellation_slot_type = asio::cancellation_slot;
    cancellation_slot_type get_cancellation_slot() const noexcept { return state_->cancel.slot(); }
    using executor_type = asio::any_io_executor;
    executor_type get_executor() const noexcept { return state_->executor; }

    void operator()(std::exception_ptr ep, call_outcome out) {
        state_->done = true;
        state_->deadline.cancel();
        auto caller_slot = asio::get_associated_cancellation_slot(handler_);
        if (caller_slot.is_connected()) caller_slot.clear();
        if (ep) {
            try {
                std::rethrow_exception(ep);
            } catch (const boost::system::system_error& e) {
                out.ec = e.code();
            } catch (const std::bad_alloc&) {
                out.ec = asio::error::no_memory;
            } catch (const std::exception& e) {
                out.ec = asio::error::fault;
                out.envelope.detail = std::string("internal error: ") + e.what();
            }
        }
        if (out.ec && state_->timed_out) {
            out.ec = errc::timeout;
            out.envelope.detail = "deadline of " + std::to_string(client_->options().timeout.count()) + " ms passed";
        }
        if (out.ec) client_impl::redact_secret(out.envelope, *caller_);
        client_->count_outcome(out.ec);
        if (const auto& observe = client_->options().observer) {
            try {
                observe(make_record(*state_, out));
            } catch (...) {  // NOLINT(bugprone-empty-catch): an observer's failure must not change the outcome
            }
        }
        auto ex = asio::get_associated_executor(handler_, client_->get_executor());
        const error_code ec = out.ec;
        asio::dispatch(ex, asio::append(std::move(handler_), ec, std::move(out)));
    }

private:
    std::shared_ptr<const client_impl> client_;
    std::shared_ptr<const caller_identity> caller_;  // whose token to redact
    std::shared_ptr<call_state> state_;
    call_handler handler_;
};

GENAUTH_DECL void client_impl::async_call(prepared_call call, call_handler handler) {
    if (!call.caller) call.caller = own_identity_;
    auto caller = call.caller;
    auto state = std::make_shared<call_state>(
        options_.thread_safe ? asio::any_io_executor(asio::make_strand(executor_)) : executor_, call);

    // The caller's terminal cancellation, forwarded to the executor that owns the operation.
    auto caller_slot = asio::get_associated_cancellation_slot(handler);
    if (caller_slot.is_connected()) {
        caller_slot.assign([weak = std::weak_ptr<call_state>(state)](asio::cancellation_type type) {
            if ((type & asio::cancellation_type::terminal) == asio::cancellation_type::none) return;
            if (auto s = weak.lock()) {
                asio::post(s->executor, [s] {
                    if (!s->done) s->cancel.emit(asio::cancellation_type::terminal);
                });
            }
        });
    }

    // One deadline for the whole operation.
    state->deadline.expires_after(options_.timeout);
    state->deadline.async_wait([state](error_code ec) {
        if (ec || state->done) return;
        state->timed_out = true;
        state->cancel.emit(asio::cancellation_type::terminal);
    });

    auto& timing = state->timing;
    asio::co_spawn(state->executor, run_call(shared_from_this(), std::move(call), timing),
                   call_completion(shared_from_this(), std::move(caller), state, std::move(handler)));
}

}  // namespace genauth::detail

#endif
