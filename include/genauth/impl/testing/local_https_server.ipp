#ifndef GENAUTH_IMPL_TESTING_LOCAL_HTTPS_SERVER_IPP
#define GENAUTH_IMPL_TESTING_LOCAL_HTTPS_SERVER_IPP

#include <genauth/impl/io/connection.hpp>
#include <genauth/testing/local_https_server.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#ifdef __linux__
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <sys/socket.h>
#endif

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <cctype>
#include <deque>
#include <future>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <type_traits>

// Certificate helpers of the test servers, in the library's one detail namespace.
namespace genauth::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

template <class T, void (*Free)(T*)>
struct openssl_deleter {
    void operator()(T* p) const noexcept { Free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, openssl_deleter<EVP_PKEY, EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, openssl_deleter<X509, X509_free>>;
using bio_ptr = std::unique_ptr<BIO, openssl_deleter<BIO, BIO_free_all>>;

inline void pki_check(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("make_test_pki: ") + what);
}

inline void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    pki_check(ext != nullptr, "extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

inline x509_ptr make_certificate(EVP_PKEY* key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key,
                                 long serial) {
    x509_ptr cert(X509_new());
    pki_check(cert != nullptr, "X509_new");
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24L * 3600);
    X509_set_pubkey(cert.get(), key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name), -1, -1,
                               0);
    X509_set_issuer_name(cert.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name);
    X509* signer = issuer != nullptr ? issuer : cert.get();
    if (issuer == nullptr) {
        add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
        add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
        add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
    } else {
        add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
        add_extension(cert.get(), signer, NID_key_usage, "critical,digitalSignature");
        add_extension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
        add_extension(cert.get(), signer, NID_authority_key_identifier, "keyid");
        const std::string san = "DNS:" + std::string(common_name);
        add_extension(cert.get(), signer, NID_subject_alt_name, san.c_str());
    }
    pki_check(X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) > 0, "X509_sign");
    return cert;
}

