// The async-server example's server: a small Beast HTTP server that a web front end calls to let
// its signed-in users bind MFA factors. One application-level genauth client serves every user:
// each request makes a per-user handle from the user's access token (the incoming
// `Authorization: Bearer` header), the client's IP address (x-real-ip) and the first tag of
// `Accept-Language`. Kept in a header so that tests drive the very server the example runs.
//
// Endpoints (JSON in, JSON out):
//   GET  /mfa/factors-to-enroll   -> {"factorTypes":["OTP","SMS",...]}
//   POST /mfa/enroll/start        {"factorType":"OTP"|"SMS"|"EMAIL","phone"?,"phoneCountryCode"?,"email"?}
//                                 -> {"enrollmentToken":...,"codeSent":bool,"otpKeyUri"?,"recoveryCode"?}
//   POST /mfa/enroll/finish       {"enrollmentToken","factorType","code"} -> {"bound":true}
//   GET  /mfa/factors             -> {"factors":[{"factorId","factorType","profile"}]}
//   POST /mfa/verify-otp          {"code"} -> {"verified":bool}
//   POST /mfa/reset               {"factorId"} -> {"reset":true}
//   POST /mfa/challenge           the second factor of a sign-in that GenAuth answered with an
//                                 mfaToken (no Authorization header: the user is not signed in yet):
//                                 {"mfaToken","factorType":"OTP"|"SMS"|"EMAIL"|"RECOVERY","code"?,
//                                  "phone"?,"phoneCountryCode"?,"email"?}
//                                 SMS/EMAIL without "code": the code is sent -> {"codeSent":true};
//                                 with it, or OTP/RECOVERY: -> {"signedIn":true,"userId","accessToken"}
//                                 (the user's token: keep it server-side in a real backend); a
//                                 refused challenge -> 401 {"error":"genauth","code","message"}.
// Errors: a bad request gets 400 (401 without a token, 404/405 for unknown paths or methods) and
// {"error":"bad_request",...}; GenAuth's refusals pass through with its statusCode as the HTTP
// status where it is a 4xx (else 502) and {"error":"genauth","statusCode","apiCode","message",
// "requestId"}; transport failures get 502 (504 on timeout). The user's token never appears.
#ifndef GENAUTH_EXAMPLES_MFA_HTTP_SERVER_HPP
#define GENAUTH_EXAMPLES_MFA_HTTP_SERVER_HPP

#include <genauth/genauth.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

