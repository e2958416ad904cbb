#pragma once
/// The interface between the float executor and its op implementations. Internal to runtime/float.

#include <span>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "runtime/float/error.hpp"
#include "runtime/onnx/model.hpp"

namespace sigil::runtime::detail {

/// What an op sees: its node (attributes), the model's opset and its inputs (nullptr = absent).
struct OpContext {
    const OnnxNode& node;
    std::int64_t opset;
    std::vector<const Tensor*> inputs;

    /// Input `i`, or missing_input when absent.
    Result<const Tensor*, FloatError> in(std::size_t i) const;
    /// Input `i` or nullptr when absent (optional inputs).
    const Tensor* opt(std::size_t i) const { return i < inputs.size() ? inputs[i] : nullptr; }
    /// An error naming this node's op.
    FloatError err(FloatErrc code, const std::string& what) const;
    /// Input `i`, which must be present and float32.
    Result<const Tensor*, FloatError> in_f32(std::size_t i) const;
};

using OpOutputs = std::vector<Tensor>;
using OpResult = Result<OpOutputs, FloatError>;
using OpFn = OpResult (*)(const OpContext&);

/// The outputs of an op with a single output.
inline OpOutputs one(Tensor t) {
    OpOutputs o;
    o.push_back(std::move(t));
    return o;
}

/// The implementation of `op_type`, or nullptr when unsupported.
OpFn find_op(std::string_view op_type);
/// Every supported op type, sorted.
std::vector<std::string_view> supported_ops();

/// Normalizes a possibly negative axis against `rank` (valid range [-rank, rank)).
Result<std::size_t, FloatError> norm_axis(const OpContext& c, std::int64_t axis, std::size_t rank);

/// Row-major strides of a shape.
std::vector<std::int64_t> strides_of(std::span<const std::int64_t> shape);

/// Numpy broadcast of two shapes, or shape_mismatch.
Result<Shape, FloatError> broadcast_shapes(const OpContext& c, const Shape& a, const Shape& b);
/// For an operand of shape `s` broadcast to `out`, the strides to step it along out's axes
/// (0 on broadcast axes), as a vector of out.size().
std::vector<std::int64_t> broadcast_strides(const Shape& s, const Shape& out);

// Op families (one file each).
OpResult op_add(const OpContext&);
OpResult op_sub(const OpContext&);
OpResult op_mul(const OpContext&);
OpResult op_div(const OpContext&);
OpResult op_relu(const OpContext&);
OpResult op_clip(const OpContext&);
OpResult op_neg(const OpContext&);
OpResult op_erf(const OpContext&);
OpResult op_sqrt(const OpContext&);
OpResult op_tanh(const OpContext&);
OpResult op_exp(const OpContext&);
OpResult op_sigmoid(const OpContext&);
OpResult op_reciprocal(const OpContext&);
OpResult op_gelu(const OpContext&);
OpResult op_gemm(const OpContext&);
OpResult op_matmul(const OpContext&);
OpResult op_conv(const OpContext&);
OpResult op_maxpool(const OpContext&);
OpResult op_averagepool(const OpContext&);
OpResult op_globalaveragepool(const OpContext&);
OpResult op_globalmaxpool(const OpContext&);
OpResult op_reshape(const OpContext&);
OpResult op_flatten(const OpContext&);
OpResult op_transpose(const OpContext&);
OpResult op_concat(const OpContext&);
OpResult op_gather(const OpContext&);
OpResult op_shape(const OpContext&);
OpResult op_size(const OpContext&);
OpResult op_identity(const OpContext&);
OpResult op_constant(const OpContext&);
OpResult op_constant_of_shape(const OpContext&);
OpResult op_cast(const OpContext&);
OpResult op_unsqueeze(const OpContext&);
OpResult op_squeeze(const OpContext&);
OpResult op_slice(const OpContext&);
OpResult op_softmax(const OpContext&);
OpResult op_layernorm(const OpContext&);
OpResult op_reduce_mean(const OpContext&);
OpResult op_reduce_max(const OpContext&);
OpResult op_reduce_sum(const OpContext&);
OpResult op_equal(const OpContext&);
OpResult op_where(const OpContext&);
OpResult op_expand(const OpContext&);
OpResult op_range(const OpContext&);
OpResult op_pow(const OpContext&);
OpResult op_split(const OpContext&);

}  // namespace sigil::runtime::detail
