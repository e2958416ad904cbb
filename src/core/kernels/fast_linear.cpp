// Fast paths of fully_connected, conv2d (im2col rows) and matmul.
#include <algorithm>

#include "core/kernels/detail/dot.hpp"
#include "core/kernels/detail/fast_ops.hpp"
#include "core/kernels/detail/rules.hpp"
#include "core/kernels/fixedpoint.hpp"

namespace sigil::kernels::detail {
namespace {

/// Outputs per fully-connected work item.
constexpr std::uint64_t kFcBlock = 16;

std::int32_t finish32(const ir::Op& op, std::int32_t acc, std::size_t channel, std::int32_t zo) {
    return add_zero_point_clamp(requantize(acc, requant_for(op, channel)), zo, op.attrs.act_min, op.attrs.act_max);
}

std::int8_t finish(const ir::Op& op, std::int32_t acc, std::size_t channel, std::int32_t zo) {
    return static_cast<std::int8_t>(finish32(op, acc, channel, zo));
}

const std::int8_t* as_i8(BytesView v) { return reinterpret_cast<const std::int8_t*>(v.data()); }  // NOLINT

}  // namespace

std::uint64_t fully_connected_items(const OpIO& io) {
    const auto& s = io.out_desc->shape;
    return std::uint64_t{s[0]} * ((s[1] + kFcBlock - 1) / kFcBlock);
}

void fully_connected_run(const OpIO& io, std::uint64_t begin, std::uint64_t end, Simd simd) {
    const ir::Op& op = *io.op;
    const std::size_t n_len = io.out_desc->shape[1], k_len = io.in_desc[0]->shape[1];
    const std::size_t blocks = (n_len + kFcBlock - 1) / kFcBlock;
    const std::int32_t zx = io.in_desc[0]->quant.zero_point, zw = io.in_desc[1]->quant.zero_point;
    const std::int32_t zo = io.out_desc->quant.zero_point;
    const bool has_bias = io.in.size() == 3;
    const bool wide = io.out_desc->dtype == ir::DType::int32;  // int32 logits
    std::vector<std::int16_t> xr(k_len);
    std::int32_t acc[kFcBlock];
    std::size_t row = SIZE_MAX;
    std::int32_t xsum = 0;
    for (std::uint64_t item = begin; item < end; ++item) {
        const std::size_t m = static_cast<std::size_t>(item / blocks), b = static_cast<std::size_t>(item % blocks);
        if (m != row) {  // x' = x - zx for this row, and its sum
            const std::int8_t* x = as_i8(io.in[0]) + m * k_len;
            std::uint32_t s = 0;
            for (std::size_t k = 0; k < k_len; ++k) {
                xr[k] = static_cast<std::int16_t>(x[k] - zx);
                s += static_cast<std::uint32_t>(xr[k]);
            }
            xsum = static_cast<std::int32_t>(s);
            row = m;
        }
        const std::size_t n0 = b * kFcBlock, rows = std::min<std::size_t>(kFcBlock, n_len - n0);
        dot_rows(xr.data(), as_i8(io.in[1]) + n0 * k_len, k_len, k_len, rows, acc, simd);
        for (std::size_t r = 0; r < rows; ++r) {
            // sum x'(w - zw) = sum x'w - zw sum x' (mod 2^32)
            std::int32_t a = wrap_add(acc[r], -wrap_mul(zw, xsum));
            if (has_bias) a = wrap_add(a, load_i32(io.in[2], n0 + r));
            const std::size_t o = m * n_len + n0 + r;
            if (wide) {
                store_element(io.out, ir::DType::int32, o, finish32(op, a, n0 + r, zo));
            } else {
                io.out[o] = static_cast<std::uint8_t>(finish(op, a, n0 + r, zo));
            }
        }
    }
}

std::uint64_t conv2d_items(const OpIO& io) {
    const auto& s = io.out_desc->shape;
    return std::uint64_t{s[0]} * io.op->attrs.groups * s[2];
}

namespace {

/// Geometry of one conv2d op, shared by its row kernels.
struct ConvGeom {
    std::size_t c_in, h, w, cg, kh, kw, k_len, oc_g, oh_len, ow_len, oc_total;
    std::int32_t zx, zw, zo;
};

ConvGeom conv_geom(const OpIO& io) {
    const auto &xs = io.in_desc[0]->shape, &ws = io.in_desc[1]->shape, &os = io.out_desc->shape;
    return {xs[1], xs[2], xs[3], ws[1], ws[2], ws[3], std::size_t{ws[1]} * ws[2] * ws[3],
            os[1] / io.op->attrs.groups, os[2], os[3], os[1],
            io.in_desc[0]->quant.zero_point, io.in_desc[1]->quant.zero_point, io.out_desc->quant.zero_point};
}

/// Fills col (k-major when `k_major`, else position-major) for output row oh of image n, group grp,
/// and the per-position sums of its entries.
void im2col_row(const OpIO& io, const ConvGeom& g, std::size_t n, std::size_t grp, std::size_t oh, bool k_major,
                std::vector<std::int16_t>& col, std::vector<std::int32_t>& colsum) {
    const auto& at = io.op->attrs;
    const auto* x = reinterpret_cast<const std::int8_t*>(io.in[0].data());  // NOLINT
    std::fill(colsum.begin(), colsum.end(), 0);
    // k-major: element (k, ow) at 2 * ((k / 2) * n_pad + ow) + k % 2; else at ow * k_len + k.
    const std::size_t n_pad = (g.ow_len + 7) / 8 * 8;
    const std::size_t step_ow = k_major ? 2 : g.k_len;
    const auto w_len = static_cast<std::int64_t>(g.w), sw = static_cast<std::int64_t>(at.stride[1]);
    std::size_t k = 0;
    for (std::size_t ci = 0; ci < g.cg; ++ci) {
        const std::int8_t* plane = x + (n * g.c_in + grp * g.cg + ci) * g.h * g.w;
        for (std::size_t i = 0; i < g.kh; ++i) {
            const auto ih = static_cast<std::int64_t>(oh * at.stride[0] + i * at.dilation[0]) - at.pads[0];
            const bool row_inside = ih >= 0 && ih < static_cast<std::int64_t>(g.h);
            const std::int8_t* src = row_inside ? plane + static_cast<std::size_t>(ih) * g.w : nullptr;
            for (std::size_t j = 0; j < g.kw; ++j, ++k) {
                std::int16_t* dst = col.data() + (k_major ? 2 * (k / 2 * n_pad) + k % 2 : k);
                // iw = ow*sw + off is inside for ow in [lo, hi)
                const auto off = static_cast<std::int64_t>(j * at.dilation[1]) - at.pads[1];
                const auto lo = static_cast<std::size_t>(std::clamp<std::int64_t>(off >= 0 ? 0 : (-off + sw - 1) / sw, 0, static_cast<std::int64_t>(g.ow_len)));
                const auto hi = static_cast<std::size_t>(std::clamp<std::int64_t>(w_len - off <= 0 ? 0 : (w_len - off + sw - 1) / sw, static_cast<std::int64_t>(lo), static_cast<std::int64_t>(g.ow_len)));
                if (!row_inside) {
                    for (std::size_t ow = 0; ow < g.ow_len; ++ow) dst[ow * step_ow] = 0;
                    continue;
                }
                for (std::size_t ow = 0; ow < lo; ++ow) dst[ow * step_ow] = 0;
                for (std::size_t ow = lo; ow < hi; ++ow) {
                    const auto v = static_cast<std::int16_t>(src[static_cast<std::size_t>(static_cast<std::int64_t>(ow) * sw + off)] - g.zx);
                    dst[ow * step_ow] = v;
                    colsum[ow] += v;  // |sum| <= k_len * 255, far inside int32
                }
                for (std::size_t ow = hi; ow < g.ow_len; ++ow) dst[ow * step_ow] = 0;
            }
        }
    }
}

}  // namespace

void conv2d_run(const OpIO& io, std::uint64_t begin, std::uint64_t end, Simd simd) {
    const ir::Op& op = *io.op;
    const ConvGeom g = conv_geom(io);
    const bool has_bias = io.in.size() == 3;
    // Short filters (e.g. a first layer or depthwise 3x3) vectorize over output positions instead.
    const bool k_major = g.k_len < 32 || g.ow_len >= 32;  // measured: narrow rows favour dot_rows
    const std::size_t n_pad = (g.ow_len + 7) / 8 * 8, pairs = (g.k_len + 1) / 2;
    // Zero-initialized once: padding columns and the odd tap of the last pair stay zero.
    std::vector<std::int16_t> col(k_major ? 2 * pairs * n_pad : g.ow_len * g.k_len, 0);
    // Filters as int16 tap pairs (k-major path).
    std::vector<std::int32_t> wpairs(k_major ? g.oc_total * pairs : 0, 0);
    for (std::size_t oc = 0; oc < (k_major ? g.oc_total : 0); ++oc) {
        const std::int8_t* wr = as_i8(io.in[1]) + oc * g.k_len;
        for (std::size_t j = 0; j < pairs; ++j) {
            const auto lo = static_cast<std::uint16_t>(static_cast<std::int16_t>(wr[2 * j]));
            const auto hi = static_cast<std::uint16_t>(2 * j + 1 < g.k_len ? static_cast<std::int16_t>(wr[2 * j + 1]) : 0);
            wpairs[oc * pairs + j] = static_cast<std::int32_t>(static_cast<std::uint32_t>(lo) | (static_cast<std::uint32_t>(hi) << 16));
        }
    }
    std::vector<std::int32_t> colsum(g.ow_len), acc(std::max(g.oc_g, n_pad)), plane_acc(k_major ? 0 : g.oc_g * g.ow_len);
    for (std::uint64_t item = begin; item < end; ++item) {
        const std::size_t oh = static_cast<std::size_t>(item % g.oh_len);
        const std::size_t grp = static_cast<std::size_t>(item / g.oh_len % op.attrs.groups);
        const std::size_t n = static_cast<std::size_t>(item / g.oh_len / op.attrs.groups);
        im2col_row(io, g, n, grp, oh, k_major, col, colsum);
        const std::int8_t* wg = as_i8(io.in[1]) + grp * g.oc_g * g.k_len;
        // Adds the zero-point correction and bias to one output channel's row and requantizes it.
        const auto emit_row = [&](std::size_t r, std::int32_t* row) {
            const std::size_t oc = grp * g.oc_g + r;
            const std::int32_t b = has_bias ? load_i32(io.in[2], oc) : 0;
            // sum (x - zx)(w - zw) = sum x'w - zw sum x' (mod 2^32)
            for (std::size_t ow = 0; ow < g.ow_len; ++ow) row[ow] = wrap_add(wrap_add(row[ow], -wrap_mul(g.zw, colsum[ow])), b);
            requantize_block(row, g.ow_len, requant_for(op, oc), g.zo, op.attrs.act_min, op.attrs.act_max,
                             io.out.data() + ((n * g.oc_total + oc) * g.oh_len + oh) * g.ow_len, simd);
        };
        if (k_major) {
            for (std::size_t r = 0; r < g.oc_g; ++r) {
                dot_cols(wpairs.data() + (grp * g.oc_g + r) * pairs, col.data(), pairs, n_pad, acc.data(), simd);
                emit_row(r, acc.data());
            }
        } else {
            for (std::size_t ow = 0; ow < g.ow_len; ++ow) {
                dot_rows(col.data() + ow * g.k_len, wg, g.k_len, g.k_len, g.oc_g, acc.data(), simd);
                for (std::size_t r = 0; r < g.oc_g; ++r) plane_acc[r * g.ow_len + ow] = acc[r];
            }
            for (std::size_t r = 0; r < g.oc_g; ++r) emit_row(r, plane_acc.data() + r * g.ow_len);
        }
    }
}

std::uint64_t matmul_items(const OpIO& io) {
    const auto& s = io.out_desc->shape;
    return ir::element_count(s) / s.back();
}

void matmul_run(const OpIO& io, std::uint64_t begin, std::uint64_t end) {
    const ir::Op& op = *io.op;
    const auto& s = io.out_desc->shape;
    const std::size_t r = s.size(), m_len = s[r - 2], n_len = s[r - 1], k_len = io.in_desc[0]->shape[r - 1];
    const std::int32_t za = io.in_desc[0]->quant.zero_point, zb = io.in_desc[1]->quant.zero_point;
    const std::int32_t zo = io.out_desc->quant.zero_point;
    const std::int8_t *a = as_i8(io.in[0]), *b = as_i8(io.in[1]);
    std::vector<std::uint32_t> acc(n_len);
    for (std::uint64_t item = begin; item < end; ++item) {
        const std::size_t batch = static_cast<std::size_t>(item / m_len), m = static_cast<std::size_t>(item % m_len);
        std::fill(acc.begin(), acc.end(), 0U);
        const std::int8_t* arow = a + (batch * m_len + m) * k_len;
        const std::int8_t* bmat = b + batch * k_len * n_len;
        for (std::size_t k = 0; k < k_len; ++k) {
            const std::int32_t av = arow[k] - za;
            const std::int8_t* brow = bmat + k * n_len;
            for (std::size_t n = 0; n < n_len; ++n) acc[n] += static_cast<std::uint32_t>(av * (brow[n] - zb));
        }
        for (std::size_t n = 0; n < n_len; ++n) {
            io.out[item * n_len + n] = static_cast<std::uint8_t>(finish(op, static_cast<std::int32_t>(acc[n]), 0, zo));
        }
    }
}

}  // namespace sigil::kernels::detail
