#pragma once
/// Reference models built with ir::Builder from seeded random weights, for benchmarks, tests and
/// the onnxruntime comparison: an MLP 784-1024-1024-10 and a small CNN on 28x28x1.

#include <cstdint>

#include "core/ir/program.hpp"

namespace sigil::runtime {

/// A QScale approximating the positive real `r` (multiplier in [2^30, 2^31)). Precondition:
/// 2^-62 < r < 2^31.
ir::QScale qscale_from_real(double r);

/// MLP: [batch, 784] int8 -> FC 1024 + ReLU -> FC 1024 + ReLU -> FC 10.
ir::Program sample_mlp(std::uint32_t batch, std::uint64_t seed);

/// CNN: [batch, 1, 28, 28] -> conv3x3(16, pad 1) + ReLU -> maxpool 2 -> conv3x3(32, pad 1) + ReLU
/// -> maxpool 2 -> reshape [batch, 1568] -> FC 128 + ReLU -> FC 10.
ir::Program sample_cnn(std::uint32_t batch, std::uint64_t seed);

}  // namespace sigil::runtime
