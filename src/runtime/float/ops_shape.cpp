// Shape manipulation: Reshape, Flatten, Transpose, Concat, Shape, Size, Identity, Squeeze,
// Unsqueeze. Any carried dtype; data is copied unchanged (row-major order kept).
#include <algorithm>

#include "runtime/float/detail/op.hpp"

namespace sigil::runtime::detail {

namespace {

Tensor with_shape(const Tensor& x, Shape s) {
    Tensor t = x;
    t.shape = std::move(s);
    return t;
}

/// Reads a 1-D integer tensor (shape/axes inputs) into int64s.
Result<std::vector<std::int64_t>, FloatError> int_list(const OpContext& c, const Tensor& t, const char* what) {
    if (t.dtype != DType::I64 && t.dtype != DType::I32)
        return fail(c.err(FloatErrc::unsupported_dtype, std::string(what) + " must be int64/int32"));
    if (t.rank() > 1) return fail(c.err(FloatErrc::shape_mismatch, std::string(what) + " must be 1-D"));
    std::vector<std::int64_t> v(static_cast<std::size_t>(t.numel()));
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = element_as_i64(t, i);
    return v;
}

}  // namespace

// Reshape-14: 0 copies the input dim (unless allowzero=1), one -1 is inferred.
OpResult op_reshape(const OpContext& c) {
    const Tensor* x = SIGIL_TRY(c.in(0));
    const Tensor* st = SIGIL_TRY(c.in(1));
    std::vector<std::int64_t> s = SIGIL_TRY(int_list(c, *st, "shape"));
    const bool allowzero = c.node.int_or("allowzero", 0) != 0;
    std::int64_t known = 1;
    std::ptrdiff_t infer = -1;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == 0 && !allowzero) {
            if (i >= x->rank()) return fail(c.err(FloatErrc::shape_mismatch, "0 copies a dim beyond the input rank"));
            s[i] = x->shape[i];
        }
        if (s[i] == -1) {
            if (infer >= 0) return fail(c.err(FloatErrc::shape_mismatch, "more than one -1"));
            infer = static_cast<std::ptrdiff_t>(i);
        } else if (s[i] < 0) {
            return fail(c.err(FloatErrc::shape_mismatch, "negative dim"));
        } else {
            known *= s[i];
        }
    }
    const std::int64_t n = x->numel();
    if (infer >= 0) {
        if (known == 0 || n % known != 0)
            return fail(c.err(FloatErrc::shape_mismatch, "cannot infer -1 for " + shape_str(x->shape)));
        s[static_cast<std::size_t>(infer)] = n / known;
    } else if (known != n) {
        return fail(c.err(FloatErrc::shape_mismatch, shape_str(x->shape) + " to " + shape_str(s)));
    }
    return one(with_shape(*x, std::move(s)));
}

// Flatten-13: [d0..d(axis-1)] x [d(axis)..]; axis in [-r, r].
OpResult op_flatten(const OpContext& c) {
    const Tensor* x = SIGIL_TRY(c.in(0));
    const auto r = static_cast<std::int64_t>(x->rank());
    std::int64_t axis = c.node.int_or("axis", 1);
    if (axis < -r || axis > r) return fail(c.err(FloatErrc::bad_attribute, "axis out of range"));
    if (axis < 0) axis += r;
    const auto split = static_cast<std::size_t>(axis);
    const std::int64_t outer = shape_numel(std::span(x->shape).first(split));
    return one(with_shape(*x, {outer, shape_numel(std::span(x->shape).subspan(split))}));
}

OpResult op_transpose(const OpContext& c) {
    const Tensor* x = SIGIL_TRY(c.in(0));
    const std::size_t r = x->rank();
    std::vector<std::int64_t> perm(r);
    for (std::size_t i = 0; i < r; ++i) perm[i] = static_cast<std::int64_t>(r - 1 - i);
    perm = c.node.ints_or("perm", perm);
    std::vector<bool> seen(r, false);
    if (perm.size() != r) return fail(c.err(FloatErrc::bad_attribute, "perm length"));
    for (auto p : perm) {
        if (p < 0 || static_cast<std::size_t>(p) >= r || seen[static_cast<std::size_t>(p)])
            return fail(c.err(FloatErrc::bad_attribute, "perm is not a permutation"));
        seen[static_cast<std::size_t>(p)] = true;
    }
    Shape os(r);
    for (std::size_t i = 0; i < r; ++i) os[i] = x->shape[static_cast<std::size_t>(perm[i])];
    const auto in_strides = strides_of(x->shape);
    const auto out_strides = strides_of(os);
    Tensor out = Tensor::zeros(x->dtype, os);
    visit_data(out, [&](auto& vo) {
        using T = typename std::decay_t<decltype(vo)>::value_type;
        const auto& vx = x->vec<T>();
        for (std::size_t o = 0; o < vo.size(); ++o) {
            std::int64_t src = 0;
            for (std::size_t d = 0; d < r; ++d)
                src += ((static_cast<std::int64_t>(o) / out_strides[d]) % os[d]) * in_strides[static_cast<std::size_t>(perm[d])];
            vo[o] = vx[static_cast<std::size_t>(src)];
        }
    });
    return one(std::move(out));
}

