#pragma once
/// A fixed set of worker threads that run one job at a time on all threads (fork-join).
///
/// Hand-offs spin before they sleep: an executor forks once per op, and an op of the models we run
/// takes a few microseconds to a few tens, about what a condition-variable wake-up costs, so
/// workers that went to sleep between ops made two threads slower than one. A worker spins for a
/// bounded time waiting for the next job (kPauseRounds pause instructions, then yields of its core
/// up to kSpinRounds rounds in all, some tens of microseconds) and only then blocks; the caller
/// waits for the workers to finish the same way.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sigil::rt {

/// `threads` threads in total: the calling thread plus threads - 1 workers. Not reentrant: one
/// run() at a time (callers serialize).
class ThreadPool {
public:
    explicit ThreadPool(unsigned threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    unsigned size() const noexcept { return static_cast<unsigned>(workers_.size()) + 1; }

    /// Calls job(t) for every t in [0, size()) concurrently (t = 0 on the caller) and returns
    /// when all calls have returned. `job` must not throw.
    void run(const std::function<void(unsigned)>& job);

    /// Rounds a waiting thread spins through before it blocks, and how many of them are pause
    /// instructions (the rest yield the core).
    static constexpr unsigned kSpinRounds = 2048;
    static constexpr unsigned kPauseRounds = 1024;

private:
    void work(unsigned index);

    std::vector<std::thread> workers_;
    std::mutex mutex_;  // guards the sleeping side of both hand-offs
    std::condition_variable start_;
    std::condition_variable done_;
    std::atomic<const std::function<void(unsigned)>*> job_{nullptr};
    std::atomic<std::uint64_t> generation_{0};  // bumped (under mutex_) once per run()
    std::atomic<unsigned> pending_{0};          // workers still inside the current job
    std::atomic<bool> stop_{false};
};

}  // namespace sigil::rt
