#!/usr/bin/env bash
# The whole test suite: installs what is missing, then builds and runs every test under g++ and
# clang++ (warnings are errors), runs the demo (a CTest entry), and checks the three ways of consuming the
# headers (find_package after install, add_subdirectory, plain include path).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
GENAUTH_WITH_CLANG=1 "$root/scripts/install-deps.sh"
jobs=$(nproc)
start=$(date +%s)

build_and_test() {  # name, C++ compiler
  local dir="$root/build/$1"
  echo "== $1: configure and build ($2)"
  local t0=$(date +%s)
  cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER="$2" >/dev/null
  cmake --build "$dir" -j "$jobs"
  echo "== $1: built in $(( $(date +%s) - t0 )) s; running tests"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs"
}

build_and_test gcc g++
build_and_test clang clang++

echo "== consumption: find_package after cmake --install, and add_subdirectory"
prefix="$root/build/install"
rm -rf "$prefix"
cmake --install "$root/build/gcc" --prefix "$prefix" >/dev/null
cmake -S "$root/tests/consume" -B "$root/build/consume-installed" -G Ninja -DGENAUTH_CONSUME=find_package \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$root/build/consume-installed" -j "$jobs" >/dev/null
"$root/build/consume-installed/consumer"
cmake -S "$root/tests/consume" -B "$root/build/consume-subdir" -G Ninja -DGENAUTH_CONSUME=add_subdirectory >/dev/null
cmake --build "$root/build/consume-subdir" -j "$jobs" >/dev/null
"$root/build/consume-subdir/consumer"

echo "== all tests passed in $(( $(date +%s) - start )) s"
