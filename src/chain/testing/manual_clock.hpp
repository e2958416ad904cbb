#pragma once
/// A clock that only moves when told to: `sleep_for` advances it instantly. For deterministic
/// tests of components that wait (retries, receipt polling, the log watcher). Thread-safe.

#include <mutex>
#include <vector>

#include "chain/clock.hpp"

namespace sigil::chain::testing {

class ManualClock final : public Clock {
public:
    static constexpr std::int64_t kUnixStartMs = 1'800'000'000'000;  // 2027-01-15

    time_point now() const override {
        std::lock_guard lock(mu_);
        return now_;
    }
    /// Wall time: `kUnixStartMs` plus the time slept so far.
    std::int64_t unix_ms() const override {
        std::lock_guard lock(mu_);
        return kUnixStartMs + std::chrono::duration_cast<std::chrono::milliseconds>(now_.time_since_epoch()).count();
    }
    void sleep_for(std::chrono::milliseconds d) override {
        std::lock_guard lock(mu_);
        sleeps_.push_back(d);
        now_ += d;
    }
    /// Every duration passed to sleep_for, in order.
    std::vector<std::chrono::milliseconds> sleeps() const {
        std::lock_guard lock(mu_);
        return sleeps_;
    }

private:
    mutable std::mutex mu_;
    time_point now_{};
    std::vector<std::chrono::milliseconds> sleeps_;
};

}  // namespace sigil::chain::testing
