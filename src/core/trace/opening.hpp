#pragma once
/// Openings: Merkle proofs that chunks of a tensor belong to an execution state S_k or to modelRoot
/// (docs/commitments.md §openings).

#include <cstdint>
#include <vector>

#include "core/bytes.hpp"
#include "core/ir/model_root.hpp"
#include "core/ir/scale_root.hpp"
#include "core/trace/state.hpp"

namespace sigil::trace {

/// One chunk and its siblings up to its tensor root.
struct ChunkProof {
    std::uint64_t index = 0;
    Hash chunk{};
    std::vector<Hash> siblings;
    friend bool operator==(const ChunkProof&, const ChunkProof&) = default;
};

/// Where an opened tensor is committed.
enum class TensorSource : std::uint8_t {
    input = 0,    ///< a program input: leaf `position` of inputRoot, which is leaf 0 of S
    step = 1,     ///< the output of step `position` (1-based): leaf `position` of S
    weight = 2,   ///< constant number `position`: leaf 2 + position of modelRoot
    requant = 3,  ///< the op's rooted requant list (ir::ScaleRoot in its record); position 0, no paths
};

/// Chunks of one tensor with the path from its root up to the state or model root.
struct TensorOpening {
    TensorSource source = TensorSource::step;
    std::uint64_t position = 0;
    Hash tensor_root{};
    /// input: siblings of the tensor root in the inputRoot tree; otherwise empty.
    std::vector<Hash> inner_path;
    /// input/step: siblings in the state tree (N + 1 leaves); weight: siblings in modelRoot's tree.
    std::vector<Hash> outer_path;
    std::vector<ChunkProof> chunks;
    friend bool operator==(const TensorOpening&, const TensorOpening&) = default;
};

/// Chunks [first, last) of step j's output (1 <= j <= k <= N), proven against S_k.
/// Precondition: first < last <= chunk count of that output.
TensorOpening open_step_output(const ExecutionTrace& trace, std::size_t j, std::size_t k, std::uint64_t first,
                               std::uint64_t last);
/// The given chunks of operand tensor `t` of a step k op, proven against S_{k-1} (inputs and step
/// outputs) or modelRoot (constants).
TensorOpening open_operand(const ExecutionTrace& trace, const ir::ModelCommitment& model, ir::TensorId t,
                           std::size_t k, const std::vector<std::uint64_t>& chunks);

/// The chunk of `op`'s requant list holding output channel `channel`'s entry, proven against
/// the list's root (ir::scale_list_root). Precondition: the op has more than one requant entry.
TensorOpening open_requant(const ir::Op& op, std::uint64_t channel);

/// Checks `o` as an opening of the rooted requant list `list`: source requant, position 0, no
/// inner or outer path, its root, and every chunk's proof.
bool check_requant_opening(const TensorOpening& o, const ir::ScaleRoot& list) noexcept;

/// Checks `o` as an opening of a tensor of `byte_size` bytes at (source, position) against
/// `state` (S with `steps` + 1 leaves, inputs under an inputRoot of `input_count` leaves) or
/// `model_root` (2 + `weight_count` leaves). True when every proof holds.
bool check_opening(const TensorOpening& o, std::uint64_t byte_size, const Hash& state, std::size_t steps,
                   std::size_t input_count, const Hash& model_root, std::size_t weight_count) noexcept;

}  // namespace sigil::trace
