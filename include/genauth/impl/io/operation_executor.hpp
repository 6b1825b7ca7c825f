#ifndef GENAUTH_IMPL_IO_OPERATION_EXECUTOR_HPP
#define GENAUTH_IMPL_IO_OPERATION_EXECUTOR_HPP

// Where a thread-safe client's operation runs: the client's own executor, with every step of the
// operation taken under the operation's lock. An operation's steps never overlap by themselves
// (its coroutine waits for one thing at a time); what may come from another thread is its
// cancellation (the deadline timer, the caller's slot), which must not meet a step half way.
// A strand orders the two by queueing; a lock of the operation's own does it with one
// uncontended mutex per step (no queue, nothing allocated per step; the lock is one small object
// per operation), and a step dispatched from within the same operation runs inline, as on a
// strand. Unlike strands shared between operations, it never makes one operation wait for
// another.
//
// Nothing runs under the lock but the operation's own code: finish_call releases it before the
// observer and the completion handler run, and no step ever enters another operation's lock
// except a new operation's first step, so locks are only ever nested in one order (the newer
// inside).

#include <boost/asio/execution.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/require.hpp>
#include <boost/smart_ptr/intrusive_ptr.hpp>
#include <boost/smart_ptr/intrusive_ref_counter.hpp>

#include <mutex>
#include <type_traits>
#include <utility>

namespace genauth::detail {

/// One operation's lock. Its own small object, counted: the operation's state holds it, and so
/// does every copy of the operation's executor: a step queued late (a cancellation, the pool's
/// wake-up, or anything queued when the io_context is shut down) still finds it, and the
/// operation's state itself is freed as soon as its handler is done with it.
struct operation_lock : boost::intrusive_ref_counter<operation_lock, boost::thread_safe_counter> {
    std::mutex mutex;
};

/// The operations the current thread is running a step of, innermost first.
struct operation_scope {
    operation_lock* lock;
    bool held;
    operation_scope* outer;
};
inline thread_local operation_scope* innermost_operation_scope = nullptr;

/// The current thread's step of the operation `lock` belongs to, if it holds the lock; else null.
inline operation_scope* held_scope(const operation_lock* lock) noexcept {
    for (auto* s = innermost_operation_scope; s != nullptr; s = s->outer) {
        if (s->lock == lock && s->held) return s;
    }
    return nullptr;
}

/// Releases `lock` if the current thread holds it for a step: the rest of that step runs unlocked.
inline void release_operation_lock(operation_lock& lock) noexcept {
    if (auto* scope = held_scope(&lock)) {
        scope->held = false;
        lock.mutex.unlock();
    }
}

/// A function run as a step of an operation: under its lock, or at once when the thread is
/// already inside that operation's step.
template <class Function>
class locked_step {
public:
    template <class F>
    locked_step(boost::intrusive_ptr<operation_lock> lock, F&& f)
        : lock_(std::move(lock)), function_(std::forward<F>(f)) {}

    void operator()() {
        if (held_scope(lock_.get()) != nullptr) {
            std::move(function_)();
            return;
        }
        operation_scope scope{lock_.get(), true, innermost_operation_scope};
        lock_->mutex.lock();
        innermost_operation_scope = &scope;
        struct leave {
            explicit leave(operation_scope& s) noexcept : scope(s) {}
            operation_scope& scope;
            leave(const leave&) = delete;
            leave& operator=(const leave&) = delete;
            ~leave() {
                innermost_operation_scope = scope.outer;
                if (scope.held) scope.lock->mutex.unlock();
            }
        } guard{scope};
        std::move(function_)();
    }

private:
    boost::intrusive_ptr<operation_lock> lock_;
    Function function_;
};

/// An Asio executor: `Inner` (the client's executor) running each function as a locked_step of
/// one operation. Properties (blocking, outstanding work, relationship, allocator, context) are
/// those of `Inner`.
template <class Inner>
class operation_executor {
public:
    operation_executor(Inner inner, boost::intrusive_ptr<operation_lock> lock) noexcept
        : inner_(std::move(inner)), lock_(std::move(lock)) {}
    // Asio requires executors to copy without throwing; the counter's increment cannot throw.
    operation_executor(const operation_executor& other) noexcept : inner_(other.inner_), lock_(other.lock_) {}
    operation_executor(operation_executor&&) noexcept = default;
    operation_executor& operator=(const operation_executor& other) noexcept {
        inner_ = other.inner_;
        lock_ = other.lock_;
        return *this;
    }
    operation_executor& operator=(operation_executor&&) noexcept = default;
    ~operation_executor() = default;

    template <class Property>
    requires boost::asio::can_query<const Inner&, const Property&>::value decltype(auto) query(const Property& p) const
        noexcept(boost::asio::is_nothrow_query<const Inner&, const Property&>::value) {
        return boost::asio::query(inner_, p);
    }

    template <class Property>
    requires boost::asio::can_require<const Inner&, const Property&>::value auto require(const Property& p) const {
        using required = std::decay_t<decltype(boost::asio::require(inner_, p))>;
        return operation_executor<required>(boost::asio::require(inner_, p), lock_);
    }

    template <class Function>
    void execute(Function&& f) const {
        inner_.execute(locked_step<std::decay_t<Function>>(lock_, std::forward<Function>(f)));
    }

    friend bool operator==(const operation_executor& a, const operation_executor& b) noexcept {
        return a.lock_ == b.lock_ && a.inner_ == b.inner_;
    }
    friend bool operator!=(const operation_executor& a, const operation_executor& b) noexcept { return !(a == b); }

private:
    Inner inner_;
    boost::intrusive_ptr<operation_lock> lock_;
};

}  // namespace genauth::detail

#endif
