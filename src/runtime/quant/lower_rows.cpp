// Softmax, Gelu, SiLU and LayerNormalization: integer-only approximations over the Q14 domain
// (ir::kNonlinearFracBits); see the kernels' docs for the exact rules.
#include <algorithm>
#include <cmath>

#include "runtime/quant/detail/lower.hpp"

namespace sigil::runtime::detail {

namespace {

constexpr double kQ14 = 1 << ir::kNonlinearFracBits;

Result<void, QuantError> require_last_axis(const OnnxNode& n, const QValue& x) {
    const auto r = static_cast<std::int64_t>(x.shape.size());
    const std::int64_t axis = n.int_or("axis", -1);
    if (axis != -1 && axis != r - 1) return fail(qerr(QuantErrc::unsupported_attribute, n, "axis must be the last"));
    return {};
}

}  // namespace

Result<void, QuantError> lower_softmax(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    const QValue x = SIGIL_TRY(L.act(n.inputs[0], n));
    SIGIL_TRY_VOID(require_last_axis(n, x));
    return emit_softmax(L, ir::OpKind::softmax, x, n.outputs[0]);
}

// softmax, causal_softmax: to_q14 = s_x * 2^14; the output quantization is fixed (scale 1/256,
// zero point -128).
Result<void, QuantError> emit_softmax(Lowerer& L, ir::OpKind kind, const QValue& x, const std::string& out) {
    const auto rq = SIGIL_TRY(Lowerer::qs(x.q.scale * kQ14, std::string(ir::to_string(kind)) + " to_q14"));
    const ir::TensorId y = kind == ir::OpKind::causal_softmax ? L.b.causal_softmax(x.id, rq) : L.b.softmax(x.id, rq);
    L.define(out, QValue{y, AffineQ{1.0 / 256.0, -128}, x.shape});
    return {};
}

// Gelu (approximate="none"): to_q14 = s_x * 2^14, from_q14 = 2^-14 / s_out.
Result<void, QuantError> lower_gelu(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    if (n.string_or("approximate", "none") != "none")
        return fail(qerr(QuantErrc::unsupported_attribute, n, "approximate=tanh"));
    return emit_q14_unary(L, ir::OpKind::gelu, idx, n.inputs[0], n.outputs[0]);
}

// gelu, silu: to_q14 = s_x * 2^14, from_q14 = 2^-14 / s_out.
Result<void, QuantError> emit_q14_unary(Lowerer& L, ir::OpKind kind, std::size_t idx, const std::string& x_name,
                                        const std::string& out) {
    const OnnxNode& n = L.model().nodes[idx];
    const QValue x = SIGIL_TRY(L.act(x_name, n));
    const OutSpec spec = SIGIL_TRY(L.out_spec(idx, out));
    const auto to = SIGIL_TRY(Lowerer::qs(x.q.scale * kQ14, std::string(ir::to_string(kind)) + " to_q14"));
    const auto from =
        SIGIL_TRY(Lowerer::qs(1.0 / (kQ14 * spec.q.scale), std::string(ir::to_string(kind)) + " from_q14"));
    const ir::Quant oq = SIGIL_TRY(Lowerer::act_quant(spec.q));
    L.define(spec, kind == ir::OpKind::silu ? L.b.silu(x.id, to, from, oq, spec.clamp)
                                            : L.b.gelu(x.id, to, from, oq, spec.clamp));
    return {};
}

// LayerNormalization over the last axis: emit_norm with the node's Scale, B and epsilon.
Result<void, QuantError> lower_layernorm(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    const QValue x = SIGIL_TRY(L.act(n.inputs[0], n));
    SIGIL_TRY_VOID(require_last_axis(n, x));
    const Tensor* g = L.constant(n.inputs[1]);
    const Tensor* beta = n.has_input(2) ? L.constant(n.inputs[2]) : nullptr;
    const auto d = x.shape.back();
    if (!g || g->numel() != d || (n.has_input(2) && (!beta || beta->numel() != d)))
        return fail(qerr(QuantErrc::weight_not_constant, n, "Scale and B must be initializers of the last dim"));
    return emit_norm(L,
                     NormMatch{n.inputs[0], true, static_cast<double>(n.float_or("epsilon", 1e-5f)), g, beta, idx, {}});
}

}  // namespace sigil::runtime::detail
