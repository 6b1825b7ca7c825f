// Thread safety: one client, one io_context run by 4 threads, 1,000+ concurrent operations of
// every kind, each completing exactly once. Built and run under ThreadSanitizer in CI.
#define BOOST_TEST_MODULE genauth concurrency tests
#include "../support/client_options.hpp"
#include "../support/token_echo.hpp"
#include "run_on_threads.hpp"

#include <genauth/genauth.hpp>
#include <genauth/testing/fake_genauth_server.hpp>
#include <genauth/testing/local_https_server.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using concurrency::run_on_threads;
using genauth::testing::received_request;
using genauth::testing::scripted_reply;

namespace {
// The fake GenAuth server with one user, and client options for that user: 8 connections and a
// deadline long enough for ThreadSanitizer's pace.
struct one_user_server {
    one_user_server() {
        server.add_user("token-1234567890", "alice@example.com");
        options = server.client_options_for("token-1234567890");
        options.max_connections = 8;
        options.timeout = std::chrono::seconds(60);
    }
    genauth::testing::fake_genauth_server server;
    genauth::client_options options;
};
}  // namespace

BOOST_AUTO_TEST_SUITE(test_concurrency)

BOOST_AUTO_TEST_CASE(thousand_operations_four_threads_each_completes_once) {
    one_user_server fake;
    asio::io_context io(4);
    genauth::authentication_client client(io, fake.options);

    constexpr int operations = 1200;
    std::vector<std::atomic<int>> completions(operations);
    std::atomic<int> failures{0};
    // Started from several threads at once too: the client is shared.
    for (int start_thread = 0; start_thread < 4; ++start_thread) {
        asio::post(io, [&, start_thread] {
            for (int i = start_thread; i < operations; i += 4) {
                auto done = [&, i](genauth::error_code ec, const auto&) {
                    completions[i].fetch_add(1);
                    if (ec) failures.fetch_add(1);
                };
                switch (i % 3) {
                    case 0:
                        client.async_list_enrolled_factors(done);
                        break;
                    case 1:
                        client.async_list_factors_to_enroll(done);
                        break;
                    default:
                        client.async_get_factor(genauth::get_factor_request{"missing"},
                                                [&, i](genauth::error_code ec, const auto&) {
                                                    completions[i].fetch_add(1);
                                                    if (ec != genauth::make_api_error_code(404)) failures.fetch_add(1);
                                                });
                }
            }
        });
    }
    run_on_threads(io, 4);
    int exactly_once = 0;
    for (auto& c : completions) exactly_once += c.load() == 1 ? 1 : 0;
    BOOST_TEST(exactly_once == operations);
    BOOST_TEST(failures.load() == 0);
    BOOST_TEST(client.open_connections() <= 8u);
    BOOST_TEST(client.waiting_operations() == 0u);
    BOOST_TEST(fake.server.requests_received() == static_cast<std::size_t>(operations));
}

