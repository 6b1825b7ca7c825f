// One application-level client serving many end users through per-user handles.
#include "../support/token_echo.hpp"
#include "common.hpp"

#include <genauth/impl/io/connection.hpp>
#include <genauth/testing/fake_genauth_server.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <string>
#include <vector>

using namespace e2e;
using genauth::testing::local_https_server;
using genauth::testing::received_request;
using genauth::testing::scripted_reply;

namespace {

using test_support::caller_echo;
using test_support::echo_caller;

std::string user_token(int i) { return "user-token-" + std::to_string(i) + "-0123456789"; }
std::string user_ip(int i) { return "203.0.113." + std::to_string(i % 250 + 1); }

genauth::client_options application_options(const local_https_server& server) {
    auto o = options_for(server);
    o.access_token.clear();  // an application-level client: tokens come with the handles
    return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_many_users)

BOOST_AUTO_TEST_CASE(four_hundred_users_through_one_client_each_request_carries_its_own_token) {
    local_https_server server(echo_caller);
    asio::io_context io;
    auto options = application_options(server);
    options.max_connections = 8;
    options.lang = "en-US";
    genauth::authentication_client app(io, options);

    constexpr int users = 400, in_flight = 16;
    std::atomic<int> ok{0};
    std::vector<std::string> mismatches;
    // 16 workers, each serving every 16th user in turn: 16 calls in flight at any time.
    auto worker = [&](int first) -> asio::awaitable<void> {
        for (int i = first; i < users; i += in_flight) {
            const auto user =
                app.with_user({user_token(i), user_ip(i), i % 2 ? std::optional<std::string>("zh-CN") : std::nullopt});
            auto [ec, res] = co_await user.async_list_enrolled_factors(tuple_awaitable);
            const std::string expected = caller_echo(user_token(i), user_ip(i), i % 2 ? "zh-CN" : "en-US");
            if (!ec && res.request_id == expected)
                ++ok;
            else
                mismatches.push_back(std::to_string(i) + ": " + ec.message() + " " + res.request_id.value_or(""));
        }
    };
    for (int w = 0; w < in_flight; ++w) asio::co_spawn(io, worker(w), asio::detached);
    io.run();
    BOOST_TEST(ok.load() == users);
    BOOST_TEST(mismatches.empty(), (mismatches.empty() ? "" : mismatches.front()));
    BOOST_TEST(server.requests_received() == static_cast<std::size_t>(users));
    BOOST_TEST(server.connections_accepted() <= 8u);
    BOOST_TEST(app.connections_opened() <= 8u);
    BOOST_TEST(app.open_connections() <= 8u);
}

BOOST_AUTO_TEST_CASE(users_state_is_kept_apart_by_the_fake_server) {
    genauth::testing::fake_genauth_server server;
    auto options = server.client_options_for("");
    asio::io_context io;
    genauth::authentication_client app(io, options);
    server.add_user("alice-token-0123456789", "alice@example.com");
    server.add_user("bob-token-0123456789", "bob@example.com");
    const auto alice = app.with_access_token("alice-token-0123456789");
    const auto bob = app.with_access_token("bob-token-0123456789");
    auto flow = [&]() -> asio::awaitable<void> {
        genauth::send_enroll_factor_request_params start;
        start.factor_type = genauth::factor_type::email;
        start.profile.email = "alice@example.com";
        auto [ec1, started] = co_await alice.async_send_enroll_factor_request(start, tuple_awaitable);
        BOOST_TEST_REQUIRE(!ec1, ec1.message());
        genauth::enroll_factor_request enroll;
        enroll.enrollment_token = started.data.enrollment_token;
        enroll.factor_type = genauth::factor_type::email;
        enroll.enrollment_data.pass_code = server.last_code_for("alice@example.com").value_or("");
        // Bob cannot use Alice's enrollment: the token decides whose it is.
        auto [ec2, r2] = co_await bob.async_enroll_factor(enroll, tuple_awaitable);
        BOOST_TEST((ec2 == genauth::make_api_error_code(400)));
        auto [ec3, r3] = co_await alice.async_enroll_factor(enroll, tuple_awaitable);
        BOOST_TEST(!ec3, ec3.message());
        auto [ec4, alices] = co_await alice.async_list_enrolled_factors(tuple_awaitable);
        auto [ec5, bobs] = co_await bob.async_list_enrolled_factors(tuple_awaitable);
        BOOST_TEST(!ec4);
        BOOST_TEST(!ec5);
        BOOST_TEST(alices.data.size() == 1u);
        BOOST_TEST(bobs.data.empty());
    };
    run(io, flow());
    BOOST_TEST(app.connections_opened() == 1u);
}

BOOST_AUTO_TEST_CASE(no_token_anywhere_fails_before_any_io) {
    local_https_server server(echo_caller);
    asio::io_context io;
    genauth::authentication_client app(io, application_options(server));
    auto [ec, res] = run(io, app.async_list_enrolled_factors(tuple_awaitable));
    BOOST_TEST((ec == genauth::errc::missing_access_token));
    BOOST_TEST((ec == genauth::condition::invalid_argument));
    auto [ec2, res2] = run(io, app.with_access_token("").async_list_enrolled_factors(tuple_awaitable));
    BOOST_TEST((ec2 == genauth::errc::missing_access_token));
    BOOST_TEST(server.connections_accepted() == 0u);
    BOOST_TEST(app.connections_opened() == 0u);
}

BOOST_AUTO_TEST_CASE(bad_handle_values_fail_before_any_io_and_never_show_the_token) {
    local_https_server server(echo_caller);
    asio::io_context io;
    genauth::authentication_client app(io, application_options(server));
    const struct {
        const char* name;
        genauth::user_context user;
        genauth::errc expected;
    } rows[] = {
        {"token CR LF", {secret_token + "\r\nX-Injected: 1", {}, {}}, genauth::errc::invalid_header_value},
        {"not an IP", {secret_token, "localhost", {}}, genauth::errc::invalid_real_ip},
        {"bad lang", {secret_token, {}, "en\r\nUS"}, genauth::errc::invalid_lang},
    };
    for (const auto& row : rows) {
        BOOST_TEST_CONTEXT(row.name) {
            auto [ec, res] = run(io, app.with_user(row.user).async_list_enrolled_factors(tuple_awaitable));
            BOOST_TEST((ec == row.expected));
            BOOST_TEST(!leaks_token(res, ec.message()));
        }
    }
    BOOST_TEST(server.connections_accepted() == 0u);
}

BOOST_AUTO_TEST_CASE(handle_overrides_the_clients_token_and_outlives_the_client) {
    local_https_server server(echo_caller);
    asio::io_context io;
    auto options = options_for(server);  // with the application's own token
    std::optional<genauth::authentication_client> client(std::in_place, io, options);
    auto [ec1, own] = run(io, client->async_list_enrolled_factors(tuple_awaitable));
    BOOST_TEST(!ec1);
    BOOST_TEST(own.request_id.value_or("") == caller_echo(secret_token));
    const auto handle = client->with_access_token("carol-token-0123456789");
    client.reset();  // the handle keeps the shared state alive
    auto [ec2, carol] = run(io, handle.async_list_enrolled_factors(tuple_awaitable));
    BOOST_TEST(!ec2, ec2.message());
    BOOST_TEST(carol.request_id.value_or("") == caller_echo("carol-token-0123456789"));
    BOOST_TEST(server.connections_accepted() == 1u);  // the handle reused the client's connection
}

BOOST_AUTO_TEST_CASE(a_handles_token_echoed_by_the_server_is_redacted) {
    local_https_server server([](const received_request& r) { return test_support::echo_token(r); });
    asio::io_context io;
    genauth::authentication_client app(io, application_options(server));
    auto [ec, res] = run(io, app.with_access_token(secret_token).async_list_enrolled_factors(tuple_awaitable));
    BOOST_TEST((ec == genauth::make_api_error_code(401)));
    BOOST_TEST(!leaks_token(res));
    BOOST_TEST(res.message.find("[redacted]") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(clients_with_equal_tls_options_share_one_context) {
    genauth::error_code ec1, ec2, ec3;
    std::string why;
    genauth::tls_options defaults;
    auto a = genauth::detail::shared_tls_context(defaults, ec1, why);
    auto b = genauth::detail::shared_tls_context(defaults, ec2, why);
    BOOST_TEST(!ec1);
    BOOST_TEST(!ec2);
    BOOST_TEST(a.get() == b.get());
    genauth::tls_options other;
    other.insecure_skip_verification = true;
    auto c = genauth::detail::shared_tls_context(other, ec3, why);
    BOOST_TEST(!ec3);
    BOOST_TEST(c.get() != a.get());
    genauth::tls_options broken;
    broken.extra_ca_pem = "not a certificate";
    genauth::error_code ec4;
    BOOST_TEST(genauth::detail::shared_tls_context(broken, ec4, why) == nullptr);
    BOOST_TEST((ec4 == genauth::errc::tls_ca_load_failed));
}

BOOST_AUTO_TEST_SUITE_END()
