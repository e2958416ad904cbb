// Reference rules of max_pool, average_pool and global_average_pool (docs/ops.md §9-11).
#include "core/kernels/detail/rules.hpp"
#include "core/kernels/fixedpoint.hpp"

namespace sigil::kernels::detail {
namespace {

std::int32_t clamp_act(const ir::Op& op, std::int64_t v) {
    return static_cast<std::int32_t>(v < op.attrs.act_min ? op.attrs.act_min : (v > op.attrs.act_max ? op.attrs.act_max : v));
}

/// Calls f(value) for each in-bounds input element of output element `o`'s window.
template <typename F>
void for_window(const ir::Op& op, const Operand& x, const ir::Tensor& out, std::uint64_t o, F&& f) {
    const auto c = unravel(out.shape, o);  // n, c, oh, ow
    const auto& at = op.attrs;
    const std::int64_t h = x.shape()[2], w = x.shape()[3];
    for (std::uint32_t i = 0; i < at.kernel[0]; ++i) {
        const std::int64_t ih = std::int64_t{c[2]} * at.stride[0] - at.pads[0] + std::int64_t{i} * at.dilation[0];
        if (ih < 0 || ih >= h) continue;
        for (std::uint32_t j = 0; j < at.kernel[1]; ++j) {
            const std::int64_t iw = std::int64_t{c[3]} * at.stride[1] - at.pads[1] + std::int64_t{j} * at.dilation[1];
            if (iw < 0 || iw >= w) continue;
            f(x.at({c[0], c[1], static_cast<std::uint32_t>(ih), static_cast<std::uint32_t>(iw)}));
        }
    }
}

}  // namespace

std::int32_t max_pool_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o) {
    std::int32_t m = -128;
    for_window(op, in[0], out, o, [&](std::int32_t v) { m = v > m ? v : m; });
    return clamp_act(op, m);
}

std::int32_t average_pool_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o) {
    std::int64_t sum = 0, count = 0;
    const std::int32_t zx = in[0].zero_point();
    for_window(op, in[0], out, o, [&](std::int32_t v) {
        sum += v - zx;
        ++count;
    });
    const std::int64_t avg = count == 0 ? 0 : div_round_away(sum, count);
    return clamp_act(op, avg + zx);
}

std::int32_t global_average_pool_element(const ir::Op& op, Ins in, const ir::Tensor&, std::uint64_t o) {
    const auto& x = in[0];
    const std::uint64_t plane = std::uint64_t{x.shape()[2]} * x.shape()[3];
    std::int64_t sum = 0;
    for (std::uint64_t i = 0; i < plane; ++i) sum += x.at(o * plane + i) - x.zero_point();
    return clamp_act(op, div_round_away(sum, static_cast<std::int64_t>(plane)) + x.zero_point());
}

}  // namespace sigil::kernels::detail
