#ifndef GENAUTH_AUTHENTICATION_CLIENT_HPP
#define GENAUTH_AUTHENTICATION_CLIENT_HPP

#include <genauth/client_options.hpp>
#include <genauth/detail/async_call.hpp>
#include <genauth/detail/client_impl.hpp>
#include <genauth/detail/handle_settings.hpp>
#include <genauth/dto/enroll_factor.hpp>
#include <genauth/dto/mfa_factors.hpp>
#include <genauth/dto/mfa_token.hpp>
#include <genauth/dto/send_code.hpp>
#include <genauth/error.hpp>
#include <genauth/mfa_challenge_client.hpp>
#include <genauth/with_diagnostics.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace genauth {
/// A client of the GenAuth V3 Authentication API.
///
/// Many users, one client: an application builds one client (without an access token) that owns
/// the connection pool, the TLS context and the TLS session cache, and makes a light handle per
/// end user with `with_access_token(token)` or `with_user({token, real_ip, lang})`. A handle is
/// an `authentication_client` too: same members, shares all of the above, costs no I/O, sends its
/// own user's token. A client built with `client_options::access_token` acts for that user.
///
/// Copies: a copy is the same client, not a new one. Copying a client or a handle is cheap and
/// shares the pool, the TLS state, the counters and the user's identity (that sharing is what
/// makes handles work); the shared state lives while any copy or operation uses it, so a client
/// may be destroyed while its operations run. For a separate pool, construct another client.
///
/// Thread safety: distinct objects are safe; one object may start operations from several
/// threads at once (its shared state is locked; a handle is never changed after it is made), and
/// any number of operations may be in flight. With `thread_safe` (the default) each step of an
/// operation runs under that operation's own lock, released before its handler runs: a handler
/// that blocks holds up no other operation.
///
/// Connections: a bounded pool of HTTP/1.1 keep-alive connections. Consecutive operations reuse
/// one TLS connection; concurrent operations use up to `max_connections`, and those beyond wait
/// first come, first served, each within its own deadline (cancelling a waiting operation takes
/// it out of the queue). New connections resume the last TLS session. A connection that failed
/// is closed and its place given to the next operation. An idle connection the server closed is
/// noticed before use, and if the server closed it just as the request went out (no byte of a
/// response received) the request is sent once more on a new connection; never otherwise.
class authentication_client : public detail::handle_settings<authentication_client> {
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

    /// A handle for one end user: the same client (pool, TLS context, session cache, options)
    /// sending `access_token` (and the client's `lang`). Costs no I/O: one allocation and a copy
    /// of the token. The token is checked here; a bad one fails each of the handle's calls before
    /// any I/O (`missing_access_token` when empty, `invalid_header_value` with CR/LF), and never
    /// appears in any message. Thread-safe.
    authentication_client with_access_token(std::string access_token) const {
        return with_user(user_context{std::move(access_token), std::nullopt, std::nullopt});
    }

    /// A handle for one end user with their request context: token, IP address (`x-real-ip`) and
    /// language (`x-authing-lang`, the client's `lang` when unset). Checked here; an invalid value
    /// fails each of the handle's calls before any I/O (`missing_access_token`,
    /// `invalid_header_value`, `invalid_real_ip`, `invalid_lang`). Thread-safe.
    authentication_client with_user(user_context user) const {
        return authentication_client(impl_, impl_->make_identity(std::move(user)), settings_);
    }

    /// A handle for the second factor of one sign-in: the same client sending
    /// `authorization: Bearer <mfa_token>` (the `mfaToken` GenAuth answered the sign-in with) for
    /// the challenge calls, and `real_ip` as `x-real-ip` when given. Costs no I/O; the token is
    /// treated as the access token is (never in a message or an observer record). An empty token
    /// fails each call with `missing_mfa_token`, a bad IP with `invalid_real_ip`, before any I/O.
    /// Thread-safe. See mfa_challenge_client.
    mfa_challenge_client with_mfa_token(std::string mfa_token,
                                        std::optional<std::string> real_ip = std::nullopt) const {
        return mfa_challenge_client(impl_, impl_->make_mfa_identity(std::move(mfa_token), std::move(real_ip)),
                                    settings_);
    }

