#ifndef GENAUTH_MFA_CHALLENGE_CLIENT_HPP
#define GENAUTH_MFA_CHALLENGE_CLIENT_HPP

#include <genauth/detail/async_call.hpp>
#include <genauth/detail/client_impl.hpp>
#include <genauth/detail/handle_settings.hpp>
#include <genauth/dto/mfa_challenge.hpp>
#include <genauth/dto/send_code.hpp>
#include <genauth/error.hpp>
#include <genauth/with_diagnostics.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>

#include <memory>
#include <utility>

namespace genauth {

class authentication_client;

/// MFA at sign-in: the second factor of a sign-in that GenAuth answered with an `mfaToken`,
/// checked by a backend that runs its own sign-in (the tokens never reach the browser).
///
/// Made by `authentication_client::with_mfa_token(mfa_token)`: a handle on the same client (pool,
/// TLS state, options, counters) that sends `authorization: Bearer <mfaToken>` and the client's
/// app headers. Costs no I/O. The mfaToken is a secret as the access token is: never in a
/// message, an excerpt or an observer record. An empty one fails each call with
/// `missing_mfa_token`, before any I/O. Copies share everything; thread-safe as the client is.
///
/// Most calls are GenAuth's V2 routes, sent as the official JavaScript SDK (authing-js-sdk
/// 4.23.55) sends them; their answers are `{code, message, data}`: `status_code` holds `code`,
/// `api_code` and `request_id` stay empty (V2 has neither), and a `code` other than 200 is an
/// API error of that value. A verify call that passes returns the signed-in user with their
/// access token (`data.token`).
class mfa_challenge_client : public detail::handle_settings<mfa_challenge_client> {
public:
    using executor_type = boost::asio::any_io_executor;

    executor_type get_executor() const noexcept { return impl_->get_executor(); }

    /// Checks the code of the user's authenticator app: POST /api/v2/mfa/totp/verify, `{"totp"}`.
    /// Input errors: `missing_totp`.
    ///
    /// Handler: `void(genauth::error_code, genauth::mfa_challenge_response)`.
    /// \copydetails authentication_client::async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, mfa_challenge_response))
                  CompletionToken = default_completion_token_t>
    auto async_verify_totp(const mfa_totp_challenge& request, CompletionToken&& token = {}) const {
        return call<mfa_challenge_response>(detail::endpoints::mfa_verify_totp, request,
                                            std::forward<CompletionToken>(token));
    }

    /// Checks a code sent by SMS to the user's bound number (see async_send_sms):
    /// POST /api/v2/applications/mfa/sms/verify, `{"phone","code","phoneCountryCode"?}`.
    /// Input errors: `missing_phone_number`, `missing_code`.
    ///
    /// Handler: `void(genauth::error_code, genauth::mfa_challenge_response)`.
    /// \copydetails authentication_client::async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, mfa_challenge_response))
                  CompletionToken = default_completion_token_t>
    auto async_verify_sms(const mfa_sms_challenge& request, CompletionToken&& token = {}) const {
        return call<mfa_challenge_response>(detail::endpoints::mfa_verify_sms, request,
                                            std::forward<CompletionToken>(token));
    }

    /// Checks a code sent by email to the user's bound address (see async_send_email):
    /// POST /api/v2/applications/mfa/email/verify, `{"email","code"}`.
    /// Input errors: `missing_email`, `missing_code`.
    ///
    /// Handler: `void(genauth::error_code, genauth::mfa_challenge_response)`.
    /// \copydetails authentication_client::async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, mfa_challenge_response))
                  CompletionToken = default_completion_token_t>
    auto async_verify_email(const mfa_email_challenge& request, CompletionToken&& token = {}) const {
        return call<mfa_challenge_response>(detail::endpoints::mfa_verify_email, request,
                                            std::forward<CompletionToken>(token));
    }

