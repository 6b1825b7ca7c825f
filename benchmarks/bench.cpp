// genauth-cpp benchmark: the library's async_enroll_factor against a minimal hand-written Beast
// coroutine client (the floor), on the same TLS server (nginx, in its own process), plus
// micro-benchmarks of request building and response parsing, and 10,000 pending operations.
//
//   bench --write-pki DIR                 writes DIR/ca.pem, DIR/cert.pem, DIR/key.pem for the server
//   bench --port P --ca DIR/ca.pem [--seconds S] [--runs N] [--in-flight N]
//                                         BENCH_ONLY=micro|pool|compare|pair|threads|many_users|pending picks one
//                                         part; pair (library and floor alone) runs at --in-flight, 1
//                                         unless given
//                                         BENCH_ONLY=call_work: the floor, the floor doing each call's
//                                         own work, and the library, at --in-flight (1 unless given)
//   bench --port P --ca DIR/ca.pem --profile library|library-unsafe|floor|floor-call-work [--in-flight N]
//                                         one run (64 in flight unless told) in this process, for perf
//
// scripts/bench.sh builds this, starts nginx pinned to one core and runs this pinned to another.
#include <genauth/genauth.hpp>
#include <genauth/impl/io/connection.hpp>
#include <genauth/impl/io/connection_pool.hpp>
#include <genauth/testing/local_https_server.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/serializer.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <iostream>
#include <malloc.h>
#include <new>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

// --- allocation counting -------------------------------------------------------------------------
// Every heap allocation of the process, at glibc's entry points: operator new (libstdc++'s calls
// malloc), Asio's aligned allocations (coroutine frames and cancellation handlers that miss its
// recycling cache go to aligned_alloc, not operator new) and OpenSSL's (CRYPTO_malloc). Counting
// operator new alone would miss the first two, which the library makes and the floor does not.
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void __libc_free(void*);
}

namespace {
std::atomic<std::uint64_t> g_allocations{0};
std::atomic<std::int64_t> g_live_bytes{0};
// Only the pending-operations measurement needs live bytes; malloc_usable_size reads each block's
// header, which would cost the measured runs some 500 instructions and 20 cache misses a request.
std::atomic<bool> g_track_live_bytes{false};

std::int64_t usable_bytes(void* p) { return static_cast<std::int64_t>(malloc_usable_size(p)); }

void* counted(void* p) {
    if (p != nullptr) {
        g_allocations.fetch_add(1, std::memory_order_relaxed);
        if (g_track_live_bytes.load(std::memory_order_relaxed))
            g_live_bytes.fetch_add(usable_bytes(p), std::memory_order_relaxed);
    }
    return p;
}
}  // namespace

extern "C" {
void* malloc(std::size_t n) noexcept { return counted(__libc_malloc(n)); }
void* calloc(std::size_t n, std::size_t size) noexcept { return counted(__libc_calloc(n, size)); }
void* aligned_alloc(std::size_t alignment, std::size_t n) noexcept { return counted(__libc_memalign(alignment, n)); }
void* memalign(std::size_t alignment, std::size_t n) noexcept { return counted(__libc_memalign(alignment, n)); }
int posix_memalign(void** out, std::size_t alignment, std::size_t n) noexcept {
    void* p = __libc_memalign(alignment, n);
    if (p == nullptr) return ENOMEM;
    *out = counted(p);
    return 0;
}
void* realloc(void* p, std::size_t n) noexcept {
    const bool track = g_track_live_bytes.load(std::memory_order_relaxed);
    const std::int64_t before = track && p != nullptr ? usable_bytes(p) : 0;
    if (p != nullptr && n == 0) g_live_bytes.fetch_sub(before, std::memory_order_relaxed);  // glibc frees p
    void* q = __libc_realloc(p, n);
    if (q == nullptr) return nullptr;  // failed: p is untouched
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (track) g_live_bytes.fetch_add(usable_bytes(q) - before, std::memory_order_relaxed);
    return q;
}
void free(void* p) noexcept {
    if (p == nullptr) return;
    if (g_track_live_bytes.load(std::memory_order_relaxed))
        g_live_bytes.fetch_sub(usable_bytes(p), std::memory_order_relaxed);
    __libc_free(p);
}
}

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using clock_type = std::chrono::steady_clock;

struct options {
    unsigned short port = 0;
    std::string ca_file;
    double seconds = 3.0;
    int runs = 5;
    std::optional<int> in_flight;  // unless given: 64 for --profile, 1 for BENCH_ONLY=pair
};

struct run_result {
    double requests_per_second = 0;
    double cpu_seconds_per_1000 = 0;
    double allocations_per_request = 0;
    long peak_rss_kb = 0;
    std::uint64_t failures = 0;
};

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

genauth::client_options library_options(const options& o) {
    genauth::client_options opts;
    opts.app_host = "https://localhost:" + std::to_string(o.port);
    opts.app_id = "bench-app";
    opts.access_token = "bench-access-token-0123456789";
    opts.tls.extra_ca_file = o.ca_file;
    opts.max_connections = 64;
    return opts;
}

