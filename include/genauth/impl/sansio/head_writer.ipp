#ifndef GENAUTH_IMPL_SANSIO_HEAD_WRITER_IPP
#define GENAUTH_IMPL_SANSIO_HEAD_WRITER_IPP

#include <genauth/detail/sansio/head_writer.hpp>

namespace genauth::detail {

// What each byte may be, as RFC 9110 and 9112 say: one table lookup a byte on the hot path.
struct head_byte_classes {
    bool token[256] = {};          // tchar: a field name, a method
    bool field_content[256] = {};  // VCHAR, obs-text, SP, HTAB
    bool target[256] = {};         // visible ASCII: a request-target holds no space
    constexpr head_byte_classes() {
        for (int c = 0; c < 256; ++c) {
            const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            token[c] =
                alnum || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
            field_content[c] = (c >= 0x20 && c != 0x7f) || c == '\t';
            target[c] = c > 0x20 && c < 0x7f;
        }
    }
};
inline constexpr head_byte_classes head_bytes{};

template <std::size_t N>
constexpr bool all_of_class(std::string_view text, const bool (&allowed)[N]) noexcept {
    for (char c : text)
        if (!allowed[static_cast<unsigned char>(c)]) return false;
    return true;
}

GENAUTH_DECL bool is_valid_header_value(std::string_view value) noexcept {
    const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
    return all_of_class(value, head_bytes.field_content) &&
           (value.empty() || (!is_space(value.front()) && !is_space(value.back())));
}

GENAUTH_DECL bool is_token(std::string_view name) noexcept {
    return !name.empty() && all_of_class(name, head_bytes.token);
}

GENAUTH_DECL bool is_valid_request_target(std::string_view target) noexcept {
    return !target.empty() && all_of_class(target, head_bytes.target);
}

GENAUTH_DECL bool append_header(std::string& out, std::string_view name, std::string_view value) {
    if (!is_token(name) || !is_valid_header_value(value)) return false;
    out.append(name).append(": ").append(value).append("\r\n");
    return true;
}

GENAUTH_DECL bool append_request_line(std::string& out, std::string_view method, std::string_view path,
                                      std::string_view query) {
    if (!is_token(method) || !is_valid_request_target(path) || (!query.empty() && !is_valid_request_target(query)))
        return false;
    out.append(method).append(" ").append(path).append(query).append(" HTTP/1.1\r\n");
    return true;
}

}  // namespace genauth::detail

#endif
