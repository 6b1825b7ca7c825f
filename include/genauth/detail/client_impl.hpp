#ifndef GENAUTH_DETAIL_CLIENT_IMPL_HPP
#define GENAUTH_DETAIL_CLIENT_IMPL_HPP

#include <genauth/client_options.hpp>
#include <genauth/detail/config.hpp>
#include <genauth/detail/sansio/request.hpp>
#include <genauth/detail/sansio/response.hpp>
#include <genauth/observer.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace boost::asio::ssl {
class context;
}

namespace genauth::detail {

class connection;         // one keep-alive HTTP/1.1 connection, TLS or plain (impl/io/tls_context.hpp)
class connection_pool;    // basic_connection_pool<connection> (impl/io/operation.hpp)
class tls_session_cache;  // the last resumable TLS session (impl/io/tls_context.hpp)
class deadline_queue;     // the deadlines of the operations in flight (impl/io/deadline_queue.hpp)
struct operation_state;   // one operation in flight (impl/io/operation.hpp)
struct pool_lease;        // its place in the pool (impl/io/operation.hpp)
struct exchange_result;   // what one request/response exchange produced (impl/io/connection.hpp)
class call_completion;    // its co_spawn completion handler (impl/client_impl.ipp)
class retry_budget;       // how many retries the client may make (impl/policy/retry.hpp)

class client_impl;

/// How many classes an outcome is counted in (outcome_class, impl/policy/policy.hpp).
inline constexpr std::size_t outcome_classes = 6;

/// A finished operation, handed to the completion handler without a copy: its outcome lives in
/// the operation's own state, which this handle keeps alive. The handler's last step before the
/// caller's, `report`, sees the result exactly as the caller will.
class finished_call {
public:
    finished_call() = default;
    finished_call(std::shared_ptr<client_impl> client, std::shared_ptr<operation_state> op) noexcept
        : client_(std::move(client)), op_(std::move(op)) {}

    /// The untyped outcome, to decode the endpoint's response from.
    GENAUTH_DECL call_outcome& outcome() const noexcept;

    /// Called once, with what the caller's handler is about to receive: redacts the call's
    /// secrets (its token, the request's secret fields, the proxy's credentials) from every text
    /// of `envelope` and `diag`, on success and failure alike, then counts the outcome and tells
    /// the observer, so that neither can disagree with the handler. Releases the operation.
    GENAUTH_DECL void report(const error_code& ec, response_envelope& envelope, diagnostics& diag);

private:
    std::shared_ptr<client_impl> client_;
    std::shared_ptr<operation_state> op_;
};

using call_handler = boost::asio::any_completion_handler<void(error_code, finished_call)>;

/// The client's shared state: settings, TLS context, the connection pool, the counters. Shared
/// by the public client, its per-user handles and every operation in flight, so the client may
/// be destroyed while operations run. Not a template: its bodies are compiled once
/// (client_impl.ipp).
class client_impl : public std::enable_shared_from_this<client_impl> {
public:
    /// `external_tls` may be null: a context is then made from `opts.tls`.
    GENAUTH_DECL client_impl(boost::asio::any_io_executor ex, boost::asio::ssl::context* external_tls,
                             client_options opts);
    GENAUTH_DECL ~client_impl();
    client_impl(const client_impl&) = delete;
    client_impl& operator=(const client_impl&) = delete;

    /// Runs one call: see authentication_client for the contract. Completes `handler` exactly
    /// once, never inline, through `handler_executor` (its associated executor). `call.caller`
    /// null: the client's own identity (client_options::access_token and lang).
    GENAUTH_DECL void async_call(prepared_call call, call_handler handler,
                                 boost::asio::any_io_executor handler_executor);

