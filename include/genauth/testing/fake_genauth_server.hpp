#ifndef GENAUTH_TESTING_FAKE_GENAUTH_SERVER_HPP
#define GENAUTH_TESTING_FAKE_GENAUTH_SERVER_HPP

// A local HTTPS server that behaves like GenAuth's V3 MFA endpoints, for the demo, this
// library's tests and users' own tests. State is kept per access token; codes "sent" by SMS or
// email land in an outbox the test can read; OTP keys are real random secrets; the clock can be
// moved forward so tests never sleep.
//
// Failures use the V3 envelope with HTTP 200, as GenAuth does:
//   missing or unknown access token ........ statusCode 401, apiCode 2020
//   malformed JSON, missing/invalid fields .. statusCode 400
//   unknown enrollment token ................ statusCode 400, apiCode 2300 ("invalid or expired")
//   expired enrollment token (> 60 s) ....... statusCode 400, apiCode 2300
//   enrollment token used already ........... statusCode 400, apiCode 2300
//   wrong SMS/email code .................... statusCode 400, apiCode 2001
//   wrong TOTP (enroll or verify) ........... statusCode 400, apiCode 6001
//   factor type already bound ............... statusCode 409 (apiCode 1706 for FACE)
//   second SMS/email to one address in 60 s . statusCode 429
//   unknown factorId ........................ statusCode 404
//   unknown endpoint ........................ statusCode 404 (HTTP 404)
//   send-sms / send-email: bad channel ...... statusCode 400; second code to one address for one
//                                             channel within 60 s: statusCode 429
//   /mfa/token/introspection ................ no envelope: {"active":false} for an unknown or
//                                             expired token (see issue_mfa_token)
//
// The sign-in side (the MFA challenge, genauth::mfa_challenge_client): issue_mfa_token gives the
// mfaToken a sign-in that needs MFA would get; the challenge calls answer V2's
// `{code, message, data}` (HTTP 200) and check what the user bound through the V3 calls:
//   missing, unknown, expired (> 600 s) or used mfaToken ... code 2020 (the WebAuthn V3 routes:
//                                                            statusCode 401, apiCode 2020)
//   malformed or invalid body ........................... code 400
//   the factor is not bound (or another phone / email) .. code 400
//   wrong TOTP .......................................... code 6001
//   wrong SMS/email code, or one used already ........... code 2001 (codes come from send-sms /
//                                                            send-email and sign in once)
//   wrong recovery code, or one used already ............ code 6002
//   another face photo .................................. code 6004
//   TOTP association while OTP is bound ................. code 409
// A passed challenge answers the user with their access token and uses the mfaToken up.
// send-sms and send-email need no signed-in user (as GenAuth's, which also serve sign-in).
// GenAuth publishes no codes for several of these cases (see shared/reference): the apiCodes
// above are the documented ones where they exist and the legacy list's otherwise.
// `qrCodeDataUrl` is a placeholder PNG, not a rendered QR code; `qrCodeUri` is real.

#include <genauth/client_options.hpp>
#include <genauth/detail/config.hpp>
#include <genauth/testing/local_https_server.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace genauth::testing {

/// A code the fake server "sent".
struct delivered_code {
    std::string channel;    ///< "sms" or "email"
    std::string recipient;  ///< the phone number (as given, without country code) or email address
    std::string code;       ///< six digits
};

class fake_genauth_server {
public:
    struct config {
        std::string issuer = "genauth-cpp-local";  ///< the OTP issuer (GenAuth uses the user pool name)
        std::chrono::seconds enrollment_token_lifetime{60};
        std::chrono::seconds resend_interval{60};  ///< per phone number / email address
        /// true: any non-empty access token is a user, registered on its first request (account
        /// "user-<n>@example.com"), as for a demo server that many people try at once.
        bool accept_any_token = false;
        /// When not empty: a factor type this library does not know (e.g. "WEBAUTHN"), as a newer
        /// GenAuth would answer: listed by list-factors-to-enroll, and one factor of that type
        /// (factorId "extra-factor") listed by list-enrolled-factors.
        std::string extra_factor_type;
    };

