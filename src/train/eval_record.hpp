#pragma once
/// Scores of a classifier on a data set and the evaluation record that commits to them.
///
/// An evaluation record says "model M scores A on data set D" and commits to every prediction:
///   prediction leaf  = keccak256(u64be(index) || sample_leaf(D, index) || u8(predicted class))
///   predictionsRoot  = merkle_root(prediction leaves in data set order)
/// Binding the sample leaf into the prediction leaf lets a challenger open one prediction and the
/// sample it is about against datasetRoot, then dispute that single inference (docs/training.md).

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/bytes.hpp"
#include "train/data/dataset.hpp"

namespace sigil::train {

/// Accuracy, per-class accuracy and confusion matrix of predictions on a data set.
struct EvalResult {
    std::uint32_t classes = 0;
    std::uint64_t samples = 0, correct = 0;
    double accuracy = 0;
    std::vector<double> per_class;                     ///< recall of each true class (0 when absent)
    std::vector<std::vector<std::uint64_t>> confusion; ///< [true class][predicted class]
    Hash dataset_root{};
    Hash predictions_root{};
};

/// The prediction leaf of sample `index` (layout above).
Hash prediction_leaf(std::uint64_t index, const Hash& sample_leaf, std::uint8_t predicted);

/// Scores `predictions` (one per sample of `ds`; a prediction >= ds.classes counts as wrong and
/// goes to no confusion column). Precondition: predictions.size() == ds.size().
EvalResult score(const data::Dataset& ds, std::span<const std::uint8_t> predictions);

/// What an evaluation record names as the model.
struct ModelRef {
    std::string name;     ///< free text, e.g. "cnn"
    std::string arch;     ///< architecture string
    std::string format;   ///< "float-weights" (root = weights_root) or "sigil" (root = modelRoot)
    Hash root{};
    std::uint64_t parameters = 0;
};

/// The evaluation record JSON ("sigil.eval.v1"): model, data set (name, root, samples), score,
/// per-class accuracy, confusion matrix and predictionsRoot.
nlohmann::json eval_record(const ModelRef& model, const std::string& dataset_name, const EvalResult& r);

}  // namespace sigil::train
