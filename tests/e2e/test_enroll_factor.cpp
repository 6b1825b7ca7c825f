// async_enroll_factor end to end over real TLS on loopback: results, errors, completion styles.
#include "common.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

using namespace e2e;
using genauth::testing::local_https_server;
using genauth::testing::received_request;
using genauth::testing::scripted_reply;

BOOST_AUTO_TEST_SUITE(test_enroll_factor)

BOOST_AUTO_TEST_CASE(success_with_default_co_await) {
    local_https_server server([](const received_request&) { return scripted_reply::json(success_body()); });
    asio::io_context io;
    genauth::authentication_client client(io, options_for(server));

    auto response = run(io, [&]() -> asio::awaitable<genauth::enroll_factor_response> {
        co_return co_await client.async_enroll_factor(sms_request());
    }());
    BOOST_TEST(response.status_code == 200);
    BOOST_TEST(response.message == "Operation successful");
    BOOST_TEST(response.request_id.value() == "934108e5-9fbf-4d24-8da1-c330328abd6c");
    BOOST_TEST(!response.api_code.has_value());
    BOOST_TEST(response.diag.http_status == 200u);

    const auto requests = server.requests();
    BOOST_TEST_REQUIRE(requests.size() == 1u);
    const auto& r = requests.front();
    BOOST_TEST(r.method == "POST");
    BOOST_TEST(r.target == "/api/v3/enroll-factor");
    BOOST_TEST(r.header("authorization") == "Bearer " + secret_token);
    BOOST_TEST(r.header("content-type") == "application/json");
    BOOST_TEST(r.header("x-authing-app-id") == "app-1");
    BOOST_TEST(r.header("x-authing-sdk-version") == "genauth-cpp:" GENAUTH_VERSION_STRING);
    BOOST_TEST(r.header("x-authing-request-from") == "sdk");
    BOOST_TEST(!r.has_header("x-authing-lang"));
    BOOST_TEST(r.header("user-agent") == "genauth-cpp/" GENAUTH_VERSION_STRING);
    BOOST_TEST(r.header("host") == "localhost:" + std::to_string(server.port()));
    BOOST_TEST(
        boost::json::parse(r.body) ==
        boost::json::parse(
            R"({"enrollmentToken":"ENROLLMENT-TOKEN-5d1e0b7c","factorType":"SMS","enrollmentData":{"passCode":"123456"}})"));
}

BOOST_AUTO_TEST_CASE(business_error_over_http_200_throws_error_with_diagnostics_with_use_awaitable) {
    local_https_server server([](const received_request&) {
        return scripted_reply::json(R"({"statusCode":400,"apiCode":6001,"message":"wrong code","requestId":"rq-1"})");
    });
    asio::io_context io;
    genauth::authentication_client client(io, options_for(server));
    auto caught = run(io, [&]() -> asio::awaitable<std::optional<genauth::error_with_diagnostics>> {
        try {
            co_await client.async_enroll_factor(sms_request(), asio::use_awaitable);
        } catch (const genauth::error_with_diagnostics& e) {
            co_return e;
        }
        co_return std::nullopt;
    }());
    BOOST_TEST_REQUIRE(caught.has_value());
    BOOST_TEST((caught->code() == genauth::make_api_error_code(400)));
    BOOST_TEST(caught->envelope().api_code.value() == 6001);
    BOOST_TEST(caught->envelope().message == "wrong code");
    BOOST_TEST(caught->envelope().request_id.value() == "rq-1");
    BOOST_TEST(std::string(caught->what()).find("apiCode 6001") != std::string::npos);
    BOOST_TEST(!leaks_token(caught->envelope(), caught->get_diagnostics(), caught->what()));
}

BOOST_AUTO_TEST_CASE(default_token_throws_error_with_diagnostics_too) {
    local_https_server server(
        [](const received_request&) { return scripted_reply::json(R"({"statusCode":429,"message":"too many"})"); });
    asio::io_context io;
    genauth::authentication_client client(io, options_for(server));
    auto code = run(io, [&]() -> asio::awaitable<genauth::error_code> {
        try {
            co_await client.async_enroll_factor(sms_request());
        } catch (const genauth::error_with_diagnostics& e) {
            co_return e.code();
        }
        co_return genauth::error_code{};
    }());
    BOOST_TEST((code == genauth::make_api_error_code(429)));
}

BOOST_AUTO_TEST_CASE(http_401_json_with_as_tuple) {
    local_https_server server([](const received_request&) {
        return scripted_reply::json(R"({"statusCode":401,"apiCode":2020,"message":"not logged in"})", 401);
    });
    asio::io_context io;
    genauth::authentication_client client(io, options_for(server));
    auto [ec, response] =
        run(io, [&]() -> asio::awaitable<std::tuple<genauth::error_code, genauth::enroll_factor_response>> {
            co_return co_await client.async_enroll_factor(sms_request(), asio::as_tuple(asio::deferred));
        }());
    BOOST_TEST((ec == genauth::make_api_error_code(401)));
    BOOST_TEST(response.diag.http_status == 401u);
    BOOST_TEST(response.status_code == 401);
    BOOST_TEST(response.api_code.value() == 2020);
    BOOST_TEST(response.message == "not logged in");
}

