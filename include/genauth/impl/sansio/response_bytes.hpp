#ifndef GENAUTH_IMPL_SANSIO_RESPONSE_BYTES_HPP
#define GENAUTH_IMPL_SANSIO_RESPONSE_BYTES_HPP

// The transport's response path without a socket, for tests and fuzzers.

#include <genauth/detail/config.hpp>
#include <genauth/detail/sansio/response.hpp>

#include <chrono>
#include <cstddef>
#include <string_view>

namespace genauth::detail {

/// Interprets `bytes` as the whole of what a server sent before closing: the response_reader the
/// transport uses, fed `bytes` in pieces of at most `piece` bytes, then interpret_response. For
/// tests and fuzzing; `max_held`, when given, receives the most bytes the reader held at once.
/// A Retry-After is read as of `now`, as the client reads it (read_retry_after).
GENAUTH_DECL call_outcome interpret_response_bytes(std::string_view bytes, std::size_t body_limit,
                                                   envelope_kind kind = envelope_kind::v3,
                                                   std::size_t piece = static_cast<std::size_t>(-1),
                                                   const call_secrets& secrets = {}, std::size_t* max_held = nullptr,
                                                   std::chrono::system_clock::time_point now = {});

}  // namespace genauth::detail

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/sansio/response_bytes.ipp>
#endif

#endif
