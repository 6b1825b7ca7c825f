// Retries and rate limits end to end, scripted through the fake GenAuth server the way a user's
// own tests would script it: reads ride out 429/503 and dropped connections within their one
// deadline, writes are delivered once, Retry-After is honoured and reported, the budget holds
// under a full outage, and a waiting read can be cancelled.
#include "common.hpp"

#include <genauth/testing/fake_genauth_server.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/detached.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <ctime>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

using namespace e2e;
using namespace std::chrono_literals;
using genauth::testing::fake_genauth_server;
using genauth::testing::scripted_reply;

namespace {

const std::string alice = "alice-access-token-61c2";
const std::string list_path = "/api/v3/list-enrolled-factors";

// GenAuth's busy answer: an envelope with `status` on HTTP `http_status`, and a Retry-After when given.
scripted_reply busy(int status = 503, unsigned http_status = 503, std::optional<std::string> retry_after = {}) {
    auto reply = scripted_reply::json(
        R"({"statusCode":)" + std::to_string(status) + R"(,"message":"busy","requestId":"r-busy"})", http_status);
    if (retry_after) reply.headers.emplace_back("Retry-After", *retry_after);
    return reply;
}

// An IMF-fixdate `ahead` from now, as a server writes Retry-After's date form.
std::string http_date_in(std::chrono::seconds ahead) {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + ahead);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[64];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return text;
}

// A server with Alice, and a client for her that records each operation.
struct retry_fixture {
    fake_genauth_server server;
    asio::io_context io;
    std::mutex m;
    std::vector<genauth::operation_record> records;  // views cleared: only the numbers are kept

    retry_fixture() { server.add_user(alice, "alice@example.com"); }

    genauth::client_options options() {
        auto o = server.client_options_for(alice);
        o.timeout = 5s;
        o.observer = [this](const genauth::operation_record& r) {
            std::lock_guard lock(m);
            auto copy = r;
            copy.method = copy.path = copy.request_id = {};
            records.push_back(copy);
        };
        return o;
    }
    genauth::operation_record last_record() {
        std::lock_guard lock(m);
        BOOST_TEST_REQUIRE(!records.empty());
        return records.back();
    }
};

template <class Client>
asio::awaitable<std::tuple<genauth::error_code, genauth::list_enrolled_factors_response>> list_call(Client& client) {
    co_return co_await client.async_list_enrolled_factors(tuple_awaitable);
}

using clock_type = std::chrono::steady_clock;

}  // namespace

BOOST_AUTO_TEST_SUITE(test_retry)

BOOST_AUTO_TEST_CASE(a_read_answered_503_with_retry_after_waits_then_succeeds) {
    retry_fixture f;
    f.server.script_next(1, busy(503, 503, "1"), list_path);
    genauth::authentication_client client(f.io, f.options());
    const auto start = clock_type::now();
    auto [ec, response] = run(f.io, list_call(client));
    const auto elapsed = clock_type::now() - start;
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(f.server.requests_received() == 2u);
    BOOST_TEST((elapsed >= 1s));                         // Retry-After: 1 is a floor, not a hint
    BOOST_TEST(!response.diag.retry_after.has_value());  // the answer that counts is the last
    const auto r = f.last_record();
    BOOST_TEST(r.attempts == 2u);
    BOOST_TEST((r.retry_waiting >= 1s));
    BOOST_TEST(client.statistics().retries == 1u);
}

BOOST_AUTO_TEST_CASE(a_read_answered_503_twice_without_retry_after_succeeds_on_the_third_attempt) {
    retry_fixture f;
    f.server.script_next(2, busy(), list_path);
    genauth::authentication_client client(f.io, f.options());
    auto [ec, response] = run(f.io, list_call(client));
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(f.server.requests_received() == 3u);
    BOOST_TEST(f.last_record().attempts == 3u);
    BOOST_TEST(client.statistics().retries == 2u);
}