genauth::enroll_factor_request sample_request() {
    genauth::enroll_factor_request r;
    r.enrollment_token =
        "TQoCISidM0kBji0dxRi3afSDtkvvMiUphenIgLF87y+JOw4T8fDWOsHHXIcvZ2EVESXhTrfGyh1iGf52Cg9e9byeFQvm1VZ0QW";
    r.factor_type = genauth::factor_type::sms;
    r.enrollment_data.pass_code = "123456";
    return r;
}

// Runs `loop(in_flight, deadline, count, failures)` coroutines and measures them.
// `io` outlives the scenario's client and connections (its I/O objects must die first).
template <class MakeLoop>
run_result measure(asio::io_context& io, const options& o, int in_flight, MakeLoop make_loop) {
    std::uint64_t count = 0, failures = 0;
    // Warm-up: connections and TLS handshakes are not what we measure.
    {
        const auto warm_until = clock_type::now() + std::chrono::milliseconds(300);
        for (int i = 0; i < in_flight; ++i)
            asio::co_spawn(io, make_loop(io, warm_until, count, failures), asio::detached);
        io.run();
        io.restart();
    }
    count = failures = 0;
    const auto allocations_before = g_allocations.load();
    const double cpu_before = cpu_seconds();
    const auto start = clock_type::now();
    const auto until =
        start + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(o.seconds));
    for (int i = 0; i < in_flight; ++i) asio::co_spawn(io, make_loop(io, until, count, failures), asio::detached);
    io.run();
    const double elapsed = std::chrono::duration<double>(clock_type::now() - start).count();
    run_result r;
    r.requests_per_second = static_cast<double>(count) / elapsed;
    r.cpu_seconds_per_1000 = (cpu_seconds() - cpu_before) / static_cast<double>(count) * 1000.0;
    r.allocations_per_request =
        static_cast<double>(g_allocations.load() - allocations_before) / static_cast<double>(count);
    r.failures = failures;
    return r;
}

// --- the library -----------------------------------------------------------------------------
struct library_scenario {
    explicit library_scenario(const options& opts, bool thread_safe = true, bool observed = false)
        : o(opts), thread_safe(thread_safe), observed(observed) {}
    const options& o;
    bool thread_safe;
    bool observed;  // with an observer that counts the records (what a metrics bridge costs at least)
    std::uint64_t records = 0;
    std::shared_ptr<genauth::authentication_client> client;
    genauth::enroll_factor_request request = sample_request();

    auto operator()(asio::io_context& io, clock_type::time_point until, std::uint64_t& count, std::uint64_t& failures)
        -> asio::awaitable<void> {
        if (!client) {
            auto opts = library_options(o);
            opts.thread_safe = thread_safe;
            if (observed)
                opts.observer = [this](const genauth::operation_record& r) { records += r.total.count() > 0; };
            client = std::make_shared<genauth::authentication_client>(io, opts);
        }
        auto c = client;
        while (clock_type::now() < until) {
            auto [ec, r] = co_await c->async_enroll_factor(request, asio::as_tuple(asio::use_awaitable));
            ++count;
            if (ec || r.status_code != 200) {
                if (failures++ == 0)
                    std::cerr << "library: first failure: " << genauth::error_with_diagnostics(ec, r, r.diag).what()
                              << "\n";
            }
        }
    }
};

// --- the floor: a minimal Beast coroutine client doing the same exchange -------------------------
// It serializes the body once and reads only statusCode. With `call_work`, it also does per
// request what any client must where each call carries its own data: serializes the body from
// the request DTO and reads message and requestId out of the answer, as leanly as the library
// (the JSON value in a stack buffer, the body string's capacity kept). Its ratio to the floor is
// the price of that work alone; the library's ratio to it, that of the library's own machinery.
struct floor_scenario {
    explicit floor_scenario(const options& opts, bool call_work = false) : o(opts), call_work(call_work) {}
    const options& o;
    bool call_work;
    genauth::enroll_factor_request request = sample_request();
    std::string message, request_id;  // call_work: what the answer said
    std::shared_ptr<asio::ssl::context> tls;
    std::string body;

