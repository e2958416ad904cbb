#include "train/eval_record.hpp"

#include <cassert>

#include "core/keccak.hpp"
#include "core/merkle.hpp"

namespace sigil::train {

Hash prediction_leaf(std::uint64_t index, const Hash& sample_leaf, std::uint8_t predicted) {
    Bytes b;
    b.reserve(8 + 32 + 1);
    for (int shift = 56; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(index >> shift));
    b.insert(b.end(), sample_leaf.begin(), sample_leaf.end());
    b.push_back(predicted);
    return keccak256(b);
}

EvalResult score(const data::Dataset& ds, std::span<const std::uint8_t> predictions) {
    assert(predictions.size() == ds.size());
    EvalResult r;
    r.classes = ds.classes;
    r.samples = ds.size();
    r.confusion.assign(ds.classes, std::vector<std::uint64_t>(ds.classes, 0));
    std::vector<std::uint64_t> totals(ds.classes, 0), hits(ds.classes, 0);
    std::vector<Hash> sample_leaves, pred_leaves;
    sample_leaves.reserve(ds.size());
    pred_leaves.reserve(ds.size());
    for (std::size_t i = 0; i < ds.size(); ++i) {
        const std::uint8_t truth = ds.labels[i], pred = predictions[i];
        ++totals[truth];
        if (pred < ds.classes) ++r.confusion[truth][pred];
        if (pred == truth) {
            ++hits[truth];
            ++r.correct;
        }
        sample_leaves.push_back(data::sample_leaf(ds, i));
        pred_leaves.push_back(prediction_leaf(i, sample_leaves.back(), pred));
    }
    r.accuracy = r.samples ? static_cast<double>(r.correct) / static_cast<double>(r.samples) : 0;
    for (std::uint32_t c = 0; c < ds.classes; ++c) {
        r.per_class.push_back(totals[c] ? static_cast<double>(hits[c]) / static_cast<double>(totals[c]) : 0);
    }
    r.dataset_root = merkle_root(sample_leaves);
    r.predictions_root = merkle_root(pred_leaves);
    return r;
}

nlohmann::json eval_record(const ModelRef& model, const std::string& dataset_name, const EvalResult& r) {
    return {
        {"kind", "sigil.eval.v1"},
        {"model",
         {{"name", model.name}, {"arch", model.arch}, {"format", model.format}, {"root", to_hex(model.root)},
          {"parameters", model.parameters}}},
        {"dataset", {{"name", dataset_name}, {"root", to_hex(r.dataset_root)}, {"samples", r.samples}}},
        {"metric", "accuracy"},
        {"score", r.accuracy},
        {"correct", r.correct},
        {"perClassAccuracy", r.per_class},
        {"confusion", r.confusion},
        {"predictionsRoot", to_hex(r.predictions_root)},
        {"predictionLeaf", "keccak256(u64be(index) || sampleLeaf || u8(predicted))"},
    };
}

}  // namespace sigil::train
