// genauth-cpp demo: the whole MFA factor lifecycle, step by step, with the time each call took.
//
//   mfa_demo                 starts a local GenAuth-compatible HTTPS server and binds an SMS,
//                            an EMAIL and an OTP factor on it (codes read from its outbox, the
//                            TOTP computed from the key URI), verifies the OTP, signs in with each
//                            bound factor as the second one (a new mfaToken each, from the local
//                            server: GenAuth's own sign-in is out of scope), resets them all.
//   mfa_demo --app-host https://<app>.genauth.ai --app-id <id> --access-token <user token>
//            [--phone <number> [--phone-country-code +86]] [--email <address>] [--factors otp,sms,email]
//            [--mfa-token <token>]
//                            the same flow against a real tenant; SMS and email codes are asked
//                            for on the terminal. The sign-in step runs with --mfa-token (the
//                            token GenAuth answered a sign-in with), for the first bound factor. Options may come from
//                            GENAUTH_APP_HOST, GENAUTH_APP_ID, GENAUTH_ACCESS_TOKEN, GENAUTH_PHONE, GENAUTH_EMAIL.
#include <genauth/genauth.hpp>
#include <genauth/testing/fake_genauth_server.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/serialize.hpp>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

namespace asio = boost::asio;

namespace {

// Completion token of every call below: [error_code, response], no exceptions.
constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

constexpr const char* usage =
    "usage: mfa_demo [--app-host URL --app-id ID --access-token TOKEN [--phone NUMBER]\n"
    "                 [--phone-country-code CODE] [--email ADDRESS] [--factors otp,sms,email] [--timeout-ms N]\n"
    "                 [--mfa-token TOKEN]]\n"
    "With no --app-host (nor GENAUTH_APP_HOST) it runs against a local GenAuth-compatible server.\n";

struct settings {
    std::map<std::string, std::string> values;
    std::string get(const std::string& name) const {
        auto it = values.find(name);
        return it == values.end() ? std::string() : it->second;
    }
};

bool parse_arguments(int argc, char** argv, settings& out, std::string& error) {
    const std::set<std::string> known = {"app-host", "app-id",  "access-token", "phone",    "phone-country-code",
                                         "email",    "factors", "timeout-ms",   "mfa-token"};
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") return false;
        if (arg.rfind("--", 0) != 0 || !known.count(arg.substr(2))) {
            error = "unknown argument: " + arg;
            return false;
        }
        if (i + 1 >= argc) {
            error = "missing value for " + arg;
            return false;
        }
        out.values[arg.substr(2)] = argv[++i];
    }
    for (const auto& name : known) {
        std::string env = "GENAUTH_";
        for (char c : name) env += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (!out.values.count(name))
            if (const char* value = std::getenv(env.c_str())) out.values[name] = value;
    }
    const bool remote = !out.get("app-host").empty();
    if (remote && out.get("access-token").empty()) {
        error = "--access-token (or GENAUTH_ACCESS_TOKEN) is required with --app-host";
        return false;
    }
    if (!remote && (!out.get("access-token").empty() || !out.get("app-id").empty() || !out.get("mfa-token").empty())) {
        error = "--app-id, --access-token and --mfa-token need --app-host";
        return false;
    }
    std::string factors = out.get("factors");
    if (factors.empty())
        factors = remote ? "otp" + std::string(out.get("phone").empty() ? "" : ",sms") +
                               (out.get("email").empty() ? "" : ",email")
                         : "sms,email,otp";
    std::stringstream list(factors);
    std::string item;
    std::string normalised;
    while (std::getline(list, item, ',')) {
        if (item != "otp" && item != "sms" && item != "email") {
            error = "--factors takes otp, sms and email, comma-separated";
            return false;
        }
        if (item == "sms" && remote && out.get("phone").empty()) {
            error = "the sms factor needs --phone";
            return false;
        }
        if (item == "email" && remote && out.get("email").empty()) {
            error = "the email factor needs --email";
            return false;
        }
        normalised += (normalised.empty() ? "" : ",") + item;
    }
    out.values["factors"] = normalised;
    if (!out.get("timeout-ms").empty()) {
        const auto& t = out.get("timeout-ms");
        if (t.find_first_not_of("0123456789") != std::string::npos || t.size() > 9 || std::stol(t) <= 0) {
            error = "--timeout-ms must be a positive number";
            return false;
        }
    }
    return true;
}

