// libFuzzer: every DTO from arbitrary JSON; whatever decodes must encode and decode to itself,
// compared member by member (data included). Keys and values it needs are in dto.dict.
#include <genauth/dto/enroll_factor.hpp>
#include <genauth/dto/mfa_challenge.hpp>
#include <genauth/dto/mfa_factors.hpp>
#include <genauth/dto/mfa_token.hpp>
#include <genauth/dto/send_code.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <type_traits>

namespace {

// The class a pointer to member belongs to.
template <class M>
struct member_of;
template <class C, class F>
struct member_of<F C::*> {
    using type = C;
};

template <class T>
void decode(const boost::json::value& jv) {
    // Each type's own equality, member by member: a response's inherited one would compare only
    // the envelope and let a broken mapping of `data` pass.
    if constexpr (std::is_class_v<T>)
        static_assert(std::is_same_v<typename member_of<decltype(&T::operator==)>::type, T>,
                      "every DTO declares its own operator==");
    auto result = boost::json::try_value_to<T>(jv);
    if (!result) return;
    auto again = boost::json::try_value_to<T>(boost::json::value_from(*result));
    if (!again || !(*again == *result)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    boost::system::error_code ec;
    const auto jv = boost::json::parse(std::string_view(reinterpret_cast<const char*>(data), size), ec);
    if (ec) return 0;
    using namespace genauth;
    decode<enroll_factor_request>(jv);
    decode<enroll_factor_enrollment_data>(jv);
    decode<enroll_factor_response>(jv);
    decode<send_enroll_factor_request_params>(jv);
    decode<send_enroll_factor_request_data>(jv);
    decode<send_enroll_factor_request_response>(jv);
    decode<factor>(jv);
    decode<list_enrolled_factors_response>(jv);
    decode<get_factor_request>(jv);
    decode<get_factor_response>(jv);
    decode<reset_factor_request>(jv);
    decode<reset_factor_response>(jv);
    decode<factor_to_enroll>(jv);
    decode<list_factors_to_enroll_response>(jv);
    decode<mfa_otp_verify_request>(jv);
    decode<mfa_otp_verify_response>(jv);
    decode<factor_type>(jv);
    decode<send_sms_request>(jv);
    decode<send_email_request>(jv);
    decode<send_sms_response>(jv);
    decode<verify_mfa_token_request>(jv);
    decode<mfa_token_introspection>(jv);
    decode<verify_mfa_token_response>(jv);
    decode<signed_in_user>(jv);
    decode<mfa_challenge_response>(jv);
    decode<mfa_totp_challenge>(jv);
    decode<mfa_sms_challenge>(jv);
    decode<mfa_email_challenge>(jv);
    decode<mfa_recovery_code_challenge>(jv);
    decode<mfa_face_challenge>(jv);
    decode<mfa_bindable_request>(jv);
    decode<mfa_bindable_response>(jv);
    decode<totp_association_request>(jv);
    decode<totp_association>(jv);
    decode<totp_association_response>(jv);
    decode<totp_association_confirm_request>(jv);
    decode<mfa_authenticators_request>(jv);
    decode<mfa_authenticator>(jv);
    decode<list_mfa_authenticators_response>(jv);
    decode<webauthn_initialize_response>(jv);
    return 0;
}
