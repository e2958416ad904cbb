#pragma once
/// Float-vs-int8 agreement of a quantized program on held-out inputs.

#include <vector>

#include "core/ir/program.hpp"
#include "core/result.hpp"
#include "runtime/float/executor.hpp"
#include "runtime/quant/error.hpp"

namespace sigil::runtime {

struct Agreement {
    std::size_t samples = 0;
    std::size_t rows = 0;          ///< argmax rows compared (last axis of the first output)
    std::size_t top1_agree = 0;    ///< rows whose argmax matches
    double max_abs_error = 0;      ///< over every element of every output, after dequantization
    double mean_abs_error = 0;
    double float_abs_max = 0;      ///< largest |float output| seen (for scale)
    double top1_rate() const { return rows ? static_cast<double>(top1_agree) / static_cast<double>(rows) : 0.0; }
};

/// Runs `fx` and `program` on every sample and compares the outputs.
Result<Agreement, QuantError> measure_agreement(const FloatExecutor& fx, const ir::Program& program,
                                                const std::vector<std::vector<Tensor>>& samples);

}  // namespace sigil::runtime