    /// The identity of a per-user handle: `user`, with the client's lang unless it has its own.
    GENAUTH_DECL std::shared_ptr<const caller_identity> make_identity(user_context user) const;
    /// The identity of an MFA challenge handle: `mfa_token` as the bearer (missing_mfa_token when
    /// empty), `real_ip`, the client's lang.
    GENAUTH_DECL std::shared_ptr<const caller_identity> make_mfa_identity(std::string mfa_token,
                                                                          std::optional<std::string> real_ip) const;

    const boost::asio::any_io_executor& get_executor() const noexcept { return executor_; }

    /// Every counter, read one after another.
    GENAUTH_DECL client_statistics statistics() const;
    /// Closes every idle connection now.
    GENAUTH_DECL void close_idle_connections();

private:
    friend class call_completion;  // co_spawn's completion handler: calls finish_call
    friend class finished_call;    // report: counts and observes
    // The operation (impl/client_impl.ipp): run_call does the I/O and leaves the outcome in the
    // operation's state; finish_call settles it and completes the handler, whose decoding step
    // ends in finished_call::report (redaction, counters, observer).
    boost::asio::awaitable<void> run_call(prepared_call call, operation_state& op);
    // run_call's steps: the input checked and the request's bytes written (false: `out` holds
    // the input error); one attempt (a connection from the pool, the exchange, at most one
    // resend), returning whether any byte of an answer arrived; the wait before the next attempt
    // of a read, if there is to be one (plan_retry and the budget); a new connection opened on
    // `lease` (false: `op`'s outcome holds why); a complete answer read into `op`'s outcome.
    GENAUTH_DECL bool prepare_request(const prepared_call& call, std::string& request, call_outcome& out) const;
    boost::asio::awaitable<bool> run_attempt(const prepared_call& call, const std::string& request,
                                             operation_state& op);
    GENAUTH_DECL std::optional<std::chrono::milliseconds> wait_before_retry(
        const prepared_call& call, bool received_any, std::chrono::steady_clock::time_point attempt_started,
        const operation_state& op);
    GENAUTH_DECL boost::asio::awaitable<bool> open_connection(pool_lease& lease, operation_state& op);
    GENAUTH_DECL void accept_answer(pool_lease& lease, const exchange_result& exchanged, envelope_kind kind,
                                    operation_state& op);
    static void finish_call(std::shared_ptr<client_impl> self, std::exception_ptr thrown,
                            std::shared_ptr<operation_state> op, call_handler handler,
                            const boost::asio::any_io_executor& handler_executor);
    // What `op` must not show: its caller's token, its request's secret fields, the proxy's credentials.
    GENAUTH_DECL call_secrets secrets_of(const operation_state& op) const noexcept;
    // finished_call::report's steps: the statistics' counter of the outcome's class, the observer.
    GENAUTH_DECL void count_outcome(const error_code& ec) noexcept;
    GENAUTH_DECL void observe(const operation_state& op, const error_code& ec, const response_envelope& envelope,
                              const diagnostics& diag) const;

    boost::asio::any_io_executor executor_;
    client_options options_;
    request_settings settings_;
    error_code setup_error_;  // an invalid option: every call fails with it before any I/O
    std::string setup_detail_;
    std::shared_ptr<const caller_identity> own_identity_;    // client_options::access_token and lang
    std::shared_ptr<boost::asio::ssl::context> shared_tls_;  // from shared_tls_context(), or null
    boost::asio::ssl::context* tls_ = nullptr;
    std::unique_ptr<connection_pool> pool_;
    std::unique_ptr<tls_session_cache> sessions_;
    std::shared_ptr<deadline_queue> deadlines_;  // one timer for every operation's deadline
    std::unique_ptr<retry_budget> retry_budget_;
    std::atomic<std::uint64_t> connections_opened_{0}, tls_sessions_resumed_{0}, resends_{0}, retries_{0},
        retries_refused_{0};
    std::array<std::atomic<std::uint64_t>, outcome_classes> outcomes_{};  // indexed by outcome_class
};

}  // namespace genauth::detail

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/client_impl.ipp>
#endif

#endif
