#ifndef GENAUTH_TOTP_HPP
#define GENAUTH_TOTP_HPP

// TOTP (RFC 6238) and HOTP (RFC 4226) on OpenSSL's HMAC, and `otpauth://totp/` key URIs, as
// GenAuth returns them in `otpData.qrCodeUri` when an OTP factor is being bound.

#include <genauth/detail/config.hpp>
#include <genauth/error.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace genauth::totp {

enum class hash_algorithm { sha1, sha256, sha512 };

/// "SHA1", "SHA256", "SHA512".
GENAUTH_DECL std::string_view to_string(hash_algorithm a) noexcept;

/// What generates the codes.
struct parameters {
    std::vector<unsigned char> secret;  ///< the raw key (Base32-decoded)
    hash_algorithm algorithm = hash_algorithm::sha1;
    unsigned digits = 6;  ///< 6 or 8
    std::chrono::seconds period{30};
    bool operator==(const parameters&) const = default;
};

/// A parsed `otpauth://totp/<label>?secret=...&issuer=...&algorithm=...&digits=...&period=...`.
struct key_uri {
    std::string issuer;   ///< the `issuer` parameter, else the label's part before ':'
    std::string account;  ///< the label's part after ':' (percent-decoded), or the whole label
    parameters params;
    bool operator==(const key_uri&) const = default;
};

/// Parses a key URI. Errors: `errc::invalid_otpauth_uri` (not otpauth://totp/, bad digits,
/// algorithm or period; `why` says which) and `errc::invalid_totp_secret` (missing, empty or not
/// Base32). Unknown parameters (such as `image`) are ignored.
GENAUTH_DECL error_code parse_key_uri(std::string_view uri, key_uri& out, std::string* why = nullptr);

/// The key URI for `key` (label `issuer:account`, every parameter explicit).
GENAUTH_DECL std::string make_key_uri(const key_uri& key);

/// RFC 4648 Base32, case-insensitive, '=' padding and spaces ignored. Empty input or another
/// character is `errc::invalid_totp_secret`.
GENAUTH_DECL error_code base32_decode(std::string_view text, std::vector<unsigned char>& out);
/// RFC 4648 Base32 without padding.
GENAUTH_DECL std::string base32_encode(const std::vector<unsigned char>& bytes);

/// The HOTP value for `counter` (RFC 4226), `digits` long with leading zeros.
GENAUTH_DECL std::string hotp(const std::vector<unsigned char>& key, std::uint64_t counter, unsigned digits,
                              hash_algorithm algorithm = hash_algorithm::sha1);

/// The TOTP code at `unix_seconds` (seconds since 1970, UTC).
GENAUTH_DECL std::string code_at(const parameters& p, std::int64_t unix_seconds);

/// The TOTP code at `when`.
inline std::string code_at(const parameters& p, std::chrono::system_clock::time_point when) {
    return code_at(p, std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count());
}

/// Whether `code` is the TOTP code at `unix_seconds` or within `window` periods either side
/// (clock drift). The comparison takes the same time whatever the code.
GENAUTH_DECL bool verify(const parameters& p, std::string_view code, std::int64_t unix_seconds, unsigned window = 1);

inline bool verify(const parameters& p, std::string_view code, std::chrono::system_clock::time_point when,
                   unsigned window = 1) {
    return verify(p, code, std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count(), window);
}

}  // namespace genauth::totp

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/totp.ipp>
#endif

#endif
