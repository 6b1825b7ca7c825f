#ifndef GENAUTH_IMPL_TOTP_IPP
#define GENAUTH_IMPL_TOTP_IPP

#include <genauth/detail/sansio/request.hpp>
#include <genauth/impl/sansio/sanitize.hpp>
#include <genauth/totp.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>

namespace genauth::detail {

constexpr std::string_view base32_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

inline bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && iequals_prefix(a, b);
}

inline const EVP_MD* totp_digest(totp::hash_algorithm a) noexcept {
    switch (a) {
        case totp::hash_algorithm::sha256:
            return EVP_sha256();
        case totp::hash_algorithm::sha512:
            return EVP_sha512();
        case totp::hash_algorithm::sha1:
            break;
    }
    return EVP_sha1();
}

}  // namespace genauth::detail

namespace genauth::totp {

GENAUTH_DECL std::string_view to_string(hash_algorithm a) noexcept {
    switch (a) {
        case hash_algorithm::sha1:
            return "SHA1";
        case hash_algorithm::sha256:
            return "SHA256";
        case hash_algorithm::sha512:
            return "SHA512";
    }
    return {};
}

GENAUTH_DECL error_code base32_decode(std::string_view text, std::vector<unsigned char>& out) {
    out.clear();
    std::uint32_t buffer = 0;
    int bits = 0;
    bool padding = false;
    for (char raw : text) {
        if (raw == ' ') continue;
        if (raw == '=') {
            padding = true;
            continue;
        }
        if (padding) return errc::invalid_totp_secret;  // data after padding
        char c = raw >= 'a' && raw <= 'z' ? static_cast<char>(raw - 'a' + 'A') : raw;
        const auto pos = detail::base32_alphabet.find(c);
        if (pos == std::string_view::npos) return errc::invalid_totp_secret;
        buffer = (buffer << 5) | static_cast<std::uint32_t>(pos);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<unsigned char>((buffer >> bits) & 0xFF));
        }
    }
    if (out.empty()) return errc::invalid_totp_secret;
    return {};
}

GENAUTH_DECL std::string base32_encode(const std::vector<unsigned char>& bytes) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char b : bytes) {
        buffer = (buffer << 8) | b;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out += detail::base32_alphabet[(buffer >> bits) & 0x1F];
        }
    }
    if (bits > 0) out += detail::base32_alphabet[(buffer << (5 - bits)) & 0x1F];
    return out;
}

