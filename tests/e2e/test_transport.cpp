// Transport behaviour end to end: keep-alive, reconnects, deadline, TLS verification,
// cancellation, concurrency and lifetimes.
#include "common.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>
#include <vector>

using namespace e2e;
using genauth::testing::local_https_server;
using genauth::testing::received_request;
using genauth::testing::scripted_reply;

BOOST_AUTO_TEST_SUITE(test_transport)

BOOST_AUTO_TEST_CASE(consecutive_calls_share_one_connection) {
    local_https_server server([](const received_request&) { return scripted_reply::json(success_body()); });
    asio::io_context io;
    genauth::authentication_client client(io, options_for(server));
    for (int i = 0; i < 3; ++i) {
        auto [ec, r] = run(io, enroll_call(client));
        BOOST_TEST(!ec, ec.message());
    }
    BOOST_TEST(server.requests_received() == 3u);
    BOOST_TEST(server.connections_accepted() == 1u);
    BOOST_TEST(client.connections_opened() == 1u);
    for (const auto& r : server.requests()) BOOST_TEST(r.connection_index == 0u);
}

BOOST_AUTO_TEST_CASE(server_closing_the_idle_connection_is_not_an_error) {
    std::atomic<int> seen{0};
    local_https_server server([&](const received_request&) {
        auto reply = scripted_reply::json(success_body());
        reply.close_after = seen++ == 0;  // the first connection dies after its response
        return reply;
    });
    asio::io_context io;
    genauth::authentication_client client(io, options_for(server));
    auto [ec1, r1] = run(io, enroll_call(client));
    BOOST_TEST(!ec1, ec1.message());
    // The server's close has arrived by the next call: the check before reuse finds it, and the
    // POST goes out once, on a new connection. (Had the close still been on its way as the POST
    // was written, the POST would fail with connection_closed/reset rather than be resent:
    // tests/e2e/test_faults.cpp.)
    BOOST_TEST_REQUIRE(wait_until([&] { return server.connections_closed_after_answer() == 1u; }));
    auto [ec2, r2] = run(io, enroll_call(client));
    BOOST_TEST(!ec2, ec2.message() + " " + r2.diag.detail);
    BOOST_TEST(r2.status_code == 200);
    BOOST_TEST(server.requests_received() == 2u);  // the enrollment was not sent twice
    BOOST_TEST(server.connections_accepted() == 2u);
}

BOOST_AUTO_TEST_CASE(a_get_caught_by_the_servers_close_is_sent_again) {
    // The second request is read on the reused connection, which the server then closes without
    // a byte of answer: the GET is resent, once, on a fresh connection (and the third is answered).
    std::atomic<int> seen{0};
    local_https_server server([&](const received_request&) {
        if (++seen == 2) {
            scripted_reply r;
            r.what = scripted_reply::action::close_without_answer;
            return r;
        }
        return scripted_reply::json(R"({"statusCode":200,"message":"ok","data":[]})");
    });
    asio::io_context io;
    std::vector<bool> resent;
    auto options = options_for(server);
    options.observer = [&](const genauth::operation_record& r) { resent.push_back(r.resent); };
    genauth::authentication_client client(io, options);
    for (int i = 0; i < 2; ++i) {
        auto [ec, r] = run(io, client.async_list_enrolled_factors(tuple_awaitable));
        BOOST_TEST(!ec, ec.message() + " " + r.diag.detail);
    }
    BOOST_TEST(client.statistics().resends == 1u);
    BOOST_TEST((resent == std::vector<bool>{false, true}));
    BOOST_TEST(server.requests_received() == 3u);
    BOOST_TEST(server.connections_accepted() == 2u);
}

BOOST_AUTO_TEST_CASE(stalled_server_hits_the_deadline) {
    local_https_server server([](const received_request&) { return stall_reply(); });
    asio::io_context io;
    auto options = options_for(server);
    options.timeout = std::chrono::milliseconds(300);
    genauth::authentication_client client(io, options);
    const auto start = std::chrono::steady_clock::now();
    auto [ec, r] = run(io, enroll_call(client));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    BOOST_TEST((ec == genauth::errc::timeout));
    BOOST_TEST((ec == std::errc::timed_out));
    BOOST_TEST(r.diag.detail.find("300 ms") != std::string::npos);
    // Bounded by the deadline, not by the server: generous upper bound for a loaded CI machine.
    BOOST_TEST((elapsed < std::chrono::seconds(3)));
    BOOST_TEST(server.requests_received() == 1u);
}

