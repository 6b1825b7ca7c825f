#ifndef GENAUTH_DTO_SEND_CODE_HPP
#define GENAUTH_DTO_SEND_CODE_HPP

// POST /api/v3/send-sms and POST /api/v3/send-email: a verification code for a purpose (the
// channel), for example to verify or unbind an MFA factor. Envelope-only answers.

#include <genauth/detail/json_mapping.hpp>
#include <genauth/dto/mfa_factors.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace genauth {

/// The purpose of an SMS code (SendSMSDto.channel).
enum class sms_channel {
    login,                  ///< CHANNEL_LOGIN
    registration,           ///< CHANNEL_REGISTER
    reset_password,         ///< CHANNEL_RESET_PASSWORD
    bind_phone,             ///< CHANNEL_BIND_PHONE
    unbind_phone,           ///< CHANNEL_UNBIND_PHONE
    bind_mfa,               ///< CHANNEL_BIND_MFA
    verify_mfa,             ///< CHANNEL_VERIFY_MFA
    unbind_mfa,             ///< CHANNEL_UNBIND_MFA
    complete_phone,         ///< CHANNEL_COMPLETE_PHONE
    identity_verification,  ///< CHANNEL_IDENTITY_VERIFICATION
    delete_account,         ///< CHANNEL_DELETE_ACCOUNT
};

/// The purpose of an email code (SendEmailDto.channel).
enum class email_channel {
    login,              ///< CHANNEL_LOGIN
    registration,       ///< CHANNEL_REGISTER
    reset_password,     ///< CHANNEL_RESET_PASSWORD
    verify_email_link,  ///< CHANNEL_VERIFY_EMAIL_LINK
    update_email,       ///< CHANNEL_UPDATE_EMAIL
    bind_email,         ///< CHANNEL_BIND_EMAIL
    unbind_email,       ///< CHANNEL_UNBIND_EMAIL
    verify_mfa,         ///< CHANNEL_VERIFY_MFA
    unlock_account,     ///< CHANNEL_UNLOCK_ACCOUNT
    complete_email,     ///< CHANNEL_COMPLETE_EMAIL
    delete_account,     ///< CHANNEL_DELETE_ACCOUNT
};

/// The wire names ("CHANNEL_BIND_MFA", ...); empty for a value outside the enumeration.
GENAUTH_DECL std::string_view to_string(sms_channel c) noexcept;
GENAUTH_DECL std::string_view to_string(email_channel c) noexcept;

/// The body of send-sms (SendSMSDto).
struct send_sms_request {
    sms_channel channel = sms_channel::verify_mfa;  ///< `channel`
    std::string phone_number;                       ///< `phoneNumber`, without the country code
    std::optional<std::string> phone_country_code;  ///< `phoneCountryCode` ("+86" when absent)
    bool operator==(const send_sms_request&) const = default;
};
using send_sms_response = envelope_response;

/// The body of send-email (SendEmailDto).
struct send_email_request {
    email_channel channel = email_channel::verify_mfa;  ///< `channel`
    std::string email;                                  ///< `email`
    bool operator==(const send_email_request&) const = default;
};
using send_email_response = envelope_response;

/// `invalid_channel` for a channel outside the enumeration, `missing_phone_number` /
/// `missing_email` for an empty recipient.
GENAUTH_DECL error_code validate(const send_sms_request& r) noexcept;
GENAUTH_DECL error_code validate(const send_email_request& r) noexcept;

GENAUTH_DECLARE_JSON_MAPPING(send_sms_request)
GENAUTH_DECLARE_JSON_MAPPING(send_email_request)

}  // namespace genauth

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/dto/send_code.ipp>
#endif

#endif
