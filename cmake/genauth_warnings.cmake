# Warnings are errors in our own targets (never imposed on consumers of genauth::genauth).
function(genauth_strict_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
endfunction()
