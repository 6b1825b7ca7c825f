// The async-server example (examples/mfa_server) end to end: its HTTP endpoints, run by two
// threads over one application-level client, against the fake GenAuth server, for 50 users at once.
#include "common.hpp"

#include <genauth/testing/fake_genauth_server.hpp>
#include <genauth/totp.hpp>

#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <mfa_server/mfa_http_server.hpp>
#include <mutex>
#include <thread>
#include <vector>

using namespace e2e;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

namespace {

// The example server on an ephemeral loopback port, its io_context run by two threads, serving
// users of a fake GenAuth on which every token is a user.
struct example_server {
    genauth::testing::fake_genauth_server genauth_server{[] {
        genauth::testing::fake_genauth_server::config cfg;
        cfg.accept_any_token = true;
        return cfg;
    }()};
    asio::io_context io{2};
    genauth::authentication_client app{io, [this] {
                                           auto o = genauth_server.client_options_for("");
                                           o.max_connections = 8;
                                           o.timeout = std::chrono::seconds(30);
                                           return o;
                                       }()};
    asio::ip::tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), 0}};
    std::atomic<int> logged{0};
    std::mutex log_mutex;
    std::string log_text;  // every access-log line, as an operator would read them

    explicit example_server(mfa_example::server_limits limits = {}) {
        asio::co_spawn(io,
                       mfa_example::accept_loop(
                           app, acceptor,
                           [this](const auto& line) {
                               ++logged;
                               std::lock_guard lock(log_mutex);
                               log_text += std::string(line.method) + " " + std::string(line.target) + " " +
                                           std::to_string(line.status) + " " + std::string(line.failure) + "\n";
                           },
                           limits),
                       asio::detached);
    }
    unsigned short port() const { return acceptor.local_endpoint().port(); }
};

struct reply {
    unsigned status = 0;
    json::object body;
    std::string raw;
};

// One user's keep-alive HTTP connection to the example server.
class front_end {
public:
    front_end(asio::any_io_executor ex, std::string token) : stream_(ex), token_(std::move(token)) {}

    asio::awaitable<void> connect(unsigned short port) {
        co_await stream_.async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                       asio::use_awaitable);
    }

    // Only trivially destructible arguments: g++ 12 destroys temporaries of a co_await expression
    // twice (GCC bug 101367), so callers name their strings.
    asio::awaitable<reply> call(http::verb method, std::string_view target, std::string_view body = {},
                                bool with_token = true) {
        http::request<http::string_body> req{method, target, 11};
        req.set(http::field::host, "127.0.0.1");
        if (with_token) req.set(http::field::authorization, "Bearer " + token_);
        if (method == http::verb::post) {
            req.set(http::field::content_type, "application/json");
            req.body() = body;
            req.prepare_payload();
        }
        co_await http::async_write(stream_, req, asio::use_awaitable);
        http::response<http::string_body> res;
        co_await http::async_read(stream_, buffer_, res, asio::use_awaitable);
        reply out{res.result_int(), {}, res.body()};
        genauth::error_code ec;
        auto jv = json::parse(out.raw, ec);
        if (!ec && jv.is_object()) out.body = std::move(jv.as_object());
        co_return out;
    }

private:
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::string token_;
};

