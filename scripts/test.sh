#!/usr/bin/env bash
# The whole test suite: installs what is missing, then
#  1. builds and runs every test under g++ and clang++ (warnings are errors), the demo included;
#  2. runs the unit, end-to-end and concurrency tests under ASan+UBSan, and the concurrency tests
#     under TSan (clang);
#  3. builds the API reference (Doxygen, warnings are errors), compiles every C++ block of the
#     README and docs/ as written, checks formatting (clang-format)
#     and runs clang-tidy (.clang-tidy) over the library;
#  4. builds the libFuzzer targets and gives each a short run on its seed corpus;
#  5. consumes the headers through find_package (after cmake --install), add_subdirectory,
#     pkg-config and FetchContent,
#     compiles each public header on its own, checks that a separate-compilation consumer reads
#     no Beast header, and compiles the headers as C++23 with both compilers;
#  6. builds the consumer, the demo and the async-server example against Boost 1.90 headers
#     (scripts/compat-boost.sh; skipped, saying so, when those headers are not at hand).
# GENAUTH_FUZZ_SECONDS sets the length of each fuzz run (default 15).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
GENAUTH_WITH_CLANG=1 "$root/scripts/install-deps.sh"
jobs=$(nproc)
start=$(date +%s)

build_and_test() {  # name, C++ compiler, [extra cmake arguments...]
  local name=$1 compiler=$2
  shift 2
  local dir="$root/build/$name"
  echo "== $name: configure and build ($compiler $*)"
  local t0=$(date +%s)
  cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER="$compiler" "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  echo "== $name: built in $(( $(date +%s) - t0 )) s; running tests"
  ctest --test-dir "$dir" --output-on-failure --no-tests=error -j "$jobs"
}

build_and_test gcc g++ -DGENAUTH_BUILD_BENCHMARKS=ON  # the benchmark is compiled (not run) so it cannot rot
build_and_test clang clang++ -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
build_and_test asan clang++ -DGENAUTH_SANITIZE=address,undefined -DGENAUTH_BUILD_EXAMPLES=OFF

echo "== tsan: concurrency tests under ThreadSanitizer"
cmake -S "$root" -B "$root/build/tsan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
  -DGENAUTH_SANITIZE=thread -DGENAUTH_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$root/build/tsan" -j "$jobs" --target concurrency_tests
TSAN_OPTIONS="halt_on_error=1" ctest --test-dir "$root/build/tsan" --output-on-failure --no-tests=error -R concurrency

echo "== docs: the API reference with Doxygen (warnings are errors)"
cmake --build "$root/build/clang" --target docs

echo "== every C++ block of README.md and docs/ compiles as written"
python3 "$root/scripts/check-doc-examples.py" "$root"

echo "== clang-format"
(cd "$root" && git ls-files '*.hpp' '*.ipp' '*.cpp' | xargs clang-format --dry-run -Werror)
echo "== clang-tidy (.clang-tidy) over the library and the testing servers"
(cd "$root" && clang-tidy --quiet -p build/clang tests/support/compiled_client.cpp tests/support/compiled_testing.cpp)

echo "== fuzzers: build and a short run of each on its seed corpus"
cmake -S "$root" -B "$root/build/fuzz" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DGENAUTH_BUILD_TESTS=OFF \
  -DGENAUTH_BUILD_EXAMPLES=OFF -DGENAUTH_BUILD_FUZZERS=ON >/dev/null
cmake --build "$root/build/fuzz" -j "$jobs"
for target in response request otpauth dto; do
  work="$root/build/fuzz/corpus-$target"
  log="$root/build/fuzz/fuzz_$target.log"
  mkdir -p "$work"
  dict=()
  [ -f "$root/tests/fuzz/$target.dict" ] && dict=(-dict="$root/tests/fuzz/$target.dict")
  # Run from build/fuzz, so that a crash reproducer (crash-*) lands there, not in the tree.
  if ! (cd "$root/build/fuzz" && "./tests/fuzz/fuzz_$target" -max_total_time="${GENAUTH_FUZZ_SECONDS:-15}" \
        "${dict[@]}" -print_final_stats=1 "$work" "$root/tests/fuzz/corpus/$target" >"$log" 2>&1); then
    tail -n 40 "$log"
    echo "fuzz_$target FAILED: reproducer in $root/build/fuzz (crash-*)"
    exit 1
  fi
  grep -E "^Done|exec_per_sec" "$log" | sed "s/^/fuzz_$target: /"
done

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

echo "== consumption: pkg-config after cmake --install, and FetchContent of this checkout's HEAD"
pc_flags=$(PKG_CONFIG_PATH="$prefix/share/pkgconfig" pkg-config --cflags --libs genauth)
echo "pkg-config --cflags --libs genauth: $pc_flags"
mkdir -p "$root/build/consume-pkgconfig"
# shellcheck disable=SC2086 # the flags are words
g++ "$root/tests/consume/consumer.cpp" -o "$root/build/consume-pkgconfig/consumer" $pc_flags &
pkgconfig_build=$!
rm -rf "$root/build/consume-fetch"
cmake -S "$root/tests/consume-fetch" -B "$root/build/consume-fetch" -G Ninja -DGENAUTH_GIT_REPOSITORY="$root" \
  -DGENAUTH_GIT_TAG="$(git -C "$root" rev-parse HEAD)" >/dev/null
cmake --build "$root/build/consume-fetch" >/dev/null
wait "$pkgconfig_build"
"$root/build/consume-pkgconfig/consumer"
"$root/build/consume-fetch/consumer"

echo "== every public header compiles on its own, header-only and with GENAUTH_SEPARATE_COMPILATION"
# A missing include in one header must not reach a user who includes it first.
(cd "$root/include" && find genauth -name '*.hpp' -not -path 'genauth/impl/*' | sort) |
  xargs -P "$jobs" -I{} sh -c '
    for mode in "" -DGENAUTH_SEPARATE_COMPILATION; do
      case "{}" in */src.hpp) [ -z "$mode" ] && continue ;; esac  # src.hpp is for separate compilation only
      printf "#include <%s>\n" "{}" | g++ -std=c++20 -x c++ -fsyntax-only $mode -I"$0" - ||
        { echo "{} does not compile on its own ($mode)"; exit 1; }
    done' "$root/include"

echo "== a separate-compilation consumer of <genauth/genauth.hpp> reads no Beast header"
# Compiled first, then counted: a compile error stops the suite rather than reading as "none".
included=$(printf '#include <genauth/genauth.hpp>\n' |
  g++ -std=c++20 -x c++ -fsyntax-only -H -DGENAUTH_SEPARATE_COMPILATION -I"$root/include" - 2>&1)
beast_headers=$(grep -c 'boost/beast/' <<<"$included" || true)
[ "$beast_headers" -eq 0 ] || { echo "genauth.hpp pulls in $beast_headers Beast headers in separate compilation"; exit 1; }

echo "== C++23: the headers (header-only) and the compiled bodies (separate compilation), both compilers"
for cxx in "g++ -std=c++23" "clang++ -std=c++2b"; do
  $cxx -fsyntax-only -I"$root/include" "$root/tests/consume/consumer.cpp"
  printf '#include <genauth/src.hpp>\n#include <genauth/testing/src.hpp>\n' |
    $cxx -x c++ -fsyntax-only -DGENAUTH_SEPARATE_COMPILATION -I"$root/include" -
done

"$root/scripts/compat-boost.sh"

echo "== all tests passed in $(( $(date +%s) - start )) s"
