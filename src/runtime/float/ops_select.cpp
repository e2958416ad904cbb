// Equal, Where, Expand, Range, Pow and Split: what PyTorch's exporter writes for causal masks,
// decomposed normalizations, fused QKV projections and position ids (ONNX Operators.md).
// Broadcasting is numpy's; Equal and Where carry bool tensors (stored as char 0/1).
#include <algorithm>
#include <cmath>
#include <limits>

#include "runtime/float/detail/elementwise.hpp"

namespace sigil::runtime::detail {

namespace {

/// Calls fn(out_index, offset of each operand) over the numpy broadcast of `operands` to `out`.
template <typename Fn>
void for_each_broadcast(const Shape& out, const std::vector<const Shape*>& operands, Fn fn) {
    const auto n = static_cast<std::size_t>(shape_numel(out));
    std::vector<std::vector<std::int64_t>> strides;
    for (const Shape* s : operands) strides.push_back(broadcast_strides(*s, out));
    std::vector<std::int64_t> idx(out.size(), 0);
    std::vector<std::int64_t> off(operands.size(), 0);
    for (std::size_t o = 0; o < n; ++o) {
        fn(o, off);
        for (std::size_t d = out.size(); d-- > 0;) {
            ++idx[d];
            for (std::size_t k = 0; k < off.size(); ++k) off[k] += strides[k][d];
            if (idx[d] < out[d]) break;
            for (std::size_t k = 0; k < off.size(); ++k) off[k] -= strides[k][d] * out[d];
            idx[d] = 0;
        }
    }
}

}  // namespace

OpResult op_equal(const OpContext& c) {
    const Tensor* a = SIGIL_TRY(c.in(0));
    const Tensor* b = SIGIL_TRY(c.in(1));
    if (a->dtype != b->dtype)
        return fail(c.err(FloatErrc::unsupported_dtype,
                          "mixed " + std::string(to_string(a->dtype)) + " and " + std::string(to_string(b->dtype))));
    Shape os = SIGIL_TRY(broadcast_shapes(c, a->shape, b->shape));
    Tensor out = Tensor::zeros(DType::Bool, os);
    auto& vo = out.vec<char>();
    visit_data(*a, [&](const auto& va) {
        using T = typename std::decay_t<decltype(va)>::value_type;
        const auto& vb = b->vec<T>();
        for_each_broadcast(os, {&a->shape, &b->shape}, [&](std::size_t o, const std::vector<std::int64_t>& off) {
            vo[o] = va[static_cast<std::size_t>(off[0])] == vb[static_cast<std::size_t>(off[1])] ? 1 : 0;
        });
    });
    return one(std::move(out));
}

OpResult op_where(const OpContext& c) {
    const Tensor* cond = SIGIL_TRY(c.in(0));
    const Tensor* x = SIGIL_TRY(c.in(1));
    const Tensor* y = SIGIL_TRY(c.in(2));
    if (cond->dtype != DType::Bool) return fail(c.err(FloatErrc::unsupported_dtype, "condition must be bool"));
    if (x->dtype != y->dtype)
        return fail(c.err(FloatErrc::unsupported_dtype,
                          "mixed " + std::string(to_string(x->dtype)) + " and " + std::string(to_string(y->dtype))));
    Shape os = SIGIL_TRY(broadcast_shapes(c, cond->shape, x->shape));
    os = SIGIL_TRY(broadcast_shapes(c, os, y->shape));
    Tensor out = Tensor::zeros(x->dtype, os);
    const auto& vc = cond->vec<char>();
    visit_data(out, [&](auto& vo) {
        using T = typename std::decay_t<decltype(vo)>::value_type;
        const auto& vx = x->vec<T>();
        const auto& vy = y->vec<T>();
        for_each_broadcast(os, {&cond->shape, &x->shape, &y->shape},
                           [&](std::size_t o, const std::vector<std::int64_t>& off) {
                               vo[o] = vc[static_cast<std::size_t>(off[0])] != 0 ? vx[static_cast<std::size_t>(off[1])]
                                                                                 : vy[static_cast<std::size_t>(off[2])];
                           });
    });
    return one(std::move(out));
}

OpResult op_expand(const OpContext& c) {
    const Tensor* x = SIGIL_TRY(c.in(0));
    const Tensor* s = SIGIL_TRY(c.in(1));
    if (s->dtype != DType::I64 || s->rank() != 1)
        return fail(c.err(FloatErrc::unsupported_dtype, "shape must be 1-D int64"));
    // The output is the broadcast of the input and the requested shape (a 1 there keeps the
    // input's dim, as numpy broadcasting does).
    const Shape& want = s->vec<std::int64_t>();
    for (auto d : want)
        if (d < 0) return fail(c.err(FloatErrc::shape_mismatch, "negative dim in shape " + shape_str(want)));
    Shape os = SIGIL_TRY(broadcast_shapes(c, x->shape, want));
    Tensor out = Tensor::zeros(x->dtype, os);
    visit_data(out, [&](auto& vo) {
        using T = typename std::decay_t<decltype(vo)>::value_type;
        const auto& vx = x->vec<T>();
        for_each_broadcast(os, {&x->shape}, [&](std::size_t o, const std::vector<std::int64_t>& off) {
            vo[o] = vx[static_cast<std::size_t>(off[0])];
        });
    });
    return one(std::move(out));
}

OpResult op_range(const OpContext& c) {
    const Tensor* start = SIGIL_TRY(c.in(0));
    const Tensor* limit = SIGIL_TRY(c.in(1));
    const Tensor* delta = SIGIL_TRY(c.in(2));
    if (start->dtype != limit->dtype || start->dtype != delta->dtype)
        return fail(c.err(FloatErrc::unsupported_dtype, "start, limit and delta must have one dtype"));
    for (const Tensor* t : {start, limit, delta}) {
        if (t->numel() != 1) return fail(c.err(FloatErrc::shape_mismatch, "start, limit and delta must be scalars"));
    }
    const DType dt = start->dtype;
    if (dt != DType::F32 && dt != DType::F64 && dt != DType::I16 && dt != DType::I32 && dt != DType::I64)
        return fail(c.err(FloatErrc::unsupported_dtype, std::string(to_string(dt))));
    Tensor out;
    Result<void, FloatError> status{};
    visit_data(*start, [&](const auto& vs) {
        using T = typename std::decay_t<decltype(vs)>::value_type;
        if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double> || std::is_same_v<T, std::int16_t> ||
                      std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::int64_t>) {
            const T s0 = vs[0];
            const T lim = limit->vec<T>()[0];
            const T d = delta->vec<T>()[0];
            if (d == T{0}) {
                status = fail(c.err(FloatErrc::bad_attribute, "delta is 0"));
                return;
            }
            // number_of_elements = max(ceil((limit - start) / delta), 0), in double like the spec's
            // reference; at most the executor's element limit.
            const double count =
                std::ceil((static_cast<double>(lim) - static_cast<double>(s0)) / static_cast<double>(d));
            if (!(count < static_cast<double>(std::int64_t{1} << 30))) {
                status = fail(c.err(FloatErrc::shape_mismatch, "range too long"));
                return;
            }
            const auto n = static_cast<std::int64_t>(std::max(count, 0.0));
            out = Tensor::zeros(dt, {n});
            auto& vo = out.vec<T>();
            for (std::int64_t i = 0; i < n; ++i) {
                vo[static_cast<std::size_t>(i)] = static_cast<T>(s0 + static_cast<T>(i) * d);
            }
        }
    });
    if (!status) return fail(status.error());
    return one(std::move(out));
}

