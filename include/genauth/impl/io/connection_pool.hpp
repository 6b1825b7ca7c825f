#ifndef GENAUTH_IMPL_IO_CONNECTION_POOL_HPP
#define GENAUTH_IMPL_IO_CONNECTION_POOL_HPP

// The connection pool's logic, templated on the connection and the clock so the unit tests run it
// with a fake connection and a fake clock and no socket (as Boost.MySQL's connection_pool_impl).

#include <genauth/error.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace genauth::detail {

/// A bounded pool of keep-alive connections shared by every operation of one client.
///
/// At most `max_connections` exist at once (idle, in use or being opened). An operation that
/// finds none free waits in a FIFO queue until one is released; it leaves the queue when it is
/// cancelled (its deadline cancels it too). Idle connections older than `idle_timeout`, or that
/// are no longer usable (`Connection::idle_and_usable()`: the server closed it, or sent a stray
/// byte), are discarded when next looked at; the pool holds no timer, so an io_context runs out of
/// work when the operations finish. Thread-safe: one mutex (a parameter, so the benchmark can
/// measure how long it is held).
template <class Connection, class Clock = std::chrono::steady_clock, class Mutex = std::mutex>
class basic_connection_pool {
public:
    /// What acquire() hands out: an idle connection to reuse, or (conn == nullptr) the right to
    /// open a new one; or, with `ec` set (operation_aborted), nothing: the wait was cancelled.
    struct grant {
        error_code ec;
        std::unique_ptr<Connection> conn;
        bool reused = false;
    };

    basic_connection_pool(std::size_t max_connections, typename Clock::duration idle_timeout)
        : max_connections_(max_connections == 0 ? 1 : max_connections), idle_timeout_(idle_timeout) {}
    basic_connection_pool(const basic_connection_pool&) = delete;
    basic_connection_pool& operator=(const basic_connection_pool&) = delete;

    /// A grant at once, if one is free and nobody waits: the common case, without a coroutine.
    /// An idle connection is checked (a system call) after the lock is released: no other thread
    /// waits for it.
    std::optional<grant> try_acquire() {
        std::vector<std::unique_ptr<Connection>> to_close;  // closed after the lock is released
        std::unique_ptr<Connection> candidate;
        {
            std::lock_guard lock(mutex_);
            if (!waiters_.empty()) return std::nullopt;  // first come, first served
            candidate = take_fresh_idle_locked(to_close);
            if (!candidate) return take_place_locked() ? std::optional<grant>(grant{}) : std::nullopt;
        }
        // Looked at before every reuse (one non-blocking peek): a byte that arrived while it was
        // idle, or the server's close, makes it unusable; a POST is never resent, so a dead
        // connection must be found here rather than by writing into it. The next idle one is
        // tried; when none is left, the dead one's place is the grant (a new connection).
        while (!candidate->idle_and_usable()) {
            to_close.push_back(std::move(candidate));
            std::lock_guard lock(mutex_);
            candidate = take_fresh_idle_locked(to_close);
            if (!candidate) return grant{};
            give_place_locked();  // the next one has its own place: the dead one's is given up
        }
        return grant{{}, std::move(candidate), true};
    }

    /// Waits for a grant on the calling coroutine's executor. Terminal cancellation of the
    /// coroutine ends the wait, removes it from the queue and returns operation_aborted.
    boost::asio::awaitable<grant> acquire() {
        std::shared_ptr<waiter> w;
        for (;;) {
            if (auto g = try_acquire()) co_return std::move(*g);
            std::lock_guard lock(mutex_);
            // Something freed between try_acquire's lock and this one: take it instead of waiting.
            if (waiters_.empty() && (!idle_.empty() || open_ < max_connections_)) continue;
            w = std::make_shared<waiter>(co_await boost::asio::this_coro::executor);
            waiters_.push_back(w);
            break;
        }
        // Ends with operation_aborted either way: handed over (timer cancelled) or cancelled.
        (void)co_await w->timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
        std::optional<grant> handed;
        {
            std::lock_guard lock(mutex_);
            if (w->handed)
                handed = std::move(w->handed);
            else
                waiters_.erase(std::remove(waiters_.begin(), waiters_.end(), w), waiters_.end());
        }
        if (!handed) co_return grant{boost::asio::error::operation_aborted, nullptr, false};
        // Handed over straight from another operation: looked at like any reuse. If something
        // arrived on it meanwhile, it is closed and the place kept for a new connection.
        if (handed->conn && !handed->conn->idle_and_usable()) *handed = grant{};
        co_return std::move(*handed);
    }

