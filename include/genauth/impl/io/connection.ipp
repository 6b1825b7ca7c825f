#ifndef GENAUTH_IMPL_IO_CONNECTION_IPP
#define GENAUTH_IMPL_IO_CONNECTION_IPP

#include <genauth/impl/io/connection.hpp>
#include <genauth/impl/policy/policy.hpp>
#include <genauth/impl/sansio/sanitize.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#if defined(__unix__) || defined(__APPLE__)
#include <cerrno>

#include <sys/socket.h>
#endif

namespace genauth::detail {

namespace http = beast::http;
inline constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

inline std::variant<tcp_stream, tls_stream> make_stream(const asio::any_io_executor& ex, asio::ssl::context* tls) {
    if (tls != nullptr) return std::variant<tcp_stream, tls_stream>(std::in_place_index<1>, ex, *tls);
    return std::variant<tcp_stream, tls_stream>(std::in_place_index<0>, ex);
}

GENAUTH_DECL connection::connection(const asio::any_io_executor& ex, asio::ssl::context* tls)
    : stream_(make_stream(ex, tls)) {
#if defined(SSL_MODE_RELEASE_BUFFERS)
    // Asio asks OpenSSL to free a connection's record buffers whenever they are empty: three
    // allocations of about 16 KiB per request and response (and malloc consolidating the heap).
    // A kept connection carries request after request, so it keeps its buffers (about 34 KiB).
    if (auto* stream = std::get_if<tls_stream>(&stream_))
        SSL_clear_mode(stream->native_handle(), SSL_MODE_RELEASE_BUFFERS);
#endif
}

GENAUTH_DECL tcp_stream& connection::lowest_layer() noexcept {
    if (auto* tls = std::get_if<tls_stream>(&stream_)) return tls->next_layer();
    return std::get<tcp_stream>(stream_);
}

GENAUTH_DECL void connection::remember_session(tls_session_cache& sessions) {
    if (session_remembered_) return;
    session_remembered_ = true;
    if (auto* tls = std::get_if<tls_stream>(&stream_)) sessions.store(tls->native_handle());
}

GENAUTH_DECL asio::awaitable<error_code> connection::open(const host_address& address, const proxy_address* proxy,
                                                          bool verify_peer, tls_session_cache& sessions,
                                                          std::string& detail) {
    // Through a proxy, the TCP connection goes to the proxy; its failures are the proxy's.
    if (auto ec = co_await connect_tcp(proxy != nullptr ? proxy->host : address.host,
                                       proxy != nullptr ? proxy->port : address.port, proxy != nullptr, detail))
        co_return ec;
    if (proxy != nullptr) {
        if (auto ec = co_await open_tunnel(address, *proxy, detail)) co_return ec;
    }
    connected_at_ = std::chrono::steady_clock::now();
    auto* tls = std::get_if<tls_stream>(&stream_);
    if (tls == nullptr) co_return error_code{};
    configure_tls(tls->native_handle(), address.host, verify_peer);
    tls->set_verify_mode(verify_peer ? asio::ssl::verify_peer : asio::ssl::verify_none);
    sessions.offer(tls->native_handle());
    co_return co_await handshake(*tls, verify_peer, detail);
}

GENAUTH_DECL asio::awaitable<error_code> connection::connect_tcp(const std::string& host, const std::string& port,
                                                                 bool to_proxy, std::string& detail) {
    const char* whose = to_proxy ? "the proxy " : "";
    asio::ip::tcp::resolver resolver(co_await asio::this_coro::executor);
    auto [resolve_ec, endpoints] = co_await resolver.async_resolve(host, port, tuple_awaitable);
    if (resolve_ec == asio::error::operation_aborted) co_return resolve_ec;
    if (resolve_ec) {
        detail = std::string("resolving ") + whose + sanitize_excerpt(host, 100) + ": " + resolve_ec.message();
        co_return to_proxy ? errc::proxy_unreachable : errc::resolve_failed;
    }
    auto [connect_ec, endpoint] = co_await lowest_layer().async_connect(endpoints, tuple_awaitable);
    if (connect_ec == asio::error::operation_aborted) co_return connect_ec;
    if (connect_ec) {
        detail = std::string("connecting to ") + whose + sanitize_excerpt(host, 100) + ":" + port + ": " +
                 connect_ec.message();
        co_return to_proxy ? errc::proxy_unreachable : errc::connect_failed;
    }
    error_code ignored;
    lowest_layer().socket().set_option(asio::ip::tcp::no_delay(true), ignored);
    co_return error_code{};
}

GENAUTH_DECL void connection::configure_tls(SSL* ssl, const std::string& host, bool verify_peer) {
    SSL_set_min_proto_version(ssl, TLS1_2_VERSION);
    // A server's renegotiation is refused (as curl does): it would re-run the handshake in the
    // middle of a response, on a connection that carries bearer tokens. Set per connection, so a
    // caller's own ssl::context is covered too.
    SSL_set_options(ssl, SSL_OP_NO_RENEGOTIATION);
    error_code not_ip;
    asio::ip::make_address(host, not_ip);
    const bool is_ip = !not_ip;
    if (!is_ip) SSL_set_tlsext_host_name(ssl, host.c_str());  // SNI never carries an IP literal
    if (!verify_peer) return;
    // OpenSSL's own host check, so a mismatch is reported as such (X509_V_ERR_HOSTNAME_MISMATCH).
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (is_ip)
        X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
    else
        SSL_set1_host(ssl, host.c_str());
}

GENAUTH_DECL asio::awaitable<error_code> connection::handshake(tls_stream& tls, bool verify_peer, std::string& detail) {
    auto [handshake_ec] = co_await tls.async_handshake(asio::ssl::stream_base::client, tuple_awaitable);
    if (handshake_ec == asio::error::operation_aborted) co_return handshake_ec;
    SSL* ssl = tls.native_handle();
    if (handshake_ec) {
        const long verify_result = SSL_get_verify_result(ssl);
        if (verify_peer && verify_result != X509_V_OK) {
            detail = std::string("certificate verify failed: ") + X509_verify_cert_error_string(verify_result);
            co_return errc::tls_certificate_rejected;
        }
        detail = "TLS handshake: " + handshake_ec.message();
        co_return errc::tls_handshake_failed;
    }
    resumed_ = SSL_session_reused(ssl) == 1;
    co_return error_code{};
}

GENAUTH_DECL asio::awaitable<error_code> connection::open_tunnel(const host_address& address,
                                                                 const proxy_address& proxy, std::string& detail) {
    const std::string request = connect_request(address, proxy);
    auto answer = co_await exchange_on(lowest_layer(), request, 0, true);
    if (answer.ec == asio::error::operation_aborted) co_return answer.ec;
    if (answer.ec) {
        detail = (answer.write_failed ? "sending CONNECT to the proxy: " : "the proxy's answer to CONNECT: ") +
                 (answer.detail.empty() ? answer.ec.message() : answer.detail);
        co_return errc::proxy_closed;
    }
    proxy_status_ = answer.status;
    if (auto ec = interpret_connect_status(proxy_status_, !proxy.authorization.empty(), detail)) co_return ec;
    if (reader_.buffered() != 0) {
        // The app host speaks first in TLS only after our ClientHello: bytes now are the proxy's.
        detail = "the proxy sent data after opening the tunnel, before the TLS handshake";
        co_return errc::proxy_refused;
    }
    co_return error_code{};
}

// One request and its response, on the proxy's TCP connection (CONNECT) or the app host's
// stream: a single coroutine, so an operation costs one frame here.
template <class Stream>
asio::awaitable<exchange_result> connection::exchange_on(Stream& stream, std::string_view request,
                                                         std::size_t body_limit, bool for_connect) {
    exchange_result result;
    auto [write_ec, written] = co_await asio::async_write(stream, asio::buffer(request), tuple_awaitable);
    if (write_ec) {
        result.ec = map_exchange_error(write_ec, result.detail);
        result.write_failed = true;
        result.received_any = reader_.buffered() != 0;
        result.nothing_written = written == 0;
        co_return result;
    }
    reader_.start(body_limit, for_connect);
    auto state = reader_.parse();
    while (state == response_reader::status::need_more) {
        auto [read_ec, n] = co_await stream.async_read_some(reader_.buffer(), tuple_awaitable);
        reader_.commit(n);
        if (read_ec == asio::error::eof) {
            state = reader_.end_of_stream();
        } else if (read_ec) {
            result.received_any = reader_.received_any();
            result.ec = map_exchange_error(read_ec, result.detail);
            co_return result;
        } else {
            state = reader_.parse();
        }
    }
    result.received_any = reader_.received_any();
    if (state == response_reader::status::failed) {
        result.ec = map_exchange_error(reader_.error(), result.detail);
        co_return result;
    }
    const auto& response = reader_.response();
    result.status = response.status;
    result.content_type = response.content_type;
    result.location = response.location;
    result.retry_after = response.retry_after;
    result.body = response.body;
    // Bytes beyond the response (in the buffer, the TLS engine or the socket) mean the stream
    // is out of step: never reuse it.
    result.keep_alive = !for_connect && reader_.keep_alive() && nothing_buffered();
    co_return result;
}

GENAUTH_DECL asio::awaitable<exchange_result> connection::exchange(const std::string& request, std::size_t body_limit) {
    // Not a coroutine: it hands over the stream's own coroutine (one frame fewer per operation).
    if (auto* tls = std::get_if<tls_stream>(&stream_)) return exchange_on(*tls, request, body_limit, false);
    return exchange_on(std::get<tcp_stream>(stream_), request, body_limit, false);
}

GENAUTH_DECL bool connection::nothing_buffered() {
    if (reader_.buffered() != 0) return false;
    if (auto* tls = std::get_if<tls_stream>(&stream_)) {
        // Records already decrypted, or still encrypted in the engine's input BIO (a second
        // response in a record of its own is read from the socket with the first one).
        SSL* ssl = tls->native_handle();
        if (SSL_has_pending(ssl) == 1 || BIO_ctrl_pending(SSL_get_rbio(ssl)) != 0) return false;
    }
    return true;
}

GENAUTH_DECL bool connection::idle_and_usable() {
    if (!nothing_buffered()) return false;
    auto& socket = lowest_layer().socket();
    return socket.is_open() && nothing_to_read(socket.native_handle());
}

GENAUTH_DECL bool nothing_to_read(asio::ip::tcp::socket::native_handle_type socket) noexcept {
#if defined(__unix__) || defined(__APPLE__)
    // A server that closed the idle connection has sent FIN (and, for TLS, a close_notify
    // record): either shows up as readable data. Looking costs one non-blocking syscall and
    // saves sending a request into a dead connection.
    char byte = 0;
    const auto n = ::recv(socket, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
#else
    (void)socket;
    return true;
#endif
}

}  // namespace genauth::detail

#endif