OpResult op_pow(const OpContext& c) {
    const Tensor* a = SIGIL_TRY(c.in(0));
    const Tensor* b = SIGIL_TRY(c.in(1));
    if (a->dtype == DType::Bool || b->dtype == DType::Bool ||
        !(is_float(a->dtype) || a->dtype == DType::I32 || a->dtype == DType::I64))
        return fail(c.err(FloatErrc::unsupported_dtype, std::string(to_string(a->dtype)) + " base"));
    Shape os = SIGIL_TRY(broadcast_shapes(c, a->shape, b->shape));
    // The result has the base's type; the exponent may be any numeric type (ONNX Pow-12+).
    Tensor out = Tensor::zeros(a->dtype, os);
    visit_data(out, [&](auto& vo) {
        using T = typename std::decay_t<decltype(vo)>::value_type;
        const auto& va = a->vec<T>();
        for_each_broadcast(os, {&a->shape, &b->shape}, [&](std::size_t o, const std::vector<std::int64_t>& off) {
            const double e = element_as_f64(*b, static_cast<std::size_t>(off[1]));
            const double r = std::pow(static_cast<double>(va[static_cast<std::size_t>(off[0])]), e);
            if constexpr (std::is_floating_point_v<T>) {
                vo[o] = static_cast<T>(r);
            } else {  // integer base: the exact power, truncated like numpy's integer pow
                vo[o] = std::isfinite(r) && std::abs(r) < 9.2e18 ? static_cast<T>(std::trunc(r)) : T{0};
            }
        });
    });
    return one(std::move(out));
}

