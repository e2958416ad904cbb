#pragma once
/// The commitment rule written the slow, literal way, for tests, fuzzers and benchmarks to check
/// the fast paths against: every node through the general keccak256 sponge (Crypto++), the leaf
/// list padded with zero leaves to a power of two, every level built in full.

#include <algorithm>
#include <span>
#include <vector>

#include "core/bytes.hpp"
#include "core/keccak.hpp"

namespace sigil::reference {

/// keccak256(a || b) through the general sponge.
inline Hash parent(const Hash& a, const Hash& b) { return keccak256(concat({as_bytes(a), as_bytes(b)})); }

/// merkle_root by the rule of core/merkle.hpp.
inline Hash merkle_root(std::span<const Hash> leaves) {
    if (leaves.empty()) return Hash{};
    std::size_t width = 1;
    while (width < leaves.size()) width *= 2;
    std::vector<Hash> level(width, Hash{});
    std::copy(leaves.begin(), leaves.end(), level.begin());
    while (level.size() > 1) {
        std::vector<Hash> up(level.size() / 2);
        for (std::size_t i = 0; i < up.size(); ++i) up[i] = parent(level[2 * i], level[2 * i + 1]);
        level = std::move(up);
    }
    return level[0];
}

/// tensor_root by the rule of core/trace/chunks.hpp: raw 32-byte chunks, the last zero-padded.
inline Hash tensor_root(BytesView data) {
    std::vector<Hash> leaves((data.size() + 31) / 32, Hash{});
    for (std::size_t i = 0; i < data.size(); ++i) leaves[i / 32][i % 32] = data[i];
    return merkle_root(leaves);
}

}  // namespace sigil::reference
