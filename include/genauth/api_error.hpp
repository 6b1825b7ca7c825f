#ifndef GENAUTH_API_ERROR_HPP
#define GENAUTH_API_ERROR_HPP

#include <genauth/detail/config.hpp>
#include <genauth/error.hpp>
#include <genauth/response_envelope.hpp>

#include <boost/system/system_error.hpp>

#include <string>

namespace genauth {

/// The exception a throwing completion (the default token, `use_awaitable`, `use_future`) raises
/// when an operation fails: the error code plus everything the server answered.
///
/// `what()` is built from the error code's message, the HTTP status, statusCode, apiCode,
/// requestId, the sanitised server message and the library's detail. It never contains the
/// access token.
class api_error : public boost::system::system_error {
public:
    GENAUTH_DECL api_error(error_code ec, response_envelope envelope);

    /// What the server answered (statusCode, apiCode, message, requestId, HTTP status, ...).
    const response_envelope& envelope() const noexcept { return envelope_; }

    const char* what() const noexcept override { return what_.c_str(); }

private:
    response_envelope envelope_;
    std::string what_;
};

}  // namespace genauth

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/api_error.ipp>
#endif

#endif