BOOST_AUTO_TEST_CASE(three_503s_exhaust_the_attempts_and_the_last_answer_is_reported) {
    retry_fixture f;
    f.server.script_next(3, busy(503, 503, "0"), list_path);
    genauth::authentication_client client(f.io, f.options());
    auto [ec, response] = run(f.io, list_call(client));
    BOOST_TEST((ec == genauth::make_api_error_code(503)));
    BOOST_TEST(response.diag.http_status == 503u);
    BOOST_TEST(response.request_id.value_or("") == "r-busy");
    BOOST_TEST_REQUIRE(response.diag.retry_after.has_value());
    BOOST_TEST(response.diag.retry_after->count() == 0);
    BOOST_TEST(f.server.requests_received() == 3u);
    BOOST_TEST(f.last_record().attempts == 3u);
}

BOOST_AUTO_TEST_CASE(genauth_s_own_rate_limit_envelope_on_http_200_is_retried) {
    retry_fixture f;
    f.server.script_next(1, busy(429, 200, "0"), list_path);
    genauth::authentication_client client(f.io, f.options());
    auto [ec, response] = run(f.io, list_call(client));
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(f.server.requests_received() == 2u);
}

BOOST_AUTO_TEST_CASE(a_429_whose_retry_after_outlasts_the_deadline_fails_at_once) {
    retry_fixture f;
    f.server.script_next(1, busy(429, 429, "30"), list_path);
    auto options = f.options();
    options.timeout = 3s;
    genauth::authentication_client client(f.io, options);
    const auto start = clock_type::now();
    auto [ec, response] = run(f.io, list_call(client));
    const auto elapsed = clock_type::now() - start;
    BOOST_TEST((ec == genauth::make_api_error_code(429)));
    BOOST_TEST_REQUIRE(response.diag.retry_after.has_value());
    BOOST_TEST(response.diag.retry_after->count() == 30);
    BOOST_TEST(f.server.requests_received() == 1u);
    BOOST_TEST((elapsed < 3s));  // not held until the deadline: the answer is final at once
    const auto r = f.last_record();
    BOOST_TEST(r.attempts == 1u);
    BOOST_TEST_REQUIRE(r.retry_after.has_value());
    BOOST_TEST(r.retry_after->count() == 30);
}

BOOST_AUTO_TEST_CASE(an_http_date_retry_after_is_honoured) {
    retry_fixture f;
    f.server.script_next(1, busy(503, 503, http_date_in(2s)), list_path);
    genauth::authentication_client client(f.io, f.options());
    const auto start = clock_type::now();
    auto [ec, response] = run(f.io, list_call(client));
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(f.server.requests_received() == 2u);
    // The date has a one-second resolution: 2 s ahead is more than 1 s from now.
    BOOST_TEST((clock_type::now() - start >= 1s));
    BOOST_TEST((f.last_record().retry_waiting >= 1s));
}

BOOST_AUTO_TEST_CASE(a_write_answered_503_is_delivered_once_and_reports_retry_after) {
    retry_fixture f;
    f.server.script_next(1, busy(503, 503, "40"));
    genauth::authentication_client client(f.io, f.options());
    genauth::send_sms_request sms;
    sms.phone_number = "+15550100";
    sms.channel = genauth::sms_channel::bind_mfa;
    auto [ec, response] =
        run(f.io, [&]() -> asio::awaitable<std::tuple<genauth::error_code, genauth::send_sms_response>> {
            co_return co_await client.async_send_sms(sms, tuple_awaitable);
        }());
    BOOST_TEST((ec == genauth::make_api_error_code(503)));
    BOOST_TEST(f.server.requests_received() == 1u);
    BOOST_TEST_REQUIRE(response.diag.retry_after.has_value());
    BOOST_TEST(response.diag.retry_after->count() == 40);
    BOOST_TEST(f.last_record().attempts == 1u);
    BOOST_TEST(client.statistics().retries == 0u);
    // Likewise enroll-factor and a connection dropped before any answer.
    f.server.script_next(1, busy(429, 200, "5"));
    auto [enroll_ec, enrolled] = run(f.io, enroll_call(client));
    BOOST_TEST((enroll_ec == genauth::make_api_error_code(429)));
    BOOST_TEST(enrolled.diag.retry_after.value_or(0s).count() == 5);
    BOOST_TEST(f.server.requests_received() == 2u);
}

