#!/usr/bin/env python3
"""Compiles every C++ block of README.md and docs/*.md as written, as Rust checks its doc examples.

A block with `int main(` is a whole program and is compiled alone, exactly as printed. Any other
block is a fragment: it is compiled inside a coroutine of its own (so `co_await` works) after a
prelude that declares the names the fragments use (`io`, `opts`, `client`, `app`, ...), its
`#include` lines hoisted to the top. All fragments share one translation unit. g++ -fsyntax-only:
the point is that a reader's copy compiles, not to run it.
Usage: check-doc-examples.py <repository root>
"""
import pathlib
import re
import subprocess
import sys
import tempfile

PRELUDE = r"""
#include <genauth/genauth.hpp>
#include <genauth/testing/fake_genauth_server.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <string>
namespace asio = boost::asio;
using namespace std::chrono_literals;
// What the fragments assume the reader has at hand.
struct example_logger { template <class... A> void info(A&&...) {} } my_logger;
asio::io_context io;
genauth::client_options opts;
genauth::authentication_client client(io, opts);
genauth::authentication_client app(io, opts);
genauth::testing::fake_genauth_server fake;
genauth::send_enroll_factor_request_response res;  // the TOTP example reads its otp_data
std::string token_from_browser, user_input, code_the_user_typed, mfa_token, user_ip;
void keep_in_session(const std::string&) {}
template <class... A> void check(A&&...) {}
"""


def blocks(path):
    """Yields (line, text) of each ```cpp block, its indentation removed."""
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        m = re.match(r"^(\s*)```cpp\s*$", lines[i])
        if not m:
            i += 1
            continue
        indent, start, body = len(m.group(1)), i + 1, []
        i += 1
        while i < len(lines) and not re.match(r"^\s*```\s*$", lines[i]):
            body.append(lines[i][indent:] if lines[i][:indent].strip() == "" else lines[i])
            i += 1
        yield start, "\n".join(body) + "\n"
        i += 1


def compile_source(root, source, what):
    with tempfile.NamedTemporaryFile("w", suffix=".cpp", delete=False) as f:
        f.write(source)
    result = subprocess.run(["g++", "-std=c++20", "-fsyntax-only", "-I", str(root / "include"), f.name],
                            capture_output=True, text=True)
    if result.returncode != 0:
        print(f"{what} does not compile as written:\n{result.stderr[-4000:]}")
        return False
    return True


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    files = [root / "README.md"] + sorted((root / "docs").glob("*.md"))
    includes, fragments, ok, count = [], [], True, 0
    for path in files:
        for line, text in blocks(path):
            count += 1
            where = f"{path.relative_to(root)}:{line}"
            if "int main(" in text:
                ok = compile_source(root, f'#line {line + 1} "{path.relative_to(root)}"\n' + text, where) and ok
                continue
            body = []
            for l in text.splitlines():
                if l.startswith("#include"):
                    includes.append(l)
                    l = ""  # the line stays, so that #line numbers hold
                body.append(l)
            fragments.append(f'asio::awaitable<void> example_{len(fragments)}() {{\n{{\n#line {line + 1} "{path.relative_to(root)}"\n'
                             + "\n".join(body) + "\n}\nco_return;\n}\n")
    source = "\n".join(includes) + PRELUDE + "\n".join(fragments)
    ok = compile_source(root, source, f"the {len(fragments)} fragments") and ok
    print(f"{count} C++ blocks of README.md and docs/: {'all compile' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
