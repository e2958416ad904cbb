#include "core/ir/validate.hpp"

#include <algorithm>
#include <set>

namespace sigil::ir {
namespace {

bool valid_dtype(DType t) { return t == DType::int8 || t == DType::int32; }
bool valid_kind(TensorKind k) {
    return k == TensorKind::input || k == TensorKind::constant || k == TensorKind::activation;
}

Result<void, ProgramError> validate_op(const Program& p, std::size_t index, std::vector<bool>& produced) {
    const Op& op = p.ops[index];
    if (op.output >= p.tensors.size()) return fail(ProgramError::tensor_id_out_of_range);
    SIGIL_TRY_VOID(validate_op_types(p, op));
    for (auto id : op.inputs) {
        const auto kind = p.tensors[id].kind;
        if (kind == TensorKind::activation && !produced[id]) return fail(ProgramError::not_topological);
    }
    if (p.tensors[op.output].kind != TensorKind::activation || produced[op.output]) {
        return fail(ProgramError::bad_op_output);
    }
    produced[op.output] = true;
    return {};
}

Result<void, ProgramError> validate_lists(const Program& p) {
    std::vector<TensorId> want;
    for (std::size_t i = 0; i < p.tensors.size(); ++i) {
        if (p.tensors[i].kind == TensorKind::input) want.push_back(static_cast<TensorId>(i));
    }
    if (p.inputs != want) return fail(ProgramError::bad_input_list);
    if (p.outputs.empty() || p.outputs.size() > p.tensors.size()) return fail(ProgramError::bad_output_list);
    std::set<TensorId> seen;
    for (auto id : p.outputs) {
        if (id >= p.tensors.size()) return fail(ProgramError::tensor_id_out_of_range);
        if (p.tensors[id].kind == TensorKind::constant || !seen.insert(id).second) {
            return fail(ProgramError::bad_output_list);
        }
    }
    return {};
}

}  // namespace

/// Ops whose output must carry exactly the quantization of their first input.
bool keeps_quant(OpKind k) {
    switch (k) {
        case OpKind::clip:
        case OpKind::max_pool:
        case OpKind::average_pool:
        case OpKind::global_average_pool:
        case OpKind::reshape:
        case OpKind::transpose:
        case OpKind::concat:
        case OpKind::cache_write:
        case OpKind::gather:
            return true;
        default:
            return false;
    }
}

/// Ops whose output has the dtype of their first input (the rest produce int8).
bool keeps_dtype(OpKind k) {
    return k == OpKind::reshape || k == OpKind::transpose || k == OpKind::concat || k == OpKind::gather ||
           k == OpKind::cache_write;
}

Result<void, ProgramError> validate_op_types(const Program& p, const Op& op) {
    if (op.output >= p.tensors.size()) return fail(ProgramError::tensor_id_out_of_range);
    const Tensor& out = p.tensors[op.output];
    const auto shape = SIGIL_TRY(infer_output_shape(p, op, out.shape));
    const Tensor& first = p.tensors[op.inputs[0]];
    // fully_connected alone may also write int32 (wide logits, docs/ops.md §2).
    const bool wide = op.kind == OpKind::fully_connected && out.dtype == DType::int32;
    const DType want = keeps_dtype(op.kind) ? first.dtype : (wide ? DType::int32 : DType::int8);
    if (out.dtype != want) return fail(ProgramError::dtype_mismatch);
    if (op.kind == OpKind::fully_connected && !wide && (op.attrs.act_min < -128 || op.attrs.act_max > 127))
        return fail(ProgramError::bad_attribute);
    if (out.shape != shape) return fail(ProgramError::shape_mismatch);
    if (keeps_quant(op.kind) && !(out.quant == first.quant)) return fail(ProgramError::quant_mismatch);
    if (keeps_dtype(op.kind) && first.quant.scales.size() > 1) {
        return fail(ProgramError::quant_mismatch);  // data movement keeps per-tensor quantization only
    }
    if ((op.kind == OpKind::softmax || op.kind == OpKind::causal_softmax) && out.quant.zero_point != -128)
        return fail(ProgramError::quant_mismatch);
    return {};
}

Result<void, ProgramError> validate_tensor(const Tensor& t) {
    if (!valid_dtype(t.dtype)) return fail(ProgramError::bad_dtype);
    if (!valid_kind(t.kind)) return fail(ProgramError::bad_tensor_kind);
    if (t.shape.empty() || t.shape.size() > kMaxRank) return fail(ProgramError::bad_rank);
    std::uint64_t n = 1;
    for (auto d : t.shape) {
        if (d == 0) return fail(ProgramError::zero_dim);
        n *= d;
        if (n > kMaxElements) return fail(ProgramError::too_many_elements);
    }
    const auto& q = t.quant;
    if (t.dtype == DType::int8 ? (q.zero_point < -128 || q.zero_point > 127) : q.zero_point != 0) {
        return fail(ProgramError::bad_zero_point);
    }
    for (const auto& s : q.scales) {
        if (s.multiplier < 0 || s.shift < -31 || s.shift > 31) return fail(ProgramError::bad_scale);
    }
    if (q.scales.size() > 1) {
        if (q.axis >= t.shape.size() || q.scales.size() != t.shape[q.axis]) return fail(ProgramError::bad_quant_axis);
    } else if (q.axis != 0) {
        return fail(ProgramError::bad_quant_axis);
    }
    if (t.kind == TensorKind::constant) {
        if (t.data.size() != byte_size(t)) return fail(ProgramError::constant_size_mismatch);
    } else if (!t.data.empty()) {
        return fail(ProgramError::data_on_non_constant);
    }
    return {};
}

Result<void, ProgramError> validate(const Program& p) {
    if (p.tensors.size() > kMaxTensors) return fail(ProgramError::too_many_tensors);
    if (p.ops.empty() || p.ops.size() > kMaxOps) return fail(ProgramError::too_many_ops);
    for (const auto& t : p.tensors) SIGIL_TRY_VOID(validate_tensor(t));
    SIGIL_TRY_VOID(validate_lists(p));
    std::vector<bool> produced(p.tensors.size(), false);
    for (std::size_t i = 0; i < p.ops.size(); ++i) SIGIL_TRY_VOID(validate_op(p, i, produced));
    for (std::size_t i = 0; i < p.tensors.size(); ++i) {
        if (p.tensors[i].kind == TensorKind::activation && !produced[i]) return fail(ProgramError::unproduced_activation);
    }
    return {};
}

}  // namespace sigil::ir
