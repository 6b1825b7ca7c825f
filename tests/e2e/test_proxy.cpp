// HTTPS through a proxy: a real one from Debian (tinyproxy, started here on loopback with a
// generated configuration), and a scripted one for the failures (407, 403, close, stall).
#include "common.hpp"

#include <genauth/testing/scripted_proxy.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <spawn.h>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

#include <sys/wait.h>

extern char** environ;

using namespace e2e;
using genauth::testing::local_https_server;
using genauth::testing::received_request;
using genauth::testing::scripted_proxy;
using genauth::testing::scripted_reply;

namespace {

const std::string proxy_password = "PROXY-PASSWORD-51d2";

local_https_server ok_server() {
    return local_https_server([](const received_request&) { return scripted_reply::json(success_body()); });
}

struct outcome {
    genauth::error_code ec;
    genauth::enroll_factor_response response;
    std::chrono::milliseconds took{};
};

outcome enroll(genauth::client_options opts) {
    asio::io_context io;
    genauth::authentication_client client(io, std::move(opts));
    const auto start = std::chrono::steady_clock::now();
    auto [ec, r] = run(io, client.async_enroll_factor(sms_request(), tuple_awaitable));
    return {ec, std::move(r),
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)};
}

bool mentions_secrets(const outcome& o) {
    const std::string what = genauth::error_with_diagnostics(o.ec, o.response, o.response.diag).what();
    return leaks_token(o.response, what) || what.find(proxy_password) != std::string::npos;
}