    auto operator()(asio::io_context& io, clock_type::time_point until, std::uint64_t& count, std::uint64_t& failures)
        -> asio::awaitable<void> {
        if (!tls) {
            tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
            tls->load_verify_file(o.ca_file);
            tls->set_verify_mode(asio::ssl::verify_peer);
            body = boost::json::serialize(boost::json::value_from(request));
        }
        auto ctx = tls;
        auto tuple = asio::as_tuple(asio::use_awaitable);
        beast::ssl_stream<beast::tcp_stream> stream(io, *ctx);
        asio::ip::tcp::resolver resolver(io);
        auto [rec, results] = co_await resolver.async_resolve("localhost", std::to_string(o.port), tuple);
        auto [cec, ep] = co_await beast::get_lowest_layer(stream).async_connect(results, tuple);
        SSL_set_tlsext_host_name(stream.native_handle(), "localhost");
        SSL_set1_host(stream.native_handle(), "localhost");
        auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::client, tuple);
        if (rec || cec || hec) {
            ++failures;
            co_return;
        }
        beast::get_lowest_layer(stream).socket().set_option(asio::ip::tcp::no_delay(true));
        http::request<http::string_body> req{http::verb::post, "/api/v3/enroll-factor", 11};
        req.set(http::field::host, "localhost:" + std::to_string(o.port));
        req.set(http::field::user_agent, "floor/1");
        req.set(http::field::accept, "application/json");
        req.set(http::field::authorization, "Bearer bench-access-token-0123456789");
        req.set("x-authing-app-id", "bench-app");
        req.set("x-authing-sdk-version", "floor:1");
        req.set("x-authing-request-from", "sdk");
        req.set(http::field::content_type, "application/json");
        req.body() = body;
        req.prepare_payload();
        beast::flat_buffer buffer;
        while (clock_type::now() < until) {
            if (call_work) {
                unsigned char scratch[1024];
                boost::json::monotonic_resource memory(scratch, sizeof scratch);
                const auto jv = boost::json::value_from(request, boost::json::storage_ptr(&memory));
                boost::json::serializer sr;
                sr.reset(&jv);
                char chunk[512];
                req.body().clear();
                while (!sr.done()) req.body().append(sr.read(chunk, sizeof chunk));
                req.prepare_payload();
            }
            auto [wec, w] = co_await http::async_write(stream, req, tuple);
            http::response<http::string_body> res;
            auto [rdec, n] = co_await http::async_read(stream, buffer, res, tuple);
            ++count;
            if (wec || rdec) {
                ++failures;
                co_return;
            }
            boost::system::error_code jec;
            auto jv = boost::json::parse(res.body(), jec);
            if (jec || !jv.is_object() || jv.as_object()["statusCode"] != 200) ++failures;
            if (call_work && !jec && jv.is_object()) {
                const auto& obj = jv.as_object();
                const auto* m = obj.if_contains("message");
                const auto* id = obj.if_contains("requestId");
                if (m == nullptr || !m->is_string() || id == nullptr || !id->is_string()) {
                    ++failures;  // the server's answer always has both: the work must not be skipped
                } else {
                    message.assign(m->as_string());
                    request_id.assign(id->as_string());
                }
            }
        }
    }
};

// The floor doing each call's own work too (see floor_scenario).
struct floor_with_call_work_scenario : floor_scenario {
    explicit floor_with_call_work_scenario(const options& opts) : floor_scenario(opts, true) {}
};

// The library with an observer that counts its records.
struct library_observed_scenario : library_scenario {
    explicit library_observed_scenario(const options& opts) : library_scenario(opts, true, true) {}
};

// The library with thread_safe = false (no per-operation lock; the io_context has one thread).
struct library_single_thread_scenario : library_scenario {
    explicit library_single_thread_scenario(const options& opts) : library_scenario(opts, false) {}
};

// Runs `body` (returning a trivially copyable result) in a child process, so that each measurement
// has its own heap, connections and peak RSS; the child's peak RSS goes to `peak_rss_kb`.
template <class Result, class Body>
Result run_in_child(Body body, long* peak_rss_kb = nullptr) {
    int fds[2];
    if (pipe(fds) != 0) std::abort();
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        const Result r = body();
        if (write(fds[1], &r, sizeof r) != sizeof r) _exit(2);
        _exit(0);
    }
    close(fds[1]);
    Result r{};
    if (read(fds[0], &r, sizeof r) != sizeof r) {
        std::cerr << "child failed\n";
        std::exit(1);
    }
    close(fds[0]);
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    if (peak_rss_kb) *peak_rss_kb = usage.ru_maxrss;
    return r;
}

template <class Scenario>
run_result in_child(const options& o, int in_flight) {
    long rss = 0;
    auto r = run_in_child<run_result>(
        [&] {
            asio::io_context io(1);
            Scenario scenario(o);
            return measure(io, o, in_flight, [&](auto&... args) { return scenario(args...); });
        },
        &rss);
    r.peak_rss_kb = rss;
    return r;
}

struct summary {
    double median = 0, min = 0, max = 0;
};

summary summarise(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return {v[v.size() / 2], v.front(), v.back()};
}

// A 90 % interval for the median of `v` (bootstrap: the medians of 2,000 resamples, fixed seed):
// how far the median could move on this machine's noise, which [min, max] does not say.
std::pair<double, double> median_interval(const std::vector<double>& v) {
    std::mt19937 random(1);
    std::uniform_int_distribution<std::size_t> pick(0, v.size() - 1);
    std::vector<double> medians, resample(v.size());
    for (int i = 0; i < 2000; ++i) {
        for (auto& x : resample) x = v[pick(random)];
        medians.push_back(summarise(resample).median);
    }
    std::sort(medians.begin(), medians.end());
    return {medians[100], medians[1899]};
}

// The failed calls in all these runs.
std::uint64_t failures_in(std::initializer_list<const std::vector<run_result>*> variants) {
    std::uint64_t failures = 0;
    for (const auto* runs : variants)
        for (const auto& r : *runs) failures += r.failures;
    return failures;
}

