#!/usr/bin/env bash
# The benchmark, in one command: installs what is missing (nginx too), builds benchmarks/bench
# with optimisation, starts nginx as the TLS server in its own process pinned to the last core,
# runs the benchmark pinned to the first, and stops nginx.
# BENCH_SECONDS (default 3) and BENCH_RUNS (default 5) size each measurement; BENCH_ONLY picks one
# part (micro; pool: how long the pool's lock is held per acquire; compare, threads, many_users,
# pending; or pair: the library and the floor alone, many rounds cheaply, at BENCH_IN_FLIGHT operations in flight, default 1; or call_work: the
# floor, the floor doing each call's own work too, and the library, likewise). BENCH_PROFILE=
# library|floor instead records one 64-in-flight run with `perf record -g` (frame pointers kept)
# and prints `perf report`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
command -v nginx >/dev/null || { sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo;
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx-light >/dev/null; }
nginx=$(command -v nginx || echo /usr/sbin/nginx)

build="$root/build/bench"
flags=""
if [ -n "${BENCH_PROFILE:-}" ]; then build="$root/build/bench-fp"; flags="-fno-omit-frame-pointer"; fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGENAUTH_BUILD_TESTS=OFF \
  -DGENAUTH_BUILD_EXAMPLES=OFF -DGENAUTH_BUILD_BENCHMARKS=ON -DCMAKE_CXX_FLAGS="$flags" >/dev/null
cmake --build "$build" --target bench >"$build/build.log" 2>&1 || { cat "$build/build.log"; exit 1; }

work=$(mktemp -d)
chmod 755 "$work"
trap '[ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT
"$build/benchmarks/bench" --write-pki "$work"
chmod 644 "$work"/*.pem
port=$(( 20000 + RANDOM % 20000 ))
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 20000; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  client_body_buffer_size 16k;
  server {
    listen 127.0.0.1:$port ssl;
    ssl_certificate $work/cert.pem;
    ssl_certificate_key $work/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {
      default_type application/json;
      return 200 '{"statusCode":200,"message":"Operation successful","requestId":"934108e5-9fbf-4d24-8da1-c330328abd6c"}';
    }
  }
}
CONF
cores=$(nproc)
server_core=$(( cores - 1 ))
pin_server=() pin_client=()
if [ "$cores" -ge 2 ] && command -v taskset >/dev/null; then
  pin_server=(taskset -c "$server_core")
  pin_client=(taskset -c 0)
fi
"${pin_server[@]}" "$nginx" -c "$work/nginx.conf" -e "$work/error.log" -p "$work"
for _ in $(seq 50); do [ -f "$work/nginx.pid" ] && break; sleep 0.1; done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); nginx $("$nginx" -v 2>&1 | cut -d/ -f2) on core $server_core, client on core 0"
if [ -n "${BENCH_PROFILE:-}" ]; then
  "${pin_client[@]}" perf record -q -g --call-graph fp -o "$build/perf.data" "$build/benchmarks/bench" \
    --port "$port" --ca "$work/ca.pem" --seconds "${BENCH_SECONDS:-3}" --profile "$BENCH_PROFILE"
  perf report -i "$build/perf.data" --no-children --percent-limit 1.5 --stdio 2>/dev/null | grep -v "^$" | head -80
  exit 0
fi
"${pin_client[@]}" "$build/benchmarks/bench" --port "$port" --ca "$work/ca.pem" \
  --seconds "${BENCH_SECONDS:-3}" --runs "${BENCH_RUNS:-5}" ${BENCH_IN_FLIGHT:+--in-flight "$BENCH_IN_FLIGHT"}
