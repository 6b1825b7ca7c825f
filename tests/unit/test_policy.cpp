// The operation's decisions as plain functions: which errors are reported as what, when a request
// is sent a second time, what an operation finally reports, and how it is counted.
#include <genauth/detail/sansio/response.hpp>
#include <genauth/impl/policy/policy.hpp>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/test/unit_test.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <new>
#include <stdexcept>
#include <string>
#include <vector>

using namespace genauth;
namespace asio = boost::asio;
namespace http = boost::beast::http;
using genauth::detail::http_method;

BOOST_AUTO_TEST_SUITE(test_policy)

BOOST_AUTO_TEST_CASE(every_transport_error_maps_to_a_documented_condition) {
    std::vector<error_code> errors;
    for (int v = 1; v < 134; ++v) {  // every errno but ECANCELED, which is operation_aborted: cancellation
        if (error_code(v, boost::system::system_category()) != asio::error::operation_aborted)
            errors.emplace_back(v, boost::system::system_category());
    }
    for (int v = 1; v <= static_cast<int>(http::error::short_read); ++v)
        errors.push_back(make_error_code(static_cast<http::error>(v)));
    for (auto e : {asio::error::eof, asio::error::not_found, asio::error::fd_set_failure})
        errors.push_back(make_error_code(e));
    for (auto e : {asio::error::host_not_found, asio::error::host_not_found_try_again, asio::error::no_data,
                   asio::error::no_recovery})
        errors.push_back(make_error_code(e));
    for (auto e : {asio::error::service_not_found, asio::error::socket_type_not_supported})
        errors.push_back(make_error_code(e));
    for (auto e : {asio::ssl::error::stream_truncated, asio::ssl::error::unspecified_system_error,
                   asio::ssl::error::unexpected_result})
        errors.push_back(make_error_code(e));
    // OpenSSL reasons seen after a handshake: bad MAC, a peer's fatal alert, a non-TLS record.
    for (int reason : {SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC, SSL_R_SSLV3_ALERT_BAD_RECORD_MAC,
                       SSL_R_WRONG_VERSION_NUMBER, SSL_R_UNEXPECTED_RECORD, SSL_R_PACKET_LENGTH_TOO_LONG,
                       SSL_R_TLSV1_ALERT_INTERNAL_ERROR, SSL_R_RECORD_TOO_SMALL})
        errors.emplace_back(static_cast<int>(ERR_PACK(ERR_LIB_SSL, 0, reason)), asio::error::get_ssl_category());
    for (const auto& raw : errors) {
        BOOST_TEST_CONTEXT(raw.category().name() << ":" << raw.value() << " " << raw.message()) {
            std::string detail;
            const error_code mapped = detail::map_exchange_error(raw, detail);
            BOOST_TEST((mapped.category() == client_category()));
            BOOST_TEST((mapped == condition::transport_error || mapped == condition::protocol_error));
            BOOST_TEST(detail.find(raw.category().name()) == 0u);  // the original is kept for diagnostics
        }
    }
    std::string detail;
    BOOST_TEST((detail::map_exchange_error(asio::error::operation_aborted, detail) == asio::error::operation_aborted));
    const error_code bad_mac(static_cast<int>(ERR_PACK(ERR_LIB_SSL, 0, SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC)),
                             asio::error::get_ssl_category());
    BOOST_TEST((detail::map_exchange_error(bad_mac, detail) == errc::tls_error));
    BOOST_TEST((detail::map_exchange_error(asio::error::connection_reset, detail) == errc::connection_reset));
    BOOST_TEST((detail::map_exchange_error(asio::error::eof, detail) == errc::connection_closed));
    BOOST_TEST((detail::map_exchange_error(asio::error::network_unreachable, detail) == errc::network_error));
    BOOST_TEST((detail::map_exchange_error(http::error::bad_version, detail) == errc::malformed_http));
}

