#ifndef GENAUTH_API_ERROR_HPP
#define GENAUTH_API_ERROR_HPP

// Deprecated: the exception is genauth::error_with_diagnostics (<genauth/error_with_diagnostics.hpp>);
// genauth::api_error remains an alias of it for one release.
#include <genauth/error_with_diagnostics.hpp>

#endif
