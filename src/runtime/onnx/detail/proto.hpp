#pragma once
/// Conversions between ONNX protobuf messages and our host types. Internal to runtime/onnx.

#include <onnx/onnx_pb.h>

#include "core/result.hpp"
#include "runtime/onnx/error.hpp"
#include "runtime/onnx/tensor.hpp"

namespace sigil::runtime::detail {

/// Decodes a TensorProto (raw_data or typed fields). Refuses external data, unsupported types,
/// negative dims and payloads whose element count differs from the shape's.
Result<Tensor, OnnxError> tensor_from_proto(const ::onnx::TensorProto& p);

/// Encodes a tensor as a TensorProto with raw_data (little-endian, as ONNX specifies).
void tensor_to_proto(const Tensor& t, const std::string& name, ::onnx::TensorProto& out);

/// Maps an ONNX TensorProto::DataType to ours, or unsupported_dtype.
Result<DType, OnnxError> dtype_from_onnx(int onnx_type);
/// Our dtype as an ONNX TensorProto::DataType value.
int dtype_to_onnx(DType t);

/// Largest element count any loaded tensor may have (2^31): bounds allocations from hostile files.
inline constexpr std::int64_t kMaxElements = std::int64_t{1} << 31;

/// Checks dims (>= 0, product <= kMaxElements) and returns them as a Shape.
Result<Shape, OnnxError> checked_shape(const google::protobuf::RepeatedField<std::int64_t>& dims,
                                       const std::string& what);

}  // namespace sigil::runtime::detail
