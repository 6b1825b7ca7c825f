// The whole MFA factor lifecycle through the fake GenAuth server over TLS: every operation's
// success and each documented failure.
#include "common.hpp"

#include <genauth/testing/fake_genauth_server.hpp>
#include <genauth/totp.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

using namespace e2e;
using genauth::testing::fake_genauth_server;
namespace json = boost::json;

namespace {

const std::string user_token = "USER-TOKEN-" + secret_token;

// One server, one io_context and one client per test; helpers run one call to completion.
struct lifecycle_fixture {
    fake_genauth_server server;
    asio::io_context io;
    genauth::authentication_client client;

    lifecycle_fixture() : client(io, make_options()) {}

    genauth::client_options make_options() {
        server.add_user(user_token, "alice@example.com");
        return server.client_options_for(user_token);
    }

    // Runs `op` (a function returning a deferred-style operation taking a token) to completion.
    template <class Response, class Start>
    std::tuple<genauth::error_code, Response> call(Start start) {
        return run(io, [&]() -> asio::awaitable<std::tuple<genauth::error_code, Response>> {
            co_return co_await start(tuple_awaitable);
        }());
    }

    auto send(genauth::send_enroll_factor_request_params p) {
        return call<genauth::send_enroll_factor_request_response>(
            [&](auto token) { return client.async_send_enroll_factor_request(p, token); });
    }
    auto enroll(genauth::enroll_factor_request r) {
        return call<genauth::enroll_factor_response>([&](auto token) { return client.async_enroll_factor(r, token); });
    }
    auto list() {
        return call<genauth::list_enrolled_factors_response>(
            [&](auto token) { return client.async_list_enrolled_factors(token); });
    }
    auto get(std::string id) {
        return call<genauth::get_factor_response>(
            [&](auto token) { return client.async_get_factor(genauth::get_factor_request{id}, token); });
    }
    auto reset(std::string id) {
        return call<genauth::reset_factor_response>(
            [&](auto token) { return client.async_reset_factor(genauth::reset_factor_request{id}, token); });
    }
    auto to_enroll() {
        return call<genauth::list_factors_to_enroll_response>(
            [&](auto token) { return client.async_list_factors_to_enroll(token); });
    }
    auto verify(std::string code) {
        return call<genauth::mfa_otp_verify_response>(
            [&](auto token) { return client.async_mfa_otp_verify(genauth::mfa_otp_verify_request{code}, token); });
    }

    static genauth::send_enroll_factor_request_params sms(std::string phone = "18800000001") {
        genauth::send_enroll_factor_request_params p;
        p.factor_type = genauth::factor_type::sms;
        p.profile.phone_number = std::move(phone);
        p.profile.phone_country_code = "+86";
        return p;
    }

    static genauth::enroll_factor_request enrollment(genauth::factor_type type, std::string token, std::string code) {
        genauth::enroll_factor_request r;
        r.factor_type = type;
        r.enrollment_token = std::move(token);
        r.enrollment_data.pass_code = std::move(code);
        return r;
    }

    // The code the server last sent to `recipient`, which must exist (never an empty optional
    // dereferenced).
    std::string code_for(const std::string& recipient) {
        const auto code = server.last_code_for(recipient);
        BOOST_TEST_REQUIRE(code.has_value(), "no code was sent to " + recipient);
        return *code;
    }

