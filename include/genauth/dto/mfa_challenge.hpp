#ifndef GENAUTH_DTO_MFA_CHALLENGE_HPP
#define GENAUTH_DTO_MFA_CHALLENGE_HPP

// MFA at sign-in: the calls a backend makes with the `mfaToken` GenAuth gives a sign-in that
// needs a second factor (genauth::mfa_challenge_client). V2 routes, as the official JavaScript
// SDK (authing-js-sdk 4.23.55) sends them, answering `{code, message, data}`; and the two V3
// WebAuthn initialize calls of the Node SDK.

#include <genauth/detail/json_decode.hpp>
#include <genauth/detail/json_mapping.hpp>
#include <genauth/dto/envelope.hpp>
#include <genauth/response_envelope.hpp>

#include <boost/json/conversion.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace genauth {

// --- what a passed challenge returns ----------------------------------------------------------------

/// The signed-in user (the V2 `User`, the members a backend needs; others are ignored). `token`
/// is the user's access token: the sign-in's result, to keep server-side.
struct signed_in_user {
    std::string id;                               ///< `id`; required
    std::string token;                            ///< `token`: the access token; required
    std::optional<std::string> token_expired_at;  ///< `tokenExpiredAt` (ISO 8601 text)
    std::optional<std::string> username;          ///< `username`
    std::optional<std::string> email;             ///< `email`
    std::optional<std::string> phone;             ///< `phone`
    std::optional<std::string> nickname;          ///< `nickname`
    std::optional<std::string> photo;             ///< `photo` (a URL)
    bool operator==(const signed_in_user&) const = default;
};

/// The answer of each verify call: the user, signed in.
struct mfa_challenge_response : response_base {
    signed_in_user data;
    bool operator==(const mfa_challenge_response&) const = default;
};

// --- POST /api/v2/mfa/totp/verify ---------------------------------------------------------------

struct mfa_totp_challenge {
    std::string totp;  ///< `totp`: the code of the user's authenticator app; required
    bool operator==(const mfa_totp_challenge&) const = default;
};

// --- POST /api/v2/applications/mfa/sms/verify ---------------------------------------------------

struct mfa_sms_challenge {
    std::string phone;                              ///< `phone`: the bound number; required
    std::string code;                               ///< `code`: the code sent to it; required
    std::optional<std::string> phone_country_code;  ///< `phoneCountryCode` ("+86"); left out when unset
    bool operator==(const mfa_sms_challenge&) const = default;
};

// --- POST /api/v2/applications/mfa/email/verify -------------------------------------------------

struct mfa_email_challenge {
    std::string email;  ///< `email`: the bound address; required
    std::string code;   ///< `code`: the code sent to it; required
    bool operator==(const mfa_email_challenge&) const = default;
};

// --- POST /api/v2/mfa/totp/recovery -------------------------------------------------------------

struct mfa_recovery_code_challenge {
    std::string recovery_code;  ///< `recoveryCode`: shown when OTP was bound; usable once; required
    bool operator==(const mfa_recovery_code_challenge&) const = default;
};

// --- POST /api/v2/mfa/face/verify ---------------------------------------------------------------

struct mfa_face_challenge {
    std::string photo;  ///< `photo`: the uploaded photo's key or URL; required
    bool operator==(const mfa_face_challenge&) const = default;
};

// --- POST /api/v2/applications/mfa/check --------------------------------------------------------

/// Whether a phone number or an email address may be bound as a factor (not another user's).
/// One of the two is required; both are sent when both are set.
struct mfa_bindable_request {
    std::optional<std::string> phone;  ///< `phone`
    std::optional<std::string> email;  ///< `email`
    bool operator==(const mfa_bindable_request&) const = default;
};

struct mfa_bindable_response : response_base {
    bool data = false;  ///< true: it can be bound
    bool operator==(const mfa_bindable_response&) const = default;
};

// --- POST /api/v2/mfa/totp/associate, POST /api/v2/mfa/totp/associate/confirm -------------------

/// Starts binding an authenticator app during sign-in. The body is
/// `{"authenticator_type":"totp","source":...}` (snake case, as the JS SDK sends it).
struct totp_association_request {
    std::optional<std::string> source;  ///< `source`: "APPLICATION" for an application's own MFA; left out when unset
    bool operator==(const totp_association_request&) const = default;
};

/// The new authenticator's key (V2 names, snake case).
struct totp_association {
    std::string authenticator_type;  ///< `authenticator_type`: "totp"
    std::string secret;              ///< `secret`: Base32
    std::string qrcode_uri;          ///< `qrcode_uri`: the otpauth:// key URI
    std::string qrcode_data_url;     ///< `qrcode_data_url`: a PNG of the QR code as a data: URL
    std::string recovery_code;       ///< `recovery_code`: show it to the user once
    bool operator==(const totp_association&) const = default;
};

