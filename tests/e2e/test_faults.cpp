// Fault injection: a stray response must never answer the next request, a POST must never reach
// the server twice, and TLS failures after the handshake are documented errors.
#include "../support/http_bytes.hpp"
#include "common.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

using namespace e2e;
using genauth::testing::local_https_server;
using genauth::testing::received_request;
using genauth::testing::scripted_reply;

namespace {

std::string answer(const std::string& request_id) {
    return R"({"statusCode":200,"message":"ok","requestId":")" + request_id + R"(","data":[]})";
}

std::string raw_response(const std::string& body) {
    return test_support::with_content_length("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n", body);
}

// Numbers the requests: request n is answered with requestId "real-n", after `first` shapes the
// answer to request 1.
local_https_server::handler_type numbered(std::function<void(scripted_reply&)> first) {
    auto count = std::make_shared<std::atomic<int>>(0);
    return [count, first](const received_request&) {
        const int n = ++*count;
        auto reply = scripted_reply::json(answer("real-" + std::to_string(n)));
        if (n == 1) first(reply);
        return reply;
    };
}

genauth::list_enrolled_factors_response list(asio::io_context& io, genauth::authentication_client& client,
                                             genauth::error_code& ec) {
    auto [e, r] = run(io, client.async_list_enrolled_factors(tuple_awaitable));
    ec = e;
    return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_faults)

BOOST_AUTO_TEST_CASE(a_stray_response_never_answers_the_next_request) {
    const std::string stray = raw_response(answer("STRAY"));
    const struct {
        const char* name;
        std::function<void(scripted_reply&)> first;
        bool wait_for_stray;                  // before the second operation: until the server sent it
        genauth::errc first_fails_with = {};  // 0: the first operation succeeds, with its own answer
    } cases[] = {
        {"same write, same record", [&](scripted_reply& r) { r.raw = raw_response(r.body) + stray; }, false},
        {"same TCP segment, own record", [&](scripted_reply& r) { r.stray_after = stray; }, false},
        {"own record, 20 ms later",
         [&](scripted_reply& r) {
             r.stray_after = stray;
             r.stray_delay = std::chrono::milliseconds(20);
         },
         true},
        {"own record, after 300 ms idle",
         [&](scripted_reply& r) {
             r.stray_after = stray;
             r.stray_delay = std::chrono::milliseconds(300);
         },
         true},
        {"204 with a body in its own record",
         [&](scripted_reply& r) {
             r.raw = "HTTP/1.1 204 No Content\r\n\r\n";
             r.stray_after = answer("STRAY");
             r.stray_delay = std::chrono::milliseconds(5);  // whenever it comes: no reuse after a 204
         },
         false, genauth::errc::non_json_response},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name) {
            local_https_server server(numbered(c.first));
            asio::io_context io;
            genauth::authentication_client client(io, options_for(server));
            genauth::error_code ec1, ec2, ec3;
            const auto first = list(io, client, ec1);
            if (c.first_fails_with == genauth::errc{}) {
                BOOST_TEST(!ec1, ec1.message());
                BOOST_TEST(first.request_id.value_or("") == "real-1");
            } else {
                BOOST_TEST((ec1 == c.first_fails_with), ec1.message());
            }
            if (c.wait_for_stray) BOOST_TEST_REQUIRE(wait_until([&] { return server.strays_sent() == 1u; }));
            const auto second = list(io, client, ec2);
            const auto third = list(io, client, ec3);
            BOOST_TEST(!ec2, ec2.message());
            BOOST_TEST(!ec3, ec3.message());
            // Each gets its own answer, never the stray one, never its predecessor's.
            BOOST_TEST(second.request_id.value_or("") == "real-2");
            BOOST_TEST(third.request_id.value_or("") == "real-3");
            BOOST_TEST(server.connections_accepted() == 2u);  // the polluted connection was closed
        }
    }
}

