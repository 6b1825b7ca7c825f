// The per-operation observer and the client's counters: each outcome seen exactly once, with
// plausible phase times and no secret.
#include "../support/token_echo.hpp"
#include "common.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

using namespace e2e;
using genauth::testing::local_https_server;
using genauth::testing::received_request;
using genauth::testing::scripted_reply;
using namespace std::chrono_literals;

namespace {

// What the observer saw, copied out of the views it gets.
struct seen {
    std::string method, path, request_id;
    genauth::error_code ec;
    unsigned http_status = 0;
    int status_code = 0;
    std::optional<int> api_code;
    genauth::connection_use connection = genauth::connection_use::none;
    bool resent = false;
    std::chrono::microseconds total{}, waiting{}, connecting{}, handshake{}, exchange{};
};

struct recorder {
    std::mutex mutex;
    std::vector<seen> records;
    genauth::operation_observer observer() {
        return [this](const genauth::operation_record& r) {
            std::lock_guard lock(mutex);
            records.push_back({std::string(r.method), std::string(r.path), std::string(r.request_id), r.ec,
                               r.http_status, r.status_code, r.api_code, r.connection, r.resent, r.total,
                               r.waiting_for_connection, r.connecting, r.tls_handshake, r.exchange});
        };
    }
};

// Phases never add up to more than the whole, and nothing the observer saw holds the token.
void check_plausible(const seen& s) {
    BOOST_TEST(s.total.count() >= 0);
    BOOST_TEST((s.waiting + s.connecting + s.handshake + s.exchange <= s.total + 1ms));
    BOOST_TEST((s.method + s.path + s.request_id).find(secret_token) == std::string::npos);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_observer)

BOOST_AUTO_TEST_CASE(success_api_error_and_input_error_each_seen_once) {
    std::atomic<int> n{0};
    local_https_server server([&](const received_request&) {
        if (++n == 2)
            return scripted_reply::json(R"({"statusCode":400,"apiCode":6001,"message":"wrong","requestId":"r-2"})");
        return scripted_reply::json(R"({"statusCode":200,"message":"ok","requestId":"r-)" + std::to_string(n.load()) +
                                    R"("})");
    });
    recorder rec;
    auto options = options_for(server);
    options.observer = rec.observer();
    asio::io_context io;
    genauth::authentication_client client(io, options);
    auto [ec1, r1] = run(io, client.async_enroll_factor(sms_request(), tuple_awaitable));
    auto [ec2, r2] = run(io, client.async_enroll_factor(sms_request(), tuple_awaitable));
    const genauth::enroll_factor_request empty;
    auto [ec3, r3] = run(io, client.async_enroll_factor(empty, tuple_awaitable));
    BOOST_TEST_REQUIRE(rec.records.size() == 3u);
    const auto& ok = rec.records[0];
    BOOST_TEST(!ok.ec);
    BOOST_TEST(ok.method == "POST");
    BOOST_TEST(ok.path == "/api/v3/enroll-factor");
    BOOST_TEST(ok.http_status == 200u);
    BOOST_TEST(ok.status_code == 200);
    BOOST_TEST(ok.request_id == "r-1");
    BOOST_TEST((ok.connection == genauth::connection_use::new_connection));
    BOOST_TEST(ok.connecting.count() > 0);
    BOOST_TEST(ok.handshake.count() > 0);
    BOOST_TEST(ok.exchange.count() > 0);
    const auto& refused = rec.records[1];
    BOOST_TEST((refused.ec == genauth::make_api_error_code(400)));
    BOOST_TEST(refused.api_code.value_or(0) == 6001);
    BOOST_TEST(refused.request_id == "r-2");
    BOOST_TEST((refused.connection == genauth::connection_use::reused));
    BOOST_TEST(refused.connecting.count() == 0);
    const auto& input = rec.records[2];
    BOOST_TEST((input.ec == genauth::errc::missing_enrollment_token));
    BOOST_TEST((input.connection == genauth::connection_use::none));
    for (const auto& s : rec.records) check_plausible(s);
    const auto stats = client.statistics();
    BOOST_TEST(stats.operations_succeeded == 1u);
    BOOST_TEST(stats.api_errors == 1u);
    BOOST_TEST(stats.input_errors == 1u);
    BOOST_TEST(stats.connections_opened == 1u);
    BOOST_TEST(stats.open_connections == 1u);
}

