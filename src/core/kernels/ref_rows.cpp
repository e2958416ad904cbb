// Reference rules of softmax and layer_norm, which read one whole last-axis row (docs/ops.md §16-17).
#include "core/kernels/detail/rules.hpp"
#include "core/kernels/fixedpoint.hpp"
#include "core/kernels/nonlinear.hpp"

namespace sigil::kernels::detail {

std::int32_t softmax_element(const ir::Op& op, Ins in, const ir::Tensor&, std::uint64_t o) {
    const auto& x = in[0];
    const std::uint64_t len = x.shape().back(), base = o / len * len;
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

std::int32_t layer_norm_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o) {
    const auto& x = in[0];
    const std::int64_t d_len = x.shape().back();
    const std::uint64_t base = o / static_cast<std::uint64_t>(d_len) * static_cast<std::uint64_t>(d_len);
    const std::uint64_t j_me = o - base;
    std::int64_t s = 0;
    for (std::int64_t j = 0; j < d_len; ++j) s += x.at(base + static_cast<std::uint64_t>(j)) - x.zero_point();
    std::int64_t sq = 0, y_me = 0;
    for (std::int64_t j = 0; j < d_len; ++j) {
        const std::int64_t y = d_len * (x.at(base + static_cast<std::uint64_t>(j)) - x.zero_point()) - s;
        sq += y * y;
        if (static_cast<std::uint64_t>(j) == j_me) y_me = y;
    }
    const auto var = static_cast<std::uint64_t>(sq / d_len) + static_cast<std::uint64_t>(op.attrs.epsilon);
    const auto sigma = static_cast<std::int64_t>(std::max<std::uint64_t>(isqrt(var), 1));
    const auto n = static_cast<std::int32_t>(div_round_away(y_me * kOneQ14, sigma));
    const std::int32_t acc = wrap_add(wrap_mul(in[1].at(j_me) - in[1].zero_point(), n), in[2].at(j_me));
    return add_zero_point_clamp(requantize(acc, op.attrs.requant[0]), out.quant.zero_point, op.attrs.act_min,
                                op.attrs.act_max);
}

}  // namespace sigil::kernels::detail