BOOST_AUTO_TEST_CASE(wrong_host_name_is_refused) {
    local_https_server server([](const received_request&) { return scripted_reply::json(success_body()); });
    asio::io_context io;
    auto options = options_for(server);
    options.app_host = "https://127.0.0.1:" + std::to_string(server.port());  // the certificate names "localhost"
    genauth::authentication_client client(io, options);
    auto [ec, r] = run(io, enroll_call(client));
    BOOST_TEST((ec == genauth::errc::tls_certificate_rejected));
    BOOST_TEST(r.diag.detail.find("mismatch") != std::string::npos, r.diag.detail);
    BOOST_TEST(server.requests_received() == 0u);
    BOOST_TEST(!leaks_token(r));
}

BOOST_AUTO_TEST_CASE(untrusted_ca_is_refused) {
    local_https_server server([](const received_request&) { return scripted_reply::json(success_body()); });
    asio::io_context io;
    auto options = options_for(server);
    options.tls.extra_ca_pem.clear();
    genauth::authentication_client client(io, options);
    auto [ec, r] = run(io, enroll_call(client));
    BOOST_TEST((ec == genauth::errc::tls_certificate_rejected));
    BOOST_TEST(r.diag.detail.find("certificate") != std::string::npos, r.diag.detail);
    BOOST_TEST(server.requests_received() == 0u);
}

BOOST_AUTO_TEST_CASE(insecure_option_skips_verification) {
    local_https_server server([](const received_request&) { return scripted_reply::json(success_body()); });
    asio::io_context io;
    auto options = options_for(server);
    options.tls.extra_ca_pem.clear();
    options.tls.insecure_skip_verification = true;
    genauth::authentication_client client(io, options);
    auto [ec, r] = run(io, enroll_call(client));
    BOOST_TEST(!ec, ec.message());
}

BOOST_AUTO_TEST_CASE(callers_ssl_context_still_verifies) {
    local_https_server server([](const received_request&) { return scripted_reply::json(success_body()); });
    asio::io_context io;
    auto options = options_for(server);
    options.tls.extra_ca_pem.clear();
    asio::ssl::context trusting(asio::ssl::context::tls_client);
    trusting.add_certificate_authority(asio::buffer(server.ca_pem()));
    asio::ssl::context empty(asio::ssl::context::tls_client);  // verify_none by default: we still verify
    {
        genauth::authentication_client client(io, trusting, options);
        auto [ec, r] = run(io, enroll_call(client));
        BOOST_TEST(!ec, ec.message());
    }
    {
        genauth::authentication_client client(io, empty, options);
        auto [ec, r] = run(io, enroll_call(client));
        BOOST_TEST((ec == genauth::errc::tls_certificate_rejected));
    }
}

BOOST_AUTO_TEST_CASE(terminal_cancellation) {
    local_https_server server([](const received_request&) { return stall_reply(); });
    asio::io_context io;
    genauth::authentication_client client(io, options_for(server));
    asio::cancellation_signal signal;
    int calls = 0;
    genauth::error_code ec;
    client.async_enroll_factor(
        sms_request(),
        asio::bind_cancellation_slot(signal.slot(), [&](genauth::error_code e, genauth::enroll_factor_response) {
            ++calls;
            ec = e;
        }));
    asio::steady_timer timer(io, std::chrono::milliseconds(200));
    timer.async_wait([&](genauth::error_code) { signal.emit(asio::cancellation_type::terminal); });
    const auto start = std::chrono::steady_clock::now();
    io.run();
    BOOST_TEST(calls == 1);
    BOOST_TEST((ec == asio::error::operation_aborted));
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(3)));

    // The client is still usable afterwards (the cancelled connection was dropped).
    local_https_server good([](const received_request&) { return scripted_reply::json(success_body()); });
    genauth::authentication_client client2(io, options_for(good));
    auto [ec2, r2] = run(io, enroll_call(client2));
    BOOST_TEST(!ec2);
}

