#pragma once
/// Tensor commitments: a keccak Merkle tree (core/merkle.hpp) over the 32-byte chunks of a
/// tensor's canonical layout (docs/commitments.md).
///
/// Leaf rule: a leaf is the raw 32-byte chunk itself (not its hash); the last chunk is padded with
/// zero bytes. This is safe because every verifier knows the leaf count from the committed shape and
/// merkle_verify checks the proof length, so an inner node cannot be passed off as a chunk; and it
/// saves one keccak per opened chunk on-chain.

#include <cstdint>
#include <vector>

#include "core/bytes.hpp"

namespace sigil::trace {

inline constexpr std::uint64_t kChunkSize = 32;

/// ceil(byte_len / 32).
constexpr std::uint64_t chunk_count(std::uint64_t byte_len) noexcept { return (byte_len + kChunkSize - 1) / kChunkSize; }

/// Chunk `index` of `data`, zero-padded. Precondition: index < chunk_count(data.size()).
Hash chunk_at(BytesView data, std::uint64_t index) noexcept;

/// All chunks of `data`, the leaves of its tensor tree.
std::vector<Hash> chunk_leaves(BytesView data);

/// Merkle root over chunk_leaves(data); bytes32(0) for empty data.
Hash tensor_root(BytesView data);

}  // namespace sigil::trace
