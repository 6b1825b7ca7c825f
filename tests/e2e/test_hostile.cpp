// A hostile (or just broken) server: every case must end in its own documented error within the
// operation's deadline, never crash or hang, never send a request twice, and never let the
// access token into anything the caller can read or log.
#include "../support/http_bytes.hpp"
#include "../support/token_echo.hpp"
#include "common.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <functional>

using namespace e2e;
using genauth::errc;
using genauth::testing::local_https_server;
using genauth::testing::received_request;
using genauth::testing::scripted_reply;

namespace {

using test_support::with_content_length;

scripted_reply raw(std::string bytes, bool close_after = false) {
    scripted_reply r;
    r.raw = std::move(bytes);
    r.close_after = close_after;
    return r;
}

struct hostile_case {
    const char* name;
    std::function<scripted_reply(const received_request&)> reply;
    std::vector<errc> expected;  // any of these; empty: the call succeeds
    local_https_server::on_accept accept = local_https_server::on_accept::serve;
    std::function<void(genauth::client_options&)> tweak = {};
    std::size_t expected_requests = 1;
};

const std::string ok_body = R"({"statusCode":200,"message":"ok"})";

constexpr std::size_t flood_bytes = std::size_t{2} * 1024 * 1024;

// A chunked answer whose framing goes on: `start`, then `unit` repeated to 2 MiB.
scripted_reply framing_flood(const std::string& start, const std::string& unit) {
    std::string bytes =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + start;
    while (bytes.size() < flood_bytes) bytes += unit;
    return raw(std::move(bytes));
}

void long_deadline(genauth::client_options& o) { o.timeout = std::chrono::seconds(30); }

std::vector<hostile_case> cases() {
    using A = local_https_server::on_accept;
    return {
        {"drip one byte every 100 ms past the deadline",
         [](const received_request&) {
             auto r = raw(with_content_length("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n", ok_body));
             r.drip_interval = std::chrono::milliseconds(100);
             return r;
         },
         {errc::timeout},
         A::serve,
         [](genauth::client_options& o) { o.timeout = std::chrono::milliseconds(700); }},
        {"body shorter than Content-Length, then close",
         [](const received_request&) {
             return raw(
                 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"statusCode\":200",
                 true);
         },
         {errc::connection_closed}},
        {"chunked body with an invalid chunk size",
         [](const received_request&) {
             return raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n");
         },
         {errc::malformed_http}},
        {"bytes that are not HTTP",
         [](const received_request&) { return raw("SSH-2.0-OpenSSH_9.2\r\n\r\n", true); },
         {errc::malformed_http}},
        {"close right after accept", nullptr, {errc::tls_handshake_failed}, A::close_at_once, {}, 0},
        // The request may reach the closed socket first, and the kernel then answers with a reset.
        {"close right after the TLS handshake",
         nullptr,
         {errc::connection_closed, errc::connection_reset},
         A::close_after_handshake,
         {},
         0},
        {"close in the middle of a chunked body",
         [](const received_request&) {
             return raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"statusCode\":20", true);
         },
         {errc::connection_closed}},
        {"TLS close_notify alert mid-response",
         [](const received_request&) {
             auto r = raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"statusCode\":", true);
             r.tls_close_notify = true;
             return r;
         },
         {errc::connection_closed}},
        {"1xx interim responses before the real one",
         [](const received_request&) {
             return raw("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n" +
                        with_content_length("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n", ok_body));
         },
         {}},
        {"HTTP/1.0 response",
         [](const received_request&) {
             return raw(with_content_length("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n", ok_body), true);
         },
         {}},
        {"duplicate, equal Content-Length",
         [](const received_request&) {
             return raw(with_content_length(
                 "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(ok_body.size()) + "\r\n", ok_body));
         },
         {}},
        {"conflicting Content-Length",
         [](const received_request&) {
             return raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n" + ok_body);
         },
         {errc::malformed_http}},
        {"3xx redirect (never followed)",
         [](const received_request& r) {
             return raw(with_content_length("HTTP/1.1 302 Found\r\nLocation: https://evil.example:8443/steal?t=" +
                                                test_support::bearer_token(r) + "\r\n",
                                            ""));
         },
         {errc::redirect_refused}},
        {"header block over its limit",
         [](const received_request&) {
             return raw(
                 with_content_length("HTTP/1.1 200 OK\r\nX-Padding: " + std::string(20000, 'a') + "\r\n", ok_body));
         },
         {errc::response_too_large}},
        {"body over its limit",
         [](const received_request&) { return scripted_reply::json(std::string(2048, ' ') + ok_body); },
         {errc::response_too_large},
         A::serve,
         [](genauth::client_options& o) { o.max_response_body = 1024; }},
        {"chunked body over its limit",
         [](const received_request&) {
             std::string chunk(800, 'x');
             return raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" + chunk + "\r\n320\r\n" + chunk +
                        "\r\n0\r\n\r\n");
         },
         {errc::response_too_large},
         A::serve,
         [](genauth::client_options& o) { o.max_response_body = 1024; }},
        {"deeply nested JSON",
         [](const received_request&) {
             return scripted_reply::json(std::string(100000, '[') + std::string(100000, ']'));
         },
         {errc::malformed_json}},
        {"huge number as statusCode",
         [](const received_request&) { return scripted_reply::json(R"({"statusCode":1e999999,"message":"x"})"); },
         {errc::invalid_envelope}},
        {"invalid UTF-8",
         [](const received_request&) { return scripted_reply::json("{\"statusCode\":200,\"message\":\"\xc3\x28\"}"); },
         {errc::malformed_json}},
        {"duplicate keys",
         [](const received_request&) { return scripted_reply::json(R"({"statusCode":401,"statusCode":200})"); },
         {errc::duplicate_json_key}},
        {"statusCode missing",
         [](const received_request&) { return scripted_reply::json(R"({"message":"ok"})"); },
         {errc::invalid_envelope}},
        {"statusCode as a string",
         [](const received_request&) { return scripted_reply::json(R"({"statusCode":"200","message":"ok"})"); },
         {errc::invalid_envelope}},
        {"reads the whole POST, closes without answering",
         [](const received_request&) {
             scripted_reply r;
             r.what = scripted_reply::action::close_without_answer;
             return r;
         },
         {errc::connection_closed}},
        {"proxy HTML page echoing the Authorization header",
         [](const received_request& r) {
             scripted_reply reply;
             reply.status = 502;
             reply.content_type = "text/html";
             reply.body = "<html><body>upstream failed for " + r.header("authorization") + "</body></html>";
             return reply;
         },
         {errc::non_json_response}},
        {"envelope echoing the token in message and requestId",
         [](const received_request& r) { return test_support::echo_token(r); },
         {}},  // checked separately: an API error, not a client errc
        // Framing that Beast 1.81 does not bound: each must fail at its limit, at once, not at the
        // deadline (30 s here) after the client has buffered what the server sent (2 MiB each).
        {"an endless chunk-size line",
         [](const received_request&) { return framing_flood("1", "1"); },
         {errc::response_too_large},
         A::serve,
         long_deadline},
        {"an endless chunk extension",
         [](const received_request&) { return framing_flood("1;ext=", "a"); },
         {errc::response_too_large},
         A::serve,
         long_deadline},
        {"an endless trailer section",
         [](const received_request&) { return framing_flood("0\r\n", "X-Trailer: aaaaaaaaaaaaaaaa\r\n"); },
         {errc::response_too_large},
         A::serve,
         long_deadline},
        {"an endless stream of interim responses",
         [](const received_request&) {
             std::string flood;
             while (flood.size() < flood_bytes) flood += "HTTP/1.1 100 Continue\r\n\r\n";
             return raw(flood);
         },
         {errc::response_too_large},
         A::serve,
         long_deadline},
    };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_hostile)

