#ifndef GENAUTH_CLIENT_OPTIONS_HPP
#define GENAUTH_CLIENT_OPTIONS_HPP

#include <genauth/observer.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace genauth {

/// The header names' prefix: `x-authing-app-id` (Authing and most GenAuth deployments) or
/// `x-genauth-app-id` (GenAuth-branded hosts, as the @genauth/nodejs SDK sends).
enum class header_prefix { authing, genauth };

/// TLS settings. Peer verification is on by default, against the system store (OpenSSL's
/// default paths, which honour SSL_CERT_FILE and SSL_CERT_DIR), with host-name verification,
/// SNI and TLS 1.2 at least.
struct tls_options {
    /// A PEM file with extra CA certificates to trust (private deployments). Empty: none.
    std::string extra_ca_file;
    /// PEM text with extra CA certificates to trust. Empty: none.
    std::string extra_ca_pem;
    /// Turns certificate and host-name verification off. Anyone on the path can then read the
    /// access token: only for throw-away test set-ups.
    bool insecure_skip_verification = false;
};

/// When a call that changes nothing on the server (a read: list the enrolled factors, get a
/// factor, list the factors to enroll, introspect an MFA token, check bindable, list
/// authenticators) is tried again. Writes (enroll, send a code, verify a code, reset) never are:
/// a second SMS costs money, a second code check burns an attempt. A read is tried again after
/// HTTP 429, 502, 503 or 504, an envelope status 429 or 503, or a connection that failed before
/// any answer; after a wait drawn uniformly below a bound that starts at `initial_backoff` and
/// doubles up to `max_backoff` ("full jitter"), and never shorter than the server's Retry-After;
/// always inside the operation's one deadline: when the wait and another attempt as long as the
/// last would not fit, the operation ends at once with the last answer. The client's retry budget
/// (retry_budget_options) has the last word.
struct retry_policy {
    /// Attempts in all, the first included: 1 turns retrying off. 1 to 10.
    unsigned max_attempts = 3;
    /// The bound of the first wait. Positive.
    std::chrono::milliseconds initial_backoff{100};
    /// The largest bound of a wait (the server's Retry-After may ask for longer). At least
    /// initial_backoff.
    std::chrono::milliseconds max_backoff{2'000};

    /// Never tried again.
    static retry_policy none() noexcept { return retry_policy{1}; }
};

/// The client's budget for retries, shared by all its calls and handles, so that when GenAuth
/// is down the reads in flight cause about one request each, not `max_attempts` each (as gRPC's
/// retry throttling and Finagle's RetryBudget). Each read that may be retried earns `ratio` of a
/// retry; each retry spends one; the budget also earns `per_second` retries each second however
/// few calls there are, and banks at most `max_banked` (its starting balance).
struct retry_budget_options {
    /// Retries earned per call: 0.1 lets retries add about 10 % to the calls. 0 to 1.
    double ratio = 0.1;
    /// Retries earned per second, whatever the traffic. Not negative.
    double per_second = 1.0;
    /// The most retries banked, and the starting balance. Not negative.
    double max_banked = 10.0;
};

/// How an `authentication_client` reaches GenAuth. Checked when the client is constructed; an
/// invalid value makes every operation fail with an input error before any I/O.
struct client_options {
    /// `https://host[:port]` (or `http://` for a local test server); a trailing slash is tolerated,
    /// any other path, query, fragment or user-info is rejected. Without a scheme
    /// (`example.genauth.ai`) it is read as `https://`, as the Node SDK does.
    std::string app_host;
    /// Sent as `x-authing-app-id` (or `x-genauth-app-id`). Required: empty is `missing_app_id`.
    std::string app_id;
    /// A user's access token, sent as `authorization: Bearer <token>`; a token that already
    /// starts with "Bearer " is sent as given. Never logged, never in an error message.
    /// Leave it empty for an application-level client that serves many users: each user's calls
    /// then go through `authentication_client::with_access_token` (or `with_user`) handles.
    std::string access_token;
    /// Sent as `x-authing-lang` when set ("zh-CN", "en-US", ...); a handle's own lang overrides it.
    std::optional<std::string> lang;
    /// Sent as `x-authing-request-from`.
    std::string request_from = "sdk";
    /// Which header names to send.
    genauth::header_prefix header_prefix = genauth::header_prefix::authing;