// Each round's run in `rs` against the same round's run in `flo`: the median, its 90 % interval,
// and [min, max].
void print_paired(const char* label, const std::vector<run_result>& rs, const std::vector<run_result>& flo) {
    auto paired = [&](auto field) {
        std::vector<double> v;
        for (std::size_t i = 0; i < rs.size(); ++i) v.push_back((rs[i].*field) / (flo[i].*field));
        return std::pair(summarise(v), median_interval(v));
    };
    const auto [rps, rps_in] = paired(&run_result::requests_per_second);
    const auto [cpu, cpu_in] = paired(&run_result::cpu_seconds_per_1000);
    std::printf("  %-22s throughput %.3f {%.3f, %.3f} [%.3f, %.3f], CPU per request %.3f {%.3f, %.3f} [%.3f, %.3f]\n",
                label, rps.median, rps_in.first, rps_in.second, rps.min, rps.max, cpu.median, cpu_in.first,
                cpu_in.second, cpu.min, cpu.max);
}

// Runs each of `variants` once a round, `rounds` times. Interleaved, so that the machine's drift
// (on a shared VM, 10-30 % between runs seconds apart) hits all alike; paired ratios compare runs
// of the same round. The place in a round may matter too (in a fixed order, 60 rounds, a floor run
// in the second and fourth places measured 0.977 {0.957, 1.005} of one in the first and last), so
// the order turns: reversed every other round and shifted by one every two, each of n variants
// runs twice in every place in 2n rounds.
void run_rounds(std::initializer_list<std::function<void()>> variant_list, int rounds) {
    const std::vector<std::function<void()>> variants(variant_list);
    for (int i = 0; i < rounds; ++i) {
        const auto shift = static_cast<std::size_t>(i / 2);
        for (std::size_t place = 0; place < variants.size(); ++place) {
            const auto k = i % 2 == 0 ? place : variants.size() - 1 - place;
            variants[(k + shift) % variants.size()]();
        }
    }
}

void compare(const options& o, int in_flight) {
    std::vector<run_result> lib, one, flo, obs, flo2;
    // A second floor run each round is the control: its ratio to the floor is 1 but for the noise.
    run_rounds({[&] { flo.push_back(in_child<floor_scenario>(o, in_flight)); },
                [&] { flo2.push_back(in_child<floor_scenario>(o, in_flight)); },
                [&] { lib.push_back(in_child<library_scenario>(o, in_flight)); },
                [&] { one.push_back(in_child<library_single_thread_scenario>(o, in_flight)); },
                [&] { obs.push_back(in_child<library_observed_scenario>(o, in_flight)); }},
               o.runs);
    auto column = [](const std::vector<run_result>& rs, auto field) {
        std::vector<double> v;
        for (const auto& r : rs) v.push_back(static_cast<double>(r.*field));
        return summarise(v);
    };
    const auto lib_rps = column(lib, &run_result::requests_per_second),
               flo_rps = column(flo, &run_result::requests_per_second);
    const auto lib_cpu = column(lib, &run_result::cpu_seconds_per_1000),
               flo_cpu = column(flo, &run_result::cpu_seconds_per_1000);
    const auto lib_alloc = column(lib, &run_result::allocations_per_request),
               flo_alloc = column(flo, &run_result::allocations_per_request);
    const auto lib_rss = column(lib, &run_result::peak_rss_kb), flo_rss = column(flo, &run_result::peak_rss_kb);
    const auto one_rps = column(one, &run_result::requests_per_second);
    const auto one_cpu = column(one, &run_result::cpu_seconds_per_1000);
    const auto one_alloc = column(one, &run_result::allocations_per_request);
    const auto one_rss = column(one, &run_result::peak_rss_kb);
    const auto obs_rps = column(obs, &run_result::requests_per_second);
    const auto obs_cpu = column(obs, &run_result::cpu_seconds_per_1000);
    const auto obs_alloc = column(obs, &run_result::allocations_per_request);
    const auto obs_rss = column(obs, &run_result::peak_rss_kb);
    const auto failures = failures_in({&lib, &one, &flo, &obs, &flo2});
    std::printf("\n%d in flight (%d runs of %.1f s each; median [min, max])\n", in_flight, o.runs, o.seconds);
    std::printf("  %-22s %10s %22s %14s %10s %12s\n", "", "req/s", "", "CPU s/1000", "allocs/req", "peak RSS KiB");
    std::printf("  %-22s %10.0f  [%8.0f, %8.0f] %14.4f %10.1f %12.0f\n", "library", lib_rps.median, lib_rps.min,
                lib_rps.max, lib_cpu.median, lib_alloc.median, lib_rss.median);
    std::printf("  %-22s %10.0f  [%8.0f, %8.0f] %14.4f %10.1f %12.0f\n", "library, thread_safe=0", one_rps.median,
                one_rps.min, one_rps.max, one_cpu.median, one_alloc.median, one_rss.median);
    std::printf("  %-22s %10.0f  [%8.0f, %8.0f] %14.4f %10.1f %12.0f\n", "library + observer", obs_rps.median,
                obs_rps.min, obs_rps.max, obs_cpu.median, obs_alloc.median, obs_rss.median);
    std::printf("  %-22s %10.0f  [%8.0f, %8.0f] %14.4f %10.1f %12.0f\n", "floor (hand-written)", flo_rps.median,
                flo_rps.min, flo_rps.max, flo_cpu.median, flo_alloc.median, flo_rss.median);
    std::printf("  ratio library/floor: throughput %.3f, CPU per request %.3f, allocations %.1f vs %.1f%s\n",
                lib_rps.median / flo_rps.median, lib_cpu.median / flo_cpu.median, lib_alloc.median, flo_alloc.median,
                failures ? "  (FAILURES!)" : "");
    std::printf("  ratio library (thread_safe=0)/floor: throughput %.3f, CPU per request %.3f\n",
                one_rps.median / flo_rps.median, one_cpu.median / flo_cpu.median);
    std::printf("  paired by round, to the floor: median {90 %% interval of the median} [min, max]\n");
    print_paired("library", lib, flo);
    print_paired("thread_safe=0", one, flo);
    print_paired("floor again (control)", flo2, flo);
    if (failures) std::exit(1);
}

