#pragma once
/// Internal to sigil_train: libtorch modules built from a ModelSpec. Includes libtorch; never
/// include this from a public header.

#include <torch/torch.h>

#include "train/data/dataset.hpp"
#include "train/model_spec.hpp"

namespace sigil::train::detail {

/// A torch Sequential with the layers of `spec`, initialized from torch's current CPU generator.
torch::nn::Sequential build_net(const ModelSpec& spec);

/// Copies `model`'s parameters into `net`. Throws std::runtime_error on a shape mismatch.
void load_params(torch::nn::Sequential& net, const FloatModel& model);

/// The parameters of `net` as a FloatModel of `spec`.
FloatModel extract(const ModelSpec& spec, torch::nn::Sequential& net);

/// Images as float [N, 1, rows, cols] scaled to [0, 1], and labels as int64 [N].
torch::Tensor images_tensor(const data::Dataset& ds);
torch::Tensor labels_tensor(const data::Dataset& ds);

/// Predicted classes of `images` in batches, without gradients.
torch::Tensor predict_classes(torch::nn::Sequential& net, const torch::Tensor& images);

/// Fraction of `ds` that `net` classifies correctly (0 for an empty set).
double accuracy(torch::nn::Sequential& net, const data::Dataset& ds);

}  // namespace sigil::train::detail
