// Add and Mul (numpy broadcasting; a constant operand becomes a per-tensor int8 constant),
// Relu and Clip not fused into a preceding op.
//
// Add follows TFLite's integer add: both operands are shifted left by 20 bits and rescaled to
// a common scale 2*max(s_a, s_b), summed, then rescaled to the output:
//   rq_a = s_a / (2 max), rq_b = s_b / (2 max), rq_out = 2 max / (2^20 s_out).
// Mul: rq = s_a * s_b / s_out.
#include <algorithm>
#include <cmath>

#include "runtime/quant/detail/lower.hpp"

namespace sigil::runtime::detail {

namespace {

/// An operand of an elementwise op: a lowered activation or a constant quantized here.
Result<QValue, QuantError> operand(Lowerer& L, const OnnxNode& n, const std::string& name) {
    const Tensor* c = L.constant(name);
    if (!c) return L.act(name, n);
    const auto [mn, mx] = std::minmax_element(c->f().begin(), c->f().end());
    QValue v;
    v.q = c->f().empty() ? AffineQ{} : AffineQ::from_range(static_cast<double>(*mn), static_cast<double>(*mx));
    v.shape = c->shape;
    std::vector<std::int8_t> q;
    for (float f : c->f()) q.push_back(v.q.quantize(static_cast<double>(f)));
    const auto dims = SIGIL_TRY(ir_shape(c->shape, n));
    v.id = L.b.constant_int8(dims, q, SIGIL_TRY(Lowerer::act_quant(v.q)));
    return v;
}

}  // namespace

Result<void, QuantError> lower_add_mul(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    if (auto gelu = lower_tanh_gelu(L, idx)) return std::move(*gelu);
    if (auto masked = lower_mask_add(L, idx)) return std::move(*masked);
    const QValue a = SIGIL_TRY(operand(L, n, n.inputs[0]));
    const QValue b = SIGIL_TRY(operand(L, n, n.inputs[1]));
    const OutSpec spec = SIGIL_TRY(L.out_spec(idx, n.outputs[0]));
    const ir::Quant oq = SIGIL_TRY(Lowerer::act_quant(spec.q));
    if (n.op_type == "Mul") {
        const auto rq = SIGIL_TRY(Lowerer::qs(a.q.scale * b.q.scale / spec.q.scale, "requant s_a*s_b/s_out"));
        L.define(spec, L.b.mul(a.id, b.id, rq, oq, spec.clamp));
        return {};
    }
    const double twice_max = 2 * std::max(a.q.scale, b.q.scale);
    const auto rqa = SIGIL_TRY(Lowerer::qs(a.q.scale / twice_max, "add rq_a"));
    const auto rqb = SIGIL_TRY(Lowerer::qs(b.q.scale / twice_max, "add rq_b"));
    const auto rqo = SIGIL_TRY(Lowerer::qs(twice_max / (std::ldexp(1.0, 20) * spec.q.scale), "add rq_out"));
    L.define(spec, L.b.add(a.id, b.id, rqa, rqb, rqo, oq, spec.clamp));
    return {};
}

// Relu: clip to [zero_point, 127]. Clip: its constant bounds quantized with the input's scale.
// The output keeps the input's quantization.
Result<void, QuantError> lower_clip(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    const QValue x = SIGIL_TRY(L.act(n.inputs[0], n));
    ir::Clamp c{x.q.zero_point, 127};
    if (n.op_type == "Clip") {
        c = {-128, 127};
        for (std::size_t i : {1u, 2u}) {
            if (!n.has_input(i)) continue;
            const Tensor* t = L.constant(n.inputs[i]);
            if (!t || t->numel() != 1) return fail(qerr(QuantErrc::weight_not_constant, n, "bounds must be constants"));
            (i == 1 ? c.lo : c.hi) = x.q.quantize(static_cast<double>(t->f()[0]));
        }
    }
    L.define(n.outputs[0], QValue{L.b.clip(x.id, c), x.q, x.shape});
    return {};
}

}  // namespace sigil::runtime::detail
