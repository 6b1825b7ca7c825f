#ifndef GENAUTH_TESTS_CONCURRENCY_RUN_ON_THREADS_HPP
#define GENAUTH_TESTS_CONCURRENCY_RUN_ON_THREADS_HPP

#include <boost/asio/io_context.hpp>

#include <thread>
#include <vector>

namespace concurrency {
/// Runs `io` on `threads` threads until it runs out of work.
inline void run_on_threads(boost::asio::io_context& io, int threads) {
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) pool.emplace_back([&] { io.run(); });
    for (auto& t : pool) t.join();
}
}  // namespace concurrency

#endif
