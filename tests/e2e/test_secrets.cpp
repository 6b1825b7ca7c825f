// No secret of a call in any text, on any path: whatever a server echoes (the bearer token, the
// enrollment token, the pass code, the MFA token), however (whole, JSON-escaped, where an
// excerpt is cut, in a key, in a redirect), on success and failure alike, nothing the caller or
// an operator can read holds a piece of it: not the response's texts, not what(), not the
// observer's record. And the observer and the counters see exactly what the handler receives.
#include "../support/token_echo.hpp"
#include "common.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <functional>
#include <mutex>
#include <vector>

using namespace e2e;
using genauth::errc;
using genauth::testing::local_https_server;
using genauth::testing::received_request;
using genauth::testing::scripted_reply;

namespace {

const std::string mfa_token = "MFA-TOKEN-3c9e8a1f44";

// Every secret value the request carried, as the server received them.
std::vector<std::string> secrets_in(const received_request& r) {
    std::vector<std::string> out{test_support::bearer_token(r)};
    const auto body = boost::json::parse(r.body.empty() ? "{}" : r.body);
    for (const char* key : {"enrollmentToken", "token"})
        if (const auto* v = body.as_object().if_contains(key)) out.emplace_back(v->as_string());
    if (const auto* data = body.as_object().if_contains("enrollmentData"))
        out.emplace_back(data->at("passCode").as_string());
    return out;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
    return out;
}

// "\u0053ECRET...": the first character of each secret JSON-escaped.
std::string escaped(const std::string& secret) {
    char head[8];
    std::snprintf(head, sizeof head, "\\u%04x", static_cast<unsigned char>(secret[0]));
    return head + secret.substr(1);
}

scripted_reply raw_reply(unsigned status, const std::string& type, const std::string& body) {
    scripted_reply r;
    r.status = status;
    r.content_type = type;
    r.body = body;
    return r;
}

struct echo_case {
    const char* name;
    std::function<scripted_reply(const received_request&)> reply;
    bool succeeds = false;
};

std::vector<echo_case> echo_cases() {
    return {
        {"an envelope echoing every secret in message and requestId",
         [](const received_request& r) {
             const auto all = join(secrets_in(r), " ");
             return scripted_reply::json(
                 R"({"statusCode":500,"message":"failed for )" + all + R"(","requestId":")" + all + R"("})", 500);
         }},
        {"an HTML page echoing each secret where the excerpt is cut",
         [](const received_request& r) {
             std::string body;
             for (const auto& s : secrets_in(r)) body += std::string(190, 'x') + s + " ";
             return raw_reply(502, "text/html", body);
         }},
        {"a text body echoing each secret with one character JSON-escaped",
         [](const received_request& r) {
             std::string body;
             for (const auto& s : secrets_in(r)) body += "token=" + escaped(s) + " ";
             return raw_reply(500, "text/plain", body);
         }},
        {"broken JSON echoing each secret escaped, cut by the excerpt",
         [](const received_request& r) {
             std::string body = R"({"statusCode":500,"message":")" + std::string(180, 'y');
             for (const auto& s : secrets_in(r)) body += escaped(s) + " ";
             return raw_reply(500, "application/json", body);
         }},
        {"a repeated key that is a secret",
         [](const received_request& r) {
             const auto key = secrets_in(r).back();
             return scripted_reply::json(R"({"statusCode":400,")" + key + R"(":1,")" + key + R"(":2})");
         }},
        {"a redirect to a host named after the token",
         [](const received_request& r) {
             scripted_reply reply;
             reply.raw = "HTTP/1.1 302 Found\r\nLocation: https://" + secrets_in(r).front() +
                         ".evil.example/\r\nContent-Length: 0\r\n\r\n";
             return reply;
         }},
        {"a success whose message and requestId echo every secret",
         [](const received_request& r) {
             const auto all = join(secrets_in(r), " ");
             // Both shapes at once: an envelope for enroll-factor, an introspection for the other.
             return scripted_reply::json(R"({"statusCode":200,"message":")" + all + R"(","requestId":")" + all +
                                         R"(","active":false})");
         },
         true},
    };
}

struct observed {
    genauth::error_code ec;
    std::string request_id;
    unsigned attempts = 0;
};