BOOST_AUTO_TEST_CASE(a_written_post_is_never_resent) {
    using detail::failed_exchange;
    using detail::should_resend;
    const error_code closed = errc::connection_closed, reset = errc::connection_reset;
    // POST read by the server, then FIN or RST (reused and fresh connections alike: the rule does
    // not look at reuse): never again.
    for (const auto& ec : {closed, reset})
        BOOST_TEST(!should_resend(failed_exchange{http_method::post, false, false, false, ec}));
    // A GET: once, and only once, and only before any byte of an answer.
    BOOST_TEST(should_resend(failed_exchange{http_method::get, false, false, false, closed}));
    BOOST_TEST(should_resend(failed_exchange{http_method::get, false, false, false, reset}));
    BOOST_TEST(!should_resend(failed_exchange{http_method::get, true, false, false, closed}));
    BOOST_TEST(!should_resend(failed_exchange{http_method::get, false, false, true, closed}));
    // Provably not sent (the first write failed): any method, once.
    BOOST_TEST(should_resend(failed_exchange{http_method::post, false, true, false, reset}));
    BOOST_TEST(!should_resend(failed_exchange{http_method::post, true, true, false, reset}));
    // Other errors never: a timeout, a TLS failure, a malformed answer.
    for (errc e : {errc::timeout, errc::tls_error, errc::malformed_http, errc::network_error})
        BOOST_TEST(!should_resend(failed_exchange{http_method::get, false, true, false, e}));
}

BOOST_AUTO_TEST_CASE(the_final_error_of_an_operation) {
    using namespace std::chrono_literals;
    struct row {
        const char* name;
        error_code raw;
        std::exception_ptr thrown;
        bool timed_out;
        error_code expected;
        const char* detail_starts;
    } rows[] = {
        {"success stays success", {}, nullptr, false, {}, ""},
        {"success stays success even past the deadline", {}, nullptr, true, {}, ""},
        {"an API error is kept", make_api_error_code(403), nullptr, false, make_api_error_code(403), ""},
        {"the caller's cancellation", asio::error::operation_aborted, nullptr, false, asio::error::operation_aborted,
         ""},
        {"the deadline's cancellation is a timeout", asio::error::operation_aborted, nullptr, true, errc::timeout,
         "deadline of 2500 ms passed"},
        {"whatever the deadline's cancellation surfaced as", errc::connection_reset, nullptr, true, errc::timeout,
         "deadline"},
        {"a thrown system_error's code",
         {},
         std::make_exception_ptr(boost::system::system_error(asio::error::operation_aborted)),
         false,
         asio::error::operation_aborted,
         ""},
        {"a thrown system_error past the deadline",
         {},
         std::make_exception_ptr(boost::system::system_error(asio::error::operation_aborted)),
         true,
         errc::timeout,
         "deadline"},
        {"out of memory", {}, std::make_exception_ptr(std::bad_alloc()), false, asio::error::no_memory, ""},
        {"anything else",
         {},
         std::make_exception_ptr(std::runtime_error("boom")),
         false,
         asio::error::fault,
         "internal error: boom"},
    };
    for (const auto& r : rows) {
        BOOST_TEST_CONTEXT(r.name) {
            error_code ec = r.raw;
            std::string detail;
            detail::settle_error(ec, detail, r.thrown, r.timed_out, 2500ms);
            BOOST_TEST((ec == r.expected), ec.message());
            BOOST_TEST(detail.rfind(r.detail_starts, 0) == 0u, detail);
        }
    }
}

BOOST_AUTO_TEST_CASE(outcomes_are_counted_by_class) {
    using detail::classify_outcome;
    using detail::outcome_class;
    BOOST_TEST((classify_outcome({}) == outcome_class::succeeded));
    BOOST_TEST((classify_outcome(errc::missing_access_token) == outcome_class::input_error));
    BOOST_TEST((classify_outcome(make_api_error_code(401)) == outcome_class::api_error));
    BOOST_TEST((classify_outcome(errc::malformed_json) == outcome_class::protocol_error));
    BOOST_TEST((classify_outcome(asio::error::operation_aborted) == outcome_class::cancelled));
    BOOST_TEST((classify_outcome(errc::timeout) == outcome_class::transport_error));
    BOOST_TEST((classify_outcome(errc::tls_error) == outcome_class::transport_error));
    BOOST_TEST((classify_outcome(asio::error::no_memory) == outcome_class::transport_error));
}

BOOST_AUTO_TEST_SUITE_END()
