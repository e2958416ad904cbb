#pragma once
/// Running a quantized program from float tensors: input quantization, op-by-op execution with
/// the kernels' fast paths (one thread), output dequantization. Used for the quantizer's
/// float-vs-int8 agreement and for `sigil model run` on `.sigil` files.

#include <vector>

#include "core/bytes.hpp"
#include "core/ir/program.hpp"
#include "runtime/onnx/tensor.hpp"

namespace sigil::rt {

/// Canonical int8 bytes of a float32 tensor under `desc`'s per-tensor quantization
/// (round(x / s) + zp, clamped). Precondition: x.numel() equals desc's element count.
Bytes quantize_input(const Tensor& x, const ir::Tensor& desc);

/// Float32 values of canonical int8/int32 bytes: s * (q - zp), shaped like desc.
Tensor dequantize(BytesView data, const ir::Tensor& desc);

/// The canonical bytes of every tensor after running `p` (validated) on `inputs` (one per
/// program input, canonical layout). Index = tensor id.
std::vector<Bytes> run_program(const ir::Program& p, const std::vector<Bytes>& inputs);

}  // namespace sigil::rt
