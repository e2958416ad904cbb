#include "chain/clock.hpp"

#include <thread>

namespace sigil::chain {

std::int64_t SystemClock::unix_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void SystemClock::sleep_for(std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }

Clock& system_clock() {
    static SystemClock clock;
    return clock;
}

}  // namespace sigil::chain