// How long the connection pool's mutex is held per acquire and per release, with a connection
// whose reuse check is the real one's system call (nothing_to_read: a non-blocking MSG_PEEK on an
// idle socket). Every thread that wants a connection waits for this time.
struct peeking_connection {
    int fd = -1;
    bool idle_and_usable() const { return genauth::detail::nothing_to_read(fd); }
};
struct hold_timing_mutex {
    static inline clock_type::duration held{};
    std::mutex m;
    clock_type::time_point since;
    void lock() {
        m.lock();
        since = clock_type::now();
    }
    void unlock() {
        held += clock_type::now() - since;
        m.unlock();
    }
};

void pool_lock_hold() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) std::abort();
    genauth::detail::basic_connection_pool<peeking_connection, std::chrono::steady_clock, hold_timing_mutex> pool(
        1, std::chrono::seconds(60));
    auto first = pool.try_acquire();
    pool.release(std::make_unique<peeking_connection>(peeking_connection{fds[0]}), true);
    constexpr int iterations = 200000;
    clock_type::duration acquiring{}, releasing{};
    for (int i = 0; i < iterations; ++i) {
        hold_timing_mutex::held = {};
        auto g = pool.try_acquire();
        if (!g || !g->reused) std::abort();
        acquiring += hold_timing_mutex::held;
        hold_timing_mutex::held = {};
        pool.release(std::move(g->conn), true);
        releasing += hold_timing_mutex::held;
    }
    const auto per = [&](clock_type::duration d) {
        return std::chrono::duration<double, std::nano>(d).count() / iterations;
    };
    std::printf("\nconnection pool's lock (%d acquire/release pairs of an idle connection, no contention)\n",
                iterations);
    std::printf("  held per acquire (taking an idle connection to reuse):  %8.0f ns\n", per(acquiring));
    std::printf("  held per release (keeping it idle):                     %8.0f ns\n", per(releasing));
    ::close(fds[0]);
    ::close(fds[1]);
}

void micro_benchmarks() {
    genauth::client_options opts;
    opts.app_host = "https://example.genauth.ai";
    opts.app_id = "bench-app";
    opts.access_token = "bench-access-token-0123456789";
    genauth::detail::request_settings settings;
    std::string why;
    genauth::detail::make_request_settings(opts, settings, why);
    const auto caller = genauth::detail::make_caller_identity({opts.access_token, {}, {}});
    const auto request = sample_request();
    constexpr int iterations = 200000;
    std::size_t sink = 0;

    auto start = clock_type::now();
    auto allocs = g_allocations.load();
    for (int i = 0; i < iterations; ++i) {
        auto call = genauth::detail::prepare_call(genauth::detail::endpoints::enroll_factor, request);
        std::string wire, why;
        if (genauth::detail::build_http_request(settings, caller, call, wire, why)) std::abort();
        sink += wire.size();
    }
    const double build_ns = std::chrono::duration<double, std::nano>(clock_type::now() - start).count() / iterations;
    const double build_allocs = static_cast<double>(g_allocations.load() - allocs) / iterations;

    const std::string body =
        R"({"statusCode":200,"message":"Operation successful","requestId":"934108e5-9fbf-4d24-8da1-c330328abd6c"})";
    start = clock_type::now();
    allocs = g_allocations.load();
    for (int i = 0; i < iterations; ++i) {
        auto outcome = genauth::detail::interpret_response(200, "application/json", "", body);
        auto [ec, response] = genauth::detail::decode_response<genauth::enroll_factor_response>(std::move(outcome));
        sink += static_cast<std::size_t>(response.status_code);
    }
    const double parse_ns = std::chrono::duration<double, std::nano>(clock_type::now() - start).count() / iterations;
    const double parse_allocs = static_cast<double>(g_allocations.load() - allocs) / iterations;
    std::printf("\nmicro-benchmarks (%d iterations, no I/O)\n", iterations);
    std::printf("  request building (validate, JSON, wire bytes):          %8.0f ns/op, %5.1f allocations\n", build_ns,
                build_allocs);
    std::printf("  response parsing (envelope, duplicate-key check, DTO):  %8.0f ns/op, %5.1f allocations\n", parse_ns,
                parse_allocs);
    // make_shared's block for an operation (libstdc++ puts a 16-byte control block before the
    // state): glibc serves up to 1,032 bytes from its per-thread cache; above that each
    // operation's allocation takes the slower path through the bins.
    constexpr std::size_t state_block = sizeof(genauth::detail::operation_state) + 16;
    std::printf(
        "  an operation's state: %zu bytes with make_shared's control block (%s glibc's per-thread cache, 1,032)\n",
        state_block, state_block <= 1032 ? "within" : "OVER");
    if (sink == 0) std::puts("");
}

