#pragma once
/// Internal to sigil_train: checkpoint files (libtorch archives) shared by the classifier trainer
/// and the language-model trainer. Includes libtorch; never include this from a public header.

#include <torch/torch.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace sigil::train::detail {

/// Writes `fields` (named strings and integers), the model's and the optimizer's state to `path`
/// atomically (a temporary file renamed over it).
void save_archive(const std::filesystem::path& path, const std::vector<std::pair<std::string, c10::IValue>>& fields,
                  const torch::nn::Module& model, const torch::optim::Optimizer& optimizer);

/// Opens a checkpoint. Throws std::runtime_error "no checkpoint at P" or "P: not a checkpoint".
torch::serialize::InputArchive open_archive(const std::filesystem::path& path);

/// A string field of a checkpoint. Throws std::runtime_error naming the field and the file.
std::string read_string(torch::serialize::InputArchive& ar, const std::string& key, const std::filesystem::path& path);

}  // namespace sigil::train::detail
