#pragma once
/// Activation ranges from running the float executor over calibration samples.

#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "runtime/float/executor.hpp"
#include "runtime/quant/error.hpp"

namespace sigil::runtime {

/// The observed range and shape of one graph value (float32 values only).
struct ValueRange {
    double lo = 0;
    double hi = 0;
    Shape shape;
};

/// Ranges of the graph input(s) and of every float32 node output, by value name.
using Calibration = std::map<std::string, ValueRange>;

struct CalibrationOptions {
    /// 100 takes min/max; below 100 takes the [100-p, p] percentiles of all observed values
    /// of a tensor (clips outliers).
    double percentile = 100.0;
    /// When > 0: the lower bound of every graph output is raised to (the smallest row maximum
    /// seen, rows along the last axis) - logit_window, if that is above the observed minimum. For
    /// a language model's logits, whose top and near-top values decide the next token, a logit
    /// more than W below its row's maximum has at most e^-W of the top token's probability; the
    /// int8 grid's 256 steps then cover the part of the range that matters. 0 = min/max.
    double logit_window = 0;
};

/// Runs `fx` on every sample (each a full list of graph inputs) and records ranges. Every
/// sample must give every value the same shape.
Result<Calibration, QuantError> calibrate(const FloatExecutor& fx, const std::vector<std::vector<Tensor>>& samples,
                                          const CalibrationOptions& opts);

}  // namespace sigil::runtime
