// Compiles the whole public API header-only and makes one call that fails before any I/O.
#include <genauth/genauth.hpp>

#include <boost/asio/io_context.hpp>

#include <iostream>

int main() {
    boost::asio::io_context io;
    genauth::client_options options;
    options.app_host = "https://example.genauth.ai";
    options.app_id = "app";
    options.access_token = "token";
    genauth::authentication_client client(io, options);
    genauth::error_code result;
    client.async_enroll_factor(genauth::enroll_factor_request{},
                               [&](genauth::error_code ec, genauth::enroll_factor_response) { result = ec; });
    io.run();
    if (result != genauth::errc::missing_enrollment_token) {
        std::cerr << "unexpected: " << result.message() << "\n";
        return 1;
    }
    std::cout << "consumer OK: " << result.message() << "\n";
    return 0;
}