// Runs one call through a client with an observer; returns what the handler received (and what()).
template <class Response, class Call>
void check_call(const echo_case& c, const std::vector<std::string>& secrets, Call call) {
    local_https_server server(c.reply);
    asio::io_context io;
    std::mutex m;
    std::vector<observed> records;
    auto options = options_for(server);
    options.observer = [&](const genauth::operation_record& r) {
        std::lock_guard lock(m);
        records.push_back({r.ec, std::string(r.request_id), r.attempts});
    };
    genauth::authentication_client client(io, options);
    auto [ec, response] = run(io, call(client));
    const std::string what = ec ? genauth::error_with_diagnostics(ec, response, response.diag).what() : "";
    BOOST_TEST(!ec == c.succeeds, ec.message() << " / " << response.diag.detail);
    BOOST_TEST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].ec == ec));  // the observer sees what the handler receives
    BOOST_TEST((records[0].request_id == response.request_id.value_or("")));
    const auto stats = client.statistics();
    BOOST_TEST(stats.operations_succeeded == (c.succeeds ? 1u : 0u));
    BOOST_TEST(stats.operations_succeeded + stats.api_errors + stats.protocol_errors + stats.transport_errors == 1u);
    for (const auto& secret : secrets) {
        BOOST_TEST_CONTEXT(secret) {
            for (const std::string& text :
                 {response.message, response.request_id.value_or(""), response.diag.body_excerpt, response.diag.detail,
                  what, records[0].request_id})
                BOOST_TEST(!test_support::holds_secret(text, secret), text);
        }
    }
    // A read answered 429 or 503 is tried again (retry_policy): one request per attempt.
    BOOST_TEST(server.requests_received() == records[0].attempts);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_secrets)

BOOST_AUTO_TEST_CASE(no_secret_of_a_call_reaches_any_text_on_any_path) {
    const auto enroll = sms_request();
    // Named, not a temporary in the co_await below: g++ 12 destroys those twice (GCC bug 101367).
    const genauth::verify_mfa_token_request introspect{mfa_token};
    for (const auto& c : echo_cases()) {
        BOOST_TEST_CONTEXT(c.name << " (enroll-factor)") {
            check_call<genauth::enroll_factor_response>(
                c, {secret_token, enroll.enrollment_token, *enroll.enrollment_data.pass_code},
                [&](genauth::authentication_client& client)
                    -> asio::awaitable<std::tuple<genauth::error_code, genauth::enroll_factor_response>> {
                    co_return co_await client.async_enroll_factor(enroll, tuple_awaitable);
                });
        }
        BOOST_TEST_CONTEXT(c.name << " (MFA token introspection)") {
            check_call<genauth::verify_mfa_token_response>(
                c, {secret_token, mfa_token},
                [&](genauth::authentication_client& client)
                    -> asio::awaitable<std::tuple<genauth::error_code, genauth::verify_mfa_token_response>> {
                    co_return co_await client.async_verify_mfa_token(introspect, tuple_awaitable);
                });
        }
    }
}

// A 2xx whose data does not decode fails the call: the texts are redacted as on any failure,
// and the observer and the counters record the failure the handler receives, not a success.
BOOST_AUTO_TEST_CASE(a_decoding_failure_is_redacted_counted_and_observed_as_the_handler_sees_it) {
    local_https_server server(
        [](const received_request& r) { return test_support::echo_token(r, 200, R"({"list":7})"); });
    asio::io_context io;
    genauth::error_code observed_ec;
    std::string observed_request_id;
    auto options = options_for(server);
    options.observer = [&](const genauth::operation_record& r) {
        observed_ec = r.ec;
        observed_request_id = r.request_id;
    };
    genauth::authentication_client client(io, options);
    auto [ec, response] = run(io, client.async_list_enrolled_factors(tuple_awaitable));
    BOOST_TEST((ec == genauth::condition::protocol_error), ec.message());
    BOOST_TEST((observed_ec == ec));
    BOOST_TEST(client.statistics().protocol_errors == 1u);
    BOOST_TEST(client.statistics().operations_succeeded == 0u);
    BOOST_TEST(response.diag.detail.find("data") != std::string::npos, response.diag.detail);
    const std::string what = genauth::error_with_diagnostics(ec, response, response.diag).what();
    for (const std::string& text : {response.message, response.request_id.value_or(""), what, observed_request_id})
        BOOST_TEST(!test_support::holds_secret(text, secret_token), text);
    BOOST_TEST(what.find("[redacted]") != std::string::npos, what);
}

BOOST_AUTO_TEST_SUITE_END()