BOOST_AUTO_TEST_CASE(concurrent_operations_each_complete_once) {
    local_https_server server([](const received_request&) { return scripted_reply::json(success_body()); });
    asio::io_context io;
    genauth::authentication_client client(io, options_for(server));
    constexpr int operations = 32;
    std::vector<std::atomic<int>> completions(operations);  // per operation: exactly once each
    std::atomic<int> failures{0};
    for (int i = 0; i < operations; ++i) {
        client.async_enroll_factor(sms_request(), [&, i](genauth::error_code ec, genauth::enroll_factor_response) {
            ++completions[i];
            if (ec) ++failures;
        });
    }
    std::thread second([&] { io.run(); });  // two threads on one io_context
    io.run();
    second.join();
    for (int i = 0; i < operations; ++i) BOOST_TEST(completions[i].load() == 1, "operation " << i);
    BOOST_TEST(failures.load() == 0);
    BOOST_TEST(server.requests_received() == static_cast<std::size_t>(operations));
}

BOOST_AUTO_TEST_CASE(client_on_a_thread_pool) {
    // An executor that is not an io_context's (the operation's lock then wraps it through
    // any_io_executor): operations run on the pool's two threads, and a stalled one still ends
    // at its deadline.
    local_https_server server([](const received_request& r) {
        if (r.body.find("stall") != std::string::npos) return stall_reply();
        return scripted_reply::json(success_body());
    });
    asio::thread_pool pool(2);
    // Two clients on the pool: the operations that must succeed get a deadline only a hang can
    // miss (a loaded machine may take seconds for 20 handshakes); the stalled one a short one.
    auto options = options_for(server);
    options.timeout = std::chrono::seconds(30);
    genauth::authentication_client client(pool.get_executor(), options);
    options.timeout = std::chrono::milliseconds(500);
    genauth::authentication_client stalling_client(pool.get_executor(), options);
    constexpr int operations = 20;
    std::atomic<int> succeeded{0}, timed_out{0}, completions{0};
    for (int i = 0; i <= operations; ++i) {
        auto request = sms_request();
        if (i == operations) request.enrollment_token = "stall";
        (i == operations ? stalling_client : client)
            .async_enroll_factor(request, [&](genauth::error_code ec, genauth::enroll_factor_response) {
                if (!ec) ++succeeded;
                if (ec == genauth::errc::timeout) ++timed_out;
                ++completions;
            });
    }
    pool.join();  // returns once the operations are done: they are the pool's only work
    BOOST_TEST(completions.load() == operations + 1);
    BOOST_TEST(succeeded.load() == operations);
    BOOST_TEST(timed_out.load() == 1);
}

BOOST_AUTO_TEST_CASE(client_may_be_destroyed_while_an_operation_runs) {
    local_https_server server([](const received_request&) { return scripted_reply::json(success_body()); });
    asio::io_context io;
    int calls = 0;
    {
        genauth::authentication_client client(io, options_for(server));
        client.async_enroll_factor(sms_request(), [&](genauth::error_code ec, genauth::enroll_factor_response) {
            ++calls;
            BOOST_TEST(!ec);
        });
    }
    io.run();
    BOOST_TEST(calls == 1);
}

BOOST_AUTO_TEST_CASE(io_context_destroyed_with_operations_in_flight_and_waiting) {
    // The server never answers and there is one connection: when the io_context is stopped and
    // destroyed, one operation is reading and four wait in the pool's queue. Destroying them
    // frees every operation's state, lock and coroutine without running a handler, and the
    // connection given back on the way wakes a waiter that is itself being destroyed
    // (AddressSanitizer and LeakSanitizer check that nothing is used after it is freed or kept).
    local_https_server server([](const received_request&) { return stall_reply(); });
    int calls = 0;
    {
        asio::io_context io;
        auto options = options_for(server);
        options.max_connections = 1;
        genauth::authentication_client client(io, options);
        for (int i = 0; i < 5; ++i)
            client.async_enroll_factor(sms_request(),
                                       [&](genauth::error_code, genauth::enroll_factor_response) { ++calls; });
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (server.requests_received() == 0 && std::chrono::steady_clock::now() < until)
            io.run_for(std::chrono::milliseconds(10));
        BOOST_TEST(server.requests_received() == 1u);
        BOOST_TEST(client.waiting_operations() == 4u);
        io.stop();
    }
    BOOST_TEST(calls == 0);
}