BOOST_AUTO_TEST_CASE(cancellations_and_deadlines_race_with_completions) {
    genauth::testing::local_https_server server([](const received_request& r) {
        // Every third request stalls, so deadlines and cancellations meet work in flight.
        if (r.body.find("stall") != std::string::npos) {
            scripted_reply s;
            s.what = scripted_reply::action::stall;
            return s;
        }
        return scripted_reply::json(R"({"statusCode":200,"message":"ok"})");
    });
    asio::io_context io(4);
    auto options = test_support::options_for(server, "token-1234567890");
    options.max_connections = 6;
    options.timeout = std::chrono::milliseconds(1500);
    genauth::authentication_client client(io, options);

    constexpr int operations = 300;
    std::vector<std::atomic<int>> completions(operations);
    std::vector<genauth::error_code> outcomes(operations);  // written on the strand, read after run
    std::vector<std::unique_ptr<asio::cancellation_signal>> signals;
    for (int i = 0; i < operations; ++i) signals.push_back(std::make_unique<asio::cancellation_signal>());
    auto strand = asio::make_strand(io);  // cancellation is emitted from the handler's executor
    for (int i = 0; i < operations; ++i) {
        genauth::enroll_factor_request req;
        req.enrollment_token = i % 3 == 0 ? "stall" : "go";
        req.enrollment_data.pass_code = "123456";
        client.async_enroll_factor(
            req, asio::bind_executor(strand, asio::bind_cancellation_slot(signals[i]->slot(),
                                                                          [&, i](genauth::error_code ec, const auto&) {
                                                                              outcomes[i] = ec;
                                                                              completions[i].fetch_add(1);
                                                                          })));
    }
    for (int i = 0; i < operations; i += 5)
        asio::post(strand, [&, i] { signals[i]->emit(asio::cancellation_type::terminal); });
    run_on_threads(io, 4);
    int exactly_once = 0;
    for (auto& c : completions) exactly_once += c.load() == 1 ? 1 : 0;
    BOOST_TEST(exactly_once == operations);
    // Each ends as its scenario allows, and every kind of end happens: a client failing every
    // call at once would not pass. Stalled calls end by deadline or cancellation; cancelled ones
    // by cancellation or, when their answer came first, success; the rest succeed or, queued
    // behind stalled calls for a connection, reach their deadline.
    const auto aborted = [](genauth::error_code ec) { return ec == asio::error::operation_aborted; };
    const auto timed_out = [](genauth::error_code ec) { return ec == genauth::errc::timeout; };
    int succeeded = 0, cancelled = 0, expired = 0, unexpected = 0;
    for (int i = 0; i < operations; ++i) {
        const auto ec = outcomes[i];
        const bool stalls = i % 3 == 0, cancels = i % 5 == 0;
        const bool allowed =
            (stalls ? false : !ec) || (cancels && aborted(ec)) || ((stalls || !cancels) && timed_out(ec));
        unexpected += allowed ? 0 : 1;
        succeeded += !ec ? 1 : 0;
        cancelled += aborted(ec) ? 1 : 0;
        expired += timed_out(ec) ? 1 : 0;
    }
    BOOST_TEST(unexpected == 0);
    BOOST_TEST(succeeded > 0);
    BOOST_TEST(cancelled > 0);
    BOOST_TEST(expired > 0);
    BOOST_TEST(client.open_connections() <= 6u);
    BOOST_TEST(client.waiting_operations() == 0u);
}

BOOST_AUTO_TEST_CASE(retrying_reads_race_cancellations_and_each_completes_once) {
    // Every other request is answered 503 at once, so reads wait and retry while cancellations
    // from the handlers' strand and deadlines come in from other threads.
    std::atomic<int> seen{0};
    genauth::testing::local_https_server server([&](const received_request&) {
        if (seen.fetch_add(1) % 2 == 0) return scripted_reply::json(R"({"statusCode":503,"message":"busy"})", 503);
        return scripted_reply::json(R"({"statusCode":200,"message":"ok","data":[]})");
    });
    asio::io_context io(4);
    auto options = test_support::options_for(server, "token-1234567890");
    options.max_connections = 6;
    options.timeout = std::chrono::seconds(20);
    options.retry = {4, std::chrono::milliseconds(20), std::chrono::milliseconds(80)};
    options.retry_budget = {1.0, 100.0, 1000.0};
    genauth::authentication_client client(io, options);

    constexpr int operations = 240;
    std::vector<std::atomic<int>> completions(operations);
    std::vector<genauth::error_code> outcomes(operations);  // written on the strand, read after run
    std::vector<std::unique_ptr<asio::cancellation_signal>> signals;
    for (int i = 0; i < operations; ++i) signals.push_back(std::make_unique<asio::cancellation_signal>());
    auto strand = asio::make_strand(io);
    for (int i = 0; i < operations; ++i) {
        client.async_list_enrolled_factors(asio::bind_executor(
            strand, asio::bind_cancellation_slot(signals[i]->slot(), [&, i](genauth::error_code ec, const auto&) {
                outcomes[i] = ec;
                completions[i].fetch_add(1);
            })));
    }
    std::vector<std::unique_ptr<asio::steady_timer>> cancel_timers;
    for (int i = 0; i < operations; i += 4) {
        auto& t = *cancel_timers.emplace_back(
            std::make_unique<asio::steady_timer>(strand, std::chrono::milliseconds(5 + i % 40)));
        t.async_wait([&, i](genauth::error_code) { signals[i]->emit(asio::cancellation_type::terminal); });
    }
    run_on_threads(io, 4);
    int exactly_once = 0, succeeded = 0, cancelled = 0, unexpected = 0;
    for (int i = 0; i < operations; ++i) {
        exactly_once += completions[i].load() == 1 ? 1 : 0;
        const auto ec = outcomes[i];
        succeeded += !ec ? 1 : 0;
        cancelled += ec == asio::error::operation_aborted ? 1 : 0;
        // With 4 attempts, 503s on every other request can still meet one read 4 times.
        const bool allowed =
            !ec || ec == genauth::make_api_error_code(503) || (i % 4 == 0 && ec == asio::error::operation_aborted);
        unexpected += allowed ? 0 : 1;
    }
    BOOST_TEST(exactly_once == operations);
    BOOST_TEST(unexpected == 0);
    BOOST_TEST(succeeded > 0);
    BOOST_TEST(cancelled > 0);
    const auto stats = client.statistics();
    BOOST_TEST(stats.retries > 0u);
    BOOST_TEST(server.requests_received() <= static_cast<std::size_t>(operations) + stats.retries + stats.resends);
    BOOST_TEST(client.waiting_operations() == 0u);
}

