#ifndef GENAUTH_IMPL_INTERNAL_SANITIZE_HPP
#define GENAUTH_IMPL_INTERNAL_SANITIZE_HPP

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace genauth::detail {

/// A short, printable copy of untrusted server text for diagnostics: control characters and
/// bytes outside printable ASCII become '?', runs of white space fold into one space, and the
/// result is cut at `max_bytes` with "..." appended. Keeps log lines single-line and stops
/// terminal escape sequences or forged log entries from reaching the caller's logs.
inline std::string sanitize_excerpt(std::string_view text, std::size_t max_bytes) {
    std::string out;
    out.reserve(text.size() < max_bytes ? text.size() : max_bytes + 3);
    bool last_space = true;  // also trims leading white space
    for (char raw : text) {
        if (out.size() >= max_bytes) {
            out += "...";
            return out;
        }
        const auto c = static_cast<unsigned char>(raw);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (!last_space) out += ' ';
            last_space = true;
            continue;
        }
        out += (c < 0x20 || c >= 0x7f) ? '?' : static_cast<char>(c);
        last_space = false;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

/// Replaces every occurrence of `secret` in `text` with "[redacted]", and a trailing piece of it
/// (at least 8 bytes, as a cut excerpt may hold). Secrets shorter than 8 bytes are left alone:
/// replacing them would mangle ordinary text without protecting anything.
inline void redact(std::string& text, std::string_view secret) {
    constexpr std::size_t min_secret = 8;
    if (secret.size() < min_secret) return;
    constexpr std::string_view mark = "[redacted]";
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + mark.size()))
        text.replace(pos, secret.size(), mark);
    for (std::size_t n = std::min(text.size(), secret.size() - 1); n >= min_secret; --n) {
        if (std::string_view(text).substr(text.size() - n) == secret.substr(0, n)) {
            text.replace(text.size() - n, n, mark);
            break;
        }
    }
}

/// Whether `text` starts with `lower_prefix` (given in lower case), ignoring ASCII case.
inline bool iequals_prefix(std::string_view text, std::string_view lower_prefix) noexcept {
    if (text.size() < lower_prefix.size()) return false;
    for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != lower_prefix[i]) return false;
    }
    return true;
}

inline int hex_digit_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// Percent-decoding (RFC 3986); false on a malformed escape.
inline bool percent_decode(std::string_view in, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size()) return false;
        const int hi = hex_digit_value(in[i + 1]), lo = hex_digit_value(in[i + 2]);
        if (hi < 0 || lo < 0) return false;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return true;
}

}  // namespace genauth::detail

#endif
