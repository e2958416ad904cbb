#pragma once
/// Generates valid one-op programs with random shapes, attributes and data, for the differential
/// tests and fuzzers. Pure: every choice is drawn from the caller's ChoiceSource.

#include <cstdint>
#include <functional>

#include "core/ir/program.hpp"

namespace sigil::kernels::gen {

/// Draws integers in [lo, hi] (inclusive). Implementations: a seeded RNG (tests), fuzz bytes.
using ChoiceSource = std::function<std::int64_t(std::int64_t lo, std::int64_t hi)>;

/// A one-op program: every non-weight operand is a program input. `inputs` holds their canonical
/// bytes in Program::inputs order. The program validates.
struct OpCase {
    ir::Program program;
    std::vector<Bytes> inputs;
};

/// A random case of `kind`.
OpCase random_op(ir::OpKind kind, const ChoiceSource& pick);
/// A random case of a random kind.
OpCase random_op(const ChoiceSource& pick);

/// Appends clip(y) and concat(y, clip(y)) on axis 0 after the first op (output y), so that
/// steps 2 and 3 read earlier steps' outputs; the program's output becomes the concat. Leaves the
/// program as it is unless y is an int8 tensor with at most one quantization scale.
void append_clip_concat(ir::Program& p);

}  // namespace sigil::kernels::gen
