// With GENAUTH_SEPARATE_COMPILATION: include in exactly one translation unit to compile the
// testing helpers (the local HTTPS server) once.
#ifndef GENAUTH_TESTING_SRC_HPP
#define GENAUTH_TESTING_SRC_HPP

#ifndef GENAUTH_SEPARATE_COMPILATION
#error "genauth/testing/src.hpp is for GENAUTH_SEPARATE_COMPILATION builds"
#endif

#include <genauth/impl/testing/fake_genauth_server.ipp>
#include <genauth/impl/testing/local_https_server.ipp>
#include <genauth/impl/testing/scripted_proxy.ipp>

#endif
