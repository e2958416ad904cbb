#include "train/eval_record.hpp"

#include <gtest/gtest.h>

#include "core/merkle.hpp"
#include "train/ops.hpp"
#include "train/test_util.hpp"

namespace sigil::train {
namespace {

data::Dataset toy() {
    data::Dataset ds;
    ds.rows = 2;
    ds.cols = 2;
    ds.classes = 3;
    ds.labels = {0, 1, 2, 2, 1};
    for (std::uint8_t i = 0; i < 20; ++i) ds.pixels.push_back(i);
    return ds;
}

TEST(prediction_leaf, matches_cast) {
    Hash sample = *fixed_from_hex<32>("0xb91caea2574f873cf79cd7d21a2fa1d03ec995f4954b30aec7d26662552574f7");
    // cast keccak 0x0000000000000003b91caea2574f873cf79cd7d21a2fa1d03ec995f4954b30aec7d26662552574f709
    EXPECT_EQ(to_hex(prediction_leaf(3, sample, 9)),
              "0x059ce375d5b1a79f8ed4ad839c895e7a0f09df32507d73f55898af2b8299f7b8");
}

TEST(score, accuracy_per_class_confusion_and_roots) {
    const data::Dataset ds = toy();
    const std::vector<std::uint8_t> pred = {0, 2, 2, 1, 1};
    const EvalResult r = score(ds, pred);
    EXPECT_EQ(r.samples, 5U);
    EXPECT_EQ(r.correct, 3U);
    EXPECT_DOUBLE_EQ(r.accuracy, 0.6);
    EXPECT_EQ(r.per_class, (std::vector<double>{1.0, 0.5, 0.5}));
    const std::vector<std::vector<std::uint64_t>> confusion = {{1, 0, 0}, {0, 1, 1}, {0, 1, 1}};
    EXPECT_EQ(r.confusion, confusion);
    EXPECT_EQ(r.dataset_root, data::dataset_root(ds));
    std::vector<Hash> leaves;
    for (std::size_t i = 0; i < ds.size(); ++i) leaves.push_back(prediction_leaf(i, data::sample_leaf(ds, i), pred[i]));
    EXPECT_EQ(r.predictions_root, merkle_root(leaves));

    // Any single prediction can be opened against the root.
    const auto proof = merkle_proof(leaves, 3);
    EXPECT_TRUE(merkle_verify(r.predictions_root, leaves.size(), 3, prediction_leaf(3, data::sample_leaf(ds, 3), 1), proof));
    EXPECT_FALSE(merkle_verify(r.predictions_root, leaves.size(), 3, prediction_leaf(3, data::sample_leaf(ds, 3), 2), proof));

    auto flipped = pred;
    flipped[4] = 0;
    EXPECT_NE(score(ds, flipped).predictions_root, r.predictions_root);
    flipped[4] = 7;  // out of range: wrong, in no confusion column
    const EvalResult bad = score(ds, flipped);
    EXPECT_EQ(bad.correct, 2U);
    EXPECT_EQ(bad.confusion[1][0] + bad.confusion[1][1] + bad.confusion[1][2], 1U);
}

TEST(eval_record, json_names_model_dataset_score_and_predictions) {
    const data::Dataset ds = toy();
    const EvalResult r = score(ds, std::vector<std::uint8_t>{0, 1, 2, 2, 0});
    const ModelRef m{"toy", "mlp:4", "float-weights", Hash{}, 42};
    const auto j = eval_record(m, "toy/test", r);
    EXPECT_EQ(j["kind"], "sigil.eval.v1");
    EXPECT_EQ(j["model"]["root"], to_hex(Hash{}));
    EXPECT_EQ(j["model"]["parameters"], 42);
    EXPECT_EQ(j["dataset"]["root"], to_hex(data::dataset_root(ds)));
    EXPECT_EQ(j["dataset"]["samples"], 5);
    EXPECT_DOUBLE_EQ(j["score"].get<double>(), 0.8);
    EXPECT_EQ(j["predictionsRoot"], to_hex(r.predictions_root));
    EXPECT_EQ(j["confusion"][1][0], 1);
    EXPECT_EQ(j["perClassAccuracy"].size(), 3U);
}

TEST(eval_record, of_a_trained_model_matches_its_predictions) {
    TrainOptions o = testing::tiny_options("mlp:16");
    o.epochs = 1;
    const TrainReport rep = run(o, {});
    const Splits s = load_splits(o.data);
    const auto pred = predict(rep.model, s.test);
    ASSERT_EQ(pred.size(), s.test.size());
    const EvalResult r = score(s.test, pred);
    EXPECT_DOUBLE_EQ(r.accuracy, rep.test_accuracy);
    EXPECT_EQ(r.dataset_root, data::dataset_root(s.test));
}

}  // namespace
}  // namespace sigil::train
