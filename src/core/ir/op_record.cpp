#include "core/ir/op_record.hpp"

#include "core/ir/codec.hpp"
#include "core/ir/detail/wire.hpp"
#include "core/ir/validate.hpp"

namespace sigil::ir {

std::uint64_t requant_channel(OpKind kind, const std::vector<std::uint32_t>& out_shape, std::uint64_t element) {
    if (kind == OpKind::conv2d) return element / (std::uint64_t{out_shape[2]} * out_shape[3]) % out_shape[1];
    return element % out_shape[1];
}

Bytes encode_op_record(const Program& p, std::size_t i) {
    const Op& op = p.ops[i];
    Bytes out;
    detail::Writer w{out};
    detail::write_op(w, op, detail::Lists::compact);
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
        detail::write_desc(w, t, detail::Lists::compact);
        w.u32(t.kind == TensorKind::activation ? producer[id] : ordinal[id]);
    }
    detail::write_desc(w, p.tensors[op.output], detail::Lists::compact);
    return out;
}

namespace {

/// The descriptor as validate_tensor and validate_op_types see it: a rooted scale list must have
/// one entry per element of the channel axis (as validate_tensor wants of a list of more than
/// one); it is checked here and then stands in as no list at all.
Result<Tensor, ProgramError> checked_desc(const Tensor& t, const std::optional<ScaleRoot>& root) {
    Tensor c = t;
    if (root) {
        if (t.quant.axis >= t.shape.size() || root->count != t.shape[t.quant.axis]) {
            return fail(ProgramError::bad_quant_axis);
        }
        c.quant.axis = 0;
    }
    return c;
}

}  // namespace

Result<OpRecord, ProgramError> decode_op_record(BytesView bytes) {
    detail::Reader r{bytes};
    OpRecord rec;
    rec.op = SIGIL_TRY(detail::read_compact_op(r, rec.requant_root));
    rec.step_count = SIGIL_TRY(r.u32());
    rec.input_count = SIGIL_TRY(r.u32());
    rec.weight_count = SIGIL_TRY(r.u32());
    if (rec.step_count == 0 || rec.step_count > kMaxOps) return fail(ProgramError::too_many_ops);
    if (rec.input_count > kMaxTensors || rec.weight_count > kMaxTensors) return fail(ProgramError::too_many_tensors);
    // Descriptors become tensors 0..n-1 of a data-free program; the output is tensor n.
    Program p;
    for (std::size_t i = 0; i < rec.op.inputs.size(); ++i) {
        std::optional<ScaleRoot> root;
        Tensor t = SIGIL_TRY(detail::read_compact_desc(r, root));
        const auto loc = SIGIL_TRY(r.u32());
        Tensor check = SIGIL_TRY(checked_desc(t, root));
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
        check.kind = t.kind;
        p.tensors.push_back(std::move(check));
        rec.operands.push_back(std::move(t));
        rec.operand_scale_roots.push_back(root);
        rec.locators.push_back(loc);
        rec.op.inputs[i] = static_cast<TensorId>(i);
    }
    rec.output = SIGIL_TRY(detail::read_compact_desc(r, rec.output_scale_root));
    if (r.pos != bytes.size()) return fail(ProgramError::trailing_bytes);
    Tensor out = SIGIL_TRY(checked_desc(rec.output, rec.output_scale_root));
    SIGIL_TRY_VOID(validate_tensor(out));
    if (rec.output.kind != TensorKind::activation) return fail(ProgramError::bad_op_output);
    p.tensors.push_back(std::move(out));
    Op op = rec.op;
    op.output = static_cast<TensorId>(rec.operands.size());
    if (rec.requant_root) {
        // One entry per output channel of a fully_connected or conv2d (w's first dim); checked
        // against a single entry, which the op accepts as well.
        if ((op.kind != OpKind::fully_connected && op.kind != OpKind::conv2d) || rec.operands.size() < 2 ||
            rec.requant_root->count != rec.operands[1].shape[0]) {
            return fail(ProgramError::bad_requant_count);
        }
        op.attrs.requant = {QScale::identity()};
    }
    SIGIL_TRY_VOID(validate_op_types(p, op));
    // A rooted list has more than one entry: data movement keeps per-tensor quantization only, and
    // an op that keeps its input's quantization keeps the same root.
    const bool rooted_in = !rec.operand_scale_roots.empty() && rec.operand_scale_roots[0].has_value();
    if (rooted_in || rec.output_scale_root) {
        if (keeps_dtype(op.kind)) return fail(ProgramError::quant_mismatch);
        if (keeps_quant(op.kind) && (rec.operand_scale_roots[0] != rec.output_scale_root ||
                                     rec.operands[0].quant.axis != rec.output.quant.axis)) {
            return fail(ProgramError::quant_mismatch);
        }
    }
    return rec;
}

}  // namespace sigil::ir
