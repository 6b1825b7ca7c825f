#ifndef GENAUTH_DTO_MFA_TOKEN_HPP
#define GENAUTH_DTO_MFA_TOKEN_HPP

// POST /mfa/token/introspection (not under /api/v3): is an MFA token (`mfa_token`) still valid?
// The one answer without the V3 envelope: the body is the introspection object itself.

#include <genauth/detail/json_mapping.hpp>
#include <genauth/dto/mfa_factors.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace genauth {

/// The body of the introspection (MfaTokenIntrospectEndpointParams), sent as JSON as the Go and
/// Java SDKs do (the Node and Python SDKs send no body at all, a bug).
struct verify_mfa_token_request {
    std::string token;  ///< `token`: the mfa_token to check
    bool operator==(const verify_mfa_token_request&) const = default;
};

/// The answer (MfaTokenIntrospectResponse).
struct mfa_token_introspection {
    bool active = false;                      ///< `active`: the token is valid
    std::optional<std::string> user_pool_id;  ///< `userPoolId`, when active
    std::optional<std::string> user_id;       ///< `userId`, when active
    std::optional<std::int64_t> exp;          ///< `exp`: expiry, Unix seconds, when active
    std::optional<std::int64_t> iat;          ///< `iat`: issue time, Unix seconds, when active
    bool operator==(const mfa_token_introspection&) const = default;
};

/// `data` is the whole body. There is no envelope: on success `status_code` stays 0 and
/// `http_status` is 2xx. An answer that does carry an envelope with a statusCode other than 200
/// (an error in GenAuth's usual form) fails as an API error, like every other call.
struct verify_mfa_token_response : response_base {
    mfa_token_introspection data;
    bool operator==(const verify_mfa_token_response&) const = default;
};

/// `missing_mfa_token` for an empty token.
GENAUTH_DECL error_code validate(const verify_mfa_token_request& r) noexcept;

GENAUTH_DECLARE_JSON_MAPPING(verify_mfa_token_request)
GENAUTH_DECLARE_JSON_MAPPING(mfa_token_introspection)
GENAUTH_DECLARE_JSON_MAPPING(verify_mfa_token_response)

}  // namespace genauth

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/dto/mfa_token.ipp>
#endif

#endif
