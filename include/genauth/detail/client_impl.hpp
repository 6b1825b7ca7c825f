#ifndef GENAUTH_DETAIL_CLIENT_IMPL_HPP
#define GENAUTH_DETAIL_CLIENT_IMPL_HPP

#include <genauth/client_options.hpp>
#include <genauth/detail/config.hpp>
#include <genauth/detail/connection_pool.hpp>
#include <genauth/detail/protocol/request.hpp>
#include <genauth/detail/protocol/response.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace boost::asio::ssl {
class context;
}

namespace genauth::detail {

class connection;         // one keep-alive HTTP/1.1 connection, TLS or plain (transport/connection.hpp)
class tls_session_cache;  // the last resumable TLS session (transport/connection.hpp)

using call_handler = boost::asio::any_completion_handler<void(error_code, call_outcome)>;

/// The client's shared state: settings, TLS context, the connection pool. Shared by the
/// public client and every operation in flight, so the client may be destroyed while operations
/// run. Not a template: its bodies are compiled once (client_impl.ipp).
class client_impl : public std::enable_shared_from_this<client_impl> {
public:
    /// `external_tls` may be null: a context is then made from `opts.tls`.
    GENAUTH_DECL client_impl(boost::asio::any_io_executor ex, boost::asio::ssl::context* external_tls,
                             client_options opts);
    GENAUTH_DECL ~client_impl();
    client_impl(const client_impl&) = delete;
    client_impl& operator=(const client_impl&) = delete;

    /// Runs one call: see authentication_client for the contract. Completes `handler` exactly
    /// once, never inline, through its associated executor. `call.caller` null: the client's
    /// own identity (client_options::access_token and lang).
    GENAUTH_DECL void async_call(prepared_call call, call_handler handler);

    /// The identity of a per-user handle: `user`, with the client's lang unless it has its own.
    GENAUTH_DECL std::shared_ptr<const caller_identity> make_identity(user_context user) const;

    const boost::asio::any_io_executor& get_executor() const noexcept { return executor_; }

    /// TCP connections opened so far (each new connection counts once; reuse does not).
    std::size_t connections_opened() const noexcept { return connections_opened_.load(); }
    /// TLS handshakes that resumed an earlier session.
    std::size_t tls_sessions_resumed() const noexcept { return tls_sessions_resumed_.load(); }
    /// Every counter, read one after another.
    GENAUTH_DECL client_statistics statistics() const;
    /// Counts a finished operation by its outcome.
    GENAUTH_DECL void count_outcome(const error_code& ec) const noexcept;
    void count_resend() noexcept { ++resends_; }

    // Used by the operation (impl/client_impl.ipp).
    GENAUTH_DECL std::unique_ptr<connection> new_connection();
    connection_pool& pool() noexcept { return pool_; }
    tls_session_cache& sessions() noexcept { return *sessions_; }
    void count_resumption() noexcept { ++tls_sessions_resumed_; }

    const request_settings& settings() const noexcept { return settings_; }
    const client_options& options() const noexcept { return options_; }
    const error_code& setup_error() const noexcept { return setup_error_; }
    const std::string& setup_detail() const noexcept { return setup_detail_; }
    bool verify_peer() const noexcept { return !options_.tls.insecure_skip_verification; }

    /// Removes `caller`'s access token from everything a failure reports (a hostile or broken
    /// server may echo the Authorization header back).
    GENAUTH_DECL static void redact_secret(response_envelope& envelope, const caller_identity& caller);

private:
    boost::asio::any_io_executor executor_;
    client_options options_;
    request_settings settings_;
    error_code setup_error_;  // an invalid option: every call fails with it before any I/O
    std::string setup_detail_;
    std::shared_ptr<const caller_identity> own_identity_;    // client_options::access_token and lang
    std::shared_ptr<boost::asio::ssl::context> shared_tls_;  // from shared_tls_context(), or null
    boost::asio::ssl::context* tls_ = nullptr;
    connection_pool pool_;
    std::unique_ptr<tls_session_cache> sessions_;
    std::atomic<std::size_t> connections_opened_{0};
    std::atomic<std::size_t> tls_sessions_resumed_{0};
    // Counted as operations finish (by call_completion, which holds the client as const).
    mutable std::atomic<std::uint64_t> succeeded_{0}, input_errors_{0}, api_errors_{0}, transport_errors_{0},
        protocol_errors_{0}, cancelled_{0}, resends_{0};
};

}  // namespace genauth::detail

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/detail/impl/client_impl.ipp>
#include <genauth/detail/impl/connection_pool.ipp>
#endif

#endif
