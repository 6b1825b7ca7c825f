# Settings for this project's own targets (tests, examples, fuzzers, benchmarks), never imposed on
# consumers of genauth::genauth: warnings are errors, and optional sanitizers.
set(GENAUTH_SANITIZE "" CACHE STRING "Sanitizers for our own targets: e.g. address,undefined or thread")

function(genauth_own_target target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
  # Asio's deprecated names are gone from Boost 1.87: never use them, whatever Boost builds us.
  target_compile_definitions(${target} PRIVATE BOOST_ASIO_NO_DEPRECATED)
  if(GENAUTH_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${GENAUTH_SANITIZE} -fno-omit-frame-pointer
                                             -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${GENAUTH_SANITIZE})
    if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND GENAUTH_SANITIZE MATCHES "undefined")
      # clang 14's function-type check emits prologue data that its coroutine splitting breaks
      # ("Cannot represent a difference across sections"); the other UBSan checks stay on.
      target_compile_options(${target} PRIVATE -fno-sanitize=function)
    endif()
  endif()
endfunction()
