#include "core/trace/chunks.hpp"

#include <algorithm>

#include "core/merkle_fold.hpp"

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

Hash tensor_root(BytesView data, KeccakPath path) {
    const std::uint64_t chunks = chunk_count(data.size());
    if (chunks == 0) return Hash{};
    if (chunks == 1) return chunk_at(data, 0);
    // Level 1: a parent's message is two adjacent chunks, i.e. 64 consecutive tensor bytes; only
    // the last one (a short tail, zero-padded, possibly with a zero sibling chunk) is copied.
    const auto parents = static_cast<std::size_t>((chunks + 1) / 2);
    const std::size_t whole = data.size() / 64;
    std::vector<Hash> nodes(parents + 1);
    keccak256_64_batch(data.data(), reinterpret_cast<std::uint8_t*>(nodes.data()), whole, path);
    if (whole < parents) {
        std::uint8_t tail[64] = {};
        std::copy(data.begin() + static_cast<std::ptrdiff_t>(64 * whole), data.end(), tail);
        nodes[whole] = keccak256_64(tail);
    }
    return merkle_fold(nodes, parents, 1, path);
}

Hash tensor_root(BytesView data) { return tensor_root(data, keccak_best_path()); }

}  // namespace sigil::trace
