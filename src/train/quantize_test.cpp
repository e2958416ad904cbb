#include "train/quantize.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/ir/model_root.hpp"
#include "train/eval_record.hpp"
#include "train/onnx_export.hpp"
#include "train/test_util.hpp"

namespace sigil::train {
namespace {

TEST(quantize, exported_model_becomes_an_int8_program_that_agrees_with_float) {
    testing::TempDir dir;
    TrainOptions o = testing::tiny_options("cnn:4,8:16");
    o.data.subset = 1000;
    const TrainReport trained = run(o, {});
    write_onnx(trained.model, dir / "m.onnx");

    QuantizeRequest q;
    q.onnx = dir / "m.onnx";
    q.output = dir / "m.sigil";
    q.data = o.data;
    q.calibration = 100;
    q.holdout = 100;
    const QuantizeReport r = quantize(q);
    EXPECT_EQ(r.calibration_samples, 100U);
    EXPECT_EQ(r.holdout_samples, 100U);
    EXPECT_GE(r.top1_agreement, 0.9);

    const ir::Program p = load_sigil(q.output);
    EXPECT_EQ(ir::model_root(p), r.model_root);
    EXPECT_EQ(program_parameters(p), trained.parameters);

    const Splits s = load_splits(o.data);
    const auto int8 = predict_int8(p, s.test);
    const auto fp = predict(trained.model, s.test);
    ASSERT_EQ(int8.size(), fp.size());
    std::size_t same = 0;
    for (std::size_t i = 0; i < fp.size(); ++i) same += int8[i] == fp[i];
    EXPECT_GE(static_cast<double>(same) / static_cast<double>(fp.size()), 0.9);
    EXPECT_NEAR(score(s.test, int8).accuracy, trained.test_accuracy, 0.05);
}

TEST(quantize, named_errors_for_missing_or_foreign_files) {
    testing::TempDir dir;
    QuantizeRequest q;
    q.onnx = dir / "missing.onnx";
    q.output = dir / "out.sigil";
    EXPECT_THROW(quantize(q), std::runtime_error);
    {
        std::ofstream(dir / "junk.sigil") << "junk";
    }
    EXPECT_THROW(load_sigil(dir / "junk.sigil"), std::runtime_error);
}

}  // namespace
}  // namespace sigil::train
