// Reference rules of add, mul, clip, requantize, gelu and silu (docs/ops.md §5-8, §17, §21).
#include "core/kernels/detail/rules.hpp"
#include "core/kernels/fixedpoint.hpp"
#include "core/kernels/nonlinear.hpp"

namespace sigil::kernels::detail {

/// Left shift applied to both add operands before their rescale (TFLite's kAddLeftShift).
inline constexpr int kAddLeftShift = 20;

std::uint64_t broadcast_index(const std::vector<std::uint32_t>& in, const std::vector<std::uint32_t>& oc) noexcept {
    const std::size_t skip = oc.size() - in.size();
    std::uint64_t flat = 0;
    for (std::size_t i = 0; i < in.size(); ++i) flat = flat * in[i] + (in[i] == 1 ? 0 : oc[skip + i]);
    return flat;
}

std::int32_t add_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o) {
    const auto oc = unravel(out.shape, o);
    const std::int32_t a = in[0].at(broadcast_index(in[0].shape(), oc)) - in[0].zero_point();
    const std::int32_t b = in[1].at(broadcast_index(in[1].shape(), oc)) - in[1].zero_point();
    const auto& rq = op.attrs.requant;
    const std::int32_t sa = requantize(a * (1 << kAddLeftShift), rq[0]);
    const std::int32_t sb = requantize(b * (1 << kAddLeftShift), rq[1]);
    return add_zero_point_clamp(requantize(wrap_add(sa, sb), rq[2]), out.quant.zero_point, op.attrs.act_min,
                                op.attrs.act_max);
}

std::int32_t mul_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o) {
    const auto oc = unravel(out.shape, o);
    const std::int32_t a = in[0].at(broadcast_index(in[0].shape(), oc)) - in[0].zero_point();
    const std::int32_t b = in[1].at(broadcast_index(in[1].shape(), oc)) - in[1].zero_point();
    return add_zero_point_clamp(requantize(a * b, op.attrs.requant[0]), out.quant.zero_point, op.attrs.act_min,
                                op.attrs.act_max);
}

std::int32_t clip_element(const ir::Op& op, Ins in, const ir::Tensor&, std::uint64_t o) {
    const std::int32_t v = in[0].at(o);
    return v < op.attrs.act_min ? op.attrs.act_min : (v > op.attrs.act_max ? op.attrs.act_max : v);
}

std::int32_t requantize_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o) {
    const std::int32_t d = in[0].at(o) - in[0].zero_point();
    return add_zero_point_clamp(requantize(d, op.attrs.requant[0]), out.quant.zero_point, op.attrs.act_min,
                                op.attrs.act_max);
}

std::int32_t gelu_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o) {
    const std::int32_t q = requantize(in[0].at(o) - in[0].zero_point(), op.attrs.requant[0]);
    return add_zero_point_clamp(requantize(igelu_q14(q), op.attrs.requant[1]), out.quant.zero_point,
                                op.attrs.act_min, op.attrs.act_max);
}

std::int32_t silu_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o) {
    const std::int32_t q = requantize(in[0].at(o) - in[0].zero_point(), op.attrs.requant[0]);
    return add_zero_point_clamp(requantize(isilu_q14(q), op.attrs.requant[1]), out.quant.zero_point, op.attrs.act_min,
                                op.attrs.act_max);
}

}  // namespace sigil::kernels::detail