// --- threads ------------------------------------------------------------------------------------
// The library at 64 in flight with the client's io_context run by `threads` threads (thread_safe):
// the locks must not collapse under threads. Measured in a child process.
run_result threaded_run(const options& o, int threads, int in_flight) {
    return run_in_child<run_result>([&] {
        asio::io_context io(threads);
        const genauth::authentication_client client(io, library_options(o));
        const auto request = sample_request();
        std::atomic<std::uint64_t> count{0}, failures{0};
        auto worker = [&](clock_type::time_point until) -> asio::awaitable<void> {
            while (clock_type::now() < until) {
                auto [ec, r] = co_await client.async_enroll_factor(request, asio::as_tuple(asio::use_awaitable));
                count.fetch_add(1, std::memory_order_relaxed);
                if (ec) failures.fetch_add(1, std::memory_order_relaxed);
            }
        };
        auto run_threads = [&] {
            std::vector<std::thread> pool;
            for (int t = 1; t < threads; ++t) pool.emplace_back([&] { io.run(); });
            io.run();
            for (auto& t : pool) t.join();
            io.restart();
        };
        const auto warm = clock_type::now() + std::chrono::milliseconds(300);
        for (int i = 0; i < in_flight; ++i) asio::co_spawn(io, worker(warm), asio::detached);
        run_threads();
        count = 0;
        const auto allocations_before = g_allocations.load();
        const double cpu_before = cpu_seconds();
        const auto start = clock_type::now();
        const auto until =
            start + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(o.seconds));
        for (int i = 0; i < in_flight; ++i) asio::co_spawn(io, worker(until), asio::detached);
        run_threads();
        const double elapsed = std::chrono::duration<double>(clock_type::now() - start).count();
        run_result r;
        r.requests_per_second = static_cast<double>(count.load()) / elapsed;
        r.cpu_seconds_per_1000 = (cpu_seconds() - cpu_before) / static_cast<double>(count.load()) * 1000.0;
        r.allocations_per_request =
            static_cast<double>(g_allocations.load() - allocations_before) / static_cast<double>(count.load());
        r.failures = failures.load();
        return r;
    });
}

// The library against the floor alone, the floor first in every other pair: two runs a round
// instead of compare's five, so that enough rounds to resolve a few per cent fit in minutes (200
// pairs of 1 s: about ±1.5 % on this machine).
void pair_comparison(const options& o, int in_flight) {
    std::vector<run_result> lib, flo;
    for (int i = 0; i < o.runs; ++i) {
        if (i % 2 == 0) flo.push_back(in_child<floor_scenario>(o, in_flight));
        lib.push_back(in_child<library_scenario>(o, in_flight));
        if (i % 2 == 1) flo.push_back(in_child<floor_scenario>(o, in_flight));
    }
    const auto failures = failures_in({&lib, &flo});
    std::printf("\nthe library and the floor alone, %d in flight (%d pairs of %.1f s each)%s\n", in_flight, o.runs,
                o.seconds, failures ? "  (FAILURES!)" : "");
    std::printf("  paired by round, to the floor: median {90 %% interval of the median} [min, max]\n");
    print_paired("library", lib, flo);
    if (failures) std::exit(1);
}

// How much of the library's distance to the floor is work the floor skips: the floor, the floor
// doing each call's own work (floor_scenario), and the library, in turning order.
void call_work_comparison(const options& o, int in_flight) {
    std::vector<run_result> lib, flo, work;
    run_rounds({[&] { flo.push_back(in_child<floor_scenario>(o, in_flight)); },
                [&] { work.push_back(in_child<floor_with_call_work_scenario>(o, in_flight)); },
                [&] { lib.push_back(in_child<library_scenario>(o, in_flight)); }},
               o.runs);
    const auto failures = failures_in({&lib, &flo, &work});
    std::printf("\nthe floor doing each call's work, %d in flight (%d rounds of %.1f s each)%s\n", in_flight, o.runs,
                o.seconds, failures ? "  (FAILURES!)" : "");
    std::printf("  paired by round: median {90 %% interval of the median} [min, max]\n");
    std::printf("  to the floor:\n");
    print_paired("floor + call work", work, flo);
    print_paired("library", lib, flo);
    std::printf("  to the floor doing each call's work:\n");
    print_paired("library", lib, work);
    if (failures) std::exit(1);
}

void threads_comparison(const options& o) {
    std::vector<double> one_rps, four_rps, one_cpu, four_cpu;
    std::uint64_t failures = 0;
    for (int i = 0; i < o.runs; ++i) {
        const auto one = threaded_run(o, 1, 64), four = threaded_run(o, 4, 64);
        one_rps.push_back(one.requests_per_second);
        four_rps.push_back(four.requests_per_second);
        one_cpu.push_back(one.cpu_seconds_per_1000);
        four_cpu.push_back(four.cpu_seconds_per_1000);
        failures += one.failures + four.failures;
    }
    const auto a = summarise(one_rps), b = summarise(four_rps), ac = summarise(one_cpu), bc = summarise(four_cpu);
    std::printf("\nthreads: the library at 64 in flight, thread_safe (%d runs; median [min, max])\n", o.runs);
    std::printf("  1 thread   %10.0f req/s [%8.0f, %8.0f], CPU s/1000 %.4f\n", a.median, a.min, a.max, ac.median);
    std::printf("  4 threads  %10.0f req/s [%8.0f, %8.0f], CPU s/1000 %.4f\n", b.median, b.min, b.max, bc.median);
    std::printf("  ratio 4 threads / 1 thread: throughput %.3f%s\n", b.median / a.median,
                failures ? "  (FAILURES!)" : "");
    if (failures) std::exit(1);
}

