// Elementwise unary ops: Relu, Neg, Erf, Sqrt, Tanh, Exp, Sigmoid, Reciprocal, Gelu, and Clip.
#include <cmath>
#include <limits>
#include <numbers>

#include "runtime/float/detail/elementwise.hpp"

namespace sigil::runtime::detail {

namespace {

/// Applies f to every element of input 0. `Kind` selects which dtypes are accepted.
enum class Accept { floats, signed_and_floats };

template <typename F>
OpResult unary(const OpContext& c, Accept accept, F f) {
    const Tensor* x = SIGIL_TRY(c.in(0));
    const bool ok = is_float(x->dtype) ||
                    (accept == Accept::signed_and_floats &&
                     (x->dtype == DType::I8 || x->dtype == DType::I16 || x->dtype == DType::I32 || x->dtype == DType::I64));
    if (!ok) return fail(c.err(FloatErrc::unsupported_dtype, std::string(to_string(x->dtype))));
    Tensor out = *x;
    visit_data(out, [&](auto& v) {
        for (auto& e : v) e = f(e);
    });
    return one(std::move(out));
}

template <typename T>
T gelu_erf(T x) {
    return static_cast<T>(0.5) * x * (static_cast<T>(1) + std::erf(x / std::sqrt(static_cast<T>(2))));
}
template <typename T>
T gelu_tanh(T x) {
    const T k = std::sqrt(static_cast<T>(2) / std::numbers::pi_v<T>);
    return static_cast<T>(0.5) * x * (static_cast<T>(1) + std::tanh(k * (x + static_cast<T>(0.044715) * x * x * x)));
}

}  // namespace

OpResult op_relu(const OpContext& c) {
    return unary(c, Accept::signed_and_floats, [](auto v) { return v > decltype(v){0} ? v : decltype(v){0}; });
}
OpResult op_neg(const OpContext& c) {
    return unary(c, Accept::signed_and_floats, [](auto v) { return wrap_sub(decltype(v){0}, v); });
}

// The float-only functions are instantiated for integer element types too (the visit covers
// every alternative) but only ever run on F32/F64, which `unary` checks first.
#define SIGIL_FLOAT_UNARY(fn_name, expr)                                          \
    OpResult fn_name(const OpContext& c) {                                        \
        return unary(c, Accept::floats, [](auto v) {                              \
            using T = decltype(v);                                                \
            if constexpr (std::is_floating_point_v<T>) {                          \
                return static_cast<T>(expr);                                      \
            } else {                                                              \
                return v;                                                         \
            }                                                                     \
        });                                                                       \
    }

SIGIL_FLOAT_UNARY(op_erf, std::erf(v))
SIGIL_FLOAT_UNARY(op_sqrt, std::sqrt(v))
SIGIL_FLOAT_UNARY(op_tanh, std::tanh(v))
SIGIL_FLOAT_UNARY(op_exp, std::exp(v))
SIGIL_FLOAT_UNARY(op_sigmoid, T{1} / (T{1} + std::exp(-v)))
SIGIL_FLOAT_UNARY(op_reciprocal, T{1} / v)
#undef SIGIL_FLOAT_UNARY

OpResult op_gelu(const OpContext& c) {
    const std::string approx = c.node.string_or("approximate", "none");
    if (approx != "none" && approx != "tanh")
        return fail(c.err(FloatErrc::bad_attribute, "approximate='" + approx + "'"));
    const bool use_tanh = approx == "tanh";
    return unary(c, Accept::floats, [use_tanh](auto v) {
        using T = decltype(v);
        if constexpr (std::is_floating_point_v<T>) {
            return use_tanh ? gelu_tanh(v) : gelu_erf(v);
        } else {
            return v;
        }
    });
}

// Clip-13: min and max are optional scalar inputs of x's dtype; absent bounds are the type's
// lowest/highest values. With min > max every element becomes max (numpy.clip semantics, which
// the ONNX reference uses).
OpResult op_clip(const OpContext& c) {
    const Tensor* x = SIGIL_TRY(c.in(0));
    const Tensor* lo = c.opt(1);
    const Tensor* hi = c.opt(2);
    for (const Tensor* b : {lo, hi}) {
        if (b == nullptr) continue;
        if (b->dtype != x->dtype) return fail(c.err(FloatErrc::unsupported_dtype, "bound dtype differs from input"));
        if (b->numel() != 1) return fail(c.err(FloatErrc::shape_mismatch, "bound is not a scalar"));
    }
    Tensor out = *x;
    visit_data(out, [&](auto& v) {
        using T = typename std::decay_t<decltype(v)>::value_type;
        const T mn = lo ? lo->vec<T>()[0] : std::numeric_limits<T>::lowest();
        const T mx = hi ? hi->vec<T>()[0] : std::numeric_limits<T>::max();
        for (auto& e : v) e = e < mn ? mn : e;
        for (auto& e : v) e = e > mx ? mx : e;
    });
    return one(std::move(out));
}

}  // namespace sigil::runtime::detail