OpResult op_split(const OpContext& c) {
    const Tensor* x = SIGIL_TRY(c.in(0));
    const std::size_t axis = SIGIL_TRY(norm_axis(c, c.node.int_or("axis", 0), x->rank()));
    const std::int64_t dim = x->shape[axis];
    const std::size_t outputs = c.node.outputs.size();
    if (outputs == 0) return fail(c.err(FloatErrc::bad_attribute, "no outputs"));
    // The sizes: the `split` input (opset 13+) or attribute (before), else equal parts (the last
    // one smaller when the dim does not divide, as opset 18's num_outputs defines).
    std::vector<std::int64_t> sizes;
    if (const Tensor* s = c.opt(1)) {
        if (s->dtype != DType::I64 || s->rank() != 1)
            return fail(c.err(FloatErrc::unsupported_dtype, "split must be 1-D int64"));
        sizes = s->vec<std::int64_t>();
    } else if (c.opset < 13 && c.node.has_attr("split")) {
        sizes = c.node.ints_or("split", {});
    } else {
        const auto k = static_cast<std::int64_t>(c.node.int_or("num_outputs", static_cast<std::int64_t>(outputs)));
        if (k != static_cast<std::int64_t>(outputs))
            return fail(c.err(FloatErrc::bad_attribute, "num_outputs is not the number of outputs"));
        const std::int64_t part = (dim + k - 1) / k;
        for (std::int64_t i = 0; i < k; ++i) sizes.push_back(std::max<std::int64_t>(0, std::min(part, dim - i * part)));
    }
    if (sizes.size() != outputs)
        return fail(c.err(FloatErrc::bad_attribute,
                          std::to_string(sizes.size()) + " split sizes for " + std::to_string(outputs) + " outputs"));
    std::int64_t total = 0;
    for (auto s : sizes) {
        if (s < 0) return fail(c.err(FloatErrc::bad_attribute, "negative split size"));
        total += s;
    }
    if (total != dim)
        return fail(c.err(FloatErrc::shape_mismatch, "split sizes add up to " + std::to_string(total) +
                                                         ", not the axis length " + std::to_string(dim)));
    std::int64_t outer = 1;
    for (std::size_t d = 0; d < axis; ++d) outer *= x->shape[d];
    std::int64_t inner = 1;
    for (std::size_t d = axis + 1; d < x->rank(); ++d) inner *= x->shape[d];
    OpOutputs outs;
    std::int64_t begin = 0;
    for (auto size : sizes) {
        Shape os = x->shape;
        os[axis] = size;
        Tensor out = Tensor::zeros(x->dtype, os);
        visit_data(out, [&](auto& vo) {
            using T = typename std::decay_t<decltype(vo)>::value_type;
            const auto& vx = x->vec<T>();
            std::size_t o = 0;
            for (std::int64_t i = 0; i < outer; ++i) {
                const auto from = static_cast<std::size_t>((i * dim + begin) * inner);
                const auto n = static_cast<std::size_t>(size * inner);
                std::copy_n(vx.begin() + static_cast<std::ptrdiff_t>(from), n,
                            vo.begin() + static_cast<std::ptrdiff_t>(o));
                o += n;
            }
        });
        begin += size;
        outs.push_back(std::move(out));
    }
    return outs;
}

}  // namespace sigil::runtime::detail