    /// TCP connections this client has opened so far (for tests and monitoring).
    std::size_t connections_opened() const { return impl_->statistics().connections_opened; }
    /// TLS handshakes that resumed an earlier session (for tests and monitoring).
    std::size_t tls_sessions_resumed() const { return impl_->statistics().tls_sessions_resumed; }
    /// Connections open now (in use, idle or being opened); at most `max_connections`.
    std::size_t open_connections() const { return impl_->statistics().open_connections; }
    /// Operations waiting for a connection now.
    std::size_t waiting_operations() const { return impl_->statistics().waiting_operations; }
    /// Every counter of the client (shared by its handles), for dashboards: operations by outcome,
    /// connections opened, TLS sessions resumed, resends, open connections, waiting operations.
    client_statistics statistics() const { return impl_->statistics(); }
    /// Closes every idle connection now (they are otherwise closed when next looked at after
    /// `idle_timeout`: the client holds no timer, so `io_context::run()` returns once the
    /// operations finish).
    void close_idle_connections() { impl_->close_idle_connections(); }

#ifdef GENAUTH_DOXYGEN
    /// \brief The contract every `async_*` member follows (each member's documentation includes it).
    ///
    /// \par Handler signature
    /// `void(genauth::error_code, R)`, R the member's response type (a genauth::response_base with
    /// the endpoint's `data`). On failure R still carries what the server said (statusCode, apiCode,
    /// message, requestId) and, in `R::diag`, what the library saw (HTTP status, a sanitised body
    /// excerpt, its `detail`). With the default token, `use_awaitable` and `use_future`, a failure is
    /// thrown as genauth::error_with_diagnostics, which carries the same.
    ///
    /// \par Errors
    /// - before any I/O (all compare equal to `std::errc::invalid_argument`): the request's own
    ///   checks (named per member), the client's option errors (`missing_app_id`, `invalid_app_host`,
    ///   `invalid_header_value`, `invalid_option`, `invalid_lang`, `invalid_proxy`,
    ///   `tls_ca_load_failed`) and the handle's (`missing_access_token`, `invalid_header_value`,
    ///   `invalid_real_ip`, `invalid_lang`);
    /// - `api_category()`, value = statusCode, when GenAuth answers statusCode != 200;
    /// - transport (`condition::transport_error`): `errc::timeout`, `resolve_failed`,
    ///   `connect_failed`, `tls_certificate_rejected`, `tls_handshake_failed`, `connection_reset`,
    ///   `connection_closed`, `tls_error`, `network_error`; through a proxy, `proxy_unreachable`,
    ///   `proxy_auth_required`, `proxy_refused`, `proxy_closed`;
    /// - response (`condition::protocol_error`): `errc::malformed_http`, `response_too_large`,
    ///   `redirect_refused`, `non_json_response`, `malformed_json`, `invalid_envelope`,
    ///   `duplicate_json_key`, `missing_field`, `wrong_field_type`, `http_status_error`;
    /// - `boost::asio::error::operation_aborted` when the caller cancelled.
    ///
    /// \par Executor
    /// The handler runs through its associated executor (the client's by default), never inside
    /// the initiating call.
    ///
    /// \par Cancellation
    /// Per operation, type `terminal` (partial and total are not supported: a request cannot be
    /// taken back once sent). The connection in use is closed. The request may already have reached
    /// GenAuth: a factor may be bound or reset although the operation reports `operation_aborted`.
    /// A response complete when the cancellation arrived is reported as is.
    ///
    /// \par Thread safety and lifetimes
    /// Any thread may start operations on one client or handle at once (see the class comment).
    /// The request is copied (serialised) before the initiating call returns; the client may be
    /// destroyed while operations run.
    void async_operation_contract();
#endif

    /// Starts binding a factor: POST /api/v3/send-enroll-factor-request. GenAuth texts or emails a
    /// code (SMS, EMAIL) or returns an OTP key (OTP), and an enrollment token valid for 60 s.
    /// Input errors: `missing_phone_number` (SMS), `missing_email` (EMAIL), `invalid_factor_type`.
    ///
    /// Handler: `void(genauth::error_code, genauth::send_enroll_factor_request_response)`.
    /// \copydetails async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, send_enroll_factor_request_response))
                  CompletionToken = default_completion_token_t>
    auto async_send_enroll_factor_request(const send_enroll_factor_request_params& request,
                                          CompletionToken&& token = {}) const {
        return call<send_enroll_factor_request_response>(
            detail::prepare_call(detail::endpoints::send_enroll_factor_request, request),
            std::forward<CompletionToken>(token));
    }

    /// Binds an MFA factor: POST /api/v3/enroll-factor (the seed's AuthenticationClient.enroll_factor).
    /// Input errors: `missing_enrollment_token`, `missing_pass_code` (SMS, EMAIL, OTP),
    /// `missing_photo` (FACE), `invalid_factor_type`.
    ///
    /// Handler: `void(genauth::error_code, genauth::enroll_factor_response)`.
    /// \copydetails async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, enroll_factor_response))
                  CompletionToken = default_completion_token_t>
    auto async_enroll_factor(const enroll_factor_request& request, CompletionToken&& token = {}) const {
        return call<enroll_factor_response>(detail::prepare_call(detail::endpoints::enroll_factor, request),
                                            std::forward<CompletionToken>(token));
    }

    /// The user's bound factors: GET /api/v3/list-enrolled-factors.
    ///
    /// Handler: `void(genauth::error_code, genauth::list_enrolled_factors_response)`.
    /// \copydetails async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, list_enrolled_factors_response))
                  CompletionToken = default_completion_token_t>
    auto async_list_enrolled_factors(CompletionToken&& token = {}) const {
        return call<list_enrolled_factors_response>(detail::prepare_call(detail::endpoints::list_enrolled_factors),
                                                    std::forward<CompletionToken>(token));
    }

