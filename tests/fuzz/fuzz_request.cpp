// libFuzzer: requests built from arbitrary caller values (client options, a user's context, a
// request's fields, a proxy URL). Property: each value set is either refused before any I/O, or
// gives bytes that Beast's request parser reads as exactly one request, consuming every byte,
// with exactly the expected header names, each once, carrying the expected values. So no value,
// whatever field it fills, can add a header or start a second request on a pooled connection.
#include <genauth/detail/sansio/proxy.hpp>
#include <genauth/detail/sansio/request.hpp>
#include <genauth/dto/enroll_factor.hpp>
#include <genauth/dto/mfa_factors.hpp>

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fuzzer/FuzzedDataProvider.h>
#include <map>
#include <string>

namespace {

namespace detail = genauth::detail;
namespace http = boost::beast::http;

void require(bool holds) {
    if (!holds) std::abort();
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Parses `bytes` as one request and returns its header fields by lower-case name (with counts
// checked by the caller through the multimap).
std::multimap<std::string, std::string> parse_one_request(const std::string& bytes,
                                                          http::request<http::string_body>& out) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(1 << 20);
    parser.body_limit(1 << 20);
    parser.eager(true);
    boost::system::error_code ec;
    const auto used = parser.put(boost::asio::buffer(bytes), ec);
    require(!ec && parser.is_done() && used == bytes.size());  // one request, every byte consumed
    out = parser.release();
    std::multimap<std::string, std::string> fields;
    for (const auto& f : out) fields.emplace(lower(f.name_string()), std::string(f.value()));
    return fields;
}

void require_fields(const std::multimap<std::string, std::string>& fields,
                    const std::map<std::string, std::string>& expected) {
    require(fields.size() == expected.size());
    for (const auto& [name, value] : expected) {
        require(fields.count(name) == 1);
        require(fields.find(name)->second == value);
    }
}

void check_api_request(FuzzedDataProvider& in) {
    genauth::client_options opts;
    opts.app_host = "https://" + in.ConsumeRandomLengthString(40);
    opts.app_id = in.ConsumeRandomLengthString(40);
    opts.request_from = in.ConsumeRandomLengthString(20);
    opts.header_prefix = in.ConsumeBool() ? genauth::header_prefix::genauth : genauth::header_prefix::authing;
    opts.proxy_from_environment = false;
    genauth::user_context user;
    user.access_token = in.ConsumeRandomLengthString(80);
    if (in.ConsumeBool()) user.real_ip = in.ConsumeRandomLengthString(50);
    if (in.ConsumeBool()) user.lang = in.ConsumeRandomLengthString(40);
    const bool get = in.ConsumeBool();

    detail::request_settings settings;
    std::string why;
    if (detail::make_request_settings(opts, settings, why)) return;  // refused before I/O
    const auto caller = detail::make_caller_identity(user);
    if (caller.error) return;
    detail::prepared_call call;
    if (get) {
        genauth::get_factor_request request;
        request.factor_id = in.ConsumeRandomLengthString(40);
        call = detail::prepare_call(detail::endpoints::get_factor, request);
    } else {
        genauth::enroll_factor_request request;
        request.enrollment_token = in.ConsumeRandomLengthString(60);
        request.factor_type = genauth::factor_type::sms;
        request.enrollment_data.pass_code = in.ConsumeRandomLengthString(12);
        call = detail::prepare_call(detail::endpoints::enroll_factor, request);
    }
    if (call.error) return;
    std::string bytes;
    if (detail::build_http_request(settings, caller, call, bytes, why)) return;

    http::request<http::string_body> request;
    const auto fields = parse_one_request(bytes, request);
    require(request.method() == (get ? http::verb::get : http::verb::post));  // what the endpoint is, not what we wrote
    require(request.target() == std::string(call.path) + call.query);
    require(request.body() == call.body);
    const std::string prefix = opts.header_prefix == genauth::header_prefix::genauth ? "x-genauth-" : "x-authing-";
    std::map<std::string, std::string> expected{{"host", settings.address.host_header},
                                                {"user-agent", std::string(detail::user_agent())},
                                                {"accept", "application/json"},
                                                {prefix + "app-id", opts.app_id},
                                                {prefix + "sdk-version", "genauth-cpp:" GENAUTH_VERSION_STRING},
                                                {"authorization", caller.authorization}};
    if (!opts.request_from.empty()) expected[prefix + "request-from"] = opts.request_from;
    if (user.lang) expected[prefix + "lang"] = *user.lang;
    if (user.real_ip) {
        // The canonical text of the address, never the caller's spelling.
        boost::system::error_code not_ip;
        const auto address = boost::asio::ip::make_address(caller.real_ip, not_ip);
        require(!not_ip && address.to_string() == caller.real_ip);
        expected["x-real-ip"] = caller.real_ip;
    }
    if (!get) {
        expected["content-type"] = "application/json";
        expected["content-length"] = std::to_string(call.body.size());
    }
    require_fields(fields, expected);
}

void check_connect_request(FuzzedDataProvider& in) {
    genauth::client_options opts;
    opts.app_host = "https://" + in.ConsumeRandomLengthString(40);
    opts.app_id = "app";
    opts.proxy = in.ConsumeRandomLengthString(80);
    detail::request_settings settings;
    std::string why;
    if (detail::make_request_settings(opts, settings, why) || !settings.proxy) return;
    const auto bytes = detail::connect_request(settings.address, *settings.proxy);
    if (bytes.empty()) return;  // refused: the tunnel is not opened
    http::request<http::string_body> request;
    const auto fields = parse_one_request(bytes, request);
    require(request.method() == http::verb::connect);
    std::map<std::string, std::string> expected{{"host", std::string(request.target())}};
    if (!settings.proxy->authorization.empty()) expected["proxy-authorization"] = settings.proxy->authorization;
    require_fields(fields, expected);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    if (in.ConsumeBool())
        check_api_request(in);
    else
        check_connect_request(in);
    return 0;
}