    GENAUTH_DECL fake_genauth_server();
    GENAUTH_DECL explicit fake_genauth_server(config cfg);
    GENAUTH_DECL ~fake_genauth_server();
    fake_genauth_server(const fake_genauth_server&) = delete;
    fake_genauth_server& operator=(const fake_genauth_server&) = delete;

    /// Registers a user: requests carrying this access token act for `account` (the OTP label).
    GENAUTH_DECL void add_user(const std::string& access_token, const std::string& account = "user@example.com");

    /// An MFA token for the user of `access_token`, valid for 600 s of the server's clock: what a
    /// sign-in that needs MFA answers (GenAuth's sign-in itself is not simulated), what the
    /// challenge calls accept until one passes, and what /mfa/token/introspection answers
    /// `active` for.
    GENAUTH_DECL std::string issue_mfa_token(const std::string& access_token);

    /// Client options that reach this server as the user of `access_token` (trusting its CA,
    /// ignoring HTTPS_PROXY and the like: the server is on loopback).
    GENAUTH_DECL client_options client_options_for(const std::string& access_token) const;

    GENAUTH_DECL std::string url() const;
    GENAUTH_DECL const std::string& ca_pem() const noexcept;

    /// Every code sent so far, oldest first.
    GENAUTH_DECL std::vector<delivered_code> outbox() const;
    /// The last code sent to `recipient`, if any.
    GENAUTH_DECL std::optional<std::string> last_code_for(const std::string& recipient) const;

    /// The server's clock: system time moved forward by advance_clock().
    GENAUTH_DECL std::chrono::system_clock::time_point now() const;
    GENAUTH_DECL void advance_clock(std::chrono::seconds by);

    /// Answers one request exactly as the HTTPS server does, without the network (the server's
    /// handler). Never throws for any input.
    GENAUTH_DECL scripted_reply handle(const received_request& request);

    GENAUTH_DECL std::size_t requests_received() const;
    GENAUTH_DECL std::size_t connections_accepted() const;

    // --- Failures on demand, for a user's tests of their own error handling ----------------

    /// The next `count` requests to `path` (as "/api/v3/list-enrolled-factors", without the
    /// query; empty: any path) get `reply` instead of the fake's own answer, and change nothing:
    /// a status and an envelope (`scripted_reply::json(R"({"statusCode":503,...})", 503)`), extra
    /// headers (`{"retry-after", "40"}`), raw bytes, a delay, a close or a reset without an
    /// answer, a stall. Scripts are used in the order they were added. Thread-safe.
    GENAUTH_DECL void script_next(std::size_t count, scripted_reply reply, std::string path = {});
    /// The next `count` requests to `path` (empty: any) get the fake's own answer, `delay` late
    /// (other connections are served meanwhile). Shares script_next's queue and order.
    GENAUTH_DECL void delay_next(std::size_t count, std::chrono::milliseconds delay, std::string path = {});
    /// Drops every script not used yet.
    GENAUTH_DECL void clear_scripts();
    /// true: new connections are refused (ECONNREFUSED), as when GenAuth is down; connections
    /// already open are still served. false: the server listens again on the same port.
    GENAUTH_DECL void refuse_connections(bool refuse);
    /// What each call sent, oldest first (the most recent local_https_server::request_log_limit):
    /// method, target, header fields (names in lower case) and body, with the bearer token of
    /// `authorization` replaced by "<redacted>".
    GENAUTH_DECL std::vector<received_request> requests() const;

private:
    struct state;
    std::shared_ptr<state> state_;  // declared first: outlives the server thread that uses it
    local_https_server server_;
};

}  // namespace genauth::testing

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/testing/fake_genauth_server.ipp>
#endif

#endif
