#ifndef GENAUTH_TESTING_SCRIPTED_PROXY_HPP
#define GENAUTH_TESTING_SCRIPTED_PROXY_HPP

// An HTTP CONNECT proxy on loopback for tests: it opens real tunnels (relaying bytes both ways),
// or misbehaves as scripted, and records every CONNECT it receives.

#include <genauth/detail/config.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace genauth::testing {

/// A CONNECT request as the proxy received it.
struct received_connect {
    std::string request_line;          ///< "CONNECT host:port HTTP/1.1"
    std::string proxy_authorization;   ///< the Proxy-Authorization header's value, or ""
    std::size_t connection_index = 0;  ///< 0 for the first connection accepted, ...
};

class scripted_proxy {
public:
    /// What the proxy does with each CONNECT.
    enum class behaviour {
        tunnel,                ///< answer 200 and relay bytes to the requested host and port
        refuse,                ///< answer `refusal_status` (with a small HTML body) and close
        close_without_answer,  ///< close the connection without a byte
        stall,                 ///< never answer; keep the connection open
    };

    struct config {
        behaviour what = behaviour::tunnel;
        unsigned refusal_status = 403;
        /// When not empty: a CONNECT without exactly this Proxy-Authorization value gets 407.
        std::string required_authorization;
    };

    /// Listens on 127.0.0.1 (an ephemeral port), serving on a thread of its own.
    GENAUTH_DECL explicit scripted_proxy(config cfg);
    GENAUTH_DECL ~scripted_proxy();
    scripted_proxy(const scripted_proxy&) = delete;
    scripted_proxy& operator=(const scripted_proxy&) = delete;

    GENAUTH_DECL unsigned short port() const noexcept;
    /// "http://127.0.0.1:<port>".
    GENAUTH_DECL std::string url() const;
    GENAUTH_DECL std::size_t connections_accepted() const;
    GENAUTH_DECL std::vector<received_connect> connects() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace genauth::testing

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/testing/scripted_proxy.ipp>
#endif

#endif