// Prints one step: how long the call took and what came back.
class step_printer {
public:
    void operator()(std::chrono::steady_clock::duration took, const std::string& what) const {
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
        std::cout << "  [" << std::setw(7) << std::fixed << std::setprecision(1) << us / 1000.0 << " ms] " << what
                  << std::endl;
    }
};

std::string describe_failure(const genauth::error_code& ec, const genauth::response_base& r) {
    return std::string("FAILED: ") + genauth::error_with_diagnostics(ec, r, r.diag).what();
}

class demo {
public:
    // `mfa_token_for_sign_in` gives the mfaToken of a sign-in that needs MFA ("" when there is none).
    demo(genauth::authentication_client& app, genauth::authentication_client& client, settings cfg,
         std::function<std::string(const std::string& recipient)> read_code,
         std::function<std::string()> mfa_token_for_sign_in)
        : app_(app),
          client_(client),
          cfg_(std::move(cfg)),
          read_code_(std::move(read_code)),
          mfa_token_for_sign_in_(std::move(mfa_token_for_sign_in)) {}

    asio::awaitable<bool> run() {
        std::cout << "factors the user can bind:" << std::endl;
        if (!co_await show_factors_to_enroll()) co_return false;
        std::stringstream factors(cfg_.get("factors"));
        std::string factor;
        while (std::getline(factors, factor, ',')) {
            std::cout << "\n" << factor << " factor:" << std::endl;
            if (!co_await bind(factor)) co_return false;
        }
        std::cout << "\nbound factors:" << std::endl;
        auto [ec, listed] = co_await timed(client_.async_list_enrolled_factors(as_result));
        if (ec) co_return fail(ec, listed);
        for (const auto& f : listed.data)
            print_(took_,
                   "list-enrolled-factors: " + std::string(genauth::wire_name(f.factor_type, f.factor_type_name)) +
                       " " + f.factor_id + " " + boost::json::serialize(f.profile));
        std::cout << "\nsigning in with each as the second factor:" << std::endl;
        if (!co_await sign_in_with_each()) co_return false;
        std::cout << "\nresetting them:" << std::endl;
        for (const auto& f : listed.data) {
            // Requests are named, not brace-initialised temporaries inside co_await: g++ 12
            // destroys such temporaries twice (GCC bug 101367).
            const genauth::reset_factor_request request{f.factor_id};
            auto [rec, reset] = co_await timed(client_.async_reset_factor(request, as_result));
            if (rec) co_return fail(rec, reset);
            print_(took_, "reset-factor " + f.factor_id + ": statusCode " + std::to_string(reset.status_code));
        }
        co_return co_await show_factors_to_enroll();
    }

private:
    // Awaits `op`, remembering how long it took.
    template <class Awaitable>
    auto timed(Awaitable op) -> Awaitable {
        return [](Awaitable inner, std::chrono::steady_clock::duration& took) -> Awaitable {
            const auto start = std::chrono::steady_clock::now();
            auto result = co_await std::move(inner);
            took = std::chrono::steady_clock::now() - start;
            co_return result;
        }(std::move(op), took_);
    }

    bool fail(const genauth::error_code& ec, const genauth::response_base& r) {
        print_(took_, describe_failure(ec, r));
        return false;
    }

    // A sign-in GenAuth answered with an mfaToken, passed with each bound factor in turn (one
    // mfaToken per sign-in: a passed challenge spends it).
    asio::awaitable<bool> sign_in_with_each() {
        std::stringstream factors(cfg_.get("factors"));
        std::string factor;
        while (std::getline(factors, factor, ',')) {
            const auto mfa_token = mfa_token_for_sign_in_();
            if (mfa_token.empty()) {
                std::cout << "  (skipped: give --mfa-token, the token of a sign-in that needs MFA)" << std::endl;
                co_return true;
            }
            // The application's client acts for no user: the handle brings the mfaToken.
            const auto challenge = app_.with_mfa_token(mfa_token);
            genauth::mfa_challenge_response passed;
            genauth::error_code ec;
            if (factor == "otp") {
                const genauth::mfa_totp_challenge request{
                    genauth::totp::code_at(otp_key_.params, std::chrono::system_clock::now())};
                std::tie(ec, passed) = co_await timed(challenge.async_verify_totp(request, as_result));
            } else {
                const bool sms = factor == "sms";
                const std::string recipient = sms ? phone() : email();
                genauth::envelope_response sent;
                if (sms) {
                    const genauth::send_sms_request send{genauth::sms_channel::verify_mfa, recipient, country_code()};
                    std::tie(ec, sent) = co_await timed(challenge.async_send_sms(send, as_result));
                } else {
                    const genauth::send_email_request send{genauth::email_channel::verify_mfa, recipient};
                    std::tie(ec, sent) = co_await timed(challenge.async_send_email(send, as_result));
                }
                if (ec) co_return fail(ec, sent);
                print_(took_, std::string(sms ? "send-sms" : "send-email") + " CHANNEL_VERIFY_MFA to " + recipient);
                const auto code = read_code_(recipient);
                if (sms) {
                    const genauth::mfa_sms_challenge request{recipient, code, country_code()};
                    std::tie(ec, passed) = co_await timed(challenge.async_verify_sms(request, as_result));
                } else {
                    const genauth::mfa_email_challenge request{recipient, code};
                    std::tie(ec, passed) = co_await timed(challenge.async_verify_email(request, as_result));
                }
            }
            if (ec) co_return fail(ec, passed);
            // The access token is the sign-in's result: kept server-side, never printed.
            print_(took_, "mfa " + factor + " challenge: signed in as " + passed.data.id + ", access token received (" +
                              std::to_string(passed.data.token.size()) + " bytes)");
            if (!cfg_.get("app-host").empty()) co_return true;  // a real tenant's --mfa-token serves one sign-in
        }
        co_return true;
    }

