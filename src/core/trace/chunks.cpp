#include "core/trace/chunks.hpp"

#include <algorithm>

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
    const auto leaves = chunk_leaves(data);
    return merkle_root(leaves);
}

}  // namespace sigil::trace
