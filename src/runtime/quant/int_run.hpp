#pragma once
/// The float <-> int8 boundary of a quantized program: input quantization and output
/// dequantization with the tensors' per-tensor scales. Used for the quantizer's float-vs-int8
/// agreement and by `sigil model run` on `.sigil` files.

#include <vector>

#include "core/bytes.hpp"
#include "core/ir/program.hpp"
#include "runtime/onnx/tensor.hpp"

namespace sigil::runtime {

/// Canonical int8 bytes of a float32 tensor under `desc`'s per-tensor quantization
/// (round(x / s) + zp, clamped); for an int32 input (token ids), the integer tensor's values as
/// little-endian int32 (the caller checks their range). Precondition: x.numel() equals desc's
/// element count.
Bytes quantize_input(const Tensor& x, const ir::Tensor& desc);

/// Float32 values of canonical int8/int32 bytes: s * (q - zp), shaped like desc.
Tensor dequantize(BytesView data, const ir::Tensor& desc);

}  // namespace sigil::runtime
