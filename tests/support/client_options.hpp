#ifndef GENAUTH_TESTS_SUPPORT_CLIENT_OPTIONS_HPP
#define GENAUTH_TESTS_SUPPORT_CLIENT_OPTIONS_HPP

#include <genauth/client_options.hpp>
#include <genauth/testing/local_https_server.hpp>

#include <chrono>
#include <string>
#include <utility>

namespace test_support {

// Options every test client starts from: hermetic (a developer's HTTPS_PROXY must not reroute the
// tests), a 5 s deadline only a hang can miss. Tests change what their case is about.
inline genauth::client_options hermetic_options(std::string app_host, std::string access_token) {
    genauth::client_options o;
    o.app_host = std::move(app_host);
    o.app_id = "app-1";
    o.access_token = std::move(access_token);
    o.timeout = std::chrono::seconds(5);
    o.proxy_from_environment = false;
    return o;
}

// The same, for a test server, trusting its certificate.
inline genauth::client_options options_for(const genauth::testing::local_https_server& server,
                                           std::string access_token) {
    auto o = hermetic_options(server.url(), std::move(access_token));
    o.tls.extra_ca_pem = server.ca_pem();
    return o;
}

}  // namespace test_support

#endif
