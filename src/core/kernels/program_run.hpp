#pragma once
/// Runs a whole program on one thread: the pure counterpart of runtime/exec's threaded executor,
/// used by tests and as the reference for it.

#include <span>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/ir/program.hpp"
#include "core/kernels/fast.hpp"
#include "core/result.hpp"

namespace sigil::kernels {

/// Why a run's inputs are refused. Strings are stable.
enum class RunError {
    input_count,  ///< not one buffer per program input
    input_size,   ///< a buffer's length differs from its tensor's canonical byte size
};
std::string_view to_string(RunError e) noexcept;

/// Which implementation computes each op.
enum class Path : std::uint8_t { reference = 0, fast = 1 };

/// Checks input buffers against the program's input descriptors.
Result<void, RunError> check_inputs(const ir::Program& p, std::span<const Bytes> inputs);

/// Every tensor's bytes after running `p` (constants left empty). Precondition: p validated.
Result<std::vector<Bytes>, RunError> run_program(const ir::Program& p, std::span<const Bytes> inputs, Path path,
                                                 Simd simd = Simd::scalar);

/// The OpIO of op `i` over `values` (constants from the program); `values[op.output]` must be sized.
OpIO op_io(const ir::Program& p, std::size_t i, std::vector<Bytes>& values);

}  // namespace sigil::kernels
