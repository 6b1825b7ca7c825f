#ifndef GENAUTH_DETAIL_IMPL_CONNECTION_POOL_IPP
#define GENAUTH_DETAIL_IMPL_CONNECTION_POOL_IPP

#include <genauth/detail/connection_pool.hpp>
#include <genauth/detail/transport/connection.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include <algorithm>

namespace genauth::detail {

// One queued operation. The timer never expires by itself: release() wakes the waiter by
// cancelling it (on the waiter's own executor), cancellation of the operation ends the wait.
struct connection_pool::waiter {
    explicit waiter(const asio::any_io_executor& ex) : timer(ex, asio::steady_timer::time_point::max()) {}
    asio::steady_timer timer;
    std::optional<grant> handed;  // guarded by the pool's mutex
};

GENAUTH_DECL connection_pool::connection_pool(std::size_t max_connections,
                                              std::chrono::steady_clock::duration idle_timeout)
    : max_connections_(max_connections == 0 ? 1 : max_connections), idle_timeout_(idle_timeout) {}

GENAUTH_DECL connection_pool::~connection_pool() = default;

GENAUTH_DECL std::optional<connection_pool::grant> connection_pool::try_take_locked(
    std::vector<std::unique_ptr<connection>>& to_close) {
    const auto now = std::chrono::steady_clock::now();
    while (!idle_.empty()) {
        auto entry = std::move(idle_.back());
        idle_.pop_back();
        // Looked at before every reuse (one non-blocking peek): a byte that arrived while it was
        // idle, or the server's close, makes it unusable; a POST is never resent, so a dead
        // connection must be found here rather than by writing into it.
        const auto idle_for = now - entry.since;
        if (idle_for <= idle_timeout_ && entry.conn->idle_and_usable()) return grant{std::move(entry.conn), true};
        to_close.push_back(std::move(entry.conn));
        --open_;
    }
    if (open_ < max_connections_) {
        ++open_;
        return grant{};
    }
    return std::nullopt;
}

GENAUTH_DECL asio::awaitable<connection_pool::grant> connection_pool::acquire() {
    std::shared_ptr<waiter> w;
    {
        std::vector<std::unique_ptr<connection>> to_close;
        std::unique_lock lock(mutex_);
        if (auto g = try_take_locked(to_close)) {
            lock.unlock();
            co_return std::move(*g);
        }
        w = std::make_shared<waiter>(co_await asio::this_coro::executor);
        waiters_.push_back(w);
    }
    // Ends with operation_aborted either way: handed over (timer cancelled) or operation cancelled.
    (void)co_await w->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    std::optional<grant> handed;
    {
        std::lock_guard lock(mutex_);
        if (w->handed)
            handed = std::move(w->handed);
        else
            waiters_.erase(std::remove(waiters_.begin(), waiters_.end(), w), waiters_.end());
    }
    if (handed) {
        // Handed over straight from another operation: looked at like any reuse. If something
        // arrived on it meanwhile, it is closed and the place kept for a new connection.
        if (handed->conn && !handed->conn->idle_and_usable()) *handed = grant{};
        co_return std::move(*handed);
    }
    throw boost::system::system_error(asio::error::operation_aborted);
}

GENAUTH_DECL void connection_pool::hand_over_locked(grant g) {
    auto w = std::move(waiters_.front());
    waiters_.pop_front();
    w->handed = std::move(g);
    auto ex = w->timer.get_executor();
    asio::post(ex, [w = std::move(w)] { w->timer.cancel(); });
}

GENAUTH_DECL void connection_pool::release(std::unique_ptr<connection> conn, bool reusable) {
    std::vector<std::unique_ptr<connection>> to_close;  // closed after the lock is released
    std::lock_guard lock(mutex_);
    if (conn && reusable) {
        if (!waiters_.empty()) return hand_over_locked(grant{std::move(conn), true});
        idle_.push_back({std::move(conn), std::chrono::steady_clock::now()});
        return;
    }
    to_close.push_back(std::move(conn));
    if (!waiters_.empty())
        hand_over_locked(grant{});  // the freed place goes to the first waiter
    else
        --open_;
}

GENAUTH_DECL void connection_pool::close_idle() {
    std::vector<idle_entry> closing;
    std::lock_guard lock(mutex_);
    open_ -= idle_.size();
    closing.swap(idle_);
}

GENAUTH_DECL std::size_t connection_pool::open_count() const {
    std::lock_guard lock(mutex_);
    return open_;
}

GENAUTH_DECL std::size_t connection_pool::waiting_count() const {
    std::lock_guard lock(mutex_);
    return waiters_.size();
}

}  // namespace genauth::detail

#endif
