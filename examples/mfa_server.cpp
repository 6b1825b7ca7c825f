// genauth-cpp async-server example: an HTTP backend that lets a web front end's signed-in users
// bind MFA factors. One application-level client serves every user through per-user handles
// (the user's token from `Authorization`, the client IP as x-real-ip), run by several threads.
//
//   mfa_server [--port 8080] [--threads 2]
//       starts a local GenAuth-compatible HTTPS server (any bearer token is a user) and serves
//       the endpoints of mfa_server/mfa_http_server.hpp on 127.0.0.1:<port>;
//   mfa_server --app-host https://<app>.genauth.ai --app-id <id> [--port 8080] [--threads 2]
//       the same against a real tenant (users send their own GenAuth access tokens).
// Prints one JSON line per request on stdout. Stops on SIGINT or SIGTERM.
#include "mfa_server/mfa_http_server.hpp"

#include <genauth/testing/fake_genauth_server.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr const char* usage =
    "usage: mfa_server [--port N] [--threads N] [--app-host URL --app-id ID]\n"
    "With no --app-host it serves users of a local GenAuth-compatible server it starts itself.\n";

bool parse_arguments(int argc, char** argv, std::map<std::string, std::string>& out) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.rfind("--", 0) != 0 || i + 1 >= argc) return false;
        const std::string name = arg.substr(2);
        if (name != "port" && name != "threads" && name != "app-host" && name != "app-id") return false;
        out[name] = argv[++i];
    }
    return out.count("app-host") == out.count("app-id");
}

int to_number(const std::string& text, int fallback, int low, int high) {
    if (text.empty()) return fallback;
    char* end = nullptr;
    const long value = std::strtol(text.c_str(), &end, 10);
    return *end == '\0' && value >= low && value <= high ? static_cast<int>(value) : -1;
}

}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> args;
    if (!parse_arguments(argc, argv, args)) {
        std::cerr << usage;
        return 2;
    }
    const int port = to_number(args["port"], 8080, 0, 65535);
    const int threads = to_number(args["threads"], 2, 1, 64);
    if (port < 0 || threads < 0) {
        std::cerr << usage;
        return 2;
    }

    // Without a tenant: a local fake GenAuth on which every bearer token is a user.
    std::unique_ptr<genauth::testing::fake_genauth_server> local;
    genauth::client_options options;
    if (args["app-host"].empty()) {
        genauth::testing::fake_genauth_server::config cfg;
        cfg.accept_any_token = true;
        local = std::make_unique<genauth::testing::fake_genauth_server>(cfg);
        options = local->client_options_for("");
    } else {
        options.app_host = args["app-host"];
        options.app_id = args["app-id"];
    }
    options.access_token.clear();  // the application's client: each request brings its user's token
    // One JSON line per GenAuth call, through the client's observer; and one per request below.
    std::mutex log_mutex;
    options.observer = [&log_mutex](const genauth::operation_record& r) {
        const auto line = boost::json::serialize(boost::json::object{{"genauth", mfa_example::to_json(r)}});
        std::lock_guard lock(log_mutex);
        std::cout << line << std::endl;
    };

    boost::asio::io_context io(threads);
    const genauth::authentication_client app(io, options);
    boost::asio::ip::tcp::acceptor acceptor(
        io, {boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    std::cout << "mfa_server: listening on http://127.0.0.1:" << acceptor.local_endpoint().port() << " ("
              << (local ? "local GenAuth at " + local->url() : options.app_host) << "), " << threads << " threads"
              << std::endl;

    // One JSON line per request: what an operator needs, never a token or a body.
    auto log = [&log_mutex](const mfa_example::access_record& r) {
        boost::json::object line{{"method", r.method},
                                 {"target", r.target.substr(0, r.target.find('?'))},
                                 {"status", r.status},
                                 {"us", r.elapsed.count()}};
        genauth::error_code not_json;
        if (!r.failure.empty()) line["failure"] = boost::json::parse(r.failure, not_json);
        std::lock_guard lock(log_mutex);
        std::cout << boost::json::serialize(line) << std::endl;
    };
    boost::asio::co_spawn(io, mfa_example::accept_loop(app, acceptor, log), boost::asio::detached);

    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](auto, int) {
        acceptor.close();
        io.stop();
    });
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& t : pool) t.join();
    std::cout << "mfa_server: stopped" << std::endl;
}