struct totp_association_response : response_base {
    totp_association data;
    bool operator==(const totp_association_response&) const = default;
};

/// Confirms the association with a first code. Sent with the mfaToken (the JS SDK builds that
/// header and forgets to send it).
struct totp_association_confirm_request {
    std::string totp;                   ///< `totp`; required
    std::optional<std::string> source;  ///< `source`, as for the association
    bool operator==(const totp_association_confirm_request&) const = default;
};

/// The confirmation answers an envelope; its `data` (unspecified) is not read.
using totp_association_confirm_response = envelope_response;

// --- GET /api/v2/mfa/authenticator ----------------------------------------------------------------

struct mfa_authenticators_request {
    std::string type = "totp";          ///< `type` (query)
    std::optional<std::string> source;  ///< `source` (query), left out when unset
    bool operator==(const mfa_authenticators_request&) const = default;
};

/// A bound authenticator. `secret` and `recovery_code` are the user's secrets: keep them out of logs.
struct mfa_authenticator {
    std::string id;                                 ///< `id`; required
    std::optional<std::string> created_at;          ///< `createdAt`
    std::optional<std::string> updated_at;          ///< `updatedAt`
    std::optional<std::string> user_id;             ///< `userId`
    std::optional<bool> enable;                     ///< `enable`
    std::optional<std::string> secret;              ///< `secret`
    std::optional<std::string> authenticator_type;  ///< `authenticatorType`
    std::optional<std::string> recovery_code;       ///< `recoveryCode`
    bool operator==(const mfa_authenticator&) const = default;
};

struct list_mfa_authenticators_response : response_base {
    std::vector<mfa_authenticator> data;
    bool operator==(const list_mfa_authenticators_response&) const = default;
};

// --- POST /api/v3/webauthn/mfa-bind/initialize, POST /api/v3/webauthn/mfa-verify/initialize -------

/// The WebAuthn (passkey) options GenAuth answers, as sent: the browser's
/// `navigator.credentials.create()` / `get()` reads them, the backend passes them on. V3 envelope.
struct webauthn_initialize_response : response_base {
    boost::json::object data;
    bool operator==(const webauthn_initialize_response&) const = default;
};

// --- checks before any I/O -------------------------------------------------------------------------

GENAUTH_DECL error_code validate(const mfa_totp_challenge& r) noexcept;   ///< missing_totp
GENAUTH_DECL error_code validate(const mfa_sms_challenge& r) noexcept;    ///< missing_phone_number, missing_code
GENAUTH_DECL error_code validate(const mfa_email_challenge& r) noexcept;  ///< missing_email, missing_code
GENAUTH_DECL error_code validate(const mfa_recovery_code_challenge& r) noexcept;       ///< missing_recovery_code
GENAUTH_DECL error_code validate(const mfa_face_challenge& r) noexcept;                ///< missing_photo
GENAUTH_DECL error_code validate(const mfa_bindable_request& r) noexcept;              ///< missing_phone_or_email
GENAUTH_DECL error_code validate(const totp_association_request& r) noexcept;          ///< always accepted
GENAUTH_DECL error_code validate(const totp_association_confirm_request& r) noexcept;  ///< missing_totp
GENAUTH_DECL error_code
validate(const mfa_authenticators_request& r) noexcept;  ///< invalid_factor_type when `type` is empty

// --- JSON mapping ---------------------------------------------------------------------------------

GENAUTH_DECLARE_JSON_MAPPING(signed_in_user)
GENAUTH_DECLARE_JSON_MAPPING(mfa_challenge_response)
GENAUTH_DECLARE_JSON_MAPPING(mfa_totp_challenge)
GENAUTH_DECLARE_JSON_MAPPING(mfa_sms_challenge)
GENAUTH_DECLARE_JSON_MAPPING(mfa_email_challenge)
GENAUTH_DECLARE_JSON_MAPPING(mfa_recovery_code_challenge)
GENAUTH_DECLARE_JSON_MAPPING(mfa_face_challenge)
GENAUTH_DECLARE_JSON_MAPPING(mfa_bindable_request)
GENAUTH_DECLARE_JSON_MAPPING(mfa_bindable_response)
GENAUTH_DECLARE_JSON_MAPPING(totp_association_request)
GENAUTH_DECLARE_JSON_MAPPING(totp_association)
GENAUTH_DECLARE_JSON_MAPPING(totp_association_response)
GENAUTH_DECLARE_JSON_MAPPING(totp_association_confirm_request)
GENAUTH_DECLARE_JSON_MAPPING(mfa_authenticators_request)
GENAUTH_DECLARE_JSON_MAPPING(mfa_authenticator)
GENAUTH_DECLARE_JSON_MAPPING(list_mfa_authenticators_response)
GENAUTH_DECLARE_JSON_MAPPING(webauthn_initialize_response)

}  // namespace genauth

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/dto/mfa_challenge.ipp>
#endif

#endif
