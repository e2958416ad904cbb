// Fast paths of softmax, causal_softmax, layer_norm and rms_norm: row statistics computed once per row.
#include <algorithm>
#include <array>
#include <optional>

#include "core/kernels/detail/fast_ops.hpp"
#include "core/kernels/detail/rules.hpp"
#include "core/kernels/fixedpoint.hpp"
#include "core/kernels/nonlinear.hpp"

namespace sigil::kernels::detail {
namespace {

/// Softmax over the first `visible` elements of row `row`; the rest of the row is -128.
void softmax_row(const OpIO& io, std::uint64_t row, std::size_t visible,
                 const std::array<std::int64_t, 256>& exp_of_neg_d) {
    const std::size_t len = io.in_desc[0]->shape.back();
    const auto* x = reinterpret_cast<const std::int8_t*>(io.in[0].data()) + row * len;  // NOLINT
    const std::int32_t mx = *std::max_element(x, x + visible);
    std::int64_t sum = 0;
    for (std::size_t j = 0; j < visible; ++j) sum += exp_of_neg_d[static_cast<std::size_t>(mx - x[j])];
    for (std::size_t j = 0; j < visible; ++j) {
        const std::int64_t v = (exp_of_neg_d[static_cast<std::size_t>(mx - x[j])] * 256 + sum / 2) / sum - 128;
        io.out[row * len + j] = static_cast<std::uint8_t>(v > 127 ? 127 : v);
    }
    for (std::size_t j = visible; j < len; ++j) io.out[row * len + j] = 0x80;  // -128
}

void norm_row(const OpIO& io, std::uint64_t row, bool centre) {
    const ir::Op& op = *io.op;
    const std::size_t len = io.in_desc[0]->shape.back();
    const auto d_len = static_cast<std::int64_t>(len);
    const auto* x = reinterpret_cast<const std::int8_t*>(io.in[0].data()) + row * len;  // NOLINT
    const auto* g = reinterpret_cast<const std::int8_t*>(io.in[1].data());            // NOLINT
    const std::int32_t zx = io.in_desc[0]->quant.zero_point, zg = io.in_desc[1]->quant.zero_point;
    std::int64_t s = 0;
    if (centre) {
        for (std::size_t j = 0; j < len; ++j) s += x[j] - zx;
    }
    std::int64_t sq = 0;
    for (std::size_t j = 0; j < len; ++j) {
        const std::int64_t y = d_len * (x[j] - zx) - s;
        sq += y * y;
    }
    const auto var = static_cast<std::uint64_t>(sq / d_len) + static_cast<std::uint64_t>(op.attrs.epsilon);
    const auto sigma = static_cast<std::int64_t>(std::max<std::uint64_t>(isqrt(var), 1));
    for (std::size_t j = 0; j < len; ++j) {
        const std::int64_t y = d_len * (x[j] - zx) - s;
        const auto n = static_cast<std::int32_t>(div_round_away(y * kOneQ14, sigma));
        const std::int32_t scaled = wrap_mul(g[j] - zg, n);
        const std::int32_t acc = centre ? wrap_add(scaled, load_i32(io.in[2], j)) : scaled;
        io.out[row * len + j] = static_cast<std::uint8_t>(add_zero_point_clamp(
            requantize(acc, op.attrs.requant[0]), io.out_desc->quant.zero_point, op.attrs.act_min, op.attrs.act_max));
    }
}

}  // namespace

std::uint64_t row_items(const OpIO& io) {
    return ir::element_count(io.in_desc[0]->shape) / io.in_desc[0]->shape.back();
}

void row_run(const OpIO& io, std::uint64_t begin, std::uint64_t end) {
    const auto kind = io.op->kind;
    if (kind == ir::OpKind::layer_norm || kind == ir::OpKind::rms_norm) {
        for (std::uint64_t r = begin; r < end; ++r) norm_row(io, r, kind == ir::OpKind::layer_norm);
        return;
    }
    std::array<std::int64_t, 256> table{};  // x - max ranges over [-255, 0]
    for (std::size_t d = 0; d < 256; ++d) {
        table[d] = iexp_q14(requantize(-static_cast<std::int32_t>(d), io.op->attrs.requant[0]));
    }
    const auto& shape = io.in_desc[0]->shape;
    const std::size_t keys = shape.back();
    if (kind == ir::OpKind::softmax) {
        for (std::uint64_t r = begin; r < end; ++r) softmax_row(io, r, keys, table);
        return;
    }
    // causal_softmax: query i of each [Q, K] block sees keys 0 .. i + offset (docs/ops.md §19).
    const std::size_t queries = shape[shape.size() - 2];
    std::optional<Operand> offset;
    if (io.in.size() == 2) offset.emplace(*io.in_desc[1], io.in[1]);
    for (std::uint64_t r = begin; r < end; ++r) {
        const auto visible = causal_visible(r % queries, queries, keys, offset ? &*offset : nullptr);
        softmax_row(io, r, static_cast<std::size_t>(visible), table);
    }
}

}  // namespace sigil::kernels::detail
