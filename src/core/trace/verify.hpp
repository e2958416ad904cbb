#pragma once
/// One-step verification: recompute one output element of op k from opened operand chunks only,
/// checking every opening against S_{k-1} and modelRoot (docs/commitments.md). The Solidity one-step
/// verifier mirrors verify_element.

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/ir/model_root.hpp"
#include "core/result.hpp"
#include "core/trace/opening.hpp"
#include "core/trace/state.hpp"

namespace sigil::trace {

/// Every way an element proof can be refused. Strings are stable.
enum class VerifyError {
    bad_op_record,         ///< the op record does not decode or its op is invalid
    op_not_in_model,       ///< the op record is not leaf k-1 of the op table under modelRoot
    bad_step,              ///< k is 0 or above the record's step count
    element_out_of_range,  ///< the element index is outside the output
    operand_count,         ///< not one opening per op input
    wrong_source,          ///< an opening's source or position differs from the record's locator
    bad_opening,           ///< a Merkle proof does not verify
    slice_not_opened,      ///< the rule read a chunk no opening supplied
    value_mismatch,        ///< the recomputed element differs from the claimed value
};
std::string_view to_string(VerifyError e) noexcept;

/// Everything needed to recompute element `element` of step `step`'s output.
struct ElementProof {
    std::uint64_t step = 0;  ///< k, 1-based
    std::uint64_t element = 0;
    Bytes op_record;                     ///< ir::encode_op_record of op k
    std::vector<Hash> op_path;           ///< op leaf up to the op table root (N leaves)
    std::vector<Hash> op_table_path;     ///< op table root up to modelRoot (leaf 1 of 2 + W)
    std::vector<TensorOpening> operands; ///< one per op input, in order
    friend bool operator==(const ElementProof&, const ElementProof&) = default;
};

/// Chunk indices of each operand of step k that output element `element` depends on (exactly
/// the chunks its reference rule reads).
std::vector<std::vector<std::uint64_t>> element_slice(const ExecutionTrace& trace, std::size_t k,
                                                      std::uint64_t element);

/// The honest proof for element `element` of step k. Preconditions: 1 <= k <= N, element in range.
ElementProof prove_element(const ExecutionTrace& trace, const ir::ModelCommitment& model, std::size_t k,
                           std::uint64_t element);

/// Checks every proof in `proof` against `model_root` and `state_prev` (S_{k-1}) and recomputes the
/// element from the opened chunks only.
Result<std::int32_t, VerifyError> recompute_element(const Hash& model_root, const Hash& state_prev,
                                                    const ElementProof& proof);

/// recompute_element, then compares with `claimed`.
Result<void, VerifyError> verify_element(const Hash& model_root, const Hash& state_prev, const ElementProof& proof,
                                         std::int32_t claimed);

}  // namespace sigil::trace