BOOST_AUTO_TEST_CASE(a_read_rides_out_a_dropped_connection_and_a_write_does_not) {
    retry_fixture f;
    scripted_reply drop;
    drop.what = scripted_reply::action::reset_without_answer;
    // Reset twice: the first attempt's immediate resend (a GET) and the second attempt both fail.
    f.server.script_next(2, drop, list_path);
    genauth::authentication_client client(f.io, f.options());
    auto [ec, response] = run(f.io, list_call(client));
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(f.server.requests_received() == 3u);
    const auto r = f.last_record();
    BOOST_TEST(r.attempts == 2u);
    BOOST_TEST(r.resent);
}

BOOST_AUTO_TEST_CASE(genauth_down_a_read_tries_three_times_a_write_once) {
    retry_fixture f;
    auto options = f.options();
    f.server.refuse_connections(true);
    genauth::authentication_client client(f.io, options);
    auto [ec, response] = run(f.io, list_call(client));
    BOOST_TEST((ec == genauth::errc::connect_failed), ec.message());
    BOOST_TEST(client.statistics().connections_opened == 3u);
    BOOST_TEST(f.last_record().attempts == 3u);
    auto [enroll_ec, enrolled] = run(f.io, enroll_call(client));
    BOOST_TEST((enroll_ec == genauth::errc::connect_failed));
    BOOST_TEST(client.statistics().connections_opened == 4u);
    // Back up: served again on the same address.
    f.server.refuse_connections(false);
    auto [ok_ec, ok] = run(f.io, list_call(client));
    BOOST_TEST(!ok_ec, ok_ec.message());
}

