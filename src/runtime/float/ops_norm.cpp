// Softmax-13, LayerNormalization-17 and the reductions ReduceMean, ReduceMax, ReduceSum.
#include <cmath>
#include <limits>

#include "runtime/float/detail/op.hpp"

namespace sigil::runtime::detail {

// Softmax-13: along one axis, max-subtracted for stability, in double.
OpResult op_softmax(const OpContext& c) {
    const Tensor* x = SIGIL_TRY(c.in_f32(0));
    if (x->rank() == 0) return fail(c.err(FloatErrc::shape_mismatch, "scalar input"));
    const std::size_t axis = SIGIL_TRY(norm_axis(c, c.node.int_or("axis", -1), x->rank()));
    const std::int64_t dim = x->shape[axis];
    const std::int64_t inner = shape_numel(std::span(x->shape).subspan(axis + 1));
    const std::int64_t outer = shape_numel(std::span(x->shape).first(axis));
    Tensor out = *x;
    auto& v = out.f();
    for (std::int64_t o = 0; o < outer; ++o)
        for (std::int64_t i = 0; i < inner; ++i) {
            const auto at = [&](std::int64_t k) -> float& { return v[static_cast<std::size_t>((o * dim + k) * inner + i)]; };
            double mx = -std::numeric_limits<double>::infinity();
            for (std::int64_t k = 0; k < dim; ++k) mx = std::max(mx, static_cast<double>(at(k)));
            double sum = 0;
            for (std::int64_t k = 0; k < dim; ++k) sum += std::exp(static_cast<double>(at(k)) - mx);
            for (std::int64_t k = 0; k < dim; ++k) at(k) = static_cast<float>(std::exp(static_cast<double>(at(k)) - mx) / sum);
        }
    return one(std::move(out));
}

// LayerNormalization-17: normalizes over axes [axis, r); outputs Y and optionally Mean and
// InvStdDev (shape X.shape[:axis] + 1s). Scale and B broadcast to X.shape[axis:].
OpResult op_layernorm(const OpContext& c) {
    const Tensor* x = SIGIL_TRY(c.in_f32(0));
    const Tensor* scale = SIGIL_TRY(c.in_f32(1));
    const Tensor* bias = c.opt(2);
    if (bias && bias->dtype != DType::F32) return fail(c.err(FloatErrc::unsupported_dtype, "B must be float32"));
    if (x->rank() == 0) return fail(c.err(FloatErrc::shape_mismatch, "scalar input"));
    const std::size_t axis = SIGIL_TRY(norm_axis(c, c.node.int_or("axis", -1), x->rank()));
    const double eps = static_cast<double>(c.node.float_or("epsilon", 1e-5f));
    const Shape norm_shape(x->shape.begin() + static_cast<std::ptrdiff_t>(axis), x->shape.end());
    for (const Tensor* p : {scale, bias}) {
        if (!p) continue;
        Shape b = SIGIL_TRY(broadcast_shapes(c, p->shape, norm_shape));
        if (b != norm_shape) return fail(c.err(FloatErrc::shape_mismatch, "Scale/B not broadcastable to " + shape_str(norm_shape)));
    }
    const auto ss = broadcast_strides(scale->shape, norm_shape);
    const auto bs = bias ? broadcast_strides(bias->shape, norm_shape) : std::vector<std::int64_t>{};
    const auto ns = strides_of(norm_shape);
    const std::int64_t inner = shape_numel(norm_shape);
    const std::int64_t outer = shape_numel(std::span(x->shape).first(axis));
    Shape stat_shape(x->shape.begin(), x->shape.begin() + static_cast<std::ptrdiff_t>(axis));
    stat_shape.resize(x->rank(), 1);
    Tensor y = Tensor::zeros(DType::F32, x->shape);
    Tensor mean_t = Tensor::zeros(DType::F32, stat_shape);
    Tensor inv_t = Tensor::zeros(DType::F32, stat_shape);
    const auto& vx = x->f();
    for (std::int64_t o = 0; o < outer; ++o) {
        const float* row = vx.data() + o * inner;
        double mean = 0;
        for (std::int64_t i = 0; i < inner; ++i) mean += static_cast<double>(row[i]);
        mean /= static_cast<double>(inner);
        double var = 0;
        for (std::int64_t i = 0; i < inner; ++i) var += (static_cast<double>(row[i]) - mean) * (static_cast<double>(row[i]) - mean);
        var /= static_cast<double>(inner);
        const double inv = 1.0 / std::sqrt(var + eps);
        for (std::int64_t i = 0; i < inner; ++i) {
            std::int64_t si = 0;
            std::int64_t bi = 0;
            for (std::size_t d = 0; d < norm_shape.size(); ++d) {
                const std::int64_t id = (i / ns[d]) % norm_shape[d];
                si += id * ss[d];
                if (bias) bi += id * bs[d];
            }
            double v = (static_cast<double>(row[i]) - mean) * inv * static_cast<double>(scale->f()[static_cast<std::size_t>(si)]);
            if (bias) v += static_cast<double>(bias->f()[static_cast<std::size_t>(bi)]);
            y.f()[static_cast<std::size_t>(o * inner + i)] = static_cast<float>(v);
        }
        mean_t.f()[static_cast<std::size_t>(o)] = static_cast<float>(mean);
        inv_t.f()[static_cast<std::size_t>(o)] = static_cast<float>(inv);
    }
    OpOutputs r;
    r.push_back(std::move(y));
    r.push_back(std::move(mean_t));
    r.push_back(std::move(inv_t));
    r.resize(std::min<std::size_t>(3, std::max<std::size_t>(1, c.node.outputs.size())));
    return r;
}

namespace {

enum class Reduce { mean, max, sum };

/// The reduced axes: from the `axes` attribute (ReduceMean/ReduceMax before opset 18) or the
/// optional second input. Empty means all axes unless noop_with_empty_axes.
Result<std::vector<bool>, FloatError> reduced_axes(const OpContext& c, const Tensor& x, bool axes_from_input) {
    std::vector<std::int64_t> axes;
    if (axes_from_input) {
        if (const Tensor* a = c.opt(1)) {
            if (a->dtype != DType::I64) return fail(c.err(FloatErrc::unsupported_dtype, "axes must be int64"));
            axes = a->vec<std::int64_t>();
        }
    } else {
        axes = c.node.ints_or("axes", {});
    }
    std::vector<bool> red(x.rank(), axes.empty() && c.node.int_or("noop_with_empty_axes", 0) == 0);
    for (auto a : axes) red[SIGIL_TRY(norm_axis(c, a, x.rank()))] = true;
    return red;
}

OpResult reduce(const OpContext& c, Reduce kind, bool axes_from_input) {
    const Tensor* x = SIGIL_TRY(c.in(0));
    if (!is_float(x->dtype)) return fail(c.err(FloatErrc::unsupported_dtype, std::string(to_string(x->dtype))));
    const auto red = SIGIL_TRY(reduced_axes(c, *x, axes_from_input));
    const bool keep = c.node.int_or("keepdims", 1) != 0;
    Shape kept = x->shape;
    Shape os;
    for (std::size_t d = 0; d < red.size(); ++d) {
        if (red[d]) kept[d] = 1;
        if (!red[d] || keep) os.push_back(kept[d]);
    }
    const auto in_strides = strides_of(x->shape);
    const auto kept_strides = strides_of(kept);
    const std::int64_t n_out = shape_numel(kept);
    const double init = kind == Reduce::max ? -std::numeric_limits<double>::infinity() : 0.0;
    std::vector<double> acc(static_cast<std::size_t>(n_out), init);
    const std::int64_t count = n_out ? x->numel() / n_out : 0;
    for (std::int64_t i = 0; i < x->numel(); ++i) {
        std::int64_t o = 0;
        for (std::size_t d = 0; d < red.size(); ++d)
            if (!red[d]) o += ((i / in_strides[d]) % x->shape[d]) * kept_strides[d];
        const double v = element_as_f64(*x, static_cast<std::size_t>(i));
        auto& a = acc[static_cast<std::size_t>(o)];
        a = kind == Reduce::max ? std::max(a, v) : a + v;
    }
    Tensor out = Tensor::zeros(x->dtype, os);
    visit_data(out, [&](auto& vo) {
        using T = typename std::decay_t<decltype(vo)>::value_type;
        for (std::size_t i = 0; i < vo.size(); ++i)
            vo[i] = static_cast<T>(kind == Reduce::mean ? acc[i] / static_cast<double>(count) : acc[i]);
    });
    return one(std::move(out));
}

}  // namespace

OpResult op_reduce_mean(const OpContext& c) { return reduce(c, Reduce::mean, c.opset >= 18); }
OpResult op_reduce_max(const OpContext& c) { return reduce(c, Reduce::max, c.opset >= 18); }
OpResult op_reduce_sum(const OpContext& c) { return reduce(c, Reduce::sum, true); }

}  // namespace sigil::runtime::detail
