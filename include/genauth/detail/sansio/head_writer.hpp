#ifndef GENAUTH_DETAIL_SANSIO_HEAD_WRITER_HPP
#define GENAUTH_DETAIL_SANSIO_HEAD_WRITER_HPP

// The one writer of request-head bytes, with no I/O: every request line and header line the
// client sends (its API requests, their fixed block, the proxy's CONNECT) is written here, and
// only after the bytes are checked against RFC 9110's grammar.

#include <genauth/detail/config.hpp>

#include <string>
#include <string_view>

namespace genauth::detail {

/// True when `value` is an RFC 9110 field value (5.5): visible ASCII, obs-text (0x80-0xFF), and
/// SP or HTAB between them; no CR, LF, NUL or other control byte, no white space at either end.
GENAUTH_DECL bool is_valid_header_value(std::string_view value) noexcept;

/// True when `name` is an RFC 9110 token (5.6.2): what a field name or a method may be.
GENAUTH_DECL bool is_token(std::string_view name) noexcept;

/// True when `target` can stand as a request-target (RFC 9112 3.2): visible ASCII, no space.
GENAUTH_DECL bool is_valid_request_target(std::string_view target) noexcept;

/// The one place where bytes of a request head are written (the app's requests, their fixed
/// block, the proxy's CONNECT): appends "name: value\r\n" when the name is a token and the value
/// a field value, and nothing otherwise. So no caller's value, whichever field it fills, can
/// end a header line or the head early, add a field or start a second request.
GENAUTH_DECL bool append_header(std::string& out, std::string_view name, std::string_view value);

/// Appends the request line "METHOD target HTTP/1.1\r\n", `target` being `path` + `query`,
/// when the method is a token and the target a request-target; nothing otherwise.
GENAUTH_DECL bool append_request_line(std::string& out, std::string_view method, std::string_view path,
                                      std::string_view query);

}  // namespace genauth::detail

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/sansio/head_writer.ipp>
#endif

#endif