BOOST_AUTO_TEST_CASE(many_users_two_clients_one_shared_tls_context) {
    // Two application-level clients with equal TLS options share one TLS context (and so one
    // trust store); each serves 200 users through handles, from 4 threads, with up to 16 fresh
    // handshakes at once per client: the situation the shared context must survive.
    genauth::testing::local_https_server server(test_support::echo_caller);
    asio::io_context io(4);
    auto options = test_support::options_for(server, "");  // tokens come with the handles
    options.max_connections = 16;
    options.timeout = std::chrono::seconds(60);
    genauth::authentication_client first(io, options), second(io, options);

    constexpr int users = 400;
    std::vector<std::atomic<int>> right(users), completions(users);
    for (int start_thread = 0; start_thread < 4; ++start_thread) {
        asio::post(io, [&, start_thread] {
            for (int i = start_thread; i < users; i += 4) {
                const std::string token = "user-" + std::to_string(i) + "-token-0123456789";
                const auto handle = (i % 2 ? first : second).with_access_token(token);
                handle.async_list_enrolled_factors([&, i, token](genauth::error_code ec, const auto& res) {
                    completions[i].fetch_add(1);
                    if (!ec && res.request_id == test_support::caller_echo(token)) right[i].fetch_add(1);
                });
            }
        });
    }
    run_on_threads(io, 4);
    int exactly_once = 0, correct = 0;
    for (int i = 0; i < users; ++i) {
        exactly_once += completions[i].load() == 1 ? 1 : 0;
        correct += right[i].load();
    }
    BOOST_TEST(exactly_once == users);
    BOOST_TEST(correct == users);
    BOOST_TEST(first.open_connections() <= 16u);
    BOOST_TEST(second.open_connections() <= 16u);
}

// A completion handler that blocks (waiting for other operations of the same client, as a
// synchronous bridge in a threaded server does) holds up no other operation: the operation's
// lock is released before its handler runs, and operations share no lock or strand. With the
// 16 shared strands this replaced, every 16th operation was stuck behind such a handler.
BOOST_AUTO_TEST_CASE(a_blocked_handler_holds_up_no_other_operation) {
    one_user_server fake;
    asio::io_context io(2);
    genauth::authentication_client client(io, fake.options);

    constexpr int others = 40;
    std::mutex mutex;
    std::condition_variable changed;
    int others_done = 0, failures = 0;
    bool all_done_while_blocked = false;
    client.async_list_enrolled_factors([&](genauth::error_code first_ec, const auto&) {
        for (int i = 0; i < others; ++i) {
            client.async_list_factors_to_enroll([&](genauth::error_code ec, const auto&) {
                std::lock_guard lock(mutex);
                ++others_done;
                failures += ec ? 1 : 0;
                changed.notify_all();
            });
        }
        {
            std::lock_guard lock(mutex);
            failures += first_ec ? 1 : 0;
        }
        // Blocks this thread until the others are done (the io_context's other thread runs them).
        std::unique_lock lock(mutex);
        all_done_while_blocked =
            changed.wait_for(lock, std::chrono::seconds(20), [&] { return others_done == others; });
    });
    run_on_threads(io, 2);
    BOOST_TEST(all_done_while_blocked);
    BOOST_TEST(others_done == others);
    BOOST_TEST(failures == 0);
}

BOOST_AUTO_TEST_SUITE_END()
