#ifndef GENAUTH_DETAIL_CONNECTION_POOL_HPP
#define GENAUTH_DETAIL_CONNECTION_POOL_HPP

#include <genauth/detail/config.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace genauth::detail {

class connection;

/// A bounded pool of keep-alive connections shared by every operation of one client.
///
/// At most `max_connections` exist at once (idle, in use or being opened). An operation that
/// finds none free waits in a FIFO queue until one is released; it leaves the queue when its
/// own deadline passes or it is cancelled. Idle connections older than `idle_timeout`, or that
/// the server closed, are discarded when next looked at (the pool holds no timer, so an
/// io_context runs out of work when the operations finish). Thread-safe: one mutex.
class connection_pool {
public:
    /// What acquire() hands out: an idle connection to reuse, or (conn == nullptr) the right to
    /// open a new one.
    struct grant {
        std::unique_ptr<connection> conn;
        bool reused = false;
    };

    GENAUTH_DECL connection_pool(std::size_t max_connections, std::chrono::steady_clock::duration idle_timeout);
    GENAUTH_DECL ~connection_pool();
    connection_pool(const connection_pool&) = delete;
    connection_pool& operator=(const connection_pool&) = delete;

    /// Waits for a grant. Runs on the calling coroutine's executor (the operation's strand);
    /// terminal cancellation of the coroutine ends the wait and removes it from the queue
    /// (the coroutine then sees operation_aborted).
    GENAUTH_DECL boost::asio::awaitable<grant> acquire();

    /// Gives back what a grant held: `conn` is kept for reuse when `reusable`, otherwise closed
    /// (conn may be null). Either way, the first waiter, if any, is served.
    GENAUTH_DECL void release(std::unique_ptr<connection> conn, bool reusable);

    /// Closes every idle connection now.
    GENAUTH_DECL void close_idle();

    /// Connections that exist (idle, in use or being opened).
    GENAUTH_DECL std::size_t open_count() const;
    /// Operations waiting for a connection.
    GENAUTH_DECL std::size_t waiting_count() const;

private:
    struct waiter;
    struct idle_entry {
        std::unique_ptr<connection> conn;
        std::chrono::steady_clock::time_point since;
    };

    std::optional<grant> try_take_locked(std::vector<std::unique_ptr<connection>>& to_close);
    void hand_over_locked(grant g);

    const std::size_t max_connections_;
    const std::chrono::steady_clock::duration idle_timeout_;
    mutable std::mutex mutex_;
    std::vector<idle_entry> idle_;  // most recently used last
    std::deque<std::shared_ptr<waiter>> waiters_;
    std::size_t open_ = 0;
};

}  // namespace genauth::detail

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/detail/impl/connection_pool.ipp>
#endif

#endif
