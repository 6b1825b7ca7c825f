// libFuzzer: raw HTTP bytes -> a result or an error (the whole response-decoding path, no I/O:
// the transport's response_reader, interpretation, decoding and the last redaction step), for
// each form of answer: V3 envelopes, V2 envelopes (the sign-in challenge) and bare data (MFA
// token introspection).
// The first byte picks the size of the pieces the bytes also arrive in (1-16). Properties:
// - whether the call succeeds, and what it then returns, does not depend on how the bytes arrive
//   (all at once, or in pieces);
// - the reader never holds more than max_held_bytes(body limit), whatever the framing;
// - a Retry-After is read only from an answer that asks to slow down (429 or 503), and is never
//   negative nor beyond max_retry_after, whatever the field holds;
// - no text a caller or an operator sees (message, requestId, excerpt, detail, what()) holds the
//   call's secret, however the server echoes it (whole, JSON-escaped, cut by an excerpt).
#include <genauth/detail/sansio/response.hpp>
#include <genauth/dto/enroll_factor.hpp>
#include <genauth/dto/mfa_challenge.hpp>
#include <genauth/dto/mfa_factors.hpp>
#include <genauth/dto/mfa_token.hpp>
#include <genauth/error_with_diagnostics.hpp>
#include <genauth/impl/sansio/response_bytes.hpp>
#include <genauth/impl/sansio/response_reader.hpp>
#include <genauth/impl/sansio/retry_after.hpp>

#include <boost/json/serialize.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

namespace detail = genauth::detail;

// The seeds and the dictionary echo it in many forms.
constexpr std::string_view secret = "SECRET-TOKEN-1234567890";
constexpr std::size_t body_limit = 64 * 1024;

void require(bool holds) {
    if (!holds) std::abort();
}

// Whether `text` ends with the first 8 or more bytes of the secret: what a cut excerpt would show.
bool ends_with_secret_piece(std::string_view text) {
    if (text.size() >= 3 && text.substr(text.size() - 3) == "...") text.remove_suffix(3);
    for (std::size_t n = detail::min_secret_piece_bytes; n < secret.size() && n <= text.size(); ++n)
        if (text.substr(text.size() - n) == secret.substr(0, n)) return true;
    return false;
}

template <class Response>
void check_texts(detail::call_outcome outcome, const detail::call_secrets& secrets) {
    auto [ec, response] = detail::decode_response<Response>(std::move(outcome));
    detail::redact_texts(response, response.diag, secrets);
    const std::string what = ec ? genauth::error_with_diagnostics(ec, response, response.diag).what() : "";
    const std::string request_id = response.request_id.value_or("");
    for (const std::string* text : std::initializer_list<const std::string*>{
             &response.message, &response.diag.body_excerpt, &response.diag.detail, &request_id, &what})
        require(text->find(secret) == std::string::npos);
    require(!ends_with_secret_piece(response.diag.body_excerpt));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t piece = 1 + data[0] % 16;
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    const detail::call_secrets secrets{secret, {}, {}};
    // A fixed "now" (RFC 9110's example date): an HTTP-date reads the same in both runs below.
    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(784111777));
    using kind = detail::envelope_kind;
    for (const kind k : {kind::v3, kind::v2, kind::bare}) {
        std::size_t held_whole = 0, held_pieces = 0;
        auto outcome = detail::interpret_response_bytes(bytes, body_limit, k, static_cast<std::size_t>(-1), secrets,
                                                        &held_whole, now);
        const auto split = detail::interpret_response_bytes(bytes, body_limit, k, piece, secrets, &held_pieces, now);
        if (const auto& wait = outcome.diag.retry_after) {
            require(detail::asks_to_slow_down(outcome.diag.http_status, outcome.envelope.status_code));
            require(wait->count() >= 0 && *wait <= detail::max_retry_after);
        }
        require(held_whole <= detail::max_held_bytes(body_limit) && held_pieces <= detail::max_held_bytes(body_limit));
        // Which error a broken stream gets may depend on the split: Beast 1.81 reports a bare CR
        // in a header that never ends as bad_line_ending when it sees the bytes at once, but
        // skips bytes it scanned before when they come in pieces (then: partial_message at the
        // end). Whether the call succeeds, and all it then says, must not.
        require(!outcome.ec == !split.ec);
        if (!outcome.ec)
            // Compared as text: Boost.JSON 1.81 reads "0e21200" as NaN, which equals nothing.
            require(outcome.diag == split.diag && outcome.envelope == split.envelope &&
                    boost::json::serialize(outcome.body) == boost::json::serialize(split.body));
        // Success and failure are both fine; what matters is a defined answer. Check its invariants.
        if (k != kind::bare && !outcome.ec) require(outcome.envelope.status_code == 200);
        if (!outcome.ec) require(outcome.diag.http_status >= 200 && outcome.diag.http_status < 300);
        require(outcome.diag.body_excerpt.size() <= detail::body_excerpt_bytes + 3);
        if (k == kind::bare) {
            check_texts<genauth::verify_mfa_token_response>(std::move(outcome), secrets);
            continue;
        }
        if (k == kind::v2) {
            check_texts<genauth::mfa_challenge_response>(std::move(outcome), secrets);
            continue;
        }
        auto copy = outcome;
        check_texts<genauth::list_enrolled_factors_response>(std::move(outcome), secrets);
        check_texts<genauth::enroll_factor_response>(std::move(copy), secrets);
    }
    return 0;
}
