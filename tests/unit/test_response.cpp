// Response interpretation with no I/O: status handling, envelopes, non-JSON bodies.
#include "../support/http_bytes.hpp"

#include <genauth/detail/sansio/request.hpp>
#include <genauth/detail/sansio/response.hpp>
#include <genauth/dto/enroll_factor.hpp>
#include <genauth/dto/mfa_challenge.hpp>
#include <genauth/dto/mfa_token.hpp>
#include <genauth/impl/policy/policy.hpp>
#include <genauth/impl/sansio/response_bytes.hpp>
#include <genauth/impl/sansio/response_reader.hpp>

#include <boost/test/unit_test.hpp>

using namespace genauth;
using detail::interpret_response;

BOOST_AUTO_TEST_SUITE(test_response)

BOOST_AUTO_TEST_CASE(success_is_2xx_and_status_code_200) {
    auto out = interpret_response(200, "application/json", "",
                                  R"({"statusCode":200,"message":"操作成功","requestId":"934108e5"})");
    BOOST_TEST(!out.ec);
    BOOST_TEST(out.envelope.status_code == 200);
    BOOST_TEST(out.envelope.message == "操作成功");  // kept as received
    BOOST_TEST(out.body.is_object());
    auto [ec, response] = detail::decode_response<enroll_factor_response>(std::move(out));
    BOOST_TEST(!ec);
    BOOST_TEST(response.diag.http_status == 200u);
    BOOST_TEST((response.request_id == std::optional<std::string>("934108e5")));
}

BOOST_AUTO_TEST_CASE(http_200_with_business_error) {
    auto out = interpret_response(200, "application/json", "",
                                  R"({"statusCode":400,"apiCode":6001,"message":"wrong code","requestId":"r"})");
    BOOST_TEST((out.ec == make_api_error_code(400)));
    BOOST_TEST((out.ec.category() == api_category()));
    BOOST_TEST((out.ec == condition::api_error));
    auto [ec, response] = detail::decode_response<enroll_factor_response>(std::move(out));
    BOOST_TEST(ec.value() == 400);
    BOOST_TEST(response.api_code.value() == 6001);
    BOOST_TEST(response.message == "wrong code");
    BOOST_TEST(response.diag.http_status == 200u);
}

BOOST_AUTO_TEST_CASE(http_401_with_json_envelope) {
    auto out = interpret_response(401, "application/json; charset=utf-8", "",
                                  R"({"statusCode":401,"message":"not logged in","apiCode":2020})");
    BOOST_TEST((out.ec == make_api_error_code(401)));
    BOOST_TEST(out.diag.http_status == 401u);
    BOOST_TEST(out.envelope.api_code.value() == 2020);
}

BOOST_AUTO_TEST_CASE(non_2xx_http_with_status_code_200_is_an_error) {
    auto out = interpret_response(500, "application/json", "", R"({"statusCode":200,"message":"?"})");
    BOOST_TEST((out.ec == errc::http_status_error));
}

