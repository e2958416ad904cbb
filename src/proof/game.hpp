#pragma once
/// The C++ side of the dispute game (contracts/src/avs/dispute/DisputeGame.sol): what an honest
/// party answers at each move, computed from its own stored trace. A defender and a challenger
/// are both a `Party` over their trace; the node's agents call these between reading the game's
/// events and sending the move.
///
/// Game shape (DisputeGame.sol): bisection over S_0..S_N with mid = (lo + hi) / 2 (the defender
/// posts S_mid, the challenger agrees or not) until hi = lo + 1 = k; the defender reveals out_k
/// (OutputReveal); descent of out_k's chunk tree from height depth(chunks) to 0 (the defender
/// reveals a node's children, the challenger picks the one it disputes); then the challenger
/// proves one element of the chunk (OneStepMove).

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "core/bytes.hpp"
#include "core/ir/model_root.hpp"
#include "core/trace/state.hpp"
#include "core/trace/verify.hpp"

namespace sigil::proof {

/// Root of the subtree at `height` levels above the leaves, number `index` in its level, of the
/// padded Merkle tree over `leaves` (core/merkle.hpp).
Hash subtree_root(std::span<const Hash> leaves, unsigned height, std::uint64_t index);

/// The defender's Reveal move: out_k, its siblings in the state tree (N + 1 leaves; the same
/// siblings prove leaf k = 0 under S_{k-1}), op k's record and its paths under modelRoot.
struct OutputReveal {
    Hash out_root{};
    std::vector<Hash> state_path;
    Bytes op_record;
    std::vector<Hash> op_path;
    std::vector<Hash> op_table_path;
};

/// The challenger's last move.
struct OneStepMove {
    enum class Kind : std::uint8_t {
        element,  ///< `proof` recomputes an element whose value differs from the defender's chunk
        padding,  ///< the defender's chunk has non-zero bytes past the end of the output
        none,     ///< the chunk is correct: nothing wins (`proof` is the chunk's first element)
    };
    Kind kind = Kind::none;
    trace::ElementProof proof;
};

/// One party's view: its trace and the model commitment. Holds references; both must outlive it.
class Party {
public:
    Party(const trace::ExecutionTrace& trace, const ir::ModelCommitment& model) : trace_(&trace), model_(&model) {}

    std::uint64_t steps() const noexcept { return trace_->steps(); }
    const Hash& model_root() const noexcept { return model_->root; }
    const trace::ExecutionTrace& trace() const noexcept { return *trace_; }
    /// S_i (0 <= i <= N): the defender's bisection answer for mid = i.
    Hash state(std::uint64_t i) const { return trace_->state(static_cast<std::size_t>(i)); }
    /// The challenger's answer to a posted S_i.
    bool agrees(std::uint64_t i, const Hash& posted) const { return state(i) == posted; }
    /// The first step whose state differs from `other_states[i]` (S_i of the other party), or
    /// nullopt when all agree. For checking a whole trace at once (a challenger deciding to open).
    std::optional<std::uint64_t> first_disagreement(std::span<const Hash> other_states) const;

    /// The defender's Reveal move for step k (1 <= k <= N).
    OutputReveal reveal_output(std::uint64_t k) const;
    /// Number of chunks of step k's output.
    std::uint64_t chunk_count(std::uint64_t k) const;
    /// The defender's Descend move: children of node (`height` levels above the chunks, `index`)
    /// of out_k's tree. Precondition: height >= 1.
    std::pair<Hash, Hash> children(std::uint64_t k, unsigned height, std::uint64_t index) const;
    /// The challenger's Descend move: true for the right child. It picks a child that differs from
    /// its own (left first); nullopt when both agree (it has nothing to dispute).
    std::optional<bool> pick(std::uint64_t k, unsigned height, std::uint64_t index, const Hash& left,
                             const Hash& right) const;
    /// Chunk `index` of out_k.
    Hash chunk(std::uint64_t k, std::uint64_t index) const;
    /// The challenger's OneStep move against the defender's chunk `index` of out_k.
    OneStepMove one_step(std::uint64_t k, std::uint64_t index, const Hash& defender_chunk) const;

private:
    std::vector<Hash> leaves(std::uint64_t k) const;
    const trace::ExecutionTrace* trace_;
    const ir::ModelCommitment* model_;
};

}  // namespace sigil::proof
