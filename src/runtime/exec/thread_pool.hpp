#pragma once
/// A fixed set of worker threads that run one job at a time on all threads (fork-join).

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

private:
    void work(unsigned index);

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable start_;
    std::condition_variable done_;
    const std::function<void(unsigned)>* job_ = nullptr;
    std::uint64_t generation_ = 0;
    unsigned pending_ = 0;
    bool stop_ = false;
};

}  // namespace sigil::rt
