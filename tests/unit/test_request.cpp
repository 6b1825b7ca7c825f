// Request building with no I/O: app_host parsing, settings, the exact bytes of the request.
#include <genauth/detail/sansio/request.hpp>
#include <genauth/dto/enroll_factor.hpp>
#include <genauth/dto/mfa_factors.hpp>
#include <genauth/dto/mfa_token.hpp>
#include <genauth/dto/send_code.hpp>
#include <genauth/version.hpp>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/test/unit_test.hpp>

#include <sstream>

using namespace genauth;
using genauth::detail::host_address;
namespace http = boost::beast::http;

namespace {
client_options valid_options() {
    client_options o;
    o.app_host = "https://example.genauth.ai";
    o.app_id = "app-1";
    o.access_token = "TOKEN-SECRET-123";
    return o;
}

// A request whose endpoint path carries an id: what a path parameter takes.
struct factor_details_request {
    std::string factor_id;
    std::string view = "full";
};
[[maybe_unused]] std::string_view path_argument(const factor_details_request& r) { return r.factor_id; }
[[maybe_unused]] void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv,
                                 const factor_details_request& r) {
    jv = {{"view", r.view}};  // the id travels in the path only
}
[[maybe_unused]] error_code validate(const factor_details_request& r) {
    return r.factor_id.empty() ? error_code(errc::missing_factor_id) : error_code();
}
constexpr detail::endpoint factor_details{detail::http_method::get, detail::envelope_kind::v3,
                                          "/api/v3/factors/{}/details"};

// The wire bytes of a request, parsed back (as a server reads them).
http::request<http::string_body> parse_request(const std::string& bytes) {
    http::request_parser<http::string_body> parser;
    parser.eager(true);
    boost::system::error_code ec;
    const auto used = parser.put(boost::asio::buffer(bytes), ec);
    BOOST_TEST_REQUIRE(!ec, ec.message());
    BOOST_TEST_REQUIRE(parser.is_done());
    BOOST_TEST(used == bytes.size());  // nothing after the request
    return parser.release();
}

