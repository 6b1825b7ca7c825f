#ifndef GENAUTH_IMPL_CLIENT_IMPL_IPP
#define GENAUTH_IMPL_CLIENT_IMPL_IPP

// The client's flow: an operation is prepared (input checked, request built), runs as one
// coroutine (run_call: attempts of a connection from the pool, opened when new, one exchange,
// resent once where the policy allows; a read tried again after a wait where the retry policy
// and budget allow), is stopped and settled (finish_call) and completes its handler, whose last
// step (finished_call::report) redacts, counts and tells the observer.

#include <genauth/detail/client_impl.hpp>
#include <genauth/impl/io/operation.hpp>
#include <genauth/impl/policy/policy.hpp>
#include <genauth/impl/policy/retry.hpp>
#include <genauth/impl/sansio/retry_after.hpp>
#include <genauth/impl/sansio/sanitize.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>

#include <random>

namespace genauth::detail {

static_assert(static_cast<std::size_t>(outcome_class::transport_error) + 1 == outcome_classes,
              "client_impl::outcomes_ counts each outcome_class");

GENAUTH_DECL client_impl::client_impl(asio::any_io_executor ex, asio::ssl::context* external_tls, client_options opts)
    : executor_(std::move(ex)),
      options_(std::move(opts)),
      pool_(std::make_unique<connection_pool>(options_.max_connections, options_.idle_timeout)),
      sessions_(std::make_unique<tls_session_cache>()),
      deadlines_(std::make_shared<deadline_queue>(executor_)),
      retry_budget_(std::make_unique<retry_budget>(options_.retry_budget, retry_budget::clock::now())) {
    setup_error_ = make_request_settings(options_, settings_, setup_detail_);
    if (!setup_error_) setup_error_ = validate_retry_policy(options_.retry, setup_detail_);
    if (!setup_error_) setup_error_ = validate_retry_budget(options_.retry_budget, setup_detail_);
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

GENAUTH_DECL std::shared_ptr<const caller_identity> client_impl::make_mfa_identity(
    std::string mfa_token, std::optional<std::string> real_ip) const {
    return std::make_shared<const caller_identity>(
        make_caller_identity({std::move(mfa_token), std::move(real_ip), options_.lang}, mfa_token_kind));
}

GENAUTH_DECL client_impl::~client_impl() = default;

GENAUTH_DECL client_statistics client_impl::statistics() const {
    const auto outcomes = [this](outcome_class c) { return outcomes_[static_cast<std::size_t>(c)].load(); };
    client_statistics s;
    s.operations_succeeded = outcomes(outcome_class::succeeded);
    s.input_errors = outcomes(outcome_class::input_error);
    s.api_errors = outcomes(outcome_class::api_error);
    s.transport_errors = outcomes(outcome_class::transport_error);
    s.protocol_errors = outcomes(outcome_class::protocol_error);
    s.cancelled = outcomes(outcome_class::cancelled);
    s.connections_opened = connections_opened_.load();
    s.tls_sessions_resumed = tls_sessions_resumed_.load();
    s.resends = resends_.load();
    s.retries = retries_.load();
    s.retries_refused_by_budget = retries_refused_.load();
    s.open_connections = pool_->open_count();
    s.waiting_operations = pool_->waiting_count();
    return s;
}

GENAUTH_DECL void client_impl::close_idle_connections() { pool_->close_idle(); }

GENAUTH_DECL bool client_impl::prepare_request(const prepared_call& call, std::string& request,
                                               call_outcome& out) const {
    // First the client's options, then the caller's identity, then the request's own input.
    const caller_identity& caller = *call.caller;
    if (setup_error_ || caller.error || call.error) {
        out.ec = setup_error_ ? setup_error_ : caller.error ? caller.error : call.error;
        out.diag.detail = setup_error_ ? setup_detail_ : caller.error ? caller.detail : call.detail;
        return false;
    }
    if (call.settings.timeout && call.settings.timeout->count() <= 0) {
        out.ec = errc::invalid_option;
        out.diag.detail = "with_timeout: the timeout must be positive";
        return false;
    }
    if (call.settings.retry) {
        out.ec = validate_retry_policy(*call.settings.retry, out.diag.detail);
        if (out.ec) return false;
    }
    out.ec = build_http_request(settings_, caller, call, request, out.diag.detail);
    return !out.ec;
}

// The operation's I/O. Cancellation (the caller's or the deadline's) arrives through the
// coroutine's cancellation state: the wait or I/O in progress ends with operation_aborted and
// the connection in use is closed. `op` outlives it (the completion handler owns it).
GENAUTH_DECL asio::awaitable<void> client_impl::run_call(prepared_call call, operation_state& op) {
    call_outcome& out = op.outcome;
    std::string request;
    if (!prepare_request(call, request, out)) co_return;
    const bool may_retry = call.effect == operation_effect::read_only;
    if (may_retry) retry_budget_->earn();
    for (;;) {
        // Only a read reads the clock: the retry plan weighs the next attempt by this one.
        const auto attempt_started = may_retry ? deadline_queue::clock::now() : deadline_queue::clock::time_point{};
        const bool received_any = co_await run_attempt(call, request, op);
        if (!out.ec || !may_retry) co_return;
        const auto wait = wait_before_retry(call, received_any, attempt_started, op);
        if (!wait) co_return;  // the last answer stands
        // The place in the pool was given back with the attempt: a waiting read holds none.
        out = call_outcome(out.body.storage());
        const auto since = op.timing.mark();
        asio::steady_timer timer(co_await asio::this_coro::executor, *wait);
        auto [wait_ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        op.timing.waited_to_retry(since);
        if (wait_ec) {  // cancelled: by the caller, or the deadline (settled as a timeout)
            out.ec = wait_ec;
            co_return;
        }
        ++op.timing.attempts;
    }
}

GENAUTH_DECL std::optional<std::chrono::milliseconds> client_impl::wait_before_retry(
    const prepared_call& call, bool received_any, std::chrono::steady_clock::time_point attempt_started,
    const operation_state& op) {
    const auto& out = op.outcome;
    retry_inputs in;
    in.effect = call.effect;
    in.policy = call.settings.retry ? *call.settings.retry : options_.retry;
    in.attempts_made = op.timing.attempts;
    in.failure = {out.ec, received_any, out.diag.http_status, out.envelope.status_code};
    in.retry_after = out.diag.retry_after;
    const auto now = deadline_queue::clock::now();
    in.remaining = op.deadline() - now;
    in.last_attempt = now - attempt_started;
    thread_local std::minstd_rand random(std::random_device{}());
    in.jitter = std::uniform_real_distribution<double>(0.0, 1.0)(random);
    const auto plan = plan_retry(in);
    if (plan.verdict != retry_verdict::retry) return std::nullopt;
    if (!retry_budget_->try_spend(now)) {
        ++retries_refused_;
        return std::nullopt;
    }
    ++retries_;
    return plan.wait;
}

// One attempt: a place in the pool, a connection (opened when new), the exchange, resent once on
// a fresh connection where should_resend allows. The place is given back when it returns.
GENAUTH_DECL asio::awaitable<bool> client_impl::run_attempt(const prepared_call& call, const std::string& request,
                                                            operation_state& op) {
    call_outcome& out = op.outcome;
    auto& timing = op.timing;
    const auto waiting_since = timing.mark();
    auto granted = pool_->try_acquire();  // a free connection at once (no coroutine), else a place in the queue
    if (!granted) granted = co_await pool_->acquire();
    timing.waited(waiting_since);
    if (granted->ec) {
        out.ec = granted->ec;
        co_return false;
    }
    pool_lease lease{*pool_, std::move(granted->conn)};
    if (granted->reused) timing.connection = connection_use::reused;
    for (bool resent = false;;) {
        if (!lease.conn && !co_await open_connection(lease, op)) co_return false;
        const auto exchange_since = timing.mark();
        auto exchanged = co_await lease.conn->exchange(request, options_.max_response_body);
        timing.exchanged(exchange_since);
        if (!exchanged.ec) {
            accept_answer(lease, exchanged, call.envelope, op);
            co_return true;
        }
        // Once more on a fresh connection, keeping this operation's place in the pool, only
        // where should_resend says the server cannot have acted on the request or it is a GET.
        if (!should_resend({call.method, resent, exchanged.nothing_written, exchanged.received_any, exchanged.ec})) {
            out.ec = exchanged.ec;
            out.diag.detail = std::move(exchanged.detail);
            if (exchanged.status != 0) out.diag.http_status = exchanged.status;
            co_return exchanged.received_any;
        }
        resent = timing.resent = true;
        ++resends_;
        lease.conn.reset();
    }
}

GENAUTH_DECL asio::awaitable<bool> client_impl::open_connection(pool_lease& lease, operation_state& op) {
    ++connections_opened_;
    lease.conn = std::make_unique<connection>(executor_, settings_.address.tls ? tls_ : nullptr);
    auto& out = op.outcome;
    const auto since = op.timing.mark();
    const auto ec = co_await lease.conn->open(settings_.address, settings_.proxy ? &*settings_.proxy : nullptr,
                                              !options_.tls.insecure_skip_verification, *sessions_, out.diag.detail);
    op.timing.opened(since, lease.conn->connected_at());
    if (ec) {
        out.ec = ec;
        out.diag.http_status = lease.conn->proxy_status();  // the proxy's refusal, if it answered
        co_return false;
    }
    const bool resumed = lease.conn->resumed_session();
    op.timing.connection = resumed ? connection_use::resumed : connection_use::new_connection;
    if (resumed) ++tls_sessions_resumed_;
    co_return true;
}

GENAUTH_DECL void client_impl::accept_answer(pool_lease& lease, const exchange_result& exchanged, envelope_kind kind,
                                             operation_state& op) {
    lease.conn->remember_session(*sessions_);
    op.outcome = interpret_response(exchanged.status, exchanged.content_type, exchanged.location, exchanged.body, kind,
                                    op.outcome.body.storage(), secrets_of(op));
    if (!exchanged.retry_after.empty())
        read_retry_after(op.outcome, exchanged.retry_after, std::chrono::system_clock::now());
    // After an answer we could not understand (a 204, an HTML page, broken JSON) the stream's
    // state is suspect: its body may still be on the way. API errors are ordinary answers.
    lease.reusable = exchanged.keep_alive && op.outcome.ec != condition::protocol_error;
}

GENAUTH_DECL call_secrets client_impl::secrets_of(const operation_state& op) const noexcept {
    return {op.caller->token(), op.request_secrets, settings_.proxy ? std::string_view(settings_.proxy->secrets) : ""};
}

GENAUTH_DECL void client_impl::count_outcome(const error_code& ec) noexcept {
    ++outcomes_[static_cast<std::size_t>(classify_outcome(ec))];
}

GENAUTH_DECL void client_impl::observe(const operation_state& op, const error_code& ec,
                                       const response_envelope& envelope, const diagnostics& diag) const {
    if (!options_.observer) return;
    try {
        options_.observer(make_record(op, ec, envelope, diag));
    } catch (...) {  // NOLINT(bugprone-empty-catch): an observer's failure must not change the outcome
    }
}

GENAUTH_DECL call_outcome& finished_call::outcome() const noexcept { return op_->outcome; }

GENAUTH_DECL void finished_call::report(const error_code& ec, response_envelope& envelope, diagnostics& diag) {
    const auto client = std::move(client_);
    const auto op = std::move(op_);
    redact_texts(envelope, diag, client->secrets_of(*op));
    client->count_outcome(ec);
    client->observe(*op, ec, envelope, diag);
}

// What initiate_call makes of the usual handler executor (an io_context's): it tracks work.
using tracked_io_executor = std::decay_t<decltype(asio::prefer(std::declval<asio::io_context::executor_type>(),
                                                               asio::execution::outstanding_work.tracked))>;

// The handler's executor when it is the usual one (an io_context's) and this thread runs it:
// the handler can then run right here. Null otherwise.
inline const tracked_io_executor* inline_executor_of(const asio::any_io_executor& handler_executor) noexcept {
    const auto* ex = handler_executor.target<tracked_io_executor>();
    return ex != nullptr && ex->running_in_this_thread() ? ex : nullptr;
}

GENAUTH_DECL void client_impl::finish_call(std::shared_ptr<client_impl> self, std::exception_ptr thrown,
                                           std::shared_ptr<operation_state> op, call_handler handler,
                                           const asio::any_io_executor& handler_executor) {
    // The usual handler runs right here, at the end: the deadline queue is then looked at once
    // that handler is done (it has usually started the next operation), not by a check queued
    // for later.
    const auto* inline_executor = inline_executor_of(handler_executor);
    op->stop(inline_executor != nullptr ? deadline_queue::idle_check::by_caller : deadline_queue::idle_check::posted);
    auto caller_slot = asio::get_associated_cancellation_slot(handler);
    if (caller_slot.is_connected()) caller_slot.clear();
    auto& out = op->outcome;
    settle_error(out.ec, out.diag.detail, thrown, op->timed_out, op->timeout);
    auto& deadlines = *self->deadlines_;  // the client outlives this call: finished_call holds it
    const error_code ec = out.ec;
    auto complete = [handler = std::move(handler), ec,
                     finished = finished_call(std::move(self), std::move(op))]() mutable {
        std::move(handler)(ec, std::move(finished));
    };
    if (inline_executor == nullptr) {
        // Another executor, or not on this thread: runs at once when this thread may run it
        // there, else is queued; Asio adds no type-erased work tracking for it.
        asio::dispatch(handler_executor, std::move(complete));
        return;
    }
    // What dispatch does on this thread, without first wrapping the function for the type-erased
    // executor (an allocation and an indirect call); then the queue's look that stop() left to us.
    struct idle_check_after {
        deadline_queue& queue;
        ~idle_check_after() { queue.cancel_if_idle(); }
    } check{deadlines};
    asio::dispatch(*inline_executor, std::move(complete));
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
    // A handle's own timeout; an invalid one fails in prepare_request, under the client's deadline.
    const auto& own_timeout = call.settings.timeout;
    const auto timeout = own_timeout && own_timeout->count() > 0 ? *own_timeout : options_.timeout;
    auto op = std::make_shared<operation_state>(executor_, options_.thread_safe, call, deadlines_,
                                                static_cast<bool>(options_.observer), timeout);

    // The caller's terminal cancellation, forwarded to the executor that owns the operation.
    auto caller_slot = asio::get_associated_cancellation_slot(handler);
    if (caller_slot.is_connected()) {
        caller_slot.assign([weak = std::weak_ptr<operation_state>(op)](asio::cancellation_type type) {
            if ((type & asio::cancellation_type::terminal) == asio::cancellation_type::none) return;
            if (auto s = weak.lock()) operation_state::cancel_soon(std::move(s), false);
        });
    }

    // One deadline for the whole operation.
    deadlines_->add(*op, deadline_queue::clock::now() + timeout);

    auto& state = *op;
    asio::co_spawn(state.executor, run_call(std::move(call), state),
                   call_completion(shared_from_this(), std::move(op), std::move(handler), std::move(handler_executor)));
}

}  // namespace genauth::detail

#endif
