#ifndef GENAUTH_DETAIL_HANDLER_WRAPPER_HPP
#define GENAUTH_DETAIL_HANDLER_WRAPPER_HPP

#include <boost/asio/associator.hpp>

#include <utility>

namespace genauth::detail {

/// A completion handler that runs `Transform::complete(handler, args...)` instead of
/// `handler(args...)`, while keeping every association of `Handler` (executor, allocator,
/// cancellation slot): to Asio it is the same handler with a different signature.
template <class Handler, class Transform>
class wrapped_handler {
public:
    explicit wrapped_handler(Handler h) : handler_(std::move(h)) {}

    template <class... Args>
    void operator()(Args&&... args) && {
        Transform::complete(std::move(handler_), std::forward<Args>(args)...);
    }

    const Handler& inner() const noexcept { return handler_; }

private:
    Handler handler_;
};

}  // namespace genauth::detail

namespace boost::asio {
template <template <class, class> class Associator, class Handler, class Transform, class DefaultCandidate>
struct associator<Associator, genauth::detail::wrapped_handler<Handler, Transform>, DefaultCandidate>
    : Associator<Handler, DefaultCandidate> {
    static typename Associator<Handler, DefaultCandidate>::type get(
        const genauth::detail::wrapped_handler<Handler, Transform>& h) noexcept {
        return Associator<Handler, DefaultCandidate>::get(h.inner());
    }
    static auto get(const genauth::detail::wrapped_handler<Handler, Transform>& h, const DefaultCandidate& c) noexcept
        -> decltype(Associator<Handler, DefaultCandidate>::get(h.inner(), c)) {
        return Associator<Handler, DefaultCandidate>::get(h.inner(), c);
    }
};
}  // namespace boost::asio

#endif