// --- many users ---------------------------------------------------------------------------------
// `calls` calls, `in_flight` at a time, through one application-level client: each call made for
// user (i % users) through a fresh per-user handle (`distinct`), or every call through one handle.
// Measured in a child process; returns calls/s.
double many_users_run(const options& o, int users, bool distinct, double seconds) {
    return run_in_child<double>([&] {
        asio::io_context io(1);
        auto opts = library_options(o);
        opts.access_token.clear();
        opts.max_connections = 16;
        const genauth::authentication_client app(io, opts);
        std::vector<std::string> tokens;
        for (int i = 0; i < users; ++i) tokens.push_back("bench-user-" + std::to_string(i) + "-token-0123456789");
        const auto one = app.with_access_token(tokens.front());
        const auto request = sample_request();
        std::uint64_t next = 0, done = 0, failures = 0;
        auto worker = [&](clock_type::time_point until) -> asio::awaitable<void> {
            while (clock_type::now() < until) {
                const auto i = next++;
                const auto handle = distinct ? app.with_access_token(tokens[i % tokens.size()]) : one;
                auto [ec, r] = co_await handle.async_enroll_factor(request, asio::as_tuple(asio::use_awaitable));
                ++done;
                failures += ec ? 1 : 0;
            }
        };
        // Warm-up opens the 16 connections.
        for (int i = 0; i < 16; ++i)
            asio::co_spawn(io, worker(clock_type::now() + std::chrono::milliseconds(300)), asio::detached);
        io.run();
        io.restart();
        done = 0;
        const auto start = clock_type::now();
        const auto until =
            start + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(seconds));
        for (int i = 0; i < 16; ++i) asio::co_spawn(io, worker(until), asio::detached);
        io.run();
        const double rate =
            static_cast<double>(done) / std::chrono::duration<double>(clock_type::now() - start).count();
        return failures ? -1.0 : rate;
    });
}

// The way before per-user handles: a client per user, `users` users with one call each, 16 at a
// time (each client opens its own connection: a full TLS handshake per call). Returns calls/s.
double client_per_user_run(const options& o, int users) {
    asio::io_context io(1);
    const auto request = sample_request();
    int next = 0, done = 0, failures = 0;
    auto worker = [&]() -> asio::awaitable<void> {
        while (next < users) {
            auto opts = library_options(o);
            opts.access_token = "bench-user-" + std::to_string(next++) + "-token-0123456789";
            const genauth::authentication_client client(io, opts);
            auto [ec, r] = co_await client.async_enroll_factor(request, asio::as_tuple(asio::use_awaitable));
            ++done;
            failures += ec ? 1 : 0;
        }
    };
    const auto start = clock_type::now();
    for (int i = 0; i < 16; ++i) asio::co_spawn(io, worker(), asio::detached);
    io.run();
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    return failures ? -1 : done / seconds;
}

void many_users(const options& o) {
    constexpr int users = 400;
    std::vector<double> distinct, one;
    for (int i = 0; i < o.runs; ++i) {  // interleaved
        distinct.push_back(many_users_run(o, users, true, o.seconds));
        one.push_back(many_users_run(o, users, false, o.seconds));
    }
    const auto d = summarise(distinct), s = summarise(one);
    std::printf(
        "\nmany users: %d distinct users through per-user handles vs one handle (16 in flight, 16 "
        "connections; median [min, max] of %d runs)\n",
        users, o.runs);
    std::printf("  %-34s %10.0f calls/s [%8.0f, %8.0f]\n", "distinct users (with_access_token)", d.median, d.min,
                d.max);
    std::printf("  %-34s %10.0f calls/s [%8.0f, %8.0f]\n", "one user (one handle)", s.median, s.min, s.max);
    std::printf("  ratio distinct/one: %.3f%s\n", d.median / s.median, d.min < 0 || s.min < 0 ? "  (FAILURES!)" : "");
    std::printf("  a client per user (%d users, one call each, 16 at a time): %.0f calls/s\n", users,
                client_per_user_run(o, users));

    // Construction with default TLS options (system trust store): the first client of the process
    // loads the store; later ones share its context.
    asio::io_context io(1);
    genauth::client_options defaults;
    defaults.app_host = "https://example.genauth.ai";
    defaults.app_id = "bench-app";
    double cpu0 = cpu_seconds();
    { const genauth::authentication_client first(io, defaults); }
    const double first_ms = (cpu_seconds() - cpu0) * 1000.0;
    const genauth::authentication_client keep(io, defaults);  // as a server keeps its client
    constexpr int clients = 2000;
    cpu0 = cpu_seconds();
    const auto wall0 = clock_type::now();
    for (int i = 0; i < clients; ++i) {
        const genauth::authentication_client c(io, defaults);
        if (c.connections_opened() != 0) std::abort();
    }
    const double later_us = (cpu_seconds() - cpu0) * 1e6 / clients;
    const double later_wall_us = std::chrono::duration<double, std::micro>(clock_type::now() - wall0).count() / clients;
    constexpr int handles = 200000;
    const auto wall1 = clock_type::now();
    std::size_t sink = 0;
    for (int i = 0; i < handles; ++i)
        sink += keep.with_access_token("bench-user-token-0123456789").connections_opened();
    const double handle_ns = std::chrono::duration<double, std::nano>(clock_type::now() - wall1).count() / handles;
    std::printf(
        "  constructing a client, default TLS options: first of the process %.1f ms CPU; later ones %.1f us "
        "CPU (%.1f us wall); a per-user handle %.0f ns%s\n",
        first_ms, later_us, later_wall_us, handle_ns, sink ? "?" : "");
}

