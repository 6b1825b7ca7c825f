#ifndef GENAUTH_IMPL_SANSIO_REQUEST_IPP
#define GENAUTH_IMPL_SANSIO_REQUEST_IPP

#include <genauth/detail/sansio/request.hpp>
#include <genauth/impl/sansio/sanitize.hpp>
#include <genauth/version.hpp>

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/version.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

namespace genauth::detail {

GENAUTH_DECL error_code parse_app_host(std::string_view app_host, host_address& out, std::string& why) {
    auto fail = [&why](std::string reason) {
        why = "app_host: " + std::move(reason);
        return error_code(errc::invalid_app_host);
    };
    std::string_view rest;
    if (iequals_prefix(app_host, "https://")) {
        out.tls = true;
        rest = app_host.substr(8);
    } else if (iequals_prefix(app_host, "http://")) {
        out.tls = false;
        rest = app_host.substr(7);
    } else if (app_host.find("://") == std::string_view::npos) {
        // No scheme ("example.genauth.ai" or "example.genauth.ai:8443"): https, as the Node SDK
        // reads it. Anything else with "://" is another scheme.
        if (app_host.substr(0, 2) == "//") return fail("must start with https:// or http://, or a host name");
        out.tls = true;
        rest = app_host;
    } else {
        return fail("must start with https:// or http://");
    }
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    if (!path.empty() && path != "/") return fail("must not have a path, query or fragment (only a trailing '/')");
    if (authority.find_first_of("?#@") != std::string_view::npos)
        return fail("must not have a query, fragment or user-info");

    std::string_view host, port;
    bool ipv6 = false;
    if (const char* reason = split_authority(authority, host, port, ipv6)) return fail(reason);
    const std::string_view default_port = out.tls ? "443" : "80";
    out.host.assign(host);
    out.port.assign(port.empty() ? default_port : port);
    out.host_header = ipv6 ? "[" + out.host + "]" : out.host;
    if (out.port != default_port) out.host_header += ":" + out.port;
    return {};
}

GENAUTH_DECL const char* split_authority(std::string_view authority, std::string_view& host, std::string_view& port,
                                         bool& ipv6) noexcept {
    port = {};
    bool has_port = false;
    ipv6 = !authority.empty() && authority.front() == '[';
    if (ipv6) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return "unterminated IPv6 literal";
        host = authority.substr(1, close - 1);
        auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return "unexpected characters after the IPv6 literal";
            has_port = true;
            port = after.substr(1);
        }
        if (host.empty() || host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos)
            return "invalid IPv6 literal";
    } else {
        const auto colon = authority.find(':');
        host = authority.substr(0, colon);
        if (colon != std::string_view::npos) {
            has_port = true;
            port = authority.substr(colon + 1);
        }
        if (host.empty()) return "missing host";
        for (char c : host)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_')
                return "invalid character in host name";
    }
    if (has_port) {
        unsigned value = 0;
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        // Sent in Host as written: one spelling per port ("0443" is refused, not rewritten).
        if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535 ||
            port.front() == '0')
            return "port must be a number from 1 to 65535, without leading zeros";
    }
    return nullptr;
}

// Why a header value was refused, after the field's name: the option's and a handle's token say
// the same, never the value.
inline constexpr std::string_view invalid_header_reason =
    " is not a valid header value (CR, LF, another control character, or white space at either end)";

// Why a lang was refused: the client's option and a handle's say the same.
inline constexpr std::string_view invalid_lang_reason = "lang is not 1-35 characters of A-Z, a-z, 0-9, '-' and '_'";