    /// Gives back what a grant held: `conn` is kept for reuse when `reusable`, otherwise closed
    /// (conn may be null: the place of a connection that failed or was never opened). Either
    /// way, the first waiter, if any, is served.
    void release(std::unique_ptr<Connection> conn, bool reusable) {
        std::unique_ptr<Connection> closing;  // closed after the lock is released
        std::lock_guard lock(mutex_);
        if (conn && reusable) {
            if (!waiters_.empty()) return hand_over_locked(grant{{}, std::move(conn), true});
            idle_.push_back({std::move(conn), Clock::now()});
            return;
        }
        closing = std::move(conn);
        give_place_locked();
    }

    /// Closes every idle connection now.
    void close_idle() {
        std::vector<idle_entry> closing;
        std::lock_guard lock(mutex_);
        for (std::size_t i = 0; i < idle_.size(); ++i) free_place_locked();
        closing.swap(idle_);
    }

    /// Connections that exist (idle, in use or being opened).
    std::size_t open_count() const {
        std::lock_guard lock(mutex_);
        return open_;
    }
    /// Operations waiting for a connection.
    std::size_t waiting_count() const {
        std::lock_guard lock(mutex_);
        return waiters_.size();
    }
    /// Idle connections kept for reuse.
    std::size_t idle_count() const {
        std::lock_guard lock(mutex_);
        return idle_.size();
    }

private:
    // One queued operation. The timer never expires by itself: release() wakes the waiter by
    // cancelling it (on the waiter's own executor); cancellation of the operation ends the wait.
    struct waiter {
        explicit waiter(const boost::asio::any_io_executor& ex)
            : timer(ex, boost::asio::steady_timer::time_point::max()) {}
        boost::asio::steady_timer timer;
        std::optional<grant> handed;  // guarded by the pool's mutex
    };
    struct idle_entry {
        std::unique_ptr<Connection> conn;
        typename Clock::time_point since;
    };

    // The open count changes only in these two.
    bool take_place_locked() {
        if (open_ >= max_connections_) return false;
        ++open_;
        return true;
    }
    void free_place_locked() { --open_; }

    // The most recently used idle connection that has not expired, with its place; expired ones
    // are moved to `to_close` and their places given up.
    std::unique_ptr<Connection> take_fresh_idle_locked(std::vector<std::unique_ptr<Connection>>& to_close) {
        const auto now = Clock::now();
        while (!idle_.empty()) {
            auto entry = std::move(idle_.back());
            idle_.pop_back();
            if (now - entry.since <= idle_timeout_) return std::move(entry.conn);
            to_close.push_back(std::move(entry.conn));
            give_place_locked();
        }
        return nullptr;
    }

    // A place given up: to the first waiter (as the right to open a connection), else freed.
    void give_place_locked() {
        if (!waiters_.empty())
            hand_over_locked(grant{});
        else
            free_place_locked();
    }

    void hand_over_locked(grant g) {
        auto w = std::move(waiters_.front());
        waiters_.pop_front();
        w->handed = std::move(g);
        auto ex = w->timer.get_executor();
        boost::asio::post(ex, [w = std::move(w)] { w->timer.cancel(); });
    }

    const std::size_t max_connections_;
    const typename Clock::duration idle_timeout_;
    mutable Mutex mutex_;
    std::vector<idle_entry> idle_;  // most recently used last
    std::deque<std::shared_ptr<waiter>> waiters_;
    std::size_t open_ = 0;
};

}  // namespace genauth::detail

#endif
