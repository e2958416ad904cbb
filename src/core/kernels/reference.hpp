#pragma once
/// The scalar reference of every op: one output element from its operands (docs/ops.md). This is
/// the rule the on-chain one-step verifier mirrors; fast paths must agree with it bit for bit.

#include <cstdint>
#include <span>

#include "core/bytes.hpp"
#include "core/ir/program.hpp"
#include "core/kernels/operand.hpp"

namespace sigil::kernels {

/// Output element `index` (row-major) of `op`, whose operands are `in` (in op.inputs order) and
/// whose output descriptor is `out`. Preconditions: the op validated (ir::validate) against these
/// descriptors; index < element count of out. Reads only the operand elements the element depends on.
std::int32_t reference_element(const ir::Op& op, std::span<const Operand> in, const ir::Tensor& out,
                               std::uint64_t index);

/// The whole output (canonical layout) by reference_element over every index. Slow; for tests
/// and differential checks.
Bytes reference_run(const ir::Op& op, std::span<const Operand> in, const ir::Tensor& out);

}  // namespace sigil::kernels
