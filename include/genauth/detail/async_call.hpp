#ifndef GENAUTH_DETAIL_ASYNC_CALL_HPP
#define GENAUTH_DETAIL_ASYNC_CALL_HPP

// How every public async member starts its call: the completion token's initiation, the one type
// erasure, the decoding of the endpoint's response before the caller's handler runs.

#include <genauth/detail/client_impl.hpp>
#include <genauth/detail/handler_wrapper.hpp>
#include <genauth/error.hpp>
#include <genauth/with_diagnostics.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <memory>
#include <type_traits>
#include <utility>

namespace genauth::detail {

// Decodes the endpoint's Response from the untyped outcome, then completes the caller's handler.
template <class Response>
struct decode_then_complete {
    template <class Handler>
    static void complete(Handler&& handler, error_code ec, finished_call call) {
        call.outcome().ec = ec;
        auto [final_ec, response] = decode_response<Response>(std::move(call.outcome()));
        // What the handler receives, decoding included, is what is redacted, counted and observed;
        // the operation's state goes before the caller's handler runs.
        call.report(final_ec, response, response.diag);
        std::forward<Handler>(handler)(final_ec, std::move(response));
    }
};

template <class Response>
struct initiate_call {
    template <class Handler>
    void operator()(Handler&& handler, std::shared_ptr<client_impl> impl, prepared_call call) const {
        // The handler's executor, taken while its type is known (asking the erased handler later
        // would wrap it in a second type-erased executor: two allocations per operation), with
        // outstanding work until the handler has run: its io_context's run() must not return
        // while the operation is pending, even when that is not the client's io_context.
        boost::asio::any_io_executor handler_executor =
            boost::asio::prefer(boost::asio::get_associated_executor(handler, impl->get_executor()),
                                boost::asio::execution::outstanding_work.tracked);
        // The one type erasure: everything below is compiled once, whatever the token.
        call_handler erased(
            wrapped_handler<std::decay_t<Handler>, decode_then_complete<Response>>(std::forward<Handler>(handler)));
        impl->async_call(std::move(call), std::move(erased), std::move(handler_executor));
    }
};

// Tokens whose failure is an exception get `with_diagnostics`, so the exception is a
// genauth::error_with_diagnostics carrying statusCode, apiCode, message and requestId, not a bare system_error.
template <class Token>
struct throws_on_error : std::false_type {};
template <class Executor>
struct throws_on_error<boost::asio::use_awaitable_t<Executor>> : std::true_type {};
template <class Allocator>
struct throws_on_error<boost::asio::use_future_t<Allocator>> : std::true_type {};

template <class Response, class Token>
auto async_call(std::shared_ptr<client_impl> impl, prepared_call call, Token&& token) {
    using signature = void(error_code, Response);
    if constexpr (throws_on_error<std::decay_t<Token>>::value) {
        auto adapted = with_diagnostics(std::forward<Token>(token));
        return boost::asio::async_initiate<decltype(adapted), signature>(initiate_call<Response>{}, adapted,
                                                                         std::move(impl), std::move(call));
    } else {
        return boost::asio::async_initiate<Token, signature>(initiate_call<Response>{}, token, std::move(impl),
                                                             std::move(call));
    }
}

}  // namespace genauth::detail

#endif
