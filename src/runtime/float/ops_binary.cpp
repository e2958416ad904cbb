// Add, Sub, Mul, Div with numpy broadcasting (ONNX Operators.md, "Broadcasting in ONNX").
// Both operands must have the same dtype. Integer arithmetic wraps (two's complement); integer
// Div truncates toward zero, and division by zero is refused.
#include <limits>

#include "runtime/float/detail/elementwise.hpp"

namespace sigil::runtime::detail {

namespace {

enum class BinOp { add, sub, mul, div };

template <typename T>
T apply(BinOp op, T a, T b) {
    switch (op) {
        case BinOp::add: return wrap_add(a, b);
        case BinOp::sub: return wrap_sub(a, b);
        case BinOp::mul: return wrap_mul(a, b);
        case BinOp::div:
            if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
                if (b == -1) return wrap_sub(T{0}, a);  // avoids the INT_MIN / -1 trap
            }
            return static_cast<T>(a / b);
    }
    return T{};
}

OpResult binary(const OpContext& c, BinOp op) {
    const Tensor* a = SIGIL_TRY(c.in(0));
    const Tensor* b = SIGIL_TRY(c.in(1));
    if (a->dtype == DType::Bool || b->dtype == DType::Bool) return fail(c.err(FloatErrc::unsupported_dtype, "bool"));
    if (a->dtype != b->dtype)
        return fail(c.err(FloatErrc::unsupported_dtype, "mixed " + std::string(to_string(a->dtype)) + " and " +
                                                            std::string(to_string(b->dtype))));
    Shape os = SIGIL_TRY(broadcast_shapes(c, a->shape, b->shape));
    Tensor out = Tensor::zeros(a->dtype, std::move(os));
    bool div_zero = false;
    visit_data(*b, [&](const auto& vb) {
        using T = typename std::decay_t<decltype(vb)>::value_type;
        if constexpr (std::is_integral_v<T>) {
            if (op == BinOp::div)
                for (auto x : vb) div_zero = div_zero || x == 0;
        }
        if (div_zero) return;
        broadcast_binary<T, T>(*a, *b, out, [op](T x, T y) { return apply(op, x, y); });
    });
    if (div_zero) return fail(c.err(FloatErrc::division_by_zero, "integer divisor contains 0"));
    return one(std::move(out));
}

}  // namespace

OpResult op_add(const OpContext& c) { return binary(c, BinOp::add); }
OpResult op_sub(const OpContext& c) { return binary(c, BinOp::sub); }
OpResult op_mul(const OpContext& c) { return binary(c, BinOp::mul); }
OpResult op_div(const OpContext& c) { return binary(c, BinOp::div); }

}  // namespace sigil::runtime::detail
