#ifndef GENAUTH_IMPL_POLICY_EXCHANGE_ERROR_IPP
#define GENAUTH_IMPL_POLICY_EXCHANGE_ERROR_IPP

// Which genauth::errc an exchange's raw error (socket, TLS, HTTP parser) becomes.

#include <genauth/impl/policy/policy.hpp>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>

#include <string>

namespace genauth::detail {

GENAUTH_DECL error_code map_exchange_error(const error_code& ec, std::string& detail) {
    namespace asio = boost::asio;
    namespace http = boost::beast::http;
    if (!ec || ec == asio::error::operation_aborted) return ec;
    if (ec.category() == client_category()) return ec;  // already ours
    detail = std::string(ec.category().name()) + ": " + ec.message();
    if (ec == http::error::body_limit || ec == http::error::header_limit || ec == http::error::buffer_overflow)
        return errc::response_too_large;
    if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated || ec == http::error::end_of_stream ||
        ec == http::error::partial_message)
        return errc::connection_closed;
    if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe || ec == asio::error::connection_aborted)
        return errc::connection_reset;
    if (ec.category() == make_error_code(http::error::bad_version).category()) return errc::malformed_http;
    // OpenSSL's reasons (bad_record_mac, a fatal alert from the peer, a record that is not TLS)
    // and Asio's stream errors: all TLS-layer failures after the handshake.
    if (ec.category() == asio::error::get_ssl_category() ||
        ec.category() == make_error_code(asio::ssl::error::stream_truncated).category())
        return errc::tls_error;
    // Whatever else the system reports once connected (unreachable, timed out, ...).
    return errc::network_error;
}

}  // namespace genauth::detail

#endif
