#ifndef GENAUTH_RESPONSE_ENVELOPE_HPP
#define GENAUTH_RESPONSE_ENVELOPE_HPP

#include <chrono>
#include <optional>
#include <string>

namespace genauth {

/// What the server said: the GenAuth V3 envelope (`statusCode`, `message`, `apiCode`,
/// `requestId`) every answer carries. Server-supplied text (`message`, `request_id`) is untrusted
/// and kept as received (valid UTF-8, as JSON guarantees): escape it before logging.
struct response_envelope {
    int status_code = 0;                    ///< body `statusCode`; 200 is success; 0 when no envelope was read
    std::string message;                    ///< body `message`
    std::optional<int> api_code;            ///< body `apiCode` (a number or numeric string on the wire)
    std::optional<std::string> request_id;  ///< body `requestId`

    bool operator==(const response_envelope&) const = default;
};

/// What the library adds about an answer: how it travelled and, on failure, what was wrong with
/// it. Filled on failures too, so a caller always learns as much as the library saw; never holds
/// the access token or proxy credentials. `body_excerpt` is already sanitised (control and
/// non-ASCII bytes replaced); `detail` is the library's own text, never server text.
struct diagnostics {
    unsigned http_status = 0;  ///< HTTP status of the response; 0 when no response was read
    std::string body_excerpt;  ///< when the body was not an envelope: its first bytes, sanitised
    std::string detail;        ///< the library's explanation (e.g. which field had the wrong type)
    /// The server's Retry-After on an answer with status 429 or 503 (HTTP status or envelope
    /// status), as a wait from when it arrived: "try again in 40 s". A date in the past reads as
    /// 0 s; more than a day as a day. Unset: no such answer, or no valid Retry-After on it.
    std::optional<std::chrono::seconds> retry_after;

    bool operator==(const diagnostics&) const = default;
};

/// The base of every response type: the server's envelope, the library's diagnostics apart
/// (`diag`), and the endpoint's data in the derived type.
struct response_base : response_envelope {
    diagnostics diag;  ///< the library's view of this answer (HTTP status, excerpt, detail)

    bool operator==(const response_base&) const = default;
};

}  // namespace genauth

#endif
