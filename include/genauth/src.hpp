// Include in exactly one translation unit of a program built with GENAUTH_SEPARATE_COMPILATION
// defined everywhere: the library's non-template bodies are compiled there, once.
#ifndef GENAUTH_SRC_HPP
#define GENAUTH_SRC_HPP

#ifndef GENAUTH_SEPARATE_COMPILATION
#error "genauth/src.hpp is for GENAUTH_SEPARATE_COMPILATION builds; header-only builds need nothing"
#endif

#include <genauth/genauth.hpp>
#include <genauth/impl/client_impl.ipp>
#include <genauth/impl/dto/enroll_factor.ipp>
#include <genauth/impl/dto/envelope.ipp>
#include <genauth/impl/dto/mfa_challenge.ipp>
#include <genauth/impl/dto/mfa_factors.ipp>
#include <genauth/impl/dto/mfa_token.ipp>
#include <genauth/impl/dto/send_code.ipp>
#include <genauth/impl/error.ipp>
#include <genauth/impl/error_with_diagnostics.ipp>
#include <genauth/impl/io/connection.ipp>
#include <genauth/impl/io/tls_context.ipp>
#include <genauth/impl/policy/exchange_error.ipp>
#include <genauth/impl/policy/policy.ipp>
#include <genauth/impl/policy/retry.ipp>
#include <genauth/impl/sansio/head_writer.ipp>
#include <genauth/impl/sansio/proxy.ipp>
#include <genauth/impl/sansio/request.ipp>
#include <genauth/impl/sansio/response.ipp>
#include <genauth/impl/sansio/response_bytes.ipp>
#include <genauth/impl/sansio/response_reader.ipp>
#include <genauth/impl/sansio/retry_after.ipp>
#include <genauth/impl/totp.ipp>

#endif
