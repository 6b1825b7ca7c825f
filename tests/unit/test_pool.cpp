// The connection pool's logic with a fake connection and a fake clock: no socket, no TLS.
#include <genauth/impl/io/connection_pool.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

struct fake_connection {
    int id = 0;
    bool usable = true;  // what the real one learns from its buffers and a socket peek
    bool idle_and_usable() const { return usable; }
};

struct fake_clock {
    using duration = std::chrono::steady_clock::duration;
    using rep = duration::rep;
    using period = duration::period;
    using time_point = std::chrono::time_point<fake_clock>;
    static inline time_point current{};
    static time_point now() noexcept { return current; }
};

using pool_type = genauth::detail::basic_connection_pool<fake_connection, fake_clock>;
using grant = pool_type::grant;

// Starts an acquire() on `ctx`; the grant lands in `out` when it completes.
void start_acquire(asio::io_context& ctx, pool_type& pool, std::optional<grant>& out,
                   asio::cancellation_signal* cancel = nullptr) {
    auto done = [&out](std::exception_ptr ep, grant g) {
        BOOST_TEST(!ep);
        out = std::move(g);
    };
    if (cancel != nullptr)
        asio::co_spawn(ctx, pool.acquire(), asio::bind_cancellation_slot(cancel->slot(), done));
    else
        asio::co_spawn(ctx, pool.acquire(), done);
}

// Runs what is ready (an io_context that ran out of work must be restarted to run again).
void drain(asio::io_context& ctx) {
    ctx.restart();
    ctx.poll();
}

std::unique_ptr<fake_connection> make_conn(int id) { return std::make_unique<fake_connection>(fake_connection{id}); }

}  // namespace

BOOST_AUTO_TEST_SUITE(test_pool)

BOOST_AUTO_TEST_CASE(waiters_are_served_in_order) {
    asio::io_context ctx;
    pool_type pool(1, 4s);
    std::optional<grant> a, b, c;
    start_acquire(ctx, pool, a);
    drain(ctx);
    BOOST_TEST_REQUIRE(a.has_value());
    BOOST_TEST((!a->ec && !a->conn && !a->reused));  // the right to open the one connection
    BOOST_TEST(pool.open_count() == 1u);

    start_acquire(ctx, pool, b);
    start_acquire(ctx, pool, c);
    drain(ctx);
    BOOST_TEST(pool.waiting_count() == 2u);
    BOOST_TEST((!b && !c));

    pool.release(make_conn(1), true);  // straight to the first waiter
    drain(ctx);
    BOOST_TEST_REQUIRE(b.has_value());
    BOOST_TEST(!c.has_value());
    BOOST_TEST((b->reused && b->conn && b->conn->id == 1));

    pool.release(std::move(b->conn), true);
    drain(ctx);
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_TEST((c->reused && c->conn->id == 1));
    BOOST_TEST(pool.open_count() == 1u);
    BOOST_TEST(pool.waiting_count() == 0u);

    pool.release(std::move(c->conn), true);  // nobody waits: kept idle
    BOOST_TEST(pool.idle_count() == 1u);
    BOOST_TEST(pool.open_count() == 1u);
}

BOOST_AUTO_TEST_CASE(a_failed_connection_leaves_its_place_to_the_next_waiter) {
    asio::io_context ctx;
    pool_type pool(1, 4s);
    std::optional<grant> a, b;
    start_acquire(ctx, pool, a);
    start_acquire(ctx, pool, b);
    drain(ctx);
    BOOST_TEST_REQUIRE(a.has_value());
    BOOST_TEST(!b.has_value());
    pool.release(nullptr, false);  // a's connection failed to open
    drain(ctx);
    BOOST_TEST_REQUIRE(b.has_value());
    BOOST_TEST((!b->ec && !b->conn && !b->reused));  // b opens a new one in the same place
    BOOST_TEST(pool.open_count() == 1u);
    pool.release(make_conn(2), false);  // not reusable: closed, the place freed
    BOOST_TEST(pool.open_count() == 0u);
    BOOST_TEST(pool.idle_count() == 0u);
}

BOOST_AUTO_TEST_CASE(a_cancelled_waiter_leaves_the_queue) {
    asio::io_context ctx;
    pool_type pool(1, 4s);
    std::optional<grant> a, b, c;
    asio::cancellation_signal cancel_b;
    start_acquire(ctx, pool, a);
    start_acquire(ctx, pool, b, &cancel_b);
    start_acquire(ctx, pool, c);
    drain(ctx);
    BOOST_TEST(pool.waiting_count() == 2u);
    cancel_b.emit(asio::cancellation_type::terminal);
    drain(ctx);
    BOOST_TEST_REQUIRE(b.has_value());
    BOOST_TEST((b->ec == asio::error::operation_aborted));  // an error code, not an exception
    BOOST_TEST(!b->conn);
    BOOST_TEST(pool.waiting_count() == 1u);
    BOOST_TEST(pool.open_count() == 1u);  // the cancelled waiter never held a place
    pool.release(make_conn(1), true);
    drain(ctx);
    BOOST_TEST_REQUIRE(c.has_value());  // c, not the cancelled b
    BOOST_TEST((c->conn && c->conn->id == 1));
}

