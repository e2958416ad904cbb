#include "core/merkle.hpp"

#include <cassert>

#include "core/keccak.hpp"

namespace sigil {

unsigned merkle_depth(std::uint64_t leaf_count) noexcept {
    unsigned depth = 0;
    while ((std::uint64_t{1} << depth) < leaf_count) ++depth;
    return depth;
}

MerkleTree::MerkleTree(std::span<const Hash> leaves) : leaf_count_(leaves.size()) {
    const std::size_t width = std::size_t{1} << merkle_depth(leaves.size());
    std::vector<Hash> level(width, Hash{});
    for (std::size_t i = 0; i < leaves.size(); ++i) level[i] = leaves[i];
    levels_.push_back(std::move(level));
    while (levels_.back().size() > 1) {
        const auto& below = levels_.back();
        std::vector<Hash> up(below.size() / 2);
        for (std::size_t i = 0; i < up.size(); ++i) up[i] = keccak256_pair(below[2 * i], below[2 * i + 1]);
        levels_.push_back(std::move(up));
    }
}

std::vector<Hash> MerkleTree::proof(std::uint64_t index) const {
    assert(index < leaf_count_);
    std::vector<Hash> siblings;
    siblings.reserve(levels_.size() - 1);
    for (std::size_t l = 0; l + 1 < levels_.size(); ++l) {
        siblings.push_back(levels_[l][static_cast<std::size_t>(index ^ 1U)]);
        index >>= 1U;
    }
    return siblings;
}

Hash merkle_root(std::span<const Hash> leaves) {
    if (leaves.empty()) return Hash{};
    // Fold level by level in one buffer.
    const std::size_t width = std::size_t{1} << merkle_depth(leaves.size());
    std::vector<Hash> level(width, Hash{});
    for (std::size_t i = 0; i < leaves.size(); ++i) level[i] = leaves[i];
    for (std::size_t n = width; n > 1; n /= 2) {
        for (std::size_t i = 0; i < n / 2; ++i) level[i] = keccak256_pair(level[2 * i], level[2 * i + 1]);
    }
    return level[0];
}

std::vector<Hash> merkle_proof(std::span<const Hash> leaves, std::uint64_t index) {
    return MerkleTree(leaves).proof(index);
}

Hash merkle_root_from_proof(const Hash& leaf, std::uint64_t index, std::span<const Hash> proof) noexcept {
    Hash node = leaf;
    for (const Hash& sibling : proof) {
        node = (index & 1U) ? keccak256_pair(sibling, node) : keccak256_pair(node, sibling);
        index >>= 1U;
    }
    return node;
}

bool merkle_verify(const Hash& root, std::uint64_t leaf_count, std::uint64_t index, const Hash& leaf,
                   std::span<const Hash> proof) noexcept {
    if (index >= leaf_count || proof.size() != merkle_depth(leaf_count)) return false;
    return merkle_root_from_proof(leaf, index, proof) == root;
}

}  // namespace sigil
