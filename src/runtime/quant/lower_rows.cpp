// Softmax, Gelu and LayerNormalization: integer-only approximations over the Q14 domain
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

// Softmax: to_q14 = s_x * 2^14; the output quantization is fixed (scale 1/256, zero point -128).
Result<void, QuantError> lower_softmax(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    const QValue x = SIGIL_TRY(L.act(n.inputs[0], n));
    SIGIL_TRY_VOID(require_last_axis(n, x));
    const auto rq = SIGIL_TRY(Lowerer::qs(x.q.scale * kQ14, "softmax to_q14"));
    L.define(n.outputs[0], QValue{L.b.softmax(x.id, rq), AffineQ{1.0 / 256.0, -128}, x.shape});
    return {};
}

// Gelu (approximate="none"): to_q14 = s_x * 2^14, from_q14 = 2^-14 / s_out.
Result<void, QuantError> lower_gelu(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    if (n.string_or("approximate", "none") != "none")
        return fail(qerr(QuantErrc::unsupported_attribute, n, "approximate=tanh"));
    return emit_gelu(L, idx, n.inputs[0], n.outputs[0]);
}

Result<void, QuantError> emit_gelu(Lowerer& L, std::size_t idx, const std::string& x_name, const std::string& out) {
    const OnnxNode& n = L.model().nodes[idx];
    const QValue x = SIGIL_TRY(L.act(x_name, n));
    const OutSpec spec = SIGIL_TRY(L.out_spec(idx, out));
    const auto to = SIGIL_TRY(Lowerer::qs(x.q.scale * kQ14, "gelu to_q14"));
    const auto from = SIGIL_TRY(Lowerer::qs(1.0 / (kQ14 * spec.q.scale), "gelu from_q14"));
    L.define(spec, L.b.gelu(x.id, to, from, SIGIL_TRY(Lowerer::act_quant(spec.q)), spec.clamp));
    return {};
}

// LayerNormalization over the last axis: gamma symmetric int8 (s_g = max|g|/127), the
// normalized value n is Q14, so acc = gamma_q * n + beta_q is in units of s_g * 2^-14:
// beta_q = round(beta / (s_g 2^-14)), requant = s_g 2^-14 / s_out. The integer variance is of
// D * (x - mean) in units of s_x, so epsilon_int = round(eps * D^2 / s_x^2).
Result<void, QuantError> lower_layernorm(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    const QValue x = SIGIL_TRY(L.act(n.inputs[0], n));
    SIGIL_TRY_VOID(require_last_axis(n, x));
    const Tensor* g = L.constant(n.inputs[1]);
    const Tensor* beta = n.has_input(2) ? L.constant(n.inputs[2]) : nullptr;
    const auto d = static_cast<std::size_t>(x.shape.back());
    if (!g || static_cast<std::size_t>(g->numel()) != d || (n.has_input(2) && (!beta || static_cast<std::size_t>(beta->numel()) != d)))
        return fail(qerr(QuantErrc::weight_not_constant, n, "Scale and B must be initializers of the last dim"));
    double gmax = 0;
    for (float v : g->f()) gmax = std::max(gmax, std::fabs(static_cast<double>(v)));
    const double s_g = gmax > 0 ? gmax / 127.0 : 1.0;
    std::vector<std::int8_t> gq;
    std::vector<std::int32_t> bq;
    for (std::size_t i = 0; i < d; ++i) {
        gq.push_back(static_cast<std::int8_t>(std::clamp(std::round(static_cast<double>(g->f()[i]) / s_g), -127.0, 127.0)));
        const double bv = beta ? static_cast<double>(beta->f()[i]) : 0.0;
        bq.push_back(static_cast<std::int32_t>(std::clamp(std::round(bv / (s_g / kQ14)), -2147483648.0, 2147483647.0)));
    }
    const OutSpec spec = SIGIL_TRY(L.out_spec(idx, n.outputs[0]));
    const auto gid = L.b.constant_int8({static_cast<std::uint32_t>(d)}, gq,
                                       ir::Quant::per_tensor(0, SIGIL_TRY(Lowerer::qs(s_g, "gamma scale"))));
    const auto bid = L.b.constant_int32({static_cast<std::uint32_t>(d)}, bq);
    const double eps = static_cast<double>(n.float_or("epsilon", 1e-5f));
    const double dd = static_cast<double>(d);
    const auto eps_int = static_cast<std::int32_t>(std::clamp(std::round(eps * dd * dd / (x.q.scale * x.q.scale)), 0.0, 2147483647.0));
    const auto rq = SIGIL_TRY(Lowerer::qs(s_g / kQ14 / spec.q.scale, "layer_norm requant"));
    L.define(spec, L.b.layer_norm(x.id, gid, bid, eps_int, rq, SIGIL_TRY(Lowerer::act_quant(spec.q)), spec.clamp));
    return {};
}

}  // namespace sigil::runtime::detail
