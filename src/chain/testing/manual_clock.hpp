#pragma once
/// A clock that only moves when told to: `sleep_for` advances it instantly. For deterministic
/// tests of components that wait (retries, receipt polling, the log watcher). Thread-safe.

#include <mutex>
#include <vector>

#include "chain/clock.hpp"

namespace sigil::chain::testing {

class ManualClock final : public Clock {
public:
    time_point now() const override {
        std::lock_guard lock(mu_);
        return now_;
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
