#ifndef GENAUTH_AUTHENTICATION_CLIENT_HPP
#define GENAUTH_AUTHENTICATION_CLIENT_HPP

#include <genauth/client_options.hpp>
#include <genauth/detail/client_impl.hpp>
#include <genauth/detail/handler_wrapper.hpp>
#include <genauth/dto/enroll_factor.hpp>
#include <genauth/error.hpp>
#include <genauth/with_diagnostics.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <memory>
#include <type_traits>
#include <utility>

namespace genauth {
namespace detail {

// Decodes the endpoint's Response from the untyped outcome, then completes the caller's handler.
template <class Response>
struct decode_then_complete {
    template <class Handler>
    static void complete(Handler&& handler, error_code ec, call_outcome&& outcome) {
        outcome.ec = ec;
        auto [final_ec, response] = decode_response<Response>(std::move(outcome));
        std::move(handler)(final_ec, std::move(response));
    }
};

template <class Response>
struct initiate_call {
    template <class Handler>
    void operator()(Handler&& handler, std::shared_ptr<client_impl> impl, prepared_call call) const {
        // The one type erasure: everything below is compiled once, whatever the token.
        call_handler erased(
            wrapped_handler<std::decay_t<Handler>, decode_then_complete<Response>>(std::forward<Handler>(handler)));
        impl->async_call(std::move(call), std::move(erased));
    }
};

// Tokens whose failure is an exception get `with_diagnostics`, so the exception is a
// genauth::api_error carrying statusCode, apiCode, message and requestId, not a bare system_error.
template <class Token>
struct throws_on_error : std::false_type {};
template <class Executor>
struct throws_on_error<boost::asio::use_awaitable_t<Executor>> : std::true_type {};
template <class Allocator>
struct throws_on_error<boost::asio::use_future_t<Allocator>> : std::true_type {};

template <class Response, class Token>
auto async_call(std::shared_ptr<client_impl> impl, prepared_call call, Token&& token) {
    using signature = void(error_code, Response);
    if constexpr (throws_on_error<std::decay_t<Token>>::value) {
        auto adapted = with_diagnostics(std::forward<Token>(token));
        return boost::asio::async_initiate<decltype(adapted), signature>(initiate_call<Response>{}, adapted,
                                                                         std::move(impl), std::move(call));
    } else {
        return boost::asio::async_initiate<Token, signature>(initiate_call<Response>{}, token, std::move(impl),
                                                             std::move(call));
    }
}

}  // namespace detail

/// A client of the GenAuth V3 Authentication API, acting for one user (one access token).
///
/// Thread safety: distinct objects are safe; one object may start operations from several
/// threads at once (its shared state is locked), and any number of operations may be in flight.
/// Each operation runs on its own strand of the client's executor.
///
/// Connections: HTTP/1.1 keep-alive; consecutive operations reuse one TLS connection, and
/// concurrent operations open extra connections (up to `max_idle_connections` are kept idle).
/// An idle connection that the server closed is detected before use, and if the server closed it
/// just as the request went out (no byte of a response received) the request is sent once more
/// on a new connection; never otherwise.
class authentication_client {
public:
    using executor_type = boost::asio::any_io_executor;

    /// A client whose TLS context is made from `opts.tls`. Never throws for invalid options: they
    /// are reported by every operation as an input error, before any I/O.
    authentication_client(executor_type ex, client_options opts)
        : impl_(std::make_shared<detail::client_impl>(std::move(ex), nullptr, std::move(opts))) {}

    /// A client that uses the caller's TLS context, which must outlive the client and every
    /// operation. Peer and host-name verification are still set on each connection unless
    /// `opts.tls.insecure_skip_verification`; `opts.tls.extra_ca_*` must be empty (configure the
    /// context instead).
    authentication_client(executor_type ex, boost::asio::ssl::context& tls, client_options opts)
        : impl_(std::make_shared<detail::client_impl>(std::move(ex), &tls, std::move(opts))) {}

    /// Convenience: a client on `ctx.get_executor()` (for example an `io_context`).
    template <class ExecutionContext>
    requires std::is_convertible_v<ExecutionContext&, boost::asio::execution_context&> authentication_client(
        ExecutionContext& ctx, client_options opts)
        : authentication_client(executor_type(ctx.get_executor()), std::move(opts)) {}

    /// Convenience: a client on `ctx.get_executor()` with the caller's TLS context.
    template <class ExecutionContext>
    requires std::is_convertible_v<ExecutionContext&, boost::asio::execution_context&> authentication_client(
        ExecutionContext& ctx, boost::asio::ssl::context& tls, client_options opts)
        : authentication_client(executor_type(ctx.get_executor()), tls, std::move(opts)) {}

    executor_type get_executor() const noexcept { return impl_->get_executor(); }

    /// TCP connections this client has opened so far (for tests and monitoring).
    std::size_t connections_opened() const noexcept { return impl_->connections_opened(); }

    /// Binds an MFA factor: POST /api/v3/enroll-factor (the seed's AuthenticationClient.enroll_factor).
    ///
    /// @par Handler signature
    /// `void(genauth::error_code, genauth::enroll_factor_response)`. On failure the response still
    /// carries what the server said (statusCode, apiCode, message, requestId, HTTP status, a body
    /// excerpt) and the library's `detail`. With the default token, `use_awaitable` and
    /// `use_future`, a failure is thrown as `genauth::api_error`, which carries the same.
    ///
    /// @par Errors
    /// - before any I/O (compare equal to `std::errc::invalid_argument`): `errc::missing_enrollment_token`,
    ///   `missing_pass_code` (SMS/EMAIL/OTP), `missing_photo` (FACE), `invalid_factor_type`, and
    ///   the client's own option errors (`invalid_app_host`, `invalid_header_value`, ...);
    /// - `api_category()` with the value of statusCode when GenAuth answers statusCode != 200;
    /// - `errc::timeout`, `resolve_failed`, `connect_failed`, `tls_certificate_rejected`,
    ///   `tls_handshake_failed`, `connection_reset`, `connection_closed`;
    /// - `errc::malformed_http`, `response_too_large`, `redirect_refused`, `non_json_response`,
    ///   `malformed_json`, `invalid_envelope`, `missing_field`, `wrong_field_type`, `http_status_error`;
    /// - `boost::asio::error::operation_aborted` when the caller cancelled.
    ///
    /// @par Executor
    /// The handler runs through its associated executor (the client's executor by default), never
    /// inside this call.
    ///
    /// @par Cancellation
    /// Per-operation cancellation of type `terminal` is honoured (partial and total are not: the
    /// request cannot be taken back once sent). The connection in use is then closed. The request
    /// may already have reached GenAuth: a factor may be bound even though the operation reports
    /// `operation_aborted`. A response that was complete when the cancellation arrived is reported
    /// as it is.
    ///
    /// @par Lifetimes
    /// `request` is copied (serialised) before this function returns; the client may be destroyed
    /// while the operation runs.
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, enroll_factor_response))
                  CompletionToken = default_completion_token_t>
    auto async_enroll_factor(const enroll_factor_request& request, CompletionToken&& token = {}) {
        return detail::async_call<enroll_factor_response>(
            impl_, detail::prepare_json_call(detail::enroll_factor_endpoint, request),
            std::forward<CompletionToken>(token));
    }

private:
    std::shared_ptr<detail::client_impl> impl_;
};

}  // namespace genauth

#endif
