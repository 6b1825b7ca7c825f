#ifndef GENAUTH_IMPL_SANSIO_RESPONSE_READER_HPP
#define GENAUTH_IMPL_SANSIO_RESPONSE_READER_HPP

// Reading one HTTP/1.1 response, with no I/O: bytes in, "need more" or "done" out. The transport
// feeds it what the socket gives, the unit tests and the fuzzer feed it scripted bytes; both run
// this same code (as Boost.Redis's reader_fsm and Boost.MySQL's message_reader).

#include <genauth/detail/config.hpp>
#include <genauth/error.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/version.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace genauth::detail {

/// The size limit of a response's header block, interim (1xx) responses before it included.
inline constexpr std::size_t header_limit_bytes = std::size_t{16} * 1024;

/// Once the header is read, the most bytes the reader holds unparsed: a chunk-size line with
/// its extensions, or the trailer section (Beast 1.81 bounds neither; later versions bound the
/// chunk line only). Past it the response fails with http::error::buffer_overflow.
inline constexpr std::size_t framing_limit_bytes = std::size_t{8} * 1024;

/// The most bytes one read from the stream adds at once.
inline constexpr std::size_t read_size_bytes = std::size_t{64} * 1024;

/// What one response can make the reader hold at most, whatever its framing: the body, the
/// unparsed bytes (the header, or framing once the header is read) and one read's worth.
constexpr std::size_t max_held_bytes(std::size_t body_limit) noexcept {
    return body_limit + (header_limit_bytes > framing_limit_bytes ? header_limit_bytes : framing_limit_bytes) +
           read_size_bytes;
}

/// 1xx responses other than 101 are interim: the real response follows on the same stream.
constexpr bool is_interim_status(unsigned status) noexcept { return status >= 100 && status < 200 && status != 101; }

/// What the client keeps of a response. No header map: only the fields it reads, so nothing is
/// allocated per field, and the strings keep their capacity from one response to the next.
struct parsed_response {
    unsigned status = 0;
    std::string content_type;  ///< the first Content-Type field of the header ("" when none)
    std::string location;      ///< the first Location field of the header
    std::string retry_after;   ///< the first Retry-After field of the header
    std::string body;
};

/// Beast's HTTP/1.1 response parser (framing, limits, chunked coding, keep-alive), filling a
/// parsed_response that outlives it. Trailer fields are ignored.
class response_parser final : public boost::beast::http::basic_parser<false> {
public:
    /// Clears `out` (keeping its capacity) and parses into it, with `body_limit` and
    /// `header_limit`.
    GENAUTH_DECL response_parser(parsed_response& out, std::size_t body_limit, std::size_t header_limit);

private:
    using string_view = boost::beast::string_view;
    using field = boost::beast::http::field;
    GENAUTH_DECL void on_request_impl(boost::beast::http::verb, string_view, string_view, int, error_code&) override;
    GENAUTH_DECL void on_response_impl(int code, string_view, int, error_code&) override;
    GENAUTH_DECL void on_field_impl(field name, string_view, string_view value, error_code&) override;
#if BOOST_BEAST_VERSION >= 359  // Boost 1.90 reports trailer fields apart (before, to on_field_impl)
    void on_trailer_field_impl(field, string_view, string_view, error_code&) override {}
#endif
    void on_header_impl(error_code&) override {}
    GENAUTH_DECL void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override;
    GENAUTH_DECL std::size_t on_body_impl(string_view bytes, error_code&) override;
    void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
    GENAUTH_DECL std::size_t on_chunk_body_impl(std::uint64_t, string_view bytes, error_code&) override;
    void on_finish_impl(error_code&) override {}

    parsed_response& out_;
    bool content_type_seen_ = false;
    bool location_seen_ = false;
    bool retry_after_seen_ = false;
};

/// Reads one response at a time from a byte stream: header and body limits, interim (1xx)
/// responses skipped, the end of the stream as HTTP/1.x defines it. One per connection: the read
/// buffer is kept from one response to the next (and must be empty between them: bytes left
/// over belong to no request).
class response_reader {
public:
    enum class status {
        need_more,  ///< read more bytes into buffer(), commit() them and call parse() again
        done,       ///< message() is the response
        failed      ///< error() says why (a Beast HTTP error, not yet mapped)
    };

    /// Begins a new response. `for_connect`: the answer to a CONNECT, whose 2xx has no body.
    GENAUTH_DECL void start(std::size_t body_limit, bool for_connect = false);

    /// Space for the next read from the stream.
    GENAUTH_DECL boost::asio::mutable_buffer buffer();
    /// `n` bytes were read into buffer().
    void commit(std::size_t n) noexcept {
        buffer_.commit(n);
        received_any_ = received_any_ || n != 0;
    }
    /// Parses what is buffered.
    GENAUTH_DECL status parse();
    /// The stream ended (the peer closed): decides what that means for the response being read.
    GENAUTH_DECL status end_of_stream();

    /// Copies `bytes` in and parses: for tests and fuzzing.
    GENAUTH_DECL status feed(std::string_view bytes);

    /// After done: the response (status, the fields the client reads, body), valid until start().
    const parsed_response& response() const noexcept { return response_; }
    /// After done: whether the connection may carry another request (HTTP/1.1 rules).
    bool keep_alive() const { return parser_->keep_alive(); }
    /// After failed: the parser's error.
    const error_code& error() const noexcept { return error_; }
    /// Whether any byte of a response arrived since start().
    bool received_any() const noexcept { return received_any_; }
    /// Bytes read but not part of a parsed response.
    std::size_t buffered() const noexcept { return buffer_.size(); }
    /// What the reader holds now for the response: buffered bytes and the body so far. Never
    /// more than max_held_bytes(body_limit).
    std::size_t held() const noexcept { return buffer_.size() + response_.body.size(); }

private:
    status fail(error_code ec) {
        error_ = ec;
        return status::failed;
    }
    GENAUTH_DECL void new_parser();
    GENAUTH_DECL status wait_for_more();

    boost::beast::flat_buffer buffer_;
    parsed_response response_;
    std::optional<response_parser> parser_;
    std::size_t body_limit_ = 0;
    bool for_connect_ = false;
    std::size_t stalled_at_ = 0;                      // buffered bytes when put() last asked for more; 0: it did not
    std::size_t header_budget_ = header_limit_bytes;  // what interim responses have left of the limit
    std::size_t parsed_ = 0;                          // bytes the current parser has consumed
    bool received_any_ = false;
    error_code error_;
};

}  // namespace genauth::detail

#ifdef GENAUTH_HEADER_ONLY
#include <genauth/impl/sansio/response_reader.ipp>
#endif

#endif
