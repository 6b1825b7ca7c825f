#ifndef GENAUTH_IMPL_PROTOCOL_RESPONSE_IPP
#define GENAUTH_IMPL_PROTOCOL_RESPONSE_IPP

#include <genauth/detail/protocol/request.hpp>
#include <genauth/detail/protocol/response.hpp>
#include <genauth/dto/envelope.hpp>
#include <genauth/impl/internal/protocol/response_reader.hpp>
#include <genauth/impl/internal/sanitize.hpp>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/container/small_vector.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace genauth::detail {

// A basic_parser handler that builds the value (as boost::json::parse does, through a
// value_stack) and refuses any object that repeats a key: Boost.JSON keeps the last value
// silently, and {"statusCode":400,"statusCode":200} must not pass for a success. One pass over
// the body. Each open object's keys are kept as spans of one arena; at the object's end they are
// sorted and compared neighbour to neighbour, so a hostile object with many keys costs
// O(n log n), not O(n^2).
class checked_value_builder {
public:
    static constexpr std::size_t max_object_size = boost::json::object::max_size();
    static constexpr std::size_t max_array_size = boost::json::array::max_size();
    static constexpr std::size_t max_key_size = boost::json::string::max_size();
    static constexpr std::size_t max_string_size = boost::json::string::max_size();

    checked_value_builder(unsigned char* temp, std::size_t size, boost::json::storage_ptr storage)
        : st({}, temp, size) {
        st.reset(std::move(storage));
    }

    boost::json::value_stack st;
    std::string duplicate;  // the repeated key, when found

    bool on_document_begin(error_code&) { return true; }
    bool on_document_end(error_code&) { return true; }
    bool on_object_begin(error_code&) {
        frames_.push_back(keys_.size());
        return true;
    }
    bool on_object_end(std::size_t n, error_code& ec) {
        const std::size_t first = frames_.back();
        frames_.pop_back();
        auto text = [this](const key_span& k) { return std::string_view(arena_.data() + k.offset, k.size); };
        std::sort(keys_.begin() + static_cast<std::ptrdiff_t>(first), keys_.end(),
                  [&](const key_span& a, const key_span& b) { return text(a) < text(b); });
        for (std::size_t i = first + 1; i < keys_.size(); ++i) {
            if (text(keys_[i]) == text(keys_[i - 1])) {
                duplicate = std::string(text(keys_[i]));
                ec = errc::duplicate_json_key;
                return false;
            }
        }
        if (first < keys_.size()) {
            std::size_t start = arena_.size();
            for (std::size_t i = first; i < keys_.size(); ++i) start = std::min(start, keys_[i].offset);
            arena_.resize(start);
        }
        keys_.resize(first);
        st.push_object(n);
        return true;
    }
    bool on_array_begin(error_code&) { return true; }
    bool on_array_end(std::size_t n, error_code&) {
        st.push_array(n);
        return true;
    }
    bool on_key_part(boost::json::string_view s, std::size_t, error_code&) {
        if (!in_key_) {
            in_key_ = true;
            key_start_ = arena_.size();
        }
        arena_.insert(arena_.end(), s.data(), s.data() + s.size());
        st.push_chars(s);
        return true;
    }
    bool on_key(boost::json::string_view s, std::size_t, error_code&) {
        if (!in_key_) key_start_ = arena_.size();
        in_key_ = false;
        arena_.insert(arena_.end(), s.data(), s.data() + s.size());
        keys_.push_back({key_start_, arena_.size() - key_start_});
        st.push_key(s);
        return true;
    }
    bool on_string_part(boost::json::string_view s, std::size_t, error_code&) {
        st.push_chars(s);
        return true;
    }
    bool on_string(boost::json::string_view s, std::size_t, error_code&) {
        st.push_string(s);
        return true;
    }
    bool on_number_part(boost::json::string_view, error_code&) { return true; }
    bool on_int64(std::int64_t i, boost::json::string_view, error_code&) {
        st.push_int64(i);
        return true;
    }
    bool on_uint64(std::uint64_t u, boost::json::string_view, error_code&) {
        st.push_uint64(u);
        return true;
    }
    bool on_double(double d, boost::json::string_view, error_code&) {
        st.push_double(d);
        return true;
    }
    bool on_bool(bool b, error_code&) {
        st.push_bool(b);
        return true;
    }
    bool on_null(error_code&) {
        st.push_null();
        return true;
    }
    bool on_comment_part(boost::json::string_view, error_code&) { return true; }
    bool on_comment(boost::json::string_view, error_code&) { return true; }

private:
    struct key_span {
        std::size_t offset, size;
    };
    // Inline room for a usual answer (a few objects, a few keys each): no allocation.
    boost::container::small_vector<char, 256> arena_;        // the text of the open objects' keys
    boost::container::small_vector<key_span, 24> keys_;      // open objects' keys, innermost last
    boost::container::small_vector<std::size_t, 8> frames_;  // where each open object's keys start
    std::size_t key_start_ = 0;
    bool in_key_ = false;
};