BOOST_AUTO_TEST_CASE(handler_on_another_io_context_keeps_it_running) {
    // The handler is bound to a second io_context whose run() starts first, with nothing else to
    // do: the pending operation is work for it, so run() returns only after the handler ran there.
    local_https_server server([](const received_request&) { return scripted_reply::json(success_body()); });
    asio::io_context io, handlers;
    genauth::authentication_client client(io, options_for(server));
    std::atomic<int> calls{0};
    std::atomic<bool> on_handlers_thread{false};
    std::thread::id handlers_thread;  // written and read on the second thread only
    client.async_enroll_factor(
        sms_request(), asio::bind_executor(handlers, [&](genauth::error_code ec, genauth::enroll_factor_response) {
            BOOST_TEST(!ec, ec.message());
            on_handlers_thread = std::this_thread::get_id() == handlers_thread;
            ++calls;
        }));
    std::thread second([&] {
        handlers_thread = std::this_thread::get_id();
        handlers.run();
    });
    io.run();
    second.join();  // returns once the handler ran; without the work it returned at once
    BOOST_TEST(calls.load() == 1);
    BOOST_TEST(on_handlers_thread.load());
}

BOOST_AUTO_TEST_CASE(run_returns_once_the_work_is_done) {
    // The client's one deadline timer must not outlive the operations: with an hour's timeout,
    // run() returns when the last handler is done, however the handler is completed (at once on
    // the io_context's thread, from a coroutine, or queued through a strand).
    local_https_server server([](const received_request&) { return scripted_reply::json(success_body()); });
    asio::io_context io;
    auto opts = options_for(server);
    opts.timeout = std::chrono::hours(1);
    genauth::authentication_client client(io, opts);
    int calls = 0;
    auto count = [&](genauth::error_code ec, genauth::enroll_factor_response) {
        BOOST_TEST(!ec, ec.message());
        ++calls;
    };
    client.async_enroll_factor(sms_request(), count);
    io.run_for(std::chrono::seconds(20));
    BOOST_TEST(io.stopped());  // had the timer stayed armed, run_for would have timed out
    BOOST_TEST(calls == 1);

    io.restart();
    // A handler that starts the next operation, as a caller's loop does: the timer stays armed
    // for it, then goes once the second is done.
    client.async_enroll_factor(sms_request(), [&](genauth::error_code ec, genauth::enroll_factor_response r) {
        count(ec, std::move(r));
        client.async_enroll_factor(sms_request(), count);
    });
    io.run_for(std::chrono::seconds(20));
    BOOST_TEST(io.stopped());
    BOOST_TEST(calls == 3);

    io.restart();
    asio::co_spawn(io, enroll_call(client), asio::detached);
    client.async_enroll_factor(sms_request(), asio::bind_executor(asio::make_strand(io), count));
    io.run_for(std::chrono::seconds(20));
    BOOST_TEST(io.stopped());
    BOOST_TEST(calls == 4);
}

BOOST_AUTO_TEST_CASE(connection_refused_is_connect_failed) {
    asio::io_context io;
    genauth::authentication_client client(
        io, test_support::hermetic_options("https://127.0.0.1:" + std::to_string(closed_port()), secret_token));
    auto [ec, r] = run(io, enroll_call(client));
    BOOST_TEST((ec == genauth::errc::connect_failed));
    BOOST_TEST(!leaks_token(r));
}