    /// One deadline for each whole operation: resolve, connect, TLS handshake, write, read (and a
    /// reconnect, or a read's retries and their waits, if any). Must be positive. A handle's
    /// `with_timeout` overrides it.
    std::chrono::milliseconds timeout{10'000};
    /// When reads are tried again (a handle's `with_retry` overrides it); see retry_policy.
    retry_policy retry;
    /// How many retries the whole client may make; see retry_budget_options.
    retry_budget_options retry_budget;
    /// The largest response body accepted. Must be positive.
    std::size_t max_response_body = std::size_t{1024} * 1024;
    /// The most connections the client opens to the host at once (in use, idle or being
    /// opened). Operations beyond that wait, first come first served, within their own deadline.
    std::size_t max_connections = 16;
    /// An idle connection older than this is closed instead of reused (when next looked at).
    /// Below the keep-alive timeouts servers commonly use (Node 5 s, Apache 5 s, nginx 75 s,
    /// load balancers 60 s), so the client stops using a connection before the server closes it:
    /// a POST caught by such a close is not resent (see "Nothing sent twice").
    std::chrono::milliseconds idle_timeout{4'000};

    /// true (the default): each step of an operation runs on the client's executor under that
    /// operation's own lock (which orders it against the operation's cancellation from another
    /// thread), so the executor may be run by any number of threads. false: operations run
    /// directly on the client's executor, which must then be single-threaded (an io_context run
    /// by one thread, or a strand); saves the lock. As Boost.MySQL's pool_params::thread_safe.
    bool thread_safe = true;

    genauth::tls_options tls;

    /// The HTTP proxy that HTTPS app hosts are reached through (a CONNECT tunnel; TLS still runs
    /// end to end with the app host): `http://[user:password@]host[:port]`, port 1080 when
    /// omitted, user and password percent-encoded (sent as `Proxy-Authorization: Basic`, never
    /// in a message). Empty: see `proxy_from_environment`.
    std::string proxy;
    /// With `proxy` empty: use HTTPS_PROXY, https_proxy, ALL_PROXY or all_proxy (the first set),
    /// with NO_PROXY / no_proxy, as curl and Go read them, once, when the client is made. false:
    /// the environment is not read.
    bool proxy_from_environment = true;
    /// Hosts reached directly although a proxy is set: comma-separated host names (subdomains
    /// included), IP literals, optional ":port", or `*`. Empty: NO_PROXY / no_proxy when the
    /// environment is read.
    std::string no_proxy;

    /// Called once per operation when it completes, with what it did (see operation_record):
    /// for logs, metrics and traces. Never sees a token or a body. Unset: no cost.
    operation_observer observer;
};

/// What belongs to one end user rather than to the application: the handle made by
/// `authentication_client::with_user` sends it with each of that user's calls. Checked when the
/// handle is made; an invalid value fails every call of the handle before any I/O.
struct user_context {
    /// The user's access token (what a browser sends to the backend), sent as
    /// `authorization: Bearer <token>`. Empty: every call fails with `missing_access_token`.
    /// CR, LF or another control byte: `invalid_header_value`. Never in any message.
    std::string access_token;
    /// The end user's IP address (IPv4 or IPv6 literal), sent as `x-real-ip` in its canonical form
    /// (as the parsed address prints it, never the text given), so GenAuth's rate limits on SMS
    /// and email count against the user rather than the backend. Anything else, an IPv6 zone id
    /// ("fe80::1%eth0") included: `invalid_real_ip`.
    std::optional<std::string> real_ip;
    /// The user's language (`x-authing-lang`), e.g. "en-US"; unset: the client's `lang`.
    /// 1-35 characters of A-Z, a-z, 0-9, '-' and '_', otherwise `invalid_lang`.
    std::optional<std::string> lang;
};

}  // namespace genauth

#endif
