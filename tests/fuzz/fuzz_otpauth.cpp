// libFuzzer: otpauth:// key URI parsing, and code generation from whatever parses.
#include <genauth/totp.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view uri(reinterpret_cast<const char*>(data), size);
    genauth::totp::key_uri key;
    std::string why;
    const auto ec = genauth::totp::parse_key_uri(uri, key, &why);
    if (ec) {
        if (why.empty() || ec != std::errc::invalid_argument) std::abort();
        return 0;
    }
    if (key.params.secret.empty() || (key.params.digits != 6 && key.params.digits != 8)) std::abort();
    const auto code = genauth::totp::code_at(key.params, 1'700'000'000);
    if (code.size() != key.params.digits || !genauth::totp::verify(key.params, code, 1'700'000'000)) std::abort();
    // What we write, we read back the same: the parameters, the issuer and the account.
    genauth::totp::key_uri again;
    if (genauth::totp::parse_key_uri(genauth::totp::make_key_uri(key), again) || !(again == key)) std::abort();
    return 0;
}