BOOST_AUTO_TEST_CASE(proxy_html_page) {
    const std::string html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\x1b[31m" +
                             std::string(400, 'x') + "</body></html>";
    auto out = interpret_response(502, "text/html", "", html);
    BOOST_TEST((out.ec == errc::non_json_response));
    BOOST_TEST(out.diag.http_status == 502u);
    BOOST_TEST(out.diag.body_excerpt.size() <= detail::body_excerpt_bytes + 3);
    BOOST_TEST(out.diag.body_excerpt.find("502 Bad Gateway") != std::string::npos);
    BOOST_TEST(out.diag.body_excerpt.find('\x1b') == std::string::npos);
    BOOST_TEST(out.diag.body_excerpt.find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(malformed_json_is_its_own_error) {
    auto out = interpret_response(200, "application/json", "", R"({"statusCode":200,)");
    BOOST_TEST((out.ec == errc::malformed_json));
    BOOST_TEST(!out.diag.body_excerpt.empty());
    // Without a JSON content type, a body that starts like JSON still counts as malformed JSON.
    BOOST_TEST((interpret_response(200, "", "", "{oops").ec == errc::malformed_json));
    BOOST_TEST((interpret_response(200, "text/plain", "", "oops").ec == errc::non_json_response));
    BOOST_TEST((interpret_response(204, "", "", "").ec == errc::non_json_response));
}

BOOST_AUTO_TEST_CASE(not_an_envelope) {
    BOOST_TEST((interpret_response(200, "application/json", "", "[1,2,3]").ec == errc::invalid_envelope));
    BOOST_TEST((interpret_response(200, "application/json", "", R"({"message":"x"})").ec == errc::invalid_envelope));
    BOOST_TEST(
        (interpret_response(200, "application/json", "", R"({"statusCode":"200"})").ec == errc::invalid_envelope));
    auto out = interpret_response(200, "application/json", "", R"({"statusCode":200,"message":7})");
    BOOST_TEST((out.ec == errc::wrong_field_type));
    BOOST_TEST(out.diag.detail.find("message") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(redirects_are_refused_and_name_the_host_only) {
    auto out = interpret_response(302, "text/html", "https://evil.example:444/steal?token=SECRET", "");
    BOOST_TEST((out.ec == errc::redirect_refused));
    BOOST_TEST(out.diag.detail.find("evil.example:444") != std::string::npos);
    BOOST_TEST(out.diag.detail.find("SECRET") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(duplicate_keys_are_refused_at_any_depth) {
    auto out = interpret_response(200, "application/json", "", R"({"statusCode":400,"statusCode":200})");
    BOOST_TEST((out.ec == errc::duplicate_json_key));
    BOOST_TEST(out.diag.detail.find("statusCode") != std::string::npos);
    BOOST_TEST((interpret_response(200, "", "", R"({"statusCode":200,"data":[{"a":1,"b":{"c":1,"c":2}}]})").ec ==
                errc::duplicate_json_key));
    // The same key in sibling objects, or in an object and its parent, is fine.
    BOOST_TEST(!interpret_response(200, "", "", R"({"statusCode":200,"data":[{"a":1},{"a":2}]})").ec);
    BOOST_TEST(!interpret_response(200, "", "", R"({"statusCode":200,"data":{"statusCode":{"data":1}}})").ec);
    // The same key spelled with an escape is the same key.
    BOOST_TEST((interpret_response(200, "", "", R"({"statusCode":200,"statusCod\u0065":400})").ec ==
                errc::duplicate_json_key));
    // A long key, and an object with many keys: refused or accepted in one pass.
    const std::string long_key(5000, 'k');
    BOOST_TEST(
        (interpret_response(200, "", "", "{\"statusCode\":200,\"" + long_key + "\":1,\"" + long_key + "\":2}").ec ==
         errc::duplicate_json_key));
    std::string many = R"({"statusCode":200,"data":{)";
    for (int i = 0; i < 20000; ++i) many += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\":" + "1";
    BOOST_TEST(!interpret_response(200, "", "", many + "}}").ec);
    BOOST_TEST((interpret_response(200, "", "", many + ",\"k7\":2}}").ec == errc::duplicate_json_key));
}

BOOST_AUTO_TEST_CASE(status_code_zero_is_not_success) {
    // Found by fuzz_response: make_api_error_code(0) would be an error_code that reads as success.
    auto out = interpret_response(200, "application/json", "", R"({"statusCode":0})");
    BOOST_TEST((out.ec == errc::invalid_envelope));
    BOOST_TEST(static_cast<bool>(out.ec));
    BOOST_TEST((detail::interpret_response_bytes("HTTP/1.1 200 8\r\n\r\n{\"statusCode\":0}", 4096).ec ==
                errc::invalid_envelope));
}

BOOST_AUTO_TEST_CASE(hostile_json_bodies) {
    const std::string deep = std::string(5000, '[') + std::string(5000, ']');
    BOOST_TEST((interpret_response(200, "application/json", "", deep).ec == errc::malformed_json));
    BOOST_TEST((interpret_response(200, "", "", R"({"statusCode":1e999999})").ec == errc::invalid_envelope));
    BOOST_TEST((interpret_response(200, "", "", R"({"statusCode":123456789012345678901234567890})").ec ==
                errc::invalid_envelope));
    BOOST_TEST(
        (interpret_response(200, "", "", "{\"statusCode\":200,\"message\":\"\xff\xfe\"}").ec == errc::malformed_json));
    BOOST_TEST((interpret_response(200, "", "", R"({"statusCode":null})").ec == errc::invalid_envelope));
}

// V2's envelope (the sign-in challenge): {code, message, data}, one row per way it can go.
BOOST_AUTO_TEST_CASE(v2_envelopes) {
    constexpr auto v2 = detail::envelope_kind::v2;
    const struct row {
        const char* name;
        unsigned http_status;
        const char* body;
        error_code expected;
        int status_code;  // what envelope.status_code then holds
    } rows[] = {
        {"success", 200, R"({"code":200,"message":"","data":{"id":"u","token":"t"}})", {}, 200},
        {"an error: HTTP 200, code its value", 200, R"({"code":2020,"message":"no","data":null})",
         make_api_error_code(2020), 2020},
        {"an error with a non-2xx status", 400, R"({"code":400,"message":"bad"})", make_api_error_code(400), 400},
        {"success code on a non-2xx status", 502, R"({"code":200,"data":{"id":"u","token":"t"}})",
         errc::http_status_error, 200},
        {"statusCode instead of code (the JS SDK accepts it)",
         200,
         R"({"statusCode":200,"message":"","data":{"id":"u","token":"t"}})",
         {},
         200},
        {"a V3 error answer on a V2 route", 200, R"({"statusCode":401,"apiCode":2020,"message":"x"})",
         make_api_error_code(401), 401},
        {"code 0", 200, R"({"code":0})", errc::invalid_envelope, 0},
        {"code not an integer", 200, R"({"code":"200"})", errc::invalid_envelope, 0},
        {"neither code nor statusCode", 200, R"({"message":"x","data":{}})", errc::invalid_envelope, 0},
        {"not an object", 200, R"([200])", errc::invalid_envelope, 0},
        {"message of the wrong type", 200, R"({"code":200,"message":7})", errc::wrong_field_type, 0},
        {"repeated code", 200, R"({"code":500,"code":200})", errc::duplicate_json_key, 0},
    };
    for (const auto& r : rows) {
        BOOST_TEST_CONTEXT(r.name) {
            auto out = interpret_response(r.http_status, "application/json", "", r.body, v2);
            BOOST_TEST((out.ec == r.expected), out.ec.message() + " " + out.diag.detail);
            if (r.status_code != 0) BOOST_TEST(out.envelope.status_code == r.status_code);
        }
    }
    // What a V2 answer leaves empty, and the typed data it decodes to.
    auto out = interpret_response(200, "application/json", "",
                                  R"({"code":200,"message":"ok","data":{"id":"u-1","token":"T","phone":null}})", v2);
    BOOST_TEST(!out.envelope.api_code.has_value());
    BOOST_TEST(!out.envelope.request_id.has_value());
    auto [ec, user] = detail::decode_response<mfa_challenge_response>(std::move(out));
    BOOST_TEST_REQUIRE(!ec, user.diag.detail);
    BOOST_TEST(user.status_code == 200);
    BOOST_TEST(user.message == "ok");
    BOOST_TEST(user.data.token == "T");
    BOOST_TEST(!user.data.phone.has_value());
    // A success without the user's token is not a sign-in.
    auto no_token = interpret_response(200, "", "", R"({"code":200,"data":{"id":"u-1"}})", v2);
    auto [ec2, partial] = detail::decode_response<mfa_challenge_response>(std::move(no_token));
    BOOST_TEST((ec2 == errc::missing_field));
    BOOST_TEST(partial.diag.detail.find("token") != std::string::npos, partial.diag.detail);
}

BOOST_AUTO_TEST_CASE(an_answer_without_envelope) {
    // Success: the body is the data; status_code stays 0 (there is none).
    auto out = interpret_response(200, "application/json", "",
                                  R"({"active":true,"userPoolId":"p","userId":"u","exp":1798761600,"iat":1798761000})",
                                  detail::envelope_kind::bare);
    BOOST_TEST(!out.ec);
    auto [ec, r] = detail::decode_response<verify_mfa_token_response>(std::move(out));
    BOOST_TEST(!ec, r.diag.detail);
    BOOST_TEST(r.data.active);
    BOOST_TEST(r.data.user_id.value_or("") == "u");
    BOOST_TEST(r.data.exp.value_or(0) == 1798761600);
    BOOST_TEST(r.status_code == 0);
    BOOST_TEST(r.diag.http_status == 200u);

    auto inactive = interpret_response(200, "application/json", "", R"({"active":false})", detail::envelope_kind::bare);
    auto [ec2, r2] = detail::decode_response<verify_mfa_token_response>(std::move(inactive));
    BOOST_TEST(!ec2);
    BOOST_TEST(!r2.data.active);

    // GenAuth's usual error form still reads as an API error.
    auto refused = interpret_response(200, "application/json", "",
                                      R"({"statusCode":401,"apiCode":2020,"message":"no","requestId":"r"})",
                                      detail::envelope_kind::bare);
    BOOST_TEST((refused.ec == make_api_error_code(401)));
    BOOST_TEST(refused.envelope.api_code.value_or(0) == 2020);
    // A non-2xx without an envelope, a wrong type, not JSON: each its own error.
    BOOST_TEST(
        (interpret_response(500, "application/json", "", R"({"active":false})", detail::envelope_kind::bare).ec ==
         errc::http_status_error));
    auto wrong = interpret_response(200, "application/json", "", R"({"active":"yes"})", detail::envelope_kind::bare);
    auto [ec3, r3] = detail::decode_response<verify_mfa_token_response>(std::move(wrong));
    BOOST_TEST((ec3 == errc::wrong_field_type));
    BOOST_TEST(r3.diag.detail.find("active") != std::string::npos);
    BOOST_TEST((interpret_response(200, "text/html", "", "<html>", detail::envelope_kind::bare).ec ==
                errc::non_json_response));
    // The same body on an enveloped endpoint is not an envelope.
    BOOST_TEST((interpret_response(200, "application/json", "", R"({"active":true})").ec == errc::invalid_envelope));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(test_response_bytes)

namespace {
const std::string ok = R"({"statusCode":200,"message":"ok"})";
using test_support::with_content_length;
}  // namespace

BOOST_AUTO_TEST_CASE(raw_bytes_to_outcome) {
    struct row {
        const char* name;
        std::string bytes;
        std::optional<errc> expected;
    } rows[] = {
        {"complete response", with_content_length("HTTP/1.1 200 OK\r\n", ok), std::nullopt},
        {"interim responses first", "HTTP/1.1 100 Continue\r\n\r\n" + with_content_length("HTTP/1.1 200 OK\r\n", ok),
         std::nullopt},
        {"HTTP/1.0 body ended by close", "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + ok,
         std::nullopt},
        {"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n21\r\n" + ok + "\r\n0\r\n\r\n", std::nullopt},
        {"nothing at all", "", errc::connection_closed},
        {"truncated body", "HTTP/1.1 200 OK\r\nContent-Length: 90\r\n\r\n" + ok, errc::connection_closed},
        {"truncated header", "HTTP/1.1 200 OK\r\nContent-Le", errc::connection_closed},
        {"chunked, cut in the final chunk (fuzz_response regression)",
         "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nC", errc::connection_closed},
        {"bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n", errc::malformed_http},
        {"not HTTP", "SSH-2.0-OpenSSH_9.2\r\n\r\n", errc::malformed_http},
        {"conflicting lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
         errc::malformed_http},
        {"header over limit", with_content_length("HTTP/1.1 200 OK\r\nX-A: " + std::string(20000, 'a') + "\r\n", ok),
         errc::response_too_large},
        {"body over limit", with_content_length("HTTP/1.1 200 OK\r\n", std::string(5000, ' ') + ok),
         errc::response_too_large},
        {"redirect", with_content_length("HTTP/1.1 307 Temporary Redirect\r\nLocation: https://other.example/\r\n", ""),
         errc::redirect_refused},
    };
    // The transport's reader, given everything at once, a byte at a time, and in pieces of 7
    // bytes (split inside the status line, a header, a chunk size): one answer whatever the split.
    for (const std::size_t piece : {static_cast<std::size_t>(-1), std::size_t{1}, std::size_t{7}}) {
        for (const auto& r : rows) {
            BOOST_TEST_CONTEXT(r.name << ", pieces of " << piece) {
                const auto out = detail::interpret_response_bytes(r.bytes, 4096, detail::envelope_kind::v3, piece);
                if (r.expected)
                    BOOST_TEST((out.ec == *r.expected), out.ec.message() << " / " << out.diag.detail);
                else
                    BOOST_TEST(!out.ec, out.ec.message() << " / " << out.diag.detail);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(reader_states) {
    using status = detail::response_reader::status;
    detail::response_reader reader;
    // Need more until the body is complete; the interim response is skipped on the way.
    reader.start(4096);
    BOOST_TEST(!reader.received_any());
    BOOST_TEST((reader.feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-") == status::need_more));
    BOOST_TEST(reader.received_any());
    BOOST_TEST((reader.feed("Length: 2\r\n\r\n{") == status::need_more));
    BOOST_TEST((reader.feed("}") == status::done));
    BOOST_TEST(reader.response().status == 200u);
    BOOST_TEST(reader.response().body == "{}");
    BOOST_TEST(reader.buffered() == 0u);
    // The next response on the same reader; a byte beyond it stays buffered (the transport then
    // never reuses the connection).
    reader.start(4096);
    BOOST_TEST((reader.feed("HTTP/1.1 204 No Content\r\n\r\nX") == status::done));
    BOOST_TEST(reader.response().status == 204u);
    BOOST_TEST(reader.buffered() == 1u);
    detail::response_reader fields;
    // Only the first Content-Type and Location of the header count; trailer fields never do; the
    // next response starts empty.
    fields.start(4096);
    BOOST_TEST((fields.feed("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Type: text/html\r\n"
                            "Location: /a\r\nLocation: /b\r\nContent-Length: 2\r\n\r\n{}") == status::done));
    BOOST_TEST(fields.response().content_type == "application/json");
    BOOST_TEST(fields.response().location == "/a");
    BOOST_TEST(fields.response().body == "{}");
    BOOST_TEST(fields.keep_alive());
    fields.start(4096);
    BOOST_TEST((fields.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n"
                            "Content-Type: text/plain\r\nLocation: /c\r\n\r\n") == status::done));
    BOOST_TEST(fields.response().content_type.empty());
    BOOST_TEST(fields.response().location.empty());
    BOOST_TEST(fields.response().body == "{}");
    fields.start(4096);
    BOOST_TEST((fields.feed("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n") == status::done));
    BOOST_TEST(fields.response().content_type.empty());
    BOOST_TEST(fields.response().location.empty());
    BOOST_TEST(fields.response().body.empty());
    BOOST_TEST(!fields.keep_alive());
    // A body over the limit is refused, whether announced or chunked.
    fields.start(4);
    BOOST_TEST((fields.feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabcde") == status::failed));
    BOOST_TEST((fields.error() == boost::beast::http::error::body_limit));
    detail::response_reader chunked;
    chunked.start(4);
    BOOST_TEST((chunked.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n") ==
                status::failed));
    BOOST_TEST((chunked.error() == boost::beast::http::error::body_limit));
    // A 200 to CONNECT ends with its header, whatever it announces.
    detail::response_reader connect_reader;
    connect_reader.start(4096, true);
    BOOST_TEST(
        (connect_reader.feed("HTTP/1.1 200 Connection established\r\nContent-Length: 5\r\n\r\n") == status::done));
    // A close mid-body, and a close before any byte.
    detail::response_reader cut;
    cut.start(4096);
    BOOST_TEST((cut.feed("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab") == status::need_more));
    BOOST_TEST((cut.end_of_stream() == status::failed));
    BOOST_TEST((cut.error() == boost::beast::http::error::partial_message));
    cut.start(4096);
    cut.feed({});  // nothing
    BOOST_TEST((cut.end_of_stream() == status::failed));
    BOOST_TEST((cut.error() == boost::beast::http::error::end_of_stream));
}

// Whatever the framing, a response makes the reader hold at most max_held_bytes(body limit),
// and fails at its limit: measured on the reader the transport uses, fed as a socket would
// (64 KiB reads) from a server that never stops.
BOOST_AUTO_TEST_CASE(reader_holds_a_bounded_amount_whatever_the_framing) {
    using status = detail::response_reader::status;
    const std::string chunked_head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    const struct {
        const char* name;
        std::string start, unit;
        boost::beast::http::error expected;
    } rows[] = {
        {"an endless chunk-size line", chunked_head + "1", "1", boost::beast::http::error::buffer_overflow},
        {"an endless chunk extension", chunked_head + "1;ext=", "a", boost::beast::http::error::buffer_overflow},
        {"endless trailers", chunked_head + "0\r\n", "X-Trailer: aaaaaaaaaaaaaaaa\r\n",
         boost::beast::http::error::buffer_overflow},
        {"endless interim responses", "", "HTTP/1.1 100 Continue\r\n\r\n", boost::beast::http::error::header_limit},
        {"interim responses, each with a long field", "",
         "HTTP/1.1 103 Early Hints\r\nLink: " + std::string(4000, 'l') + "\r\n\r\n",
         boost::beast::http::error::header_limit},
        {"an endless header", "HTTP/1.1 200 OK\r\n", "X-Field: aaaaaaaaaaaaaaaa\r\n",
         boost::beast::http::error::header_limit},
        {"an endless chunked body", chunked_head, "10\r\n0123456789abcdef\r\n", boost::beast::http::error::body_limit},
        {"an endless body of announced length", "HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n", "b",
         boost::beast::http::error::body_limit},
    };
    constexpr std::size_t body_limit = 64 * 1024, read_size = 64 * 1024;
    for (const auto& row : rows) {
        BOOST_TEST_CONTEXT(row.name) {
            std::string stream = row.start;
            while (stream.size() < 4 * read_size) stream += row.unit;
            detail::response_reader reader;
            reader.start(body_limit);
            std::size_t fed = 0, most_held = 0;
            auto state = reader.feed({});
            // The stream repeats: up to 16 MiB are offered, far more than any limit.
            while (state == status::need_more && fed < std::size_t{16} * 1024 * 1024) {
                const std::string_view piece = std::string_view(stream).substr(fed % (2 * read_size), read_size);
                state = reader.feed(piece);
                fed += piece.size();
                most_held = std::max(most_held, reader.held());
            }
            BOOST_TEST((state == status::failed));
            BOOST_TEST((reader.error() == row.expected), reader.error().message());
            BOOST_TEST(most_held <= detail::max_held_bytes(body_limit));
            BOOST_TEST(fed <= body_limit + 3 * read_size);  // at its limit, not later
            std::string detail_text;
            BOOST_TEST((detail::map_exchange_error(reader.error(), detail_text) == errc::response_too_large));
        }
    }
}

// Redaction runs on whole, decoded text, before any cut; a cut never ends on a secret's start.
BOOST_AUTO_TEST_CASE(excerpts_are_decoded_and_redacted_before_they_are_cut) {
    const std::string token = "SECRET-TOKEN-1234567890";
    const std::string request_secrets("ENROLL-TOKEN-abcdef\0918273", 26);
    const detail::call_secrets secrets{token, request_secrets, {}};
    const auto redacted_everywhere = [&](const std::string& text) {
        for (std::string_view s :
             {std::string_view(token), std::string_view("ENROLL-TOKEN-abcdef"), std::string_view("918273")})
            for (std::size_t i = 0; i + std::min<std::size_t>(8, s.size()) <= s.size(); ++i)
                if (text.find(s.substr(i, std::min<std::size_t>(8, s.size()))) != std::string::npos) return false;
        return true;
    };
    // Cut in the middle of an echo: before, "xxx...SECRET-TOKEN-12..." kept the token's start.
    for (std::size_t filler = 180; filler <= 200; ++filler) {
        BOOST_TEST_CONTEXT(filler) {
            const auto excerpt = detail::safe_excerpt(std::string(filler, 'x') + token + " tail", 200, secrets, true);
            BOOST_TEST(redacted_everywhere(excerpt), excerpt);
            BOOST_TEST(excerpt.size() <= 203u);
        }
    }
    // One character JSON-escaped, and the escaped solidus: decoded, then redacted.
    const auto escaped =
        detail::safe_excerpt("token=\\u0053ECRET-TOKEN-1234567890 pass=\\u0039\\u00318273", 200, secrets, true);
    BOOST_TEST(redacted_everywhere(escaped), escaped);
    BOOST_TEST(escaped == "token=[redacted] pass=[redacted]");
    // Each secret of the call, whole or as a piece at either end of a text someone else cut.
    std::string text = "ENROLL-TOKEN-abcdef code 918273 then SECRET-TOKEN-1234";
    detail::redact(text, secrets);
    BOOST_TEST(text == "[redacted] code [redacted] then [redacted]");
    text = "567890 and more";  // a token's end shorter than a piece stays: it says nothing
    detail::redact(text, secrets);
    BOOST_TEST(text == "567890 and more");
    text = "TOKEN-1234567890 and more";
    detail::redact(text, secrets);
    BOOST_TEST(text == "[redacted] and more");
    // Short secrets (under 4 bytes) are left alone rather than mangling the text.
    std::string short_one = "abc def";
    detail::redact(short_one, detail::call_secrets{"abc", {}, {}});
    BOOST_TEST(short_one == "abc def");
}

// The request's secret fields are found by name at any depth, for every endpoint alike.
BOOST_AUTO_TEST_CASE(secret_fields_of_a_request) {
    enroll_factor_request r;
    r.enrollment_token = "ENROLL-TOKEN-abcdef";
    r.factor_type = factor_type::sms;
    r.enrollment_data.pass_code = "918273";
    const auto call = detail::prepare_call(detail::endpoints::enroll_factor, r);
    BOOST_TEST(call.secrets == std::string("ENROLL-TOKEN-abcdef\0"
                                           "918273",
                                           26));
    BOOST_TEST(
        detail::prepare_call(detail::endpoints::verify_mfa_token, verify_mfa_token_request{"MFA-TOKEN-1"}).secrets ==
        "MFA-TOKEN-1");
    BOOST_TEST(detail::prepare_call(detail::endpoints::list_enrolled_factors).secrets.empty());
}

BOOST_AUTO_TEST_SUITE_END()
