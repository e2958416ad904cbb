#include "runtime/exec/thread_pool.hpp"

namespace sigil::rt {

ThreadPool::ThreadPool(unsigned threads) {
    for (unsigned i = 1; i < threads; ++i) workers_.emplace_back([this, i] { work(i); });
}

ThreadPool::~ThreadPool() {
    {
        const std::lock_guard lock(mutex_);
        stop_ = true;
    }
    start_.notify_all();
    for (auto& t : workers_) t.join();
}

void ThreadPool::run(const std::function<void(unsigned)>& job) {
    if (workers_.empty()) {
        job(0);
        return;
    }
    {
        const std::lock_guard lock(mutex_);
        job_ = &job;
        pending_ = static_cast<unsigned>(workers_.size());
        ++generation_;
    }
    start_.notify_all();
    job(0);
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    job_ = nullptr;
}

void ThreadPool::work(unsigned index) {
    std::uint64_t seen = 0;
    for (;;) {
        const std::function<void(unsigned)>* job = nullptr;
        {
            std::unique_lock lock(mutex_);
            start_.wait(lock, [&] { return stop_ || generation_ != seen; });
            if (stop_) return;
            seen = generation_;
            job = job_;
        }
        (*job)(index);
        {
            const std::lock_guard lock(mutex_);
            --pending_;
        }
        done_.notify_one();
    }
}

}  // namespace sigil::rt