    std::string phone() const { return cfg_.get("phone").empty() ? "18800000001" : cfg_.get("phone"); }
    std::string email() const { return cfg_.get("email").empty() ? "alice@example.com" : cfg_.get("email"); }
    std::string country_code() const {
        return cfg_.get("phone-country-code").empty() ? "+86" : cfg_.get("phone-country-code");
    }

    asio::awaitable<bool> show_factors_to_enroll() {
        auto [ec, r] = co_await timed(client_.async_list_factors_to_enroll(as_result));
        if (ec) co_return fail(ec, r);
        std::string names;
        for (const auto& t : r.data)
            names += (names.empty() ? "" : ", ") + std::string(genauth::wire_name(t.factor_type, t.factor_type_name));
        print_(took_, "list-factors-to-enroll: " + (names.empty() ? std::string("(none)") : names));
        co_return true;
    }

    asio::awaitable<bool> bind(const std::string& factor) {
        genauth::send_enroll_factor_request_params start;
        std::string recipient;
        if (factor == "sms") {
            start.factor_type = genauth::factor_type::sms;
            recipient = phone();
            start.profile.phone_number = recipient;
            start.profile.phone_country_code = country_code();
        } else if (factor == "email") {
            start.factor_type = genauth::factor_type::email;
            recipient = email();
            start.profile.email = recipient;
        } else {
            start.factor_type = genauth::factor_type::otp;
        }
        auto [ec, started] = co_await timed(client_.async_send_enroll_factor_request(start, as_result));
        if (ec) co_return fail(ec, started);
        print_(took_, "send-enroll-factor-request " + factor + ": enrollment token " +
                          started.data.enrollment_token.substr(0, 12) + "... (valid 60 s)");

        genauth::enroll_factor_request enroll;
        enroll.factor_type = start.factor_type;
        enroll.enrollment_token = started.data.enrollment_token;
        genauth::totp::key_uri& key = otp_key_;
        if (start.factor_type == genauth::factor_type::otp) {
            if (!started.data.otp_data) {
                std::cout << "  FAILED: no otpData in the answer" << std::endl;
                co_return false;
            }
            std::string why;
            if (auto perr = genauth::totp::parse_key_uri(started.data.otp_data->qr_code_uri, key, &why)) {
                std::cout << "  FAILED: " << perr.message() << ": " << why << std::endl;
                co_return false;
            }
            std::cout << "             key URI for " << key.issuer << ":" << key.account << " ("
                      << genauth::totp::to_string(key.params.algorithm) << ", " << key.params.digits << " digits, "
                      << key.params.period.count() << " s), recovery code " << started.data.otp_data->recovery_code
                      << std::endl;
            enroll.enrollment_data.pass_code = genauth::totp::code_at(key.params, std::chrono::system_clock::now());
            std::cout << "             current TOTP: " << *enroll.enrollment_data.pass_code << std::endl;
        } else {
            enroll.enrollment_data.pass_code = read_code_(recipient);
            std::cout << "             code for " << recipient << ": " << *enroll.enrollment_data.pass_code
                      << std::endl;
        }
        auto [eec, enrolled] = co_await timed(client_.async_enroll_factor(enroll, as_result));
        if (eec) co_return fail(eec, enrolled);
        print_(took_, "enroll-factor " + factor + ": statusCode " + std::to_string(enrolled.status_code) + ", \"" +
                          enrolled.message + "\"");

        if (start.factor_type == genauth::factor_type::otp) {
            const auto code = genauth::totp::code_at(key.params, std::chrono::system_clock::now());
            const genauth::mfa_otp_verify_request request{code};
            auto [vec, verified] = co_await timed(client_.async_mfa_otp_verify(request, as_result));
            if (vec) co_return fail(vec, verified);
            print_(took_, "mfa-totp-verify " + code + ": verified " + (verified.data.verified ? "true" : "false"));
        }
        co_return true;
    }

