#pragma once
/// Tensor files: ONNX TensorProto `.pb` and NumPy `.npy` (format 1.0-3.0, little-endian, C order).

#include <string>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "runtime/onnx/error.hpp"
#include "runtime/onnx/tensor.hpp"

namespace sigil::runtime {

/// A tensor with the name it carried in its file ("" for .npy).
struct NamedTensor {
    std::string name;
    Tensor tensor;
};

/// Parses a serialized ONNX TensorProto.
Result<NamedTensor, OnnxError> parse_tensor_pb(BytesView bytes);
/// Serializes a tensor as an ONNX TensorProto with raw_data.
Bytes serialize_tensor_pb(const Tensor& t, const std::string& name);

/// Parses a .npy file's bytes. Refuses Fortran order, big-endian and non-numeric descrs.
Result<Tensor, OnnxError> parse_npy(BytesView bytes);
/// Serializes a tensor as a .npy file (format 1.0, C order, little-endian).
Bytes serialize_npy(const Tensor& t);

/// Reads a whole file.
Result<Bytes, OnnxError> read_file_bytes(const std::string& path);
/// Writes a whole file (truncating).
Result<void, OnnxError> write_file_bytes(const std::string& path, BytesView bytes);

/// Reads a tensor from `path`: `.npy` by extension, otherwise a TensorProto `.pb`.
Result<NamedTensor, OnnxError> read_tensor_file(const std::string& path);
/// Writes a tensor to `path`: `.npy` by extension, otherwise a TensorProto `.pb`.
Result<void, OnnxError> write_tensor_file(const std::string& path, const Tensor& t, const std::string& name = "");

}  // namespace sigil::runtime