BOOST_AUTO_TEST_CASE(idle_connections_expire_and_unusable_ones_are_dropped) {
    asio::io_context ctx;
    pool_type pool(2, 4s);
    fake_clock::current = fake_clock::time_point{} + 1h;
    std::optional<grant> a, b;
    start_acquire(ctx, pool, a);
    start_acquire(ctx, pool, b);
    drain(ctx);
    pool.release(make_conn(1), true);
    fake_clock::current += 3s;
    pool.release(make_conn(2), true);
    BOOST_TEST(pool.idle_count() == 2u);

    // 4.5 s after the first release: connection 1 has expired, connection 2 (most recent) is
    // taken first and is still fresh.
    fake_clock::current += 1500ms;
    std::optional<grant> c;
    start_acquire(ctx, pool, c);
    drain(ctx);
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_TEST((c->reused && c->conn->id == 2));
    pool.release(std::move(c->conn), true);

    // 5 s later both have expired: both closed, and the grant is a new place.
    fake_clock::current += 5s;
    std::optional<grant> d;
    start_acquire(ctx, pool, d);
    drain(ctx);
    BOOST_TEST_REQUIRE(d.has_value());
    BOOST_TEST((!d->conn && !d->reused));
    BOOST_TEST(pool.idle_count() == 0u);
    BOOST_TEST(pool.open_count() == 1u);  // two closed, one place taken
    pool.release(nullptr, false);

    // A connection the server closed (or wrote a stray byte on) while idle is never handed out.
    auto dead = make_conn(3);
    std::optional<grant> e;
    start_acquire(ctx, pool, e);
    drain(ctx);
    dead->usable = false;
    pool.release(std::move(dead), true);
    std::optional<grant> f;
    start_acquire(ctx, pool, f);
    drain(ctx);
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST((!f->conn && !f->reused));
    BOOST_TEST(pool.open_count() == 1u);
}

BOOST_AUTO_TEST_CASE(a_connection_that_went_bad_during_hand_over_becomes_a_new_place) {
    asio::io_context ctx;
    pool_type pool(1, 4s);
    std::optional<grant> a, b;
    start_acquire(ctx, pool, a);
    start_acquire(ctx, pool, b);
    drain(ctx);
    auto conn = make_conn(1);
    conn->usable = false;  // e.g. a stray response arrived after it was released
    pool.release(std::move(conn), true);
    drain(ctx);
    BOOST_TEST_REQUIRE(b.has_value());
    BOOST_TEST((!b->ec && !b->conn && !b->reused));
    BOOST_TEST(pool.open_count() == 1u);
}

BOOST_AUTO_TEST_CASE(try_acquire_never_jumps_the_queue) {
    asio::io_context ctx;
    pool_type pool(1, 4s);
    auto first = pool.try_acquire();  // a free place, without a coroutine
    BOOST_TEST_REQUIRE(first.has_value());
    BOOST_TEST((!first->conn && !first->ec));
    BOOST_TEST(!pool.try_acquire().has_value());  // the one place is taken
    std::optional<grant> waiting;
    start_acquire(ctx, pool, waiting);
    drain(ctx);
    BOOST_TEST(pool.waiting_count() == 1u);
    pool.release(make_conn(1), true);  // handed to the waiter, not left for try_acquire
    BOOST_TEST(!pool.try_acquire().has_value());
    drain(ctx);
    BOOST_TEST_REQUIRE(waiting.has_value());
    BOOST_TEST((waiting->conn && waiting->conn->id == 1));
    pool.release(std::move(waiting->conn), true);
    auto again = pool.try_acquire();  // idle and nobody waiting: reused at once
    BOOST_TEST_REQUIRE(again.has_value());
    BOOST_TEST((again->reused && again->conn->id == 1));
}

// The reuse check runs outside the pool's lock: a dead idle connection is closed and the next idle
// one tried; its place is freed, or given to an operation that started waiting meanwhile.
BOOST_AUTO_TEST_CASE(a_dead_idle_connection_gives_way_to_the_next_idle_one) {
    asio::io_context ctx;
    pool_type pool(3, 4s);
    std::optional<grant> a, b, c;
    for (auto* g : {&a, &b, &c}) start_acquire(ctx, pool, *g);
    drain(ctx);
    pool.release(make_conn(1), true);
    auto dead = make_conn(2);
    dead->usable = false;
    pool.release(std::move(dead), true);  // the most recently used: looked at first
    BOOST_TEST(pool.open_count() == 3u);
    auto reused = pool.try_acquire();
    BOOST_TEST_REQUIRE(reused.has_value());
    BOOST_TEST((reused->reused && reused->conn->id == 1));
    BOOST_TEST(pool.open_count() == 2u);  // the dead one's place freed: one in use by `c`, one here
    BOOST_TEST(pool.idle_count() == 0u);

    // No idle one left behind a dead one: its place becomes the grant (a new connection).
    auto dead_again = make_conn(3);
    dead_again->usable = false;
    pool.release(std::move(dead_again), true);
    auto fresh = pool.try_acquire();
    BOOST_TEST_REQUIRE(fresh.has_value());
    BOOST_TEST((!fresh->conn && !fresh->reused));
    BOOST_TEST(pool.open_count() == 2u);
}

BOOST_AUTO_TEST_CASE(close_idle_frees_their_places) {
    asio::io_context ctx;
    pool_type pool(3, 4s);
    std::optional<grant> g[3];
    for (auto& x : g) start_acquire(ctx, pool, x);
    drain(ctx);
    pool.release(make_conn(1), true);
    pool.release(make_conn(2), true);
    BOOST_TEST(pool.open_count() == 3u);
    pool.close_idle();
    BOOST_TEST(pool.open_count() == 1u);
    BOOST_TEST(pool.idle_count() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
