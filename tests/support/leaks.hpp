#ifndef GENAUTH_TESTS_SUPPORT_LEAKS_HPP
#define GENAUTH_TESTS_SUPPORT_LEAKS_HPP

#include <initializer_list>
#include <string>
#include <string_view>

namespace test_support {

// `text` with JSON escapes of ASCII characters ("\u0074", "\/") decoded: how an echoed secret
// could hide from a plain search.
inline std::string decode_json_escapes(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '/') {
            out += '/';
            ++i;
        } else if (text[i] == '\\' && i + 5 < text.size() && text[i + 1] == 'u' && text.substr(i + 2, 2) == "00") {
            out += static_cast<char>(std::stoi(std::string(text.substr(i + 4, 2)), nullptr, 16));
            i += 5;
        } else {
            out += text[i];
        }
    }
    return out;
}

// Whether `text` holds any piece of `secret` of 8 bytes or more (the whole secret when it is
// shorter), as written or behind JSON escapes: a cut excerpt keeps a piece, not the whole.
inline bool holds_secret(std::string_view text, std::string_view secret) {
    if (secret.empty()) return false;
    const std::size_t piece = secret.size() < 8 ? secret.size() : 8;
    for (const std::string& form : {std::string(text), decode_json_escapes(text)})
        for (std::size_t start = 0; start + piece <= secret.size(); ++start)
            if (form.find(secret.substr(start, piece)) != std::string::npos) return true;
    return false;
}

// Whether any of `texts` holds a piece of any of `secrets`.
inline bool any_holds_secret(std::initializer_list<std::string_view> texts,
                             std::initializer_list<std::string_view> secrets) {
    for (auto text : texts)
        for (auto secret : secrets)
            if (holds_secret(text, secret)) return true;
    return false;
}

}  // namespace test_support

#endif
