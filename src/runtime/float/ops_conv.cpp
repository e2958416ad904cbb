// Conv-11 (N-d, float): groups (incl. depthwise), strides, pads, dilations, auto_pad.
#include "runtime/float/detail/window.hpp"

namespace sigil::runtime::detail {

namespace {

struct ConvDims {
    std::int64_t n, c, m, group, cpg, mpg;  // batch, in channels, out channels, groups, per group
};

Result<ConvDims, FloatError> conv_dims(const OpContext& c, const Tensor& x, const Tensor& w, const Tensor* b) {
    if (x.rank() < 3 || w.rank() != x.rank())
        return fail(c.err(FloatErrc::shape_mismatch, "X " + shape_str(x.shape) + ", W " + shape_str(w.shape)));
    ConvDims d{x.shape[0], x.shape[1], w.shape[0], c.node.int_or("group", 1), 0, 0};
    if (d.group < 1 || d.c % d.group != 0 || d.m % d.group != 0 || w.shape[1] * d.group != d.c)
        return fail(c.err(FloatErrc::shape_mismatch, "channels " + std::to_string(d.c) + " / group " +
                                                          std::to_string(d.group) + " vs W " + shape_str(w.shape)));
    d.cpg = d.c / d.group;
    d.mpg = d.m / d.group;
    if (b && (b->rank() != 1 || b->shape[0] != d.m)) return fail(c.err(FloatErrc::shape_mismatch, "B must be [M]"));
    return d;
}

}  // namespace

OpResult op_conv(const OpContext& c) {
    const Tensor* x = SIGIL_TRY(c.in_f32(0));
    const Tensor* w = SIGIL_TRY(c.in_f32(1));
    const Tensor* b = c.opt(2);
    if (b && b->dtype != DType::F32) return fail(c.err(FloatErrc::unsupported_dtype, "B must be float32"));
    const ConvDims d = SIGIL_TRY(conv_dims(c, *x, *w, b));
    const Shape in_sp(x->shape.begin() + 2, x->shape.end());
    const Shape k_sp(w->shape.begin() + 2, w->shape.end());
    if (auto ks = c.node.get<std::vector<std::int64_t>>("kernel_shape"); ks && *ks != k_sp)
        return fail(c.err(FloatErrc::shape_mismatch, "kernel_shape differs from W"));
    const Window win = SIGIL_TRY(make_window(c, in_sp, k_sp, false));
    Shape os{d.n, d.m};
    os.insert(os.end(), win.out.begin(), win.out.end());
    Tensor out = Tensor::zeros(DType::F32, os);
    const std::int64_t no = win.out_size();
    const std::int64_t nk = win.kernel_size();
    const std::int64_t ni = shape_numel(in_sp);
    const auto& vx = x->f();
    const auto& vw = w->f();
    auto& vo = out.f();
    std::vector<double> acc(static_cast<std::size_t>(no));
    for (std::int64_t n = 0; n < d.n; ++n) {
        for (std::int64_t m = 0; m < d.m; ++m) {
            const std::int64_t g = m / d.mpg;
            std::fill(acc.begin(), acc.end(), b ? static_cast<double>(b->f()[static_cast<std::size_t>(m)]) : 0.0);
            for (std::int64_t ci = 0; ci < d.cpg; ++ci) {
                const float* xin = vx.data() + (n * d.c + g * d.cpg + ci) * ni;
                const float* wk = vw.data() + (m * d.cpg + ci) * nk;
                for (std::int64_t o = 0; o < no; ++o) {
                    const std::int64_t* row = win.table.data() + o * nk;
                    double s = 0;
                    for (std::int64_t q = 0; q < nk; ++q)
                        if (row[q] >= 0) s += static_cast<double>(xin[row[q]]) * static_cast<double>(wk[q]);
                    acc[static_cast<std::size_t>(o)] += s;
                }
            }
            float* dst = vo.data() + (n * d.m + m) * no;
            for (std::int64_t o = 0; o < no; ++o) dst[o] = static_cast<float>(acc[static_cast<std::size_t>(o)]);
        }
    }
    return one(std::move(out));
}

}  // namespace sigil::runtime::detail
