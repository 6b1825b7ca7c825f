#ifndef GENAUTH_IMPL_TESTING_SCRIPTED_PROXY_IPP
#define GENAUTH_IMPL_TESTING_SCRIPTED_PROXY_IPP

#include <genauth/testing/scripted_proxy.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <cctype>
#include <mutex>
#include <thread>
#include <tuple>

namespace genauth::testing {

struct scripted_proxy::impl {
    using tcp = boost::asio::ip::tcp;
    static constexpr auto tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

    config cfg;
    boost::asio::io_context io{1};
    tcp::acceptor acceptor{io};
    std::thread thread;
    mutable std::mutex mutex;
    std::vector<received_connect> received;
    std::size_t connections = 0;

    explicit impl(config c) : cfg(std::move(c)) {
        namespace asio = boost::asio;
        tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
        acceptor.open(endpoint.protocol());
        acceptor.set_option(tcp::acceptor::reuse_address(true));
        acceptor.bind(endpoint);
        acceptor.listen();
        asio::co_spawn(io, accept_loop(), asio::detached);
        thread = std::thread([this] { io.run(); });
    }

    ~impl() {
        io.stop();
        if (thread.joinable()) thread.join();
    }

    boost::asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(tuple);
            if (ec) co_return;
            std::size_t index = 0;
            {
                std::lock_guard lock(mutex);
                index = connections++;
            }
            boost::asio::co_spawn(io, serve(std::move(socket), index), boost::asio::detached);
        }
    }

    static std::string header_value(const std::string& head, std::string_view lower_name) {
        std::size_t pos = head.find("\r\n");
        while (pos != std::string::npos && pos + 2 < head.size()) {
            const std::size_t start = pos + 2;
            const std::size_t end = head.find("\r\n", start);
            const std::string line = head.substr(start, end - start);
            const auto colon = line.find(':');
            if (colon != std::string::npos) {
                std::string name = line.substr(0, colon);
                for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                if (name == lower_name) {
                    const auto value = line.find_first_not_of(' ', colon + 1);
                    return value == std::string::npos ? std::string() : line.substr(value);
                }
            }
            pos = end;
        }
        return {};
    }

    boost::asio::awaitable<void> serve(tcp::socket client, std::size_t index) {
        namespace asio = boost::asio;
        std::string head;
        auto [read_ec, n] = co_await asio::async_read_until(client, asio::dynamic_buffer(head), "\r\n\r\n", tuple);
        if (read_ec) co_return;
        received_connect connect;
        connect.request_line = head.substr(0, head.find("\r\n"));
        connect.proxy_authorization = header_value(head.substr(0, n), "proxy-authorization");
        connect.connection_index = index;
        {
            std::lock_guard lock(mutex);
            received.push_back(connect);
        }
        if (cfg.what == behaviour::close_without_answer) co_return;
        if (cfg.what == behaviour::stall) {
            asio::steady_timer forever(io, asio::steady_timer::time_point::max());
            co_await forever.async_wait(tuple);  // until the proxy stops
            co_return;
        }
        if (!cfg.required_authorization.empty() && connect.proxy_authorization != cfg.required_authorization) {
            co_await refuse(client, 407);
            co_return;
        }
        if (cfg.what == behaviour::refuse) {
            co_await refuse(client, cfg.refusal_status);
            co_return;
        }
        // "CONNECT host:port HTTP/1.1": a tunnel to host:port.
        const auto first = connect.request_line.find(' ');
        const auto last = connect.request_line.rfind(' ');
        std::string authority = connect.request_line.substr(first + 1, last - first - 1);
        const auto colon = authority.rfind(':');
        std::string host = authority.substr(0, colon), port = authority.substr(colon + 1);
        if (host.size() > 1 && host.front() == '[') host = host.substr(1, host.size() - 2);
        tcp::resolver resolver(io);
        auto [resolve_ec, endpoints] = co_await resolver.async_resolve(host, port, tuple);
        tcp::socket upstream(io);
        boost::system::error_code connect_ec = resolve_ec;
        if (!connect_ec) std::tie(connect_ec, std::ignore) = co_await asio::async_connect(upstream, endpoints, tuple);
        if (connect_ec) {
            co_await refuse(client, 502);
            co_return;
        }
        const std::string ok = "HTTP/1.1 200 Connection established\r\n\r\n";
        auto [write_ec, written] = co_await asio::async_write(client, asio::buffer(ok), tuple);
        if (write_ec) co_return;
        // Bytes the client sent after its CONNECT (none, from this library) go first.
        if (head.size() > n) co_await asio::async_write(upstream, asio::buffer(head.substr(n)), tuple);
        auto shared_client = std::make_shared<tcp::socket>(std::move(client));
        auto shared_upstream = std::make_shared<tcp::socket>(std::move(upstream));
        asio::co_spawn(io, relay(shared_upstream, shared_client), asio::detached);
        co_await relay(shared_client, shared_upstream);
    }

    static boost::asio::awaitable<void> refuse(tcp::socket& client, unsigned status) {
        const std::string body = "<html><body>refused</body></html>";
        std::string reply = "HTTP/1.1 " + std::to_string(status) + " Refused\r\nContent-Type: text/html\r\n";
        if (status == 407) reply += "Proxy-Authenticate: Basic realm=\"test\"\r\n";
        reply += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
        co_await boost::asio::async_write(client, boost::asio::buffer(reply), tuple);
    }

    // Copies `from` to `to` until either side ends, then closes both.
    static boost::asio::awaitable<void> relay(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
        std::array<char, std::size_t{16} * 1024> buffer{};
        for (;;) {
            auto [ec, n] = co_await from->async_read_some(boost::asio::buffer(buffer), tuple);
            if (ec) break;
            auto [write_ec, written] =
                co_await boost::asio::async_write(*to, boost::asio::buffer(buffer.data(), n), tuple);
            if (write_ec) break;
        }
        boost::system::error_code ignored;
        to->shutdown(tcp::socket::shutdown_send, ignored);
        from->close(ignored);
    }
};

GENAUTH_DECL scripted_proxy::scripted_proxy(config cfg) : impl_(std::make_unique<impl>(std::move(cfg))) {}
GENAUTH_DECL scripted_proxy::~scripted_proxy() = default;

GENAUTH_DECL unsigned short scripted_proxy::port() const noexcept { return impl_->acceptor.local_endpoint().port(); }

GENAUTH_DECL std::string scripted_proxy::url() const { return "http://127.0.0.1:" + std::to_string(port()); }

GENAUTH_DECL std::size_t scripted_proxy::connections_accepted() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->connections;
}

GENAUTH_DECL std::vector<received_connect> scripted_proxy::connects() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->received;
}

}  // namespace genauth::testing

#endif