BOOST_AUTO_TEST_CASE(pool_bounds_connections_and_serves_everyone) {
    local_https_server server([](const received_request&) { return scripted_reply::json(success_body()); });
    asio::io_context io;
    auto options = options_for(server);
    options.max_connections = 2;
    genauth::authentication_client client(io, options);
    constexpr int operations = 40;
    int completions = 0, failures = 0;
    std::size_t peak_open = 0, peak_waiting = 0;
    for (int i = 0; i < operations; ++i) {
        client.async_enroll_factor(sms_request(), [&](genauth::error_code ec, genauth::enroll_factor_response) {
            ++completions;
            failures += ec ? 1 : 0;
            peak_open = std::max(peak_open, client.open_connections());
            peak_waiting = std::max(peak_waiting, client.waiting_operations());
        });
        peak_waiting = std::max(peak_waiting, client.waiting_operations());
    }
    io.run();
    BOOST_TEST(completions == operations);
    BOOST_TEST(failures == 0);
    BOOST_TEST(peak_open <= 2u);
    BOOST_TEST(peak_waiting > 0u);  // the rest did wait for a place: the pool was the bound
    BOOST_TEST(server.connections_accepted() <= 2u);
    BOOST_TEST(client.connections_opened() <= 2u);
    BOOST_TEST(server.requests_received() == static_cast<std::size_t>(operations));
    BOOST_TEST(client.waiting_operations() == 0u);
}

BOOST_AUTO_TEST_CASE(waiting_operation_keeps_its_own_deadline) {
    local_https_server server([](const received_request&) { return stall_reply(); });
    asio::io_context io;
    auto options = options_for(server);
    options.max_connections = 1;
    options.timeout = std::chrono::milliseconds(400);
    genauth::authentication_client client(io, options);
    std::vector<genauth::error_code> results;
    for (int i = 0; i < 3; ++i)
        client.async_enroll_factor(
            sms_request(), [&](genauth::error_code ec, genauth::enroll_factor_response) { results.push_back(ec); });
    io.run();
    BOOST_TEST_REQUIRE(results.size() == 3u);
    for (const auto& ec : results) BOOST_TEST((ec == genauth::errc::timeout), ec.message());
    BOOST_TEST(server.requests_received() == 1u);  // the two waiters never got a connection
    BOOST_TEST(client.waiting_operations() == 0u);
    BOOST_TEST(client.open_connections() == 0u);
}

BOOST_AUTO_TEST_CASE(cancelling_a_waiting_operation_removes_it_from_the_queue) {
    std::atomic<int> seen{0};
    local_https_server server([&](const received_request&) {
        if (seen++ == 0) {
            return stall_reply();
        }
        return scripted_reply::json(success_body());
    });
    asio::io_context io;
    auto options = options_for(server);
    options.max_connections = 1;
    genauth::authentication_client client(io, options);
    asio::cancellation_signal first_signal, second_signal;
    genauth::error_code first_ec, second_ec;
    client.async_enroll_factor(
        sms_request(),
        asio::bind_cancellation_slot(first_signal.slot(),
                                     [&](genauth::error_code ec, genauth::enroll_factor_response) { first_ec = ec; }));
    std::size_t waiting_before = 0, waiting_after = 0;
    client.async_enroll_factor(sms_request(),
                               asio::bind_cancellation_slot(
                                   second_signal.slot(), [&](genauth::error_code ec, genauth::enroll_factor_response) {
                                       second_ec = ec;
                                       waiting_after = client.waiting_operations();
                                       first_signal.emit(asio::cancellation_type::terminal);  // the stalled one
                                   }));
    // Once the first request has reached the server (the second is then surely queued), cancel the waiter.
    asio::steady_timer timer(io);
    std::function<void(int)> poll = [&](int tries_left) {
        timer.expires_after(std::chrono::milliseconds(10));
        timer.async_wait([&, tries_left](genauth::error_code) {
            if (server.requests_received() == 0 && tries_left > 0) return poll(tries_left - 1);
            waiting_before = client.waiting_operations();
            second_signal.emit(asio::cancellation_type::terminal);  // the waiter
        });
    };
    poll(500);
    io.run();
    BOOST_TEST(waiting_before == 1u);
    BOOST_TEST(waiting_after == 0u);
    BOOST_TEST((second_ec == asio::error::operation_aborted));
    BOOST_TEST((first_ec == asio::error::operation_aborted));
    BOOST_TEST(server.requests_received() == 1u);
    // The place of the cancelled connection is free again.
    BOOST_TEST(client.open_connections() == 0u);
    auto [ec, r] = run(io, enroll_call(client));
    BOOST_TEST(!ec, ec.message());
}

