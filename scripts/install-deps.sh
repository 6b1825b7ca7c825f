#!/usr/bin/env bash
# Installs what building genauth-cpp needs and is missing: Boost 1.81 dev packages (headers,
# JSON, Test), OpenSSL, a C++20 compiler, CMake and Ninja (Debian bookworm package names).
# Does nothing when everything is present; needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(libboost1.81-dev libboost-json1.81-dev libboost-test1.81-dev libssl-dev g++ cmake ninja-build)
# The test suite also needs clang with its sanitizer and libFuzzer runtimes, clang-tidy,
# clang-format, Doxygen (the API reference), tinyproxy (the proxy tests), pkg-config and git (the
# pkg-config and FetchContent consumers) and python3 (the README's examples are compiled).
[ "${GENAUTH_WITH_CLANG:-0}" = 1 ] &&
  packages+=(clang libclang-rt-14-dev clang-tidy clang-format doxygen tinyproxy pkg-config git python3)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