BOOST_AUTO_TEST_CASE(proxy_502_html_with_callback) {
    local_https_server server([](const received_request&) {
        scripted_reply r;
        r.status = 502;
        r.content_type = "text/html";
        r.body = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
        return r;
    });
    asio::io_context io;
    genauth::authentication_client client(io, options_for(server));
    int calls = 0;
    genauth::error_code ec;
    genauth::enroll_factor_response response;
    client.async_enroll_factor(sms_request(), [&](genauth::error_code e, genauth::enroll_factor_response r) {
        ++calls;
        ec = e;
        response = std::move(r);
    });
    BOOST_TEST(calls == 0);  // never completes inside the initiating call
    io.run();
    BOOST_TEST(calls == 1);
    BOOST_TEST((ec == genauth::errc::non_json_response));
    BOOST_TEST(response.diag.http_status == 502u);
    BOOST_TEST(response.diag.body_excerpt.find("502 Bad Gateway") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(malformed_json_with_use_future) {
    local_https_server server(
        [](const received_request&) { return scripted_reply::json(R"({"statusCode":200,"mess)"); });
    asio::io_context io;
    genauth::authentication_client client(io, options_for(server));
    auto future = client.async_enroll_factor(sms_request(), asio::use_future);
    io.run();
    try {
        future.get();
        BOOST_FAIL("expected an exception");
    } catch (const genauth::error_with_diagnostics& e) {
        BOOST_TEST((e.code() == genauth::errc::malformed_json));
        BOOST_TEST(e.get_diagnostics().http_status == 200u);
    }
}

BOOST_AUTO_TEST_CASE(input_errors_fail_before_any_io) {
    local_https_server server([](const received_request&) { return scripted_reply::json(success_body()); });
    asio::io_context io;

    struct row {
        const char* name;
        void (*mutate_options)(genauth::client_options&);
        void (*mutate_request)(genauth::enroll_factor_request&);
        genauth::errc expected;
    } rows[] = {
        {"empty enrollment token", nullptr, [](genauth::enroll_factor_request& r) { r.enrollment_token.clear(); },
         genauth::errc::missing_enrollment_token},
        {"sms without pass code", nullptr,
         [](genauth::enroll_factor_request& r) { r.enrollment_data.pass_code.reset(); },
         genauth::errc::missing_pass_code},
        {"face without photo", nullptr,
         [](genauth::enroll_factor_request& r) { r.factor_type = genauth::factor_type::face; },
         genauth::errc::missing_photo},
        {"CR LF in token", [](genauth::client_options& o) { o.access_token += "\r\nX-Injected: 1"; }, nullptr,
         genauth::errc::invalid_header_value},
        {"LF in app id", [](genauth::client_options& o) { o.app_id = "a\nb"; }, nullptr,
         genauth::errc::invalid_header_value},
        {"empty app id", [](genauth::client_options& o) { o.app_id.clear(); }, nullptr, genauth::errc::missing_app_id},
        {"app host not a URL", [](genauth::client_options& o) { o.app_host = "local host"; }, nullptr,
         genauth::errc::invalid_app_host},
        {"app host ftp", [](genauth::client_options& o) { o.app_host = "ftp://localhost"; }, nullptr,
         genauth::errc::invalid_app_host},
        {"unreadable CA file", [](genauth::client_options& o) { o.tls.extra_ca_file = "/nonexistent/ca.pem"; }, nullptr,
         genauth::errc::tls_ca_load_failed},
    };
    for (const auto& row : rows) {
        BOOST_TEST_CONTEXT(row.name) {
            auto options = options_for(server);
            if (row.mutate_options) row.mutate_options(options);
            auto request = sms_request();
            if (row.mutate_request) row.mutate_request(request);
            genauth::authentication_client client(io, options);
            auto [ec, response] = run(io, enroll_call(client, request));
            BOOST_TEST((ec == row.expected));
            BOOST_TEST((ec == std::errc::invalid_argument));
            BOOST_TEST(!response.diag.detail.empty());
            BOOST_TEST(!leaks_token(response, ec.message()));
            BOOST_TEST(client.connections_opened() == 0u);
        }
    }
    BOOST_TEST(server.connections_accepted() == 0u);
}

BOOST_AUTO_TEST_CASE(plain_http_server) {
    local_https_server server([](const received_request&) { return scripted_reply::json(success_body()); },
                              local_https_server::config{false, "localhost"});
    asio::io_context io;
    auto options = options_for(server);
    options.tls.extra_ca_pem.clear();
    genauth::authentication_client client(io, options);
    auto response = run(io, [&]() -> asio::awaitable<genauth::enroll_factor_response> {
        co_return co_await client.async_enroll_factor(sms_request());
    }());
    BOOST_TEST(response.status_code == 200);
    BOOST_TEST(server.requests_received() == 1u);
}

BOOST_AUTO_TEST_CASE(genauth_header_prefix_and_lang) {
    local_https_server server([](const received_request&) { return scripted_reply::json(success_body()); });
    asio::io_context io;
    auto options = options_for(server);
    options.header_prefix = genauth::header_prefix::genauth;
    options.lang = "zh-CN";
    options.access_token = "Bearer " + secret_token;
    genauth::authentication_client client(io, options);
    run(io, [&]() -> asio::awaitable<genauth::enroll_factor_response> {
        co_return co_await client.async_enroll_factor(sms_request());
    }());
    const auto r = server.requests().at(0);
    BOOST_TEST(r.header("x-genauth-app-id") == "app-1");
    BOOST_TEST(r.header("x-genauth-lang") == "zh-CN");
    BOOST_TEST(!r.has_header("x-authing-app-id"));
    BOOST_TEST(r.header("authorization") == "Bearer " + secret_token);
}

BOOST_AUTO_TEST_SUITE_END()
