#ifndef GENAUTH_WITH_DIAGNOSTICS_HPP
#define GENAUTH_WITH_DIAGNOSTICS_HPP

#include <genauth/detail/handler_wrapper.hpp>
#include <genauth/error.hpp>
#include <genauth/error_with_diagnostics.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <type_traits>
#include <utility>

namespace genauth {

/// A completion token adapter: an operation with signature `void(error_code, R)` completes the
/// wrapped token with `void(std::exception_ptr, R)`, where the exception is a `genauth::error_with_diagnostics`
/// carrying R's envelope (statusCode, apiCode, message, requestId, HTTP status). So a throwing
/// `co_await` keeps every detail of the failure. Like Boost.MySQL's `with_diagnostics`.
template <class Token>
struct with_diagnostics_t {
    Token token;
};

/// Wraps `token` (e.g. `asio::deferred`, `asio::use_awaitable`) in `with_diagnostics_t`.
template <class Token>
constexpr with_diagnostics_t<std::decay_t<Token>> with_diagnostics(Token&& token) {
    return {std::forward<Token>(token)};
}

/// The default completion token of every `async_*` member: `co_await client.async_x(...)` in an
/// `asio::awaitable<T, any_io_executor>` returns the response or throws `genauth::error_with_diagnostics`.
///
/// Why `use_awaitable` and not `deferred` (Boost.MySQL's choice): Asio 1.81 (Boost 1.81) cannot
/// `co_await` a deferred operation whose signature is `void(std::exception_ptr, T)` (its
/// awaitable_async_op_handler dereferences the wrong member), so the rich exception needs
/// `use_awaitable` here.
using default_completion_token_t = with_diagnostics_t<boost::asio::use_awaitable_t<>>;

namespace detail {

struct throw_on_error {
    template <class Handler, class Response>
    static void complete(Handler&& handler, error_code ec, Response&& response) {
        std::exception_ptr ep;
        if (ec) ep = std::make_exception_ptr(error_with_diagnostics(ec, response, response.diag));
        std::forward<Handler>(handler)(ep, std::forward<Response>(response));
    }
};

template <class Initiation>
struct rethrowing_initiation {
    Initiation initiation;

    template <class Handler, class... Args>
    void operator()(Handler&& handler, Args&&... args) && {
        std::move(initiation)(wrapped_handler<std::decay_t<Handler>, throw_on_error>(std::forward<Handler>(handler)),
                              std::forward<Args>(args)...);
    }
};

}  // namespace detail
}  // namespace genauth

namespace boost::asio {
template <class Token, class Response>
struct async_result<genauth::with_diagnostics_t<Token>, void(genauth::error_code, Response)> {
    template <class Initiation, class RawToken, class... Args>
    static auto initiate(Initiation&& initiation, RawToken&& token, Args&&... args) {
        Token inner = std::forward<RawToken>(token).token;
        return boost::asio::async_initiate<Token, void(std::exception_ptr, Response)>(
            genauth::detail::rethrowing_initiation<std::decay_t<Initiation>>{std::forward<Initiation>(initiation)},
            inner, std::forward<Args>(args)...);
    }
};
}  // namespace boost::asio

#endif