    // Starts and finishes an SMS enrollment; returns the factor id.
    std::string bind_sms(std::string phone = "18800000001") {
        auto [ec, started] = send(sms(phone));
        BOOST_TEST_REQUIRE(!ec, ec.message());
        auto [ec2, done] =
            enroll(enrollment(genauth::factor_type::sms, started.data.enrollment_token, code_for(phone)));
        BOOST_TEST_REQUIRE(!ec2, ec2.message());
        auto [ec3, listed] = list();
        BOOST_TEST_REQUIRE(!ec3, ec3.message());
        BOOST_TEST_REQUIRE(listed.data.size() >= 1u);
        return listed.data.back().factor_id;
    }
};

bool is_api(const genauth::error_code& ec, int status) { return ec == genauth::make_api_error_code(status); }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(test_lifecycle, lifecycle_fixture)

BOOST_AUTO_TEST_CASE(sms_factor_from_start_to_reset) {
    auto [ec0, before] = to_enroll();
    BOOST_TEST_REQUIRE(!ec0);
    BOOST_TEST(before.data.size() == 4u);

    auto [ec1, started] = send(sms());
    BOOST_TEST_REQUIRE(!ec1, ec1.message());
    BOOST_TEST(!started.data.enrollment_token.empty());
    BOOST_TEST(!started.data.otp_data.has_value());
    const auto outbox = server.outbox();
    BOOST_TEST_REQUIRE(outbox.size() == 1u);
    BOOST_TEST(outbox[0].channel == "sms");
    BOOST_TEST(outbox[0].code.size() == 6u);

    auto [ec2, enrolled] = enroll(enrollment(genauth::factor_type::sms, started.data.enrollment_token, outbox[0].code));
    BOOST_TEST_REQUIRE(!ec2, ec2.message() + " " + enrolled.message);
    BOOST_TEST(enrolled.status_code == 200);

    auto [ec3, listed] = list();
    BOOST_TEST_REQUIRE(!ec3);
    BOOST_TEST_REQUIRE(listed.data.size() == 1u);
    const auto& f = listed.data[0];
    BOOST_TEST(f.factor_id.size() == 24u);
    BOOST_TEST((f.factor_type == genauth::factor_type::sms));
    BOOST_TEST(f.profile.at("phoneNumber").as_string() == "18800000001");

    auto [ec4, got] = get(f.factor_id);
    BOOST_TEST_REQUIRE(!ec4, ec4.message());
    BOOST_TEST((got.data == f));

    auto [ec5, after] = to_enroll();
    BOOST_TEST_REQUIRE(!ec5, ec5.message());
    BOOST_TEST(after.data.size() == 3u);
    for (const auto& t : after.data) BOOST_TEST((t.factor_type != genauth::factor_type::sms));

    auto [ec6, reset_result] = reset(f.factor_id);
    BOOST_TEST(!ec6, ec6.message());
    auto [ec7, empty] = list();
    BOOST_TEST_REQUIRE(!ec7, ec7.message());  // a failed list is empty too: the reset shows only after a success
    BOOST_TEST(empty.data.empty());
}

BOOST_AUTO_TEST_CASE(email_factor) {
    genauth::send_enroll_factor_request_params p;
    p.factor_type = genauth::factor_type::email;
    p.profile.email = "alice@example.com";
    auto [ec, started] = send(p);
    BOOST_TEST_REQUIRE(!ec, ec.message());
    const auto code = server.last_code_for("alice@example.com");
    BOOST_TEST_REQUIRE(code.has_value());
    auto [ec2, r] = enroll(enrollment(genauth::factor_type::email, started.data.enrollment_token, *code));
    BOOST_TEST(!ec2, ec2.message());
    auto [ec3, listed] = list();
    BOOST_TEST_REQUIRE(!ec3, ec3.message());
    BOOST_TEST_REQUIRE(listed.data.size() == 1u);
    BOOST_TEST(listed.data.at(0).profile.at("email").as_string() == "alice@example.com");
}

BOOST_AUTO_TEST_CASE(otp_factor_with_real_totp) {
    genauth::send_enroll_factor_request_params p;
    p.factor_type = genauth::factor_type::otp;
    auto [ec, started] = send(p);
    BOOST_TEST_REQUIRE(!ec, ec.message());
    BOOST_TEST_REQUIRE(started.data.otp_data.has_value());
    const auto& otp = *started.data.otp_data;
    BOOST_TEST(otp.qr_code_data_url.rfind("data:image/png;base64,", 0) == 0u);
    BOOST_TEST(otp.recovery_code.size() == 29u);  // six groups of four hex digits

    genauth::totp::key_uri key;
    std::string why;
    BOOST_TEST_REQUIRE(!genauth::totp::parse_key_uri(otp.qr_code_uri, key, &why), why);
    BOOST_TEST(key.account == "alice@example.com");
    BOOST_TEST(key.params.secret.size() == 20u);

    // A wrong code first: apiCode 6001, and the enrollment token stays usable.
    const auto right = genauth::totp::code_at(key.params, server.now());
    const std::string wrong = right == "000000" ? "111111" : "000000";
    auto [bad_ec, bad] = enroll(enrollment(genauth::factor_type::otp, started.data.enrollment_token, wrong));
    BOOST_TEST(is_api(bad_ec, 400));
    BOOST_TEST(bad.api_code.value_or(0) == 6001);

    auto [ec2, r] = enroll(enrollment(genauth::factor_type::otp, started.data.enrollment_token, right));
    BOOST_TEST_REQUIRE(!ec2, ec2.message() + " " + r.message);

    auto [ec3, verified] = verify(genauth::totp::code_at(key.params, server.now()));
    BOOST_TEST(!ec3, ec3.message());
    BOOST_TEST(verified.data.verified);

    auto [ec4, rejected] = verify(wrong);
    BOOST_TEST(is_api(ec4, 400));
    BOOST_TEST(rejected.api_code.value_or(0) == 6001);

    // Codes follow the server's clock, which tests move instead of sleeping.
    server.advance_clock(std::chrono::minutes(5));
    auto [ec5, stale] = verify(right);
    BOOST_TEST(is_api(ec5, 400));
    BOOST_TEST(stale.api_code.value_or(0) == 6001);
    auto [ec6, fresh] = verify(genauth::totp::code_at(key.params, server.now()));
    BOOST_TEST(!ec6);
}

BOOST_AUTO_TEST_CASE(face_factor) {
    genauth::send_enroll_factor_request_params p;
    p.factor_type = genauth::factor_type::face;
    auto [ec, started] = send(p);
    BOOST_TEST_REQUIRE(!ec);
    genauth::enroll_factor_request r;
    r.factor_type = genauth::factor_type::face;
    r.enrollment_token = started.data.enrollment_token;
    r.enrollment_data.photo = "https://files.example.com/face.png";
    r.enrollment_data.is_external_photo = true;
    auto [ec2, done] = enroll(r);
    BOOST_TEST(!ec2, ec2.message());
    auto [ec3, again] = send(p);
    BOOST_TEST(is_api(ec3, 409));
    BOOST_TEST(again.api_code.value_or(0) == 1706);
}

BOOST_AUTO_TEST_CASE(unknown_access_token_is_401) {
    auto options = server.client_options_for("nobody");
    genauth::authentication_client stranger(io, options);
    auto [ec, r] = run(io, stranger.async_list_enrolled_factors(tuple_awaitable));
    BOOST_TEST(is_api(ec, 401));
    BOOST_TEST(r.api_code.value_or(0) == 2020);
}

BOOST_AUTO_TEST_CASE(wrong_sms_code) {
    auto [ec, started] = send(sms());
    BOOST_TEST_REQUIRE(!ec, ec.message());
    const auto code = code_for("18800000001");
    const std::string wrong = code == "000000" ? "111111" : "000000";
    auto [ec2, r] = enroll(enrollment(genauth::factor_type::sms, started.data.enrollment_token, wrong));
    BOOST_TEST(is_api(ec2, 400));
    BOOST_TEST(r.api_code.value_or(0) == 2001);
    BOOST_TEST(!r.request_id.value_or("").empty());
}

BOOST_AUTO_TEST_CASE(expired_enrollment_token) {
    auto [ec, started] = send(sms());
    BOOST_TEST_REQUIRE(!ec, ec.message());
    server.advance_clock(std::chrono::seconds(61));
    auto [ec2, r] =
        enroll(enrollment(genauth::factor_type::sms, started.data.enrollment_token, code_for("18800000001")));
    BOOST_TEST(is_api(ec2, 400));
    BOOST_TEST(r.api_code.value_or(0) == 2300);
    BOOST_TEST(r.message.find("expired") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(reused_enrollment_token) {
    auto [ec, started] = send(sms());
    BOOST_TEST_REQUIRE(!ec, ec.message());
    const auto request = enrollment(genauth::factor_type::sms, started.data.enrollment_token, code_for("18800000001"));
    auto [ec1, first] = enroll(request);
    BOOST_TEST_REQUIRE(!ec1);
    auto [ec2, second] = enroll(request);
    BOOST_TEST(is_api(ec2, 400));
    BOOST_TEST(second.message.find("used") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unknown_enrollment_token) {
    auto [ec, r] = enroll(enrollment(genauth::factor_type::sms, "not-a-token", "123456"));
    BOOST_TEST(is_api(ec, 400));
    BOOST_TEST(r.api_code.value_or(0) == 2300);
}

BOOST_AUTO_TEST_CASE(second_sms_within_a_minute_is_throttled) {
    auto [ec1, first] = send(sms());
    BOOST_TEST_REQUIRE(!ec1);
    auto [ec2, second] = send(sms());
    BOOST_TEST(is_api(ec2, 429));
    BOOST_TEST((ec2 == genauth::condition::api_error));
    server.advance_clock(std::chrono::seconds(61));
    auto [ec3, third] = send(sms());
    BOOST_TEST(!ec3, ec3.message());
    BOOST_TEST(server.outbox().size() == 2u);
}

BOOST_AUTO_TEST_CASE(factor_already_bound) {
    bind_sms();
    server.advance_clock(std::chrono::seconds(61));
    auto [ec, r] = send(sms("18800000002"));
    BOOST_TEST(is_api(ec, 409));
}

BOOST_AUTO_TEST_CASE(unknown_factor_id_is_404_and_query_is_encoded) {
    const auto id = bind_sms();
    auto [ec1, r1] = get("no-such-factor");
    BOOST_TEST(is_api(ec1, 404));
    auto [ec2, r2] = reset("no-such-factor");
    BOOST_TEST(is_api(ec2, 404));
    // Characters that would break a naive query string reach the server intact (then 404).
    auto [ec3, r3] = get(id + "&factorId=x y/é#");
    BOOST_TEST(is_api(ec3, 404));
    auto [ec4, r4] = get(id);
    BOOST_TEST(!ec4);
}

BOOST_AUTO_TEST_CASE(verify_without_otp_factor) {
    auto [ec, r] = verify("123456");
    BOOST_TEST(is_api(ec, 400));
    BOOST_TEST(r.api_code.value_or(0) == 6003);
}

BOOST_AUTO_TEST_CASE(client_side_checks_before_any_io) {
    genauth::send_enroll_factor_request_params no_phone;
    no_phone.factor_type = genauth::factor_type::sms;
    BOOST_TEST((std::get<0>(send(no_phone)) == genauth::errc::missing_phone_number));
    genauth::send_enroll_factor_request_params no_email;
    no_email.factor_type = genauth::factor_type::email;
    BOOST_TEST((std::get<0>(send(no_email)) == genauth::errc::missing_email));
    BOOST_TEST((std::get<0>(get("")) == genauth::errc::missing_factor_id));
    BOOST_TEST((std::get<0>(reset("")) == genauth::errc::missing_factor_id));
    BOOST_TEST((std::get<0>(verify("")) == genauth::errc::missing_totp));
    BOOST_TEST(server.requests_received() == 0u);
}

BOOST_AUTO_TEST_CASE(server_answers_bad_input_with_envelopes_and_never_crashes) {
    genauth::testing::received_request r;
    r.method = "POST";
    r.headers.emplace_back("authorization", "Bearer " + user_token);
    const char* bodies[] = {
        "",
        "{",
        "[]",
        "null",
        "{\"factorType\":1}",
        "{\"factorType\":\"XYZ\"}",
        "{\"factorType\":\"SMS\",\"profile\":[]}",
        "\"\\ud800\"",
        "{\"enrollmentToken\":{}}",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"};
    for (const char* path : {"/api/v3/send-enroll-factor-request", "/api/v3/enroll-factor", "/api/v3/reset-factor",
                             "/api/v3/mfa-totp-verify"}) {
        for (const char* body : bodies) {
            BOOST_TEST_CONTEXT(path << " " << body) {
                r.target = path;
                r.body = body;
                const auto reply = server.handle(r);
                const auto jv = json::parse(reply.body);
                BOOST_TEST(jv.at("statusCode").as_int64() == 400);
            }
        }
    }
    r.target = "/api/v3/get-factor?factorId=%zz";
    r.method = "GET";
    BOOST_TEST(json::parse(server.handle(r).body).at("statusCode").as_int64() == 400);
    r.target = "/nowhere";
    BOOST_TEST(server.handle(r).status == 404u);
}

BOOST_AUTO_TEST_CASE(a_newer_servers_factor_type_does_not_break_the_lists) {
    fake_genauth_server::config cfg;
    cfg.extra_factor_type = "WEBAUTHN";
    fake_genauth_server server(cfg);
    server.add_user(user_token);
    asio::io_context io;
    genauth::authentication_client client(io, server.client_options_for(user_token));
    auto [ec1, to_enroll] = run(io, client.async_list_factors_to_enroll(tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec1, ec1.message() + " " + to_enroll.diag.detail);
    BOOST_TEST(to_enroll.data.size() == 5u);  // the four known types and the new one
    BOOST_TEST((to_enroll.data.back().factor_type == genauth::factor_type::unknown));
    BOOST_TEST(to_enroll.data.back().factor_type_name == "WEBAUTHN");
    auto [ec2, enrolled] = run(io, client.async_list_enrolled_factors(tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec2, ec2.message() + " " + enrolled.diag.detail);
    BOOST_TEST_REQUIRE(enrolled.data.size() == 1u);
    BOOST_TEST(enrolled.data[0].factor_id == "extra-factor");
    BOOST_TEST(enrolled.data[0].factor_type_name == "WEBAUTHN");
}

BOOST_AUTO_TEST_CASE(send_sms_send_email_and_verify_mfa_token) {
    fake_genauth_server server;
    server.add_user(user_token, "alice@example.com");
    asio::io_context io;
    genauth::authentication_client client(io, server.client_options_for(user_token));

    genauth::send_sms_request sms;
    sms.channel = genauth::sms_channel::verify_mfa;
    sms.phone_number = "18800000001";
    auto [ec1, r1] = run(io, client.async_send_sms(sms, tuple_awaitable));
    BOOST_TEST(!ec1, ec1.message());
    BOOST_TEST(r1.status_code == 200);
    BOOST_TEST(server.last_code_for("18800000001").has_value());
    auto [ec2, r2] = run(io, client.async_send_sms(sms, tuple_awaitable));  // same number and purpose at once
    BOOST_TEST((ec2 == genauth::make_api_error_code(429)));

    const genauth::send_email_request email{genauth::email_channel::verify_mfa, "alice@example.com"};
    auto [ec3, r3] = run(io, client.async_send_email(email, tuple_awaitable));
    BOOST_TEST(!ec3, ec3.message());
    BOOST_TEST(server.last_code_for("alice@example.com").has_value());
    genauth::send_sms_request no_number;
    auto [ec4, r4] = run(io, client.async_send_sms(no_number, tuple_awaitable));
    BOOST_TEST((ec4 == genauth::errc::missing_phone_number));

    const genauth::verify_mfa_token_request valid{server.issue_mfa_token(user_token)};
    auto [ec5, r5] = run(io, client.async_verify_mfa_token(valid, tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec5, ec5.message() + " " + r5.diag.detail);
    BOOST_TEST(r5.data.active);
    BOOST_TEST(r5.data.user_id.value_or("") == "alice@example.com");
    BOOST_TEST(r5.data.exp.has_value());
    const genauth::verify_mfa_token_request unknown{"mfa-not-issued"};
    auto [ec6, r6] = run(io, client.async_verify_mfa_token(unknown, tuple_awaitable));
    BOOST_TEST(!ec6);
    BOOST_TEST(!r6.data.active);
    server.advance_clock(std::chrono::seconds(601));
    auto [ec7, r7] = run(io, client.async_verify_mfa_token(valid, tuple_awaitable));
    BOOST_TEST(!ec7);
    BOOST_TEST(!r7.data.active);                   // expired
    BOOST_TEST(server.requests_received() == 6u);  // the input error never left
}

BOOST_AUTO_TEST_SUITE_END()