// tinyproxy in the foreground, on a free loopback port, Basic auth "alice:<proxy_password>".
class tinyproxy_process {
public:
    tinyproxy_process()
        : dir_(std::filesystem::temp_directory_path() / ("genauth-tinyproxy-" + std::to_string(::getpid()))) {
        std::filesystem::create_directories(dir_);
        port_ = closed_port();
        std::ofstream conf(dir_ / "tinyproxy.conf");
        conf << "Port " << port_ << "\nListen 127.0.0.1\nTimeout 30\nMaxClients 20\nLogLevel Connect\n"
             << "LogFile \"" << (dir_ / "tinyproxy.log").string() << "\"\n"
             << "PidFile \"" << (dir_ / "tinyproxy.pid").string() << "\"\n"
             << "BasicAuth alice " << proxy_password << "\n";
        conf.close();
        const std::string conf_path = (dir_ / "tinyproxy.conf").string();
        const char* argv[] = {"tinyproxy", "-d", "-c", conf_path.c_str(), nullptr};
        BOOST_TEST_REQUIRE(::posix_spawnp(&pid_, "tinyproxy", nullptr, nullptr, const_cast<char**>(argv), environ) == 0,
                           "tinyproxy is not installed: run scripts/install-deps.sh (GENAUTH_WITH_CLANG=1)");
        // Ready when it accepts connections.
        for (int i = 0; i < 100; ++i) {
            asio::io_context io;
            asio::ip::tcp::socket s(io);
            genauth::error_code ec;
            s.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
            if (!ec) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        BOOST_FAIL("tinyproxy did not start listening within 5 s");
    }
    ~tinyproxy_process() {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    tinyproxy_process(const tinyproxy_process&) = delete;
    tinyproxy_process& operator=(const tinyproxy_process&) = delete;

    std::string url(const std::string& userinfo) const {
        return "http://" + userinfo + "127.0.0.1:" + std::to_string(port_);
    }
    // How many CONNECT requests it logged.
    std::size_t connects_logged() const {
        std::ifstream log(dir_ / "tinyproxy.log");
        std::stringstream text;
        text << log.rdbuf();
        const std::string all = text.str();
        std::size_t count = 0;
        for (auto pos = all.find("): CONNECT "); pos != std::string::npos; pos = all.find("): CONNECT ", pos + 1))
            ++count;
        return count;
    }

private:
    std::filesystem::path dir_;
    unsigned short port_ = 0;
    pid_t pid_ = 0;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(test_proxy)

BOOST_AUTO_TEST_CASE(through_tinyproxy_with_credentials_and_reuse) {
    tinyproxy_process proxy;
    auto server = ok_server();
    auto opts = options_for(server);
    opts.proxy = proxy.url("alice:" + proxy_password + "@");
    asio::io_context io;
    genauth::authentication_client client(io, opts);
    for (int i = 0; i < 3; ++i) {
        auto [ec, r] = run(io, client.async_enroll_factor(sms_request(), tuple_awaitable));
        BOOST_TEST(!ec, ec.message() << " / " << r.diag.detail);
    }
    // One tunnel, reused: TLS ran end to end with the server (its certificate names localhost,
    // not the proxy's 127.0.0.1, and verification passed).
    BOOST_TEST(server.connections_accepted() == 1u);
    BOOST_TEST(server.requests_received() == 3u);
    BOOST_TEST(client.connections_opened() == 1u);
    BOOST_TEST(proxy.connects_logged() == 1u);
    BOOST_TEST(server.requests().at(0).header("authorization") == "Bearer " + secret_token);

    // Wrong password: tinyproxy answers 401; no password: 407. Both are the proxy's auth error.
    auto wrong = options_for(server);
    wrong.proxy = proxy.url("alice:not-the-password@");
    const auto refused = enroll(wrong);
    BOOST_TEST((refused.ec == genauth::errc::proxy_auth_required), refused.ec.message());
    BOOST_TEST(!mentions_secrets(refused));
    auto none = options_for(server);
    none.proxy = proxy.url("");
    const auto anonymous = enroll(none);
    BOOST_TEST((anonymous.ec == genauth::errc::proxy_auth_required), anonymous.ec.message());
    BOOST_TEST(anonymous.response.diag.http_status == 407u);
    BOOST_TEST(server.connections_accepted() == 1u);  // neither reached the server

    // no_proxy: the app host is reached directly, the proxy sees nothing more.
    auto bypass = options_for(server);
    bypass.proxy = proxy.url("alice:" + proxy_password + "@");
    bypass.no_proxy = "example.com, localhost";
    const auto direct = enroll(bypass);
    BOOST_TEST(!direct.ec, direct.ec.message());
    BOOST_TEST(server.connections_accepted() == 2u);
    BOOST_TEST(proxy.connects_logged() == 3u);  // the first tunnel and the two refused ones
}

// Sets environment variables for one test and puts back what was there (set or unset) when it
// ends, however it ends: a failing test must not reroute the tests after it.
class scoped_environment {
public:
    explicit scoped_environment(std::initializer_list<const char*> names) {
        for (const char* name : names) {
            const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): tests set it from one thread
            saved_.emplace_back(name, value ? std::optional<std::string>(value) : std::nullopt);
        }
    }
    ~scoped_environment() {
        for (const auto& [name, value] : saved_) {
            if (value)
                ::setenv(name.c_str(), value->c_str(), 1);
            else
                ::unsetenv(name.c_str());
        }
    }
    scoped_environment(const scoped_environment&) = delete;
    scoped_environment& operator=(const scoped_environment&) = delete;

private:
    std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

BOOST_AUTO_TEST_CASE(environment_variables_and_no_proxy) {
    auto server = ok_server();
    const std::string dead_proxy = "http://127.0.0.1:" + std::to_string(closed_port());
    auto opts = options_for(server);
    opts.proxy_from_environment = true;
    const scoped_environment restore{"HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"};
    for (const char* name : {"https_proxy", "ALL_PROXY", "all_proxy", "no_proxy"}) ::unsetenv(name);
    ::setenv("HTTPS_PROXY", dead_proxy.c_str(), 1);
    ::setenv("NO_PROXY", "localhost", 1);
    const auto bypassed = enroll(opts);
    ::unsetenv("NO_PROXY");
    const auto proxied = enroll(opts);
    auto off = opts;
    off.proxy_from_environment = false;
    const auto not_read = enroll(off);
    BOOST_TEST(!bypassed.ec, bypassed.ec.message());
    BOOST_TEST((proxied.ec == genauth::errc::proxy_unreachable), proxied.ec.message());
    BOOST_TEST(proxied.response.diag.detail.find("proxy") != std::string::npos);
    BOOST_TEST(!not_read.ec, not_read.ec.message());
    BOOST_TEST(server.connections_accepted() == 2u);
}

BOOST_AUTO_TEST_CASE(scripted_tunnel_sends_connect_and_credentials) {
    auto server = ok_server();
    scripted_proxy proxy({scripted_proxy::behaviour::tunnel, 403, "Basic YWxpY2U6" + std::string("czNjcmV0")});
    auto opts = options_for(server);
    opts.proxy = "http://alice:s3cret@127.0.0.1:" + std::to_string(proxy.port());
    asio::io_context io;
    genauth::authentication_client client(io, opts);
    for (int i = 0; i < 2; ++i) {
        auto [ec, r] = run(io, client.async_enroll_factor(sms_request(), tuple_awaitable));
        BOOST_TEST(!ec, ec.message() << " / " << r.diag.detail);
    }
    const auto connects = proxy.connects();
    BOOST_TEST_REQUIRE(connects.size() == 1u);  // the tunnel is pooled like any connection
    BOOST_TEST(connects[0].request_line == "CONNECT localhost:" + std::to_string(server.port()) + " HTTP/1.1");
    BOOST_TEST(connects[0].proxy_authorization == "Basic YWxpY2U6czNjcmV0");
    BOOST_TEST(server.connections_accepted() == 1u);
}

BOOST_AUTO_TEST_CASE(scripted_failures) {
    auto server = ok_server();
    struct row {
        const char* name;
        scripted_proxy::config cfg;
        bool with_credentials;
        genauth::errc expected;
        unsigned status;
    } rows[] = {
        {"407, no credentials",
         {scripted_proxy::behaviour::tunnel, 0, "Basic x"},
         false,
         genauth::errc::proxy_auth_required,
         407},
        {"407, wrong credentials",
         {scripted_proxy::behaviour::tunnel, 0, "Basic x"},
         true,
         genauth::errc::proxy_auth_required,
         407},
        {"403", {scripted_proxy::behaviour::refuse, 403, ""}, false, genauth::errc::proxy_refused, 403},
        {"502", {scripted_proxy::behaviour::refuse, 502, ""}, true, genauth::errc::proxy_refused, 502},
        {"closed during CONNECT",
         {scripted_proxy::behaviour::close_without_answer, 0, ""},
         true,
         genauth::errc::proxy_closed,
         0},
    };
    for (const auto& r : rows) {
        BOOST_TEST_CONTEXT(r.name) {
            scripted_proxy proxy(r.cfg);
            auto opts = options_for(server);
            opts.proxy = r.with_credentials
                             ? "http://alice:" + proxy_password + "@127.0.0.1:" + std::to_string(proxy.port())
                             : proxy.url();
            const auto o = enroll(opts);
            BOOST_TEST((o.ec == r.expected), o.ec.message() << " / " << o.response.diag.detail);
            BOOST_TEST((o.ec == genauth::condition::transport_error));
            BOOST_TEST(o.response.diag.http_status == r.status);
            if (r.status != 0) BOOST_TEST(o.response.diag.detail.find(std::to_string(r.status)) != std::string::npos);
            BOOST_TEST(!mentions_secrets(o));
            BOOST_TEST(proxy.connects().size() == 1u);
        }
    }
    BOOST_TEST(server.connections_accepted() == 0u);  // no tunnel ever opened

    // A proxy that never answers: the operation's one deadline covers the CONNECT.
    scripted_proxy stalled({scripted_proxy::behaviour::stall, 0, ""});
    auto opts = options_for(server);
    opts.proxy = stalled.url();
    opts.timeout = std::chrono::milliseconds(400);
    const auto o = enroll(opts);
    BOOST_TEST((o.ec == genauth::errc::timeout), o.ec.message());
    BOOST_TEST(o.took.count() >= 350);
    BOOST_TEST(o.took.count() < 3000);

    // Nothing listening where the proxy should be.
    auto unreachable = options_for(server);
    unreachable.proxy = "http://alice:" + proxy_password + "@127.0.0.1:" + std::to_string(closed_port());
    const auto u = enroll(unreachable);
    BOOST_TEST((u.ec == genauth::errc::proxy_unreachable), u.ec.message());
    BOOST_TEST(!mentions_secrets(u));
}

BOOST_AUTO_TEST_SUITE_END()
