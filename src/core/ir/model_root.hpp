#pragma once
/// modelRoot: the commitment to a program and its weights (docs/commitments.md).
///
///   header leaf   = keccak256(magic | version | tensor table | input ids | output ids)
///   op leaf i     = keccak256(encode_op_record(p, i))   (core/ir/op_record.hpp)
///   opTableRoot   = merkle_root(op leaves)
///   weight root j = tensor_root of the j-th constant tensor (in id order)
///   modelRoot     = merkle_root([header leaf, opTableRoot, weight root 0, ..., weight root W-1])

#include <vector>

#include "core/bytes.hpp"
#include "core/ir/program.hpp"

namespace sigil::ir {

/// The header bytes hashed into the header leaf.
Bytes encode_header(const Program& p);
/// keccak256(encode_op_record(p, i)) (core/ir/op_record.hpp).
Hash op_leaf(const Program& p, std::size_t i);
/// Ordinal of each constant tensor among the constants (in id order), or -1 for non-constants.
std::vector<std::int64_t> constant_ordinals(const Program& p);

/// Every piece of the commitment, kept for proofs.
struct ModelCommitment {
    Hash header_leaf{};
    std::vector<Hash> op_leaves;
    Hash op_table_root{};
    std::vector<Hash> weight_roots;
    std::vector<Hash> leaves;  ///< [header_leaf, op_table_root, weight roots...]
    Hash root{};
};
/// Computes the commitment. Precondition: validate(p) succeeded.
ModelCommitment commit_model(const Program& p);
/// commit_model(p).root.
Hash model_root(const Program& p);

}  // namespace sigil::ir
