#ifndef GENAUTH_IMPL_TESTING_FAKE_SIGN_IN_IPP
#define GENAUTH_IMPL_TESTING_FAKE_SIGN_IN_IPP

// The fake server's sign-in side: the MFA challenge routes, checked against the factors the user
// bound through the V3 calls (the same TOTP secret, the codes send-sms / send-email "sent", the
// OTP factor's recovery code, usable once). Included by fake_genauth_server.ipp only.

#include <genauth/dto/mfa_challenge.hpp>

#include <ctime>

namespace genauth::testing {

inline scripted_reply fake_genauth_server::state::v2(int code, std::string_view message,
                                                     std::optional<json::value> data) {
    json::object obj;
    obj["code"] = code;
    obj["message"] = message;
    obj["data"] = data ? std::move(*data) : json::value(nullptr);
    return scripted_reply::json(json::serialize(obj));  // HTTP 200, as V2 answers its errors too
}

inline std::optional<scripted_reply> fake_genauth_server::state::check_mfa_token(const std::string& token,
                                                                                 const received_request& request,
                                                                                 mfa_token_state*& out) {
    const bool v3 = request.target.rfind("/api/v3/", 0) == 0;
    auto refuse = [&](std::string_view why) { return v3 ? envelope(401, why, 2020) : v2(2020, why); };
    const auto found = mfa_tokens.find(token);
    if (token.empty() || found == mfa_tokens.end() || users.find(found->second.access_token) == users.end())
        return refuse("invalid mfaToken");
    if (now() > found->second.expires) return refuse("mfaToken expired");
    if (found->second.used) return refuse("mfaToken used already: the sign-in is complete");
    out = &found->second;
    return std::nullopt;
}

inline scripted_reply fake_genauth_server::state::signed_in(const call_context& x) {
    x.mfa->used = true;
    signed_in_user user;
    user.id = x.mfa->user_id;
    user.token = x.mfa->access_token;
    const std::time_t expires = clock::to_time_t(now() + std::chrono::hours(24 * 14));
    std::tm utc{};
    gmtime_r(&expires, &utc);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S.000Z", &utc);
    user.token_expired_at = when;
    if (x.user->account.find('@') != std::string::npos) user.email = x.user->account;
    return v2(200, "", json::value_from(user));
}

namespace fake_detail {
inline bool profile_says(const bound_factor& f, std::string_view key, std::string_view value) {
    const auto* v = f.profile.if_contains(key);
    return v != nullptr && v->is_string() && v->get_string() == value;
}
}  // namespace fake_detail

// Decodes and validates a challenge's body, or answers V2's 400.
#define GENAUTH_FAKE_READ_V2_BODY(Type, name)                                       \
    Type name;                                                                      \
    if (auto bad = decode_body(x.request, name)) return v2(400, "invalid request"); \
    if (auto ec = validate(name)) return v2(400, "invalid request: " + ec.message())

inline scripted_reply fake_genauth_server::state::verify_totp_challenge(const call_context& x) {
    GENAUTH_FAKE_READ_V2_BODY(mfa_totp_challenge, body);
    const auto* otp = fake_detail::factor_of(*x.user, factor_type::otp);
    if (otp == nullptr) return v2(400, "no OTP factor is bound");
    if (!totp::verify(otp->otp, body.totp, now())) return v2(6001, "security code wrong, enter it again");
    return signed_in(x);
}

inline scripted_reply fake_genauth_server::state::verify_sms_challenge(const call_context& x) {
    GENAUTH_FAKE_READ_V2_BODY(mfa_sms_challenge, body);
    const auto* sms = fake_detail::factor_of(*x.user, factor_type::sms);
    if (sms == nullptr || !fake_detail::profile_says(*sms, "phoneNumber", body.phone))
        return v2(400, "this phone number is not the user's SMS factor");
    const auto live = live_codes.find("sms:" + body.phone);
    if (live == live_codes.end() || live->second != body.code) return v2(2001, "verification code wrong");
    live_codes.erase(live);  // a code signs in once
    return signed_in(x);
}

inline scripted_reply fake_genauth_server::state::verify_email_challenge(const call_context& x) {
    GENAUTH_FAKE_READ_V2_BODY(mfa_email_challenge, body);
    const auto* email = fake_detail::factor_of(*x.user, factor_type::email);
    if (email == nullptr || !fake_detail::profile_says(*email, "email", body.email))
        return v2(400, "this address is not the user's EMAIL factor");
    const auto live = live_codes.find("email:" + body.email);
    if (live == live_codes.end() || live->second != body.code) return v2(2001, "verification code wrong");
    live_codes.erase(live);
    return signed_in(x);
}

inline scripted_reply fake_genauth_server::state::verify_recovery_code(const call_context& x) {
    GENAUTH_FAKE_READ_V2_BODY(mfa_recovery_code_challenge, body);
    auto* otp = fake_detail::factor_of(*x.user, factor_type::otp);
    if (otp == nullptr || otp->recovery_code.empty() || otp->recovery_code != body.recovery_code)
        return v2(6002, "recovery code wrong");
    if (otp->recovery_code_used) return v2(6002, "recovery code used already");
    otp->recovery_code_used = true;
    return signed_in(x);
}

inline scripted_reply fake_genauth_server::state::verify_face_challenge(const call_context& x) {
    GENAUTH_FAKE_READ_V2_BODY(mfa_face_challenge, body);
    const auto* face = fake_detail::factor_of(*x.user, factor_type::face);
    if (face == nullptr) return v2(400, "no FACE factor is bound");
    if (!fake_detail::profile_says(*face, "photo", body.photo)) return v2(6004, "the face does not match");
    return signed_in(x);
}

inline scripted_reply fake_genauth_server::state::check_bindable(const call_context& x) {
    GENAUTH_FAKE_READ_V2_BODY(mfa_bindable_request, body);
    bool taken = false;
    for (auto& [token, user] : users) {
        if (token == x.mfa->access_token) continue;
        for (const auto& f : user.factors) {
            taken |=
                body.phone && f.type == factor_type::sms && fake_detail::profile_says(f, "phoneNumber", *body.phone);
            taken |= body.email && f.type == factor_type::email && fake_detail::profile_says(f, "email", *body.email);
        }
    }
    return v2(200, "", json::value(!taken));
}

inline scripted_reply fake_genauth_server::state::associate_totp(const call_context& x) {
    GENAUTH_FAKE_READ_V2_BODY(totp_association_request, body);
    if (fake_detail::factor_of(*x.user, factor_type::otp) != nullptr) return v2(409, "an OTP factor is already bound");
    const auto key = new_otp_key(*x.user);
    x.user->association = key.params;
    x.user->association_recovery_code = fake_detail::recovery_code();
    totp_association answer;
    answer.authenticator_type = "totp";
    answer.secret = totp::base32_encode(key.params.secret);
    answer.qrcode_uri = totp::make_key_uri(key);
    answer.qrcode_data_url = fake_detail::placeholder_png;
    answer.recovery_code = x.user->association_recovery_code;
    return v2(200, "", json::value_from(answer));
}

inline scripted_reply fake_genauth_server::state::confirm_totp_association(const call_context& x) {
    GENAUTH_FAKE_READ_V2_BODY(totp_association_confirm_request, body);
    if (!x.user->association) return v2(400, "no TOTP association was started");
    if (!totp::verify(*x.user->association, body.totp, now())) return v2(6001, "security code wrong, enter it again");
    fake_detail::bound_factor bound;
    bound.id = fake_detail::hex(fake_detail::random_bytes(12));
    bound.type = factor_type::otp;
    bound.otp = *x.user->association;
    bound.recovery_code = x.user->association_recovery_code;
    x.user->association.reset();
    x.user->factors.push_back(std::move(bound));
    return v2(200, "");
}

inline scripted_reply fake_genauth_server::state::list_authenticators(const call_context& x) {
    json::array list;
    const auto* otp = fake_detail::factor_of(*x.user, factor_type::otp);
    if (otp != nullptr && query_parameter(x.request.target, "type") == "totp") {
        mfa_authenticator a;
        a.id = otp->id;
        a.user_id = x.mfa->user_id;
        a.enable = true;
        a.secret = totp::base32_encode(otp->otp.secret);
        a.authenticator_type = "totp";
        a.recovery_code = otp->recovery_code;
        list.push_back(json::value_from(a));
    }
    return v2(200, "", json::value(std::move(list)));
}

inline scripted_reply fake_genauth_server::state::webauthn_initialize(const call_context& x, bool bind) {
    json::object options;
    options["challenge"] = fake_detail::hex(fake_detail::random_bytes(32));
    options["rpId"] = "localhost";
    options["timeout"] = 60000;
    if (bind) options["user"] = {{"id", x.mfa->user_id}, {"name", x.user->account}};
    return ok(json::value(std::move(options)));
}

#undef GENAUTH_FAKE_READ_V2_BODY

}  // namespace genauth::testing

#endif
