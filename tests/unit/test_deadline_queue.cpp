// The client's one deadline timer (impl/io/deadline_queue.hpp), on a real io_context with
// short deadlines: expiry order, removal, an idle queue holding no timer.
#include <genauth/impl/io/deadline_queue.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <memory>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using genauth::detail::deadline_queue;

namespace {

struct recording_entry final : deadline_queue::entry {
    explicit recording_entry(std::vector<int>& log, int id) : log(log), id(id) {}
    void expire() override {
        log.push_back(id);
        expired_at = deadline_queue::clock::now();
    }
    std::vector<int>& log;
    int id;
    deadline_queue::clock::time_point expired_at{};
};

// Each case's queue, on an io_context of its own, with two entries that log their expiry.
struct queue_on_io {
    asio::io_context io;
    std::shared_ptr<deadline_queue> queue = std::make_shared<deadline_queue>(io.get_executor());
    std::vector<int> log;
    recording_entry a{log, 1}, b{log, 2};
};

}  // namespace

BOOST_AUTO_TEST_SUITE(test_deadline_queue)

BOOST_FIXTURE_TEST_CASE(expires_in_deadline_order_and_not_after_removal, queue_on_io) {
    recording_entry c(log, 3);
    const auto now = deadline_queue::clock::now();
    queue->add(b, now + 40ms);
    queue->add(a, now + 20ms);  // earlier than the head: the timer is armed again, earlier
    queue->add(c, now + 60ms);
    queue->remove(b);
    io.run_for(5s);
    BOOST_TEST(io.stopped());  // out of work once the last deadline passed
    BOOST_TEST(log == (std::vector<int>{1, 3}));
    BOOST_TEST((a.expired_at >= now + 20ms));
    BOOST_TEST((c.expired_at >= now + 60ms));
}

BOOST_FIXTURE_TEST_CASE(an_idle_queue_holds_no_timer, queue_on_io) {
    // Deadlines an hour away: had the timer stayed armed, run_for would time out, not stop.
    queue->add(a, deadline_queue::clock::now() + 1h);
    queue->remove(a);
    // The next operation starts before the idle check runs (as from the previous handler): the
    // timer stays armed for the earlier deadline, then is cancelled once b is gone too.
    queue->add(b, deadline_queue::clock::now() + 1h);
    io.poll();
    BOOST_TEST(!io.stopped());  // b is in flight: the timer is armed
    queue->remove(b);
    io.run_for(5s);
    BOOST_TEST(io.stopped());
    BOOST_TEST(log.empty());
}

BOOST_FIXTURE_TEST_CASE(a_removal_checked_by_the_caller_queues_nothing, queue_on_io) {
    // finish_call's way when it runs the handler itself: no check is queued; the caller looks at
    // the queue once the handler (which may have added the next entry) is done.
    queue->add(a, deadline_queue::clock::now() + 1h);
    queue->remove(a, deadline_queue::idle_check::by_caller);
    BOOST_TEST(io.poll() == 0u);  // nothing was queued
    BOOST_TEST(!io.stopped());    // and the timer is still armed
    queue->add(b, deadline_queue::clock::now() + 1h);
    queue->cancel_if_idle();  // b is queued: the timer stays
    BOOST_TEST(io.poll() == 0u);
    BOOST_TEST(!io.stopped());
    queue->remove(b, deadline_queue::idle_check::by_caller);
    queue->cancel_if_idle();
    io.run_for(5s);
    BOOST_TEST(io.stopped());
    BOOST_TEST(log.empty());
}

BOOST_FIXTURE_TEST_CASE(a_timer_armed_early_is_armed_again_for_the_head, queue_on_io) {
    const auto now = deadline_queue::clock::now();
    queue->add(a, now + 20ms);
    queue->remove(a);           // the timer stays armed for +20 ms for a moment
    queue->add(b, now + 80ms);  // later than the armed time: not armed again now
    io.run_for(5s);
    BOOST_TEST(io.stopped());
    BOOST_TEST(log == std::vector<int>{2});
    BOOST_TEST((b.expired_at >= now + 80ms));  // the early expiry did not take b
}

BOOST_AUTO_TEST_SUITE_END()
