#ifndef GENAUTH_IMPL_IO_DEADLINE_QUEUE_HPP
#define GENAUTH_IMPL_IO_DEADLINE_QUEUE_HPP

// One timer per client for the deadlines of all its operations in flight, instead of a timer per
// operation: operations are kept in deadline order in an intrusive list (no allocation), and the
// timer is armed for the earliest. With one timeout per client, deadlines arrive in almost
// ascending order, so adding is O(1) in practice and removing always is. When no operation is in
// flight the timer is cancelled (just after the handlers then running), so `io_context::run()`
// returns once the work is done.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <mutex>

namespace genauth::detail {

class deadline_queue : public std::enable_shared_from_this<deadline_queue> {
public:
    using clock = std::chrono::steady_clock;

    /// What waits for a deadline. `expire()` is called once, under the queue's lock, when the
    /// deadline passes: it must only hand the news to the operation's own executor.
    class entry {
    public:
        entry() = default;
        entry(const entry&) = delete;
        entry& operator=(const entry&) = delete;
        virtual void expire() = 0;
        /// When it expires: set by add(), before the entry's operation starts.
        clock::time_point deadline() const noexcept { return deadline_; }

    protected:
        ~entry() = default;

    private:
        friend class deadline_queue;
        entry* prev_ = nullptr;
        entry* next_ = nullptr;
        clock::time_point deadline_{};
        bool queued_ = false;
    };

    explicit deadline_queue(const boost::asio::any_io_executor& ex) : timer_(ex) {}
    deadline_queue(const deadline_queue&) = delete;
    deadline_queue& operator=(const deadline_queue&) = delete;

    /// Queues `e` to expire at `deadline`. Thread-safe.
    void add(entry& e, clock::time_point deadline) {
        std::lock_guard lock(mutex_);
        e.deadline_ = deadline;
        e.queued_ = true;
        entry* after = tail_;  // the last entry due no later than `e`
        while (after != nullptr && after->deadline_ > deadline) after = after->prev_;
        e.prev_ = after;
        e.next_ = after != nullptr ? after->next_ : head_;
        (e.next_ != nullptr ? e.next_->prev_ : tail_) = &e;
        (after != nullptr ? after->next_ : head_) = &e;
        // A timer armed for an earlier time stays: it fires early and is armed again for the
        // head. One operation after another then re-arms once per timeout, not once each.
        if (head_ == &e && (!armed_ || armed_for_ > deadline)) arm_locked(deadline);
    }

    /// Who looks at the queue when a removal leaves it empty.
    enum class idle_check {
        posted,     ///< a check queued on the timer's executor, after the handlers already queued
        by_caller,  ///< the caller calls cancel_if_idle() itself, once the handlers it runs are done
    };

    /// Takes `e` out (it finished first, or was already expired: then nothing happens).
    /// Thread-safe.
    void remove(entry& e, idle_check check = idle_check::posted) {
        std::lock_guard lock(mutex_);
        if (!e.queued_) return;
        unlink_locked(e);
        if (check == idle_check::posted && head_ == nullptr && armed_ && !idle_check_posted_) {
            // Idle: hold no timer, so `io_context::run()` can return. Not cancelled at once: a
            // caller that starts its next operation from this one's handler (the usual loop)
            // would make us arm it again at once, a system call each time. Looked at again
            // after the handlers now running.
            idle_check_posted_ = true;
            boost::asio::post(timer_.get_executor(), [weak = weak_from_this()] {
                if (auto self = weak.lock()) self->posted_idle_check();
            });
        }
    }

    /// Cancels the timer if no deadline is queued: an idle client holds no timer. Thread-safe.
    void cancel_if_idle() {
        std::lock_guard lock(mutex_);
        cancel_if_idle_locked();
    }

private:
    void unlink_locked(entry& e) {
        (e.prev_ != nullptr ? e.prev_->next_ : head_) = e.next_;
        (e.next_ != nullptr ? e.next_->prev_ : tail_) = e.prev_;
        e.prev_ = e.next_ = nullptr;
        e.queued_ = false;
    }

    void posted_idle_check() {
        std::lock_guard lock(mutex_);
        idle_check_posted_ = false;
        cancel_if_idle_locked();
    }

    void cancel_if_idle_locked() {
        if (head_ == nullptr && armed_) {
            armed_ = false;
            timer_.cancel();
        }
    }

    void arm_locked(clock::time_point when) {
        armed_ = true;
        armed_for_ = when;
        timer_.expires_at(when);  // also cancels a wait for a later time
        timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
            if (ec) return;  // re-armed or cancelled
            if (auto self = weak.lock()) self->on_expiry();
        });
    }

    void on_expiry() {
        std::lock_guard lock(mutex_);
        const auto now = clock::now();
        while (head_ != nullptr && head_->deadline_ <= now) {
            entry& due = *head_;
            unlink_locked(due);
            due.expire();
        }
        armed_ = false;
        if (head_ != nullptr) arm_locked(head_->deadline_);
    }

    std::mutex mutex_;
    entry* head_ = nullptr;  // earliest deadline first
    entry* tail_ = nullptr;
    bool armed_ = false;
    clock::time_point armed_for_{};
    bool idle_check_posted_ = false;
    boost::asio::steady_timer timer_;  // used only under mutex_
};

}  // namespace genauth::detail

#endif
