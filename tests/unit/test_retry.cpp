// Retrying reads as plain functions: which failures pass, the wait before the next attempt
// (backoff, Retry-After, the deadline), the budget, and reading Retry-After itself.
#include <genauth/detail/sansio/request.hpp>
#include <genauth/impl/policy/retry.hpp>
#include <genauth/impl/sansio/retry_after.hpp>

#include <boost/asio/error.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

using namespace genauth;
using namespace std::chrono_literals;
using detail::attempt_failure;
using detail::retry_verdict;

namespace {

const error_code api_503 = make_api_error_code(503);
const error_code api_429 = make_api_error_code(429);

detail::retry_inputs read_failing(attempt_failure failure) {
    detail::retry_inputs in;
    in.effect = detail::operation_effect::read_only;
    in.failure = failure;
    in.remaining = 10s;
    in.jitter = 0.5;
    return in;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_retry)

BOOST_AUTO_TEST_CASE(which_failures_may_pass_on_a_later_attempt) {
    struct row {
        const char* what;
        attempt_failure failure;
        bool transient;
    };
    const row rows[] = {
        {"HTTP 503 with an envelope", {api_503, false, 503, 503}, true},
        {"HTTP 503, an HTML page", {errc::non_json_response, true, 503, 0}, true},
        {"HTTP 502 from a gateway", {errc::non_json_response, true, 502, 0}, true},
        {"HTTP 504 from a gateway", {errc::non_json_response, true, 504, 0}, true},
        {"HTTP 429", {api_429, true, 429, 429}, true},
        {"HTTP 429, statusCode 200 in the body", {errc::http_status_error, true, 429, 200}, true},
        {"HTTP 200, envelope statusCode 429 (GenAuth's rate limit)", {api_429, true, 200, 429}, true},
        {"HTTP 200, envelope statusCode 503", {api_503, true, 200, 503}, true},
        {"HTTP 200, V2 code 429", {api_429, true, 200, 429}, true},
        {"HTTP 200, envelope statusCode 500", {make_api_error_code(500), true, 200, 500}, false},
        {"HTTP 500", {make_api_error_code(500), true, 500, 500}, false},
        {"HTTP 400, envelope 429 (a refusal GenAuth meant)", {api_429, true, 400, 429}, false},
        {"HTTP 401", {make_api_error_code(401), true, 401, 401}, false},
        {"HTTP 200, envelope 401", {make_api_error_code(401), true, 200, 401}, false},
        {"a redirect", {errc::redirect_refused, true, 302, 0}, false},
        {"connection refused", {errc::connect_failed, false, 0, 0}, true},
        {"reset before any answer", {errc::connection_reset, false, 0, 0}, true},
        {"closed before any answer", {errc::connection_closed, false, 0, 0}, true},
        {"another socket error before any answer", {errc::network_error, false, 0, 0}, true},
        {"the proxy unreachable", {errc::proxy_unreachable, false, 0, 0}, true},
        {"the proxy closed before answering CONNECT", {errc::proxy_closed, false, 0, 0}, true},
        {"the proxy answered CONNECT with 503", {errc::proxy_refused, true, 503, 0}, true},
        {"the proxy answered CONNECT with 403", {errc::proxy_refused, true, 403, 0}, false},
        {"the proxy asks for credentials", {errc::proxy_auth_required, true, 407, 0}, false},
        {"closed in the middle of an answer", {errc::connection_closed, true, 0, 0}, false},
        {"reset in the middle of an answer", {errc::connection_reset, true, 0, 0}, false},
        {"the host name does not resolve", {errc::resolve_failed, false, 0, 0}, false},
        {"the certificate is refused", {errc::tls_certificate_rejected, false, 0, 0}, false},
        {"the TLS handshake failed", {errc::tls_handshake_failed, false, 0, 0}, false},
        {"the deadline passed", {errc::timeout, false, 0, 0}, false},
        {"the caller cancelled", {boost::asio::error::operation_aborted, false, 0, 0}, false},
        {"malformed HTTP", {errc::malformed_http, true, 0, 0}, false},
        {"an input error", {errc::missing_factor_id, false, 0, 0}, false},
        {"success", {error_code{}, true, 200, 200}, false},
    };
    for (const auto& r : rows) {
        BOOST_TEST_CONTEXT(r.what) { BOOST_TEST(detail::is_transient(r.failure) == r.transient); }
    }
}

BOOST_AUTO_TEST_CASE(a_write_is_never_tried_again) {
    for (const auto& failure : {attempt_failure{api_503, true, 503, 503}, attempt_failure{api_429, true, 200, 429},
                                attempt_failure{errc::connect_failed, false, 0, 0}}) {
        auto in = read_failing(failure);
        BOOST_TEST((detail::plan_retry(in).verdict == retry_verdict::retry));
        in.effect = detail::operation_effect::changes_state;
        BOOST_TEST((detail::plan_retry(in).verdict == retry_verdict::give_up));
        in.retry_after = 1s;
        BOOST_TEST((detail::plan_retry(in).verdict == retry_verdict::give_up));
    }
}

BOOST_AUTO_TEST_CASE(attempts_stop_at_the_policy_s_maximum) {
    auto in = read_failing({api_503, true, 503, 503});
    for (unsigned made = 1; made <= 4; ++made) {
        in.attempts_made = made;
        BOOST_TEST_CONTEXT("attempts made " << made) {
            BOOST_TEST((detail::plan_retry(in).verdict == (made < 3 ? retry_verdict::retry : retry_verdict::give_up)));
        }
    }
    in.attempts_made = 1;
    in.policy = retry_policy::none();
    BOOST_TEST((detail::plan_retry(in).verdict == retry_verdict::give_up));
}

BOOST_AUTO_TEST_CASE(the_wait_is_full_jitter_below_a_doubling_bound) {
    auto in = read_failing({errc::connection_reset, false, 0, 0});
    struct row {
        unsigned attempts_made;
        double jitter;
        std::chrono::milliseconds wait;
    };
    // Defaults: bound 100 ms, then 200, 400, ... capped at 2 s.
    const row rows[] = {{1, 0.0, 0ms},   {1, 0.5, 50ms},  {1, 0.999, 99ms}, {2, 0.5, 100ms},
                        {3, 0.5, 200ms}, {5, 0.5, 800ms}, {6, 0.5, 1000ms}, {9, 0.999, 1998ms}};
    in.policy.max_attempts = 10;
    for (const auto& r : rows) {
        BOOST_TEST_CONTEXT("attempt " << r.attempts_made << " jitter " << r.jitter) {
            in.attempts_made = r.attempts_made;
            in.jitter = r.jitter;
            const auto plan = detail::plan_retry(in);
            BOOST_TEST((plan.verdict == retry_verdict::retry));
            BOOST_TEST(plan.wait.count() == r.wait.count());
        }
    }
    in.jitter = 7.0;  // out of range: clamped, never beyond the bound
    in.attempts_made = 1;
    BOOST_TEST(detail::plan_retry(in).wait.count() == 100);
}

BOOST_AUTO_TEST_CASE(retry_after_raises_the_wait_and_a_wait_beyond_the_deadline_ends_at_once) {
    auto in = read_failing({api_429, true, 429, 429});
    in.retry_after = 3s;
    auto plan = detail::plan_retry(in);
    BOOST_TEST((plan.verdict == retry_verdict::retry));
    BOOST_TEST(plan.wait.count() == 3000);
    in.retry_after = 0s;  // a date in the past: the backoff alone
    BOOST_TEST(detail::plan_retry(in).wait.count() == 50);
    in.retry_after = 40s;  // the deadline is 10 s away
    plan = detail::plan_retry(in);
    BOOST_TEST((plan.verdict == retry_verdict::no_time));
    BOOST_TEST(plan.wait.count() == 40'000);
    in.retry_after = std::nullopt;
    in.remaining = 50ms;  // the backoff alone does not fit either
    BOOST_TEST((detail::plan_retry(in).verdict == retry_verdict::no_time));
    in.remaining = 51ms;
    BOOST_TEST((detail::plan_retry(in).verdict == retry_verdict::retry));
    in.remaining = -1s;  // already past
    BOOST_TEST((detail::plan_retry(in).verdict == retry_verdict::no_time));
    // The wait and another attempt as long as the last one must fit: 50 ms + 30 ms in 81 ms.
    in.remaining = 81ms;
    in.last_attempt = 30ms;
    BOOST_TEST((detail::plan_retry(in).verdict == retry_verdict::retry));
    in.remaining = 80ms;
    BOOST_TEST((detail::plan_retry(in).verdict == retry_verdict::no_time));
    in.retry_after = 2s;  // the server's wait counts the same way
    in.remaining = 2100ms;
    BOOST_TEST((detail::plan_retry(in).verdict == retry_verdict::retry));
    in.last_attempt = 100ms;
    BOOST_TEST((detail::plan_retry(in).verdict == retry_verdict::no_time));
}

BOOST_AUTO_TEST_CASE(policies_out_of_range_are_refused) {
    std::string why;
    BOOST_TEST(!detail::validate_retry_policy(retry_policy{}, why));
    BOOST_TEST(!detail::validate_retry_policy(retry_policy::none(), why));
    for (const retry_policy& bad : {retry_policy{0}, retry_policy{11}, retry_policy{3, 0ms}, retry_policy{3, -5ms},
                                    retry_policy{3, 200ms, 100ms}}) {
        why.clear();
        BOOST_TEST((detail::validate_retry_policy(bad, why) == errc::invalid_option));
        BOOST_TEST(!why.empty());
    }
    BOOST_TEST(!detail::validate_retry_budget(retry_budget_options{}, why));
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const retry_budget_options& bad :
         {retry_budget_options{-0.1}, retry_budget_options{1.5}, retry_budget_options{nan},
          retry_budget_options{0.1, -1}, retry_budget_options{0.1, nan}, retry_budget_options{0.1, 1, -1}}) {
        BOOST_TEST((detail::validate_retry_budget(bad, why) == errc::invalid_option));
    }
}

BOOST_AUTO_TEST_CASE(the_budget_allows_its_bank_then_a_tenth_of_the_calls) {
    const auto t0 = detail::retry_budget::clock::now();
    detail::retry_budget budget({0.1, 0.0, 10.0}, t0);  // no time-based floor here
    // 200 reads start at once against a server that is down: the bank and what the 200 earned
    // (capped at the bank's size) allow 10 retries, not 400.
    for (int i = 0; i < 200; ++i) budget.earn();
    int allowed = 0;
    for (int i = 0; i < 400; ++i) allowed += budget.try_spend(t0) ? 1 : 0;
    BOOST_TEST(allowed == 10);
    // Then each ten calls earn one retry.
    for (int i = 0; i < 95; ++i) budget.earn();
    allowed = 0;
    for (int i = 0; i < 20; ++i) allowed += budget.try_spend(t0) ? 1 : 0;
    BOOST_TEST(allowed == 9);
    BOOST_TEST(budget.balance(t0) == 0.5, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(the_budget_earns_its_floor_with_time) {
    const auto t0 = detail::retry_budget::clock::now();
    detail::retry_budget budget({0.1, 1.0, 5.0}, t0);
    int allowed = 0;
    for (int i = 0; i < 10; ++i) allowed += budget.try_spend(t0) ? 1 : 0;
    BOOST_TEST(allowed == 5);
    BOOST_TEST(!budget.try_spend(t0 + 999ms));
    BOOST_TEST(budget.try_spend(t0 + 1001ms));  // one per second, without any call
    BOOST_TEST(!budget.try_spend(t0 + 1500ms));
    BOOST_TEST(budget.balance(t0 + 1h) == 5.0, boost::test_tools::tolerance(1e-9));  // never beyond the bank
    BOOST_TEST(budget.balance(t0) == 5.0, boost::test_tools::tolerance(1e-9));  // the clock going back earns nothing
}

BOOST_AUTO_TEST_CASE(retry_after_in_each_form) {
    using std::chrono::sys_days;
    using namespace std::chrono;
    // Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example), and "now" 40 s before it.
    const auto date = sys_days{1994y / November / 6} + 8h + 49min + 37s;
    const auto now = time_point_cast<system_clock::duration>(date - 40s);
    struct row {
        std::string value;
        std::optional<seconds> expected;
    };
    const row rows[] = {
        {"120", 120s},
        {"0", 0s},
        {"007", 7s},
        {"86400", 86400s},
        {"86401", 86400s},                       // bounded: a day at most
        {"99999999999999999999999999", 86400s},  // far beyond any integer: still bounded, no overflow
        {"Sun, 06 Nov 1994 08:49:37 GMT", 40s},
        {"Sunday, 06-Nov-94 08:49:37 GMT", 40s},
        {"Sun Nov  6 08:49:37 1994", 40s},
        {"Sun, 06 Nov 1994 08:49:36 GMT", 39s},
        {"Sun, 06 Nov 1994 08:49:00 GMT", 3s},
        {"Sun, 06 Nov 1994 08:48:00 GMT", 0s},  // in the past
        {"Thu, 01 Jan 1970 00:00:00 GMT", 0s},
        {"Mon, 07 Nov 1994 08:49:37 GMT", 86400s},  // a day and 40 s ahead: bounded
        {"Fri, 31 Dec 9999 23:59:59 GMT", 86400s},
        {"", std::nullopt},
        {"-1", std::nullopt},
        {"+5", std::nullopt},
        {"1.5", std::nullopt},
        {"12 ", std::nullopt},  // the parser trims the field's whitespace; anything left is not a number
        {" 12", std::nullopt},
        {"0x10", std::nullopt},
        {"soon", std::nullopt},
        {"Sun, 31 Nov 1994 08:49:37 GMT", std::nullopt},  // no 31 November
        {"Sun, 06 Nov 1994 24:00:00 GMT", std::nullopt},
        {"Sun, 06 Nov 1994 08:60:00 GMT", std::nullopt},
        {"Sun, 06 Nov 1994 08:49:37 UTC", std::nullopt},
        {"Sun, 06 Nov 1994 08:49:37 GMT ", std::nullopt},
        {"Sun, 6 Nov 1994 08:49:37 GMT", std::nullopt},
        {"sun, 06 nov 1994 08:49:37 gmt", std::nullopt},
        {"Sun, 06 Nov 94 08:49:37 GMT", std::nullopt},
        {"Sun Nov 6 08:49:37 1994", std::nullopt},
        {std::string("12\0", 3), std::nullopt},
    };
    for (const auto& r : rows) {
        BOOST_TEST_CONTEXT("'" << r.value << "'") {
            const auto got = detail::parse_retry_after(r.value, now);
            BOOST_TEST(got.has_value() == r.expected.has_value());
            if (got && r.expected) BOOST_TEST(got->count() == r.expected->count());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
