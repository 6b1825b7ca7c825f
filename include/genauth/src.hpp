// Include in exactly one translation unit of a program built with GENAUTH_SEPARATE_COMPILATION
// defined everywhere: the library's non-template bodies are compiled there, once.
#ifndef GENAUTH_SRC_HPP
#define GENAUTH_SRC_HPP

#ifndef GENAUTH_SEPARATE_COMPILATION
#error "genauth/src.hpp is for GENAUTH_SEPARATE_COMPILATION builds; header-only builds need nothing"
#endif

#include <genauth/detail/impl/client_impl.ipp>
#include <genauth/detail/protocol/impl/request.ipp>
#include <genauth/detail/protocol/impl/policy.ipp>
#include <genauth/detail/protocol/impl/response.ipp>
#include <genauth/detail/protocol/impl/response_reader.ipp>
#include <genauth/detail/transport/impl/connection.ipp>
#include <genauth/dto/impl/enroll_factor.ipp>
#include <genauth/dto/impl/envelope.ipp>
#include <genauth/dto/impl/mfa_factors.ipp>
#include <genauth/dto/impl/mfa_token.ipp>
#include <genauth/dto/impl/send_code.ipp>
#include <genauth/genauth.hpp>
#include <genauth/impl/error_with_diagnostics.ipp>
#include <genauth/impl/error.ipp>
#include <genauth/impl/totp.ipp>

#endif
