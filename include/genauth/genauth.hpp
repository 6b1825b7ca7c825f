// genauth-cpp: the whole public API.
#ifndef GENAUTH_GENAUTH_HPP
#define GENAUTH_GENAUTH_HPP

#include <genauth/authentication_client.hpp>
#include <genauth/client_options.hpp>
#include <genauth/dto/enroll_factor.hpp>
#include <genauth/dto/mfa_challenge.hpp>
#include <genauth/dto/mfa_factors.hpp>
#include <genauth/dto/mfa_token.hpp>
#include <genauth/dto/send_code.hpp>
#include <genauth/error.hpp>
#include <genauth/error_with_diagnostics.hpp>
#include <genauth/factor_type.hpp>
#include <genauth/mfa_challenge_client.hpp>
#include <genauth/observer.hpp>
#include <genauth/response_envelope.hpp>
#include <genauth/totp.hpp>
#include <genauth/version.hpp>
#include <genauth/with_diagnostics.hpp>

#endif