BOOST_AUTO_TEST_CASE(new_connections_resume_the_tls_session) {
    local_https_server server([](const received_request&) {
        scripted_reply reply;  // every call needs a new connection: the server says so, then closes
        reply.raw = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                    std::to_string(success_body().size()) + "\r\n\r\n" + success_body();
        reply.close_after = true;
        return reply;
    });
    asio::io_context io;
    genauth::authentication_client client(io, options_for(server));
    for (int i = 0; i < 3; ++i) {
        auto [ec, r] = run(io, enroll_call(client));
        BOOST_TEST(!ec, ec.message());
    }
    BOOST_TEST(client.connections_opened() == 3u);
    BOOST_TEST(client.tls_sessions_resumed() == 2u);
}

BOOST_AUTO_TEST_CASE(failed_connection_is_discarded_and_replaced) {
    std::atomic<int> seen{0};
    local_https_server server([&](const received_request&) {
        if (seen++ == 0) {
            scripted_reply r;
            r.what = scripted_reply::action::close_without_answer;
            return r;
        }
        return scripted_reply::json(success_body());
    });
    asio::io_context io;
    auto options = options_for(server);
    options.max_connections = 1;
    genauth::authentication_client client(io, options);
    auto [ec1, r1] = run(io, enroll_call(client));
    BOOST_TEST((ec1 == genauth::errc::connection_closed));
    BOOST_TEST(server.requests_received() == 1u);  // a fresh connection is never resent on
    auto [ec2, r2] = run(io, enroll_call(client));
    BOOST_TEST(!ec2, ec2.message());
    BOOST_TEST(client.connections_opened() == 2u);
    BOOST_TEST(client.open_connections() == 1u);
}

BOOST_AUTO_TEST_CASE(single_threaded_client_without_strands) {
    std::atomic<int> seen{0};
    local_https_server server(
        [&](const received_request&) { return seen++ == 1 ? stall_reply() : scripted_reply::json(success_body()); });
    asio::io_context io(1);
    auto options = options_for(server);
    options.thread_safe = false;  // io_context run by this thread only
    // Long enough for a reconnect with a handshake on a loaded machine: only a hang misses it.
    options.timeout = std::chrono::seconds(3);
    genauth::authentication_client client(io, options);
    auto [ec1, r1] = run(io, enroll_call(client));
    BOOST_TEST(!ec1, ec1.message());
    auto [ec2, r2] = run(io, enroll_call(client));  // stalls: the deadline still works
    BOOST_TEST((ec2 == genauth::errc::timeout));
    asio::cancellation_signal signal;
    genauth::error_code ec3;
    client.async_enroll_factor(
        sms_request(), asio::bind_cancellation_slot(signal.slot(), [&](genauth::error_code ec, auto&&) { ec3 = ec; }));
    asio::post(io, [&] { signal.emit(asio::cancellation_type::terminal); });
    io.restart();
    io.run();
    BOOST_TEST((ec3 == asio::error::operation_aborted || !ec3));  // cancelled, or done before the cancellation
    auto [ec4, r4] = run(io, enroll_call(client));
    BOOST_TEST(!ec4, ec4.message());
}

BOOST_AUTO_TEST_CASE(idle_timeout_and_close_idle_connections) {
    local_https_server server([](const received_request&) { return scripted_reply::json(success_body()); });
    asio::io_context io;
    auto options = options_for(server);
    options.idle_timeout = std::chrono::milliseconds(0);  // never reuse
    genauth::authentication_client never_reuse(io, options);
    // Each call must succeed: a failed one would also leave no connection to reuse.
    const auto succeeds = [&](genauth::authentication_client& c) {
        auto [ec, r] = run(io, enroll_call(c));
        BOOST_TEST(!ec, ec.message());
    };
    succeeds(never_reuse);
    succeeds(never_reuse);
    BOOST_TEST(never_reuse.connections_opened() == 2u);

    genauth::authentication_client client(io, options_for(server));
    succeeds(client);
    BOOST_TEST(client.open_connections() == 1u);
    client.close_idle_connections();
    BOOST_TEST(client.open_connections() == 0u);
    succeeds(client);
    BOOST_TEST(client.connections_opened() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
