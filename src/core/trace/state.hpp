#pragma once
/// Execution states (docs/commitments.md §states).
///
///   inputRoot = merkle_root(tensor roots of the program inputs, in Program::inputs order)
///   out_i     = tensor root of op i's output (i = 1..N)
///   S_i       = merkle_root([inputRoot, out_1, ..., out_i, 0, ..., 0])   (N + 1 leaves)
///
/// S_0 commits to the input alone; S_N to the whole run. Agreeing on S_i means agreeing on every
/// earlier output.

#include <cstdint>
#include <span>
#include <vector>

#include "core/bytes.hpp"
#include "core/ir/program.hpp"

namespace sigil::trace {

/// merkle_root over the input tensor roots.
Hash input_root(std::span<const Hash> input_tensor_roots);

/// The N + 1 leaves of S_i. Precondition: i <= out_roots.size() == N.
std::vector<Hash> state_leaves(const Hash& input_root, std::span<const Hash> out_roots, std::size_t i);
/// S_i.
Hash state_root(const Hash& input_root, std::span<const Hash> out_roots, std::size_t i);

/// The committed values of one run: every non-constant tensor's bytes and every step's root.
/// Immutable after construction; safe to share between threads for reading.
class ExecutionTrace {
public:
    /// `values[t]` holds tensor t's canonical bytes for inputs and activations (constants may be
    /// empty; they are read from `program`). Preconditions: program validated, values complete.
    /// Computes every tensor root (this is the commitment cost of a run).
    ExecutionTrace(const ir::Program& program, std::vector<Bytes> values);
    /// As above with the tensor roots already computed (e.g. in parallel): `input_roots` in
    /// Program::inputs order, `output_roots` per op. Precondition: they are the tensor roots of
    /// `values`.
    ExecutionTrace(const ir::Program& program, std::vector<Bytes> values, std::vector<Hash> input_roots,
                   std::vector<Hash> output_roots);

    const ir::Program& program() const noexcept { return *program_; }
    std::size_t steps() const noexcept { return out_roots_.size(); }
    const Hash& input_root() const noexcept { return input_root_; }
    const std::vector<Hash>& input_roots() const noexcept { return input_roots_; }
    /// out_i for i in 1..N.
    const Hash& output_root(std::size_t i) const noexcept { return out_roots_[i - 1]; }
    const std::vector<Hash>& output_roots() const noexcept { return out_roots_; }
    /// S_i for i in 0..N.
    Hash state(std::size_t i) const { return state_root(input_root_, out_roots_, i); }
    /// Bytes of tensor `t` (constants from the program).
    BytesView tensor(ir::TensorId t) const noexcept;

private:
    const ir::Program* program_;
    std::vector<Bytes> values_;
    std::vector<Hash> input_roots_;
    Hash input_root_{};
    std::vector<Hash> out_roots_;
};

}  // namespace sigil::trace
