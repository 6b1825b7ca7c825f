#ifndef GENAUTH_IMPL_ERROR_WITH_DIAGNOSTICS_IPP
#define GENAUTH_IMPL_ERROR_WITH_DIAGNOSTICS_IPP

#include <genauth/error_with_diagnostics.hpp>
#include <genauth/impl/sansio/sanitize.hpp>

#include <string>

namespace genauth {
namespace detail {

inline std::string describe_failure(const response_envelope& e, const diagnostics& d) {
    std::string out;
    auto add = [&out](std::string_view part) {
        out += out.empty() ? "" : ", ";
        out += part;
    };
    if (d.http_status != 0) add("HTTP " + std::to_string(d.http_status));
    if (e.status_code != 0) add("statusCode " + std::to_string(e.status_code));
    if (e.api_code) add("apiCode " + std::to_string(*e.api_code));
    if (e.request_id) add("requestId " + sanitize_excerpt(*e.request_id, 80));
    // Server text is labelled as such (untrusted) and sanitised.
    if (!e.message.empty()) add("server message \"" + sanitize_excerpt(e.message, 200) + "\"");
    if (!d.body_excerpt.empty()) add("server body \"" + d.body_excerpt + "\"");
    if (!d.detail.empty()) add(d.detail);
    return out;
}

}  // namespace detail

GENAUTH_DECL error_with_diagnostics::error_with_diagnostics(error_code ec, response_envelope envelope, diagnostics diag)
    : boost::system::system_error(ec), envelope_(std::move(envelope)), diag_(std::move(diag)) {
    // "<error message> (<what the server said>) [category:value]"; never the token.
    what_ = ec.message();
    if (auto described = detail::describe_failure(envelope_, diag_); !described.empty())
        what_ += " (" + described + ")";
    what_ += " [" + std::string(ec.category().name()) + ":" + std::to_string(ec.value()) + "]";
}

}  // namespace genauth

#endif
