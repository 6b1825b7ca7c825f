// Error categories, conditions and the exception type.
#include <genauth/error.hpp>
#include <genauth/error_with_diagnostics.hpp>

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

using namespace genauth;

BOOST_AUTO_TEST_SUITE(test_error)

BOOST_AUTO_TEST_CASE(category_names) {
    BOOST_TEST(std::string(client_category().name()) == "genauth.client");
    BOOST_TEST(std::string(api_category().name()) == "genauth.api");
}

BOOST_AUTO_TEST_CASE(every_client_error_has_its_own_message) {
    std::set<std::string> messages;
    int count = 0;
    for (int v = 1; v < 300; ++v) {
        auto m = client_category().message(v);
        if (m == "unknown genauth.client error") continue;
        ++count;
        messages.insert(m);
    }
    BOOST_TEST(count == 47);
    BOOST_TEST(messages.size() == static_cast<std::size_t>(count));
}

BOOST_AUTO_TEST_CASE(conditions_group_the_errors) {
    BOOST_TEST((error_code(errc::missing_pass_code) == condition::invalid_argument));
    BOOST_TEST((error_code(errc::missing_pass_code) == std::errc::invalid_argument));
    BOOST_TEST((error_code(errc::timeout) == std::errc::timed_out));
    BOOST_TEST((error_code(errc::timeout) == condition::transport_error));
    BOOST_TEST((error_code(errc::timeout) != condition::invalid_argument));
    BOOST_TEST((error_code(errc::malformed_json) == condition::protocol_error));
    BOOST_TEST((make_api_error_code(429) == condition::api_error));
    BOOST_TEST(make_api_error_code(429).message().find("throttled") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_exception_carries_the_envelope_and_the_diagnostics) {
    response_envelope e;
    e.status_code = 400;
    e.api_code = 6001;
    e.message = "security code wrong\r\n\x1b[2J";
    e.request_id = "req-9";
    diagnostics d;
    d.http_status = 200;
    d.detail = "the library's words";
    error_with_diagnostics err(make_api_error_code(400), e, d);
    const std::string what = err.what();
    BOOST_TEST(what.find("statusCode 400") != std::string::npos);
    BOOST_TEST(what.find("apiCode 6001") != std::string::npos);
    BOOST_TEST(what.find("requestId req-9") != std::string::npos);
    BOOST_TEST(what.find("HTTP 200") != std::string::npos);
    BOOST_TEST(what.find('\x1b') == std::string::npos);
    BOOST_TEST(what.find('\n') == std::string::npos);
    BOOST_TEST((err.code() == make_api_error_code(400)));
    BOOST_TEST((err.envelope() == e));
    BOOST_TEST((err.get_diagnostics() == d));
    BOOST_TEST(what.find("the library's words") != std::string::npos);
}

// The former name still names the same type, for one release.
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
static_assert(std::is_same_v<genauth::api_error, genauth::error_with_diagnostics>);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

// Every errc value is documented where users look: the operations' contract (Doxygen, in
// authentication_client.hpp) and the README. The names come from error.hpp's enumeration, read as
// text and checked against the compiled enumeration so that the parse cannot miss one.
namespace {
std::string read_source(const std::string& relative) {
    std::ifstream in(std::string(GENAUTH_SOURCE_DIR) + "/" + relative, std::ios::binary);
    BOOST_TEST_REQUIRE(in.good(), relative);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

BOOST_AUTO_TEST_CASE(every_client_error_is_documented_in_the_contract_and_the_readme) {
    const auto header = read_source("include/genauth/error.hpp");
    const auto begin = header.find("enum class errc : int {");
    const auto end = header.find("};", begin);
    BOOST_TEST_REQUIRE((begin != std::string::npos && end != std::string::npos));
    const std::regex enumerator(R"(\n\s*([a-z_0-9]+)\s*(=\s*\d+\s*)?,)");
    const std::string body = header.substr(begin, end - begin);
    std::vector<std::string> names;
    for (std::sregex_iterator it(body.begin(), body.end(), enumerator), last; it != last; ++it)
        names.push_back((*it)[1]);

    int defined = 0;
    for (int v = 1; v < 1000; ++v)
        if (make_error_code(static_cast<errc>(v)).message() != "unknown genauth.client error") ++defined;
    BOOST_TEST(names.size() == static_cast<std::size_t>(defined));

    // The operations' contract and members (both clients), and the TOTP functions (the only errors
    // not from an operation).
    const auto contract = read_source("include/genauth/authentication_client.hpp") +
                          read_source("include/genauth/mfa_challenge_client.hpp") +
                          read_source("include/genauth/totp.hpp");
    const auto readme = read_source("README.md");
    for (const auto& name : names) {
        BOOST_TEST((contract.find("`errc::" + name + "`") != std::string::npos ||
                    contract.find("`" + name + "`") != std::string::npos),
                   name << " is not in the contract");
        BOOST_TEST((readme.find("`errc::" + name + "`") != std::string::npos ||
                    readme.find("`" + name + "`") != std::string::npos),
                   name << " is not in the README");
    }
}

BOOST_AUTO_TEST_SUITE_END()
