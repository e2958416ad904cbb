#include "runtime/exec/thread_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace sigil::runtime {
namespace {

TEST(thread_pool, every_run_calls_every_index_once) {
    for (unsigned n : {1U, 2U, 3U, 5U}) {
        ThreadPool pool(n);
        ASSERT_EQ(pool.size(), n);
        std::vector<std::atomic<unsigned>> calls(n);
        const std::function<void(unsigned)> job = [&](unsigned w) { calls[w].fetch_add(1); };
        constexpr unsigned kRuns = 3000;  // back-to-back hand-offs, the spinning path
        for (unsigned r = 0; r < kRuns; ++r) pool.run(job);
        for (unsigned w = 0; w < n; ++w) EXPECT_EQ(calls[w].load(), kRuns) << n << " threads, index " << w;
    }
}

TEST(thread_pool, wakes_workers_that_went_to_sleep) {
    ThreadPool pool(3);
    std::atomic<unsigned> calls{0};
    const std::function<void(unsigned)> job = [&](unsigned) { calls.fetch_add(1); };
    for (int r = 0; r < 5; ++r) {
        // Long enough for the workers to stop spinning and block.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        pool.run(job);
    }
    EXPECT_EQ(calls.load(), 15U);
}

TEST(thread_pool, run_returns_after_slow_workers_finish) {
    ThreadPool pool(2);
    std::atomic<bool> worker_done{false};
    const std::function<void(unsigned)> job = [&](unsigned w) {
        if (w == 1) {
            std::this_thread::sleep_for(std::chrono::milliseconds(30));  // past the caller's spin
            worker_done.store(true);
        }
    };
    pool.run(job);
    EXPECT_TRUE(worker_done.load());
}

}  // namespace
}  // namespace sigil::runtime
