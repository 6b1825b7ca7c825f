// TOTP/HOTP against the RFC test vectors, Base32, and otpauth:// key URIs.
#include <genauth/totp.hpp>

#include <boost/test/unit_test.hpp>

using namespace genauth;
using namespace genauth::totp;

namespace {
std::vector<unsigned char> bytes(std::string_view s) { return {s.begin(), s.end()}; }
}  // namespace

BOOST_AUTO_TEST_SUITE(test_totp)

BOOST_AUTO_TEST_CASE(rfc4226_appendix_d_hotp_values) {
    const auto key = bytes("12345678901234567890");
    const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                              "254676", "287922", "162583", "399871", "520489"};
    for (std::uint64_t counter = 0; counter < 10; ++counter) {
        BOOST_TEST_CONTEXT("counter " << counter) { BOOST_TEST(hotp(key, counter, 6) == expected[counter]); }
    }
}

BOOST_AUTO_TEST_CASE(rfc6238_appendix_b_all_algorithms) {
    struct row {
        std::int64_t time;
        const char* sha1;
        const char* sha256;
        const char* sha512;
    } rows[] = {
        {59, "94287082", "46119246", "90693936"},         {1111111109, "07081804", "68084774", "25091201"},
        {1111111111, "14050471", "67062674", "99943326"}, {1234567890, "89005924", "91819424", "93441116"},
        {2000000000, "69279037", "90698825", "38618901"}, {20000000000, "65353130", "77737706", "47863826"},
    };
    parameters sha1{bytes("12345678901234567890"), hash_algorithm::sha1, 8, std::chrono::seconds(30)};
    parameters sha256{bytes("12345678901234567890123456789012"), hash_algorithm::sha256, 8, std::chrono::seconds(30)};
    parameters sha512{bytes("1234567890123456789012345678901234567890123456789012345678901234"), hash_algorithm::sha512,
                      8, std::chrono::seconds(30)};
    for (const auto& r : rows) {
        BOOST_TEST_CONTEXT("T = " << r.time) {
            BOOST_TEST(code_at(sha1, r.time) == r.sha1);
            BOOST_TEST(code_at(sha256, r.time) == r.sha256);
            BOOST_TEST(code_at(sha512, r.time) == r.sha512);
        }
    }
}

BOOST_AUTO_TEST_CASE(verify_accepts_drift_within_the_window_only) {
    parameters p{bytes("12345678901234567890"), hash_algorithm::sha1, 6, std::chrono::seconds(30)};
    const std::int64_t now = 1'700'000'000;
    BOOST_TEST(verify(p, code_at(p, now), now));
    BOOST_TEST(verify(p, code_at(p, now - 30), now));
    BOOST_TEST(verify(p, code_at(p, now + 30), now));
    BOOST_TEST(!verify(p, code_at(p, now - 90), now));
    BOOST_TEST(!verify(p, code_at(p, now - 30), now, 0));
    // Both sides of the exact boundary, one second apart: `step` starts a period; a window of 1
    // takes the periods before and after it, and not the ones beyond (a window of 2 would).
    const std::int64_t step = now - now % 30;
    BOOST_TEST(verify(p, code_at(p, step - 30), step));   // first second of the period before
    BOOST_TEST(!verify(p, code_at(p, step - 31), step));  // last second of the one before that
    BOOST_TEST(verify(p, code_at(p, step + 59), step));   // last second of the period after
    BOOST_TEST(!verify(p, code_at(p, step + 60), step));  // first second of the one after that
    BOOST_TEST(verify(p, code_at(p, step + 60), step, 2));
    BOOST_TEST(verify(p, code_at(p, step - 31), step, 2));
    BOOST_TEST(!verify(p, "", now));
    BOOST_TEST(!verify(p, code_at(p, now) + "0", now));
}

