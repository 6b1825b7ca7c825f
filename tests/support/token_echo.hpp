#ifndef GENAUTH_TESTS_SUPPORT_TOKEN_ECHO_HPP
#define GENAUTH_TESTS_SUPPORT_TOKEN_ECHO_HPP

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

}  // namespace test_support

#endif
