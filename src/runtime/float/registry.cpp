// The table of supported op types (the float executor's claim; see float/README.md).
#include <algorithm>
#include <array>
#include <utility>

#include "runtime/float/detail/op.hpp"

namespace sigil::runtime::detail {

namespace {
constexpr std::array<std::pair<std::string_view, OpFn>, 46> kOps{{
    {"Add", op_add},
    {"AveragePool", op_averagepool},
    {"Cast", op_cast},
    {"Clip", op_clip},
    {"Concat", op_concat},
    {"Constant", op_constant},
    {"ConstantOfShape", op_constant_of_shape},
    {"Conv", op_conv},
    {"Div", op_div},
    {"Equal", op_equal},
    {"Erf", op_erf},
    {"Exp", op_exp},
    {"Expand", op_expand},
    {"Flatten", op_flatten},
    {"Gather", op_gather},
    {"Gelu", op_gelu},
    {"Gemm", op_gemm},
    {"GlobalAveragePool", op_globalaveragepool},
    {"GlobalMaxPool", op_globalmaxpool},
    {"Identity", op_identity},
    {"LayerNormalization", op_layernorm},
    {"MatMul", op_matmul},
    {"MaxPool", op_maxpool},
    {"Mul", op_mul},
    {"Neg", op_neg},
    {"Pow", op_pow},
    {"Range", op_range},
    {"Reciprocal", op_reciprocal},
    {"ReduceMax", op_reduce_max},
    {"ReduceMean", op_reduce_mean},
    {"ReduceSum", op_reduce_sum},
    {"Relu", op_relu},
    {"Reshape", op_reshape},
    {"Shape", op_shape},
    {"Sigmoid", op_sigmoid},
    {"Size", op_size},
    {"Slice", op_slice},
    {"Softmax", op_softmax},
    {"Split", op_split},
    {"Sqrt", op_sqrt},
    {"Squeeze", op_squeeze},
    {"Sub", op_sub},
    {"Tanh", op_tanh},
    {"Transpose", op_transpose},
    {"Unsqueeze", op_unsqueeze},
    {"Where", op_where},
}};
}  // namespace

OpFn find_op(std::string_view op_type) {
    for (const auto& [name, fn] : kOps)
        if (name == op_type) return fn;
    return nullptr;
}

std::vector<std::string_view> supported_ops() {
    std::vector<std::string_view> v;
    for (const auto& [name, fn] : kOps) v.push_back(name);
    std::sort(v.begin(), v.end());
    return v;
}

Result<const Tensor*, FloatError> OpContext::in(std::size_t i) const {
    if (i >= inputs.size() || inputs[i] == nullptr)
        return fail(err(FloatErrc::missing_input, "input " + std::to_string(i)));
    return inputs[i];
}

Result<const Tensor*, FloatError> OpContext::in_f32(std::size_t i) const {
    const Tensor* t = SIGIL_TRY(in(i));
    if (t->dtype != DType::F32)
        return fail(err(FloatErrc::unsupported_dtype, "input " + std::to_string(i) + " is " + std::string(to_string(t->dtype))));
    return t;
}

FloatError OpContext::err(FloatErrc code, const std::string& what) const {
    return FloatError{code, node.op_type + (node.name.empty() ? "" : " '" + node.name + "'") + ": " + what};
}

Result<std::size_t, FloatError> norm_axis(const OpContext& c, std::int64_t axis, std::size_t rank) {
    const auto r = static_cast<std::int64_t>(rank);
    if (axis < -r || axis >= r)
        return fail(c.err(FloatErrc::bad_attribute, "axis " + std::to_string(axis) + " out of range for rank " + std::to_string(r)));
    return static_cast<std::size_t>(axis < 0 ? axis + r : axis);
}

std::vector<std::int64_t> strides_of(std::span<const std::int64_t> shape) {
    std::vector<std::int64_t> s(shape.size(), 1);
    for (std::size_t i = shape.size(); i-- > 1;) s[i - 1] = s[i] * shape[i];
    return s;
}

Result<Shape, FloatError> broadcast_shapes(const OpContext& c, const Shape& a, const Shape& b) {
    const std::size_t r = std::max(a.size(), b.size());
    Shape out(r);
    for (std::size_t i = 0; i < r; ++i) {
        const std::int64_t da = i < r - a.size() ? 1 : a[i - (r - a.size())];
        const std::int64_t db = i < r - b.size() ? 1 : b[i - (r - b.size())];
        if (da != db && da != 1 && db != 1)
            return fail(c.err(FloatErrc::shape_mismatch, "cannot broadcast " + shape_str(a) + " with " + shape_str(b)));
        out[i] = da == 1 ? db : da;
    }
    return out;
}

std::vector<std::int64_t> broadcast_strides(const Shape& s, const Shape& out) {
    std::vector<std::int64_t> st(out.size(), 0);
    const auto own = strides_of(s);
    const std::size_t off = out.size() - s.size();
    for (std::size_t i = 0; i < s.size(); ++i) st[off + i] = s[i] == 1 ? 0 : own[i];
    return st;
}

}  // namespace sigil::runtime::detail