BOOST_AUTO_TEST_CASE(base32_round_trip_and_errors) {
    std::vector<unsigned char> out;
    BOOST_TEST(!base32_decode("JAPDSOAZLV4BG3RA", out));
    BOOST_TEST(out.size() == 10u);
    BOOST_TEST(base32_encode(out) == "JAPDSOAZLV4BG3RA");
    BOOST_TEST(!base32_decode("gezdgnbvgy3tqojq", out));  // lower case: "1234567890"
    BOOST_TEST((out == bytes("1234567890")));
    BOOST_TEST(!base32_decode("GEZDGNBV====", out));  // padding
    BOOST_TEST((base32_decode("GEZ1", out) == errc::invalid_totp_secret));
    BOOST_TEST((base32_decode("", out) == errc::invalid_totp_secret));
    BOOST_TEST((base32_decode("GE=ZD", out) == errc::invalid_totp_secret));
}

BOOST_AUTO_TEST_CASE(parses_the_genauth_sample_uri) {
    key_uri key;
    std::string why;
    BOOST_TEST_REQUIRE(!parse_key_uri("otpauth://totp/userPoolName:getstarted%40example.com?secret=JAPDSOAZLV4BG3RA"
                                      "&period=30&digits=6&algorithm=SHA1&issuer=userPoolName",
                                      key, &why),
                       why);
    BOOST_TEST(key.issuer == "userPoolName");
    BOOST_TEST(key.account == "getstarted@example.com");
    BOOST_TEST(key.params.digits == 6u);
    BOOST_TEST((key.params.period == std::chrono::seconds(30)));
    BOOST_TEST((key.params.algorithm == hash_algorithm::sha1));
    BOOST_TEST(base32_encode(key.params.secret) == "JAPDSOAZLV4BG3RA");
}

BOOST_AUTO_TEST_CASE(defaults_and_other_algorithms) {
    key_uri key;
    BOOST_TEST_REQUIRE(
        !parse_key_uri("OTPAUTH://TOTP/alice?secret=GEZDGNBV&algorithm=sha512&digits=8&period=60&image=x", key));
    BOOST_TEST(key.issuer.empty());
    BOOST_TEST(key.account == "alice");
    BOOST_TEST((key.params.algorithm == hash_algorithm::sha512));
    BOOST_TEST(key.params.digits == 8u);
    BOOST_TEST((key.params.period == std::chrono::seconds(60)));
}

BOOST_AUTO_TEST_CASE(make_key_uri_round_trips) {
    key_uri key;
    key.issuer = "Pool: One";
    key.account = "bob@example.com";
    key.params = {bytes("0123456789abcdefghij"), hash_algorithm::sha256, 8, std::chrono::seconds(45)};
    key_uri parsed;
    BOOST_TEST_REQUIRE(!parse_key_uri(make_key_uri(key), parsed));
    BOOST_TEST((parsed == key));
}

BOOST_AUTO_TEST_CASE(malformed_uris_give_clear_errors) {
    struct row {
        const char* uri;
        errc expected;
    } rows[] = {
        {"https://totp/x?secret=GEZDGNBV", errc::invalid_otpauth_uri},
        {"otpauth://hotp/x?secret=GEZDGNBV&counter=1", errc::invalid_otpauth_uri},
        {"otpauth://totp/x", errc::invalid_totp_secret},
        {"otpauth://totp/x?secret=", errc::invalid_totp_secret},
        {"otpauth://totp/x?secret=not*base32", errc::invalid_totp_secret},
        {"otpauth://totp/x?secret=GEZDGNBV&digits=7", errc::invalid_otpauth_uri},
        {"otpauth://totp/x?secret=GEZDGNBV&algorithm=MD5", errc::invalid_otpauth_uri},
        {"otpauth://totp/x?secret=GEZDGNBV&period=0", errc::invalid_otpauth_uri},
        {"otpauth://totp/x?secret=GEZDGNBV&period=abc", errc::invalid_otpauth_uri},
        {"otpauth://totp/x%2?secret=GEZDGNBV", errc::invalid_otpauth_uri},
        {"otpauth://totp/x?secret=GEZDGNBV%G1", errc::invalid_otpauth_uri},
    };
    for (const auto& r : rows) {
        BOOST_TEST_CONTEXT(r.uri) {
            key_uri key;
            std::string why;
            const auto ec = parse_key_uri(r.uri, key, &why);
            BOOST_TEST((ec == r.expected));
            BOOST_TEST((ec == std::errc::invalid_argument));
            BOOST_TEST(!why.empty());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
