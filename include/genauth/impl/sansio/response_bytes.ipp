#ifndef GENAUTH_IMPL_SANSIO_RESPONSE_BYTES_IPP
#define GENAUTH_IMPL_SANSIO_RESPONSE_BYTES_IPP

#include <genauth/impl/policy/policy.hpp>
#include <genauth/impl/sansio/response_bytes.hpp>
#include <genauth/impl/sansio/response_reader.hpp>
#include <genauth/impl/sansio/retry_after.hpp>

#include <algorithm>

namespace genauth::detail {

GENAUTH_DECL call_outcome interpret_response_bytes(std::string_view bytes, std::size_t body_limit, envelope_kind kind,
                                                   std::size_t piece, const call_secrets& secrets,
                                                   std::size_t* max_held, std::chrono::system_clock::time_point now) {
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
    out =
        interpret_response(response.status, response.content_type, response.location, response.body, kind, {}, secrets);
    read_retry_after(out, response.retry_after, now);
    return out;
}

}  // namespace genauth::detail

#endif