    /// One bound factor: GET /api/v3/get-factor?factorId=... (percent-encoded).
    /// Input errors: `missing_factor_id`.
    ///
    /// Handler: `void(genauth::error_code, genauth::get_factor_response)`.
    /// \copydetails async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, get_factor_response))
                  CompletionToken = default_completion_token_t>
    auto async_get_factor(const get_factor_request& request, CompletionToken&& token = {}) const {
        return call<get_factor_response>(detail::prepare_call(detail::endpoints::get_factor, request),
                                         std::forward<CompletionToken>(token));
    }

    /// Unbinds a factor: POST /api/v3/reset-factor. Input errors: `missing_factor_id`.
    ///
    /// Handler: `void(genauth::error_code, genauth::reset_factor_response)`.
    /// \copydetails async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, reset_factor_response))
                  CompletionToken = default_completion_token_t>
    auto async_reset_factor(const reset_factor_request& request, CompletionToken&& token = {}) const {
        return call<reset_factor_response>(detail::prepare_call(detail::endpoints::reset_factor, request),
                                           std::forward<CompletionToken>(token));
    }

    /// The factor types the user can still bind: GET /api/v3/list-factors-to-enroll.
    ///
    /// Handler: `void(genauth::error_code, genauth::list_factors_to_enroll_response)`.
    /// \copydetails async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, list_factors_to_enroll_response))
                  CompletionToken = default_completion_token_t>
    auto async_list_factors_to_enroll(CompletionToken&& token = {}) const {
        return call<list_factors_to_enroll_response>(detail::prepare_call(detail::endpoints::list_factors_to_enroll),
                                                     std::forward<CompletionToken>(token));
    }

    /// Checks the user's current OTP code: POST /api/v3/mfa-totp-verify. A wrong code is an API
    /// error (GenAuth answers apiCode 6001). Input errors: `missing_totp`.
    ///
    /// Handler: `void(genauth::error_code, genauth::mfa_otp_verify_response)`.
    /// \copydetails async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, mfa_otp_verify_response))
                  CompletionToken = default_completion_token_t>
    auto async_mfa_otp_verify(const mfa_otp_verify_request& request, CompletionToken&& token = {}) const {
        return call<mfa_otp_verify_response>(detail::prepare_call(detail::endpoints::mfa_otp_verify, request),
                                             std::forward<CompletionToken>(token));
    }

    /// Sends a verification code by SMS for a purpose (`channel`, e.g. `sms_channel::verify_mfa`):
    /// POST /api/v3/send-sms. GenAuth sends one code per number and channel per minute (429).
    /// Input errors: `invalid_channel`, `missing_phone_number`.
    ///
    /// Handler: `void(genauth::error_code, genauth::send_sms_response)`.
    /// \copydetails async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, send_sms_response))
                  CompletionToken = default_completion_token_t>
    auto async_send_sms(const send_sms_request& request, CompletionToken&& token = {}) const {
        return call<send_sms_response>(detail::prepare_call(detail::endpoints::send_sms, request),
                                       std::forward<CompletionToken>(token));
    }

    /// Sends a verification code by email for a purpose (`channel`): POST /api/v3/send-email.
    /// Input errors: `invalid_channel`, `missing_email`.
    ///
    /// Handler: `void(genauth::error_code, genauth::send_email_response)`.
    /// \copydetails async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, send_email_response))
                  CompletionToken = default_completion_token_t>
    auto async_send_email(const send_email_request& request, CompletionToken&& token = {}) const {
        return call<send_email_response>(detail::prepare_call(detail::endpoints::send_email, request),
                                         std::forward<CompletionToken>(token));
    }

    /// Whether an MFA token is still valid: POST /mfa/token/introspection (not under /api/v3),
    /// body `{"token": ...}` as JSON. The answer has no envelope: `data` is the whole body
    /// (`active`, and `userPoolId`, `userId`, `exp`, `iat` when active); `status_code` stays 0.
    /// An inactive token is a success with `data.active == false`. Input errors: `missing_mfa_token`.
    ///
    /// Handler: `void(genauth::error_code, genauth::verify_mfa_token_response)`.
    /// \copydetails async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, verify_mfa_token_response))
                  CompletionToken = default_completion_token_t>
    auto async_verify_mfa_token(const verify_mfa_token_request& request, CompletionToken&& token = {}) const {
        return call<verify_mfa_token_response>(detail::prepare_call(detail::endpoints::verify_mfa_token, request),
                                               std::forward<CompletionToken>(token));
    }

private:
    authentication_client(std::shared_ptr<detail::client_impl> impl,
                          std::shared_ptr<const detail::caller_identity> caller, const detail::call_settings& settings)
        : handle_settings(settings), impl_(std::move(impl)), caller_(std::move(caller)) {}

    template <class Response, class CompletionToken>
    auto call(detail::prepared_call prepared, CompletionToken&& token) const {
        prepared.caller = caller_;
        prepared.settings = settings_;
        return detail::async_call<Response>(impl_, std::move(prepared), std::forward<CompletionToken>(token));
    }

    std::shared_ptr<detail::client_impl> impl_;
    std::shared_ptr<const detail::caller_identity> caller_;  // null: the options' own token
};

}  // namespace genauth

#endif
