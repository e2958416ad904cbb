#pragma once
/// ONNX export of a FloatModel (opset 13, IR version 8) through libonnx's protobuf classes.
///
/// Graph: input "input" float32 [N, 1, 28, 28] (N symbolic) -> one node per layer -> output
/// "logits" float32 [N, classes]. conv -> Conv (kernel_shape, pads, strides 1), relu -> Relu,
/// maxpool -> MaxPool (kernel_shape = strides = k), flatten -> Flatten(axis 1), linear ->
/// Gemm(transB = 1) with weight [out, in]. Weights are initializers named after the parameters.

#include <filesystem>
#include <string>

#include "train/model_spec.hpp"

namespace sigil::train {

/// The ONNX opset the exporter targets.
inline constexpr int kOnnxOpset = 13;

/// The serialized ModelProto of `model`. Deterministic: the same model gives the same bytes.
std::string onnx_bytes(const FloatModel& model);

/// Writes onnx_bytes(model) to `path`. Throws std::runtime_error when the file cannot be written.
void write_onnx(const FloatModel& model, const std::filesystem::path& path);

}  // namespace sigil::train
