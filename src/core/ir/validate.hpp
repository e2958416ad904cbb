#pragma once
/// Structural and per-op validation of a program, shared by the builder and the loader.

#include <vector>

#include "core/ir/errors.hpp"
#include "core/ir/program.hpp"
#include "core/result.hpp"

namespace sigil::ir {

/// Output shape of `op` given the tensors it reads (which must exist). reshape returns
/// `reshape_to` when its element count matches. Checks operand dtypes, shapes and attributes.
Result<std::vector<std::uint32_t>, ProgramError> infer_output_shape(const Program& p, const Op& op,
                                                                    const std::vector<std::uint32_t>& reshape_to);

/// Checks every invariant of program.hpp and every op's rule preconditions (docs/ops.md).
/// A program that passes can be executed without any further checks.
Result<void, ProgramError> validate(const Program& p);

/// Checks `op` against the descriptors of its operands and output: arity, dtypes, shapes,
/// quantization and attributes (everything but topological order and data).
Result<void, ProgramError> validate_op_types(const Program& p, const Op& op);

/// Ops whose output must carry exactly the quantization of their first input.
bool keeps_quant(OpKind k);
/// Ops whose output has the dtype of their first input (the rest produce int8, or int32 for a
/// wide fully_connected).
bool keeps_dtype(OpKind k);

/// Checks one tensor descriptor on its own (dtype, rank, dims, quant, data size).
Result<void, ProgramError> validate_tensor(const Tensor& t);

}  // namespace sigil::ir
