#ifndef GENAUTH_DETAIL_HANDLE_SETTINGS_HPP
#define GENAUTH_DETAIL_HANDLE_SETTINGS_HPP

// What a handle may set for its own calls (its deadline, its retry policy), for every handle
// type alike: authentication_client and mfa_challenge_client derive from it.

#include <genauth/client_options.hpp>
#include <genauth/detail/sansio/request.hpp>

#include <chrono>

namespace genauth::detail {

template <class Handle>
class handle_settings {
public:
    /// A copy of this handle whose calls have `timeout` as their one deadline instead of
    /// client_options::timeout (connecting, exchanging, and a read's retries and their waits, all
    /// inside it). Must be positive: otherwise each of its calls fails with `invalid_option`
    /// before any I/O. Costs no I/O and no allocation; the copy shares the client and the
    /// caller. Thread-safe.
    Handle with_timeout(std::chrono::milliseconds timeout) const {
        Handle copy = static_cast<const Handle&>(*this);
        static_cast<handle_settings&>(copy).settings_.timeout = timeout;
        return copy;
    }

    /// A copy of this handle whose reads are tried again by `policy` instead of
    /// client_options::retry; `retry_policy::none()` turns retrying off for them. Writes are
    /// never tried again, whatever the policy. An invalid policy fails each of its calls with
    /// `invalid_option` before any I/O. Costs no I/O and no allocation. Thread-safe.
    Handle with_retry(const retry_policy& policy) const {
        Handle copy = static_cast<const Handle&>(*this);
        static_cast<handle_settings&>(copy).settings_.retry = policy;
        return copy;
    }

protected:
    handle_settings() = default;
    explicit handle_settings(const call_settings& settings) : settings_(settings) {}

    call_settings settings_;  // unset members: the client's options
};

}  // namespace genauth::detail

#endif
