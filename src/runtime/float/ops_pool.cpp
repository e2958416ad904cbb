// MaxPool-12 (with the optional Indices output), AveragePool-11/19, GlobalAveragePool,
// GlobalMaxPool. N-d over the axes after (N, C).
#include <limits>

#include "runtime/float/detail/window.hpp"

namespace sigil::runtime::detail {

namespace {

Result<Window, FloatError> pool_window(const OpContext& c, const Tensor& x) {
    if (x.rank() < 3) return fail(c.err(FloatErrc::shape_mismatch, "X must be [N,C,spatial...]"));
    const auto ks = c.node.get<std::vector<std::int64_t>>("kernel_shape");
    if (!ks) return fail(c.err(FloatErrc::bad_attribute, "kernel_shape is required"));
    const Shape in_sp(x.shape.begin() + 2, x.shape.end());
    return make_window(c, in_sp, *ks, c.node.int_or("ceil_mode", 0) != 0);
}

Shape pooled_shape(const Tensor& x, const Shape& spatial) {
    Shape s{x.shape[0], x.shape[1]};
    s.insert(s.end(), spatial.begin(), spatial.end());
    return s;
}

/// Column-major spatial index of a row-major one (MaxPool storage_order = 1).
std::int64_t column_major(std::int64_t flat, const Shape& in) {
    const auto rs = strides_of(in);
    std::int64_t idx = 0;
    std::int64_t mul = 1;
    for (std::size_t d = 0; d < in.size(); ++d) {
        idx += ((flat / rs[d]) % in[d]) * mul;
        mul *= in[d];
    }
    return idx;
}

}  // namespace

OpResult op_maxpool(const OpContext& c) {
    const Tensor* x = SIGIL_TRY(c.in(0));
    if (!is_float(x->dtype) && x->dtype != DType::I8 && x->dtype != DType::U8)
        return fail(c.err(FloatErrc::unsupported_dtype, std::string(to_string(x->dtype))));
    const Window w = SIGIL_TRY(pool_window(c, *x));
    const std::int64_t order = c.node.int_or("storage_order", 0);
    if (order != 0 && order != 1) return fail(c.err(FloatErrc::bad_attribute, "storage_order"));
    const Shape os = pooled_shape(*x, w.out);
    Tensor out = Tensor::zeros(x->dtype, os);
    Tensor idx = Tensor::zeros(DType::I64, os);
    const std::int64_t planes = x->shape[0] * x->shape[1];
    const std::int64_t ni = shape_numel(w.in);
    const std::int64_t no = w.out_size();
    const std::int64_t nk = w.kernel_size();
    visit_data(out, [&](auto& vo) {
        using T = typename std::decay_t<decltype(vo)>::value_type;
        const auto& vx = x->vec<T>();
        for (std::int64_t p = 0; p < planes; ++p) {
            for (std::int64_t o = 0; o < no; ++o) {
                T best = std::numeric_limits<T>::lowest();
                std::int64_t arg = -1;
                for (std::int64_t q = 0; q < nk; ++q) {
                    const std::int64_t i = w.table[static_cast<std::size_t>(o * nk + q)];
                    if (i < 0) continue;
                    const T v = vx[static_cast<std::size_t>(p * ni + i)];
                    if (arg < 0 || v > best) best = v, arg = i;
                }
                const auto at = static_cast<std::size_t>(p * no + o);
                vo[at] = best;
                idx.vec<std::int64_t>()[at] = p * ni + (order == 1 ? column_major(std::max<std::int64_t>(arg, 0), w.in) : arg);
            }
        }
    });
    OpOutputs r;
    r.push_back(std::move(out));
    if (c.node.outputs.size() > 1) r.push_back(std::move(idx));
    return r;
}

OpResult op_averagepool(const OpContext& c) {
    const Tensor* x = SIGIL_TRY(c.in(0));
    if (!is_float(x->dtype)) return fail(c.err(FloatErrc::unsupported_dtype, std::string(to_string(x->dtype))));
    const Window w = SIGIL_TRY(pool_window(c, *x));
    const bool include_pad = c.node.int_or("count_include_pad", 0) != 0;
    Tensor out = Tensor::zeros(x->dtype, pooled_shape(*x, w.out));
    const std::int64_t planes = x->shape[0] * x->shape[1];
    const std::int64_t ni = shape_numel(w.in);
    const std::int64_t no = w.out_size();
    const std::int64_t nk = w.kernel_size();
    visit_data(out, [&](auto& vo) {
        using T = typename std::decay_t<decltype(vo)>::value_type;
        const auto& vx = x->vec<T>();
        for (std::int64_t p = 0; p < planes; ++p) {
            for (std::int64_t o = 0; o < no; ++o) {
                double sum = 0;
                std::int64_t count = 0;
                for (std::int64_t q = 0; q < nk; ++q) {
                    const std::int64_t i = w.table[static_cast<std::size_t>(o * nk + q)];
                    if (i >= 0) sum += static_cast<double>(vx[static_cast<std::size_t>(p * ni + i)]);
                    if (i >= 0 || (include_pad && i == kPadPos)) ++count;
                }
                vo[static_cast<std::size_t>(p * no + o)] = static_cast<T>(count ? sum / static_cast<double>(count) : 0.0);
            }
        }
    });
    return one(std::move(out));
}

namespace {

OpResult global_pool(const OpContext& c, bool is_max) {
    const Tensor* x = SIGIL_TRY(c.in(0));
    if (!is_float(x->dtype)) return fail(c.err(FloatErrc::unsupported_dtype, std::string(to_string(x->dtype))));
    if (x->rank() < 3) return fail(c.err(FloatErrc::shape_mismatch, "X must be [N,C,spatial...]"));
    Shape os{x->shape[0], x->shape[1]};
    os.resize(x->rank(), 1);
    Tensor out = Tensor::zeros(x->dtype, os);
    const std::int64_t ni = shape_numel(std::span(x->shape).subspan(2));
    visit_data(out, [&](auto& vo) {
        using T = typename std::decay_t<decltype(vo)>::value_type;
        const auto& vx = x->vec<T>();
        for (std::size_t p = 0; p < vo.size(); ++p) {
            const auto* src = vx.data() + static_cast<std::int64_t>(p) * ni;
            double acc = is_max ? -std::numeric_limits<double>::infinity() : 0.0;
            for (std::int64_t i = 0; i < ni; ++i)
                acc = is_max ? std::max(acc, static_cast<double>(src[i])) : acc + static_cast<double>(src[i]);
            vo[p] = static_cast<T>(is_max ? acc : acc / static_cast<double>(ni));
        }
    });
    return one(std::move(out));
}

}  // namespace

OpResult op_globalaveragepool(const OpContext& c) { return global_pool(c, false); }
OpResult op_globalmaxpool(const OpContext& c) { return global_pool(c, true); }

}  // namespace sigil::runtime::detail
