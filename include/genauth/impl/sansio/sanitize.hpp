#ifndef GENAUTH_IMPL_SANSIO_SANITIZE_HPP
#define GENAUTH_IMPL_SANSIO_SANITIZE_HPP

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace genauth::detail {

/// The secrets one call carries, as the texts a server could echo: the caller's bearer token,
/// the values of the request's secret fields and the proxy's credentials. Each list holds
/// values joined by NUL bytes (secret_list). Views: valid while the call's state lives.
struct call_secrets {
    std::string_view token;    ///< the caller's token (access token, or an MFA token later)
    std::string_view request;  ///< the request's secret fields (secret_list)
    std::string_view proxy;    ///< the proxy's user:password, password and Basic form (secret_list)

    /// Calls `f(secret)` for each non-empty secret.
    template <class F>
    void for_each(F&& f) const {
        if (!token.empty()) f(token);
        for (std::string_view list : {request, proxy}) {
            while (!list.empty()) {
                const auto end = std::min(list.find('\0'), list.size());
                if (end != 0) f(list.substr(0, end));
                list.remove_prefix(std::min(end + 1, list.size()));
            }
        }
    }
    /// The longest secret's size.
    std::size_t longest() const {
        std::size_t n = 0;
        for_each([&n](std::string_view s) { n = std::max(n, s.size()); });
        return n;
    }
};

/// Adds `value` to a NUL-joined secret list (see call_secrets).
inline void add_secret(std::string& list, std::string_view value) {
    if (value.empty()) return;
    // Room for a pass code or two after a token: a request's secrets take one allocation.
    if (list.capacity() < list.size() + value.size() + 1) list.reserve(list.size() + value.size() + 32);
    if (!list.empty()) list += '\0';
    list.append(value);
}

/// What stands where a secret stood.
inline constexpr std::string_view redaction_mark = "[redacted]";

/// Secrets shorter than this are left alone: replacing them would mangle ordinary text without
/// protecting anything (a 6-digit pass code is still redacted).
inline constexpr std::size_t min_secret_bytes = 4;
/// A piece of a secret at either end of a text (a text someone else cut) is redacted from this
/// length on.
inline constexpr std::size_t min_secret_piece_bytes = 8;

/// Replaces a piece of `secret` (at least min_secret_piece_bytes) that ends `text` (the secret's
/// start) with "[redacted]": what a cut leaves of a secret. The longest such piece: only places
/// holding the secret's first byte are compared, so a text costs one pass.
inline void redact_trailing_piece(std::string& text, std::string_view secret) {
    if (secret.size() <= min_secret_piece_bytes || text.size() < min_secret_piece_bytes) return;
    const std::string_view view(text);
    const std::size_t first = text.size() > secret.size() - 1 ? text.size() - (secret.size() - 1) : 0;
    for (std::size_t pos = view.find(secret.front(), first);
         pos != std::string_view::npos && pos + min_secret_piece_bytes <= text.size();
         pos = view.find(secret.front(), pos + 1)) {
        if (view.substr(pos) == secret.substr(0, text.size() - pos)) {
            text.replace(pos, text.size() - pos, redaction_mark);
            return;
        }
    }
}

/// Replaces a piece of `secret` (at least min_secret_piece_bytes) that starts `text` (the
/// secret's end) with "[redacted]". The longest such piece, found in one pass over the secret.
inline void redact_leading_piece(std::string& text, std::string_view secret) {
    if (secret.size() <= min_secret_piece_bytes || text.size() < min_secret_piece_bytes) return;
    for (std::size_t from = secret.find(text.front(), 1);
         from != std::string_view::npos && from + min_secret_piece_bytes <= secret.size();
         from = secret.find(text.front(), from + 1)) {
        const std::size_t n = secret.size() - from;
        if (n > text.size()) continue;
        if (std::string_view(text).substr(0, n) == secret.substr(from)) {
            text.replace(0, n, redaction_mark);
            return;
        }
    }
}

/// Replaces every occurrence of `secret` in `text` with "[redacted]", and a piece of it (at least
/// min_secret_piece_bytes) that ends the text or starts it, as a text cut by its writer holds.
/// `text` must be the decoded text (JSON escapes resolved) and whole: cut only after this.
inline void redact(std::string& text, std::string_view secret) {
    if (secret.size() < min_secret_bytes) return;
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + redaction_mark.size()))
        text.replace(pos, secret.size(), redaction_mark);
    redact_trailing_piece(text, secret);
    redact_leading_piece(text, secret);
}

/// Every secret of the call, redacted from `text` (see redact).
inline void redact(std::string& text, const call_secrets& secrets) {
    if (text.empty()) return;
    secrets.for_each([&text](std::string_view secret) { redact(text, secret); });
}

inline int hex_digit_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// The printable form of untrusted server text, made until `limit` bytes are out: JSON escapes
/// decoded when `json_escapes` (so an echo escaped as "\u0074oken" reads as "token"), then
/// control characters and bytes outside printable ASCII as '?', runs of white space folded into
/// one space, leading and trailing white space dropped. `cut` says whether text was left over.
inline std::string printable_text(std::string_view text, std::size_t limit, bool json_escapes, bool& cut) {
    std::string out;
    out.reserve(std::min(text.size(), limit));
    bool last_space = true;  // also trims leading white space
    cut = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (out.size() >= limit) {
            cut = true;
            break;
        }
        auto c = static_cast<unsigned char>(text[i]);
        if (json_escapes && c == '\\' && i + 1 < text.size()) {
            const char e = text[i + 1];
            constexpr std::string_view from = "\"\\/bfnrt", to = "\"\\/\b\f\n\r\t";
            if (const auto k = from.find(e); k != std::string_view::npos) {
                c = static_cast<unsigned char>(to[k]);
                ++i;
            } else if (e == 'u' && i + 5 < text.size()) {
                int code = 0;
                bool hex = true;
                for (std::size_t j = i + 2; j < i + 6; ++j) {
                    const int v = hex_digit_value(text[j]);
                    hex = hex && v >= 0;
                    code = code * 16 + v;
                }
                if (hex) {
                    c = code < 0x80 ? static_cast<unsigned char>(code) : 0x80;  // non-ASCII shows as '?'
                    i += 5;
                }
            }
        }
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

/// A short, printable copy of untrusted server text for diagnostics, with the call's secrets
/// redacted before it is cut: see printable_text; cut at `max_bytes` with "..." appended. Keeps
/// log lines single-line and stops terminal escape sequences or forged log entries from
/// reaching the caller's logs. Every cut of server text goes through here.
inline std::string safe_excerpt(std::string_view text, std::size_t max_bytes, const call_secrets& secrets = {},
                                bool json_escapes = false) {
    bool cut = false;
    // Enough past the cut that a secret starting before it is whole, so it is redacted whole.
    std::string out = printable_text(text, max_bytes + secrets.longest() + 1, json_escapes, cut);
    redact(out, secrets);
    if (out.size() > max_bytes) {
        out.resize(max_bytes);
        cut = true;
    }
    if (cut) {
        // The cut never ends on the start of a secret, whatever stood after it.
        secrets.for_each([&out](std::string_view secret) {
            if (secret.size() >= min_secret_bytes) redact_trailing_piece(out, secret);
        });
        out.resize(std::min(out.size(), max_bytes));  // a mark may stand longer than what it hides
        out += "...";
    }
    return out;
}

/// safe_excerpt of text that holds no secret of a call (already redacted whole, or ours).
inline std::string sanitize_excerpt(std::string_view text, std::size_t max_bytes) {
    return safe_excerpt(text, max_bytes);
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
