#ifndef GENAUTH_IMPL_SANSIO_PROXY_IPP
#define GENAUTH_IMPL_SANSIO_PROXY_IPP

#include <genauth/detail/sansio/head_writer.hpp>
#include <genauth/detail/sansio/proxy.hpp>
#include <genauth/detail/sansio/request.hpp>
#include <genauth/impl/sansio/sanitize.hpp>

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace genauth::detail {

inline std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

inline std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Splits a NO_PROXY entry: "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 literal
// (several colons, no port), which split_authority rightly refuses in a URL. False when brackets
// do not close.
inline bool split_host_port(std::string_view text, std::string_view& host, std::string_view& port) noexcept {
    port = {};
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos) return false;
        host = text.substr(1, close - 1);
        const auto rest = text.substr(close + 1);
        if (rest.empty()) return true;
        if (rest.front() != ':') return false;
        port = rest.substr(1);
        return true;
    }
    const auto colon = text.find(':');
    if (colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        return true;
    }
    host = text;  // a name, or a bare IPv6 literal
    return true;
}

GENAUTH_DECL error_code parse_proxy_url(std::string_view url, proxy_address& out, std::string& why) {
    out = proxy_address{};
    while (!url.empty() && (url.front() == ' ' || url.front() == '\t')) url.remove_prefix(1);
    while (!url.empty() && (url.back() == ' ' || url.back() == '\t')) url.remove_suffix(1);
    if (iequals_prefix(url, "http://")) {
        url.remove_prefix(7);
    } else if (url.find("://") != std::string_view::npos) {
        why = iequals_prefix(url, "https://") ? "a proxy reached over TLS (https://) is not supported: use http://"
                                              : "the proxy's scheme must be http://";
        return errc::invalid_proxy;
    }
    if (!url.empty() && url.back() == '/') url.remove_suffix(1);
    if (url.find_first_of("/?#") != std::string_view::npos) {
        why = "the proxy URL must not have a path, query or fragment";
        return errc::invalid_proxy;
    }
    if (const auto at = url.rfind('@'); at != std::string_view::npos) {
        const auto userinfo = url.substr(0, at);
        const auto colon = userinfo.find(':');
        std::string user, password;
        if (!percent_decode(userinfo.substr(0, colon), user) ||
            (colon != std::string_view::npos && !percent_decode(userinfo.substr(colon + 1), password))) {
            why = "the proxy's user or password is not validly percent-encoded";  // never the values
            return errc::invalid_proxy;
        }
        const std::string credentials = user + ":" + password;
        out.authorization = "Basic " + base64(credentials);
        add_secret(out.secrets, credentials);
        add_secret(out.secrets, password);
        add_secret(out.secrets, std::string_view(out.authorization).substr(6));
        url.remove_prefix(at + 1);
    }
    std::string_view host, port;
    bool ipv6 = false;
    if (const char* reason = split_authority(url, host, port, ipv6)) {
        why = std::string("the proxy's ") + reason;
        return errc::invalid_proxy;
    }
    out.host = std::string(host);
    out.port = port.empty() ? "1080" : std::string(port);
    return {};
}

GENAUTH_DECL bool no_proxy_matches(std::string_view no_proxy, std::string_view host, std::string_view port) noexcept {
    const std::string target = lowercase(host);
    std::size_t pos = 0;
    while (pos < no_proxy.size()) {
        const auto end = no_proxy.find_first_of(", \t", pos);
        auto entry = no_proxy.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        pos = end == std::string_view::npos ? no_proxy.size() : end + 1;
        if (entry.empty()) continue;
        if (entry == "*") return true;
        std::string_view entry_host, entry_port;
        if (!split_host_port(entry, entry_host, entry_port)) continue;
        if (!entry_port.empty() && entry_port != port) continue;
        if (entry_host.substr(0, 2) == "*.") entry_host.remove_prefix(2);
        if (!entry_host.empty() && entry_host.front() == '.') entry_host.remove_prefix(1);
        const std::string name = lowercase(entry_host);
        if (name.empty()) continue;
        if (target == name) return true;
        // A domain suffix: "example.com" exempts "api.example.com" (never a partial label).
        if (target.size() > name.size() && target.compare(target.size() - name.size(), name.size(), name) == 0 &&
            target[target.size() - name.size() - 1] == '.')
            return true;
    }
    return false;
}

GENAUTH_DECL error_code select_proxy(const client_options& opts, const host_address& target,
                                     environment_reader read_env, std::optional<proxy_address>& out, std::string& why) {
    out.reset();
    std::string url, no_proxy = opts.no_proxy;
    const char* source = "proxy";
    if (!opts.proxy.empty()) {
        url = opts.proxy;
    } else if (opts.proxy_from_environment && read_env != nullptr) {
        for (const char* name : {"HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"}) {
            if (const char* value = read_env(name); value != nullptr && *value != '\0') {
                url = value;
                source = name;
                break;
            }
        }
        if (no_proxy.empty()) {
            for (const char* name : {"NO_PROXY", "no_proxy"}) {
                if (const char* value = read_env(name); value != nullptr && *value != '\0') {
                    no_proxy = value;
                    break;
                }
            }
        }
    }
    if (url.empty() || !target.tls) return {};
    proxy_address proxy;
    if (auto ec = parse_proxy_url(url, proxy, why)) {
        why = std::string(source) + ": " + why;
        return ec;
    }
    if (no_proxy_matches(no_proxy, target.host, target.port)) return {};
    out = std::move(proxy);
    return {};
}

GENAUTH_DECL std::string connect_request(const host_address& target, const proxy_address& proxy) {
    const bool v6 = target.host.find(':') != std::string::npos;
    const std::string authority = (v6 ? "[" + target.host + "]" : target.host) + ":" + target.port;
    std::string request;
    // Every part was checked when the app host and the proxy URL were parsed (split_authority,
    // base64): a refusal here is a broken invariant, and an empty request then fails to open.
    const bool written =
        append_request_line(request, "CONNECT", authority, {}) && append_header(request, "Host", authority) &&
        (proxy.authorization.empty() || append_header(request, "Proxy-Authorization", proxy.authorization));
    if (!written) return {};
    request += "\r\n";
    return request;
}

GENAUTH_DECL error_code interpret_connect_status(unsigned status, bool sent_credentials, std::string& detail) {
    if (status >= 200 && status < 300) return {};
    // 407 is the standard answer; some proxies (tinyproxy) refuse wrong credentials with 401.
    if (status == 407 || status == 401) {
        detail =
            sent_credentials
                ? "the proxy refused the credentials of the proxy URL (" + std::to_string(status) + ")"
                : "the proxy wants credentials (" + std::to_string(status) + "): put user:password@ in the proxy URL";
        return errc::proxy_auth_required;
    }
    detail = "the proxy answered CONNECT with HTTP " + std::to_string(status);
    return errc::proxy_refused;
}

}  // namespace genauth::detail

#endif
