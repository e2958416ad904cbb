// Reference rules of softmax, layer_norm, causal_softmax and rms_norm, which read one last-axis row
// (docs/ops.md §16, §18-20).
#include "core/kernels/detail/rules.hpp"
#include "core/kernels/fixedpoint.hpp"
#include "core/kernels/nonlinear.hpp"

namespace sigil::kernels::detail {

namespace {

/// Softmax of element `o` over the first `len` elements of its row (the row starts at `base`).
std::int32_t softmax_prefix(const ir::Op& op, const Operand& x, std::uint64_t base, std::uint64_t len,
                            std::uint64_t o) {
    std::int32_t mx = -128;
    for (std::uint64_t j = 0; j < len; ++j) mx = std::max(mx, x.at(base + j));
    std::int64_t sum = 0, mine = 0;
    for (std::uint64_t j = 0; j < len; ++j) {
        const std::int64_t e = iexp_q14(requantize(x.at(base + j) - mx, op.attrs.requant[0]));
        sum += e;
        if (base + j == o) mine = e;
    }
    // sum >= iexp_q14(0) > 0: the row maximum contributes exp(0).
    const std::int64_t v = (mine * 256 + sum / 2) / sum - 128;
    return static_cast<std::int32_t>(v > 127 ? 127 : v);
}

/// n_j of the norms: round_away(y_me * 2^14 / sigma), sigma = max(isqrt(sum y_j^2 / D + epsilon), 1)
/// with y_j = D * (x_j - zx) - S; S is the row sum of x - zx (layer_norm) or 0 (rms_norm).
std::int32_t normalized(const ir::Op& op, const Operand& x, std::uint64_t base, std::uint64_t me, bool centre) {
    const std::int64_t d_len = x.shape().back();
    std::int64_t s = 0;
    if (centre) {
        for (std::int64_t j = 0; j < d_len; ++j) s += x.at(base + static_cast<std::uint64_t>(j)) - x.zero_point();
    }
    std::int64_t sq = 0, y_me = 0;
    for (std::int64_t j = 0; j < d_len; ++j) {
        const std::int64_t y = d_len * (x.at(base + static_cast<std::uint64_t>(j)) - x.zero_point()) - s;
        sq += y * y;
        if (static_cast<std::uint64_t>(j) == me) y_me = y;
    }
    const auto var = static_cast<std::uint64_t>(sq / d_len) + static_cast<std::uint64_t>(op.attrs.epsilon);
    const auto sigma = static_cast<std::int64_t>(std::max<std::uint64_t>(isqrt(var), 1));
    return static_cast<std::int32_t>(div_round_away(y_me * kOneQ14, sigma));
}

}  // namespace

std::int32_t softmax_element(const ir::Op& op, Ins in, const ir::Tensor&, std::uint64_t o) {
    const std::uint64_t len = in[0].shape().back();
    return softmax_prefix(op, in[0], o / len * len, len, o);
}

std::int32_t causal_softmax_element(const ir::Op& op, Ins in, const ir::Tensor&, std::uint64_t o) {
    const auto& shape = in[0].shape();
    const std::uint64_t keys = shape.back(), queries = shape[shape.size() - 2];
    const std::uint64_t row = o / keys, j = o % keys, i = row % queries;
    const std::uint64_t visible = causal_visible(i, queries, keys, in.size() == 2 ? &in[1] : nullptr);
    if (j >= visible) return -128;
    return softmax_prefix(op, in[0], row * keys, visible, o);
}

std::int32_t layer_norm_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o) {
    const std::uint64_t d_len = in[0].shape().back(), me = o % d_len;
    const std::int32_t n = normalized(op, in[0], o - me, me, true);
    const std::int32_t acc = wrap_add(wrap_mul(in[1].at(me) - in[1].zero_point(), n), in[2].at(me));
    return add_zero_point_clamp(requantize(acc, op.attrs.requant[0]), out.quant.zero_point, op.attrs.act_min,
                                op.attrs.act_max);
}

std::int32_t rms_norm_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o) {
    const std::uint64_t d_len = in[0].shape().back(), me = o % d_len;
    const std::int32_t n = normalized(op, in[0], o - me, me, false);
    const std::int32_t acc = wrap_mul(in[1].at(me) - in[1].zero_point(), n);
    return add_zero_point_clamp(requantize(acc, op.attrs.requant[0]), out.quant.zero_point, op.attrs.act_min,
                                op.attrs.act_max);
}

}  // namespace sigil::kernels::detail