BOOST_AUTO_TEST_CASE(timeout_cancellation_and_resend_each_seen_once) {
    std::atomic<int> n{0};
    local_https_server server([&](const received_request& r) {
        const int i = ++n;
        if (r.body.find("stall") != std::string::npos) return stall_reply();
        scripted_reply reply = scripted_reply::json(R"({"statusCode":200,"message":"ok","data":[]})");
        if (r.method == "GET" && i == 1) reply.what = scripted_reply::action::close_without_answer;
        return reply;
    });
    recorder rec;
    auto options = options_for(server);
    options.observer = rec.observer();
    options.timeout = 300ms;
    asio::io_context io;
    genauth::authentication_client client(io, options);

    // A GET the server drops once: resent, then a success.
    auto [ec1, r1] = run(io, client.async_list_enrolled_factors(tuple_awaitable));
    BOOST_TEST(!ec1, ec1.message());
    // A stalled POST: the deadline.
    auto stalled = sms_request();
    stalled.enrollment_token = "stall";
    auto [ec2, r2] = run(io, client.async_enroll_factor(stalled, tuple_awaitable));
    BOOST_TEST((ec2 == genauth::errc::timeout));
    // A stalled POST cancelled by the caller after 50 ms.
    asio::cancellation_signal cancel;
    asio::steady_timer later(io, 50ms);
    later.async_wait([&](genauth::error_code) { cancel.emit(asio::cancellation_type::terminal); });
    auto [ec3, r3] =
        run(io, client.async_enroll_factor(stalled, asio::bind_cancellation_slot(cancel.slot(), tuple_awaitable)));
    BOOST_TEST((ec3 == asio::error::operation_aborted));

    BOOST_TEST_REQUIRE(rec.records.size() == 3u);
    BOOST_TEST(rec.records[0].resent);
    BOOST_TEST(rec.records[0].path == "/api/v3/list-enrolled-factors");
    BOOST_TEST((rec.records[1].ec == genauth::errc::timeout));
    BOOST_TEST((rec.records[1].total >= 250ms));
    BOOST_TEST((rec.records[2].ec == asio::error::operation_aborted));
    for (const auto& s : rec.records) check_plausible(s);
    const auto stats = client.statistics();
    BOOST_TEST(stats.resends == 1u);
    BOOST_TEST(stats.operations_succeeded == 1u);
    BOOST_TEST(stats.transport_errors == 1u);
    BOOST_TEST(stats.cancelled == 1u);
}

BOOST_AUTO_TEST_CASE(a_pool_wait_is_measured) {
    std::atomic<int> n{0};
    local_https_server server([&](const received_request&) {
        if (++n == 1) std::this_thread::sleep_for(300ms);  // the first holds the only connection
        return scripted_reply::json(success_body());
    });
    recorder rec;
    auto options = options_for(server);
    options.observer = rec.observer();
    options.max_connections = 1;
    asio::io_context io;
    genauth::authentication_client client(io, options);
    int done = 0;
    for (int i = 0; i < 2; ++i)
        client.async_enroll_factor(sms_request(), [&](genauth::error_code ec, const auto&) {
            BOOST_TEST(!ec);
            ++done;
        });
    io.run();
    BOOST_TEST(done == 2);
    BOOST_TEST_REQUIRE(rec.records.size() == 2u);
    // The second waited for the first, which the server held for 300 ms.
    BOOST_TEST((rec.records[1].waiting >= 250ms));
    BOOST_TEST((rec.records[1].connection == genauth::connection_use::reused));
    for (const auto& s : rec.records) check_plausible(s);
}

BOOST_AUTO_TEST_CASE(an_echoed_token_never_reaches_the_observer) {
    local_https_server server([](const received_request& r) { return test_support::echo_token(r); });
    recorder rec;
    auto options = options_for(server);
    options.observer = rec.observer();
    asio::io_context io;
    genauth::authentication_client client(io, options);
    auto [ec, r] = run(io, client.async_list_enrolled_factors(tuple_awaitable));
    BOOST_TEST((ec == genauth::make_api_error_code(401)));
    BOOST_TEST_REQUIRE(rec.records.size() == 1u);
    BOOST_TEST(rec.records[0].request_id.find(secret_token) == std::string::npos);
    BOOST_TEST(rec.records[0].request_id.find("[redacted]") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