void pending_operations(const options& o) {
    constexpr int operations = 10000;
    const pid_t pid = fork();
    if (pid == 0) {
        asio::io_context io(1);
        auto opts = library_options(o);
        opts.timeout = std::chrono::seconds(60);
        genauth::authentication_client client(io, opts);
        const auto request = sample_request();
        int completed = 0, failed = 0;
        // From here: a block allocated before and freed in the window would be subtracted without
        // having been added; starting the operations frees next to nothing older.
        g_track_live_bytes = true;
        const auto live_before = g_live_bytes.load();
        for (int i = 0; i < operations; ++i)
            client.async_enroll_factor(request, [&](genauth::error_code ec, const genauth::enroll_factor_response&) {
                ++completed;
                failed += ec ? 1 : 0;
            });
        const auto live_pending = g_live_bytes.load() - live_before;
        g_track_live_bytes = false;
        const auto start = clock_type::now();
        io.run();
        const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
        std::printf("\n%d operations pending at once on one client (64 connections)\n", operations);
        std::printf("  heap per pending operation: %.0f bytes; all completed: %s (%d ok, %d failed) in %.2f s\n",
                    static_cast<double>(live_pending) / operations, completed == operations ? "yes" : "NO",
                    completed - failed, failed, seconds);
        std::fflush(stdout);
        _exit(completed == operations && failed == 0 ? 0 : 1);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    std::printf("  peak RSS of that process: %ld KiB\n", usage.ru_maxrss);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
    const char* const usage =
        "usage: bench --write-pki DIR | --port P --ca FILE [--seconds S] [--runs N] [--in-flight N]\n";
    options o;
    std::string profile;  // library, library-unsafe (thread_safe=false), floor or floor-call-work: one run here
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--write-pki") {
            const auto pki = genauth::testing::make_test_pki("localhost");
            std::ofstream(v + "/ca.pem") << pki.ca_pem;
            std::ofstream(v + "/cert.pem") << pki.cert_pem;
            std::ofstream(v + "/key.pem") << pki.key_pem;
            return 0;
        }
        if (a == "--profile")
            profile = v;
        else if (a == "--port")
            o.port = static_cast<unsigned short>(std::stoi(v));
        else if (a == "--ca")
            o.ca_file = v;
        else if (a == "--seconds")
            o.seconds = std::stod(v);
        else if (a == "--runs")
            o.runs = std::stoi(v);
        else if (a == "--in-flight")
            o.in_flight = std::stoi(v);
        else {
            std::cerr << usage;
            return 2;
        }
    }
    if (o.port == 0 || o.ca_file.empty()) {
        std::cerr << usage;
        return 2;
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    if (!profile.empty()) {
        asio::io_context io(1);
        library_scenario lib(o, profile != "library-unsafe");  // library-unsafe: thread_safe = false
        floor_scenario flo(o, profile == "floor-call-work");
        const auto r = profile.starts_with("floor")
                           ? measure(io, o, o.in_flight.value_or(64), [&](auto&... args) { return flo(args...); })
                           : measure(io, o, o.in_flight.value_or(64), [&](auto&... args) { return lib(args...); });
        std::printf("%s: %.0f req/s, %.1f allocations/request, %.2f us CPU/request\n", profile.c_str(),
                    r.requests_per_second, r.allocations_per_request, r.cpu_seconds_per_1000 * 1000.0);
        return 0;
    }
    std::string only;  // BENCH_ONLY=many_users runs that scenario alone
    if (const char* e = std::getenv("BENCH_ONLY")) only = e;
    if (only.empty() || only == "micro") micro_benchmarks();
    if (only.empty() || only == "micro" || only == "pool") pool_lock_hold();
    if (only.empty() || only == "compare") {
        compare(o, 1);
        compare(o, 64);
    }
    // Not part of the full run:
    if (only == "pair") pair_comparison(o, o.in_flight.value_or(1));
    if (only == "call_work") call_work_comparison(o, o.in_flight.value_or(1));
    if (only.empty() || only == "threads") threads_comparison(o);
    if (only.empty() || only == "many_users") many_users(o);
    if (only.empty() || only == "pending") pending_operations(o);
    return 0;
}
