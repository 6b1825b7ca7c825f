// Proxy selection and the CONNECT exchange as plain functions: no socket.
#include <genauth/detail/sansio/proxy.hpp>
#include <genauth/detail/sansio/request.hpp>

#include <boost/test/unit_test.hpp>

#include <map>
#include <optional>
#include <string>

using namespace genauth;

namespace {

std::map<std::string, std::string> fake_environment;

const char* read_fake_environment(const char* name) {
    auto found = fake_environment.find(name);
    return found == fake_environment.end() ? nullptr : found->second.c_str();
}

detail::host_address https_host(std::string host, std::string port = "443") {
    detail::host_address a;
    a.tls = true;
    a.host = std::move(host);
    a.port = std::move(port);
    return a;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(test_proxy)

BOOST_AUTO_TEST_CASE(proxy_urls) {
    struct row {
        const char* url;
        const char* host;
        const char* port;
        const char* authorization;
    } good[] = {
        {"http://proxy.corp:3128", "proxy.corp", "3128", ""},
        {"HTTP://Proxy.Corp:3128/", "Proxy.Corp", "3128", ""},
        {"proxy.corp:8080", "proxy.corp", "8080", ""},  // no scheme: http, as curl
        {"http://proxy.corp", "proxy.corp", "1080", ""},
        {"  http://10.0.0.1:3128  ", "10.0.0.1", "3128", ""},
        {"http://[::1]:3128", "::1", "3128", ""},
        {"http://alice:s3cret@proxy:3128", "proxy", "3128", "Basic YWxpY2U6czNjcmV0"},
        {"http://al%40ice:p%3Ass@proxy:3128", "proxy", "3128", "Basic YWxAaWNlOnA6c3M="},  // "al@ice:p:ss"
        {"http://alice@proxy:3128", "proxy", "3128", "Basic YWxpY2U6"},
    };
    for (const auto& r : good) {
        BOOST_TEST_CONTEXT(r.url) {
            detail::proxy_address p;
            std::string why;
            BOOST_TEST(!detail::parse_proxy_url(r.url, p, why), why);
            BOOST_TEST(p.host == r.host);
            BOOST_TEST(p.port == r.port);
            BOOST_TEST(p.authorization == r.authorization);
        }
    }
    for (const char* url :
         {"", "https://proxy:443", "socks5://proxy:1080", "http://proxy:0", "http://proxy:99999", "http://proxy:port",
          "http://:3128", "http://proxy:3128/path", "http://proxy:3128?x=1", "http://al%zzice:s3cret@proxy:3128",
          "http://[::1:3128", "http://pro xy:3128", "http://proxy:", "http://::1:3128", "http://pro_xy!:3128"}) {
        BOOST_TEST_CONTEXT("'" << url << "'") {
            detail::proxy_address p;
            std::string why;
            BOOST_TEST((detail::parse_proxy_url(url, p, why) == errc::invalid_proxy));
            BOOST_TEST(!why.empty());
            BOOST_TEST(why.find("s3cret") == std::string::npos);  // never the password
        }
    }
}

BOOST_AUTO_TEST_CASE(no_proxy_lists) {
    using detail::no_proxy_matches;
    BOOST_TEST(no_proxy_matches("*", "api.genauth.ai", "443"));
    BOOST_TEST(no_proxy_matches("genauth.ai", "genauth.ai", "443"));
    BOOST_TEST(no_proxy_matches("genauth.ai", "core.genauth.ai", "443"));  // subdomains
    BOOST_TEST(no_proxy_matches(".genauth.ai", "core.genauth.ai", "443"));
    BOOST_TEST(no_proxy_matches("*.genauth.ai", "core.genauth.ai", "443"));
    BOOST_TEST(no_proxy_matches("GenAuth.AI", "core.genauth.ai", "443"));  // case-insensitive
    BOOST_TEST(!no_proxy_matches("genauth.ai", "notgenauth.ai", "443"));   // whole labels only
    BOOST_TEST(!no_proxy_matches("core.genauth.ai", "genauth.ai", "443"));
    BOOST_TEST(no_proxy_matches("localhost, 10.0.0.1 ,internal", "10.0.0.1", "443"));
    BOOST_TEST(no_proxy_matches("localhost,,internal", "internal", "443"));
    BOOST_TEST(!no_proxy_matches("10.0.0.1", "10.0.0.12", "443"));
    BOOST_TEST(no_proxy_matches("::1", "::1", "443"));
    BOOST_TEST(no_proxy_matches("[::1]", "::1", "443"));
    BOOST_TEST(no_proxy_matches("[::1]:8443", "::1", "8443"));
    BOOST_TEST(!no_proxy_matches("[::1]:8443", "::1", "443"));
    BOOST_TEST(no_proxy_matches("localhost:8443", "localhost", "8443"));
    BOOST_TEST(!no_proxy_matches("localhost:8443", "localhost", "443"));
    BOOST_TEST(!no_proxy_matches("", "localhost", "443"));
    BOOST_TEST(!no_proxy_matches(" , ", "localhost", "443"));
}

BOOST_AUTO_TEST_CASE(which_proxy) {
    auto select = [](const client_options& o, const detail::host_address& target, std::string* why_out = nullptr) {
        std::optional<detail::proxy_address> p;
        std::string why;
        const error_code ec = detail::select_proxy(o, target, read_fake_environment, p, why);
        if (why_out != nullptr) *why_out = why;
        BOOST_TEST((!ec || ec == errc::invalid_proxy));
        return ec ? std::optional<std::string>("error") : p ? std::optional<std::string>(p->host) : std::nullopt;
    };
    client_options o;
    fake_environment = {};
    BOOST_TEST(!select(o, https_host("core.genauth.ai")).has_value());  // nothing set: direct

    fake_environment = {{"https_proxy", "http://lower:3128"}};
    BOOST_TEST(select(o, https_host("core.genauth.ai")).value() == "lower");
    fake_environment = {{"HTTPS_PROXY", "http://upper:3128"}, {"https_proxy", "http://lower:3128"}};
    BOOST_TEST(select(o, https_host("core.genauth.ai")).value() == "upper");
    fake_environment = {{"HTTPS_PROXY", ""}, {"ALL_PROXY", "http://all:3128"}};  // empty counts as unset
    BOOST_TEST(select(o, https_host("core.genauth.ai")).value() == "all");
    fake_environment = {{"all_proxy", "http://all-lower:3128"}};
    BOOST_TEST(select(o, https_host("core.genauth.ai")).value() == "all-lower");
    fake_environment = {{"HTTP_PROXY", "http://plain:3128"}};  // for http:// targets only: not ours
    BOOST_TEST(!select(o, https_host("core.genauth.ai")).has_value());

    fake_environment = {{"HTTPS_PROXY", "http://env:3128"}, {"NO_PROXY", "genauth.ai"}};
    BOOST_TEST(!select(o, https_host("core.genauth.ai")).has_value());  // bypassed
    BOOST_TEST(select(o, https_host("other.example")).value() == "env");
    fake_environment = {{"HTTPS_PROXY", "http://env:3128"}, {"no_proxy", "*"}};
    BOOST_TEST(!select(o, https_host("core.genauth.ai")).has_value());

    // The option wins over the environment; its own no_proxy replaces NO_PROXY.
    fake_environment = {{"HTTPS_PROXY", "http://env:3128"}, {"NO_PROXY", "genauth.ai"}};
    o.proxy = "http://option:3128";
    BOOST_TEST(select(o, https_host("core.genauth.ai")).value() == "option");
    o.no_proxy = "core.genauth.ai";
    BOOST_TEST(!select(o, https_host("core.genauth.ai")).has_value());
    o.proxy.clear();
    o.no_proxy.clear();

    // Turned off: the environment is not read.
    o.proxy_from_environment = false;
    BOOST_TEST(!select(o, https_host("other.example")).has_value());
    o.proxy_from_environment = true;

    // A plain-HTTP app host (a local test server) is reached directly.
    auto plain = https_host("localhost", "8080");
    plain.tls = false;
    BOOST_TEST(!select(o, plain).has_value());

    // A broken value says which setting, never its credentials.
    fake_environment = {{"HTTPS_PROXY", "https://alice:s3cret@env:3128"}};
    std::string why;
    BOOST_TEST(select(o, https_host("core.genauth.ai"), &why).value() == "error");
    BOOST_TEST(why.find("HTTPS_PROXY") == 0u, why);
    BOOST_TEST(why.find("s3cret") == std::string::npos);
    fake_environment = {};

    // Through the client's settings: an invalid option fails every call before any I/O.
    client_options bad;
    bad.app_host = "https://core.genauth.ai";
    bad.app_id = "app";
    bad.proxy = "ftp://proxy";
    detail::request_settings settings;
    std::string reason;
    BOOST_TEST((detail::make_request_settings(bad, settings, reason) == errc::invalid_proxy));
    bad.proxy = "http://proxy:3128";
    BOOST_TEST(!detail::make_request_settings(bad, settings, reason));
    BOOST_TEST_REQUIRE(settings.proxy.has_value());
    BOOST_TEST(settings.proxy->port == "3128");
}

BOOST_AUTO_TEST_CASE(connect_exchange) {
    detail::proxy_address proxy{"proxy", "3128", "", ""};
    BOOST_TEST(detail::connect_request(https_host("core.genauth.ai"), proxy) ==
               "CONNECT core.genauth.ai:443 HTTP/1.1\r\nHost: core.genauth.ai:443\r\n\r\n");
    proxy.authorization = "Basic YWxpY2U6czNjcmV0";
    BOOST_TEST(
        detail::connect_request(https_host("::1", "8443"), proxy) ==
        "CONNECT [::1]:8443 HTTP/1.1\r\nHost: [::1]:8443\r\nProxy-Authorization: Basic YWxpY2U6czNjcmV0\r\n\r\n");
    // The CONNECT head goes through the one header writer: a value that would end it is refused.
    proxy.authorization = "Basic x\r\n\r\nGET /smuggled HTTP/1.1";
    BOOST_TEST(detail::connect_request(https_host("core.genauth.ai"), proxy).empty());

    // Credentials become secrets the client redacts: user:password, the password, the Basic form.
    std::string why;
    BOOST_TEST_REQUIRE(!detail::parse_proxy_url("http://alice:s3cret@proxy:3128", proxy, why));
    BOOST_TEST(proxy.secrets == std::string("alice:s3cret\0s3cret\0YWxpY2U6czNjcmV0", 36));

    std::string detail;
    BOOST_TEST(!detail::interpret_connect_status(200, false, detail));
    BOOST_TEST((detail::interpret_connect_status(407, false, detail) == errc::proxy_auth_required));
    BOOST_TEST(detail.find("user:password@") != std::string::npos);
    BOOST_TEST((detail::interpret_connect_status(407, true, detail) == errc::proxy_auth_required));
    BOOST_TEST(detail.find("refused the credentials") != std::string::npos);
    BOOST_TEST((detail::interpret_connect_status(401, true, detail) == errc::proxy_auth_required));
    BOOST_TEST((detail::interpret_connect_status(403, false, detail) == errc::proxy_refused));
    BOOST_TEST(detail.find("403") != std::string::npos);
    BOOST_TEST((detail::interpret_connect_status(502, false, detail) == errc::proxy_refused));
    BOOST_TEST((error_code(errc::proxy_refused) == condition::transport_error));
    BOOST_TEST((error_code(errc::invalid_proxy) == condition::invalid_argument));
}

BOOST_AUTO_TEST_SUITE_END()