GENAUTH_DECL std::string hotp(const std::vector<unsigned char>& key, std::uint64_t counter, unsigned digits,
                              hash_algorithm algorithm) {
    unsigned char message[8];
    for (int i = 7; i >= 0; --i) {
        message[i] = static_cast<unsigned char>(counter & 0xFF);
        counter >>= 8;
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_size = 0;
    HMAC(detail::totp_digest(algorithm), key.data(), static_cast<int>(key.size()), message, sizeof message, mac,
         &mac_size);
    // Dynamic truncation (RFC 4226 section 5.3).
    const unsigned offset = mac[mac_size - 1] & 0x0F;
    const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                                 (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                                 (static_cast<std::uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
    std::uint32_t modulus = 1;
    for (unsigned i = 0; i < digits; ++i) modulus *= 10;
    std::string code = std::to_string(binary % modulus);
    return std::string(digits > code.size() ? digits - code.size() : 0, '0') + code;
}

GENAUTH_DECL std::string code_at(const parameters& p, std::int64_t unix_seconds) {
    const auto step =
        static_cast<std::uint64_t>(unix_seconds < 0 ? 0 : unix_seconds) / static_cast<std::uint64_t>(p.period.count());
    return hotp(p.secret, step, p.digits, p.algorithm);
}

GENAUTH_DECL bool verify(const parameters& p, std::string_view code, std::int64_t unix_seconds, unsigned window) {
    const std::int64_t period = p.period.count();
    bool match = false;
    for (std::int64_t k = -static_cast<std::int64_t>(window); k <= static_cast<std::int64_t>(window); ++k) {
        const std::string expected = code_at(p, unix_seconds + k * period);
        // No early exit: the time taken does not tell how much of the code was right.
        unsigned char diff = code.size() == expected.size() ? 0 : 1;
        for (std::size_t i = 0; i < expected.size(); ++i)
            diff |= static_cast<unsigned char>(expected[i] ^ (i < code.size() ? code[i] : 0));
        match |= diff == 0;
    }
    return match;
}

GENAUTH_DECL error_code parse_key_uri(std::string_view uri, key_uri& out, std::string* why) {
    auto fail = [why](errc e, const char* reason) {
        if (why) *why = reason;
        return error_code(e);
    };
    constexpr std::string_view scheme = "otpauth://";
    if (!detail::iequals_prefix(uri, scheme)) return fail(errc::invalid_otpauth_uri, "must start with otpauth://");
    auto rest = uri.substr(scheme.size());
    if (!detail::iequals_prefix(rest, "totp/"))
        return fail(errc::invalid_otpauth_uri, "only otpauth://totp/ is supported (not hotp)");
    rest = rest.substr(5);
    const auto question = rest.find('?');
    // Split the label at its first literal ':' before decoding, so an encoded ':' (%3A) inside
    // the issuer or account stays part of it.
    const auto raw_label = rest.substr(0, question);
    const auto colon = raw_label.find(':');
    key_uri result;
    std::string issuer;
    if (!detail::percent_decode(colon == std::string_view::npos ? std::string_view{} : raw_label.substr(0, colon),
                                issuer) ||
        !detail::percent_decode(colon == std::string_view::npos ? raw_label : raw_label.substr(colon + 1),
                                result.account))
        return fail(errc::invalid_otpauth_uri, "malformed percent-encoding in the label");
    result.issuer = std::move(issuer);
    while (!result.account.empty() && result.account.front() == ' ') result.account.erase(0, 1);
    bool have_secret = false;
    std::string_view query = question == std::string_view::npos ? std::string_view{} : rest.substr(question + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        std::string key, value;
        if (!detail::percent_decode(pair.substr(0, eq), key) ||
            !detail::percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), value))
            return fail(errc::invalid_otpauth_uri, "malformed percent-encoding in a parameter");
        if (detail::iequals(key, "secret")) {
            if (base32_decode(value, result.params.secret))
                return fail(errc::invalid_totp_secret, "secret is not Base32");
            have_secret = true;
        } else if (detail::iequals(key, "issuer")) {
            result.issuer = value;
        } else if (detail::iequals(key, "algorithm")) {
            if (detail::iequals(value, "sha1"))
                result.params.algorithm = hash_algorithm::sha1;
            else if (detail::iequals(value, "sha256"))
                result.params.algorithm = hash_algorithm::sha256;
            else if (detail::iequals(value, "sha512"))
                result.params.algorithm = hash_algorithm::sha512;
            else
                return fail(errc::invalid_otpauth_uri, "algorithm must be SHA1, SHA256 or SHA512");
        } else if (detail::iequals(key, "digits")) {
            if (value != "6" && value != "8") return fail(errc::invalid_otpauth_uri, "digits must be 6 or 8");
            result.params.digits = value == "6" ? 6u : 8u;
        } else if (detail::iequals(key, "period")) {
            unsigned period = 0;
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), period);
            if (ec != std::errc() || end != value.data() + value.size() || period == 0 || period > 86400)
                return fail(errc::invalid_otpauth_uri, "period must be a whole number of seconds from 1 to 86400");
            result.params.period = std::chrono::seconds(period);
        }
    }
    if (!have_secret) return fail(errc::invalid_totp_secret, "the secret parameter is missing");
    out = std::move(result);
    return {};
}

GENAUTH_DECL std::string make_key_uri(const key_uri& key) {
    using detail::percent_encode;
    return "otpauth://totp/" + percent_encode(key.issuer) + ":" + percent_encode(key.account) +
           "?secret=" + base32_encode(key.params.secret) + "&period=" + std::to_string(key.params.period.count()) +
           "&digits=" + std::to_string(key.params.digits) +
           "&algorithm=" + std::string(to_string(key.params.algorithm)) + "&issuer=" + percent_encode(key.issuer);
}

}  // namespace genauth::totp

#endif