BOOST_AUTO_TEST_CASE(a_post_the_server_read_is_never_sent_again) {
    using action = scripted_reply::action;
    for (action drop : {action::close_without_answer, action::reset_without_answer}) {
        for (bool reused : {true, false}) {
            BOOST_TEST_CONTEXT((drop == action::reset_without_answer ? "RST" : "FIN")
                               << (reused ? ", reused connection" : ", fresh connection")) {
                std::atomic<int> n{0};
                local_https_server server([&](const received_request&) {
                    scripted_reply r = scripted_reply::json(success_body());
                    if (++n == (reused ? 2 : 1)) r.what = drop;  // reads the whole POST, then drops it
                    return r;
                });
                asio::io_context io;
                genauth::authentication_client client(io, options_for(server));
                if (reused) {
                    auto [ec, r] = run(io, client.async_enroll_factor(sms_request(), tuple_awaitable));
                    BOOST_TEST_REQUIRE(!ec);
                }
                auto [ec, r] = run(io, client.async_enroll_factor(sms_request(), tuple_awaitable));
                BOOST_TEST((ec == genauth::errc::connection_closed || ec == genauth::errc::connection_reset),
                           ec.message());
                BOOST_TEST((ec == genauth::condition::transport_error));
                BOOST_TEST(server.requests_received() == (reused ? 2u : 1u));  // one delivery, never two
                BOOST_TEST(!leaks_token(r));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(a_get_the_server_dropped_is_sent_once_more) {
    using action = scripted_reply::action;
    for (action drop : {action::close_without_answer, action::reset_without_answer}) {
        for (bool reused : {true, false}) {
            BOOST_TEST_CONTEXT((drop == action::reset_without_answer ? "RST" : "FIN")
                               << (reused ? ", reused connection" : ", fresh connection")) {
                std::atomic<int> n{0};
                local_https_server server([&](const received_request&) {
                    scripted_reply r = scripted_reply::json(answer("real-" + std::to_string(n + 1)));
                    if (++n == (reused ? 2 : 1)) r.what = drop;
                    return r;
                });
                asio::io_context io;
                genauth::authentication_client client(io, options_for(server));
                genauth::error_code ec;
                if (reused) {
                    list(io, client, ec);
                    BOOST_TEST_REQUIRE(!ec);
                }
                const auto r = list(io, client, ec);
                BOOST_TEST(!ec, ec.message());
                BOOST_TEST(r.request_id.value_or("") == (reused ? "real-3" : "real-2"));
                BOOST_TEST(server.requests_received() == (reused ? 3u : 2u));  // the dropped GET went twice
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(tls_failures_after_the_handshake_are_tls_error) {
    const std::string partial =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"statusCode\":";
    const struct {
        const char* name;
        std::string tcp_bytes;
    } cases[] = {
        // An alert record in clear text, fatal bad_record_mac (20).
        {"unencrypted fatal alert", std::string("\x15\x03\x03\x00\x02\x02\x14", 7)},
        // An application-data record whose content is not what the key encrypted: bad_record_mac.
        {"corrupted record (bad record MAC)", std::string("\x17\x03\x03\x00\x20", 5) + std::string(32, '\x5a')},
        // A record header over the protocol's limit.
        {"corrupted record header", std::string("\x17\x03\x03\xff\xff", 5) + std::string(64, '\x00')},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name) {
            local_https_server server([&](const received_request&) {
                scripted_reply r;
                r.raw = partial;
                r.tcp_after = c.tcp_bytes;
                return r;
            });
            asio::io_context io;
            auto options = options_for(server);
            options.timeout = std::chrono::seconds(3);
            genauth::authentication_client client(io, options);
            const auto start = std::chrono::steady_clock::now();
            auto [ec, r] = run(io, client.async_enroll_factor(sms_request(), tuple_awaitable));
            BOOST_TEST((ec == genauth::errc::tls_error), ec.message() + " / " + r.diag.detail);
            BOOST_TEST((ec == genauth::condition::transport_error));
            BOOST_TEST(r.diag.detail.find("asio.ssl") == 0u, r.diag.detail);  // OpenSSL's reason kept
            BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(2)));
            BOOST_TEST(server.requests_received() == 1u);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
