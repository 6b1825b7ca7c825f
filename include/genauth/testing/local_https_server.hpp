#ifndef GENAUTH_TESTING_LOCAL_HTTPS_SERVER_HPP
#define GENAUTH_TESTING_LOCAL_HTTPS_SERVER_HPP

// A scriptable HTTPS server on loopback, for tests (the library's own, and users' tests of code
// that calls GenAuth) and for the example. It runs on its own thread and io_context, with a
// certificate made when it starts, signed by a CA made at the same time (see ca_pem()).

#include <genauth/detail/config.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace genauth::testing {

/// A CA and a leaf certificate for one DNS name, made on the spot (EC P-256, valid one day).
struct test_pki {
    std::string ca_pem;    ///< the CA certificate: what a client must trust
    std::string cert_pem;  ///< the server certificate, issued for the DNS name
    std::string key_pem;   ///< the server's private key
};

/// Makes a fresh CA and a server certificate for `dns_name`.
GENAUTH_DECL test_pki make_test_pki(const std::string& dns_name = "localhost");

/// One request as the server received it.
struct received_request {
    std::string method;
    std::string target;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  ///< names in lower case
    std::size_t connection_index = 0;                          ///< 0 for the first connection accepted, ...

    /// The value of header `lower_case_name`, or "" when absent.
    GENAUTH_DECL std::string header(std::string_view lower_case_name) const;
    GENAUTH_DECL bool has_header(std::string_view lower_case_name) const;
};

/// What the server does with a request.
struct scripted_reply {
    enum class action {
        respond,               ///< send the response below
        stall,                 ///< never answer; keep the connection open
        close_without_answer,  ///< close the connection (FIN, no TLS close_notify) without a byte of response
        reset_without_answer,  ///< reset the connection (RST) without a byte of response
    };
    action what = action::respond;
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string body;
    /// Extra header fields of a response built from the above (`{"retry-after", "40"}`).
    std::vector<std::pair<std::string, std::string>> headers;
    std::string raw;  ///< when not empty: sent verbatim instead of a response built from the above
    /// When positive: the server waits this long before it answers (or closes, or stalls); other
    /// connections are served meanwhile.
    std::chrono::milliseconds delay{0};
    bool close_after = false;  ///< close the connection right after responding, without announcing it
    /// With close_after on TLS: send a close_notify alert before closing (a TLS-level close).
    bool tls_close_notify = false;
    /// When positive: the response goes out one byte at a time, this far apart.
    std::chrono::milliseconds drip_interval{0};
    /// When not empty: sent verbatim after the response, in a write (and so a TLS record) of its
    /// own, `stray_delay` later: an answer to no request, as a broken server or proxy sends. With
    /// no delay both leave in one TCP segment (Linux TCP_CORK), so they arrive together.
    std::string stray_after;
    std::chrono::milliseconds stray_delay{0};
    /// When not empty: written to the TCP socket beneath TLS after the response (a forged alert,
    /// a corrupted record), then the connection is closed.
    std::string tcp_after;

    /// A JSON response.
    static scripted_reply json(std::string body, unsigned status = 200) {
        scripted_reply r;
        r.body = std::move(body);
        r.status = status;
        return r;
    }
};

class local_https_server {
public:
    using handler_type = std::function<scripted_reply(const received_request&)>;

    /// What happens to each accepted connection before any request is read.
    enum class on_accept {
        serve,                  ///< handshake and serve requests
        close_at_once,          ///< close the TCP connection before any byte (no TLS handshake)
        close_after_handshake,  ///< complete the TLS handshake, then close without reading
    };

    struct config {
        bool tls = true;                     ///< false: plain HTTP
        std::string dns_name = "localhost";  ///< the name in the certificate
        on_accept accept_behaviour = on_accept::serve;
    };

    /// Starts listening on 127.0.0.1 (an ephemeral port) and serving on a thread of its own.
    /// `handler` runs on that thread, one request at a time.
    GENAUTH_DECL explicit local_https_server(handler_type handler);
    GENAUTH_DECL local_https_server(handler_type handler, config cfg);
    /// Stops the server and closes every connection.
    GENAUTH_DECL ~local_https_server();
    local_https_server(const local_https_server&) = delete;
    local_https_server& operator=(const local_https_server&) = delete;

    GENAUTH_DECL unsigned short port() const noexcept;
    /// "https://localhost:<port>" (or http://).
    GENAUTH_DECL std::string url() const;
    /// The CA that signed the server certificate.
    GENAUTH_DECL const std::string& ca_pem() const noexcept;

    GENAUTH_DECL std::size_t connections_accepted() const;
    /// true: the server stops listening, so new connections are refused (ECONNREFUSED, as a host
    /// that is down); connections already open are still served. false: it listens again on
    /// the same port. Returns once the change is made.
    GENAUTH_DECL void refuse_connections(bool refuse);
    /// Connections the server has closed after answering (scripted_reply::close_after): the FIN
    /// has left by the time this counts it, so a test can wait for it instead of sleeping.
    GENAUTH_DECL std::size_t connections_closed_after_answer() const;
    /// Stray answers written (scripted_reply::stray_after), likewise.
    GENAUTH_DECL std::size_t strays_sent() const;
    /// Every request received so far.
    GENAUTH_DECL std::size_t requests_received() const;
    /// The most recent request_log_limit requests, oldest first: a long test keeps bounded memory.
    GENAUTH_DECL std::vector<received_request> requests() const;
    static constexpr std::size_t request_log_limit = 1024;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace genauth::testing

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/testing/local_https_server.ipp>
#endif

#endif
