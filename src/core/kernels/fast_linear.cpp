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

std::int8_t finish(const ir::Op& op, std::int32_t acc, std::size_t channel, std::int32_t zo) {
    return static_cast<std::int8_t>(
        add_zero_point_clamp(requantize(acc, requant_for(op, channel)), zo, op.attrs.act_min, op.attrs.act_max));
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
            io.out[m * n_len + n0 + r] = static_cast<std::uint8_t>(finish(op, a, n0 + r, zo));
        }
    }
}

std::uint64_t conv2d_items(const OpIO& io) {
    const auto& s = io.out_desc->shape;
    return std::uint64_t{s[0]} * io.op->attrs.groups * s[2];
}

void conv2d_run(const OpIO& io, std::uint64_t begin, std::uint64_t end, Simd simd) {
    const ir::Op& op = *io.op;
    const auto& at = op.attrs;
    const auto &xs = io.in_desc[0]->shape, &ws = io.in_desc[1]->shape, &os = io.out_desc->shape;
    const std::size_t c_in = xs[1], h = xs[2], w = xs[3];
    const std::size_t cg = ws[1], kh = ws[2], kw = ws[3], k_len = cg * kh * kw;
    const std::size_t oc_g = os[1] / at.groups, oh_len = os[2], ow_len = os[3];
    const std::int32_t zx = io.in_desc[0]->quant.zero_point, zw = io.in_desc[1]->quant.zero_point;
    const std::int32_t zo = io.out_desc->quant.zero_point;
    const bool has_bias = io.in.size() == 3;
    const std::int8_t* x = as_i8(io.in[0]);
    std::vector<std::int16_t> col(ow_len * k_len);
    std::vector<std::int32_t> colsum(ow_len), acc(oc_g);
    for (std::uint64_t item = begin; item < end; ++item) {
        const std::size_t oh = static_cast<std::size_t>(item % oh_len);
        const std::size_t g = static_cast<std::size_t>(item / oh_len % at.groups);
        const std::size_t n = static_cast<std::size_t>(item / oh_len / at.groups);
        // im2col of one output row: col[ow][ci, i, j] = x - zx, 0 in the padding.
        for (std::size_t ow = 0; ow < ow_len; ++ow) {
            std::int16_t* dst = col.data() + ow * k_len;
            std::uint32_t s = 0;
            for (std::size_t ci = 0; ci < cg; ++ci) {
                const std::int8_t* plane = x + (n * c_in + g * cg + ci) * h * w;
                for (std::size_t i = 0; i < kh; ++i) {
                    const auto ih = static_cast<std::int64_t>(oh * at.stride[0] + i * at.dilation[0]) - at.pads[0];
                    for (std::size_t j = 0; j < kw; ++j) {
                        const auto iw = static_cast<std::int64_t>(ow * at.stride[1] + j * at.dilation[1]) - at.pads[1];
                        const bool inside = ih >= 0 && ih < static_cast<std::int64_t>(h) && iw >= 0 &&
                                            iw < static_cast<std::int64_t>(w);
                        const auto v = static_cast<std::int16_t>(
                            inside ? plane[static_cast<std::size_t>(ih) * w + static_cast<std::size_t>(iw)] - zx : 0);
                        *dst++ = v;
                        s += static_cast<std::uint32_t>(v);
                    }
                }
            }
            colsum[ow] = static_cast<std::int32_t>(s);
        }
        const std::int8_t* wg = as_i8(io.in[1]) + g * oc_g * k_len;
        for (std::size_t ow = 0; ow < ow_len; ++ow) {
            dot_rows(col.data() + ow * k_len, wg, k_len, k_len, oc_g, acc.data(), simd);
            for (std::size_t r = 0; r < oc_g; ++r) {
                const std::size_t oc = g * oc_g + r;
                std::int32_t a = wrap_add(acc[r], -wrap_mul(zw, colsum[ow]));
                if (has_bias) a = wrap_add(a, load_i32(io.in[2], oc));
                io.out[((n * os[1] + oc) * oh_len + oh) * ow_len + ow] = static_cast<std::uint8_t>(finish(op, a, oc, zo));
            }
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
