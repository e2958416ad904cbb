#pragma once
/// Binary keccak-256 Merkle trees over 32-byte leaves, the one commitment scheme Sigil uses for
/// tensors, programs, data sets and execution states (docs/commitments.md).
///
/// Rule (the Solidity verifiers implement the same):
///   - the leaf count is padded up to the next power of two with zero leaves (bytes32(0));
///   - a parent is keccak256(left || right);
///   - the root of one leaf is that leaf; the root of no leaves is bytes32(0);
///   - a proof is the list of siblings from the leaf up; its length is the tree depth
///     ceil(log2(leaf count)), and verifiers check that length, so a proof cannot pass an inner
///     node off as a leaf.

#include <cstdint>
#include <span>
#include <vector>

#include "core/bytes.hpp"

namespace sigil {

/// Depth of a tree with `leaf_count` leaves: ceil(log2(leaf_count)), 0 for 0 or 1 leaves.
unsigned merkle_depth(std::uint64_t leaf_count) noexcept;

/// Root over `leaves` with the padding rule above.
Hash merkle_root(std::span<const Hash> leaves);

/// Siblings from leaf `index` up to the root. Precondition: index < leaves.size().
std::vector<Hash> merkle_proof(std::span<const Hash> leaves, std::uint64_t index);

/// Recomputes the root from a leaf, its index and its siblings. The caller must check that
/// `proof.size()` equals the expected depth (see merkle_verify).
Hash merkle_root_from_proof(const Hash& leaf, std::uint64_t index, std::span<const Hash> proof) noexcept;

/// True when `leaf` sits at `index` of a tree of `leaf_count` leaves with root `root`.
bool merkle_verify(const Hash& root, std::uint64_t leaf_count, std::uint64_t index, const Hash& leaf,
                   std::span<const Hash> proof) noexcept;

/// A tree kept in memory with every level, for many proofs over the same leaves.
class MerkleTree {
public:
    explicit MerkleTree(std::span<const Hash> leaves);
    const Hash& root() const noexcept { return levels_.back().front(); }
    std::uint64_t leaf_count() const noexcept { return leaf_count_; }
    /// Precondition: index < leaf_count().
    std::vector<Hash> proof(std::uint64_t index) const;
    /// Replaces leaves `indices[i]` by `leaves[i]` and rehashes only their paths to the root.
    /// Preconditions: indices ascending, each < leaf_count(); the same sizes.
    void update(std::span<const std::uint64_t> indices, std::span<const Hash> leaves);

private:
    std::vector<std::vector<Hash>> levels_;  // levels_[0] = padded leaves, back() = {root}
    std::uint64_t leaf_count_ = 0;
};

}  // namespace sigil