inline std::string to_pem(X509* cert) {
    bio_ptr bio(BIO_new(BIO_s_mem()));
    pki_check(PEM_write_bio_X509(bio.get(), cert) == 1, "PEM_write_bio_X509");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

inline std::string to_pem(EVP_PKEY* key) {
    bio_ptr bio(BIO_new(BIO_s_mem()));
    pki_check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1, "PEM_write");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace genauth::detail

namespace genauth::testing {

GENAUTH_DECL test_pki make_test_pki(const std::string& dns_name) {
    using namespace detail;
    pkey_ptr ca_key(EVP_EC_gen("P-256"));
    pkey_ptr leaf_key(EVP_EC_gen("P-256"));
    pki_check(ca_key && leaf_key, "EVP_EC_gen");
    auto ca = make_certificate(ca_key.get(), "genauth-cpp test CA", nullptr, nullptr, 1);
    auto leaf = make_certificate(leaf_key.get(), dns_name.c_str(), ca.get(), ca_key.get(), 2);
    return {to_pem(ca.get()), to_pem(leaf.get()), to_pem(leaf_key.get())};
}

GENAUTH_DECL std::string received_request::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (key == name) return value;
    return {};
}

GENAUTH_DECL bool received_request::has_header(std::string_view name) const {
    for (const auto& entry : headers)
        if (entry.first == name) return true;
    return false;
}

struct local_https_server::impl {
    using tcp = boost::asio::ip::tcp;

    handler_type handler;
    config cfg;
    test_pki pki;
    boost::asio::io_context io{1};
    // The thread keeps running while the server refuses connections (no acceptor, maybe no
    // connection left): refuse_connections(false) posts to it.
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> keep_running{io.get_executor()};
    boost::asio::ssl::context tls{boost::asio::ssl::context::tls_server};
    tcp::acceptor acceptor{io};
    std::thread thread;

    mutable std::mutex mutex;
    std::deque<received_request> received;  // the most recent request_log_limit requests
    std::size_t requests = 0;
    std::size_t connections = 0;
    std::size_t closed = 0;  // connections closed after an answer (close_after)
    std::size_t strays = 0;  // stray answers sent (stray_after)
    unsigned short port = 0;

    impl(handler_type h, config c) : handler(std::move(h)), cfg(std::move(c)) {
        namespace asio = boost::asio;
        if (cfg.tls) {
            pki = make_test_pki(cfg.dns_name);
            tls.use_certificate_chain(asio::buffer(pki.cert_pem));
            tls.use_private_key(asio::buffer(pki.key_pem), asio::ssl::context::pem);
        }
        listen(0);
        port = acceptor.local_endpoint().port();
        thread = std::thread([this] { io.run(); });
    }

    // Listens on 127.0.0.1:`on` (0: an ephemeral port) and accepts.
    void listen(unsigned short on) {
        namespace asio = boost::asio;
        tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), on);
        acceptor.open(endpoint.protocol());
        acceptor.set_option(tcp::acceptor::reuse_address(true));
        acceptor.bind(endpoint);
        acceptor.listen();
        asio::co_spawn(io, accept_loop(), asio::detached);
    }

    ~impl() {
        io.stop();
        if (thread.joinable()) thread.join();
    }

    boost::asio::awaitable<void> accept_loop() {
        namespace asio = boost::asio;
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec) co_return;
            // Without it, the first answer on each connection waits for the client's delayed ACK
            // (about 40 ms on Linux), which a test or the demo would read as the library's time.
            error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            std::size_t index = 0;
            {
                std::lock_guard lock(mutex);
                index = connections++;
            }
            if (cfg.accept_behaviour == on_accept::close_at_once) continue;  // the socket closes here
            if (cfg.tls) {
                auto stream = std::make_unique<detail::tls_stream>(std::move(socket), tls);
                asio::co_spawn(io, serve_tls(std::move(stream), index), asio::detached);
            } else {
                auto stream = std::make_unique<boost::beast::tcp_stream>(std::move(socket));
                auto& ref = *stream;  // before the move below: argument order is unspecified
                asio::co_spawn(io, serve(ref, index, std::move(stream)), asio::detached);
            }
        }
    }

    boost::asio::awaitable<void> serve_tls(std::unique_ptr<detail::tls_stream> stream, std::size_t index) {
        namespace asio = boost::asio;
        auto [ec] =
            co_await stream->async_handshake(asio::ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
        if (ec) co_return;  // the client refused our certificate, or went away
        if (cfg.accept_behaviour == on_accept::close_after_handshake) co_return;
        auto& ref = *stream;
        co_await serve(ref, index, std::move(stream));
    }

    template <class Stream>
    static void set_cork([[maybe_unused]] Stream& stream, [[maybe_unused]] bool on) {
#ifdef __linux__
        const int value = on ? 1 : 0;
        ::setsockopt(boost::beast::get_lowest_layer(stream).socket().native_handle(), IPPROTO_TCP, TCP_CORK, &value,
                     sizeof value);
#endif
    }

    template <class Stream, class Owner>
    boost::asio::awaitable<void> serve(Stream& stream, std::size_t index, Owner owner) {
        namespace asio = boost::asio;
        namespace http = boost::beast::http;
        auto tuple = asio::as_tuple(asio::use_awaitable);
        boost::beast::flat_buffer buffer;
        for (;;) {
            http::request<http::string_body> request;
            auto [read_ec, n] = co_await http::async_read(stream, buffer, request, tuple);
            if (read_ec) co_return;
            received_request record;
            record.method = std::string(request.method_string());
            record.target = std::string(request.target());
            record.body = request.body();
            record.connection_index = index;
            for (const auto& field : request) {
                std::string name(field.name_string());
                for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                record.headers.emplace_back(std::move(name), std::string(field.value()));
            }
            scripted_reply reply;
            {
                std::lock_guard lock(mutex);
                ++requests;
                received.push_back(record);
                if (received.size() > request_log_limit) received.pop_front();
            }
            reply = handler(record);
            if (reply.delay.count() > 0) {
                asio::steady_timer pause(co_await asio::this_coro::executor, reply.delay);
                co_await pause.async_wait(tuple);
            }
            if (reply.what == scripted_reply::action::stall) {
                asio::steady_timer forever(co_await asio::this_coro::executor, asio::steady_timer::time_point::max());
                co_await forever.async_wait(tuple);
                co_return;
            }
            if (reply.what == scripted_reply::action::close_without_answer) co_return;  // owner closes
            if (reply.what == scripted_reply::action::reset_without_answer) {
                error_code ignored;
                boost::beast::get_lowest_layer(stream).socket().set_option(asio::socket_base::linger(true, 0), ignored);
                co_return;  // owner closes: with linger 0, an RST
            }
            std::string bytes = reply.raw;
            if (bytes.empty()) {
                http::response<http::string_body> response{static_cast<http::status>(reply.status), 11};
                response.set(http::field::server, "genauth-cpp local server");
                for (const auto& [name, value] : reply.headers) response.insert(name, value);
                if (!reply.content_type.empty()) response.set(http::field::content_type, reply.content_type);
                response.body() = reply.body;
                response.keep_alive(request.keep_alive());
                response.prepare_payload();
                std::ostringstream out;
                out << response;
                bytes = out.str();
            }
            // A stray answer with no delay leaves with the response: corked, both records go out as
            // one segment once uncorked.
            const bool cork = !reply.stray_after.empty() && reply.stray_delay.count() == 0;
            set_cork(stream, cork);
            if (reply.drip_interval.count() > 0) {
                asio::steady_timer pause(co_await asio::this_coro::executor);
                for (char c : bytes) {
                    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(&c, 1), tuple);
                    if (ec) co_return;
                    pause.expires_after(reply.drip_interval);
                    co_await pause.async_wait(tuple);
                }
            } else {
                auto [ec, n] = co_await asio::async_write(stream, asio::buffer(bytes), tuple);
                if (ec) co_return;
            }
            if (!reply.stray_after.empty()) {
                if (reply.stray_delay.count() > 0) {
                    asio::steady_timer pause(co_await asio::this_coro::executor, reply.stray_delay);
                    co_await pause.async_wait(tuple);
                }
                auto [ec, n] = co_await asio::async_write(stream, asio::buffer(reply.stray_after), tuple);
                if (ec) co_return;
                set_cork(stream, false);
                std::lock_guard lock(mutex);
                ++strays;
            }
            if (!reply.tcp_after.empty()) {
                auto& tcp = boost::beast::get_lowest_layer(stream);
                co_await asio::async_write(tcp, asio::buffer(reply.tcp_after), tuple);
                co_return;
            }
            if (!request.keep_alive()) reply.close_after = true;
            if (reply.close_after && reply.tls_close_notify) {
                if constexpr (!std::is_same_v<Stream, boost::beast::tcp_stream>) {
                    boost::beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
                    co_await stream.async_shutdown(tuple);
                }
            }
            if (reply.close_after) {
                // Closed here, before it is counted, so a test waiting for the count knows the FIN left.
                error_code ignored;
                boost::beast::get_lowest_layer(stream).socket().close(ignored);
                std::lock_guard lock(mutex);
                ++closed;
                co_return;
            }
        }
        (void)owner;
    }
};

