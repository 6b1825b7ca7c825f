#ifndef GENAUTH_IMPL_IO_CONNECTION_HPP
#define GENAUTH_IMPL_IO_CONNECTION_HPP

// The transport: one keep-alive HTTP/1.1 connection over TLS (or plain TCP for local tests),
// opened and used by coroutines. Only implementation files include this header: it pulls in
// Beast, Asio SSL and OpenSSL.

#include <genauth/client_options.hpp>
#include <genauth/detail/config.hpp>
#include <genauth/detail/sansio/request.hpp>
#include <genauth/detail/sansio/response.hpp>
#include <genauth/error.hpp>
#include <genauth/impl/io/tls_context.hpp>
#include <genauth/impl/sansio/response_reader.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/version.hpp>
#if BOOST_VERSION >= 108600
#include <boost/asio/ssl/stream.hpp>
#else
#include <boost/beast/ssl/ssl_stream.hpp>
#endif

#include <chrono>
#include <memory>
#include <string>
#include <variant>

namespace genauth::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;

using tcp_stream = beast::tcp_stream;
// Beast deprecates its ssl_stream from Boost 1.86, when Asio's own stream linearises gathered
// writes (one TLS record per request, as Beast's flat_stream did); before that Beast's is faster.
#if BOOST_VERSION >= 108600
using tls_stream = asio::ssl::stream<beast::tcp_stream>;
#else
using tls_stream = beast::ssl_stream<beast::tcp_stream>;
#endif

/// What one request/response exchange produced.
struct exchange_result {
    error_code ec;                 ///< transport or HTTP parse error (already mapped to genauth::errc where known)
    std::string detail;            ///< the original cause, for diagnostics
    bool received_any = false;     ///< whether any byte of a response arrived
    bool write_failed = false;     ///< the error came from writing the request
    bool nothing_written = false;  ///< the write failed before its first write completed: the request did not leave
    unsigned status = 0;
    std::string_view content_type;  ///< into the connection's reader: valid until it reads again
    std::string_view location;      ///< likewise
    std::string_view retry_after;   ///< likewise
    std::string_view body;          ///< likewise
    bool keep_alive = false;        ///< the connection may carry another request
};

class connection {
public:
    GENAUTH_DECL connection(const asio::any_io_executor& ex, asio::ssl::context* tls);

    /// Resolves, connects (through a CONNECT tunnel when `proxy` is not null) and, for https,
    /// performs the verified TLS handshake with `address` (SNI and certificate checks name the
    /// app host, never the proxy), offering the session in `sessions` for resumption. On failure
    /// returns a genauth::errc and explains in `detail` (never the proxy's credentials).
    GENAUTH_DECL asio::awaitable<error_code> open(const host_address& address, const proxy_address* proxy,
                                                  bool verify_peer, tls_session_cache& sessions, std::string& detail);

    /// The proxy's HTTP status for CONNECT (0: no proxy, or it never answered).
    unsigned proxy_status() const noexcept { return proxy_status_; }

    /// Whether the TLS handshake resumed an earlier session.
    bool resumed_session() const noexcept { return resumed_; }
    /// When the TCP connection was established (before the TLS handshake).
    std::chrono::steady_clock::time_point connected_at() const noexcept { return connected_at_; }

    /// After a complete exchange (when TLS 1.3 session tickets have arrived): gives this
    /// connection's session to `sessions`, once.
    GENAUTH_DECL void remember_session(tls_session_cache& sessions);

    /// Writes `request` (the bytes of one HTTP request) and reads one complete response
    /// (skipping 1xx interim responses).
    GENAUTH_DECL asio::awaitable<exchange_result> exchange(const std::string& request, std::size_t body_limit);

    /// True when nothing at all is pending on the connection: no byte in the read buffer, none in
    /// the TLS engine (decrypted or not), none on the socket, no close from the peer. Any byte
    /// there answers no request of ours (a stray second response, a body on a 204, a close
    /// notice): such a connection must never carry another request. One non-blocking peek.
    GENAUTH_DECL bool idle_and_usable();

    /// The part of idle_and_usable() that needs no system call: nothing left in the read buffer
    /// or the TLS engine. Checked right after each response; the socket is looked at before reuse.
    GENAUTH_DECL bool nothing_buffered();

private:
    template <class Stream>
    asio::awaitable<exchange_result> exchange_on(Stream& stream, std::string_view request, std::size_t body_limit,
                                                 bool for_connect);

    GENAUTH_DECL tcp_stream& lowest_layer() noexcept;

    // The steps of open(), in order.
    GENAUTH_DECL asio::awaitable<error_code> connect_tcp(const std::string& host, const std::string& port,
                                                         bool to_proxy, std::string& detail);
    GENAUTH_DECL asio::awaitable<error_code> open_tunnel(const host_address& address, const proxy_address& proxy,
                                                         std::string& detail);
    // The handshake's settings on `ssl`: TLS 1.2 at least, no renegotiation, SNI, host check.
    GENAUTH_DECL static void configure_tls(SSL* ssl, const std::string& host, bool verify_peer);
    GENAUTH_DECL asio::awaitable<error_code> handshake(tls_stream& tls, bool verify_peer, std::string& detail);

    std::variant<tcp_stream, tls_stream> stream_;
    response_reader reader_;  // keeps the read buffer from one response to the next
    bool resumed_ = false;
    unsigned proxy_status_ = 0;
    bool session_remembered_ = false;
    std::chrono::steady_clock::time_point connected_at_{};
};

/// True when nothing waits on `socket`: no byte and no close from the peer. One non-blocking peek
/// (POSIX; elsewhere always true). The check before an idle connection is reused.
GENAUTH_DECL bool nothing_to_read(asio::ip::tcp::socket::native_handle_type socket) noexcept;

}  // namespace genauth::detail

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/io/connection.ipp>
#endif

#endif
