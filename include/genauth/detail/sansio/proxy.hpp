#ifndef GENAUTH_DETAIL_SANSIO_PROXY_HPP
#define GENAUTH_DETAIL_SANSIO_PROXY_HPP

// HTTPS through an HTTP proxy, with no I/O: which proxy (the option or the environment, as curl
// and Go read it), the CONNECT request, and what the proxy's answer means.

#include <genauth/client_options.hpp>
#include <genauth/detail/config.hpp>
#include <genauth/detail/sansio/host_address.hpp>
#include <genauth/error.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace genauth::detail {

/// An HTTP proxy that opens CONNECT tunnels.
struct proxy_address {
    std::string host;  ///< name or IP literal, without brackets
    std::string port;  ///< "1080" when the URL has none (curl's default)
    /// "Basic <base64(user:password)>", or empty without credentials. Secret: never logged.
    std::string authorization;
    /// What of the credentials a proxy or server could echo: "user:password", the password and
    /// the Basic form, NUL-joined (a secret list, see call_secrets). Empty without credentials.
    std::string secrets;
    bool operator==(const proxy_address&) const = default;
};

/// Parses `[http://][user:password@]host[:port][/]` (user and password percent-decoded). On
/// failure returns errc::invalid_proxy and says why in `why` (never the credentials).
GENAUTH_DECL error_code parse_proxy_url(std::string_view url, proxy_address& out, std::string& why);

/// Whether `host` (a name or IP literal, as in the app host) on `port` is exempt by a NO_PROXY
/// list: comma- or space-separated entries, each `*` (everything), a host name (also matching its
/// subdomains; a leading "." or "*." is ignored), or an IP literal (IPv6 with or without
/// brackets), optionally with ":port". Case-insensitive. CIDR ranges are not supported.
GENAUTH_DECL bool no_proxy_matches(std::string_view no_proxy, std::string_view host, std::string_view port) noexcept;

/// Reads one environment variable; null when unset (std::getenv, or a table in tests).
using environment_reader = const char* (*)(const char* name);

/// The proxy for `target`, if any: `opts.proxy` when set, else (with `proxy_from_environment`)
/// HTTPS_PROXY, https_proxy, ALL_PROXY, all_proxy, the first that is set and not empty; then
/// none when `target` matches `opts.no_proxy` (or, when that is empty and the environment is
/// read, NO_PROXY / no_proxy). Plain-HTTP app hosts (local test servers) never use a proxy.
/// An unparsable proxy URL: errc::invalid_proxy, saying which setting in `why`.
GENAUTH_DECL error_code select_proxy(const client_options& opts, const host_address& target,
                                     environment_reader read_env, std::optional<proxy_address>& out, std::string& why);

/// The CONNECT request for a tunnel to `target` (authority form, IPv6 in brackets).
GENAUTH_DECL std::string connect_request(const host_address& target, const proxy_address& proxy);

/// What the proxy's answer to CONNECT means: 2xx the tunnel is open; 407 (or 401, which some
/// proxies send for refused credentials) proxy_auth_required; any other status proxy_refused, the
/// status named in `detail`.
GENAUTH_DECL error_code interpret_connect_status(unsigned status, bool sent_credentials, std::string& detail);

}  // namespace genauth::detail

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/sansio/proxy.ipp>
#endif

#endif
