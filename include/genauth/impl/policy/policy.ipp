#ifndef GENAUTH_IMPL_POLICY_POLICY_IPP
#define GENAUTH_IMPL_POLICY_POLICY_IPP

#include <genauth/impl/policy/policy.hpp>

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

#include <new>

namespace genauth::detail {

GENAUTH_DECL void settle_error(error_code& ec, std::string& detail, const std::exception_ptr& thrown, bool timed_out,
                               std::chrono::milliseconds timeout) {
    if (thrown) {
        try {
            std::rethrow_exception(thrown);
        } catch (const boost::system::system_error& e) {
            ec = e.code();
        } catch (const std::bad_alloc&) {
            ec = boost::asio::error::no_memory;
        } catch (const std::exception& e) {
            ec = boost::asio::error::fault;
            detail = std::string("internal error: ") + e.what();
        } catch (...) {
            ec = boost::asio::error::fault;
            detail = "internal error: unknown exception";
        }
    }
    if (ec && timed_out) {
        ec = errc::timeout;
        detail = "deadline of " + std::to_string(timeout.count()) + " ms passed";
    }
}

GENAUTH_DECL outcome_class classify_outcome(const error_code& ec) noexcept {
    if (!ec) return outcome_class::succeeded;
    if (ec == condition::invalid_argument) return outcome_class::input_error;
    if (ec == condition::api_error) return outcome_class::api_error;
    if (ec == condition::protocol_error) return outcome_class::protocol_error;
    if (ec == boost::asio::error::operation_aborted) return outcome_class::cancelled;
    return outcome_class::transport_error;
}

}  // namespace genauth::detail

#endif