// The wire bytes of `call` for `caller`, which must be accepted.
std::string wire(const detail::request_settings& s, const detail::caller_identity& caller,
                 const detail::prepared_call& call) {
    std::string out, why;
    const auto ec = detail::build_http_request(s, caller, call, out, why);
    BOOST_TEST_REQUIRE(!ec, why);
    return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(test_request)

BOOST_AUTO_TEST_CASE(app_host_accepted_forms) {
    struct row {
        const char* input;
        host_address expected;
    } rows[] = {
        {"https://example.genauth.ai", {true, "example.genauth.ai", "443", "example.genauth.ai"}},
        {"https://example.genauth.ai/", {true, "example.genauth.ai", "443", "example.genauth.ai"}},
        {"HTTPS://Example.com:8443", {true, "Example.com", "8443", "Example.com:8443"}},
        {"http://localhost:8080/", {false, "localhost", "8080", "localhost:8080"}},
        {"http://127.0.0.1", {false, "127.0.0.1", "80", "127.0.0.1"}},
        {"https://[::1]:9443", {true, "::1", "9443", "[::1]:9443"}},
        {"https://[::1]", {true, "::1", "443", "[::1]"}},
        {"https://a.b:443", {true, "a.b", "443", "a.b"}},
        // No scheme: https, as the Node SDK reads it.
        {"example.genauth.ai", {true, "example.genauth.ai", "443", "example.genauth.ai"}},
        {"example.genauth.ai:8443/", {true, "example.genauth.ai", "8443", "example.genauth.ai:8443"}},
    };
    for (const auto& row : rows) {
        BOOST_TEST_CONTEXT(row.input) {
            host_address out;
            std::string why;
            BOOST_TEST(!detail::parse_app_host(row.input, out, why), why);
            BOOST_TEST((out == row.expected));
        }
    }
}

BOOST_AUTO_TEST_CASE(app_host_rejected_forms) {
    const char* rows[] = {"",
                          "example.genauth.ai/api",
                          "ftp://example.com",
                          "javascript:alert(1)",
                          "//example.com",
                          "https://",
                          "https://:443",
                          "https://example.com:0",
                          "https://example.com:65536",
                          "https://example.com:0443",  // would be sent in Host as written
                          "https://example.com:00",
                          "https://example.com:12ab",
                          "https://example.com:",
                          "https://example.com/api",
                          "https://example.com/?a=b",
                          "https://example.com#frag",
                          "https://user:pw@example.com",
                          "https://exa mple.com",
                          "https://example.com\r\nX: y",
                          "https://[::1",
                          "https://[::1]x",
                          "https://[zz]"};
    for (const char* input : rows) {
        BOOST_TEST_CONTEXT(input) {
            host_address out;
            std::string why;
            const auto ec = detail::parse_app_host(input, out, why);
            BOOST_TEST((ec == errc::invalid_app_host));
            BOOST_TEST((ec == std::errc::invalid_argument));
            BOOST_TEST(!why.empty());
        }
    }
}

BOOST_AUTO_TEST_CASE(identity_adds_bearer_once) {
    auto id = detail::make_caller_identity({"TOKEN-SECRET-123", {}, {}});
    BOOST_TEST(!id.error);
    BOOST_TEST(id.authorization == "Bearer TOKEN-SECRET-123");
    BOOST_TEST(id.token() == "TOKEN-SECRET-123");
    id = detail::make_caller_identity({"Bearer already", {}, {}});
    BOOST_TEST(id.authorization == "Bearer already");
    BOOST_TEST(id.token() == "already");
}

// An mfaToken handle's identity reports its own token: missing_mfa_token, and a bad one by name.
BOOST_AUTO_TEST_CASE(an_mfa_token_identity_names_its_token) {
    const auto empty = detail::make_caller_identity({"", {}, {}}, detail::mfa_token_kind);
    BOOST_TEST((empty.error == errc::missing_mfa_token));
    const auto smuggling = detail::make_caller_identity({"MFA-SECRET\r\nX-Evil: 1", {}, {}}, detail::mfa_token_kind);
    BOOST_TEST((smuggling.error == errc::invalid_header_value));
    BOOST_TEST(smuggling.detail.rfind("mfa_token", 0) == 0u, smuggling.detail);
    BOOST_TEST(smuggling.detail.find("MFA-SECRET") == std::string::npos);
    BOOST_TEST(smuggling.authorization.empty());
    const auto good = detail::make_caller_identity({"MFA-SECRET", {}, {}}, detail::mfa_token_kind);
    BOOST_TEST(good.authorization == "Bearer MFA-SECRET");
}

BOOST_AUTO_TEST_CASE(identity_rejects_bad_values_without_leaking_the_token) {
    struct row {
        const char* name;
        user_context user;
        errc expected;
    } rows[] = {
        {"no token", {"", "10.0.0.1", "en-US"}, errc::missing_access_token},
        {"token CR LF", {"TOKEN-SECRET-123\r\nX-Evil: 1", {}, {}}, errc::invalid_header_value},
        {"token NUL", {std::string("TOKEN-SECRET-123\0", 17), {}, {}}, errc::invalid_header_value},
        {"ip name", {"TOKEN-SECRET-123", "example.com", {}}, errc::invalid_real_ip},
        {"ip empty", {"TOKEN-SECRET-123", "", {}}, errc::invalid_real_ip},
        {"ip CR LF", {"TOKEN-SECRET-123", "10.0.0.1\r\nX-Evil: 1", {}}, errc::invalid_real_ip},
        {"ip with port", {"TOKEN-SECRET-123", "10.0.0.1:80", {}}, errc::invalid_real_ip},
        // Both parse as an address (the parser stops at the NUL; '%' starts a zone id), but the
        // rest would reach the wire: a second request on a connection carrying others' tokens.
        {"ip zone id then CR LF",
         {"TOKEN-SECRET-123", "::1%\r\nX-Evil: 1\r\n\r\nGET /smuggled HTTP/1.1", {}},
         errc::invalid_real_ip},
        {"ip zone id", {"TOKEN-SECRET-123", "fe80::1%eth0", {}}, errc::invalid_real_ip},
        {"ip NUL then CR LF",
         {"TOKEN-SECRET-123", std::string("10.0.0.1\0\r\nX-Evil: 1", 20), {}},
         errc::invalid_real_ip},
        {"token leading space", {" TOKEN-SECRET-123", {}, {}}, errc::invalid_header_value},
        {"token trailing tab", {"TOKEN-SECRET-123\t", {}, {}}, errc::invalid_header_value},
        {"token DEL", {"TOKEN-SECRET-123\x7f", {}, {}}, errc::invalid_header_value},
        {"lang LF", {"TOKEN-SECRET-123", {}, "en\nUS"}, errc::invalid_lang},
        {"lang empty", {"TOKEN-SECRET-123", {}, ""}, errc::invalid_lang},
        {"lang space", {"TOKEN-SECRET-123", {}, "en US"}, errc::invalid_lang},
        {"lang long", {"TOKEN-SECRET-123", {}, std::string(36, 'a')}, errc::invalid_lang},
    };
    for (const auto& row : rows) {
        BOOST_TEST_CONTEXT(row.name) {
            const auto id = detail::make_caller_identity(row.user);
            BOOST_TEST((id.error == row.expected));
            BOOST_TEST((id.error == std::errc::invalid_argument));
            BOOST_TEST(id.authorization.empty());  // nothing of a rejected identity is ever sent
            BOOST_TEST(id.detail.find("TOKEN-SECRET") == std::string::npos);
            BOOST_TEST(id.error.message().find("TOKEN-SECRET") == std::string::npos);
        }
    }
    for (const char* ip : {"10.0.0.1", "203.0.113.9", "::1", "2001:db8::17"}) {
        BOOST_TEST_CONTEXT(ip) { BOOST_TEST(!detail::make_caller_identity({"t", std::string(ip), {}}).error); }
    }
    // What is sent is the parsed address's canonical text, never the caller's spelling.
    const struct {
        const char* given;
        const char* sent;
    } canonical[] = {{"2001:DB8:0:0:0:0:0:17", "2001:db8::17"}, {"::FFFF:10.0.0.1", "::ffff:10.0.0.1"}};
    for (const auto& [given, sent] : canonical) {
        BOOST_TEST_CONTEXT(given) {
            BOOST_TEST(detail::make_caller_identity({"t", std::string(given), {}}).real_ip == sent);
        }
    }
    for (const char* lang : {"en-US", "zh-CN", "zh_TW", "ja"}) {
        BOOST_TEST_CONTEXT(lang) { BOOST_TEST(!detail::make_caller_identity({"t", {}, std::string(lang)}).error); }
    }
}

BOOST_AUTO_TEST_CASE(per_user_token_ip_and_lang_reach_the_request) {
    detail::request_settings s;
    std::string why;
    BOOST_TEST_REQUIRE(!detail::make_request_settings(valid_options(), s, why));
    const auto call = detail::prepare_call(detail::endpoints::list_enrolled_factors);
    const auto alice = detail::make_caller_identity({"alice-token", "203.0.113.9", "zh-CN"});
    const auto bob = detail::make_caller_identity({"bob-token", "2001:db8::17", {}});
    const auto a = parse_request(wire(s, alice, call));
    const auto b = parse_request(wire(s, bob, call));
    BOOST_TEST(a[http::field::authorization] == "Bearer alice-token");
    BOOST_TEST(a["x-real-ip"] == "203.0.113.9");
    BOOST_TEST(a["x-authing-lang"] == "zh-CN");
    BOOST_TEST(b[http::field::authorization] == "Bearer bob-token");
    BOOST_TEST(b["x-real-ip"] == "2001:db8::17");
    BOOST_TEST(b.count("x-authing-lang") == 0u);
    // Without a real_ip the header is absent, not empty.
    const auto c = parse_request(wire(s, detail::make_caller_identity({"carol-token", {}, {}}), call));
    BOOST_TEST(c.count("x-real-ip") == 0u);
}

BOOST_AUTO_TEST_CASE(settings_reject_bad_input_without_leaking_the_token) {
    struct row {
        const char* name;
        void (*mutate)(client_options&);
        errc expected;
    } rows[] = {
        {"token CR LF", [](client_options& o) { o.access_token = "TOKEN-SECRET-123\r\nX-Evil: 1"; },
         errc::invalid_header_value},
        {"token LF", [](client_options& o) { o.access_token = "TOKEN-SECRET-123\n"; }, errc::invalid_header_value},
        {"token NUL", [](client_options& o) { o.access_token = std::string("TOKEN-SECRET-123\0", 17); },
         errc::invalid_header_value},
        {"app id CR", [](client_options& o) { o.app_id = "app\r"; }, errc::invalid_header_value},
        {"app id CR LF CR LF and a request",
         [](client_options& o) { o.app_id = "app\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x"; },
         errc::invalid_header_value},
        {"request_from NUL", [](client_options& o) { o.request_from = std::string("sdk\0x", 5); },
         errc::invalid_header_value},
        {"request_from trailing space", [](client_options& o) { o.request_from = "sdk "; }, errc::invalid_header_value},
        {"lang LF", [](client_options& o) { o.lang = "en\nUS"; }, errc::invalid_lang},
        {"bad host", [](client_options& o) { o.app_host = "ftp://example.com"; }, errc::invalid_app_host},
        {"no app id", [](client_options& o) { o.app_id.clear(); }, errc::missing_app_id},
        {"zero timeout", [](client_options& o) { o.timeout = std::chrono::milliseconds(0); }, errc::invalid_option},
        {"zero body", [](client_options& o) { o.max_response_body = 0; }, errc::invalid_option},
    };
    for (const auto& row : rows) {
        BOOST_TEST_CONTEXT(row.name) {
            auto o = valid_options();
            row.mutate(o);
            detail::request_settings s;
            std::string why;
            const auto ec = detail::make_request_settings(o, s, why);
            BOOST_TEST((ec == row.expected));
            BOOST_TEST((ec == std::errc::invalid_argument));
            BOOST_TEST(why.find("TOKEN-SECRET") == std::string::npos);
            BOOST_TEST(ec.message().find("TOKEN-SECRET") == std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(settings_accept_an_application_client_without_token) {
    auto o = valid_options();
    o.access_token.clear();
    detail::request_settings s;
    std::string why;
    BOOST_TEST(!detail::make_request_settings(o, s, why));
}

BOOST_AUTO_TEST_CASE(enroll_request_exact_bytes) {
    auto o = valid_options();
    detail::request_settings s;
    std::string why;
    BOOST_TEST_REQUIRE(!detail::make_request_settings(o, s, why));
    const auto caller = detail::make_caller_identity({o.access_token, {}, "en-US"});

    enroll_factor_request req;
    req.enrollment_token = "enroll-tok";
    req.factor_type = factor_type::email;
    req.enrollment_data.pass_code = "654321";
    const auto call = detail::prepare_call(detail::endpoints::enroll_factor, req);
    BOOST_TEST_REQUIRE(!call.error);

    const std::string body =
        R"({"enrollmentToken":"enroll-tok","factorType":"EMAIL","enrollmentData":{"passCode":"654321"}})";
    const std::string expected =
        "POST /api/v3/enroll-factor HTTP/1.1\r\n"
        "Host: example.genauth.ai\r\n"
        "User-Agent: genauth-cpp/" GENAUTH_VERSION_STRING
        "\r\n"
        "Accept: application/json\r\n"
        "x-authing-app-id: app-1\r\n"
        "x-authing-sdk-version: genauth-cpp:" GENAUTH_VERSION_STRING
        "\r\n"
        "x-authing-request-from: sdk\r\n"
        "Authorization: Bearer TOKEN-SECRET-123\r\n"
        "x-authing-lang: en-US\r\n"
        "Content-Type: application/json\r\n"
        "Content-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body;
    BOOST_TEST(wire(s, caller, call) == expected);
}

BOOST_AUTO_TEST_CASE(genauth_prefix_and_no_lang) {
    auto o = valid_options();
    o.header_prefix = header_prefix::genauth;
    o.app_host = "https://example.genauth.ai:8443/";
    detail::request_settings s;
    std::string why;
    BOOST_TEST_REQUIRE(!detail::make_request_settings(o, s, why));
    enroll_factor_request req;
    req.enrollment_token = "t";
    req.enrollment_data.pass_code = "1";
    const auto http = parse_request(wire(s, detail::make_caller_identity({o.access_token, {}, {}}),
                                         detail::prepare_call(detail::endpoints::enroll_factor, req)));
    BOOST_TEST(http["x-genauth-app-id"] == "app-1");
    BOOST_TEST(http["x-genauth-sdk-version"] == "genauth-cpp:" GENAUTH_VERSION_STRING);
    BOOST_TEST(http.count("x-authing-app-id") == 0u);
    BOOST_TEST(http.count("x-genauth-lang") == 0u);
    BOOST_TEST(http[http::field::host] == "example.genauth.ai:8443");
    BOOST_TEST(http.keep_alive());
}

BOOST_AUTO_TEST_CASE(send_sms_send_email_and_introspection_exact_bodies) {
    send_sms_request sms;
    sms.channel = sms_channel::bind_mfa;
    sms.phone_number = "18800000001";
    auto call = detail::prepare_call(detail::endpoints::send_sms, sms);
    BOOST_TEST(!call.error);
    BOOST_TEST(call.path == "/api/v3/send-sms");
    BOOST_TEST(call.query.empty());
    BOOST_TEST(call.body == R"({"channel":"CHANNEL_BIND_MFA","phoneNumber":"18800000001"})");
    sms.phone_country_code = "+1";
    sms.channel = sms_channel::unbind_mfa;
    BOOST_TEST(detail::prepare_call(detail::endpoints::send_sms, sms).body ==
               R"({"channel":"CHANNEL_UNBIND_MFA","phoneNumber":"18800000001","phoneCountryCode":"+1"})");

    const send_email_request email{email_channel::verify_mfa, "a@example.com"};
    call = detail::prepare_call(detail::endpoints::send_email, email);
    BOOST_TEST(call.path == "/api/v3/send-email");
    BOOST_TEST(call.body == R"({"channel":"CHANNEL_VERIFY_MFA","email":"a@example.com"})");

    const verify_mfa_token_request introspect{"mfa-token-1"};
    call = detail::prepare_call(detail::endpoints::verify_mfa_token, introspect);
    BOOST_TEST(call.path == "/mfa/token/introspection");    // not under /api/v3
    BOOST_TEST(call.body == R"({"token":"mfa-token-1"})");  // JSON, as Go and Java send it
    BOOST_TEST((call.envelope == detail::envelope_kind::bare));
    detail::request_settings s;
    std::string why;
    BOOST_TEST_REQUIRE(!detail::make_request_settings(valid_options(), s, why));
    const auto http = parse_request(wire(s, detail::make_caller_identity({"t", {}, {}}), call));
    BOOST_TEST(http.method() == http::verb::post);
    BOOST_TEST(http[http::field::content_type] == "application/json");
}

BOOST_AUTO_TEST_CASE(new_operations_check_their_input_before_any_io) {
    send_sms_request sms;
    BOOST_TEST((validate(sms) == errc::missing_phone_number));
    sms.phone_number = "1";
    sms.channel = static_cast<sms_channel>(99);
    BOOST_TEST((validate(sms) == errc::invalid_channel));
    send_email_request email;
    BOOST_TEST((validate(email) == errc::missing_email));
    email.email = "a@b";
    email.channel = static_cast<email_channel>(-1);
    BOOST_TEST((validate(email) == errc::invalid_channel));
    BOOST_TEST((validate(verify_mfa_token_request{}) == errc::missing_mfa_token));
    BOOST_TEST((detail::prepare_call(detail::endpoints::send_sms, sms).error == errc::invalid_channel));
    for (auto c : {sms_channel::login, sms_channel::registration, sms_channel::bind_mfa, sms_channel::verify_mfa,
                   sms_channel::delete_account})
        BOOST_TEST(to_string(c).substr(0, 8) == "CHANNEL_");
    BOOST_TEST(to_string(sms_channel::registration) == "CHANNEL_REGISTER");
    BOOST_TEST(to_string(email_channel::verify_email_link) == "CHANNEL_VERIFY_EMAIL_LINK");
}

BOOST_AUTO_TEST_CASE(a_path_parameter_is_percent_encoded_into_the_path_and_the_observer_sees_the_template) {
    detail::request_settings settings;
    std::string why;
    BOOST_TEST_REQUIRE(!detail::make_request_settings(valid_options(), settings, why), why);
    const auto caller = detail::make_caller_identity({"TOKEN-SECRET-123", {}, {}});
    const auto call = detail::prepare_call(factor_details, factor_details_request{"a/b c?d", "full"});
    BOOST_TEST(!call.error);
    BOOST_TEST(call.path == "/api/v3/factors/{}/details");  // what operation_record::path shows
    const auto request = parse_request(wire(settings, caller, call));
    BOOST_TEST(std::string(request.target()) == "/api/v3/factors/a%2Fb%20c%3Fd/details?view=full");

    // The endpoints without a placeholder send their path as is.
    const auto plain = detail::prepare_call(detail::endpoints::list_enrolled_factors);
    BOOST_TEST(plain.path_with_argument.empty());
    BOOST_TEST(std::string(parse_request(wire(settings, caller, plain)).target()) == "/api/v3/list-enrolled-factors");

    const auto empty = detail::prepare_call(factor_details, factor_details_request{});
    BOOST_TEST((empty.error == errc::missing_factor_id));  // the request's validate refuses it first
}

BOOST_AUTO_TEST_CASE(invalid_request_is_not_serialised) {
    enroll_factor_request req;  // no token
    const auto call = detail::prepare_call(detail::endpoints::enroll_factor, req);
    BOOST_TEST((call.error == errc::missing_enrollment_token));
    BOOST_TEST(call.body.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(test_query)

BOOST_AUTO_TEST_CASE(percent_encoding_keeps_only_unreserved_characters) {
    BOOST_TEST(detail::percent_encode("abcXYZ019-._~") == "abcXYZ019-._~");
    BOOST_TEST(detail::percent_encode("a b&c=d/é#?%+") == "a%20b%26c%3Dd%2F%C3%A9%23%3F%25%2B");
    BOOST_TEST(detail::percent_encode("") == "");
}

BOOST_AUTO_TEST_CASE(get_request_members_become_the_query) {
    const auto call = detail::prepare_call(detail::endpoints::get_factor, get_factor_request{"id 1&x=2"});
    BOOST_TEST(!call.error);
    BOOST_TEST((call.method == detail::http_method::get));
    BOOST_TEST(call.path == "/api/v3/get-factor");
    BOOST_TEST(call.query == "?factorId=id%201%26x%3D2");
    BOOST_TEST(call.body.empty());
    const auto list = detail::prepare_call(detail::endpoints::list_enrolled_factors);
    BOOST_TEST(list.path == "/api/v3/list-enrolled-factors");
    BOOST_TEST(list.query.empty());
    BOOST_TEST(
        (detail::prepare_call(detail::endpoints::get_factor, get_factor_request{}).error == errc::missing_factor_id));
}

BOOST_AUTO_TEST_CASE(get_requests_carry_no_body_or_content_type) {
    detail::request_settings s;
    std::string why;
    BOOST_TEST_REQUIRE(!detail::make_request_settings(valid_options(), s, why));
    const auto bytes = wire(s, detail::make_caller_identity({"t", {}, {}}),
                            detail::prepare_call(detail::endpoints::list_factors_to_enroll));
    const auto http = parse_request(bytes);
    BOOST_TEST(bytes.find("Content-Type") == std::string::npos);
    BOOST_TEST(bytes.find("Content-Length") == std::string::npos);
    BOOST_TEST(http.body().empty());
    BOOST_TEST(http.method() == http::verb::get);
}

// The one writer of request-head bytes: a value or name that could end a line, the head or
// the request is refused, and nothing of it is written.
BOOST_AUTO_TEST_CASE(head_writer_refuses_what_could_change_the_structure) {
    const std::string bad_values[] = {"a\r\nX: 1", "a\n", "a\r", std::string("a\0b", 3), "a\x01", "a\x7f", " a", "a\t"};
    for (const auto& value : bad_values) {
        BOOST_TEST_CONTEXT(value) {
            std::string out = "kept";
            BOOST_TEST(!detail::append_header(out, "X-Name", value));
            BOOST_TEST(out == "kept");
        }
    }
    for (const char* name : {"", "X Name", "X:Name", "X\r\nName", "X(Name)"}) {
        BOOST_TEST_CONTEXT(name) {
            std::string out;
            BOOST_TEST(!detail::append_header(out, name, "v"));
            BOOST_TEST(out.empty());
        }
    }
    std::string out;
    BOOST_TEST(detail::append_header(out, "x-authing-lang", "zh-CN"));
    BOOST_TEST(detail::append_header(out, "X", "a b\tc \xc3\xa9"));  // inner white space and obs-text
    BOOST_TEST(detail::append_header(out, "X", ""));
    BOOST_TEST(out == "x-authing-lang: zh-CN\r\nX: a b\tc \xc3\xa9\r\nX: \r\n");

    for (const char* target : {"", "/a b", "/a\r\n", "/\x80", "/a\tb"}) {
        BOOST_TEST_CONTEXT(target) {
            std::string line;
            BOOST_TEST(!detail::append_request_line(line, "GET", target, {}));
            BOOST_TEST(line.empty());
        }
    }
    std::string line;
    BOOST_TEST(!detail::append_request_line(line, "GET", "/p", "?a= b"));
    BOOST_TEST(!detail::append_request_line(line, "G T", "/p", {}));
    BOOST_TEST(line.empty());
    BOOST_TEST(detail::append_request_line(line, "GET", "/api/v3/get-factor", "?factorId=a%20b"));
    BOOST_TEST(line == "GET /api/v3/get-factor?factorId=a%20b HTTP/1.1\r\n");
}

// A caller_identity built by hand (bypassing make_caller_identity's checks) still cannot
// change the request: the writer refuses it, naming the field, and nothing is to be sent.
BOOST_AUTO_TEST_CASE(request_refused_where_written_whatever_the_identity) {
    detail::request_settings s;
    std::string why;
    BOOST_TEST_REQUIRE(!detail::make_request_settings(valid_options(), s, why));
    const auto call = detail::prepare_call(detail::endpoints::list_factors_to_enroll);
    const struct {
        const char* field;
        void (*mutate)(detail::caller_identity&);
    } rows[] = {
        {"Authorization", [](detail::caller_identity& c) { c.authorization = "Bearer t\r\nX-Evil: 1"; }},
        {"x-real-ip", [](detail::caller_identity& c) { c.real_ip = "::1%\r\n\r\nGET /smuggled HTTP/1.1"; }},
        {"lang", [](detail::caller_identity& c) { c.lang = std::string("en\0", 3); }},
    };
    for (const auto& row : rows) {
        BOOST_TEST_CONTEXT(row.field) {
            auto caller = detail::make_caller_identity({"t", {}, {}});
            row.mutate(caller);
            std::string out = "stale", reason;
            BOOST_TEST((detail::build_http_request(s, caller, call, out, reason) == errc::invalid_header_value));
            BOOST_TEST(out.empty());
            BOOST_TEST(reason.find(row.field) != std::string::npos, reason);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