std::string text(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Runs a front end's `probe` against `server` until it ends; false when it threw. The acceptor
// closes however the probe ends (a throw included), so run() returns: no hang.
bool run_probe(example_server& server, asio::awaitable<void> probe) {
    bool probe_threw = false;
    asio::co_spawn(server.io, std::move(probe), [&](std::exception_ptr thrown) {
        probe_threw = thrown != nullptr;
        server.acceptor.close();
    });
    server.io.run();
    return !probe_threw;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_mfa_server)

BOOST_AUTO_TEST_CASE(fifty_users_bind_verify_and_reset_through_the_example_server) {
    example_server server;
    constexpr int users = 50;
    std::mutex mutex;
    std::vector<std::string> failures;  // Boost.Test is not thread-safe: collected, checked below
    std::atomic<int> completed{0};
    auto expect = [&](bool ok, int user, const std::string& what) {
        if (ok) return;
        std::lock_guard lock(mutex);
        failures.push_back("user " + std::to_string(user) + ": " + what);
    };

    auto flow = [&](int i) -> asio::awaitable<void> {
        const std::string token = "front-end-user-" + std::to_string(i) + "-token";
        front_end fe(co_await asio::this_coro::executor, token);
        co_await fe.connect(server.port());
        const bool email = i % 2 == 1;  // odd users bind EMAIL, even users OTP
        auto to_enroll = co_await fe.call(http::verb::get, "/mfa/factors-to-enroll");
        expect(to_enroll.status == 200 && to_enroll.raw.find(email ? "EMAIL" : "OTP") != std::string::npos, i,
               "factors-to-enroll: " + to_enroll.raw);

        const std::string address = "user" + std::to_string(i) + "@example.com";
        const std::string start_body =
            email ? R"({"factorType":"EMAIL","email":")" + address + R"("})" : R"({"factorType":"OTP"})";
        auto started = co_await fe.call(http::verb::post, "/mfa/enroll/start", start_body);
        expect(started.status == 200, i, "start: " + started.raw);
        std::string code;
        genauth::totp::key_uri key;
        if (email) {
            code = server.genauth_server.last_code_for(address).value_or("");
        } else {
            expect(!genauth::totp::parse_key_uri(text(started.body, "otpKeyUri"), key), i, "key URI: " + started.raw);
            code = genauth::totp::code_at(key.params, server.genauth_server.now());
        }
        const std::string type = email ? "EMAIL" : "OTP";
        const std::string finish_body = R"({"enrollmentToken":")" + text(started.body, "enrollmentToken") +
                                        R"(","factorType":")" + type + R"(","code":")" + code + R"("})";
        auto finished = co_await fe.call(http::verb::post, "/mfa/enroll/finish", finish_body);
        expect(finished.status == 200 && finished.raw == R"({"bound":true})", i, "finish: " + finished.raw);

        auto listed = co_await fe.call(http::verb::get, "/mfa/factors");
        const auto* factors = listed.body.if_contains("factors");
        expect(listed.status == 200 && factors && factors->is_array() && factors->as_array().size() == 1, i,
               "factors: " + listed.raw);
        std::string factor_id;
        if (factors && factors->is_array() && !factors->as_array().empty())
            factor_id = text(factors->as_array()[0].as_object(), "factorId");

        if (!email) {
            const std::string verify_body =
                R"({"code":")" + genauth::totp::code_at(key.params, server.genauth_server.now()) + R"("})";
            auto verified = co_await fe.call(http::verb::post, "/mfa/verify-otp", verify_body);
            expect(verified.raw == R"({"verified":true})", i, "verify: " + verified.raw);
            auto wrong = co_await fe.call(http::verb::post, "/mfa/verify-otp", R"({"code":"000000x"})");
            expect(wrong.status == 400 && text(wrong.body, "error") == "genauth" && wrong.body.if_contains("apiCode") &&
                       wrong.body.at("apiCode") == 6001 && !text(wrong.body, "requestId").empty() &&
                       wrong.raw.find(token) == std::string::npos,
                   i, "wrong code: " + wrong.raw);
        }
        const std::string reset_body = R"({"factorId":")" + factor_id + R"("})";
        auto reset = co_await fe.call(http::verb::post, "/mfa/reset", reset_body);
        expect(reset.raw == R"({"reset":true})", i, "reset: " + reset.raw);
        auto after = co_await fe.call(http::verb::get, "/mfa/factors");
        expect(after.raw == R"({"factors":[]})", i, "after reset: " + after.raw);
        ++completed;
    };

    for (int i = 0; i < users; ++i)
        asio::co_spawn(asio::make_strand(server.io), flow(i), [&, i](std::exception_ptr e) {
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                expect(false, i, std::string("exception: ") + ex.what());
            }
        });
    // Runs until every flow is done, then stops the server.
    std::thread watcher([&] {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (std::chrono::steady_clock::now() < deadline) {
            {
                std::lock_guard lock(mutex);
                if (completed.load() + static_cast<int>(failures.size()) >= users) break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        asio::post(server.io, [&] { server.acceptor.close(); });
        server.io.stop();
    });
    std::thread second([&] { server.io.run(); });
    server.io.run();
    second.join();
    watcher.join();
    BOOST_TEST(failures.empty(), (failures.empty() ? std::string() : failures.front()));
    BOOST_TEST(completed.load() == users);
    BOOST_TEST(server.app.open_connections() <= 8u);
    BOOST_TEST(server.logged.load() >= users * 6);
}

BOOST_AUTO_TEST_CASE(bad_requests_get_json_errors_with_4xx) {
    example_server server;
    std::vector<reply> replies;
    auto probe = [&]() -> asio::awaitable<void> {
        front_end fe(co_await asio::this_coro::executor, "some-user-token");
        co_await fe.connect(server.port());
        replies.push_back(co_await fe.call(http::verb::get, "/mfa/factors", {}, false));         // no token
        replies.push_back(co_await fe.call(http::verb::post, "/mfa/enroll/start", "not json"));  // bad JSON
        replies.push_back(co_await fe.call(http::verb::post, "/mfa/enroll/start", R"({"factorType":"SMS"})"));
        replies.push_back(co_await fe.call(http::verb::get, "/mfa/enroll/start"));  // wrong method
        replies.push_back(co_await fe.call(http::verb::get, "/nowhere"));           // unknown path
        replies.push_back(co_await fe.call(http::verb::post, "/mfa/enroll/finish",
                                           R"({"enrollmentToken":"x","factorType":"OTP","code":"1"})"));
    };
    BOOST_TEST(run_probe(server, probe()));
    BOOST_TEST_REQUIRE(replies.size() == 6u);
    const unsigned expected[] = {401, 400, 400, 405, 404, 400};
    for (std::size_t i = 0; i < replies.size(); ++i) {
        BOOST_TEST_CONTEXT("reply " << i << ": " << replies[i].raw) {
            BOOST_TEST(replies[i].status == expected[i]);
            BOOST_TEST(!text(replies[i].body, "error").empty());
            BOOST_TEST(replies[i].raw.find("some-user-token") == std::string::npos);
        }
    }
    // GenAuth's own refusal passes through with its codes.
    BOOST_TEST(text(replies[5].body, "error") == "genauth");
    BOOST_TEST(replies[5].body.at("statusCode") == 400);
    BOOST_TEST(replies[5].body.at("apiCode") == 2300);
}

// The sign-in's second factor through POST /mfa/challenge: the mfaToken in, the user's token out;
// wrong codes, a spent mfaToken and a missing one refused; no mfaToken in the access log.
BOOST_AUTO_TEST_CASE(a_sign_in_passes_its_challenge_through_the_example_server) {
    example_server server;
    const std::string user_token = "challenge-user-token-0123456789";
    std::vector<reply> replies;
    std::vector<std::string> mfa_tokens;
    auto probe = [&]() -> asio::awaitable<void> {
        const auto ex = co_await asio::this_coro::executor;
        front_end user(ex, user_token);
        co_await user.connect(server.port());
        // Bind OTP and SMS as the signed-in user.
        const std::string start_otp = R"({"factorType":"OTP"})";
        auto started = co_await user.call(http::verb::post, "/mfa/enroll/start", start_otp);
        genauth::totp::key_uri key;
        BOOST_TEST_REQUIRE(!genauth::totp::parse_key_uri(text(started.body, "otpKeyUri"), key));
        const auto now = [&] { return server.genauth_server.now(); };
        const std::string finish_otp =
            json::serialize(json::object{{"enrollmentToken", text(started.body, "enrollmentToken")},
                                         {"factorType", "OTP"},
                                         {"code", genauth::totp::code_at(key.params, now())}});
        BOOST_TEST_REQUIRE((co_await user.call(http::verb::post, "/mfa/enroll/finish", finish_otp)).status == 200u);
        const std::string start_sms = R"({"factorType":"SMS","phone":"18800000031"})";
        auto sms_started = co_await user.call(http::verb::post, "/mfa/enroll/start", start_sms);
        const std::string finish_sms =
            json::serialize(json::object{{"enrollmentToken", text(sms_started.body, "enrollmentToken")},
                                         {"factorType", "SMS"},
                                         {"code", server.genauth_server.last_code_for("18800000031").value_or("")}});
        BOOST_TEST_REQUIRE((co_await user.call(http::verb::post, "/mfa/enroll/finish", finish_sms)).status == 200u);

        // Signing in: no Authorization, the mfaToken in the body.
        front_end signing_in(ex, "");
        co_await signing_in.connect(server.port());
        // Named bodies only: g++ 12 mishandles braced temporaries in a co_await expression.
        auto challenge = [&](const json::object& body) -> asio::awaitable<reply> {
            const std::string text_body = json::serialize(body);
            co_return co_await signing_in.call(http::verb::post, "/mfa/challenge", text_body, false);
        };
        mfa_tokens.push_back(server.genauth_server.issue_mfa_token(user_token));
        const auto code = genauth::totp::code_at(key.params, now());
        const std::string wrong = code == "000000" ? "111111" : "000000";
        const json::object wrong_otp{{"mfaToken", mfa_tokens[0]}, {"factorType", "OTP"}, {"code", wrong}};
        const json::object right_otp{{"mfaToken", mfa_tokens[0]}, {"factorType", "OTP"}, {"code", code}};
        const json::object no_mfa_token{{"factorType", "OTP"}, {"code", code}};
        replies.push_back(co_await challenge(wrong_otp));
        replies.push_back(co_await challenge(right_otp));
        replies.push_back(co_await challenge(right_otp));  // again: the mfaToken is spent
        replies.push_back(co_await challenge(no_mfa_token));
        mfa_tokens.push_back(server.genauth_server.issue_mfa_token(user_token));
        const json::object send_sms{{"mfaToken", mfa_tokens[1]}, {"factorType", "SMS"}, {"phone", "18800000031"}};
        replies.push_back(co_await challenge(send_sms));
        const auto sms_code = server.genauth_server.last_code_for("18800000031").value_or("");
        const json::object verify_sms{
            {"mfaToken", mfa_tokens[1]}, {"factorType", "SMS"}, {"phone", "18800000031"}, {"code", sms_code}};
        replies.push_back(co_await challenge(verify_sms));
    };
    BOOST_TEST(run_probe(server, probe()));
    BOOST_TEST_REQUIRE(replies.size() == 6u);
    const unsigned expected[] = {401, 200, 401, 400, 200, 200};
    for (std::size_t i = 0; i < replies.size(); ++i) BOOST_TEST_CONTEXT("reply " << i << ": " << replies[i].raw) {
            BOOST_TEST(replies[i].status == expected[i]);
        }
    BOOST_TEST(replies[0].body.at("code") == 6001);                  // wrong code
    BOOST_TEST(text(replies[1].body, "accessToken") == user_token);  // signed in
    BOOST_TEST(replies[2].body.at("code") == 2020);                  // the mfaToken is spent
    BOOST_TEST(replies[4].body.at("codeSent") == true);
    BOOST_TEST(text(replies[5].body, "accessToken") == user_token);
    std::lock_guard lock(server.log_mutex);
    BOOST_TEST(server.log_text.find("POST /mfa/challenge 401") != std::string::npos, server.log_text);
    for (const auto& t : mfa_tokens) BOOST_TEST(!test_support::holds_secret(server.log_text, t));
    for (const auto& r : replies)
        for (const auto& t : mfa_tokens) BOOST_TEST(!test_support::holds_secret(r.raw, t));
}

// The user's address comes from X-Real-IP only when the trusted proxy sends it.
BOOST_AUTO_TEST_CASE(the_users_address_is_the_peers_unless_a_trusted_proxy_names_it) {
    mfa_example::request_type req;
    req.set("X-Real-IP", "198.51.100.7");
    mfa_example::server_limits limits;
    const auto proxy = asio::ip::make_address("127.0.0.1");
    BOOST_TEST(mfa_example::client_address(proxy, req, limits) == "127.0.0.1");  // nobody is trusted
    limits.trusted_proxy = proxy;
    BOOST_TEST(mfa_example::client_address(proxy, req, limits) == "198.51.100.7");
    BOOST_TEST(mfa_example::client_address(asio::ip::make_address("127.0.0.2"), req, limits) == "127.0.0.2");
}

// A peer cannot hold the server without bound: connections beyond the cap are closed at once,
// and a header over the limit ends the connection without an answer.
BOOST_AUTO_TEST_CASE(the_example_server_bounds_connections_and_headers) {
    mfa_example::server_limits limits;
    limits.max_connections = 1;
    example_server server(limits);
    std::thread runner([&] { server.io.run(); });
    asio::io_context client_io;
    const asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), server.port());
    asio::ip::tcp::socket holder(client_io), refused(client_io);
    holder.connect(endpoint);   // takes the one place
    refused.connect(endpoint);  // accepted by the kernel, then closed by the server
    char byte = 0;
    genauth::error_code ec;
    refused.read_some(asio::buffer(&byte, 1), ec);
    BOOST_TEST((ec == asio::error::eof || ec == asio::error::connection_reset), ec.message());

    // The holder's header is over the limit: the connection ends with no answer.
    const std::string request =
        "GET /mfa/factors HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(limits.header_limit + 1024, 'a') + "\r\n\r\n";
    asio::write(holder, asio::buffer(request), ec);
    std::size_t received = 0;
    for (;;) {
        const auto n = holder.read_some(asio::buffer(&byte, 1), ec);
        if (ec) break;
        received += n;
    }
    BOOST_TEST(received == 0u);
    BOOST_TEST((ec == asio::error::eof || ec == asio::error::connection_reset), ec.message());
    server.io.stop();
    runner.join();
}

BOOST_AUTO_TEST_SUITE_END()
