// MFA at sign-in (mfa_challenge_client): each call's bytes against what the official JavaScript
// SDK sends (shared/reference/genauth-mfa-challenge.md), and the sign-in flows through the fake
// server after binding factors with the V3 calls.
#include "../support/leaks.hpp"
#include "../support/token_echo.hpp"
#include "common.hpp"

#include <genauth/testing/fake_genauth_server.hpp>
#include <genauth/totp.hpp>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <functional>
#include <set>
#include <string>
#include <vector>

using namespace e2e;
using genauth::testing::fake_genauth_server;
using genauth::testing::local_https_server;
using genauth::testing::received_request;
using genauth::testing::scripted_reply;

namespace {

const std::string mfa_token = "MFA-TOKEN-7d2b9e41c0";

bool is_api(const genauth::error_code& ec, int value) { return ec == genauth::make_api_error_code(value); }

// One call of the handle, its error kept; the response discarded (the row checks the wire).
using start_call = std::function<asio::awaitable<genauth::error_code>(const genauth::mfa_challenge_client&)>;

template <class Start>
start_call make_start(Start start) {
    return [start](const genauth::mfa_challenge_client& c) -> asio::awaitable<genauth::error_code> {
        auto [ec, response] = co_await start(c);
        co_return ec;
    };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_mfa_challenge)

// Method, path, query and body of each call, byte for byte as authing-js-sdk 4.23.55 sends them
// (scripts/capture-js-challenge.js prints them from the SDK itself; the reference's table
// agrees), the mfaToken as the bearer (the SDK's confirm call leaves it out: a bug not copied),
// the SDK's header names; each answer decoded from the shape its SDK types give.
BOOST_AUTO_TEST_CASE(each_call_goes_on_the_wire_as_the_js_sdk_sends_it) {
    struct row {
        const char* name;
        start_call start;
        const char* method;
        const char* target;
        const char* body;  // exact bytes
        const char* data;  // the answer's data
        bool v3 = false;   // the WebAuthn calls answer V3's envelope
    };
    const char* user = R"({"id":"u-1","token":"USER-ACCESS-TOKEN-1","tokenExpiredAt":"2027-01-01T00:00:00.000Z"})";
    const std::vector<row> rows = {
        {"verify totp", make_start([](const auto& c) { return c.async_verify_totp({"123456"}, tuple_awaitable); }),
         "POST", "/api/v2/mfa/totp/verify", R"({"totp":"123456"})", user},
        {"verify sms", make_start([](const auto& c) {
             return c.async_verify_sms({"13800000000", "1234", "+86"}, tuple_awaitable);
         }),
         "POST", "/api/v2/applications/mfa/sms/verify",
         R"({"phone":"13800000000","code":"1234","phoneCountryCode":"+86"})", user},
        {"verify sms, no country code", make_start([](const auto& c) {
             return c.async_verify_sms({"13800000000", "1234", {}}, tuple_awaitable);
         }),
         "POST", "/api/v2/applications/mfa/sms/verify", R"({"phone":"13800000000","code":"1234"})", user},
        {"verify email", make_start([](const auto& c) {
             return c.async_verify_email({"a@example.com", "5678"}, tuple_awaitable);
         }),
         "POST", "/api/v2/applications/mfa/email/verify", R"({"email":"a@example.com","code":"5678"})", user},
        {"recovery code",
         make_start([](const auto& c) { return c.async_verify_recovery_code({"abcd-efgh"}, tuple_awaitable); }), "POST",
         "/api/v2/mfa/totp/recovery", R"({"recoveryCode":"abcd-efgh"})", user},
        {"face", make_start([](const auto& c) { return c.async_verify_face({"face-photo/key.jpg"}, tuple_awaitable); }),
         "POST", "/api/v2/mfa/face/verify", R"({"photo":"face-photo/key.jpg"})", user},
        {"bindable", make_start([](const auto& c) {
             return c.async_check_bindable({"13800000000", {}}, tuple_awaitable);
         }),
         "POST", "/api/v2/applications/mfa/check", R"({"phone":"13800000000"})", "true"},
        {"associate",
         make_start([](const auto& c) { return c.async_associate_totp({"APPLICATION"}, tuple_awaitable); }), "POST",
         "/api/v2/mfa/totp/associate", R"({"authenticator_type":"totp","source":"APPLICATION"})",
         R"({"authenticator_type":"totp","secret":"JBSWY3DPEHPK3PXP","qrcode_uri":"otpauth://totp/a?secret=JBSWY3DPEHPK3PXP","qrcode_data_url":"data:image/png;base64,AA","recovery_code":"r-1"})"},
        {"confirm association", make_start([](const auto& c) {
             return c.async_confirm_totp_association({"123456", "APPLICATION"}, tuple_awaitable);
         }),
         "POST", "/api/v2/mfa/totp/associate/confirm",
         R"({"authenticator_type":"totp","totp":"123456","source":"APPLICATION"})", "null"},
        {"authenticators", make_start([](const auto& c) {
             return c.async_list_authenticators({"totp", "APPLICATION"}, tuple_awaitable);
         }),
         "GET", "/api/v2/mfa/authenticator?type=totp&source=APPLICATION", "",
         R"([{"id":"a-1","createdAt":"2026-01-01","updatedAt":"2026-01-02","userId":"u-1","enable":true,"secret":"S","authenticatorType":"totp","recoveryCode":"r"}])"},
        {"webauthn bind", make_start([](const auto& c) { return c.async_webauthn_bind_initialize(tuple_awaitable); }),
         "POST", "/api/v3/webauthn/mfa-bind/initialize", "{}", R"({"challenge":"c"})", true},
        {"webauthn verify",
         make_start([](const auto& c) { return c.async_webauthn_verify_initialize(tuple_awaitable); }), "POST",
         "/api/v3/webauthn/mfa-verify/initialize", "{}", R"({"challenge":"c"})", true},
    };
    for (const auto& r : rows) {
        BOOST_TEST_CONTEXT(r.name) {
            local_https_server server([&](const received_request&) {
                return scripted_reply::json(r.v3 ? std::string(R"({"statusCode":200,"message":"ok","data":)") + r.data +
                                                       "}"
                                                 : std::string(R"({"code":200,"message":"","data":)") + r.data + "}");
            });
            auto options = options_for(server);
            options.access_token.clear();  // an application's client: the handle brings the mfaToken
            options.lang = "zh-CN";
            asio::io_context io;
            genauth::authentication_client app(io, options);
            const auto challenge = app.with_mfa_token(mfa_token);
            const auto ec = run(io, r.start(challenge));
            BOOST_TEST(!ec, ec.message());
            BOOST_TEST_REQUIRE(server.requests().size() == 1u);
            const auto requests = server.requests();
            const auto& got = requests[0];
            BOOST_TEST(got.method == r.method);
            BOOST_TEST(got.target == r.target);
            BOOST_TEST(got.body == r.body);
            BOOST_TEST(got.header("authorization") == "Bearer " + mfa_token);
            // Every header the JS SDK sends (scripts/capture-js-challenge.js lists them: its
            // `connection` aside, and x-authing-userpool-id only when one is set).
            for (const char* name : {"host", "user-agent", "accept", "x-authing-app-id", "x-authing-request-from",
                                     "x-authing-sdk-version", "x-authing-lang", "authorization"})
                BOOST_TEST(got.has_header(name), name);
            if (std::string(r.method) == "POST") BOOST_TEST(got.has_header("content-length"));
            BOOST_TEST(got.header("x-authing-app-id") == "app-1");
            BOOST_TEST(got.header("x-authing-lang") == "zh-CN");
            if (std::string(r.method) == "POST") BOOST_TEST(got.header("content-type") == "application/json");
        }
    }
}

BOOST_AUTO_TEST_CASE(answers_are_decoded_with_v2s_envelope) {
    local_https_server server([](const received_request& r) {
        if (r.target == "/api/v2/mfa/totp/verify")
            return scripted_reply::json(
                R"({"code":200,"message":"","data":{"id":"u-1","token":"T-1","tokenExpiredAt":"2027-01-01T00:00:00.000Z",)"
                R"("username":"alice","email":"a@example.com","phone":"13800000000","nickname":"Al","photo":"https://p/x.png",)"
                R"("unknownMember":{"ignored":true}}})");
        if (r.target == "/api/v2/applications/mfa/check")
            return scripted_reply::json(R"({"code":200,"message":"","data":false})");
        // V2 errors: HTTP 200, a code other than 200, no apiCode, no requestId.
        return scripted_reply::json(R"({"code":6001,"message":"security code wrong","data":null})");
    });
    asio::io_context io;
    genauth::authentication_client app(io, options_for(server));
    const auto challenge = app.with_mfa_token(mfa_token);

    auto [ec, passed] = run(io, challenge.async_verify_totp({"123456"}, tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec, ec.message() + " " + passed.diag.detail);
    BOOST_TEST(passed.status_code == 200);  // V2's `code`
    BOOST_TEST(!passed.api_code.has_value());
    BOOST_TEST(!passed.request_id.has_value());
    BOOST_TEST(passed.data.id == "u-1");
    BOOST_TEST(passed.data.token == "T-1");
    BOOST_TEST(passed.data.token_expired_at.value_or("") == "2027-01-01T00:00:00.000Z");
    BOOST_TEST(passed.data.username.value_or("") == "alice");
    BOOST_TEST(passed.data.email.value_or("") == "a@example.com");
    BOOST_TEST(passed.data.phone.value_or("") == "13800000000");
    BOOST_TEST(passed.data.nickname.value_or("") == "Al");
    BOOST_TEST(passed.data.photo.value_or("") == "https://p/x.png");

    auto [ec2, bindable] = run(io, challenge.async_check_bindable({{}, "a@example.com"}, tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec2, ec2.message());
    BOOST_TEST(!bindable.data);

    auto [ec3, refused] = run(io, challenge.async_verify_recovery_code({"abcd"}, tuple_awaitable));
    BOOST_TEST(is_api(ec3, 6001));
    BOOST_TEST((ec3 == genauth::condition::api_error));
    BOOST_TEST(refused.status_code == 6001);
    BOOST_TEST(refused.message == "security code wrong");
}

BOOST_AUTO_TEST_CASE(bad_input_and_a_bad_mfa_token_fail_before_any_io) {
    local_https_server server([](const received_request&) { return scripted_reply::json(R"({"code":200})"); });
    asio::io_context io;
    genauth::authentication_client app(io, options_for(server));
    const auto challenge = app.with_mfa_token(mfa_token);
    using genauth::errc;
    const struct {
        const char* name;
        start_call start;
        errc expected;
    } rows[] = {
        {"totp", make_start([](const auto& c) { return c.async_verify_totp({""}, tuple_awaitable); }),
         errc::missing_totp},
        {"sms phone", make_start([](const auto& c) {
             return c.async_verify_sms({"", "1", {}}, tuple_awaitable);
         }),
         errc::missing_phone_number},
        {"sms code", make_start([](const auto& c) {
             return c.async_verify_sms({"138", "", {}}, tuple_awaitable);
         }),
         errc::missing_code},
        {"email", make_start([](const auto& c) {
             return c.async_verify_email({"", "1"}, tuple_awaitable);
         }),
         errc::missing_email},
        {"email code", make_start([](const auto& c) {
             return c.async_verify_email({"a@b", ""}, tuple_awaitable);
         }),
         errc::missing_code},
        {"recovery", make_start([](const auto& c) { return c.async_verify_recovery_code({""}, tuple_awaitable); }),
         errc::missing_recovery_code},
        {"face", make_start([](const auto& c) { return c.async_verify_face({""}, tuple_awaitable); }),
         errc::missing_photo},
        {"bindable", make_start([](const auto& c) {
             return c.async_check_bindable({{}, ""}, tuple_awaitable);
         }),
         errc::missing_phone_or_email},
        {"confirm", make_start([](const auto& c) {
             return c.async_confirm_totp_association({"", {}}, tuple_awaitable);
         }),
         errc::missing_totp},
        {"authenticators", make_start([](const auto& c) {
             return c.async_list_authenticators({"", {}}, tuple_awaitable);
         }),
         errc::invalid_factor_type},
    };
    for (const auto& r : rows) {
        BOOST_TEST_CONTEXT(r.name) {
            const auto ec = run(io, r.start(challenge));
            BOOST_TEST((ec == r.expected), ec.message());
            BOOST_TEST((ec == genauth::condition::invalid_argument));
        }
    }
    const auto no_token = app.with_mfa_token("");
    BOOST_TEST((run(io, make_start([](const auto& c) { return c.async_verify_totp({"123456"}, tuple_awaitable); })(
                            no_token)) == errc::missing_mfa_token));
    const auto smuggling = app.with_mfa_token("t\r\nX-Evil: 1");
    BOOST_TEST((run(io, make_start([](const auto& c) { return c.async_verify_totp({"123456"}, tuple_awaitable); })(
                            smuggling)) == errc::invalid_header_value));
    const auto bad_ip = app.with_mfa_token(mfa_token, "10.0.0.1\r\nX-Evil: 1");
    BOOST_TEST((run(io, make_start([](const auto& c) { return c.async_verify_totp({"123456"}, tuple_awaitable); })(
                            bad_ip)) == errc::invalid_real_ip));
    BOOST_TEST(server.requests().empty());
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

const std::string alice_token = "ALICE-ACCESS-TOKEN-" + secret_token;

// A fake GenAuth, the application's client (no token of its own, an observer recording every
// operation) and Alice's V3 handle, to bind factors before she signs in.
struct sign_in_fixture {
    fake_genauth_server server;
    asio::io_context io;
    struct logged {
        std::string path, request_id;
    };
    std::vector<logged> records;  // what an operator would log (the record's views copied)
    genauth::authentication_client app;
    genauth::authentication_client alice;

    sign_in_fixture() : app(io, make_options()), alice(app.with_access_token(alice_token)) {}

    genauth::client_options make_options() {
        server.add_user(alice_token, "alice@example.com");
        auto o = server.client_options_for("");
        o.observer = [this](const genauth::operation_record& r) {
            records.push_back({std::string(r.path), std::string(r.request_id)});
        };
        return o;
    }

    // The otpauth parameters and the recovery code of a newly bound OTP factor.
    std::pair<genauth::totp::parameters, std::string> bind_otp() {
        genauth::send_enroll_factor_request_params p;
        p.factor_type = genauth::factor_type::otp;
        auto [ec, started] = run(io, alice.async_send_enroll_factor_request(p, tuple_awaitable));
        BOOST_TEST_REQUIRE(!ec, ec.message());
        BOOST_TEST_REQUIRE(started.data.otp_data.has_value());
        genauth::totp::key_uri key;
        BOOST_TEST_REQUIRE(!genauth::totp::parse_key_uri(started.data.otp_data->qr_code_uri, key));
        enroll(genauth::factor_type::otp, started.data.enrollment_token,
               genauth::totp::code_at(key.params, server.now()));
        return {key.params, started.data.otp_data->recovery_code};
    }

    // Binds an SMS (`phone`) or EMAIL (`email`) factor with the code the server sent.
    void bind_code_factor(genauth::factor_type type, const std::string& recipient) {
        genauth::send_enroll_factor_request_params p;
        p.factor_type = type;
        (type == genauth::factor_type::sms ? p.profile.phone_number : p.profile.email) = recipient;
        auto [ec, started] = run(io, alice.async_send_enroll_factor_request(p, tuple_awaitable));
        BOOST_TEST_REQUIRE(!ec, ec.message());
        enroll(type, started.data.enrollment_token, code_for(recipient));
    }

    void enroll(genauth::factor_type type, const std::string& enrollment_token, std::string pass_code) {
        genauth::enroll_factor_request r;
        r.factor_type = type;
        r.enrollment_token = enrollment_token;
        r.enrollment_data.pass_code = std::move(pass_code);
        auto [ec, done] = run(io, enroll_call(alice, r));
        BOOST_TEST_REQUIRE(!ec, ec.message());
    }

    std::string code_for(const std::string& recipient) {
        const auto code = server.last_code_for(recipient);
        BOOST_TEST_REQUIRE(code.has_value(), "no code was sent to " + recipient);
        return *code;
    }

    // A sign-in that needs MFA: its mfaToken's handle.
    genauth::mfa_challenge_client sign_in() { return app.with_mfa_token(server.issue_mfa_token(alice_token)); }

    // Whether any text an operator or the caller saw holds a piece of `secret`.
    bool seen_anywhere(const genauth::response_base& r, const std::string& secret) const {
        if (test_support::any_holds_secret({r.message, r.request_id.value_or(""), r.diag.detail, r.diag.body_excerpt},
                                           {secret}))
            return true;
        for (const auto& rec : records)
            if (test_support::holds_secret(rec.request_id, secret) || test_support::holds_secret(rec.path, secret))
                return true;
        return false;
    }
};

// A six-digit code that is not `code`.
std::string other_than(const std::string& code) {
    auto wrong = code;
    wrong[0] = wrong[0] == '9' ? '0' : static_cast<char>(wrong[0] + 1);
    return wrong;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(test_sign_in, sign_in_fixture)

BOOST_AUTO_TEST_CASE(otp_a_wrong_code_is_refused_the_right_one_signs_in_and_ends_the_mfa_token) {
    const auto [params, recovery] = bind_otp();
    const auto mfa = server.issue_mfa_token(alice_token);
    const auto challenge = app.with_mfa_token(mfa);
    const auto code = genauth::totp::code_at(params, server.now());

    auto [ec1, wrong] = run(io, challenge.async_verify_totp({other_than(code)}, tuple_awaitable));
    BOOST_TEST(is_api(ec1, 6001), ec1.message());
    BOOST_TEST(!seen_anywhere(wrong, mfa));

    auto [ec2, passed] = run(io, challenge.async_verify_totp({code}, tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec2, ec2.message() + " " + passed.message);
    BOOST_TEST(passed.data.token == alice_token);  // her access token: the sign-in's result
    BOOST_TEST(passed.data.email.value_or("") == "alice@example.com");
    BOOST_TEST(passed.data.token_expired_at.has_value());

    // The sign-in is complete: the mfaToken is spent.
    auto [ec3, again] = run(io, challenge.async_verify_totp({code}, tuple_awaitable));
    BOOST_TEST(is_api(ec3, 2020), ec3.message());
    BOOST_TEST(!seen_anywhere(again, mfa));
    BOOST_TEST_REQUIRE(!records.empty());
    BOOST_TEST(records.back().path == "/api/v2/mfa/totp/verify");
}

BOOST_AUTO_TEST_CASE(sms_the_code_sent_for_the_challenge_signs_in_once) {
    bind_code_factor(genauth::factor_type::sms, "18800000007");
    const auto first = sign_in();
    auto [ec0, sent] =
        run(io, first.async_send_sms({genauth::sms_channel::verify_mfa, "18800000007", "+86"}, tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec0, ec0.message());
    const auto code = code_for("18800000007");

    auto [ec1, wrong] = run(io, first.async_verify_sms({"18800000007", other_than(code), "+86"}, tuple_awaitable));
    BOOST_TEST(is_api(ec1, 2001), ec1.message());
    auto [ec2, other_phone] = run(io, first.async_verify_sms({"18800000008", code, "+86"}, tuple_awaitable));
    BOOST_TEST(is_api(ec2, 400), ec2.message());
    auto [ec3, passed] = run(io, first.async_verify_sms({"18800000007", code, "+86"}, tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec3, ec3.message() + " " + passed.message);
    BOOST_TEST(passed.data.token == alice_token);

    // A second sign-in cannot use the same code.
    auto [ec4, reused] = run(io, sign_in().async_verify_sms({"18800000007", code, "+86"}, tuple_awaitable));
    BOOST_TEST(is_api(ec4, 2001), ec4.message());
}

BOOST_AUTO_TEST_CASE(email_the_code_sent_for_the_challenge_signs_in) {
    bind_code_factor(genauth::factor_type::email, "alice.mfa@example.com");
    const auto challenge = sign_in();
    auto [ec0, sent] = run(
        io, challenge.async_send_email({genauth::email_channel::verify_mfa, "alice.mfa@example.com"}, tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec0, ec0.message());
    const auto code = code_for("alice.mfa@example.com");
    auto [ec1, wrong] =
        run(io, challenge.async_verify_email({"alice.mfa@example.com", other_than(code)}, tuple_awaitable));
    BOOST_TEST(is_api(ec1, 2001), ec1.message());
    auto [ec2, passed] = run(io, challenge.async_verify_email({"alice.mfa@example.com", code}, tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec2, ec2.message() + " " + passed.message);
    BOOST_TEST(passed.data.token == alice_token);
}

BOOST_AUTO_TEST_CASE(a_recovery_code_signs_in_once) {
    const auto [params, recovery] = bind_otp();
    BOOST_TEST_REQUIRE(!recovery.empty());
    auto [ec1, passed] = run(io, sign_in().async_verify_recovery_code({recovery}, tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec1, ec1.message() + " " + passed.message);
    BOOST_TEST(passed.data.token == alice_token);
    auto [ec2, reused] = run(io, sign_in().async_verify_recovery_code({recovery}, tuple_awaitable));
    BOOST_TEST(is_api(ec2, 6002), ec2.message());
    BOOST_TEST(!seen_anywhere(reused, recovery));
    auto [ec3, wrong] = run(io, sign_in().async_verify_recovery_code({"0000-0000"}, tuple_awaitable));
    BOOST_TEST(is_api(ec3, 6002), ec3.message());
}

BOOST_AUTO_TEST_CASE(face_the_bound_photo_passes_another_does_not) {
    genauth::send_enroll_factor_request_params p;
    p.factor_type = genauth::factor_type::face;
    auto [ec, started] = run(io, alice.async_send_enroll_factor_request(p, tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec, ec.message());
    genauth::enroll_factor_request r;
    r.factor_type = genauth::factor_type::face;
    r.enrollment_token = started.data.enrollment_token;
    r.enrollment_data.photo = "https://files.example.com/alice.png";
    auto [ec0, bound] = run(io, enroll_call(alice, r));
    BOOST_TEST_REQUIRE(!ec0, ec0.message());

    auto [ec1, other] =
        run(io, sign_in().async_verify_face({"https://files.example.com/mallory.png"}, tuple_awaitable));
    BOOST_TEST(is_api(ec1, 6004), ec1.message());
    auto [ec2, passed] = run(io, sign_in().async_verify_face({"https://files.example.com/alice.png"}, tuple_awaitable));
    BOOST_TEST(!ec2, ec2.message());
}

BOOST_AUTO_TEST_CASE(an_expired_or_unknown_mfa_token_is_refused) {
    const auto [params, recovery] = bind_otp();
    const auto challenge = sign_in();
    server.advance_clock(std::chrono::seconds(601));
    auto [ec1, expired] =
        run(io, challenge.async_verify_totp({genauth::totp::code_at(params, server.now())}, tuple_awaitable));
    BOOST_TEST(is_api(ec1, 2020), ec1.message());
    BOOST_TEST(expired.message.find("expired") != std::string::npos);
    const std::string forged = "mfa-0000000000000000";
    auto [ec2, unknown] = run(io, app.with_mfa_token(forged).async_verify_totp({"123456"}, tuple_awaitable));
    BOOST_TEST(is_api(ec2, 2020), ec2.message());
    // Alice's access token is no mfaToken either.
    auto [ec3, wrong_kind] = run(io, app.with_mfa_token(alice_token).async_verify_totp({"123456"}, tuple_awaitable));
    BOOST_TEST(is_api(ec3, 2020), ec3.message());
    BOOST_TEST(!seen_anywhere(wrong_kind, alice_token));
}

BOOST_AUTO_TEST_CASE(a_user_without_otp_associates_an_authenticator_at_sign_in) {
    const auto challenge = sign_in();
    auto [ec1, started] = run(io, challenge.async_associate_totp({"APPLICATION"}, tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec1, ec1.message() + " " + started.message);
    BOOST_TEST(started.data.authenticator_type == "totp");
    genauth::totp::key_uri key;
    BOOST_TEST_REQUIRE(!genauth::totp::parse_key_uri(started.data.qrcode_uri, key));
    BOOST_TEST(genauth::totp::base32_encode(key.params.secret) == started.data.secret);

    const auto code = genauth::totp::code_at(key.params, server.now());
    auto [ec2, wrong] = run(io, challenge.async_confirm_totp_association({other_than(code), {}}, tuple_awaitable));
    BOOST_TEST(is_api(ec2, 6001), ec2.message());
    auto [ec3, confirmed] = run(io, challenge.async_confirm_totp_association({code, "APPLICATION"}, tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec3, ec3.message() + " " + confirmed.message);

    auto [ec4, listed] = run(io, challenge.async_list_authenticators({}, tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec4, ec4.message());
    BOOST_TEST_REQUIRE(listed.data.size() == 1u);
    BOOST_TEST(listed.data[0].secret.value_or("") == started.data.secret);
    BOOST_TEST(listed.data[0].recovery_code.value_or("") == started.data.recovery_code);

    // The V3 side sees the new factor, and the code signs in.
    auto [ec5, factors] = run(io, alice.async_list_enrolled_factors(tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec5);
    BOOST_TEST_REQUIRE(factors.data.size() == 1u);
    BOOST_TEST((factors.data[0].factor_type == genauth::factor_type::otp));
    auto [ec6, passed] = run(io, challenge.async_verify_totp({code}, tuple_awaitable));
    BOOST_TEST(!ec6, ec6.message());
}

BOOST_AUTO_TEST_CASE(bindable_is_false_for_another_users_phone) {
    bind_code_factor(genauth::factor_type::sms, "18800000009");
    const std::string bob_token = "BOB-ACCESS-TOKEN-0123456789";
    server.add_user(bob_token, "bob@example.com");
    const auto bob = app.with_mfa_token(server.issue_mfa_token(bob_token));
    auto [ec1, taken] = run(io, bob.async_check_bindable({"18800000009", {}}, tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec1, ec1.message());
    BOOST_TEST(!taken.data);
    auto [ec2, free] = run(io, bob.async_check_bindable({"18800000010", "bob.new@example.com"}, tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec2, ec2.message());
    BOOST_TEST(free.data);
}

BOOST_AUTO_TEST_CASE(webauthn_initialize_answers_the_options_for_the_browser) {
    const auto challenge = sign_in();
    auto [ec1, bind] = run(io, challenge.async_webauthn_bind_initialize(tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec1, ec1.message());
    BOOST_TEST(bind.data.contains("challenge"));
    BOOST_TEST(bind.data.contains("user"));
    auto [ec2, verify] = run(io, challenge.async_webauthn_verify_initialize(tuple_awaitable));
    BOOST_TEST_REQUIRE(!ec2, ec2.message());
    BOOST_TEST(!verify.data.contains("user"));
    // V3's refusal on these two.
    auto [ec3, refused] =
        run(io, app.with_mfa_token("mfa-unknown-0000").async_webauthn_verify_initialize(tuple_awaitable));
    BOOST_TEST(is_api(ec3, 401), ec3.message());
    BOOST_TEST(refused.api_code.value_or(0) == 2020);
}

BOOST_AUTO_TEST_SUITE_END()

// A server that echoes the mfaToken back, in V2's and V3's forms: it never reaches the caller's
// texts or the observer.
BOOST_AUTO_TEST_CASE(an_echoed_mfa_token_is_redacted_everywhere) {
    for (const bool v2 : {true, false}) {
        BOOST_TEST_CONTEXT((v2 ? "V2 echo" : "V3 echo")) {
            local_https_server server([v2](const received_request& r) {
                if (!v2) return test_support::echo_token(r);  // V3's form: message and requestId
                return scripted_reply::json(R"({"code":2020,"message":"bad mfaToken )" + test_support::bearer_token(r) +
                                            R"(","data":null})");
            });
            std::vector<std::string> observed;
            auto options = options_for(server);
            options.observer = [&](const genauth::operation_record& r) { observed.emplace_back(r.request_id); };
            asio::io_context io;
            genauth::authentication_client app(io, options);
            auto [ec, r] = run(io, app.with_mfa_token(mfa_token).async_verify_totp({"123456"}, tuple_awaitable));
            BOOST_TEST(is_api(ec, v2 ? 2020 : 401), ec.message());
            BOOST_TEST(
                !test_support::any_holds_secret({r.message, r.request_id.value_or(""), r.diag.detail}, {mfa_token}));
            BOOST_TEST(r.message.find("[redacted]") != std::string::npos, r.message);
            BOOST_TEST_REQUIRE(observed.size() == 1u);
            BOOST_TEST(!test_support::holds_secret(observed[0], mfa_token));
        }
    }
}
