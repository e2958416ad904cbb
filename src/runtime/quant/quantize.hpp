#pragma once
/// Post-training quantization of an ONNX model (float executor) to an integer ir::Program:
/// activation ranges from calibration (min/max or percentiles), asymmetric int8 activations,
/// per-output-channel symmetric int8 weights, int32 biases folded as b / (s_in * s_w), and
/// every rescale as a Q31 multiplier and shift from the real scale ratio. A Relu or constant
/// Clip that is the sole consumer of a Gemm/MatMul/Conv/Add/Mul/Gelu/LayerNormalization output
/// is fused into that op's output clamp.
///
/// Lowered ONNX ops: Gemm, MatMul, Conv (2-D), Add, Mul, Relu, Clip, MaxPool, AveragePool,
/// GlobalAveragePool, Reshape, Flatten, Identity, Transpose, Softmax (last axis), Gelu,
/// LayerNormalization (last axis), Constant, Gather of a constant table by an integer graph
/// input (embeddings; the input becomes an int32 program input), Split (one gather per part),
/// Slice with constant bounds, Unsqueeze, Squeeze and Expand of activations (gathers, reshapes),
/// and the Div/Erf/Add/Mul/Mul GELU decomposition of torch.onnx.export (lowered as one gelu op);
/// nodes producing only non-float values (shape arithmetic) are folded since every shape is
/// fixed at import (a dynamic graph is specialized first: runtime/float/fold.hpp). Anything else
/// is refused naming the op and the node. The program's batch is the calibration samples'
/// batch.

#include <vector>

#include "core/ir/program.hpp"
#include "core/result.hpp"
#include "runtime/float/executor.hpp"
#include "runtime/quant/calibrate.hpp"
#include "runtime/quant/error.hpp"

namespace sigil::runtime {

struct QuantizeOptions {
    CalibrationOptions calibration;
    /// A graph output written by a linear layer (Gemm, or MatMul with constant weights) and read
    /// by no other node becomes an int32 tensor: a language model's logits, on a grid 2^15 steps
    /// to the larger end of their calibrated range (clamped at 2^20, 32 times that range), so the
    /// top candidates that int8's 256 steps tie or reorder stay apart (docs/ops.md §2).
    bool int32_logits = false;
};

struct QuantizedModel {
    ir::Program program;
    Calibration calibration;
};

/// Calibrates on `samples` (each a full list of graph inputs; all float32) and lowers.
Result<QuantizedModel, QuantError> quantize_model(const FloatExecutor& fx, const std::vector<std::vector<Tensor>>& samples,
                                                  const QuantizeOptions& opts = {});

}  // namespace sigil::runtime