BOOST_AUTO_TEST_CASE(every_case_ends_in_its_documented_error) {
    for (const auto& c : cases()) {
        BOOST_TEST_CONTEXT(c.name) {
            local_https_server::config cfg;
            cfg.accept_behaviour = c.accept;
            local_https_server server(
                c.reply ? c.reply : [](const received_request&) { return scripted_reply{}; }, cfg);
            asio::io_context io;
            auto options = options_for(server);
            options.timeout = std::chrono::seconds(3);
            if (c.tweak) c.tweak(options);
            genauth::authentication_client client(io, options);

            const auto start = std::chrono::steady_clock::now();
            auto [ec, response] = run(io, enroll_call(client));
            const auto elapsed = std::chrono::steady_clock::now() - start;

            if (std::string(c.name).rfind("envelope echoing", 0) == 0) {
                BOOST_TEST((ec == genauth::make_api_error_code(401)));
            } else if (!c.expected.empty()) {
                bool as_expected = false;  // a loop: clang 14 cannot capture structured bindings
                for (errc e : c.expected) as_expected = as_expected || ec == e;
                BOOST_TEST(as_expected, ec.message() << " / " << response.diag.detail);
            } else {
                BOOST_TEST(!ec, ec.message() << " / " << response.diag.detail);
            }
            // Within the deadline (plus scheduling slack), whatever the server does.
            BOOST_TEST((elapsed < options.timeout + std::chrono::seconds(1)));
            BOOST_TEST(server.requests_received() == c.expected_requests);  // never sent twice
            if (ec) {
                const std::string what = genauth::error_with_diagnostics(ec, response, response.diag).what();
                BOOST_TEST(!leaks_token(response, what), what);
                BOOST_TEST(what.find('\n') == std::string::npos);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(redirect_error_names_the_host_only) {
    local_https_server server([](const received_request&) {
        return raw(
            "HTTP/1.1 301 Moved\r\nLocation: https://evil.example:8443/x?token=abc\r\nContent-Length: 0\r\n\r\n");
    });
    asio::io_context io;
    genauth::authentication_client client(io, options_for(server));
    auto [ec, r] = run(io, enroll_call(client));
    BOOST_TEST((ec == errc::redirect_refused));
    BOOST_TEST(r.diag.detail.find("evil.example:8443") != std::string::npos, r.diag.detail);
    BOOST_TEST(r.diag.detail.find("token=abc") == std::string::npos);
    BOOST_TEST(r.diag.http_status == 301u);
}

BOOST_AUTO_TEST_CASE(http_1_0_connection_is_not_reused) {
    local_https_server server([](const received_request&) {
        return raw(with_content_length("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n", ok_body), true);
    });
    asio::io_context io;
    genauth::authentication_client client(io, options_for(server));
    for (int i = 0; i < 2; ++i) {
        auto [ec, r] = run(io, enroll_call(client));
        BOOST_TEST(!ec);
    }
    BOOST_TEST(client.connections_opened() == 2u);
    BOOST_TEST(server.requests_received() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
