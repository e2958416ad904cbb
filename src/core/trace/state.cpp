#include "core/trace/state.hpp"

#include "core/merkle.hpp"
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
    for (auto id : program.inputs) input_roots_.push_back(tensor_root(values_[id]));
    input_root_ = trace::input_root(input_roots_);
    for (const auto& op : program.ops) out_roots_.push_back(tensor_root(values_[op.output]));
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
