#pragma once
/// Time as an injected dependency (STYLE.md §4): components that wait or time out take a `Clock&`,
/// so tests drive them with a manual clock instead of sleeping.

#include <chrono>
#include <cstdint>

namespace sigil::chain {

/// A monotonic clock that can also wait, and tell the wall time.
class Clock {
public:
    using time_point = std::chrono::steady_clock::time_point;
    virtual ~Clock() = default;
    /// The current monotonic time.
    virtual time_point now() const = 0;
    /// Milliseconds since the Unix epoch: for times that are stored and outlive the process
    /// (the monotonic clock restarts with the machine).
    virtual std::int64_t unix_ms() const = 0;
    /// Blocks the calling thread for `d` (or, for a manual clock, advances time by `d`).
    virtual void sleep_for(std::chrono::milliseconds d) = 0;
};

/// The real steady clock; thread-safe.
class SystemClock final : public Clock {
public:
    time_point now() const override { return std::chrono::steady_clock::now(); }
    std::int64_t unix_ms() const override;
    void sleep_for(std::chrono::milliseconds d) override;
};

/// The process-wide real clock.
Clock& system_clock();

}  // namespace sigil::chain
