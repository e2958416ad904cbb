#include "runtime/exec/thread_pool.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace sigil::runtime {
namespace {

void cpu_relax() noexcept {
#if defined(__x86_64__)
    _mm_pause();
#else
    std::this_thread::yield();
#endif
}

/// Spins until pred() or kSpinRounds pauses have passed; returns pred().
template <typename Pred>
bool spin_until(Pred pred) {
    for (unsigned i = 0; i < ThreadPool::kSpinRounds; ++i) {
        if (pred()) return true;
        cpu_relax();
    }
    return pred();
}

}  // namespace

ThreadPool::ThreadPool(unsigned threads) {
    for (unsigned i = 1; i < threads; ++i) workers_.emplace_back([this, i] { work(i); });
}

ThreadPool::~ThreadPool() {
    {
        const std::lock_guard lock(mutex_);
        stop_.store(true);
    }
    start_.notify_all();
    for (auto& t : workers_) t.join();
}

void ThreadPool::run(const std::function<void(unsigned)>& job) {
    if (workers_.empty()) {
        job(0);
        return;
    }
    job_.store(&job, std::memory_order_relaxed);
    pending_.store(static_cast<unsigned>(workers_.size()), std::memory_order_relaxed);
    {
        // Under the mutex so a worker about to sleep either sees the new generation or is woken.
        const std::lock_guard lock(mutex_);
        generation_.fetch_add(1, std::memory_order_release);
    }
    start_.notify_all();
    job(0);
    const auto finished = [this] { return pending_.load(std::memory_order_acquire) == 0; };
    if (spin_until(finished)) return;
    std::unique_lock lock(mutex_);
    done_.wait(lock, finished);
}

void ThreadPool::work(unsigned index) {
    std::uint64_t seen = 0;
    for (;;) {
        const auto started = [&] {
            return stop_.load(std::memory_order_relaxed) || generation_.load(std::memory_order_acquire) != seen;
        };
        if (!spin_until(started)) {
            std::unique_lock lock(mutex_);
            start_.wait(lock, started);
        }
        if (stop_.load()) return;
        seen = generation_.load(std::memory_order_acquire);
        (*job_.load(std::memory_order_relaxed))(index);
        if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            // The caller may be asleep on done_; take the mutex so the wake-up cannot slip in
            // between its check and its wait.
            const std::lock_guard lock(mutex_);
            done_.notify_one();
        }
    }
}

}  // namespace sigil::runtime
