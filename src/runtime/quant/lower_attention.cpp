// Attention in integers: the causal masks PyTorch's exports apply before Softmax, Neg and Concat
// (rotary embeddings' rotate_half) and Div by a constant (scores / sqrt(head_dim)).
//
// GPT-2's masked_fill exports as Where(cond, -inf, scores) with a constant cond (after the graph
// is specialized to its prompt length); Llama's additive mask as Add(scores, mask) with a constant
// mask of 0 and -inf. When the masked value's only reader is a last-axis Softmax and the masked
// positions are exactly the causal ones (key j hidden from query i when j > i + K - Q), the two
// nodes lower to one causal_softmax over the unmasked scores (docs/ops.md §19). Any other mask is
// refused by name: a padding mask or a sliding window would need rules of their own.
#include <algorithm>
#include <cmath>

#include "runtime/quant/detail/lower.hpp"

namespace sigil::runtime::detail {

namespace {

/// A float value that hides a key: -inf, or at most -10^4 (exp of it underflows float32 softmax).
bool hides(double v) { return v <= -1e4; }

/// Whether `masked(e)` over a constant of `shape` is the causal pattern of scores `[.., Q, K]`:
/// every leading dim 1, the last two (Q, K), and e hidden exactly when j > i + K - Q.
template <typename Masked>
bool causal(const Shape& shape, const Shape& scores, Masked masked) {
    if (shape.size() < 2 || scores.size() < 2) return false;
    const std::int64_t q = scores[scores.size() - 2], k = scores.back();
    if (shape[shape.size() - 2] != q || shape.back() != k || q > k) return false;
    for (std::size_t d = 0; d + 2 < shape.size(); ++d)
        if (shape[d] != 1) return false;
    for (std::int64_t i = 0; i < q; ++i)
        for (std::int64_t j = 0; j < k; ++j)
            if (masked(static_cast<std::size_t>(i * k + j)) != (j > i + k - q)) return false;
    return true;
}

/// The Softmax reading `value` alone over its last axis, if there is one.
std::optional<std::size_t> last_axis_softmax(const Lowerer& L, const std::string& value, std::size_t rank) {
    const auto u = L.sole_user(value);
    if (!u) return std::nullopt;
    const OnnxNode& s = L.model().nodes[*u];
    const std::int64_t axis = s.int_or("axis", -1);
    if (s.op_type != "Softmax" || (axis != -1 && axis != static_cast<std::int64_t>(rank) - 1)) return std::nullopt;
    return u;
}

/// causal_softmax(scores) defining the output of Softmax node `softmax`.
Result<void, QuantError> emit_causal_softmax(Lowerer& L, std::size_t softmax, const QValue& scores) {
    L.mark_fused(softmax);
    return emit_softmax(L, ir::OpKind::causal_softmax, scores, L.model().nodes[softmax].outputs[0]);
}

bool scalar_hiding(const Tensor* t) { return t && t->numel() == 1 && hides(static_cast<double>(t->f()[0])); }

}  // namespace

Result<void, QuantError> lower_where(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    const auto refuse = [&](const std::string& why) { return fail(qerr(QuantErrc::unsupported_op, n, why)); };
    if (n.inputs.size() != 3) return refuse("needs three inputs");
    const Tensor* cond = L.any_constant(n.inputs[0]);
    if (!cond || cond->dtype != DType::Bool) return refuse("only a constant condition (a mask) lowers");
    // Where(cond, fill, scores) hides where cond holds; Where(cond, scores, fill) where it does not.
    const bool fill_first = scalar_hiding(L.constant(n.inputs[1]));
    if (!fill_first && !scalar_hiding(L.constant(n.inputs[2])))
        return refuse("only a mask filling -inf (or <= -1e4) before a Softmax lowers");
    const std::string& scores = n.inputs[fill_first ? 2 : 1];
    const QValue x = SIGIL_TRY(L.act(scores, n));
    const auto softmax = last_axis_softmax(L, n.outputs[0], x.shape.size());
    if (!softmax) return refuse("the masked scores must feed a last-axis Softmax alone");
    const auto& c = cond->vec<char>();
    if (!causal(cond->shape, x.shape, [&](std::size_t e) { return (c[e] != 0) == fill_first; }))
        return refuse("the mask is not causal (key j hidden from query i exactly when j > i + K - Q)");
    return emit_causal_softmax(L, *softmax, x);
}

std::optional<Result<void, QuantError>> lower_mask_add(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    if (n.op_type != "Add" || n.inputs.size() != 2) return std::nullopt;
    const bool mask_second = L.constant(n.inputs[1]) != nullptr;
    const Tensor* mask = L.constant(n.inputs[mask_second ? 1 : 0]);
    if (!mask || mask->numel() < 2) return std::nullopt;
    const auto& m = mask->f();
    if (!std::any_of(m.begin(), m.end(), [](float v) { return hides(v); })) return std::nullopt;
    const std::string& scores = n.inputs[mask_second ? 0 : 1];
    auto x = L.act(scores, n);
    if (!x) return fail(x.error());
    const auto softmax = last_axis_softmax(L, n.outputs[0], x->shape.size());
    const bool zero_or_hide = std::all_of(m.begin(), m.end(), [](float v) { return v == 0.0f || hides(v); });
    if (!softmax || !zero_or_hide || !causal(mask->shape, x->shape, [&](std::size_t e) { return hides(m[e]); }))
        return fail(qerr(QuantErrc::unsupported_op, n,
                         "an additive mask lowers only as a causal mask of 0 and -inf before a last-axis Softmax"));
    return emit_causal_softmax(L, *softmax, *x);
}

// Neg: a mul by the constant -1 (scale 1), so the output takes its own calibrated range.
Result<void, QuantError> lower_neg(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    const QValue x = SIGIL_TRY(L.act(n.inputs[0], n));
    const OutSpec spec = SIGIL_TRY(L.out_spec(idx, n.outputs[0]));
    const auto one = SIGIL_TRY(Lowerer::qs(1.0, "Neg's constant"));
    const std::vector<std::int8_t> value{-1};
    const auto minus_one = L.b.constant_int8({1}, value, ir::Quant::per_tensor(0, one));
    const auto rq = SIGIL_TRY(Lowerer::qs(x.q.scale / spec.q.scale, "Neg requant"));
    L.define(spec, L.b.mul(x.id, minus_one, rq, SIGIL_TRY(Lowerer::act_quant(spec.q)), spec.clamp));
    return {};
}

// Concat of activations: each part is requantized to the output's calibrated quantization unless
// it has it already (concat keeps one quantization, docs/ops.md §14).
Result<void, QuantError> lower_concat(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    const AffineQ out = SIGIL_TRY(L.range_q(n.outputs[0]));
    const ir::Quant oq = SIGIL_TRY(Lowerer::act_quant(out));
    std::vector<ir::TensorId> parts;
    std::size_t rank = 0;
    for (const auto& in : n.inputs) {
        const QValue x = SIGIL_TRY(L.act(in, n));
        rank = x.shape.size();
        if (x.q.scale == out.scale && x.q.zero_point == out.zero_point) {
            parts.push_back(x.id);
            continue;
        }
        const auto rq = SIGIL_TRY(Lowerer::qs(x.q.scale / out.scale, "Concat part requant"));
        parts.push_back(L.b.requantize(x.id, rq, oq));
    }
    std::int64_t axis = n.int_or("axis", 0);
    if (axis < 0) axis += static_cast<std::int64_t>(rank);
    if (axis < 0 || axis >= static_cast<std::int64_t>(rank))
        return fail(qerr(QuantErrc::unsupported_attribute, n, "axis out of range"));
    L.define(n.outputs[0], QValue{L.b.concat(parts, static_cast<std::uint32_t>(axis)), out, SIGIL_TRY(L.shape_of(n.outputs[0]))});
    return {};
}

// Div of an activation by a positive scalar constant c: a requantize by s_x / (c s_out).
std::optional<Result<void, QuantError>> lower_div_by_constant(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    const Tensor* c = L.constant(n.inputs[1]);
    if (!c || c->numel() != 1 || !(c->f()[0] > 0.0f) || L.constant(n.inputs[0])) return std::nullopt;
    auto run = [&]() -> Result<void, QuantError> {
        const QValue x = SIGIL_TRY(L.act(n.inputs[0], n));
        const OutSpec spec = SIGIL_TRY(L.out_spec(idx, n.outputs[0]));
        const auto rq = SIGIL_TRY(Lowerer::qs(x.q.scale / (static_cast<double>(c->f()[0]) * spec.q.scale), "Div requant"));
        L.define(spec, L.b.requantize(x.id, rq, SIGIL_TRY(Lowerer::act_quant(spec.q)), spec.clamp));
        return {};
    };
    return run();
}

}  // namespace sigil::runtime::detail
