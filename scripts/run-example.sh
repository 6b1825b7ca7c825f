#!/usr/bin/env bash
# The main job: builds the example and binds an MFA factor. With no arguments it runs against a
# local HTTPS server it starts itself; pass --app-host/--app-id/--access-token/... (or set
# GENAUTH_*) to run against a real tenant. Arguments go to the example unchanged.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
build="$root/build/example"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGENAUTH_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target enroll_factor_example >/dev/null
exec "$build/examples/enroll_factor_example" "$@"
