# Runs COMMAND (a ;-separated list) and fails unless its exit status is EXPECT_EXIT ("0" or
# "nonzero") and its output (stdout and stderr) matches EXPECT_REGEX. CTest's
# PASS_REGULAR_EXPRESSION alone ignores the exit status; WILL_FAIL alone ignores the output.
execute_process(COMMAND ${COMMAND} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message("${out}${err}")
if(EXPECT_EXIT STREQUAL "0" AND NOT rc STREQUAL "0")
  message(FATAL_ERROR "exit status ${rc}, expected 0")
elseif(EXPECT_EXIT STREQUAL "nonzero" AND rc STREQUAL "0")
  message(FATAL_ERROR "exit status 0, expected a failure")
endif()
if(NOT "${out}${err}" MATCHES "${EXPECT_REGEX}")
  message(FATAL_ERROR "the output does not match '${EXPECT_REGEX}'")
endif()
