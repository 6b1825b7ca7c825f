#ifndef GENAUTH_IMPL_SANSIO_JSON_PARSER_HPP
#define GENAUTH_IMPL_SANSIO_JSON_PARSER_HPP

// The JSON parser every response body goes through: boost::json::parse, but refusing an object
// that repeats a key. No I/O.

#include <genauth/error.hpp>

#include <boost/container/small_vector.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <algorithm>
#include <string>
#include <string_view>
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

}  // namespace genauth::detail

#endif
