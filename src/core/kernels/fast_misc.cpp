// Fast paths of the element-wise ops (lookup tables built from the reference rule) and the pools.
#include <algorithm>
#include <array>

#include "core/kernels/detail/fast_ops.hpp"
#include "core/kernels/detail/rules.hpp"
#include "core/kernels/fixedpoint.hpp"
#include "core/kernels/reference.hpp"

namespace sigil::kernels::detail {
namespace {

/// Unary int8 ops depend only on the input value: tabulate the reference rule on all 256 values.
std::array<std::uint8_t, 256> unary_table(const OpIO& io) {
    ir::Tensor in_desc = *io.in_desc[0];
    in_desc.shape = {256};
    Bytes values(256);
    for (std::size_t i = 0; i < 256; ++i) values[i] = static_cast<std::uint8_t>(static_cast<std::int32_t>(i) - 128);
    ir::Tensor out_desc = *io.out_desc;
    out_desc.shape = {256};
    const Operand x(in_desc, values);
    std::array<std::uint8_t, 256> table{};
    for (std::size_t i = 0; i < 256; ++i) {
        table[i] = static_cast<std::uint8_t>(reference_element(*io.op, std::span(&x, 1), out_desc, i));
    }
    return table;
}

bool same_shapes(const OpIO& io) {
    return io.in_desc[0]->shape == io.out_desc->shape && io.in_desc[1]->shape == io.out_desc->shape;
}

/// add or mul of int8 operands a and b (zero points removed), docs/ops.md §5-6.
std::uint8_t binary_value(const ir::Op& op, std::int32_t a, std::int32_t b, std::int32_t zo) {
    const auto& rq = op.attrs.requant;
    std::int32_t v = 0;
    if (op.kind == ir::OpKind::add) {
        const std::int32_t s = wrap_add(requantize(a * (1 << 20), rq[0]), requantize(b * (1 << 20), rq[1]));
        v = requantize(s, rq[2]);
    } else {
        v = requantize(a * b, rq[0]);
    }
    return static_cast<std::uint8_t>(add_zero_point_clamp(v, zo, op.attrs.act_min, op.attrs.act_max));
}

void binary_same_shape(const OpIO& io, std::uint64_t lo, std::uint64_t hi) {
    const std::int32_t za = io.in_desc[0]->quant.zero_point, zb = io.in_desc[1]->quant.zero_point;
    const std::int32_t zo = io.out_desc->quant.zero_point;
    for (std::uint64_t i = lo; i < hi; ++i) {
        io.out[i] = binary_value(*io.op, static_cast<std::int8_t>(io.in[0][i]) - za,
                                 static_cast<std::int8_t>(io.in[1][i]) - zb, zo);
    }
}

/// add, mul with numpy broadcasting, both operands int8 and per tensor.
void binary_broadcast(const OpIO& io, std::uint64_t lo, std::uint64_t hi) {
    const auto& os = io.out_desc->shape;
    const std::array<std::vector<std::uint64_t>, 2> st{broadcast_strides(io.in_desc[0]->shape, os),
                                                       broadcast_strides(io.in_desc[1]->shape, os)};
    const std::int32_t za = io.in_desc[0]->quant.zero_point, zb = io.in_desc[1]->quant.zero_point;
    const std::int32_t zo = io.out_desc->quant.zero_point;
    const auto* a = reinterpret_cast<const std::int8_t*>(io.in[0].data());  // NOLINT
    const auto* b = reinterpret_cast<const std::int8_t*>(io.in[1].data());  // NOLINT
    strided_walk<2>(os, st, lo, hi, [&](std::uint64_t i, const std::array<std::uint64_t, 2>& off) {
        io.out[i] = binary_value(*io.op, a[off[0]] - za, b[off[1]] - zb, zo);
    });
}

}  // namespace

std::vector<std::uint64_t> broadcast_strides(const std::vector<std::uint32_t>& in,
                                             const std::vector<std::uint32_t>& out) {
    const std::size_t shift = out.size() - in.size();
    std::vector<std::uint64_t> st(out.size(), 0);
    std::uint64_t s = 1;
    for (std::size_t k = in.size(); k-- > 0;) {
        if (in[k] != 1) st[k + shift] = s;
        s *= in[k];
    }
    return st;
}

std::vector<Operand> operands(const OpIO& io) {
    std::vector<Operand> ops;
    for (std::size_t i = 0; i < io.in.size(); ++i) ops.emplace_back(*io.in_desc[i], io.in[i]);
    return ops;
}

std::uint64_t elementwise_items(const OpIO& io) {
    return (ir::element_count(io.out_desc->shape) + kBlock - 1) / kBlock;
}

void elementwise_run(const OpIO& io, std::uint64_t begin, std::uint64_t end) {
    const std::uint64_t total = ir::element_count(io.out_desc->shape);
    const std::uint64_t lo = begin * kBlock, hi = std::min(total, end * kBlock);
    const auto kind = io.op->kind;
    if (kind == ir::OpKind::add || kind == ir::OpKind::mul) {
        if (same_shapes(io)) return binary_same_shape(io, lo, hi);
        if (io.in_desc[0]->quant.scales.size() <= 1 && io.in_desc[1]->quant.scales.size() <= 1 &&
            io.in_desc[0]->dtype == ir::DType::int8 && io.in_desc[1]->dtype == ir::DType::int8) {
            return binary_broadcast(io, lo, hi);
        }
        const auto ins = operands(io);
        for (std::uint64_t i = lo; i < hi; ++i) {
            io.out[i] = static_cast<std::uint8_t>(reference_element(*io.op, ins, *io.out_desc, i));
        }
        return;
    }
    const auto table = unary_table(io);
    for (std::uint64_t i = lo; i < hi; ++i) io.out[i] = table[static_cast<std::size_t>(io.in[0][i] ^ 0x80U)];
}

std::uint64_t pool_items(const OpIO& io) {
    const auto& s = io.out_desc->shape;
    return std::uint64_t{s[0]} * s[1] * s[2];
}

namespace {

/// [lo, hi): the window taps t (position = base + t * dil) that fall inside [0, len).
std::pair<std::size_t, std::size_t> taps_inside(std::int64_t base, std::size_t k, std::int64_t dil, std::int64_t len) {
    std::int64_t lo = 0, hi = static_cast<std::int64_t>(k);
    if (base < 0) lo = (-base + dil - 1) / dil;
    if (base + (hi - 1) * dil >= len) hi = base >= len ? 0 : (len - 1 - base) / dil + 1;
    return {static_cast<std::size_t>(std::min(lo, hi)), static_cast<std::size_t>(hi)};
}

}  // namespace

/// max_pool with a 2x2 window, stride 2, no padding or dilation (the common case), no bounds tests.
bool max_pool_2x2(const OpIO& io, std::uint64_t begin, std::uint64_t end) {
    const auto& at = io.op->attrs;
    if (io.op->kind != ir::OpKind::max_pool || at.kernel != std::array<std::uint32_t, 2>{2, 2} ||
        at.stride != std::array<std::uint32_t, 2>{2, 2} || at.dilation != std::array<std::uint32_t, 2>{1, 1} ||
        at.pads != std::array<std::uint32_t, 4>{0, 0, 0, 0}) {
        return false;
    }
    const std::size_t h = io.in_desc[0]->shape[2], w = io.in_desc[0]->shape[3];
    const std::size_t oh_len = io.out_desc->shape[2], ow_len = io.out_desc->shape[3];
    const auto lo = static_cast<std::int8_t>(at.act_min), hi = static_cast<std::int8_t>(at.act_max);
    for (std::uint64_t item = begin; item < end; ++item) {
        const std::size_t oh = static_cast<std::size_t>(item % oh_len), plane = static_cast<std::size_t>(item / oh_len);
        const auto* r0 = reinterpret_cast<const std::int8_t*>(io.in[0].data()) + (plane * h + 2 * oh) * w;  // NOLINT
        const auto* r1 = r0 + w;
        auto* out = reinterpret_cast<std::int8_t*>(io.out.data()) + item * ow_len;  // NOLINT
        for (std::size_t ow = 0; ow < ow_len; ++ow) {
            const std::int8_t m = std::max(std::max(r0[2 * ow], r0[2 * ow + 1]), std::max(r1[2 * ow], r1[2 * ow + 1]));
            out[ow] = std::min(std::max(m, lo), hi);
        }
    }
    return true;
}

void pool_run(const OpIO& io, std::uint64_t begin, std::uint64_t end) {
    if (max_pool_2x2(io, begin, end)) return;
    const ir::Op& op = *io.op;
    const auto& at = op.attrs;
    const auto &xs = io.in_desc[0]->shape, &os = io.out_desc->shape;
    const bool global = op.kind == ir::OpKind::global_average_pool;
    const bool is_max = op.kind == ir::OpKind::max_pool;
    const std::size_t h = xs[2], w = xs[3], oh_len = os[2], ow_len = os[3];
    const std::size_t kh = global ? h : at.kernel[0], kw = global ? w : at.kernel[1];
    const std::int64_t dh = at.dilation[0], dw = at.dilation[1];
    const std::int32_t zx = io.in_desc[0]->quant.zero_point;
    for (std::uint64_t item = begin; item < end; ++item) {
        const std::size_t oh = static_cast<std::size_t>(item % oh_len), plane = static_cast<std::size_t>(item / oh_len);
        const auto* x = reinterpret_cast<const std::int8_t*>(io.in[0].data()) + plane * h * w;  // NOLINT
        const std::int64_t ih0 = static_cast<std::int64_t>(oh * at.stride[0]) - at.pads[0];
        const auto [i_lo, i_hi] = taps_inside(ih0, kh, dh, static_cast<std::int64_t>(h));
        for (std::size_t ow = 0; ow < ow_len; ++ow) {
            const std::int64_t iw0 = static_cast<std::int64_t>(ow * at.stride[1]) - at.pads[1];
            const auto [j_lo, j_hi] = taps_inside(iw0, kw, dw, static_cast<std::int64_t>(w));
            std::int32_t mx = -128;
            std::int64_t sum = 0;
            for (std::size_t i = i_lo; i < i_hi; ++i) {
                const std::int8_t* row = x + static_cast<std::size_t>(ih0 + static_cast<std::int64_t>(i) * dh) * w;
                for (std::size_t j = j_lo; j < j_hi; ++j) {
                    const std::int32_t v = row[static_cast<std::size_t>(iw0 + static_cast<std::int64_t>(j) * dw)];
                    mx = std::max(mx, v);
                    sum += v - zx;
                }
            }
            const auto count = static_cast<std::int64_t>((i_hi - i_lo) * (j_hi - j_lo));
            const std::int64_t r = is_max ? mx : (count == 0 ? 0 : div_round_away(sum, count)) + zx;
            io.out[item * ow_len + ow] =
                static_cast<std::uint8_t>(std::clamp<std::int64_t>(r, op.attrs.act_min, op.attrs.act_max));
        }
    }
}

}  // namespace sigil::kernels::detail
