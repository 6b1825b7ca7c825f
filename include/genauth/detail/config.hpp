#ifndef GENAUTH_DETAIL_CONFIG_HPP
#define GENAUTH_DETAIL_CONFIG_HPP

// Two build modes, as in Boost.MySQL:
// - header-only (default): every non-template body is `inline` and each public header pulls in its
//   `impl/*.ipp` file;
// - separate compilation: define GENAUTH_SEPARATE_COMPILATION everywhere and include
//   <genauth/src.hpp> in exactly one translation unit, so the heavy Beast/TLS/coroutine code is
//   compiled once.
#ifdef GENAUTH_SEPARATE_COMPILATION
#define GENAUTH_DECL
#else
#define GENAUTH_DECL inline
#define GENAUTH_HEADER_ONLY
#endif

#endif
