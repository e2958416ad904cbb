#include "core/trace/state.hpp"

#include "core/merkle.hpp"
#include "core/merkle_fold.hpp"
#include "core/trace/chunks.hpp"

namespace sigil::trace {

Hash input_root(std::span<const Hash> input_tensor_roots) { return merkle_root(input_tensor_roots); }

std::vector<Hash> state_leaves(const Hash& input_root, std::span<const Hash> out_roots, std::size_t i) {
    std::vector<Hash> leaves(out_roots.size() + 1, Hash{});
    leaves[0] = input_root;
    for (std::size_t k = 0; k < i; ++k) leaves[k + 1] = out_roots[k];
    return leaves;
}

Hash state_root(const Hash& input_root, std::span<const Hash> out_roots, std::size_t i) {
    return merkle_root(state_leaves(input_root, out_roots, i));
}

ExecutionTrace::ExecutionTrace(const ir::Program& program, std::vector<Bytes> values)
    : program_(&program), values_(std::move(values)) {
    // All inputs and outputs in one batched call: small tensors share SIMD permutations.
    std::vector<BytesView> views;
    for (auto id : program.inputs) views.emplace_back(values_[id]);
    for (const auto& op : program.ops) views.emplace_back(values_[op.output]);
    std::vector<Hash> roots = tensor_roots(views, keccak_best_path());
    const auto inputs = static_cast<std::ptrdiff_t>(program.inputs.size());
    input_roots_.assign(roots.begin(), roots.begin() + inputs);
    input_root_ = trace::input_root(input_roots_);
    out_roots_.assign(roots.begin() + inputs, roots.end());
}

ExecutionTrace::ExecutionTrace(const ir::Program& program, std::vector<Bytes> values, std::vector<Hash> input_roots,
                               std::vector<Hash> output_roots)
    : program_(&program),
      values_(std::move(values)),
      input_roots_(std::move(input_roots)),
      input_root_(trace::input_root(input_roots_)),
      out_roots_(std::move(output_roots)) {}

BytesView ExecutionTrace::tensor(ir::TensorId t) const noexcept {
    const auto& desc = program_->tensors[t];
    return desc.kind == ir::TensorKind::constant ? BytesView(desc.data) : BytesView(values_[t]);
}

}  // namespace sigil::trace
