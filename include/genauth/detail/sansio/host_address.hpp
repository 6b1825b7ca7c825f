#ifndef GENAUTH_DETAIL_SANSIO_HOST_ADDRESS_HPP
#define GENAUTH_DETAIL_SANSIO_HOST_ADDRESS_HPP

#include <genauth/detail/config.hpp>

#include <string>
#include <string_view>

namespace genauth::detail {

/// Where app_host points.
struct host_address {
    bool tls = true;
    std::string host;         ///< name or IP literal, without brackets
    std::string port;         ///< "443" by default
    std::string host_header;  ///< host[:port] as sent in `Host` (port omitted when default)
    bool operator==(const host_address&) const = default;
};

/// Splits `host[:port]` or `[IPv6][:port]` and checks it: a host name of letters, digits, '-',
/// '.' and '_', or a bracketed IPv6 literal; a port from 1 to 65535 when one is given (`port`
/// empty when not). Returns why `authority` is not one, or null. Shared by the app host and the
/// proxy URL.
GENAUTH_DECL const char* split_authority(std::string_view authority, std::string_view& host, std::string_view& port,
                                         bool& ipv6) noexcept;

}  // namespace genauth::detail

#endif
