#ifndef GENAUTH_RESPONSE_ENVELOPE_HPP
#define GENAUTH_RESPONSE_ENVELOPE_HPP

#include <optional>
#include <string>

namespace genauth {

/// What the server answered, shared by every response type.
///
/// The first four members are the GenAuth V3 envelope (`statusCode`, `message`, `apiCode`,
/// `requestId`). The last three describe how the answer travelled; they are filled on failures
/// too, so a caller always learns as much as the library saw. None of them ever holds the access
/// token. Server-supplied text (`message`, `request_id`) is untrusted and kept as received (valid
/// UTF-8, as JSON guarantees): escape it before logging. `genauth::api_error::what()` and
/// `body_excerpt` are already sanitised (control and non-ASCII bytes replaced).
struct response_envelope {
    int status_code = 0;                    ///< body `statusCode`; 200 is success; 0 when no envelope was read
    std::string message;                    ///< body `message`
    std::optional<int> api_code;            ///< body `apiCode` (a number or numeric string on the wire)
    std::optional<std::string> request_id;  ///< body `requestId`

    unsigned http_status = 0;  ///< HTTP status of the response; 0 when no response was read
    std::string body_excerpt;  ///< when the body was not an envelope: its first bytes, sanitised
    std::string detail;  ///< the library's own explanation (e.g. which field had the wrong type); never server text

    bool operator==(const response_envelope&) const = default;
};

}  // namespace genauth

#endif
