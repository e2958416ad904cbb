// The exact-GELU decomposition torch.onnx.export writes for nn.GELU() (opsets 13-19):
//   a = Div(x, sqrt(2)); b = Erf(a); c = Add(b, 1); d = Mul(x, c); y = Mul(d, 0.5)
// (operands of Add and Mul in either order). Matched from its Div and lowered as one gelu op.
//
// The tanh form torch.onnx.export writes for F.gelu(approximate="tanh") (GPT-2's MLP):
//   x2 = Mul(x, x); x3 = Mul(x, x2); a = Mul(0.044715, x3); b = Add(x, a); c = Mul(0.7978846, b);
//   t = Tanh(c); d = Add(1, t); e = Mul(x, d); y = Mul(0.5, e)
// matched from its Mul(x, x) and lowered to the same gelu op. The integer rule (docs/ops.md §17)
// approximates GELU with I-BERT's erf polynomial: in real numbers that polynomial is within 0.0182
// of erf-GELU and 0.0178 of tanh-GELU for every x, while the two float forms differ by at most
// 0.00047, so one integer op serves both.
#include <cmath>

#include "runtime/quant/detail/lower.hpp"

namespace sigil::runtime::detail {

namespace {

/// A GELU constant: the export writes them rounded to float, so within 0.1%.
bool is_scalar(const Lowerer& L, const std::string& name, double want) {
    return detail::is_scalar(L, name, want, 1e-3 * std::fabs(want));
}

}  // namespace

std::optional<Result<void, QuantError>> lower_tanh_gelu(Lowerer& L, std::size_t idx) {
    const auto& nodes = L.model().nodes;
    const OnnxNode& sq = nodes[idx];
    if (sq.op_type != "Mul" || sq.inputs.size() != 2 || sq.inputs[0] != sq.inputs[1]) return std::nullopt;
    const std::string& x = sq.inputs[0];
    const auto cube = sole_user_of(L, sq.outputs[0], "Mul");
    if (!cube || other_input(nodes[*cube], sq.outputs[0]) != x) return std::nullopt;
    const auto a = sole_user_of(L, nodes[*cube].outputs[0], "Mul");
    if (!a || !is_scalar(L, other_input(nodes[*a], nodes[*cube].outputs[0]), 0.044715)) return std::nullopt;
    const auto b = sole_user_of(L, nodes[*a].outputs[0], "Add");
    if (!b || other_input(nodes[*b], nodes[*a].outputs[0]) != x) return std::nullopt;
    const auto c = sole_user_of(L, nodes[*b].outputs[0], "Mul");
    if (!c || !is_scalar(L, other_input(nodes[*c], nodes[*b].outputs[0]), std::sqrt(2.0 / M_PI))) return std::nullopt;
    const auto t = sole_user_of(L, nodes[*c].outputs[0], "Tanh");
    if (!t) return std::nullopt;
    const auto d = sole_user_of(L, nodes[*t].outputs[0], "Add");
    if (!d || !is_scalar(L, other_input(nodes[*d], nodes[*t].outputs[0]), 1.0)) return std::nullopt;
    const auto e = sole_user_of(L, nodes[*d].outputs[0], "Mul");
    if (!e || other_input(nodes[*e], nodes[*d].outputs[0]) != x) return std::nullopt;
    const auto y = sole_user_of(L, nodes[*e].outputs[0], "Mul");
    if (!y || !is_scalar(L, other_input(nodes[*y], nodes[*e].outputs[0]), 0.5)) return std::nullopt;
    for (auto i : {*cube, *a, *b, *c, *t, *d, *e, *y}) L.mark_fused(i);
    return emit_q14_unary(L, ir::OpKind::gelu, *y, x, nodes[*y].outputs[0]);
}

Result<void, QuantError> lower_div(Lowerer& L, std::size_t idx) {
    const auto& nodes = L.model().nodes;
    const OnnxNode& div = nodes[idx];
    const std::string& x = div.inputs[0];
    const auto erf =
        is_scalar(L, div.inputs[1], std::sqrt(2.0)) ? sole_user_of(L, div.outputs[0], "Erf") : std::nullopt;
    const auto add = erf ? sole_user_of(L, nodes[*erf].outputs[0], "Add") : std::nullopt;
    const bool add_one = add && is_scalar(L, other_input(nodes[*add], nodes[*erf].outputs[0]), 1.0);
    // x feeds both the Div and the first Mul, so that Mul is found from the Add.
    const auto mul1 = add_one ? sole_user_of(L, nodes[*add].outputs[0], "Mul") : std::nullopt;
    const bool mul_x = mul1 && other_input(nodes[*mul1], nodes[*add].outputs[0]) == x;
    const auto mul2 = mul_x ? sole_user_of(L, nodes[*mul1].outputs[0], "Mul") : std::nullopt;
    if (!mul2 || !is_scalar(L, other_input(nodes[*mul2], nodes[*mul1].outputs[0]), 0.5)) {
        if (auto scaled = lower_div_by_constant(L, idx)) return std::move(*scaled);
        return fail(qerr(QuantErrc::unsupported_op, div,
                         "lowers only in erf-GELU or as a division by a positive scalar constant"));
    }
    for (auto i : {*erf, *add, *mul1, *mul2}) L.mark_fused(i);
    return emit_q14_unary(L, ir::OpKind::gelu, *mul2, x, nodes[*mul2].outputs[0]);
}

}  // namespace sigil::runtime::detail