GENAUTH_DECL local_https_server::local_https_server(handler_type handler)
    : local_https_server(std::move(handler), config{}) {}

GENAUTH_DECL local_https_server::local_https_server(handler_type handler, config cfg)
    : impl_(std::make_unique<impl>(std::move(handler), std::move(cfg))) {}

GENAUTH_DECL local_https_server::~local_https_server() = default;

GENAUTH_DECL unsigned short local_https_server::port() const noexcept { return impl_->port; }

GENAUTH_DECL void local_https_server::refuse_connections(bool refuse) {
    std::promise<void> done;
    boost::asio::post(impl_->io, [&] {
        try {
            const bool listening = impl_->acceptor.is_open();
            if (refuse && listening) {
                impl_->acceptor.close();
            } else if (!refuse && !listening) {
                impl_->listen(impl_->port);
            }
            done.set_value();
        } catch (...) {
            done.set_exception(std::current_exception());
        }
    });
    done.get_future().get();
}

GENAUTH_DECL std::string local_https_server::url() const {
    return std::string(impl_->cfg.tls ? "https" : "http") + "://localhost:" + std::to_string(port());
}

GENAUTH_DECL const std::string& local_https_server::ca_pem() const noexcept { return impl_->pki.ca_pem; }

GENAUTH_DECL std::size_t local_https_server::connections_accepted() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->connections;
}

GENAUTH_DECL std::size_t local_https_server::connections_closed_after_answer() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->closed;
}

GENAUTH_DECL std::size_t local_https_server::strays_sent() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->strays;
}

GENAUTH_DECL std::size_t local_https_server::requests_received() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->requests;
}

GENAUTH_DECL std::vector<received_request> local_https_server::requests() const {
    std::lock_guard lock(impl_->mutex);
    return {impl_->received.begin(), impl_->received.end()};
}

}  // namespace genauth::testing

#endif
