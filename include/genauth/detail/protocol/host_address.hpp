#ifndef GENAUTH_DETAIL_PROTOCOL_HOST_ADDRESS_HPP
#define GENAUTH_DETAIL_PROTOCOL_HOST_ADDRESS_HPP

#include <string>

namespace genauth::detail {

/// Where app_host points.
struct host_address {
    bool tls = true;
    std::string host;         ///< name or IP literal, without brackets
    std::string port;         ///< "443" by default
    std::string host_header;  ///< host[:port] as sent in `Host` (port omitted when default)
    bool operator==(const host_address&) const = default;
};

}  // namespace genauth::detail

#endif
