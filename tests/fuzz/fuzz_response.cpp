// libFuzzer: raw HTTP bytes -> a result or an error (the whole response-decoding path, no I/O).
#include <genauth/detail/protocol/response.hpp>
#include <genauth/dto/enroll_factor.hpp>
#include <genauth/dto/mfa_factors.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto outcome = genauth::detail::interpret_response_bytes(bytes, 64 * 1024);
    // Success and failure are both fine; what matters is a defined answer. Check its invariants.
    if (!outcome.ec && outcome.envelope.status_code != 200) std::abort();
    if (outcome.envelope.body_excerpt.size() > genauth::detail::body_excerpt_bytes + 3) std::abort();
    auto copy = outcome;
    auto [ec1, listed] = genauth::detail::decode_response<genauth::list_enrolled_factors_response>(std::move(outcome));
    auto [ec2, enrolled] = genauth::detail::decode_response<genauth::enroll_factor_response>(std::move(copy));
    (void)ec1;
    (void)ec2;
    return 0;
}
