#ifndef GENAUTH_IMPL_TESTING_FAKE_GENAUTH_SERVER_IPP
#define GENAUTH_IMPL_TESTING_FAKE_GENAUTH_SERVER_IPP

#include <genauth/detail/sansio/request.hpp>
#include <genauth/dto/enroll_factor.hpp>
#include <genauth/dto/mfa_factors.hpp>
#include <genauth/dto/mfa_token.hpp>
#include <genauth/dto/send_code.hpp>
#include <genauth/impl/sansio/sanitize.hpp>
#include <genauth/testing/fake_genauth_server.hpp>
#include <genauth/totp.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <openssl/rand.h>

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <span>
#include <stdexcept>

namespace genauth::testing {

namespace fake_detail {

namespace json = boost::json;
using clock = std::chrono::system_clock;

inline std::vector<unsigned char> random_bytes(std::size_t n) {
    std::vector<unsigned char> out(n);
    if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
    return out;
}

inline std::string hex(const std::vector<unsigned char>& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 0xF];
    }
    return out;
}

inline std::string base64(const std::vector<unsigned char>& bytes) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    if (i < bytes.size()) {
        unsigned v = bytes[i] << 16;
        if (i + 1 < bytes.size()) v |= bytes[i + 1] << 8;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? alphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

inline std::string six_digit_code() {
    const auto b = random_bytes(4);
    const std::uint32_t v = (std::uint32_t(b[0]) << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
    auto code = std::to_string(v % 1000000);
    return std::string(6 - code.size(), '0') + code;
}

// A 1x1 transparent PNG: the stand-in for GenAuth's rendered QR code.
inline constexpr const char* placeholder_png =
    "data:image/"
    "png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

struct pending_enrollment {
    std::string owner;  // access token
    factor_type type = factor_type::otp;
    factor_profile profile;
    std::string code;           // SMS / EMAIL
    totp::parameters otp;       // OTP
    std::string recovery_code;  // OTP
    clock::time_point expires;
    bool used = false;
};

struct bound_factor {
    std::string id;
    factor_type type = factor_type::otp;
    json::object profile;
    totp::parameters otp;
    std::string recovery_code;  // OTP: signs in once instead of a code
    bool recovery_code_used = false;
};

struct user_state {
    std::string account;
    std::vector<bound_factor> factors;
    std::optional<totp::parameters> association;  // a TOTP association started at sign-in, not yet confirmed
    std::string association_recovery_code;
};

// The user's bound factor of `type` (const or not, as `user`), or null.
template <class User>
auto factor_of(User& user, factor_type type) -> decltype(&user.factors.front()) {
    for (auto& f : user.factors)
        if (f.type == type) return &f;
    return nullptr;
}

// A recovery code as GenAuth shows them: groups of four hex digits (six here).
inline std::string recovery_code() {
    const auto r = hex(random_bytes(12));
    std::string out;
    for (std::size_t i = 0; i < r.size(); i += 4) out += (i ? "-" : "") + r.substr(i, 4);
    return out;
}

}  // namespace fake_detail

namespace json = boost::json;

struct fake_genauth_server::state {
    using clock = fake_detail::clock;

    config cfg;
    mutable std::mutex mutex;
    std::map<std::string, fake_detail::user_state> users;                // by access token
    std::map<std::string, fake_detail::pending_enrollment> enrollments;  // by enrollment token
    std::map<std::string, clock::time_point> last_sent;                  // by "channel:recipient"
    std::vector<delivered_code> sent;
    struct mfa_token_state {
        std::string user_id;
        std::string access_token;  // the user it signs in
        clock::time_point expires;
        bool used = false;  // a passed challenge ends the sign-in
    };
    // The code last sent to "sms:<phone>" / "email:<address>" by send-sms / send-email, until a
    // challenge uses it.
    std::map<std::string, std::string> live_codes;
    std::map<std::string, mfa_token_state> mfa_tokens;  // by token
    clock::duration offset{};
    // script_next / delay_next: the reply (unset: the fake's own, delayed), for `remaining` more
    // requests to `path` (empty: any).
    struct script {
        std::string path;
        std::size_t remaining;
        std::optional<scripted_reply> reply;
        std::chrono::milliseconds delay{0};
    };
    std::deque<script> scripts;

    explicit state(config c) : cfg(std::move(c)) {}

    clock::time_point now() const { return clock::now() + offset; }

    static scripted_reply envelope(int status, std::string_view message, std::optional<int> api_code = std::nullopt,
                                   std::optional<json::value> data = std::nullopt, unsigned http_status = 200) {
        json::object obj;
        obj["statusCode"] = status;
        obj["message"] = message;
        if (api_code) obj["apiCode"] = *api_code;
        obj["requestId"] = fake_detail::hex(fake_detail::random_bytes(16));
        if (data) obj["data"] = std::move(*data);
        return scripted_reply::json(json::serialize(obj), http_status);
    }

    static scripted_reply ok(std::optional<json::value> data = std::nullopt) {
        return envelope(200, "Operation successful", std::nullopt, std::move(data));
    }

    // Decodes the request body into T, or explains the 400 answer.
    template <class T>
    static std::optional<scripted_reply> decode_body(const received_request& request, T& out) {
        error_code ec;
        const auto jv = json::parse(request.body, ec);
        if (ec) return envelope(400, "malformed JSON: " + ec.message());
        genauth::detail::decode_context ctx;
        if (!decode_value(jv, out, ctx)) return envelope(400, "invalid request: " + ctx.detail);
        return std::nullopt;
    }

    static std::string query_parameter(std::string_view target, std::string_view name) {
        const auto question = target.find('?');
        if (question == std::string_view::npos) return {};
        auto query = target.substr(question + 1);
        while (!query.empty()) {
            const auto amp = query.find('&');
            const auto pair = query.substr(0, amp);
            query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
            const auto eq = pair.find('=');
            if (pair.substr(0, eq) != name || eq == std::string_view::npos) continue;
            std::string value;
            if (genauth::detail::percent_decode(pair.substr(eq + 1), value)) return value;
        }
        return {};
    }

    fake_detail::bound_factor* find_factor(fake_detail::user_state& user, std::string_view id) {
        for (auto& f : user.factors)
            if (f.id == id) return &f;
        return nullptr;
    }

    // A new OTP key for `user`: GenAuth's issuer, the user's account as label, a random secret.
    totp::key_uri new_otp_key(const fake_detail::user_state& user) const {
        totp::key_uri key;
        key.issuer = cfg.issuer;
        key.account = user.account;
        key.params.secret = fake_detail::random_bytes(20);
        return key;
    }

    static scripted_reply already_bound(factor_type type) {
        return envelope(409, "a " + std::string(to_string(type)) + " factor is already bound",
                        type == factor_type::face ? std::optional<int>(1706) : std::nullopt);
    }

    scripted_reply handle(const received_request& request) {
        try {
            std::lock_guard lock(mutex);
            const std::string_view path = std::string_view(request.target).substr(0, request.target.find('?'));
            const auto scripted = std::find_if(scripts.begin(), scripts.end(),
                                               [&](const script& s) { return s.path.empty() || s.path == path; });
            if (scripted != scripts.end()) {
                auto reply = scripted->reply ? *scripted->reply : route_request(request);
                if (!scripted->reply) reply.delay = scripted->delay;
                if (--scripted->remaining == 0) scripts.erase(scripted);
                return reply;
            }
            return route_request(request);
        } catch (const std::exception& e) {
            return envelope(500, std::string("internal error: ") + e.what(), std::nullopt, std::nullopt, 500);
        }
    }

    // What a route's answer gets: the request, its bearer token, and what the token names.
    struct call_context {
        const received_request& request;
        const std::string& token;
        fake_detail::user_state* user;  // the signed-in user, or the one an mfaToken signs in
        mfa_token_state* mfa;           // for the sign-in challenge's routes
    };
    enum class bearer {
        none,       // a public call (send-sms, send-email) or the application's (introspection)
        user,       // an access token
        mfa_token,  // the mfaToken of a sign-in: the challenge calls
    };
    struct route {
        genauth::detail::endpoint ep;
        bearer needs;
        scripted_reply (*answer)(state&, const call_context&);
    };

    // One route per endpoint of the client's own table (method and path spelled once, there).
    static std::span<const route> routes() {
        namespace ep = genauth::detail::endpoints;
        using b = bearer;
        using c = const call_context&;
        static const route table[] = {
            {ep::send_enroll_factor_request, b::user,
             [](state& s, c x) { return s.send_enroll_factor_request(x.request, x.token, *x.user); }},
            {ep::enroll_factor, b::user, [](state& s, c x) { return s.enroll_factor(x.request, x.token, *x.user); }},
            {ep::list_enrolled_factors, b::user, [](state& s, c x) { return s.list_enrolled_factors(*x.user); }},
            {ep::get_factor, b::user, [](state& s, c x) { return s.get_factor(x.request, *x.user); }},
            {ep::reset_factor, b::user, [](state& s, c x) { return s.reset_factor(x.request, *x.user); }},
            {ep::list_factors_to_enroll, b::user, [](state& s, c x) { return s.list_factors_to_enroll(*x.user); }},
            {ep::mfa_otp_verify, b::user, [](state& s, c x) { return s.mfa_otp_verify(x.request, *x.user); }},
            {ep::send_sms, b::none, [](state& s, c x) { return s.send_code<send_sms_request>(x.request, "sms"); }},
            {ep::send_email, b::none,
             [](state& s, c x) { return s.send_code<send_email_request>(x.request, "email"); }},
            {ep::verify_mfa_token, b::none, [](state& s, c x) { return s.verify_mfa_token(x.request); }},
            // The sign-in side (impl/testing/fake_sign_in.ipp).
            {ep::mfa_verify_totp, b::mfa_token, [](state& s, c x) { return s.verify_totp_challenge(x); }},
            {ep::mfa_verify_sms, b::mfa_token, [](state& s, c x) { return s.verify_sms_challenge(x); }},
            {ep::mfa_verify_email, b::mfa_token, [](state& s, c x) { return s.verify_email_challenge(x); }},
            {ep::mfa_verify_recovery_code, b::mfa_token, [](state& s, c x) { return s.verify_recovery_code(x); }},
            {ep::mfa_verify_face, b::mfa_token, [](state& s, c x) { return s.verify_face_challenge(x); }},
            {ep::mfa_check_bindable, b::mfa_token, [](state& s, c x) { return s.check_bindable(x); }},
            {ep::mfa_associate_totp, b::mfa_token, [](state& s, c x) { return s.associate_totp(x); }},
            {ep::mfa_confirm_totp_association, b::mfa_token,
             [](state& s, c x) { return s.confirm_totp_association(x); }},
            {ep::mfa_list_authenticators, b::mfa_token, [](state& s, c x) { return s.list_authenticators(x); }},
            {ep::webauthn_mfa_bind_initialize, b::mfa_token,
             [](state& s, c x) { return s.webauthn_initialize(x, true); }},
            {ep::webauthn_mfa_verify_initialize, b::mfa_token,
             [](state& s, c x) { return s.webauthn_initialize(x, false); }},
        };
        return table;
    }

    // The sign-in side's answers (impl/testing/fake_sign_in.ipp).
    static scripted_reply v2(int code, std::string_view message, std::optional<json::value> data = std::nullopt);
    scripted_reply signed_in(const call_context& x);
    scripted_reply verify_totp_challenge(const call_context& x);
    scripted_reply verify_sms_challenge(const call_context& x);
    scripted_reply verify_email_challenge(const call_context& x);
    scripted_reply verify_recovery_code(const call_context& x);
    scripted_reply verify_face_challenge(const call_context& x);
    scripted_reply check_bindable(const call_context& x);
    scripted_reply associate_totp(const call_context& x);
    scripted_reply confirm_totp_association(const call_context& x);
    scripted_reply list_authenticators(const call_context& x);
    scripted_reply webauthn_initialize(const call_context& x, bool bind);
    // The mfaToken's state, or the V2 refusal (the WebAuthn routes answer V3's).
    std::optional<scripted_reply> check_mfa_token(const std::string& token, const received_request& request,
                                                  mfa_token_state*& out);

    // Every endpoint of the client has a route: a new endpoint fails every test that starts a
    // fake server until the server learns it.
    static void check_routes() {
        for (const auto& e : genauth::detail::endpoints::all) {
            const bool routed = std::any_of(routes().begin(), routes().end(), [&](const route& r) {
                return r.ep.method == e.method && r.ep.path == e.path;
            });
            if (!routed) throw std::logic_error("fake_genauth_server has no route for " + std::string(e.path));
        }
    }

    scripted_reply route_request(const received_request& request) {
        const std::string path = request.target.substr(0, request.target.find('?'));
        const auto found = std::find_if(routes().begin(), routes().end(), [&](const route& r) {
            return path == r.ep.path && request.method == detail::method_name(r.ep.method);
        });
        if (found == routes().end()) return envelope(404, "no such endpoint", std::nullopt, std::nullopt, 404);
        std::string token = request.header("authorization");
        if (genauth::detail::iequals_prefix(token, "bearer ")) token.erase(0, 7);
        switch (found->needs) {
            case bearer::none:
                return found->answer(*this, {request, token, nullptr, nullptr});
            case bearer::mfa_token: {
                mfa_token_state* mfa = nullptr;
                if (auto refused = check_mfa_token(token, request, mfa)) return *refused;
                return found->answer(*this, {request, token, &users[mfa->access_token], mfa});
            }
            case bearer::user:
                break;
        }
        auto user = users.find(token);
        if (!token.empty() && user == users.end() && cfg.accept_any_token)
            user = users
                       .emplace(token,
                                fake_detail::user_state{
                                    "user-" + std::to_string(users.size() + 1) + "@example.com", {}, {}, {}})
                       .first;
        if (token.empty() || user == users.end()) return envelope(401, "not logged in", 2020);
        return found->answer(*this, {request, token, &user->second, nullptr});
    }

    // Whether a code may go to `key` now (one per address and purpose per resend_interval).
    bool may_send(const std::string& key) {
        if (auto last = last_sent.find(key); last != last_sent.end() && now() - last->second < cfg.resend_interval)
            return false;
        last_sent[key] = now();
        return true;
    }

    template <class Request>
    scripted_reply send_code(const received_request& request, const char* channel) {
        Request body;
        if (auto bad = decode_body(request, body)) return *bad;
        if (auto ec = validate(body)) return envelope(400, "invalid request: " + ec.message());
        std::string recipient;
        if constexpr (std::is_same_v<Request, send_sms_request>)
            recipient = body.phone_number;
        else
            recipient = body.email;
        if (!may_send(std::string(channel) + ":" + std::string(to_string(body.channel)) + ":" + recipient))
            return envelope(429, "a code was sent to this address for this purpose less than a minute ago");
        sent.push_back({channel, recipient, fake_detail::six_digit_code()});
        live_codes[std::string(channel) + ":" + recipient] = sent.back().code;
        return ok();
    }

    scripted_reply verify_mfa_token(const received_request& request) {
        verify_mfa_token_request body;
        if (auto bad = decode_body(request, body)) return *bad;
        mfa_token_introspection answer;
        if (auto it = mfa_tokens.find(body.token); it != mfa_tokens.end() && now() < it->second.expires) {
            answer.active = true;
            answer.user_pool_id = "fake-user-pool";
            answer.user_id = it->second.user_id;
            answer.exp =
                std::chrono::duration_cast<std::chrono::seconds>(it->second.expires.time_since_epoch()).count();
            answer.iat = answer.exp.value() - 600;
        }
        return scripted_reply::json(json::serialize(json::value_from(answer)));  // no envelope
    }

    scripted_reply send_enroll_factor_request(const received_request& request, const std::string& token,
                                              fake_detail::user_state& user) {
        send_enroll_factor_request_params params;
        if (auto bad = decode_body(request, params)) return *bad;
        if (validate(params)) return envelope(400, "invalid request: " + validate(params).message());
        if (fake_detail::factor_of(user, params.factor_type) != nullptr) return already_bound(params.factor_type);

        fake_detail::pending_enrollment pending;
        pending.owner = token;
        pending.type = params.factor_type;
        pending.profile = params.profile;
        pending.expires = now() + cfg.enrollment_token_lifetime;
        send_enroll_factor_request_data data;

        if (params.factor_type == factor_type::sms || params.factor_type == factor_type::email) {
            const bool sms = params.factor_type == factor_type::sms;
            const std::string recipient = sms ? *params.profile.phone_number : *params.profile.email;
            const std::string key = (sms ? "sms:" : "email:") + recipient;
            if (!may_send(key))
                return envelope(429, "a code was sent to this address less than a minute ago: try again later");
            pending.code = fake_detail::six_digit_code();
            sent.push_back({sms ? "sms" : "email", recipient, pending.code});
        } else if (params.factor_type == factor_type::otp) {
            const auto key = new_otp_key(user);
            pending.otp = key.params;
            otp_data otp;
            otp.qr_code_uri = totp::make_key_uri(key);
            otp.qr_code_data_url = fake_detail::placeholder_png;
            otp.recovery_code = fake_detail::recovery_code();
            pending.recovery_code = otp.recovery_code;
            data.otp_data = std::move(otp);
        }
        data.enrollment_token = fake_detail::base64(fake_detail::random_bytes(48));
        enrollments[data.enrollment_token] = std::move(pending);
        return ok(json::value_from(data));
    }

    scripted_reply enroll_factor(const received_request& request, const std::string& token,
                                 fake_detail::user_state& user) {
        enroll_factor_request body;
        if (auto bad = decode_body(request, body)) return *bad;
        auto it = enrollments.find(body.enrollment_token);
        if (it == enrollments.end() || it->second.owner != token)
            return envelope(400, "invalid or expired enrollmentToken", 2300);
        auto& pending = it->second;
        if (pending.used) return envelope(400, "enrollmentToken has been used already", 2300);
        if (now() > pending.expires) return envelope(400, "enrollmentToken expired", 2300);
        if (pending.type != body.factor_type) return envelope(400, "factorType does not match the enrollment");
        if (fake_detail::factor_of(user, pending.type) != nullptr) return already_bound(pending.type);

        fake_detail::bound_factor bound;
        bound.type = pending.type;
        const auto& data = body.enrollment_data;
        switch (pending.type) {
            case factor_type::sms:
            case factor_type::email:
                if (!data.pass_code || *data.pass_code != pending.code)
                    return envelope(400, "verification code wrong", 2001);
                bound.profile = json::value_from(pending.profile).as_object();
                break;
            case factor_type::otp:
                if (!data.pass_code || !totp::verify(pending.otp, *data.pass_code, now()))
                    return envelope(400, "security code wrong, enter it again", 6001);
                bound.otp = pending.otp;
                bound.recovery_code = pending.recovery_code;
                break;
            case factor_type::unknown:
                return envelope(400, "unknown factorType");
            case factor_type::face:
                if (!data.photo || data.photo->empty()) return envelope(400, "photo is required for FACE");
                bound.profile["photo"] = *data.photo;
                bound.profile["isExternalPhoto"] = data.is_external_photo.value_or(false);
                break;
        }
        pending.used = true;
        bound.id = fake_detail::hex(fake_detail::random_bytes(12));
        user.factors.push_back(std::move(bound));
        return ok();
    }

    static factor to_dto(const fake_detail::bound_factor& f) { return {f.id, f.type, f.profile, {}}; }

    scripted_reply list_enrolled_factors(const fake_detail::user_state& user) {
        std::vector<factor> factors;
        for (const auto& f : user.factors) factors.push_back(to_dto(f));
        if (!cfg.extra_factor_type.empty())
            factors.push_back({"extra-factor", factor_type::unknown, {}, cfg.extra_factor_type});
        return ok(json::value_from(factors));
    }

    scripted_reply get_factor(const received_request& request, fake_detail::user_state& user) {
        const auto id = query_parameter(request.target, "factorId");
        if (id.empty()) return envelope(400, "factorId is required");
        const auto* f = find_factor(user, id);
        if (!f) return envelope(404, "factor not found");
        return ok(json::value_from(to_dto(*f)));
    }

    scripted_reply reset_factor(const received_request& request, fake_detail::user_state& user) {
        reset_factor_request body;
        if (auto bad = decode_body(request, body)) return *bad;
        const auto* f = find_factor(user, body.factor_id);
        if (!f) return envelope(404, "factor not found");
        std::erase_if(user.factors, [&](const auto& x) { return x.id == body.factor_id; });
        return ok();
    }

    scripted_reply list_factors_to_enroll(const fake_detail::user_state& user) {
        std::vector<factor_to_enroll> types;
        for (auto t : {factor_type::otp, factor_type::sms, factor_type::email, factor_type::face})
            if (fake_detail::factor_of(user, t) == nullptr) types.push_back({t, {}});
        if (!cfg.extra_factor_type.empty()) types.push_back({factor_type::unknown, cfg.extra_factor_type});
        return ok(json::value_from(types));
    }

    scripted_reply mfa_otp_verify(const received_request& request, const fake_detail::user_state& user) {
        mfa_otp_verify_request body;
        if (auto bad = decode_body(request, body)) return *bad;
        for (const auto& f : user.factors) {
            if (f.type != factor_type::otp) continue;
            if (!totp::verify(f.otp, body.totp, now()))
                return envelope(400, "security code wrong, enter it again", 6001);
            return ok(json::value_from(otp_verify_data{true}));
        }
        return envelope(400, "no OTP factor is bound", 6003);
    }
};

GENAUTH_DECL fake_genauth_server::fake_genauth_server() : fake_genauth_server(config{}) {}

GENAUTH_DECL fake_genauth_server::fake_genauth_server(config cfg)
    : state_((state::check_routes(), std::make_shared<state>(std::move(cfg)))),
      server_([s = state_](const received_request& r) { return s->handle(r); }) {}

GENAUTH_DECL fake_genauth_server::~fake_genauth_server() = default;

GENAUTH_DECL void fake_genauth_server::add_user(const std::string& access_token, const std::string& account) {
    std::lock_guard lock(state_->mutex);
    state_->users[access_token].account = account;
}

GENAUTH_DECL client_options fake_genauth_server::client_options_for(const std::string& access_token) const {
    client_options o;
    o.app_host = url();
    o.app_id = "fake-app";
    o.access_token = access_token;
    o.tls.extra_ca_pem = ca_pem();
    // A loopback server: an exported HTTPS_PROXY must not reroute a test (or the demo) through
    // the developer's proxy.
    o.proxy_from_environment = false;
    return o;
}

GENAUTH_DECL std::string fake_genauth_server::issue_mfa_token(const std::string& access_token) {
    std::lock_guard lock(state_->mutex);
    std::string token = "mfa-" + fake_detail::hex(fake_detail::random_bytes(16));
    const auto user = state_->users.find(access_token);
    state_->mfa_tokens[token] = {user == state_->users.end() ? access_token.substr(0, 4) : user->second.account,
                                 access_token, state_->now() + std::chrono::seconds(600)};
    return token;
}

GENAUTH_DECL std::string fake_genauth_server::url() const { return server_.url(); }
GENAUTH_DECL const std::string& fake_genauth_server::ca_pem() const noexcept { return server_.ca_pem(); }

GENAUTH_DECL std::vector<delivered_code> fake_genauth_server::outbox() const {
    std::lock_guard lock(state_->mutex);
    return state_->sent;
}

GENAUTH_DECL std::optional<std::string> fake_genauth_server::last_code_for(const std::string& recipient) const {
    std::lock_guard lock(state_->mutex);
    for (auto it = state_->sent.rbegin(); it != state_->sent.rend(); ++it)
        if (it->recipient == recipient) return it->code;
    return std::nullopt;
}

GENAUTH_DECL std::chrono::system_clock::time_point fake_genauth_server::now() const {
    std::lock_guard lock(state_->mutex);
    return state_->now();
}

GENAUTH_DECL void fake_genauth_server::advance_clock(std::chrono::seconds by) {
    std::lock_guard lock(state_->mutex);
    state_->offset += by;
}

GENAUTH_DECL scripted_reply fake_genauth_server::handle(const received_request& request) {
    return state_->handle(request);
}

GENAUTH_DECL std::size_t fake_genauth_server::requests_received() const { return server_.requests_received(); }

GENAUTH_DECL void fake_genauth_server::script_next(std::size_t count, scripted_reply reply, std::string path) {
    if (count == 0) return;
    std::lock_guard lock(state_->mutex);
    state_->scripts.push_back({std::move(path), count, std::move(reply), {}});
}

GENAUTH_DECL void fake_genauth_server::delay_next(std::size_t count, std::chrono::milliseconds delay,
                                                  std::string path) {
    if (count == 0) return;
    std::lock_guard lock(state_->mutex);
    state_->scripts.push_back({std::move(path), count, std::nullopt, delay});
}

GENAUTH_DECL void fake_genauth_server::clear_scripts() {
    std::lock_guard lock(state_->mutex);
    state_->scripts.clear();
}

GENAUTH_DECL void fake_genauth_server::refuse_connections(bool refuse) { server_.refuse_connections(refuse); }

GENAUTH_DECL std::vector<received_request> fake_genauth_server::requests() const {
    auto sent = server_.requests();
    for (auto& request : sent) {
        for (auto& [name, value] : request.headers) {
            if (name != "authorization") continue;
            // The scheme stays (a test may check it); the token never leaves the server.
            const bool bearer = value.rfind("Bearer ", 0) == 0;
            value = bearer ? value.substr(0, 7) + "<redacted>" : "<redacted>";
        }
    }
    return sent;
}
GENAUTH_DECL std::size_t fake_genauth_server::connections_accepted() const { return server_.connections_accepted(); }

}  // namespace genauth::testing

#include <genauth/impl/testing/fake_sign_in.ipp>

#endif
