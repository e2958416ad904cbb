#include "core/trace/chunks.hpp"

#include <algorithm>

#include "core/keccak.hpp"
#include "core/merkle.hpp"

namespace sigil::trace {

Hash chunk_at(BytesView data, std::uint64_t index) noexcept {
    Hash h{};
    const auto begin = static_cast<std::size_t>(index * kChunkSize);
    const auto n = std::min<std::size_t>(kChunkSize, data.size() - begin);
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(begin), n, h.begin());
    return h;
}

std::vector<Hash> chunk_leaves(BytesView data) {
    const auto n = chunk_count(data.size());
    std::vector<Hash> leaves(static_cast<std::size_t>(n));
    for (std::uint64_t i = 0; i < n; ++i) leaves[static_cast<std::size_t>(i)] = chunk_at(data, i);
    return leaves;
}

Hash tensor_root(BytesView data) {
    // Same value as merkle_root(chunk_leaves(data)), but the zero padding is not hashed: above the
    // real nodes every level is padded with the root of an all-zero subtree of that height.
    std::vector<Hash> level = chunk_leaves(data);
    if (level.empty()) return Hash{};
    Hash zero{};  // root of an all-zero subtree at the current height
    while (level.size() > 1) {
        const std::size_t half = (level.size() + 1) / 2;
        for (std::size_t i = 0; i < half; ++i) {
            const Hash& right = 2 * i + 1 < level.size() ? level[2 * i + 1] : zero;
            level[i] = keccak256_pair(level[2 * i], right);
        }
        level.resize(half);
        zero = keccak256_pair(zero, zero);
    }
    return level[0];
}

}  // namespace sigil::trace
