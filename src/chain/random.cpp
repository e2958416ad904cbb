#include "chain/random.hpp"

#include <sys/random.h>

#include <cerrno>

namespace sigil::chain {

bool SystemRandom::fill(std::span<std::uint8_t> out) {
    std::size_t got = 0;
    while (got < out.size()) {
        const ssize_t n = getrandom(out.data() + got, out.size() - got, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        got += static_cast<std::size_t>(n);
    }
    return true;
}

RandomSource& system_random() {
    static SystemRandom random;
    return random;
}

}  // namespace sigil::chain
