#pragma once
/// A fixed set of worker threads that run one job at a time on all threads (fork-join).
///
/// Hand-offs spin before they sleep: an executor forks once per op, and an op of the models we run
/// takes a few microseconds to a few tens, about what a condition-variable wake-up costs, so
/// workers that went to sleep between ops made two threads slower than one. A worker spins briefly
/// waiting for the next job (kSpinRounds pause instructions, a few microseconds: back-to-back forks
/// of one run) and only then blocks; the caller waits for the workers to finish the same way. The
/// spin is short on purpose: on a machine with more runnable threads than cores a long spinner
/// uses up its share and is then scheduled late, while a thread woken from sleep runs at once
/// (measured: spinning for ~100 us made two threads 20x slower on the loaded 2-core machine).

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sigil::runtime {

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

    /// Pause instructions a waiting thread spins through before it blocks.
    static constexpr unsigned kSpinRounds = 128;

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

}  // namespace sigil::runtime
