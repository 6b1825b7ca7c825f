// Binds an MFA factor with genauth-cpp.
//
//   enroll_factor_example                      # against a local HTTPS server it starts itself
//   enroll_factor_example --app-host https://<app>.genauth.ai --app-id <id> --access-token <token>
//       --enrollment-token <from send-enroll-factor-request> --factor-type SMS --pass-code 123456
//
// Each --x option may come from the environment instead: GENAUTH_APP_HOST, GENAUTH_APP_ID,
// GENAUTH_ACCESS_TOKEN, GENAUTH_ENROLLMENT_TOKEN, GENAUTH_FACTOR_TYPE, GENAUTH_PASS_CODE.
#include <genauth/genauth.hpp>
#include <genauth/testing/local_https_server.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <string>

namespace asio = boost::asio;

namespace {

constexpr const char* usage =
    "usage: enroll_factor_example [--app-host URL --app-id ID --access-token TOKEN\n"
    "                              --enrollment-token TOKEN [--factor-type OTP|SMS|EMAIL|FACE]\n"
    "                              [--pass-code CODE] [--photo URL] [--timeout-ms N]]\n"
    "With no --app-host (nor GENAUTH_APP_HOST) it runs against a local HTTPS server it starts itself.\n";

struct arguments {
    std::map<std::string, std::string> values;
    std::string get(const std::string& name) const {
        auto it = values.find(name);
        return it == values.end() ? std::string() : it->second;
    }
};

// Parses --name value pairs; environment variables GENAUTH_<NAME> fill what is not given.
bool parse_arguments(int argc, char** argv, arguments& out) {
    const char* known[] = {"app-host",    "app-id",    "access-token", "enrollment-token",
                           "factor-type", "pass-code", "photo",        "timeout-ms"};
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") return false;
        bool matched = false;
        for (const char* name : known) {
            if (arg == std::string("--") + name) {
                if (i + 1 >= argc) {
                    std::cerr << "missing value for " << arg << "\n";
                    return false;
                }
                out.values[name] = argv[++i];
                matched = true;
            }
        }
        if (!matched) {
            std::cerr << "unknown argument: " << arg << "\n";
            return false;
        }
    }
    for (const char* name : known) {
        std::string env = "GENAUTH_";
        for (const char* c = name; *c; ++c) env += *c == '-' ? '_' : static_cast<char>(std::toupper(*c));
        if (!out.values.count(name))
            if (const char* value = std::getenv(env.c_str())) out.values[name] = value;
    }
    return true;
}

// A stand-in for GenAuth's enroll-factor endpoint: checks the request as GenAuth would.
genauth::testing::scripted_reply fake_enroll_factor(const genauth::testing::received_request& request) {
    using genauth::testing::scripted_reply;
    if (request.target != "/api/v3/enroll-factor")
        return scripted_reply::json(R"({"statusCode":404,"message":"no such endpoint"})", 404);
    if (request.header("authorization").empty())
        return scripted_reply::json(R"({"statusCode":401,"apiCode":2020,"message":"not logged in"})");
    boost::system::error_code ec;
    auto body = boost::json::parse(request.body, ec);
    if (ec || !body.is_object() || !body.as_object().contains("enrollmentToken"))
        return scripted_reply::json(R"({"statusCode":400,"message":"invalid request body"})");
    return scripted_reply::json(R"({"statusCode":200,"message":"Operation successful","requestId":"local-0001"})");
}

asio::awaitable<int> enroll(genauth::authentication_client& client, genauth::enroll_factor_request request) {
    const auto start = std::chrono::steady_clock::now();
    try {
        auto response = co_await client.async_enroll_factor(request);
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
        std::cout << "enroll-factor " << genauth::to_string(request.factor_type) << ": statusCode "
                  << response.status_code << ", message \"" << response.message << "\", requestId "
                  << response.request_id.value_or("-") << " (" << ms.count() << " ms)\n";
        co_return 0;
    } catch (const genauth::api_error& e) {
        // what() holds the error, HTTP status, statusCode, apiCode, requestId and message: never the token.
        std::cerr << "enroll-factor failed: " << e.what() << "\n";
        co_return 1;
    }
}

}  // namespace

int main(int argc, char** argv) {
    arguments args;
    if (!parse_arguments(argc, argv, args)) {
        std::cerr << usage;
        return 2;
    }

    genauth::client_options options;
    genauth::enroll_factor_request request;
    std::unique_ptr<genauth::testing::local_https_server> local;
    if (args.get("app-host").empty()) {
        local = std::make_unique<genauth::testing::local_https_server>(fake_enroll_factor);
        std::cout << "no --app-host given: using a local HTTPS server at " << local->url() << "\n";
        options.app_host = local->url();
        options.app_id = "local-app";
        options.access_token = "local-access-token";
        options.tls.extra_ca_pem = local->ca_pem();  // trust the CA it made, nothing else changes
        request.enrollment_token = "local-enrollment-token";
        request.factor_type = genauth::factor_type::sms;
        request.enrollment_data.pass_code = "123456";
    } else {
        options.app_host = args.get("app-host");
        options.app_id = args.get("app-id");
        options.access_token = args.get("access-token");
        request.enrollment_token = args.get("enrollment-token");
        auto type = genauth::parse_factor_type(args.get("factor-type").empty() ? "SMS" : args.get("factor-type"));
        if (!type) {
            std::cerr << "--factor-type must be OTP, SMS, EMAIL or FACE\n" << usage;
            return 2;
        }
        request.factor_type = *type;
        if (!args.get("pass-code").empty()) request.enrollment_data.pass_code = args.get("pass-code");
        if (!args.get("photo").empty()) request.enrollment_data.photo = args.get("photo");
    }
    if (!args.get("timeout-ms").empty()) {
        try {
            options.timeout = std::chrono::milliseconds(std::stol(args.get("timeout-ms")));
        } catch (const std::exception&) {
            std::cerr << "--timeout-ms must be a number\n" << usage;
            return 2;
        }
    }

    asio::io_context io;
    genauth::authentication_client client(io, options);
    auto result = asio::co_spawn(io, enroll(client, request), asio::use_future);
    io.run();
    return result.get();
}
