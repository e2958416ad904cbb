// Normalizations as PyTorch's exporter decomposes them, each matched from its first node and
// lowered as one integer op; and SiLU.
//
// LayerNorm below opset 17 (GPT-2 exported at opset 14), matched from the first ReduceMean:
//   m = ReduceMean(x); v = Sub(x, m); p = Pow(v, 2); r = ReduceMean(p); a = Add(r, eps);
//   s = Sqrt(a); y = Div(v, s); [g = Mul(y, gamma)]; [out = Add(g, beta)]      -> layer_norm
// RMSNorm (Llama), matched from its Pow:
//   p = Pow(x, 2); r = ReduceMean(p); a = Add(r, eps); s = Sqrt(a);
//   y = Mul(x, Div(1, s)) | Mul(x, Reciprocal(s)) | Div(x, s); [out = Mul(y, gamma)] -> rms_norm
// Every ReduceMean must reduce the last axis only and keep it. SiLU: Mul(x, Sigmoid(x)) -> silu.
#include <algorithm>
#include <cmath>

#include "runtime/quant/detail/lower.hpp"

namespace sigil::runtime::detail {

namespace {

constexpr double kQ14 = 1 << ir::kNonlinearFracBits;

/// A normalization's exponent (2) and reciprocal numerator (1): exact up to float rounding.
bool scalar_is(const Lowerer& L, const std::string& name, double want) {
    return is_scalar(L, name, want, 1e-6 * std::max(1.0, std::fabs(want)));
}

/// Whether ReduceMean node `n` averages the last axis of a rank-`rank` value and keeps it.
bool last_axis_mean(const Lowerer& L, const OnnxNode& n, std::size_t rank) {
    if (n.op_type != "ReduceMean" || n.int_or("keepdims", 1) != 1) return false;
    std::vector<std::int64_t> axes = n.ints_or("axes", {});
    if (n.has_input(1)) {  // opset 18 moved axes to an input
        const Tensor* t = L.any_constant(n.inputs[1]);
        if (!t || t->dtype != DType::I64) return false;
        axes = t->vec<std::int64_t>();
    }
    const auto r = static_cast<std::int64_t>(rank);
    return axes.size() == 1 && (axes[0] == -1 || axes[0] == r - 1);
}

/// From Pow(v, 2) at `pow`: the variance chain and the division of v by its square root, then an
/// optional gamma Mul and (centred only) beta Add. `x` is what v normalizes.
std::optional<NormMatch> match_from_pow(const Lowerer& L, std::size_t pow, const std::string& x, bool centred) {
    const auto& nodes = L.model().nodes;
    const OnnxNode& p = nodes[pow];
    if (p.op_type != "Pow" || p.inputs.size() != 2 || !scalar_is(L, p.inputs[1], 2.0)) return std::nullopt;
    const std::string& v = p.inputs[0];
    auto shape = L.shape_of(v);
    if (!shape || shape->empty()) return std::nullopt;
    const auto mean = sole_user_of(L, p.outputs[0], "ReduceMean");
    if (!mean || !last_axis_mean(L, nodes[*mean], shape->size())) return std::nullopt;
    const auto add = sole_user_of(L, nodes[*mean].outputs[0], "Add");
    const std::string eps_name = add ? other_input(nodes[*add], nodes[*mean].outputs[0]) : "";
    const Tensor* eps = L.constant(eps_name);
    if (!eps || eps->numel() != 1 || eps->f()[0] < 0.0f) return std::nullopt;
    const auto sqrt = sole_user_of(L, nodes[*add].outputs[0], "Sqrt");
    if (!sqrt) return std::nullopt;
    NormMatch m{x, centred, static_cast<double>(eps->f()[0]), nullptr, nullptr, 0, {pow, *mean, *add, *sqrt}};
    const std::string& s = nodes[*sqrt].outputs[0];
    const auto reader = L.sole_user(s);
    if (!reader) return std::nullopt;
    const OnnxNode& r = nodes[*reader];
    std::size_t y = 0;
    if (r.op_type == "Div" && r.inputs.size() == 2 && r.inputs[0] == v && r.inputs[1] == s) {
        y = *reader;  // v / s
    } else if ((r.op_type == "Div" && r.inputs.size() == 2 && r.inputs[1] == s && scalar_is(L, r.inputs[0], 1.0)) ||
               r.op_type == "Reciprocal") {
        const auto mul = sole_user_of(L, r.outputs[0], "Mul");  // v * (1 / s)
        if (!mul || other_input(nodes[*mul], r.outputs[0]) != v) return std::nullopt;
        m.nodes.push_back(*reader);
        y = *mul;
    } else {
        return std::nullopt;
    }
    m.nodes.push_back(y);
    m.last = y;
    const auto d = shape->back();
    const auto per_row = [&](const std::string& name) {
        const Tensor* t = L.constant(name);
        return t && (t->numel() == d || t->numel() == 1) ? t : nullptr;
    };
    if (const auto g = sole_user_of(L, nodes[y].outputs[0], "Mul");
        g && per_row(other_input(nodes[*g], nodes[y].outputs[0]))) {
        m.gamma = per_row(other_input(nodes[*g], nodes[y].outputs[0]));
        m.nodes.push_back(*g);
        m.last = *g;
        const auto b = centred ? sole_user_of(L, nodes[*g].outputs[0], "Add") : std::nullopt;
        if (b && per_row(other_input(nodes[*b], nodes[*g].outputs[0]))) {
            m.beta = per_row(other_input(nodes[*b], nodes[*g].outputs[0]));
            m.nodes.push_back(*b);
            m.last = *b;
        }
    }
    return m;
}

}  // namespace

// layer_norm (centred) or rms_norm of `m.x` writing node `m.last`'s output. Gamma is symmetric
// int8 (s_g = max|gamma| / 127) and the normalized value n is Q14, so acc = gamma_q * n + beta_q
// is in units of s_g * 2^-14: beta_q = round(beta / (s_g 2^-14)), requant = s_g 2^-14 / s_out.
// The integer variance is of D * (x - mean) (or D * x) in units of s_x, so
// epsilon_int = round(eps * D^2 / s_x^2).
Result<void, QuantError> emit_norm(Lowerer& L, const NormMatch& m) {
    const OnnxNode& n = L.model().nodes[m.last];
    const QValue x = SIGIL_TRY(L.act(m.x, n));
    const auto d = static_cast<std::size_t>(x.shape.back());
    const auto value = [](const Tensor* t, std::size_t i, double none) {
        return t ? static_cast<double>(t->f()[t->numel() == 1 ? 0 : i]) : none;
    };
    double gmax = 0;
    for (std::size_t i = 0; i < d; ++i) gmax = std::max(gmax, std::fabs(value(m.gamma, i, 1.0)));
    const double s_g = gmax > 0 ? gmax / 127.0 : 1.0;
    std::vector<std::int8_t> gq;
    std::vector<std::int32_t> bq;
    for (std::size_t i = 0; i < d; ++i) {
        gq.push_back(static_cast<std::int8_t>(std::clamp(std::round(value(m.gamma, i, 1.0) / s_g), -127.0, 127.0)));
        bq.push_back(static_cast<std::int32_t>(
            std::clamp(std::round(value(m.beta, i, 0.0) / (s_g / kQ14)), -2147483648.0, 2147483647.0)));
    }
    for (auto i : m.nodes) L.mark_fused(i);
    const OutSpec spec = SIGIL_TRY(L.out_spec(m.last, n.outputs[0]));
    const auto dim = static_cast<std::uint32_t>(d);
    const auto gid = L.b.constant_int8({dim}, gq, ir::Quant::per_tensor(0, SIGIL_TRY(Lowerer::qs(s_g, "gamma scale"))));
    const double dd = static_cast<double>(d);
    const auto eps_int =
        static_cast<std::int32_t>(std::clamp(std::round(m.eps * dd * dd / (x.q.scale * x.q.scale)), 0.0, 2147483647.0));
    const auto rq = SIGIL_TRY(Lowerer::qs(s_g / kQ14 / spec.q.scale, "norm requant"));
    const ir::Quant oq = SIGIL_TRY(Lowerer::act_quant(spec.q));
    const auto id = m.centred ? L.b.layer_norm(x.id, gid, L.b.constant_int32({dim}, bq), eps_int, rq, oq, spec.clamp)
                              : L.b.rms_norm(x.id, gid, eps_int, rq, oq, spec.clamp);
    L.define(spec, id);
    return {};
}

Result<void, QuantError> lower_reduce_mean(Lowerer& L, std::size_t idx) {
    const auto& nodes = L.model().nodes;
    const OnnxNode& mean = nodes[idx];
    const std::string& x = mean.inputs.empty() ? std::string{} : mean.inputs[0];
    const auto refuse = fail(qerr(QuantErrc::unsupported_op, mean, "lowers only as the head of a decomposed LayerNorm"));
    auto shape = L.shape_of(x);
    if (!shape || !last_axis_mean(L, mean, shape->size())) return refuse;
    const auto sub = sole_user_of(L, mean.outputs[0], "Sub");
    if (!sub || nodes[*sub].inputs[0] != x || nodes[*sub].inputs[1] != mean.outputs[0]) return refuse;
    // v = x - mean feeds the Pow and the Div.
    const std::string& v = nodes[*sub].outputs[0];
    for (auto u : L.users_of(v)) {
        if (nodes[u].op_type != "Pow") continue;
        if (auto m = match_from_pow(L, u, x, true)) {
            m->nodes.push_back(idx);
            m->nodes.push_back(*sub);
            if (L.users_of(v).size() == 2) return emit_norm(L, *m);
        }
    }
    return refuse;
}

Result<void, QuantError> lower_pow(Lowerer& L, std::size_t idx) {
    const OnnxNode& p = L.model().nodes[idx];
    if (auto m = match_from_pow(L, idx, p.inputs[0], false)) return emit_norm(L, *m);
    return fail(qerr(QuantErrc::unsupported_op, p, "lowers only as the head of RMSNorm (x * rsqrt(mean(x^2) + eps))"));
}

// Sigmoid lowers only inside SiLU: its output's one reader multiplies it by the Sigmoid's input.
Result<void, QuantError> lower_sigmoid(Lowerer& L, std::size_t idx) {
    const auto& nodes = L.model().nodes;
    const OnnxNode& s = nodes[idx];
    const auto mul = sole_user_of(L, s.outputs[0], "Mul");
    if (!mul || other_input(nodes[*mul], s.outputs[0]) != s.inputs[0])
        return fail(qerr(QuantErrc::unsupported_op, s, "lowers only as SiLU, Mul(x, Sigmoid(x))"));
    L.mark_fused(*mul);
    return emit_q14_unary(L, ir::OpKind::silu, *mul, s.inputs[0], nodes[*mul].outputs[0]);
}

}  // namespace sigil::runtime::detail
