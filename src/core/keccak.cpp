#include "core/keccak.hpp"

#include <cstring>

#include <cryptopp/keccak.h>

#include "core/keccak_batch.hpp"

namespace sigil {

Hash keccak256(BytesView data) noexcept {
    CryptoPP::Keccak_256 h;
    h.Update(data.data(), data.size());
    Hash out{};
    h.Final(out.data());
    return out;
}

Hash keccak256_pair(const Hash& a, const Hash& b) noexcept {
    // One 64-byte block through the specialised permutation (core/keccak_batch.hpp); the tests
    // check it against the general sponge above.
    std::uint8_t msg[64];
    std::memcpy(msg, a.data(), 32);
    std::memcpy(msg + 32, b.data(), 32);
    return keccak256_64(msg);
}

}  // namespace sigil