GENAUTH_DECL error_code make_request_settings(const client_options& opts, request_settings& out, std::string& why) {
    if (auto ec = parse_app_host(opts.app_host, out.address, why)) return ec;
    if (opts.app_id.empty()) {
        why = "app_id is empty: GenAuth needs the application's id";
        return errc::missing_app_id;
    }
    // Names only, never values: the token must not reach an error message.
    if (!is_valid_header_value(opts.access_token)) {
        why = "access_token" + std::string(invalid_header_reason);
        return errc::invalid_header_value;
    }
    if (opts.lang && !is_valid_lang(*opts.lang)) {
        why = invalid_lang_reason;
        return errc::invalid_lang;
    }
    if (opts.timeout.count() <= 0) {
        why = "timeout must be positive";
        return errc::invalid_option;
    }
    if (opts.idle_timeout.count() < 0 || opts.max_connections == 0) {
        why = "idle_timeout must not be negative and max_connections must be positive";
        return errc::invalid_option;
    }
    if (opts.max_response_body == 0) {
        why = "max_response_body must be positive";
        return errc::invalid_option;
    }
    if (opts.tls.insecure_skip_verification && (!opts.tls.extra_ca_file.empty() || !opts.tls.extra_ca_pem.empty())) {
        why = "tls.insecure_skip_verification contradicts an extra CA: choose one";
        return errc::invalid_option;
    }
    // The environment is read here, once per client. getenv is unsafe only against a concurrent
    // setenv, which a program changing its proxy settings while making clients must not do.
    const environment_reader read_env = [](const char* name) -> const char* {
        return std::getenv(name);  // NOLINT(concurrency-mt-unsafe): see above
    };
    if (auto ec = select_proxy(opts, out.address, read_env, out.proxy, why)) return ec;
    const std::string prefix = opts.header_prefix == header_prefix::genauth ? "x-genauth-" : "x-authing-";
    const struct {
        std::string name;
        std::string_view value;
    } fixed[] = {{"Host", out.address.host_header},
                 {"User-Agent", user_agent()},
                 {"Accept", "application/json"},
                 {prefix + "app-id", opts.app_id},
                 {prefix + "sdk-version", "genauth-cpp:" GENAUTH_VERSION_STRING},
                 {prefix + "request-from", opts.request_from}};
    out.fixed_headers.clear();
    for (const auto& [name, value] : fixed) {
        if (value.empty()) continue;  // request_from "" is not sent
        if (!append_header(out.fixed_headers, name, value)) {
            why = name + std::string(invalid_header_reason);
            return errc::invalid_header_value;
        }
    }
    out.lang_header = prefix + "lang";
    return {};
}

GENAUTH_DECL bool is_valid_lang(std::string_view lang) noexcept {
    if (lang.empty() || lang.size() > 35) return false;  // BCP 47 tags fit in 35 characters
    for (char c : lang) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && c != '-' && c != '_') return false;
    }
    return true;
}

GENAUTH_DECL std::string_view caller_identity::token() const noexcept {
    constexpr std::size_t prefix = 7;  // "Bearer " (either case), always present when not empty
    return authorization.size() > prefix ? std::string_view(authorization).substr(prefix) : std::string_view{};
}

GENAUTH_DECL caller_identity make_caller_identity(const user_context& user, const token_kind& kind) {
    caller_identity out;
    auto fail = [&out](error_code ec, std::string why) {
        out = caller_identity{};
        out.error = ec;
        out.detail = std::move(why);
        return out;
    };
    if (user.access_token.empty()) return fail(kind.missing, std::string(kind.missing_detail));
    // The name only, never the value.
    if (!is_valid_header_value(user.access_token))
        return fail(errc::invalid_header_value, std::string(kind.name) + std::string(invalid_header_reason));
    if (user.real_ip) {
        // The parser stops at a NUL and takes anything after '%' as a zone id: neither may reach
        // the wire, so the canonical text of the parsed address is sent, never the caller's.
        const std::string_view ip = *user.real_ip;
        if (ip.find('%') != std::string_view::npos)
            return fail(errc::invalid_real_ip, "real_ip has an IPv6 zone id ('%'), which GenAuth cannot use");
        if (ip.find('\0') != std::string_view::npos)
            return fail(errc::invalid_real_ip, "real_ip is not an IPv4 or IPv6 address");
        error_code not_ip;
        const auto address = boost::asio::ip::make_address(std::string(ip), not_ip);
        if (not_ip) return fail(errc::invalid_real_ip, "real_ip is not an IPv4 or IPv6 address");
        out.real_ip = address.to_string();
    }
    if (user.lang) {
        if (!is_valid_lang(*user.lang)) return fail(errc::invalid_lang, std::string(invalid_lang_reason));
        out.lang = *user.lang;
    }
    constexpr std::string_view bearer = "bearer ";
    out.authorization = iequals_prefix(user.access_token, bearer) ? user.access_token : "Bearer " + user.access_token;
    return out;
}