    /// Signs in with the recovery code shown when OTP was bound (usable once):
    /// POST /api/v2/mfa/totp/recovery, `{"recoveryCode"}`. Input errors: `missing_recovery_code`.
    ///
    /// Handler: `void(genauth::error_code, genauth::mfa_challenge_response)`.
    /// \copydetails authentication_client::async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, mfa_challenge_response))
                  CompletionToken = default_completion_token_t>
    auto async_verify_recovery_code(const mfa_recovery_code_challenge& request, CompletionToken&& token = {}) const {
        return call<mfa_challenge_response>(detail::endpoints::mfa_verify_recovery_code, request,
                                            std::forward<CompletionToken>(token));
    }

    /// Checks a face photo against the bound one: POST /api/v2/mfa/face/verify, `{"photo"}`.
    /// Input errors: `missing_photo`.
    ///
    /// Handler: `void(genauth::error_code, genauth::mfa_challenge_response)`.
    /// \copydetails authentication_client::async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, mfa_challenge_response))
                  CompletionToken = default_completion_token_t>
    auto async_verify_face(const mfa_face_challenge& request, CompletionToken&& token = {}) const {
        return call<mfa_challenge_response>(detail::endpoints::mfa_verify_face, request,
                                            std::forward<CompletionToken>(token));
    }

    /// Whether a phone number or email address can be bound as the user's factor (no other user
    /// has it): POST /api/v2/applications/mfa/check. Input errors: `missing_phone_or_email`.
    ///
    /// Handler: `void(genauth::error_code, genauth::mfa_bindable_response)`.
    /// \copydetails authentication_client::async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, mfa_bindable_response))
                  CompletionToken = default_completion_token_t>
    auto async_check_bindable(const mfa_bindable_request& request, CompletionToken&& token = {}) const {
        return call<mfa_bindable_response>(detail::endpoints::mfa_check_bindable, request,
                                           std::forward<CompletionToken>(token));
    }

    /// Starts binding an authenticator app at sign-in (a user who must set up MFA first):
    /// POST /api/v2/mfa/totp/associate, `{"authenticator_type":"totp","source"?}`. The answer holds
    /// the secret, its key URI and a recovery code: show them to the user, keep them out of logs.
    ///
    /// Handler: `void(genauth::error_code, genauth::totp_association_response)`.
    /// \copydetails authentication_client::async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, totp_association_response))
                  CompletionToken = default_completion_token_t>
    auto async_associate_totp(const totp_association_request& request, CompletionToken&& token = {}) const {
        return call<totp_association_response>(detail::endpoints::mfa_associate_totp, request,
                                               std::forward<CompletionToken>(token));
    }

    /// Confirms the association with the app's first code: POST /api/v2/mfa/totp/associate/confirm,
    /// `{"authenticator_type":"totp","totp","source"?}`, with the mfaToken (which the JS SDK leaves
    /// out). Input errors: `missing_totp`.
    ///
    /// Handler: `void(genauth::error_code, genauth::totp_association_confirm_response)`.
    /// \copydetails authentication_client::async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, totp_association_confirm_response))
                  CompletionToken = default_completion_token_t>
    auto async_confirm_totp_association(const totp_association_confirm_request& request,
                                        CompletionToken&& token = {}) const {
        return call<totp_association_confirm_response>(detail::endpoints::mfa_confirm_totp_association, request,
                                                       std::forward<CompletionToken>(token));
    }

    /// The user's bound authenticators of a type: GET /api/v2/mfa/authenticator?type=totp[&source=...].
    /// The answer holds secrets (`secret`, `recovery_code`): keep them out of logs. Input errors:
    /// `invalid_factor_type` (an empty `type`).
    ///
    /// Handler: `void(genauth::error_code, genauth::list_mfa_authenticators_response)`.
    /// \copydetails authentication_client::async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, list_mfa_authenticators_response))
                  CompletionToken = default_completion_token_t>
    auto async_list_authenticators(const mfa_authenticators_request& request, CompletionToken&& token = {}) const {
        return call<list_mfa_authenticators_response>(detail::endpoints::mfa_list_authenticators, request,
                                                      std::forward<CompletionToken>(token));
    }

