#ifndef GENAUTH_ERROR_WITH_DIAGNOSTICS_HPP
#define GENAUTH_ERROR_WITH_DIAGNOSTICS_HPP

#include <genauth/detail/config.hpp>
#include <genauth/error.hpp>
#include <genauth/response_envelope.hpp>

#include <boost/system/system_error.hpp>

#include <string>

namespace genauth {

/// The exception a throwing completion (the default token, `use_awaitable`, `use_future`) raises
/// when an operation fails, whatever the failure (input, transport, protocol or API): the error
/// code, what the server answered (its envelope) and what the library saw (its diagnostics).
/// Like Boost.MySQL's `error_with_diagnostics`.
///
/// `what()` is built from the error code's message, the HTTP status, statusCode, apiCode,
/// requestId, the sanitised server message and body excerpt and the library's detail. It never
/// contains the access token.
class error_with_diagnostics : public boost::system::system_error {
public:
    GENAUTH_DECL error_with_diagnostics(error_code ec, response_envelope envelope, diagnostics diag);

    /// What the server answered (statusCode, apiCode, message, requestId); empty when it did not.
    const response_envelope& envelope() const noexcept { return envelope_; }
    /// What the library saw (HTTP status, sanitised body excerpt, detail).
    const diagnostics& get_diagnostics() const noexcept { return diag_; }

    const char* what() const noexcept override { return what_.c_str(); }

private:
    response_envelope envelope_;
    diagnostics diag_;
    std::string what_;
};

/// The former name, kept for one release.
using api_error [[deprecated("renamed genauth::error_with_diagnostics: it is thrown for every failure")]] =
    error_with_diagnostics;

}  // namespace genauth

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/error_with_diagnostics.ipp>
#endif

#endif
