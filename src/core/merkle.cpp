#include "core/merkle.hpp"

#include <algorithm>
#include <array>
#include <cassert>

#include "core/keccak.hpp"
#include "core/merkle_fold.hpp"

namespace sigil {

unsigned merkle_depth(std::uint64_t leaf_count) noexcept {
    unsigned depth = 0;
    while ((std::uint64_t{1} << depth) < leaf_count) ++depth;
    return depth;
}

const Hash& zero_subtree_root(unsigned height) noexcept {
    static const std::array<Hash, 65> table = [] {
        std::array<Hash, 65> t{};
        for (std::size_t h = 1; h < t.size(); ++h) t[h] = keccak256_pair(t[h - 1], t[h - 1]);
        return t;
    }();
    assert(height < table.size());
    return table[height];
}

Hash merkle_fold(std::span<Hash> nodes, std::size_t count, unsigned height, KeccakPath path) noexcept {
    assert(count >= 1 && nodes.size() > count);
    while (count > 1) {
        if (count % 2 == 1) nodes[count++] = zero_subtree_root(height);
        count /= 2;
        keccak256_64_batch(bytes_of(nodes.data()), bytes_of(nodes.data()), count, path);
        ++height;
    }
    return nodes[0];
}

MerkleTree::MerkleTree(std::span<const Hash> leaves) : leaf_count_(leaves.size()) {
    // Full padded levels (proofs read siblings in the padding); only the nodes above real leaves
    // are hashed, the rest are zero-subtree roots.
    const unsigned depth = merkle_depth(leaves.size());
    std::vector<Hash> level(std::size_t{1} << depth, Hash{});
    std::copy(leaves.begin(), leaves.end(), level.begin());
    levels_.push_back(std::move(level));
    std::size_t real = leaves.size();
    for (unsigned h = 1; h <= depth; ++h) {
        const auto& below = levels_.back();
        real = (real + 1) / 2;
        std::vector<Hash> up(below.size() / 2, zero_subtree_root(h));
        keccak256_64_batch(bytes_of(below.data()), bytes_of(up.data()), real);
        levels_.push_back(std::move(up));
    }
}

void MerkleTree::update(std::span<const std::uint64_t> indices, std::span<const Hash> leaves) {
    assert(indices.size() == leaves.size());
    std::vector<std::uint64_t> cur(indices.begin(), indices.end());
    for (std::size_t i = 0; i < cur.size(); ++i) {
        assert(cur[i] < leaf_count_);
        levels_[0][static_cast<std::size_t>(cur[i])] = leaves[i];
    }
    std::vector<Hash> pairs, parents;
    for (std::size_t h = 1; h < levels_.size(); ++h) {
        std::vector<std::uint64_t> up;
        for (std::uint64_t c : cur)
            if (up.empty() || up.back() != c / 2) up.push_back(c / 2);
        // The changed parents' child pairs side by side, hashed in one batch.
        const auto& below = levels_[h - 1];
        pairs.resize(2 * up.size());
        parents.resize(up.size());
        for (std::size_t j = 0; j < up.size(); ++j) {
            const auto q = static_cast<std::size_t>(up[j]);
            pairs[2 * j] = below[2 * q];
            pairs[2 * j + 1] = below[2 * q + 1];
        }
        keccak256_64_batch(bytes_of(pairs.data()), bytes_of(parents.data()), up.size());
        for (std::size_t j = 0; j < up.size(); ++j) levels_[h][static_cast<std::size_t>(up[j])] = parents[j];
        cur = std::move(up);
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

Hash merkle_root(std::span<const Hash> leaves, KeccakPath path) {
    if (leaves.empty()) return Hash{};
    if (leaves.size() == 1) return leaves[0];
    std::vector<Hash> nodes(leaves.size() + 1);
    std::copy(leaves.begin(), leaves.end(), nodes.begin());
    return merkle_fold(nodes, leaves.size(), 0, path);
}

Hash merkle_root(std::span<const Hash> leaves) { return merkle_root(leaves, keccak_best_path()); }

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
