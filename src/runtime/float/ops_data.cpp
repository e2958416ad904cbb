// Gather, Slice, Constant, ConstantOfShape, Cast.
#include <algorithm>
#include <cmath>
#include <limits>

#include "runtime/float/detail/op.hpp"

namespace sigil::runtime::detail {

namespace {

bool is_index_type(DType t) { return t == DType::I64 || t == DType::I32; }

}  // namespace

// Gather-13: out = data[:axis] + indices.shape + data[axis+1:]; negative indices count from
// the end; anything outside [-d, d) is refused.
OpResult op_gather(const OpContext& c) {
    const Tensor* data = SIGIL_TRY(c.in(0));
    const Tensor* ind = SIGIL_TRY(c.in(1));
    if (!is_index_type(ind->dtype)) return fail(c.err(FloatErrc::unsupported_dtype, "indices must be int32/int64"));
    if (data->rank() == 0) return fail(c.err(FloatErrc::shape_mismatch, "data is a scalar"));
    const std::size_t axis = SIGIL_TRY(norm_axis(c, c.node.int_or("axis", 0), data->rank()));
    const std::int64_t dim = data->shape[axis];
    std::vector<std::int64_t> idx(static_cast<std::size_t>(ind->numel()));
    for (std::size_t i = 0; i < idx.size(); ++i) {
        std::int64_t v = element_as_i64(*ind, i);
        if (v < -dim || v >= dim) return fail(c.err(FloatErrc::index_out_of_range, "index " + std::to_string(v)));
        idx[i] = v < 0 ? v + dim : v;
    }
    Shape os(data->shape.begin(), data->shape.begin() + static_cast<std::ptrdiff_t>(axis));
    os.insert(os.end(), ind->shape.begin(), ind->shape.end());
    os.insert(os.end(), data->shape.begin() + static_cast<std::ptrdiff_t>(axis) + 1, data->shape.end());
    const std::int64_t outer = shape_numel(std::span(data->shape).first(axis));
    const std::int64_t inner = shape_numel(std::span(data->shape).subspan(axis + 1));
    Tensor out = Tensor::zeros(data->dtype, os);
    visit_data(out, [&](auto& vo) {
        using T = typename std::decay_t<decltype(vo)>::value_type;
        const auto& vd = data->vec<T>();
        auto dst = vo.begin();
        for (std::int64_t o = 0; o < outer; ++o)
            for (auto i : idx) {
                const auto src = vd.begin() + (o * dim + i) * inner;
                dst = std::copy(src, src + inner, dst);
            }
    });
    return one(std::move(out));
}

namespace {

struct SliceAxis {
    std::int64_t start = 0, step = 1, count = 0;
};

/// Slice-13 clamping for one axis (ONNX Operators.md, Slice).
SliceAxis slice_axis(std::int64_t dim, std::int64_t start, std::int64_t end, std::int64_t step) {
    SliceAxis a;
    a.step = step;
    if (start < 0) start += dim;
    if (end < 0) end += dim;
    if (step > 0) {
        start = std::clamp<std::int64_t>(start, 0, dim);
        end = std::clamp<std::int64_t>(end, 0, dim);
        a.count = end > start ? (end - start + step - 1) / step : 0;
    } else {
        start = std::clamp<std::int64_t>(start, 0, dim - 1);
        end = std::clamp<std::int64_t>(end, -1, dim - 1);
        a.count = start > end ? (start - end - step - 1) / (-step) : 0;
    }
    a.start = start;
    return a;
}

Result<std::vector<std::int64_t>, FloatError> ints_of(const OpContext& c, const Tensor& t) {
    if (!is_index_type(t.dtype) || t.rank() != 1) return fail(c.err(FloatErrc::unsupported_dtype, "slice parameters must be 1-D int"));
    std::vector<std::int64_t> v(static_cast<std::size_t>(t.numel()));
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = element_as_i64(t, i);
    return v;
}

}  // namespace

OpResult op_slice(const OpContext& c) {
    const Tensor* x = SIGIL_TRY(c.in(0));
    const Tensor* st = SIGIL_TRY(c.in(1));
    const Tensor* en = SIGIL_TRY(c.in(2));
    const auto starts = SIGIL_TRY(ints_of(c, *st));
    const auto ends = SIGIL_TRY(ints_of(c, *en));
    std::vector<std::int64_t> axes(starts.size());
    for (std::size_t i = 0; i < axes.size(); ++i) axes[i] = static_cast<std::int64_t>(i);
    std::vector<std::int64_t> steps(starts.size(), 1);
    if (const Tensor* a = c.opt(3)) axes = SIGIL_TRY(ints_of(c, *a));
    if (const Tensor* s = c.opt(4)) steps = SIGIL_TRY(ints_of(c, *s));
    if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
        return fail(c.err(FloatErrc::shape_mismatch, "starts/ends/axes/steps lengths differ"));
    std::vector<SliceAxis> sl(x->rank());
    for (std::size_t d = 0; d < sl.size(); ++d) sl[d].count = x->shape[d];
    for (std::size_t i = 0; i < axes.size(); ++i) {
        const std::size_t ax = SIGIL_TRY(norm_axis(c, axes[i], x->rank()));
        if (steps[i] == 0) return fail(c.err(FloatErrc::bad_attribute, "step 0"));
        sl[ax] = slice_axis(x->shape[ax], starts[i], ends[i], steps[i]);
    }
    Shape os(sl.size());
    for (std::size_t d = 0; d < sl.size(); ++d) os[d] = sl[d].count;
    const auto in_strides = strides_of(x->shape);
    const auto out_strides = strides_of(os);
    Tensor out = Tensor::zeros(x->dtype, os);
    visit_data(out, [&](auto& vo) {
        using T = typename std::decay_t<decltype(vo)>::value_type;
        const auto& vx = x->vec<T>();
        for (std::size_t o = 0; o < vo.size(); ++o) {
            std::int64_t src = 0;
            for (std::size_t d = 0; d < os.size(); ++d) {
                const std::int64_t i = (static_cast<std::int64_t>(o) / out_strides[d]) % os[d];
                src += (sl[d].start + i * sl[d].step) * in_strides[d];
            }
            vo[o] = vx[static_cast<std::size_t>(src)];
        }
    });
    return one(std::move(out));
}

// Constant-13: exactly one of value, value_float(s), value_int(s). Sparse and string values
// are refused.
OpResult op_constant(const OpContext& c) {
    if (c.node.attrs.size() != 1) return fail(c.err(FloatErrc::bad_attribute, "needs exactly one value attribute"));
    if (auto t = c.node.get<Tensor>("value")) return one(std::move(*t));
    if (auto f = c.node.get<float>("value_float")) return one(Tensor::f32({}, {*f}));
    if (auto fs = c.node.get<std::vector<float>>("value_floats")) {
        const auto n = static_cast<std::int64_t>(fs->size());
        return one(Tensor::f32({n}, std::move(*fs)));
    }
    if (auto i = c.node.get<std::int64_t>("value_int")) return one(Tensor::i64({}, {*i}));
    if (auto is = c.node.get<std::vector<std::int64_t>>("value_ints")) {
        const auto n = static_cast<std::int64_t>(is->size());
        return one(Tensor::i64({n}, std::move(*is)));
    }
    return fail(c.err(FloatErrc::unsupported_attribute, "attribute '" + c.node.attrs.begin()->first + "'"));
}

OpResult op_constant_of_shape(const OpContext& c) {
    const Tensor* s = SIGIL_TRY(c.in(0));
    if (s->dtype != DType::I64 || s->rank() != 1) return fail(c.err(FloatErrc::unsupported_dtype, "shape must be 1-D int64"));
    Shape os = s->vec<std::int64_t>();
    for (auto d : os)
        if (d < 0) return fail(c.err(FloatErrc::shape_mismatch, "negative dim"));
    Tensor value = c.node.get<Tensor>("value").value_or(Tensor::f32({1}, {0.0f}));
    if (value.numel() != 1) return fail(c.err(FloatErrc::bad_attribute, "value must have one element"));
    Tensor out = Tensor::zeros(value.dtype, os);
    visit_data(out, [&](auto& vo) {
        using T = typename std::decay_t<decltype(vo)>::value_type;
        std::fill(vo.begin(), vo.end(), value.vec<T>()[0]);
    });
    return one(std::move(out));
}

namespace {

/// Converts without undefined behaviour: float to integer truncates toward zero and saturates
/// (NaN becomes 0); integer to integer wraps.
template <typename To, typename From>
To convert(From v) {
    if constexpr (std::is_same_v<To, char>) {  // to bool: non-zero (NaN included) is true
        return v != From{0} ? 1 : 0;
    } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
        if (std::isnan(v)) return To{0};
        const long double x = std::trunc(static_cast<long double>(v));
        if (x <= static_cast<long double>(std::numeric_limits<To>::lowest())) return std::numeric_limits<To>::lowest();
        if (x >= static_cast<long double>(std::numeric_limits<To>::max())) return std::numeric_limits<To>::max();
        return static_cast<To>(x);
    } else {
        return static_cast<To>(v);
    }
}

}  // namespace

OpResult op_cast(const OpContext& c) {
    const Tensor* x = SIGIL_TRY(c.in(0));
    const auto to = dtype_from_onnx_code(c.node.int_or("to", 0));
    if (!to) return fail(c.err(FloatErrc::unsupported_dtype, "to=" + std::to_string(c.node.int_or("to", 0))));
    Tensor out = Tensor::zeros(*to, x->shape);
    visit_data(out, [&](auto& vo) {
        using To = typename std::decay_t<decltype(vo)>::value_type;
        visit_data(*x, [&](const auto& vx) {
            for (std::size_t i = 0; i < vo.size(); ++i) vo[i] = convert<To>(vx[i]);
        });
    });
    return one(std::move(out));
}

}  // namespace sigil::runtime::detail
