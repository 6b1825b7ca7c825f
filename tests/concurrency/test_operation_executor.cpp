// The executor a thread-safe client's operation runs on (impl/io/operation_executor.hpp):
// the client's executor, each step under the operation's lock. Plain Asio, no client: what the
// lock promises, checked directly (also under ThreadSanitizer in CI).
#include "run_on_threads.hpp"

#include <genauth/impl/io/operation_executor.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using concurrency::run_on_threads;
using genauth::detail::operation_executor;
using genauth::detail::operation_lock;

namespace {
using io_executor = asio::io_context::executor_type;

asio::any_io_executor executor_of(asio::io_context& io, const boost::intrusive_ptr<operation_lock>& lock) {
    return operation_executor<io_executor>(io.get_executor(), lock);
}

boost::intrusive_ptr<operation_lock> new_lock() { return boost::intrusive_ptr<operation_lock>(new operation_lock); }
}  // namespace

BOOST_AUTO_TEST_SUITE(test_operation_executor)

// Steps of one operation never overlap, though four threads run the io_context: a plain
// (non-atomic) counter stays exact, and ThreadSanitizer sees no race on it.
BOOST_AUTO_TEST_CASE(steps_of_one_operation_never_overlap) {
    asio::io_context io(4);
    auto lock = new_lock();
    auto ex = executor_of(io, lock);
    long counter = 0;
    std::atomic<int> inside{0};
    std::atomic<int> overlaps{0};
    constexpr int steps = 20000;
    for (int i = 0; i < steps; ++i) {
        asio::post(ex, [&] {
            if (inside.fetch_add(1) != 0) overlaps.fetch_add(1);
            ++counter;
            inside.fetch_sub(1);
        });
    }
    run_on_threads(io, 4);
    BOOST_TEST(counter == steps);
    BOOST_TEST(overlaps.load() == 0);
}

// Different operations do not wait for each other: a step of one runs while a step of another
// is still in progress.
BOOST_AUTO_TEST_CASE(different_operations_run_side_by_side) {
    asio::io_context io(2);
    const auto first_lock = new_lock(), second_lock = new_lock();
    auto first = executor_of(io, first_lock);
    auto second = executor_of(io, second_lock);
    std::atomic<bool> second_ran{false};
    bool seen_while_first_ran = false;
    asio::post(first, [&] {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (!second_ran.load() && std::chrono::steady_clock::now() < until) std::this_thread::yield();
        seen_while_first_ran = second_ran.load();
    });
    asio::post(second, [&] { second_ran.store(true); });
    run_on_threads(io, 2);
    BOOST_TEST(seen_while_first_ran);
}

// Dispatch from inside a step of the same operation runs at once (as on a strand), without
// taking the lock again; post still queues.
BOOST_AUTO_TEST_CASE(dispatch_within_a_step_runs_inline) {
    asio::io_context io(1);
    const auto lock = new_lock();
    auto ex = executor_of(io, lock);
    std::vector<int> order;
    asio::post(ex, [&] {
        order.push_back(1);
        asio::dispatch(ex, [&] { order.push_back(2); });
        asio::post(ex, [&] { order.push_back(4); });
        order.push_back(3);
    });
    io.run();
    BOOST_TEST(order == (std::vector<int>{1, 2, 3, 4}), boost::test_tools::per_element());
}

// release_operation_lock ends the step's hold on the lock: another thread's step of the same
// operation may run while the rest of the first step (the completion handler's part) goes on.
BOOST_AUTO_TEST_CASE(a_released_step_no_longer_holds_the_lock) {
    asio::io_context io(2);
    auto lock = new_lock();
    auto ex = executor_of(io, lock);
    std::atomic<bool> first_released{false};
    std::atomic<bool> second_ran{false};
    bool second_ran_before_first_ended = false;
    asio::post(ex, [&] {
        genauth::detail::release_operation_lock(*lock);
        first_released.store(true);
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (!second_ran.load() && std::chrono::steady_clock::now() < until) std::this_thread::yield();
        second_ran_before_first_ended = second_ran.load();
    });
    // Posted from the second thread once the first step has released the lock.
    std::thread poster([&] {
        // Bounded: a broken executor that never runs the first step must fail, not hang.
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!first_released.load() && std::chrono::steady_clock::now() < until) std::this_thread::yield();
        asio::post(ex, [&] { second_ran.store(true); });
    });
    run_on_threads(io, 2);
    poster.join();
    BOOST_TEST(second_ran_before_first_ended);
}

// A queued step keeps the lock alive after the operation's own reference is gone (as a
// cancellation queued just before the operation finished does), and frees it after running
// (AddressSanitizer would see a use after free, LeakSanitizer a leak).
BOOST_AUTO_TEST_CASE(a_queued_step_keeps_the_lock_until_it_has_run) {
    asio::io_context io(1);
    auto lock = new_lock();
    const operation_lock* seen = nullptr;
    bool ran = false;
    asio::post(executor_of(io, lock), [&] {
        seen = genauth::detail::innermost_operation_scope->lock;
        ran = true;
    });
    const operation_lock* address = lock.get();
    BOOST_TEST(lock->use_count() == 2u);  // the operation's and the queued step's
    lock.reset();
    io.run();
    BOOST_TEST(ran);
    BOOST_TEST(seen == address);
}

// The executor's properties are the client executor's: its context, and post never running
// inline.
BOOST_AUTO_TEST_CASE(properties_are_the_inner_executors) {
    asio::io_context io(1);
    auto lock = new_lock();
    operation_executor<io_executor> ex(io.get_executor(), lock);
    BOOST_TEST(&asio::query(ex, asio::execution::context) == &io);
    auto never = asio::require(ex, asio::execution::blocking.never);
    BOOST_TEST((asio::query(never, asio::execution::blocking) == asio::execution::blocking.never));
    BOOST_TEST((ex == operation_executor<io_executor>(io.get_executor(), lock)));
    const auto other = new_lock();
    BOOST_TEST((ex != operation_executor<io_executor>(io.get_executor(), other)));
    bool ran = false;
    asio::post(io, [&] {
        asio::post(ex, [&] { ran = true; });
        BOOST_TEST(!ran);  // queued, not run inline
    });
    io.run();
    BOOST_TEST(ran);
}

BOOST_AUTO_TEST_SUITE_END()
