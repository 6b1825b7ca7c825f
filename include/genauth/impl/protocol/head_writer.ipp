#ifndef GENAUTH_IMPL_PROTOCOL_HEAD_WRITER_IPP
#define GENAUTH_IMPL_PROTOCOL_HEAD_WRITER_IPP

#include <genauth/detail/protocol/head_writer.hpp>

namespace genauth::detail {

GENAUTH_DECL bool is_valid_header_value(std::string_view value) noexcept {
    for (char raw : value) {
        const auto c = static_cast<unsigned char>(raw);
        if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
    }
    const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
    return value.empty() || (!is_space(value.front()) && !is_space(value.back()));
}

GENAUTH_DECL bool is_token(std::string_view name) noexcept {
    constexpr std::string_view specials = "!#$%&'*+-.^_`|~";
    for (char c : name) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && specials.find(c) == std::string_view::npos) return false;
    }
    return !name.empty();
}

GENAUTH_DECL bool is_valid_request_target(std::string_view target) noexcept {
    for (char raw : target) {
        const auto c = static_cast<unsigned char>(raw);
        if (c <= 0x20 || c >= 0x7f) return false;
    }
    return !target.empty();
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
