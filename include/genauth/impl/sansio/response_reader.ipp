#ifndef GENAUTH_IMPL_SANSIO_RESPONSE_READER_IPP
#define GENAUTH_IMPL_SANSIO_RESPONSE_READER_IPP

#include <genauth/impl/sansio/response_reader.hpp>

#include <boost/beast/http/error.hpp>

#include <algorithm>
#include <cstring>

namespace genauth::detail {

namespace http = boost::beast::http;

// A body larger than this is not kept allocated between responses.
inline constexpr std::size_t kept_body_capacity = std::size_t{64} * 1024;

GENAUTH_DECL response_parser::response_parser(parsed_response& out, std::size_t body_limit, std::size_t header_limit)
    : out_(out) {
    this->header_limit(static_cast<std::uint32_t>(header_limit));
    this->body_limit(body_limit);
    eager(true);
    out_.status = 0;
    out_.content_type.clear();
    out_.location.clear();
    out_.retry_after.clear();
    if (out_.body.capacity() > kept_body_capacity) out_.body = std::string();
    out_.body.clear();
}

GENAUTH_DECL void response_parser::on_request_impl(http::verb, string_view, string_view, int, error_code& ec) {
    ec = http::error::bad_version;  // unreachable: a response parser reads a status line
}

GENAUTH_DECL void response_parser::on_response_impl(int code, string_view, int, error_code&) {
    out_.status = static_cast<unsigned>(code);
}

GENAUTH_DECL void response_parser::on_field_impl(field name, string_view, string_view value, error_code&) {
    if (is_header_done()) return;  // a trailer field (Boost before 1.90): not part of the header
    if (name == field::content_type && !content_type_seen_) {
        content_type_seen_ = true;
        out_.content_type.assign(value.data(), value.size());
    } else if (name == field::location && !location_seen_) {
        location_seen_ = true;
        out_.location.assign(value.data(), value.size());
    } else if (name == field::retry_after && !retry_after_seen_) {
        retry_after_seen_ = true;
        out_.retry_after.assign(value.data(), value.size());
    }
}

GENAUTH_DECL void response_parser::on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) {
    // Within the body limit: Beast refuses a longer Content-Length before it calls this.
    if (length) out_.body.reserve(static_cast<std::size_t>(*length));
}

GENAUTH_DECL std::size_t response_parser::on_body_impl(string_view bytes, error_code&) {
    out_.body.append(bytes.data(), bytes.size());
    return bytes.size();
}

GENAUTH_DECL std::size_t response_parser::on_chunk_body_impl(std::uint64_t, string_view bytes, error_code&) {
    out_.body.append(bytes.data(), bytes.size());
    return bytes.size();
}

GENAUTH_DECL void response_reader::new_parser() {
    parser_.emplace(response_, body_limit_, header_budget_);
    parsed_ = 0;
    // A 2xx answer to CONNECT ends with its header: what follows is the tunnel (RFC 9110 9.3.6).
    if (for_connect_) parser_->skip(true);
}

GENAUTH_DECL void response_reader::start(std::size_t body_limit, bool for_connect) {
    body_limit_ = body_limit;
    for_connect_ = for_connect;
    received_any_ = buffer_.size() != 0;
    error_ = {};
    stalled_at_ = 0;
    header_budget_ = header_limit_bytes;
    new_parser();
}

GENAUTH_DECL boost::asio::mutable_buffer response_reader::buffer() {
    // As Beast's read: at least 1 KiB, the free capacity when larger, at most 64 KiB a read.
    const std::size_t room = buffer_.capacity() - buffer_.size();
    return buffer_.prepare(std::clamp<std::size_t>(room, 1024, read_size_bytes));
}

GENAUTH_DECL response_reader::status response_reader::parse() {
    for (;;) {
        if (parser_->is_done()) {
            if (!is_interim_status(response_.status)) return status::done;
            // The real response follows. Interim responses spend the one header budget, so an
            // endless stream of them fails at once instead of running to the deadline.
            header_budget_ -= std::min(parsed_, header_budget_);
            if (header_budget_ == 0) return fail(http::error::header_limit);
            new_parser();
            continue;
        }
        if (buffer_.size() == 0) return status::need_more;
        // After need_more, put() must see new bytes (Beast's contract, found by fuzz_response).
        if (stalled_at_ != 0 && buffer_.size() == stalled_at_) return status::need_more;
        // Boost 1.81's chunk parser asserts (debug builds) when a last chunk it saw incomplete
        // ("0\r\n") is offered again with fewer than 5 bytes, as a byte-at-a-time stream does.
        // The rest of a chunked body is never shorter than its last chunk ("0\r\n\r\n"), so
        // waiting for 5 bytes cannot stall a complete message, and fewer at the end is a cut one.
        if (stalled_at_ != 0 && buffer_.size() < 5 && parser_->is_header_done() && parser_->chunked())
            return status::need_more;
        error_code ec;
        const std::size_t used = parser_->put(buffer_.data(), ec);
        buffer_.consume(used);
        parsed_ += used;
        if (used != 0) stalled_at_ = 0;
        if (ec == http::error::need_more) return wait_for_more();
        if (ec) return fail(ec);
        if (used == 0 && !parser_->is_done()) return wait_for_more();
    }
}

GENAUTH_DECL response_reader::status response_reader::wait_for_more() {
    // Before the header is whole, Beast's header limit bounds what waits; after it, only this
    // does (an endless chunk-size line, chunk extensions or trailer section).
    if (parser_->is_header_done() && buffer_.size() > framing_limit_bytes) return fail(http::error::buffer_overflow);
    stalled_at_ = buffer_.size();
    return status::need_more;
}

GENAUTH_DECL response_reader::status response_reader::end_of_stream() {
    // A close before any byte of this response is the end of the stream; after some, the parser
    // decides (an HTTP/1.0 body ends here; anything else was cut: partial_message).
    if (!parser_->got_some()) return fail(http::error::end_of_stream);
    error_code ec;
    parser_->put_eof(ec);
    if (ec) return fail(ec);
    if (is_interim_status(response_.status)) return fail(http::error::end_of_stream);
    return status::done;
}

GENAUTH_DECL response_reader::status response_reader::feed(std::string_view bytes) {
    if (!bytes.empty()) {
        auto room = buffer_.prepare(bytes.size());
        std::memcpy(room.data(), bytes.data(), bytes.size());
        commit(bytes.size());
    }
    return parse();
}

}  // namespace genauth::detail

#endif
