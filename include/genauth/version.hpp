// genauth-cpp: header-only C++20 client for the GenAuth (formerly Authing) V3 Authentication API.
#ifndef GENAUTH_VERSION_HPP
#define GENAUTH_VERSION_HPP

#define GENAUTH_VERSION_MAJOR 0
#define GENAUTH_VERSION_MINOR 1
#define GENAUTH_VERSION_PATCH 0
#define GENAUTH_VERSION_STRING "0.1.0"

#endif
