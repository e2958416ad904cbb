#pragma once
/// Model architectures as data: a layer list that both the libtorch trainer and the ONNX exporter
/// read, and the float weights of a trained model, independent of libtorch.
///
/// Architecture strings (`parse_arch`):
///   mlp                     = mlp:256,128
///   mlp:H1,H2,...           Flatten, then Linear+ReLU per hidden width, then Linear to classes
///   cnn                     = cnn:16,32:64
///   cnn:C1,C2,...:H         per channel count: Conv 3x3 pad 1 + ReLU + MaxPool 2x2; Flatten;
///                           Linear+ReLU to H (omitted when H is 0); Linear to classes
/// Input is float32 [N, 1, 28, 28] with pixels scaled to [0, 1]; output is [N, classes] logits.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace sigil::train {

/// One layer of a sequential model.
struct Layer {
    enum class Kind { conv, relu, maxpool, flatten, linear };
    Kind kind = Kind::relu;
    std::uint32_t in = 0;      ///< conv: input channels; linear: input features
    std::uint32_t out = 0;     ///< conv: output channels; linear: output features
    std::uint32_t kernel = 0;  ///< conv and maxpool: square kernel size (maxpool stride = kernel)
    std::uint32_t pad = 0;     ///< conv: zero padding on every side
};

/// A sequential classifier.
struct ModelSpec {
    std::string arch;  ///< canonical architecture string (presets expanded)
    std::uint32_t channels = 1, rows = 28, cols = 28;
    std::uint32_t classes = 10;
    std::vector<Layer> layers;
};

/// Every way an architecture string can be refused.
enum class ArchError { unknown_family, bad_number, empty_layer, too_large };
std::string_view to_string(ArchError e) noexcept;

/// Parses an architecture string (grammar above) for 28x28 single-channel input.
Result<ModelSpec, ArchError> parse_arch(std::string_view arch, std::uint32_t classes);

/// Trainable parameter count (weights and biases).
std::uint64_t parameter_count(const ModelSpec& spec) noexcept;

/// A float32 tensor, row-major.
struct FloatTensor {
    std::string name;                 ///< e.g. "layers.0.weight"
    std::vector<std::int64_t> shape;
    std::vector<float> data;
};

/// A trained model: its architecture and its parameters in layer order (for each conv or
/// linear layer: weight [out, in(, k, k)], then bias [out]).
struct FloatModel {
    ModelSpec spec;
    std::vector<FloatTensor> params;
};

/// The float weights commitment: merkle_root over one leaf per parameter tensor, in order,
///   leaf = keccak256(u32be(len(name)) || name || u32be(rank) || u32be(dim)... || f32le(data)...).
/// It names the exact float weights an evaluation record speaks of (a quantized program has its
/// own modelRoot, docs/commitments.md).
Hash weights_root(const FloatModel& model);

}  // namespace sigil::train
