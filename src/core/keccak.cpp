#include "core/keccak.hpp"

#include <cryptopp/keccak.h>

namespace sigil {

Hash keccak256(BytesView data) noexcept {
    CryptoPP::Keccak_256 h;
    h.Update(data.data(), data.size());
    Hash out{};
    h.Final(out.data());
    return out;
}

Hash keccak256_pair(const Hash& a, const Hash& b) noexcept {
    CryptoPP::Keccak_256 h;
    h.Update(a.data(), a.size());
    h.Update(b.data(), b.size());
    Hash out{};
    h.Final(out.data());
    return out;
}

}  // namespace sigil