GENAUTH_DECL std::string percent_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (char raw : text) {
        const auto c = static_cast<unsigned char>(raw);
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (alnum || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

GENAUTH_DECL std::string to_query_string(const boost::json::object& params) {
    std::string out;
    for (const auto& [key, value] : params) {
        out += out.empty() ? '?' : '&';
        out += percent_encode(key);
        out += '=';
        if (value.is_string())
            out += percent_encode(value.get_string());
        else if (!value.is_null())
            out += percent_encode(boost::json::serialize(value));
    }
    return out;
}

GENAUTH_DECL void collect_secret_fields(const boost::json::value& request, std::string& list) {
    if (const auto* array = request.if_array()) {
        for (const auto& element : *array) collect_secret_fields(element, list);
        return;
    }
    const auto* object = request.if_object();
    if (object == nullptr) return;
    for (const auto& [key, value] : *object) {
        const bool secret = std::find(std::begin(secret_field_names), std::end(secret_field_names),
                                      std::string_view(key)) != std::end(secret_field_names);
        if (secret && value.is_string())
            add_secret(list, value.get_string());
        else
            collect_secret_fields(value, list);
    }
}

GENAUTH_DECL void fill_path_argument(prepared_call& call, std::string_view argument) {
    const auto at = call.path.find("{}");
    if (at == std::string_view::npos) return;
    call.path_with_argument.assign(call.path.substr(0, at));
    call.path_with_argument.append(percent_encode(argument));
    call.path_with_argument.append(call.path.substr(at + 2));
}

GENAUTH_DECL std::string_view user_agent() noexcept { return "genauth-cpp/" GENAUTH_VERSION_STRING; }

GENAUTH_DECL error_code build_http_request(const request_settings& s, const caller_identity& caller,
                                           const prepared_call& call, std::string& out, std::string& why) {
    const std::string_view method = method_name(call.method);
    const std::string_view path = call.path_with_argument.empty() ? call.path : call.path_with_argument;
    const bool has_body = carries_body(call.method);
    const std::string length = has_body ? std::to_string(call.body.size()) : std::string();
    out.clear();
    out.reserve(method.size() + path.size() + call.query.size() + s.fixed_headers.size() + caller.authorization.size() +
                s.lang_header.size() + caller.lang.size() + caller.real_ip.size() + call.body.size() + 128);
    const char* refused = nullptr;  // the field that failed, by name (never its value)
    if (!append_request_line(out, method, path, call.query)) refused = "the request target";
    out.append(s.fixed_headers);  // written by append_header when the client was made
    if (!refused && !caller.authorization.empty() && !append_header(out, "Authorization", caller.authorization))
        refused = "Authorization";
    if (!refused && !caller.lang.empty() && !append_header(out, s.lang_header, caller.lang)) refused = "lang";
    if (!refused && !caller.real_ip.empty() && !append_header(out, "x-real-ip", caller.real_ip)) refused = "x-real-ip";
    if (refused) {
        out.clear();
        why = std::string(refused) + " is not valid in an HTTP request head";
        return errc::invalid_header_value;
    }
    if (has_body) {
        append_header(out, "Content-Type", "application/json");
        append_header(out, "Content-Length", length);
        out.append("\r\n");
        out.append(call.body);
    } else {
        out.append("\r\n");
    }
    return {};
}

}  // namespace genauth::detail

#endif