BOOST_AUTO_TEST_CASE(the_budget_holds_when_every_read_fails) {
    retry_fixture f;
    f.server.script_next(100'000, busy(503, 503));
    auto options = f.options();
    options.timeout = 10s;
    genauth::authentication_client client(f.io, options);
    constexpr int reads = 200;
    int done = 0, failed_503 = 0;
    const auto start = clock_type::now();
    for (int i = 0; i < reads; ++i) {
        client.async_list_enrolled_factors([&](genauth::error_code ec, const genauth::list_enrolled_factors_response&) {
            ++done;
            failed_503 += ec == genauth::make_api_error_code(503) ? 1 : 0;
        });
    }
    f.io.run();
    const auto seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    BOOST_TEST(done == reads);
    BOOST_TEST(failed_503 == reads);
    const auto stats = client.statistics();
    const auto requests = f.server.requests_received();
    BOOST_TEST_MESSAGE("200 failing reads: " << requests << " requests, " << stats.retries << " retries, "
                                             << stats.retries_refused_by_budget << " refused, " << seconds << " s");
    BOOST_TEST(requests == reads + stats.retries);
    // The bank (10) and one retry per second: not the 400 more that 3 attempts each would make.
    BOOST_TEST(stats.retries <= 10 + static_cast<std::uint64_t>(seconds) + 1);
    BOOST_TEST(stats.retries >= 10u);
    BOOST_TEST(stats.retries_refused_by_budget >= static_cast<std::uint64_t>(reads) - stats.retries);
}

BOOST_AUTO_TEST_CASE(cancelling_a_read_waiting_to_retry_ends_it_at_once) {
    retry_fixture f;
    f.server.script_next(1, busy(503, 503, "4"), list_path);
    genauth::authentication_client client(f.io, f.options());
    asio::cancellation_signal cancel;
    std::optional<genauth::error_code> result;
    client.async_list_enrolled_factors(asio::bind_cancellation_slot(
        cancel.slot(), [&](genauth::error_code ec, const genauth::list_enrolled_factors_response&) { result = ec; }));
    // Until the first answer is in and the read is waiting.
    while (f.server.requests_received() == 0) f.io.run_for(1ms);
    f.io.run_for(100ms);
    BOOST_TEST_REQUIRE(!result.has_value());
    const auto start = clock_type::now();
    cancel.emit(asio::cancellation_type::terminal);
    f.io.run();
    BOOST_TEST_REQUIRE(result.has_value());
    BOOST_TEST((*result == asio::error::operation_aborted));
    BOOST_TEST((clock_type::now() - start < 2s));  // well before the 4 s wait would end
    BOOST_TEST(f.server.requests_received() == 1u);
    BOOST_TEST(client.statistics().cancelled == 1u);
}

BOOST_AUTO_TEST_CASE(the_deadline_is_never_exceeded_by_retries) {
    retry_fixture f;
    f.server.script_next(100'000, busy(503, 503), list_path);
    auto options = f.options();
    options.timeout = 400ms;
    options.retry = {10, 50ms, 200ms};
    options.retry_budget.max_banked = 100;
    genauth::authentication_client client(f.io, options);
    for (int i = 0; i < 5; ++i) {
        const auto start = clock_type::now();
        auto [ec, response] = run(f.io, list_call(client));
        const auto elapsed = clock_type::now() - start;
        // Either the last 503 (the next wait did not fit) or the deadline caught an attempt.
        BOOST_TEST((ec == genauth::make_api_error_code(503) || ec == genauth::errc::timeout), ec.message());
        BOOST_TEST((elapsed < 400ms + 300ms));  // the deadline, plus a loaded machine's scheduling
        BOOST_TEST(f.last_record().attempts >= 2u);
    }
}

BOOST_AUTO_TEST_CASE(a_handle_sets_its_own_deadline_and_retry_policy) {
    retry_fixture f;
    genauth::authentication_client client(f.io, f.options());
    // with_retry(none): one request.
    f.server.script_next(1, busy(), list_path);
    auto once = client.with_retry(genauth::retry_policy::none());
    auto [ec, r] = run(f.io, list_call(once));
    BOOST_TEST((ec == genauth::make_api_error_code(503)));
    BOOST_TEST(f.server.requests_received() == 1u);
    // with_timeout: the handle's deadline, not the client's 5 s.
    f.server.delay_next(1, 1500ms, list_path);
    auto hurried = client.with_timeout(300ms);
    auto [slow_ec, slow] = run(f.io, list_call(hurried));
    BOOST_TEST((slow_ec == genauth::errc::timeout));
    BOOST_TEST(slow.diag.detail.find("300 ms") != std::string::npos, slow.diag.detail);
    // Settings travel to per-user and MFA handles made from a handle.
    auto bob = client.with_timeout(300ms).with_retry(genauth::retry_policy::none()).with_access_token(alice);
    f.server.delay_next(1, 1500ms, list_path);
    auto [bob_ec, bob_r] = run(f.io, list_call(bob));
    BOOST_TEST((bob_ec == genauth::errc::timeout));
    // The client itself is unchanged.
    auto [ok_ec, ok] = run(f.io, list_call(client));
    BOOST_TEST(!ok_ec, ok_ec.message());
}

BOOST_AUTO_TEST_CASE(invalid_per_call_settings_fail_before_any_io) {
    retry_fixture f;
    genauth::authentication_client client(f.io, f.options());
    for (auto handle : {client.with_timeout(0ms), client.with_timeout(-5ms), client.with_retry({0}),
                        client.with_retry({11}), client.with_retry({3, 0ms}), client.with_retry({3, 500ms, 100ms})}) {
        auto [ec, r] = run(f.io, list_call(handle));
        BOOST_TEST((ec == genauth::errc::invalid_option));
        BOOST_TEST(!r.diag.detail.empty());
    }
    auto options = f.options();
    options.retry.max_attempts = 0;
    genauth::authentication_client bad(f.io, options);
    auto [ec, r] = run(f.io, list_call(bad));
    BOOST_TEST((ec == genauth::errc::invalid_option));
    BOOST_TEST(f.server.requests_received() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(test_fake_server_scripts)

BOOST_AUTO_TEST_CASE(scripts_apply_to_their_path_in_order_and_change_nothing) {
    retry_fixture f;
    auto options = f.options();
    options.retry = genauth::retry_policy::none();
    genauth::authentication_client client(f.io, options);
    f.server.script_next(1, scripted_reply::json(R"({"statusCode":500,"message":"first"})", 500), list_path);
    f.server.script_next(1, scripted_reply::json(R"({"statusCode":404,"message":"second"})"));
    auto [e1, r1] = run(f.io, list_call(client));
    BOOST_TEST((e1 == genauth::make_api_error_code(500)));
    BOOST_TEST(r1.message == "first");
    // The second script is for any path: the enroll call gets it, and no factor is bound.
    auto [e2, r2] = run(f.io, enroll_call(client));
    BOOST_TEST((e2 == genauth::make_api_error_code(404)));
    BOOST_TEST(r2.message == "second");
    auto [e3, r3] = run(f.io, list_call(client));
    BOOST_TEST(!e3);
    BOOST_TEST(r3.data.empty());
    // Dropped scripts are not used.
    f.server.script_next(5, busy());
    f.server.clear_scripts();
    auto [e4, r4] = run(f.io, list_call(client));
    BOOST_TEST(!e4);
}

BOOST_AUTO_TEST_CASE(raw_bytes_and_a_close_without_answer_as_a_user_scripts_them) {
    retry_fixture f;
    auto options = f.options();
    options.retry = genauth::retry_policy::none();
    genauth::authentication_client client(f.io, options);
    scripted_reply html;
    html.raw = "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<h1>502</h1>\n";
    f.server.script_next(1, html);
    scripted_reply hang_up;
    hang_up.what = scripted_reply::action::close_without_answer;
    f.server.script_next(1, hang_up, "/api/v3/enroll-factor");
    auto [e1, r1] = run(f.io, list_call(client));
    BOOST_TEST((e1 == genauth::errc::non_json_response));
    BOOST_TEST(r1.diag.http_status == 502u);
    BOOST_TEST(r1.diag.body_excerpt.find("502") != std::string::npos);
    // A write whose connection closes after it was sent: reported, never sent again.
    auto [e2, r2] = run(f.io, enroll_call(client));
    BOOST_TEST((e2 == genauth::errc::connection_closed), e2.message());
    BOOST_TEST(f.server.requests_received() == 2u);
}

BOOST_AUTO_TEST_CASE(a_delayed_answer_is_the_fake_s_own) {
    retry_fixture f;
    genauth::authentication_client client(f.io, f.options());
    f.server.delay_next(1, 200ms);
    const auto start = clock_type::now();
    auto [ec, r] = run(f.io, list_call(client));
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST((clock_type::now() - start >= 200ms));
}

BOOST_AUTO_TEST_CASE(what_each_call_sent_reads_back_without_the_token) {
    retry_fixture f;
    genauth::authentication_client client(f.io, f.options());
    auto [ec, r] = run(f.io, enroll_call(client));
    const auto sent = f.server.requests();
    BOOST_TEST_REQUIRE(sent.size() == 1u);
    BOOST_TEST(sent[0].method == "POST");
    BOOST_TEST(sent[0].target == "/api/v3/enroll-factor");
    BOOST_TEST(sent[0].header("authorization") == "Bearer <redacted>");
    BOOST_TEST(sent[0].header("x-authing-app-id") == "fake-app");
    BOOST_TEST(sent[0].body.find("ENROLLMENT-TOKEN-5d1e0b7c") != std::string::npos);
    for (const auto& [name, value] : sent[0].headers) BOOST_TEST(value.find(alice) == std::string::npos, name);
}

BOOST_AUTO_TEST_SUITE_END()