    /// The WebAuthn options for binding a passkey as the second factor:
    /// POST /api/v3/webauthn/mfa-bind/initialize (V3 envelope). Sent with `Bearer` and the body
    /// `{}` as JSON (the Node SDK sends the bare token and a form content type).
    ///
    /// Handler: `void(genauth::error_code, genauth::webauthn_initialize_response)`.
    /// \copydetails authentication_client::async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, webauthn_initialize_response))
                  CompletionToken = default_completion_token_t>
    auto async_webauthn_bind_initialize(CompletionToken&& token = {}) const {
        return call<webauthn_initialize_response>(detail::prepare_call(detail::endpoints::webauthn_mfa_bind_initialize),
                                                  std::forward<CompletionToken>(token));
    }

    /// The WebAuthn options for a passkey as the second factor:
    /// POST /api/v3/webauthn/mfa-verify/initialize (V3 envelope), sent as the bind call is.
    ///
    /// Handler: `void(genauth::error_code, genauth::webauthn_initialize_response)`.
    /// \copydetails authentication_client::async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, webauthn_initialize_response))
                  CompletionToken = default_completion_token_t>
    auto async_webauthn_verify_initialize(CompletionToken&& token = {}) const {
        return call<webauthn_initialize_response>(
            detail::prepare_call(detail::endpoints::webauthn_mfa_verify_initialize),
            std::forward<CompletionToken>(token));
    }

    /// Sends the code for an SMS challenge (`channel` `sms_channel::verify_mfa`): POST /api/v3/send-sms,
    /// with the mfaToken (the call needs no signed-in user). As authentication_client::async_send_sms.
    ///
    /// Handler: `void(genauth::error_code, genauth::send_sms_response)`.
    /// \copydetails authentication_client::async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, send_sms_response))
                  CompletionToken = default_completion_token_t>
    auto async_send_sms(const send_sms_request& request, CompletionToken&& token = {}) const {
        return call<send_sms_response>(detail::endpoints::send_sms, request, std::forward<CompletionToken>(token));
    }

    /// Sends the code for an email challenge (`channel` `email_channel::verify_mfa`):
    /// POST /api/v3/send-email, with the mfaToken. As authentication_client::async_send_email.
    ///
    /// Handler: `void(genauth::error_code, genauth::send_email_response)`.
    /// \copydetails authentication_client::async_operation_contract
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, send_email_response))
                  CompletionToken = default_completion_token_t>
    auto async_send_email(const send_email_request& request, CompletionToken&& token = {}) const {
        return call<send_email_response>(detail::endpoints::send_email, request, std::forward<CompletionToken>(token));
    }

private:
    friend class authentication_client;
    mfa_challenge_client(std::shared_ptr<detail::client_impl> impl,
                         std::shared_ptr<const detail::caller_identity> caller, const detail::call_settings& settings)
        : handle_settings(settings), impl_(std::move(impl)), caller_(std::move(caller)) {}

    template <class Response, class Request, class CompletionToken>
    auto call(const detail::endpoint& ep, const Request& request, CompletionToken&& token) const {
        return call<Response>(detail::prepare_call(ep, request), std::forward<CompletionToken>(token));
    }
    template <class Response, class CompletionToken>
    auto call(detail::prepared_call prepared, CompletionToken&& token) const {
        prepared.caller = caller_;
        prepared.settings = settings_;
        return detail::async_call<Response>(impl_, std::move(prepared), std::forward<CompletionToken>(token));
    }

    std::shared_ptr<detail::client_impl> impl_;
    std::shared_ptr<const detail::caller_identity> caller_;  // the mfaToken's identity, never null
};

}  // namespace genauth

#endif