// Parses `body` as boost::json::parse would, in one pass that also refuses repeated keys: on a
// repeated key sets `ec` to errc::duplicate_json_key and `duplicate` to the key. The value is
// allocated from `storage`.
inline boost::json::value parse_refusing_duplicates(std::string_view body, error_code& ec, std::string& duplicate,
                                                    boost::json::storage_ptr storage) {
    unsigned char temp[512];
    boost::json::basic_parser<checked_value_builder> parser(boost::json::parse_options{}, temp, sizeof temp,
                                                            std::move(storage));
    parser.write_some(false, body.data(), body.size(), ec);
    if (ec) {
        if (ec == errc::duplicate_json_key) duplicate = std::move(parser.handler().duplicate);
        return nullptr;
    }
    return parser.handler().st.release();
}

inline bool contains_icase(std::string_view text, std::string_view lower_needle) noexcept {
    for (std::size_t i = 0; i + lower_needle.size() <= text.size(); ++i)
        if (iequals_prefix(text.substr(i), lower_needle)) return true;
    return false;
}

// The host of a Location header, for the redirect error (not the whole URL: it may carry tokens).
inline std::string location_host(std::string_view location, const call_secrets& secrets) {
    const auto scheme_end = location.find("://");
    if (scheme_end == std::string_view::npos) return "(same host)";
    auto rest = location.substr(scheme_end + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
    return safe_excerpt(rest, 100, secrets);
}

GENAUTH_DECL call_outcome interpret_response(unsigned http_status, std::string_view content_type,
                                             std::string_view location, std::string_view body, bool enveloped,
                                             const boost::json::storage_ptr& storage, const call_secrets& secrets) {
    // A body shown in an excerpt is shown decoded (JSON escapes resolved) and redacted.
    const auto excerpt = [&] { return safe_excerpt(body, body_excerpt_bytes, secrets, true); };
    call_outcome out(storage);
    out.diag.http_status = http_status;
    if (http_status >= 300 && http_status < 400) {
        out.ec = errc::redirect_refused;
        out.diag.detail = "redirect to " + location_host(location, secrets) + " not followed";
        return out;
    }

    error_code parse_ec;
    std::string duplicate;
    boost::json::value jv =
        body.empty() ? boost::json::value() : parse_refusing_duplicates(body, parse_ec, duplicate, storage);
    if (parse_ec == errc::duplicate_json_key) {
        out.ec = errc::duplicate_json_key;
        out.diag.detail = "response repeats the key '" + safe_excerpt(duplicate, 64, secrets) + "'";
        return out;
    }
    if (body.empty() || parse_ec) {
        const auto first = body.find_first_not_of(" \t\r\n");
        const bool claims_json = contains_icase(content_type, "json") ||
                                 (first != std::string_view::npos && (body[first] == '{' || body[first] == '['));
        out.ec = claims_json && !body.empty() ? errc::malformed_json : errc::non_json_response;
        out.diag.body_excerpt = excerpt();
        if (out.ec == errc::malformed_json) out.diag.detail = "JSON parser: " + parse_ec.message();
        return out;
    }

    if (!enveloped && !(jv.is_object() && jv.get_object().contains("statusCode"))) {
        // The data itself: the HTTP status decides; the endpoint's DTO checks the shape.
        if (http_status < 200 || http_status >= 300) {
            out.ec = errc::http_status_error;
            out.diag.body_excerpt = excerpt();
            return out;
        }
        out.body = std::move(jv);
        return out;
    }

    decode_context ctx;
    if (!decode_value(jv, out.envelope, ctx)) {
        const bool envelope_broken = !jv.is_object() || ctx.detail.find("'statusCode'") != std::string::npos;
        out.ec = envelope_broken ? error_code(errc::invalid_envelope) : ctx.ec;
        out.diag.detail = "response " + ctx.detail;
        if (!jv.is_object()) out.diag.body_excerpt = excerpt();
        return out;
    }
    if (out.envelope.status_code == 0) {
        // Not representable as an API error: an error_code of value 0 reads as success.
        out.ec = errc::invalid_envelope;
        out.diag.detail = "response field 'statusCode': 0 is not a status";
        return out;
    }
    if (out.envelope.status_code != 200) {
        out.ec = make_api_error_code(out.envelope.status_code);
        return out;
    }
    if (http_status < 200 || http_status >= 300) {
        out.ec = errc::http_status_error;
        return out;
    }
    out.body = std::move(jv);
    return out;
}

GENAUTH_DECL void redact_texts(response_envelope& envelope, diagnostics& diag, const call_secrets& secrets) {
    for (std::string* text : {&envelope.message, &diag.body_excerpt, &diag.detail}) redact(*text, secrets);
    if (envelope.request_id) redact(*envelope.request_id, secrets);
}

GENAUTH_DECL error_code map_exchange_error(const error_code& ec, std::string& detail) {
    namespace asio = boost::asio;
    namespace http = boost::beast::http;
    if (!ec || ec == asio::error::operation_aborted) return ec;
    if (ec.category() == client_category()) return ec;  // already ours
    detail = std::string(ec.category().name()) + ": " + ec.message();
    if (ec == http::error::body_limit || ec == http::error::header_limit || ec == http::error::buffer_overflow)
        return errc::response_too_large;
    if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated || ec == http::error::end_of_stream ||
        ec == http::error::partial_message)
        return errc::connection_closed;
    if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe || ec == asio::error::connection_aborted)
        return errc::connection_reset;
    if (ec.category() == make_error_code(http::error::bad_version).category()) return errc::malformed_http;
    // OpenSSL's reasons (bad_record_mac, a fatal alert from the peer, a record that is not TLS)
    // and Asio's stream errors: all TLS-layer failures after the handshake.
    if (ec.category() == asio::error::get_ssl_category() ||
        ec.category() == make_error_code(asio::ssl::error::stream_truncated).category())
        return errc::tls_error;
    // Whatever else the system reports once connected (unreachable, timed out, ...).
    return errc::network_error;
}

GENAUTH_DECL call_outcome interpret_response_bytes(std::string_view bytes, std::size_t body_limit, bool enveloped,
                                                   std::size_t piece, const call_secrets& secrets,
                                                   std::size_t* max_held) {
    response_reader reader;
    reader.start(body_limit);
    auto state = reader.feed({});
    std::size_t held = 0;
    while (state == response_reader::status::need_more && !bytes.empty()) {
        const auto n = std::min(piece == 0 ? 1 : piece, bytes.size());
        state = reader.feed(bytes.substr(0, n));
        held = std::max(held, reader.held());
        bytes.remove_prefix(n);
    }
    if (max_held != nullptr) *max_held = held;
    if (state == response_reader::status::need_more) state = reader.end_of_stream();
    call_outcome out;
    if (state == response_reader::status::failed) {
        out.ec = map_exchange_error(reader.error(), out.diag.detail);
        return out;
    }
    const auto& response = reader.response();
    return interpret_response(response.status, response.content_type, response.location, response.body, enveloped, {},
                              secrets);
}

}  // namespace genauth::detail

#endif
