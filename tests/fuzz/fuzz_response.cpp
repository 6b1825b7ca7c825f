// libFuzzer: raw HTTP bytes -> a result or an error (the whole response-decoding path, no I/O:
// the transport's response_reader, then interpretation), for enveloped endpoints and for the one
// whose answer has no envelope (MFA token introspection). The first byte picks how the bytes
// arrive: in pieces of 1-16 bytes (128 and above), or all at once (seeds start with a space).
#include <genauth/detail/protocol/response.hpp>
#include <genauth/dto/enroll_factor.hpp>
#include <genauth/dto/mfa_factors.hpp>
#include <genauth/dto/mfa_token.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t piece = data[0] < 128 ? static_cast<std::size_t>(-1) : 1 + data[0] % 16;
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    for (const bool enveloped : {true, false}) {
        auto outcome = genauth::detail::interpret_response_bytes(bytes, 64 * 1024, enveloped, piece);
        // Success and failure are both fine; what matters is a defined answer. Check its invariants.
        if (enveloped && !outcome.ec && outcome.envelope.status_code != 200) std::abort();
        if (!outcome.ec && (outcome.diag.http_status < 200 || outcome.diag.http_status >= 300)) std::abort();
        if (outcome.diag.body_excerpt.size() > genauth::detail::body_excerpt_bytes + 3) std::abort();
        if (!enveloped) {
            auto [ec, introspection] =
                genauth::detail::decode_response<genauth::verify_mfa_token_response>(std::move(outcome));
            (void)ec;
            continue;
        }
        auto copy = outcome;
        auto [ec1, listed] =
            genauth::detail::decode_response<genauth::list_enrolled_factors_response>(std::move(outcome));
        auto [ec2, enrolled] = genauth::detail::decode_response<genauth::enroll_factor_response>(std::move(copy));
        (void)ec1;
        (void)ec2;
    }
    return 0;
}
