#include "core/ir/op_record.hpp"

#include "core/ir/codec.hpp"
#include "core/ir/detail/wire.hpp"
#include "core/ir/validate.hpp"

namespace sigil::ir {

Bytes encode_op_record(const Program& p, std::size_t i) {
    const Op& op = p.ops[i];
    Bytes out = encode_op(op);
    detail::Writer w{out};
    std::uint32_t weights = 0;
    std::vector<std::uint32_t> ordinal(p.tensors.size(), 0), producer(p.tensors.size(), 0);
    for (std::size_t t = 0; t < p.tensors.size(); ++t) {
        if (p.tensors[t].kind == TensorKind::constant) ordinal[t] = weights++;
    }
    for (std::size_t k = 0; k < p.inputs.size(); ++k) ordinal[p.inputs[k]] = static_cast<std::uint32_t>(k);
    for (std::size_t s = 0; s < p.ops.size(); ++s) producer[p.ops[s].output] = static_cast<std::uint32_t>(s + 1);
    w.u32(static_cast<std::uint32_t>(p.ops.size()));
    w.u32(static_cast<std::uint32_t>(p.inputs.size()));
    w.u32(weights);
    for (auto id : op.inputs) {
        const Tensor& t = p.tensors[id];
        detail::write_desc(w, t);
        w.u32(t.kind == TensorKind::activation ? producer[id] : ordinal[id]);
    }
    detail::write_desc(w, p.tensors[op.output]);
    return out;
}

Result<OpRecord, ProgramError> decode_op_record(BytesView bytes) {
    detail::Reader r{bytes};
    OpRecord rec;
    rec.op = SIGIL_TRY(detail::read_op(r));
    rec.step_count = SIGIL_TRY(r.u32());
    rec.input_count = SIGIL_TRY(r.u32());
    rec.weight_count = SIGIL_TRY(r.u32());
    if (rec.step_count == 0 || rec.step_count > kMaxOps) return fail(ProgramError::too_many_ops);
    if (rec.input_count > kMaxTensors || rec.weight_count > kMaxTensors) return fail(ProgramError::too_many_tensors);
    // Descriptors become tensors 0..n-1 of a data-free program; the output is tensor n.
    Program p;
    for (std::size_t i = 0; i < rec.op.inputs.size(); ++i) {
        Tensor t = SIGIL_TRY(detail::read_desc(r));
        const auto loc = SIGIL_TRY(r.u32());
        Tensor check = t;
        check.kind = TensorKind::input;  // validate_tensor would want a constant's data
        SIGIL_TRY_VOID(validate_tensor(check));
        if (!(t.kind == TensorKind::input || t.kind == TensorKind::constant || t.kind == TensorKind::activation)) {
            return fail(ProgramError::bad_tensor_kind);
        }
        const std::uint32_t bound = t.kind == TensorKind::input      ? rec.input_count
                                    : t.kind == TensorKind::constant ? rec.weight_count
                                                                     : rec.step_count;
        if (t.kind == TensorKind::activation ? (loc == 0 || loc > bound) : loc >= bound) {
            return fail(ProgramError::tensor_id_out_of_range);
        }
        rec.operands.push_back(t);
        rec.locators.push_back(loc);
        p.tensors.push_back(std::move(t));
        rec.op.inputs[i] = static_cast<TensorId>(i);
    }
    rec.output = SIGIL_TRY(detail::read_desc(r));
    if (r.pos != bytes.size()) return fail(ProgramError::trailing_bytes);
    SIGIL_TRY_VOID(validate_tensor(rec.output));
    if (rec.output.kind != TensorKind::activation) return fail(ProgramError::bad_op_output);
    p.tensors.push_back(rec.output);
    Op op = rec.op;
    op.output = static_cast<TensorId>(rec.operands.size());
    SIGIL_TRY_VOID(validate_op_types(p, op));
    return rec;
}

}  // namespace sigil::ir
