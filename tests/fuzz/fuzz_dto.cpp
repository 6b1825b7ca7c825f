// libFuzzer: every DTO from arbitrary JSON; whatever decodes must encode and decode to itself.
#include <genauth/dto/enroll_factor.hpp>
#include <genauth/dto/mfa_factors.hpp>
#include <genauth/dto/mfa_token.hpp>
#include <genauth/dto/send_code.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

template <class T>
void decode(const boost::json::value& jv) {
    auto result = boost::json::try_value_to<T>(jv);
    if (!result) return;
    if constexpr (requires(const T& a, const T& b) { a == b; }) {
        auto again = boost::json::try_value_to<T>(boost::json::value_from(*result));
        if (!again || !(*again == *result)) std::abort();
    } else {
        (void)boost::json::value_from(*result);
    }
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
    return 0;
}
