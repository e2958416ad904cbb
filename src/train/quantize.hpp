#pragma once
/// From a float ONNX model to a verifiable int8 `.sigil` program (the runtime's calibration and
/// quantizer, runtime/quant/), and int8 predictions of a program on a data set.
///
/// Calibration samples are the first `calibration` samples of the train split (DataOptions,
/// shift included), held-out samples the first `holdout` of the validation split; each sample is
/// one float32 [1, 1, 28, 28] image with pixels divided by 255, so programs have batch 1.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/bytes.hpp"
#include "core/ir/program.hpp"
#include "train/data/dataset.hpp"
#include "train/ops.hpp"

namespace sigil::train {

/// What `quantize` reads and writes.
struct QuantizeRequest {
    std::filesystem::path onnx;     ///< the float model
    std::filesystem::path output;   ///< the .sigil program to write
    DataOptions data;
    std::uint32_t calibration = 500;
    std::uint32_t holdout = 500;
    double percentile = 100.0;      ///< activation range percentile (100 = min/max)
};

/// The written program and its agreement with the float model on the held-out samples.
struct QuantizeReport {
    Hash model_root{};
    std::size_t ops = 0, bytes = 0, calibration_samples = 0;
    std::size_t holdout_samples = 0;
    double top1_agreement = 0, max_abs_error = 0, mean_abs_error = 0;
};
nlohmann::json to_json(const QuantizeReport& r);

/// Calibrates, quantizes, writes `output` and measures agreement. Throws std::runtime_error with
/// the runtime's named error on failure.
QuantizeReport quantize(const QuantizeRequest& request);

/// Loads a `.sigil` program. Throws std::runtime_error with the codec's named error.
ir::Program load_sigil(const std::filesystem::path& path);

/// Constant (weight and bias) elements of a program.
std::uint64_t program_parameters(const ir::Program& p) noexcept;

/// The int8 program's predicted class (argmax of its first output) for every sample of `ds`.
/// Precondition: the program's single input holds one 1 x rows x cols image.
std::vector<std::uint8_t> predict_int8(const ir::Program& program, const data::Dataset& ds);

}  // namespace sigil::train
