// Fast paths of reshape, transpose, concat, gather and cache_write: byte copies of contiguous runs.
#include <algorithm>
#include <cstring>

#include "core/kernels/detail/fast_ops.hpp"
#include "core/kernels/reference.hpp"

namespace sigil::kernels::detail {
namespace {

std::uint64_t prod(const std::vector<std::uint32_t>& s, std::size_t from, std::size_t to) {
    std::uint64_t p = 1;
    for (std::size_t i = from; i < to; ++i) p *= s[i];
    return p;
}

void copy(const OpIO& io, std::size_t input, std::uint64_t src_elem, std::uint64_t dst_elem, std::uint64_t n) {
    const std::uint64_t width = ir::dtype_size(io.out_desc->dtype);
    std::memcpy(io.out.data() + dst_elem * width, io.in[input].data() + src_elem * width, n * width);
}

}  // namespace

std::uint64_t shape_items(const OpIO& io) {
    const auto& os = io.out_desc->shape;
    switch (io.op->kind) {
        case ir::OpKind::concat: return prod(os, 0, static_cast<std::size_t>(io.op->attrs.axis));
        case ir::OpKind::gather:
            return prod(os, 0, static_cast<std::size_t>(io.op->attrs.axis)) * ir::element_count(io.in_desc[1]->shape);
        default: return (ir::element_count(os) + kBlock - 1) / kBlock;
    }
}

void shape_run(const OpIO& io, std::uint64_t begin, std::uint64_t end) {
    const auto& os = io.out_desc->shape;
    const auto kind = io.op->kind;
    if (kind == ir::OpKind::reshape || kind == ir::OpKind::transpose) {
        const std::uint64_t lo = begin * kBlock, hi = std::min(ir::element_count(os), end * kBlock);
        if (kind == ir::OpKind::reshape) return copy(io, 0, lo, lo, hi - lo);
        // transpose: output axis k walks input axis perm[k].
        const auto& is = io.in_desc[0]->shape;
        std::vector<std::uint64_t> in_strides(is.size());
        for (std::size_t k = is.size(), s = 1; k-- > 0; s *= is[k]) in_strides[k] = s;
        std::array<std::vector<std::uint64_t>, 1> st{std::vector<std::uint64_t>(os.size())};
        for (std::size_t k = 0; k < os.size(); ++k) st[0][k] = in_strides[io.op->attrs.perm[k]];
        const std::size_t width = ir::dtype_size(io.out_desc->dtype);
        const std::uint8_t* src = io.in[0].data();
        strided_walk<1>(os, st, lo, hi, [&](std::uint64_t i, const std::array<std::uint64_t, 1>& off) {
            std::memcpy(io.out.data() + i * width, src + off[0] * width, width);
        });
        return;
    }
    const auto axis = static_cast<std::size_t>(io.op->attrs.axis);
    if (kind == ir::OpKind::cache_write) {
        // The cache's bytes, then the row at the written position where it falls in this block.
        const std::uint64_t lo = begin * kBlock, hi = std::min(ir::element_count(os), end * kBlock);
        copy(io, 0, lo, lo, hi - lo);
        const std::int64_t s = os[axis];
        const std::int64_t v = load_i32(io.in[1], 0);
        const auto p = static_cast<std::uint64_t>(((v % s) + s) % s);
        const std::uint64_t inner = prod(os, axis + 1, os.size()), outer_n = prod(os, 0, axis);
        for (std::uint64_t outer = 0; outer < outer_n; ++outer) {
            const std::uint64_t start = (outer * static_cast<std::uint64_t>(s) + p) * inner;
            const std::uint64_t a = std::max(start, lo), b = std::min(start + inner, hi);
            if (a < b) copy(io, 2, outer * inner + (a - start), a, b - a);
        }
        return;
    }
    if (kind == ir::OpKind::concat) {
        const std::uint64_t out_slab = prod(os, axis, os.size());
        for (std::uint64_t outer = begin; outer < end; ++outer) {
            std::uint64_t at = outer * out_slab;
            for (std::size_t k = 0; k < io.in.size(); ++k) {
                const std::uint64_t slab = prod(io.in_desc[k]->shape, axis, os.size());
                copy(io, k, outer * slab, at, slab);
                at += slab;
            }
        }
        return;
    }
    // gather: item = (outer, index position); copies one inner slab.
    const auto& ds = io.in_desc[0]->shape;
    const std::uint64_t n_idx = ir::element_count(io.in_desc[1]->shape);
    const std::uint64_t inner = prod(ds, axis + 1, ds.size());
    const std::int64_t s = ds[axis];
    for (std::uint64_t item = begin; item < end; ++item) {
        const std::uint64_t outer = item / n_idx, j = item % n_idx;
        const std::int64_t v = load_i32(io.in[1], j);
        const auto wrapped = static_cast<std::uint64_t>(((v % s) + s) % s);
        copy(io, 0, (outer * static_cast<std::uint64_t>(s) + wrapped) * inner, item * inner, inner);
    }
}

}  // namespace sigil::kernels::detail
