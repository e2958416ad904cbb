#pragma once
/// The fast Merkle machinery behind merkle_root (core/merkle.hpp) and trace::tensor_root
/// (core/trace/chunks.hpp): zero-subtree roots from a table instead of hashing padding, levels
/// folded in place with one batched keccak call each (core/keccak_batch.hpp), and variants with
/// the keccak path forced so tests and benchmarks can compare every path against the others and
/// against core/merkle_reference.hpp. The values are the commitment rule's, on every path.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/bytes.hpp"
#include "core/keccak_batch.hpp"

namespace sigil {

/// The bytes of consecutive hashes, as keccak256_64_batch reads and writes them (Hash is 32 bytes
/// with no padding, so an array of n hashes is 32 * n contiguous bytes).
inline std::uint8_t* bytes_of(Hash* h) noexcept { return reinterpret_cast<std::uint8_t*>(h); }
inline const std::uint8_t* bytes_of(const Hash* h) noexcept { return reinterpret_cast<const std::uint8_t*>(h); }

/// Root of an all-zero subtree of `height` (0: the zero leaf; h + 1: keccak(z_h || z_h)), from a
/// table computed once per process. Precondition: height <= 64.
const Hash& zero_subtree_root(unsigned height) noexcept;

/// Folds `count` >= 1 nodes at `height` (nodes[0, count), followed by zero subtrees up to a power
/// of two) to their root in place, one batched keccak call per level. `nodes` must hold at least
/// count + 1 hashes (the slot after an odd level takes its zero sibling); its contents are
/// overwritten. Precondition: keccak_path_supported(path).
Hash merkle_fold(std::span<Hash> nodes, std::size_t count, unsigned height, KeccakPath path) noexcept;

/// merkle_root(leaves) on `path`. Precondition: keccak_path_supported(path).
Hash merkle_root(std::span<const Hash> leaves, KeccakPath path);

namespace trace {
/// trace::tensor_root(data) on `path`: hashes the tensor's bytes where they are (a first-level
/// message is 64 consecutive bytes), without building the leaf list. Precondition:
/// keccak_path_supported(path).
Hash tensor_root(BytesView data, KeccakPath path);

/// tensor_root of each of `tensors`, with every tree level of all of them hashed in one batch, so
/// small tensors (whose upper levels have fewer nodes than a SIMD permutation has lanes) share
/// permutations instead of each leaving lanes idle. Precondition: keccak_path_supported(path).
std::vector<Hash> tensor_roots(std::span<const BytesView> tensors, KeccakPath path);
}  // namespace trace

}  // namespace sigil
