#!/usr/bin/env bash
# The main job: builds the demo and runs the whole MFA factor lifecycle (SMS, EMAIL and OTP:
# start enrollment, read or compute the code, enroll, list, verify the OTP, reset). With no
# arguments it runs against a local GenAuth-compatible HTTPS server it starts itself; pass
# --app-host/--app-id/--access-token (or set GENAUTH_*) to run against a real tenant.
# Arguments go to the demo unchanged.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
build="$root/build/example"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGENAUTH_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target mfa_demo >"$build/build.log" 2>&1 || { cat "$build/build.log"; exit 1; }
exec "$build/examples/mfa_demo" "$@"
