// Reference rules of fully_connected, matmul and conv2d (docs/ops.md §2-4).
#include "core/kernels/detail/rules.hpp"
#include "core/kernels/fixedpoint.hpp"

namespace sigil::kernels::detail {
namespace {

std::int32_t finish(const ir::Op& op, std::int32_t acc, std::size_t channel, const ir::Tensor& out) {
    return add_zero_point_clamp(requantize(acc, requant_for(op, channel)), out.quant.zero_point, op.attrs.act_min,
                                op.attrs.act_max);
}

}  // namespace

std::int32_t fully_connected_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o) {
    const auto& x = in[0];
    const auto& w = in[1];
    const std::uint64_t n_out = out.shape[1], k_len = x.shape()[1];
    const std::uint64_t m = o / n_out, n = o % n_out;
    std::int32_t acc = in.size() == 3 ? in[2].at(n) : 0;
    for (std::uint64_t k = 0; k < k_len; ++k) {
        acc = wrap_add(acc, (x.at(m * k_len + k) - x.zero_point()) * (w.at(n * k_len + k) - w.zero_point()));
    }
    return finish(op, acc, static_cast<std::size_t>(n), out);
}

std::int32_t matmul_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o) {
    const auto& a = in[0];
    const auto& b = in[1];
    const auto r = out.shape.size();
    const std::uint64_t m_len = out.shape[r - 2], n_len = out.shape[r - 1], k_len = a.shape()[r - 1];
    const std::uint64_t batch = o / (m_len * n_len), m = o / n_len % m_len, n = o % n_len;
    const std::uint64_t a_base = batch * m_len * k_len + m * k_len, b_base = batch * k_len * n_len + n;
    std::int32_t acc = 0;
    for (std::uint64_t k = 0; k < k_len; ++k) {
        acc = wrap_add(acc, (a.at(a_base + k) - a.zero_point()) * (b.at(b_base + k * n_len) - b.zero_point()));
    }
    return finish(op, acc, 0, out);
}

std::int32_t conv2d_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o) {
    const auto& x = in[0];
    const auto& w = in[1];
    const auto& at = op.attrs;
    const auto c = unravel(out.shape, o);  // n, oc, oh, ow
    const std::int64_t h = x.shape()[2], wd = x.shape()[3];
    const std::uint32_t cg = w.shape()[1], kh = w.shape()[2], kw = w.shape()[3];
    const std::uint32_t oc_per_group = out.shape[1] / at.groups;
    const std::uint32_t c0 = c[1] / oc_per_group * cg;
    std::int32_t acc = in.size() == 3 ? in[2].at(c[1]) : 0;
    for (std::uint32_t ci = 0; ci < cg; ++ci) {
        for (std::uint32_t i = 0; i < kh; ++i) {
            const std::int64_t ih = std::int64_t{c[2]} * at.stride[0] - at.pads[0] + std::int64_t{i} * at.dilation[0];
            if (ih < 0 || ih >= h) continue;
            for (std::uint32_t j = 0; j < kw; ++j) {
                const std::int64_t iw = std::int64_t{c[3]} * at.stride[1] - at.pads[1] + std::int64_t{j} * at.dilation[1];
                if (iw < 0 || iw >= wd) continue;
                const std::int32_t xv = x.at({c[0], c0 + ci, static_cast<std::uint32_t>(ih), static_cast<std::uint32_t>(iw)});
                const std::int32_t wv = w.at({c[1], ci, i, j});
                acc = wrap_add(acc, (xv - x.zero_point()) * (wv - w.zero_point()));
            }
        }
    }
    return finish(op, acc, c[1], out);
}

}  // namespace sigil::kernels::detail