namespace mfa_example {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

using request_type = http::request<http::string_body>;
using response_type = http::response<http::string_body>;

inline constexpr auto no_throw = asio::as_tuple(asio::use_awaitable);

/// What the server accepts from its peers, so that no peer can hold it without bound.
struct server_limits {
    std::size_t max_connections = 256;       ///< a connection beyond these is closed at once
    std::uint32_t header_limit = 8 * 1024;   ///< a request's header block
    std::uint64_t body_limit = 64 * 1024;    ///< a request's body
    std::chrono::seconds read_timeout{30};   ///< for the next request to arrive, whole
    std::chrono::seconds write_timeout{30};  ///< for a peer to take the answer
    /// The reverse proxy whose `X-Real-IP` names the user's address. Unset: nobody's is trusted,
    /// the peer's own address is the user's (a header anyone can send is no address).
    std::optional<asio::ip::address> trusted_proxy;
};

/// The user's IP address: the peer's, or the `X-Real-IP` sent by the trusted proxy (the library
/// refuses anything that is not an IP literal, before any I/O).
inline std::string client_address(const asio::ip::address& peer, const request_type& req, const server_limits& limits) {
    if (limits.trusted_proxy && peer == *limits.trusted_proxy) {
        if (const auto forwarded = req["X-Real-IP"]; !forwarded.empty()) return std::string(forwarded);
    }
    return peer.to_string();
}

/// One line per call for an operator's log: called once per incoming request.
struct access_record {
    std::string_view method, target;
    unsigned status = 0;
    std::string_view failure;  ///< on a 4xx/5xx: the JSON body sent (never holds a token), else empty
    std::chrono::microseconds elapsed{0};
};
using access_log = std::function<void(const access_record&)>;

inline response_type json_response(unsigned status, const json::value& body) {
    response_type res{static_cast<http::status>(status), 11};
    res.set(http::field::content_type, "application/json");
    res.set(http::field::cache_control, "no-store");  // enrollment tokens and OTP keys
    res.body() = json::serialize(body);
    res.prepare_payload();
    return res;
}

inline response_type bad_request(unsigned status, std::string_view message) {
    return json_response(status, json::object{{"error", "bad_request"}, {"message", message}});
}

// The first language tag of an Accept-Language header ("en-US,en;q=0.9" -> "en-US"), if valid.
inline std::optional<std::string> preferred_language(std::string_view header) {
    const auto tag = header.substr(0, header.find_first_of(",;"));
    if (tag.empty() || tag.size() > 35 || tag == "*") return std::nullopt;
    for (char c : tag)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return std::nullopt;
    return std::string(tag);
}

// What a failed GenAuth call becomes for the front end.
inline response_type upstream_failure(genauth::error_code ec, const genauth::response_envelope& e) {
    if (ec == genauth::condition::invalid_argument) return bad_request(400, ec.message());
    if (ec == genauth::condition::api_error) {
        const unsigned status =
            e.status_code >= 400 && e.status_code < 500 ? static_cast<unsigned>(e.status_code) : 502;
        json::object body{{"error", "genauth"}, {"statusCode", e.status_code}, {"message", e.message}};
        if (e.api_code) body["apiCode"] = *e.api_code;
        if (e.request_id) body["requestId"] = *e.request_id;
        return json_response(status, body);
    }
    // The library's messages never hold the token; `detail` is not passed on (it may name hosts).
    return json_response(ec == genauth::errc::timeout ? 504 : 502,
                         json::object{{"error", "upstream"}, {"message", ec.message()}});
}

// A string member of a JSON object, or empty.
inline std::string member(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

/// One JSON line's worth of what a genauth call did (from the client's observer): never a token.
inline json::object to_json(const genauth::operation_record& r) {
    static constexpr const char* uses[] = {"none", "reused", "new", "resumed"};
    json::object o{{"call", r.path},
                   {"method", r.method},
                   {"ok", !r.ec},
                   {"http", r.http_status},
                   {"connection", uses[static_cast<int>(r.connection)]},
                   {"resent", r.resent},
                   {"attempts", r.attempts},
                   {"us", json::object{{"total", r.total.count()},
                                       {"wait", r.waiting_for_connection.count()},
                                       {"connect", r.connecting.count()},
                                       {"tls", r.tls_handshake.count()},
                                       {"exchange", r.exchange.count()},
                                       {"retry_wait", r.retry_waiting.count()}}}};
    if (r.ec) o["error"] = r.ec.message();
    if (r.status_code != 0) o["statusCode"] = r.status_code;
    if (r.api_code) o["apiCode"] = *r.api_code;
    if (!r.request_id.empty()) o["requestId"] = r.request_id;
    if (r.retry_after) o["retryAfter"] = r.retry_after->count();
    return o;
}

/// POST /mfa/challenge: the second factor of a sign-in, for the user its mfaToken names.
inline asio::awaitable<response_type> handle_challenge(const genauth::authentication_client& app,
                                                       const json::object& in, const std::string& client_ip) {
    const auto mfa_token = member(in, "mfaToken");
    if (mfa_token.empty()) co_return bad_request(400, "mfaToken is required");
    const auto challenge = app.with_mfa_token(mfa_token, client_ip);
    const auto type = member(in, "factorType"), code = member(in, "code");
    const auto phone = member(in, "phone"), email = member(in, "email");
    const auto country = member(in, "phoneCountryCode");
    genauth::error_code ec;
    genauth::mfa_challenge_response res;
    if ((type == "SMS" || type == "EMAIL") && code.empty()) {
        genauth::envelope_response sent;
        if (type == "SMS") {
            const genauth::send_sms_request send{genauth::sms_channel::verify_mfa, phone,
                                                 country.empty() ? std::nullopt : std::optional(country)};
            std::tie(ec, sent) = co_await challenge.async_send_sms(send, no_throw);
        } else {
            const genauth::send_email_request send{genauth::email_channel::verify_mfa, email};
            std::tie(ec, sent) = co_await challenge.async_send_email(send, no_throw);
        }
        if (ec) co_return upstream_failure(ec, sent);
        co_return json_response(200, json::object{{"codeSent", true}});
    }
    if (type == "OTP") {
        const genauth::mfa_totp_challenge request{code};
        std::tie(ec, res) = co_await challenge.async_verify_totp(request, no_throw);
    } else if (type == "RECOVERY") {
        const genauth::mfa_recovery_code_challenge request{code};
        std::tie(ec, res) = co_await challenge.async_verify_recovery_code(request, no_throw);
    } else if (type == "SMS") {
        const genauth::mfa_sms_challenge request{phone, code, country.empty() ? std::nullopt : std::optional(country)};
        std::tie(ec, res) = co_await challenge.async_verify_sms(request, no_throw);
    } else if (type == "EMAIL") {
        const genauth::mfa_email_challenge request{email, code};
        std::tie(ec, res) = co_await challenge.async_verify_email(request, no_throw);
    } else {
        co_return bad_request(400, "factorType must be OTP, SMS, EMAIL or RECOVERY");
    }
    if (ec == genauth::condition::api_error)  // GenAuth refused the sign-in: V2's code says why
        co_return json_response(
            401, json::object{{"error", "genauth"}, {"code", res.status_code}, {"message", res.message}});
    if (ec) co_return upstream_failure(ec, res);
    co_return json_response(200,
                            json::object{{"signedIn", true}, {"userId", res.data.id}, {"accessToken", res.data.token}});
}

/// Answers one request for the user it names, whose address is `client_ip` (see client_address).
/// Never throws for any input.
inline asio::awaitable<response_type> handle_request(const genauth::authentication_client& app, const request_type& req,
                                                     const std::string& client_ip) {
    const std::string_view target = req.target();
    const std::string_view path = target.substr(0, target.find('?'));
    const bool get = req.method() == http::verb::get, post = req.method() == http::verb::post;
    const bool known_get = path == "/mfa/factors-to-enroll" || path == "/mfa/factors";
    const bool known_post = path == "/mfa/enroll/start" || path == "/mfa/enroll/finish" || path == "/mfa/verify-otp" ||
                            path == "/mfa/reset" || path == "/mfa/challenge";
    if (!known_get && !known_post) co_return bad_request(404, "no such endpoint");
    if ((known_get && !get) || (known_post && !post)) co_return bad_request(405, "wrong method for this endpoint");
    json::object in;
    if (post) {
        genauth::error_code parse_ec;
        auto parsed = json::parse(req.body(), parse_ec);
        if (parse_ec || !parsed.is_object()) co_return bad_request(400, "the body must be a JSON object");
        in = std::move(parsed.as_object());
    }
    if (path == "/mfa/challenge") co_return co_await handle_challenge(app, in, client_ip);

    const std::string_view authorization = req[http::field::authorization];
    if (authorization.size() <= 7 || authorization.substr(0, 7) != "Bearer ")
        co_return bad_request(401, "send the user's GenAuth access token as 'Authorization: Bearer <token>'");
    genauth::user_context user{std::string(authorization.substr(7)), client_ip,
                               preferred_language(req[http::field::accept_language])};
    const auto handle = app.with_user(std::move(user));

    if (path == "/mfa/factors-to-enroll") {
        auto [ec, res] = co_await handle.async_list_factors_to_enroll(no_throw);
        if (ec) co_return upstream_failure(ec, res);
        json::array types;
        for (const auto& f : res.data)  // a type this library does not know yet is passed on by name
            types.emplace_back(genauth::wire_name(f.factor_type, f.factor_type_name));
        co_return json_response(200, json::object{{"factorTypes", std::move(types)}});
    }
    if (path == "/mfa/factors") {
        auto [ec, res] = co_await handle.async_list_enrolled_factors(no_throw);
        if (ec) co_return upstream_failure(ec, res);
        co_return json_response(200, json::object{{"factors", json::value_from(res.data)}});
    }
    if (path == "/mfa/enroll/start") {
        genauth::send_enroll_factor_request_params params;
        const auto type = genauth::parse_factor_type(member(in, "factorType"));
        if (!type || *type == genauth::factor_type::face)
            co_return bad_request(400, "factorType must be OTP, SMS or EMAIL");
        params.factor_type = *type;
        if (auto phone = member(in, "phone"); !phone.empty()) params.profile.phone_number = phone;
        if (auto code = member(in, "phoneCountryCode"); !code.empty()) params.profile.phone_country_code = code;
        if (auto email = member(in, "email"); !email.empty()) params.profile.email = email;
        auto [ec, res] = co_await handle.async_send_enroll_factor_request(params, no_throw);
        if (ec) co_return upstream_failure(ec, res);
        json::object out{{"enrollmentToken", res.data.enrollment_token},
                         {"codeSent", *type != genauth::factor_type::otp}};
        if (res.data.otp_data) {
            out["otpKeyUri"] = res.data.otp_data->qr_code_uri;
            out["recoveryCode"] = res.data.otp_data->recovery_code;
        }
        co_return json_response(200, out);
    }
    if (path == "/mfa/enroll/finish") {
        genauth::enroll_factor_request enroll;
        const auto type = genauth::parse_factor_type(member(in, "factorType"));
        if (!type) co_return bad_request(400, "factorType must be OTP, SMS, EMAIL or FACE");
        enroll.factor_type = *type;
        enroll.enrollment_token = member(in, "enrollmentToken");
        if (auto code = member(in, "code"); !code.empty()) enroll.enrollment_data.pass_code = code;
        auto [ec, res] = co_await handle.async_enroll_factor(enroll, no_throw);
        if (ec) co_return upstream_failure(ec, res);
        co_return json_response(200, json::object{{"bound", true}});
    }
    if (path == "/mfa/verify-otp") {
        const genauth::mfa_otp_verify_request verify{member(in, "code")};
        auto [ec, res] = co_await handle.async_mfa_otp_verify(verify, no_throw);
        if (ec) co_return upstream_failure(ec, res);
        co_return json_response(200, json::object{{"verified", res.data.verified}});
    }
    const genauth::reset_factor_request reset{member(in, "factorId")};  // /mfa/reset
    auto [ec, res] = co_await handle.async_reset_factor(reset, no_throw);
    if (ec) co_return upstream_failure(ec, res);
    co_return json_response(200, json::object{{"reset", true}});
}

/// Serves one HTTP/1.1 connection (keep-alive) until the peer closes it, goes quiet for
/// `limits.read_timeout` or does not take an answer within `limits.write_timeout`.
inline asio::awaitable<void> serve_connection(genauth::authentication_client app, asio::ip::tcp::socket socket,
                                              access_log log, server_limits limits = {}) {
    beast::tcp_stream stream(std::move(socket));
    genauth::error_code ignored;
    const auto peer = stream.socket().remote_endpoint(ignored).address();
    beast::flat_buffer buffer;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(limits.header_limit);
        parser.body_limit(limits.body_limit);
        stream.expires_after(limits.read_timeout);
        auto [read_ec, n] = co_await http::async_read(stream, buffer, parser, no_throw);
        if (read_ec) break;
        stream.expires_never();  // the GenAuth call has its own deadline
        const auto started = std::chrono::steady_clock::now();
        const request_type req = parser.release();
        response_type res = co_await handle_request(app, req, client_address(peer, req, limits));
        res.keep_alive(req.keep_alive());
        if (log) {
            const std::string_view failure = res.result_int() >= 400 ? std::string_view(res.body()) : "";
            log({req.method_string(), req.target(), res.result_int(), failure,
                 std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started)});
        }
        stream.expires_after(limits.write_timeout);  // a peer that never reads must not hold us
        auto [write_ec, written] = co_await http::async_write(stream, res, no_throw);
        if (write_ec || !res.keep_alive()) break;
    }
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

/// Accepts connections on `acceptor` (already listening) and serves each on its own strand, so
/// an io_context run by several threads serves connections in parallel; beyond
/// `limits.max_connections` at once, a new connection is closed at once. Ends when the acceptor
/// is closed.
inline asio::awaitable<void> accept_loop(genauth::authentication_client app, asio::ip::tcp::acceptor& acceptor,
                                         access_log log = {}, server_limits limits = {}) {
    const auto open = std::make_shared<std::atomic<std::size_t>>(0);
    for (;;) {
        auto strand = asio::make_strand(acceptor.get_executor());
        auto [ec, socket] = co_await acceptor.async_accept(strand, no_throw);
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
        if (ec) continue;
        if (open->fetch_add(1) >= limits.max_connections) {
            open->fetch_sub(1);
            continue;  // the socket closes here
        }
        asio::co_spawn(strand, serve_connection(app, std::move(socket), log, limits),
                       [open](std::exception_ptr) { open->fetch_sub(1); });
    }
}

}  // namespace mfa_example

#endif
