#ifndef GENAUTH_TESTS_SUPPORT_TOKEN_ECHO_HPP
#define GENAUTH_TESTS_SUPPORT_TOKEN_ECHO_HPP

#include <genauth/testing/local_https_server.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace test_support {

// What a test server echoes to say whose request it answered, without echoing the secret: the
// client redacts its caller's token from every text it shows, requestId included, so an echo of
// the token itself reads "[redacted]". A 64-bit FNV-1a of the text, in hex.
inline std::string fingerprint(std::string_view text) {
    std::uint64_t h = 14695981039346656037ULL;
    for (char c : text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    char out[20];
    std::snprintf(out, sizeof out, "fp%016llx", static_cast<unsigned long long>(h));
    return out;
}

// The access token a request carried, as the server received it ("Bearer " removed).
inline std::string bearer_token(const genauth::testing::received_request& r) {
    std::string token = r.header("authorization");
    if (token.rfind("Bearer ", 0) == 0) token.erase(0, 7);
    return token;
}

// What echo_caller answers a caller with this token, IP and language.
inline std::string caller_echo(std::string_view token, std::string_view real_ip = {}, std::string_view lang = {}) {
    return fingerprint(token) + "|" + std::string(real_ip) + "|" + std::string(lang);
}

// A server that says whose request it answered: a success whose requestId is caller_echo() of the
// request's token, X-Real-IP and X-Authing-Lang.
inline genauth::testing::scripted_reply echo_caller(const genauth::testing::received_request& r) {
    return genauth::testing::scripted_reply::json(
        R"({"statusCode":200,"message":"ok","requestId":")" +
        caller_echo(bearer_token(r), r.header("x-real-ip"), r.header("x-authing-lang")) + R"(","data":[]})");
}

// A hostile server: the caller's raw token echoed in message and requestId, under the given
// envelope statusCode, with `data` (JSON) when given. What the client must redact.
inline genauth::testing::scripted_reply echo_token(const genauth::testing::received_request& r, int status_code = 401,
                                                   std::string_view data = {}) {
    const auto token = bearer_token(r);
    std::string body = R"({"statusCode":)" + std::to_string(status_code) + R"(,"message":"bad token )" + token +
                       R"(","requestId":")" + token + '"';
    if (!data.empty()) body += R"(,"data":)" + std::string(data);
    return genauth::testing::scripted_reply::json(body + "}");
}

}  // namespace test_support

#endif
