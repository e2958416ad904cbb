#include "core/kernels/program_run.hpp"

#include "core/kernels/reference.hpp"

namespace sigil::kernels {

std::string_view to_string(RunError e) noexcept {
    switch (e) {
        case RunError::input_count: return "input_count";
        case RunError::input_size: return "input_size";
    }
    return "unknown";
}

Result<void, RunError> check_inputs(const ir::Program& p, std::span<const Bytes> inputs) {
    if (inputs.size() != p.inputs.size()) return fail(RunError::input_count);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (inputs[i].size() != ir::byte_size(p.tensors[p.inputs[i]])) return fail(RunError::input_size);
    }
    return {};
}

OpIO op_io(const ir::Program& p, std::size_t i, std::vector<Bytes>& values) {
    const auto& op = p.ops[i];
    OpIO io;
    io.op = &op;
    for (auto id : op.inputs) {
        const auto& t = p.tensors[id];
        io.in_desc.push_back(&t);
        io.in.emplace_back(t.kind == ir::TensorKind::constant ? BytesView(t.data) : BytesView(values[id]));
    }
    io.out_desc = &p.tensors[op.output];
    io.out = values[op.output];
    return io;
}

Result<std::vector<Bytes>, RunError> run_program(const ir::Program& p, std::span<const Bytes> inputs, Path path,
                                                 Simd simd) {
    SIGIL_TRY_VOID(check_inputs(p, inputs));
    std::vector<Bytes> values(p.tensors.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) values[p.inputs[i]] = inputs[i];
    for (std::size_t i = 0; i < p.ops.size(); ++i) {
        const auto& op = p.ops[i];
        values[op.output].assign(static_cast<std::size_t>(ir::byte_size(p.tensors[op.output])), 0);
        const OpIO io = op_io(p, i, values);
        if (path == Path::fast) {
            run_items(io, 0, work_items(io), simd);
        } else {
            std::vector<Operand> ins;
            for (std::size_t k = 0; k < io.in.size(); ++k) ins.emplace_back(*io.in_desc[k], io.in[k]);
            values[op.output] = reference_run(op, ins, *io.out_desc);
        }
    }
    return values;
}

}  // namespace sigil::kernels
