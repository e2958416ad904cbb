#pragma once
/// Time as an injected dependency (STYLE.md §4): components that wait or time out take a `Clock&`,
/// so tests drive them with a manual clock instead of sleeping.

#include <chrono>

namespace sigil::chain {

/// A monotonic clock that can also wait.
class Clock {
public:
    using time_point = std::chrono::steady_clock::time_point;
    virtual ~Clock() = default;
    /// The current monotonic time.
    virtual time_point now() const = 0;
    /// Blocks the calling thread for `d` (or, for a manual clock, advances time by `d`).
    virtual void sleep_for(std::chrono::milliseconds d) = 0;
};

/// The real steady clock; thread-safe.
class SystemClock final : public Clock {
public:
    time_point now() const override { return std::chrono::steady_clock::now(); }
    void sleep_for(std::chrono::milliseconds d) override;
};

/// The process-wide real clock.
Clock& system_clock();

}  // namespace sigil::chain
