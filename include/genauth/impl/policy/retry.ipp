#ifndef GENAUTH_IMPL_POLICY_RETRY_IPP
#define GENAUTH_IMPL_POLICY_RETRY_IPP

#include <genauth/impl/policy/retry.hpp>

#include <algorithm>

namespace genauth::detail {

GENAUTH_DECL retry_plan plan_retry(const retry_inputs& in) noexcept {
    using std::chrono::milliseconds;
    if (in.effect != operation_effect::read_only || in.attempts_made >= in.policy.max_attempts ||
        !is_transient(in.failure))
        return {};
    // The bound doubles per attempt; max_attempts is at most 10, so the shift cannot overflow.
    const auto doubled = in.policy.initial_backoff * (std::int64_t{1} << std::min(in.attempts_made - 1, 30u));
    const auto bound = std::min(doubled, in.policy.max_backoff);
    const double jitter = std::clamp(in.jitter, 0.0, 1.0);
    auto wait = milliseconds(static_cast<milliseconds::rep>(jitter * static_cast<double>(bound.count())));
    if (in.retry_after) wait = std::max<milliseconds>(wait, *in.retry_after);
    if (wait + in.last_attempt >= in.remaining) return {retry_verdict::no_time, wait};
    return {retry_verdict::retry, wait};
}

GENAUTH_DECL error_code validate_retry_policy(const retry_policy& p, std::string& why) {
    if (p.max_attempts < 1 || p.max_attempts > 10) {
        why = "retry.max_attempts must be 1 to 10";
        return errc::invalid_option;
    }
    if (p.initial_backoff.count() <= 0 || p.max_backoff < p.initial_backoff) {
        why = "retry.initial_backoff must be positive and retry.max_backoff at least as long";
        return errc::invalid_option;
    }
    return {};
}

GENAUTH_DECL error_code validate_retry_budget(const retry_budget_options& b, std::string& why) {
    // Written so that NaN fails too.
    if (!(b.ratio >= 0 && b.ratio <= 1) || !(b.per_second >= 0 && b.per_second <= 1e6) ||
        !(b.max_banked >= 0 && b.max_banked <= 1e9)) {
        why = "retry_budget: ratio must be 0 to 1, per_second and max_banked not negative";
        return errc::invalid_option;
    }
    return {};
}

GENAUTH_DECL retry_budget::retry_budget(const retry_budget_options& opts, clock::time_point now)
    : opts_(opts), balance_(opts.max_banked), settled_at_(now) {}

inline void retry_budget::settle(clock::time_point now) {
    const auto calls = calls_.load(std::memory_order_relaxed);
    const auto earned_by_calls = static_cast<double>(calls - calls_settled_) * opts_.ratio;
    calls_settled_ = calls;
    double earned_by_time = 0;
    if (now > settled_at_) {
        earned_by_time = std::chrono::duration<double>(now - settled_at_).count() * opts_.per_second;
        settled_at_ = now;
    }
    balance_ = std::min(opts_.max_banked, balance_ + earned_by_calls + earned_by_time);
}

GENAUTH_DECL bool retry_budget::try_spend(clock::time_point now) {
    std::lock_guard lock(mutex_);
    settle(now);
    if (balance_ < 1) return false;
    balance_ -= 1;
    return true;
}

GENAUTH_DECL double retry_budget::balance(clock::time_point now) {
    std::lock_guard lock(mutex_);
    settle(now);
    return balance_;
}

}  // namespace genauth::detail

#endif