    genauth::authentication_client& app_;     // the application's client: no user of its own
    genauth::authentication_client& client_;  // the user's handle
    settings cfg_;
    std::function<std::string(const std::string&)> read_code_;
    std::function<std::string()> mfa_token_for_sign_in_;
    genauth::totp::key_uri otp_key_;  // the bound OTP factor's key
    step_printer print_;
    std::chrono::steady_clock::duration took_{};
};

}  // namespace

int main(int argc, char** argv) {
    settings cfg;
    std::string error;
    if (!parse_arguments(argc, argv, cfg, error)) {
        if (!error.empty()) std::cerr << "mfa_demo: " << error << "\n";
        std::cerr << usage;
        return 2;
    }

    genauth::client_options options;
    std::unique_ptr<genauth::testing::fake_genauth_server> local;
    std::function<std::string(const std::string&)> read_code;
    std::function<std::string()> mfa_token_for_sign_in;
    std::string access_token;
    if (cfg.get("app-host").empty()) {
        local = std::make_unique<genauth::testing::fake_genauth_server>();
        local->add_user("demo-access-token", "alice@example.com");
        options = local->client_options_for("");
        access_token = "demo-access-token";
        // What GenAuth's sign-in would answer for a user with MFA on (not simulated here).
        mfa_token_for_sign_in = [server = local.get()] { return server->issue_mfa_token("demo-access-token"); };
        std::cout << "local GenAuth-compatible server at " << local->url() << " (certificate made just now)\n\n";
        read_code = [server = local.get()](const std::string& recipient) {
            return server->last_code_for(recipient).value_or("");
        };
    } else {
        options.app_host = cfg.get("app-host");
        options.app_id = cfg.get("app-id");
        access_token = cfg.get("access-token");
        mfa_token_for_sign_in = [token = cfg.get("mfa-token")] { return token; };
        std::cout << "GenAuth tenant " << options.app_host << "\n\n";
        read_code = [](const std::string& recipient) {
            std::cout << "             enter the code sent to " << recipient << ": " << std::flush;
            std::string code;
            std::getline(std::cin, code);
            return code;
        };
    }
    if (!cfg.get("timeout-ms").empty()) options.timeout = std::chrono::milliseconds(std::stol(cfg.get("timeout-ms")));

    // One line per call, through the client's observer: what an operator would log (never a
    // token or a body). Bridge it to your own logger or tracer the same way.
    options.observer = [](const genauth::operation_record& r) {
        static constexpr const char* uses[] = {"no connection", "reused", "new connection", "resumed session"};
        std::ostringstream line;
        line << "             [genauth] " << r.method << ' ' << r.path << " -> "
             << (r.ec ? r.ec.message() : std::string("ok")) << ", HTTP " << r.http_status << ", "
             << uses[static_cast<int>(r.connection)] << (r.resent ? ", resent" : "") << ", " << r.total.count() / 1000.0
             << " ms (tls " << r.tls_handshake.count() / 1000.0 << " ms)";
        if (r.attempts > 1)
            line << ", " << r.attempts << " attempts (" << r.retry_waiting.count() / 1000.0 << " ms waiting)";
        if (r.retry_after) line << ", Retry-After " << r.retry_after->count() << " s";
        if (!r.request_id.empty()) line << ", requestId " << r.request_id;
        std::cout << line.str() << '\n';
    };
    asio::io_context io;
    genauth::authentication_client app(io, options);  // one client for the application
    auto user = app.with_access_token(access_token);  // a handle for the user
    demo flow(app, user, cfg, read_code, mfa_token_for_sign_in);
    auto result = asio::co_spawn(io, flow.run(), asio::use_future);
    io.run();
    const bool ok = result.get();
    std::cout << (ok ? "\ndone: every step succeeded\n" : "\nstopped at the failed step\n");
    return ok ? 0 : 1;
}
