#ifndef GENAUTH_TESTS_SUPPORT_HTTP_BYTES_HPP
#define GENAUTH_TESTS_SUPPORT_HTTP_BYTES_HPP

#include <string>

namespace test_support {

// A response's bytes: `head` (status line and fields, each ending in CR LF), Content-Length
// for `body`, the blank line, `body`. The one builder the tests share.
inline std::string with_content_length(const std::string& head, const std::string& body) {
    return head + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace test_support

#endif
