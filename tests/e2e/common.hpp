#ifndef GENAUTH_TESTS_E2E_COMMON_HPP
#define GENAUTH_TESTS_E2E_COMMON_HPP

#include "../support/client_options.hpp"
#include "../support/leaks.hpp"

#include <genauth/genauth.hpp>
#include <genauth/testing/local_https_server.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <string>
#include <thread>
#include <tuple>

namespace e2e {

namespace asio = boost::asio;

// Completion token of calls whose error the test inspects: [error_code, response], no exceptions.
inline constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

// A loopback port nothing listens on (bound, then released).
inline unsigned short closed_port() {
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

// Recognisable, so tests can assert that it never appears in diagnostics.
inline const std::string secret_token = "SECRET-ACCESS-TOKEN-7f3a9c";

inline std::string success_body() {
    return R"({"statusCode":200,"message":"Operation successful","requestId":"934108e5-9fbf-4d24-8da1-c330328abd6c"})";
}

// A reply that never comes: the server holds the connection open.
inline genauth::testing::scripted_reply stall_reply() {
    genauth::testing::scripted_reply r;
    r.what = genauth::testing::scripted_reply::action::stall;
    return r;
}

inline genauth::client_options options_for(const genauth::testing::local_https_server& server) {
    return test_support::options_for(server, secret_token);
}

inline genauth::enroll_factor_request sms_request() {
    genauth::enroll_factor_request r;
    r.enrollment_token = "ENROLLMENT-TOKEN-5d1e0b7c";
    r.factor_type = genauth::factor_type::sms;
    r.enrollment_data.pass_code = "123456";
    return r;
}

using enroll_result = std::tuple<genauth::error_code, genauth::enroll_factor_response>;

// One enroll call through `client` (a client or a handle) as a coroutine: [error_code, response].
template <class Client>
asio::awaitable<enroll_result> enroll_call(Client& client, genauth::enroll_factor_request request = sms_request()) {
    co_return co_await client.async_enroll_factor(request, tuple_awaitable);
}

// Waits until `done()` holds, for an event another thread reports (a test server's close or
// stray answer), instead of sleeping a guessed time; false when 10 s pass first.
template <class Predicate>
bool wait_until(Predicate done) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done()) {
        if (std::chrono::steady_clock::now() > give_up) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

// Runs `a` on `io` until it finishes and returns its result (rethrowing its exception).
template <class T>
T run(asio::io_context& io, asio::awaitable<T> a) {
    auto future = asio::co_spawn(io, std::move(a), asio::use_future);
    io.restart();
    io.run();
    return future.get();
}

// Whether anything the caller can read (the envelope's texts, the diagnostics, `extra`, such as
// what()) holds a piece of a secret of the call: the access token, or sms_request()'s
// enrollment token and pass code (see test_support::holds_secret).
inline bool leaks_token(const genauth::response_envelope& e, const genauth::diagnostics& d,
                        const std::string& extra = {}) {
    const auto request = sms_request();
    return test_support::any_holds_secret({e.message, d.body_excerpt, d.detail, e.request_id.value_or(""), extra},
                                          {secret_token, request.enrollment_token, *request.enrollment_data.pass_code});
}
inline bool leaks_token(const genauth::response_base& r, const std::string& extra = {}) {
    return leaks_token(r, r.diag, extra);
}

}  // namespace e2e

#endif