OpResult op_concat(const OpContext& c) {
    if (c.inputs.empty()) return fail(c.err(FloatErrc::missing_input, "no inputs"));
    const Tensor* first = SIGIL_TRY(c.in(0));
    const std::size_t axis = SIGIL_TRY(norm_axis(c, c.node.int_or("axis", 0), first->rank()));
    Shape os = first->shape;
    os[axis] = 0;
    for (std::size_t i = 0; i < c.inputs.size(); ++i) {
        const Tensor* t = SIGIL_TRY(c.in(i));
        bool ok = t->dtype == first->dtype && t->rank() == first->rank();
        for (std::size_t d = 0; ok && d < os.size(); ++d) ok = d == axis || t->shape[d] == os[d];
        if (!ok) return fail(c.err(FloatErrc::shape_mismatch, "input " + std::to_string(i) + " " + shape_str(t->shape)));
        os[axis] += t->shape[axis];
    }
    const std::int64_t outer = shape_numel(std::span(os).first(axis));
    const std::int64_t inner = shape_numel(std::span(os).subspan(axis + 1));
    Tensor out = Tensor::zeros(first->dtype, os);
    visit_data(out, [&](auto& vo) {
        using T = typename std::decay_t<decltype(vo)>::value_type;
        auto dst = vo.begin();
        for (std::int64_t o = 0; o < outer; ++o)
            for (const Tensor* t : c.inputs) {
                const std::int64_t chunk = t->shape[axis] * inner;
                const auto src = t->vec<T>().begin() + o * chunk;
                dst = std::copy(src, src + chunk, dst);
            }
    });
    return one(std::move(out));
}

// Shape-15: dims[start:end] with Python-style clamping.
OpResult op_shape(const OpContext& c) {
    const Tensor* x = SIGIL_TRY(c.in(0));
    const auto r = static_cast<std::int64_t>(x->rank());
    auto clampi = [r](std::int64_t v) { return std::clamp<std::int64_t>(v < 0 ? v + r : v, 0, r); };
    const std::int64_t start = clampi(c.node.int_or("start", 0));
    const std::int64_t end = clampi(c.node.int_or("end", r));
    std::vector<std::int64_t> dims;
    for (std::int64_t i = start; i < end; ++i) dims.push_back(x->shape[static_cast<std::size_t>(i)]);
    const auto n = static_cast<std::int64_t>(dims.size());
    return one(Tensor::i64({n}, std::move(dims)));
}

OpResult op_size(const OpContext& c) {
    const Tensor* x = SIGIL_TRY(c.in(0));
    return one(Tensor::i64({}, {x->numel()}));
}

OpResult op_identity(const OpContext& c) {
    const Tensor* x = SIGIL_TRY(c.in(0));
    return one(*x);
}

// Unsqueeze-13 (axes input): axes index the output, range [-r_out, r_out), no duplicates.
OpResult op_unsqueeze(const OpContext& c) {
    const Tensor* x = SIGIL_TRY(c.in(0));
    const Tensor* at = SIGIL_TRY(c.in(1));
    const auto axes = SIGIL_TRY(int_list(c, *at, "axes"));
    const std::size_t ro = x->rank() + axes.size();
    std::vector<bool> inserted(ro, false);
    for (auto a : axes) {
        const std::size_t ax = SIGIL_TRY(norm_axis(c, a, ro));
        if (inserted[ax]) return fail(c.err(FloatErrc::bad_attribute, "duplicate axis"));
        inserted[ax] = true;
    }
    Shape os;
    std::size_t j = 0;
    for (std::size_t i = 0; i < ro; ++i) os.push_back(inserted[i] ? 1 : x->shape[j++]);
    return one(with_shape(*x, std::move(os)));
}

// Squeeze-13 (optional axes input): removes the listed size-1 axes, or all of them.
OpResult op_squeeze(const OpContext& c) {
    const Tensor* x = SIGIL_TRY(c.in(0));
    std::vector<bool> drop(x->rank(), false);
    if (const Tensor* at = c.opt(1)) {
        const auto axes = SIGIL_TRY(int_list(c, *at, "axes"));
        for (auto a : axes) {
            const std::size_t ax = SIGIL_TRY(norm_axis(c, a, x->rank()));
            if (x->shape[ax] != 1) return fail(c.err(FloatErrc::shape_mismatch, "squeezed axis is not 1"));
            drop[ax] = true;
        }
    } else {
        for (std::size_t i = 0; i < drop.size(); ++i) drop[i] = x->shape[i] == 1;
    }
    Shape os;
    for (std::size_t i = 0; i < drop.size(); ++i)
        if (!drop[i]) os.push_back(x->shape[i]);
    return one(with_shape(*x, std::move(os)));
}

}  // namespace sigil::runtime::detail
