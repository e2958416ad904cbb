#include "chain/clock.hpp"

#include <thread>

namespace sigil::chain {

void SystemClock::sleep_for(std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }

Clock& system_clock() {
    static SystemClock clock;
    return clock;
}

}  // namespace sigil::chain
