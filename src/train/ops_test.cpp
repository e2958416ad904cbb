#include "train/ops.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "train/test_util.hpp"

namespace sigil::train {
namespace {

using testing::TempDir;
using testing::tiny_options;

TEST(train, same_seed_same_threads_gives_bit_identical_weights) {
    const TrainOptions o = tiny_options();
    const TrainReport a = run(o, {});
    const TrainReport b = run(o, {});
    ASSERT_TRUE(a.complete);
    EXPECT_EQ(weights_root(a.model), weights_root(b.model));
    for (std::size_t i = 0; i < a.model.params.size(); ++i) EXPECT_EQ(a.model.params[i].data, b.model.params[i].data);
    TrainOptions other = o;
    other.seed = 12;
    EXPECT_NE(weights_root(run(other, {}).model), weights_root(a.model));
}

TEST(train, thread_count_is_part_of_the_reproducibility_contract) {
    // Two threads reproduce two threads, but libtorch partitions the convolution backward
    // reductions by thread, so one and two threads sum in different orders and the CNN's weights
    // differ in their last bits (docs/training.md, "What breaks it").
    TrainOptions o = tiny_options();
    o.epochs = 1;
    o.data.subset = 128;
    o.threads = 2;
    const Hash two = weights_root(run(o, {}).model);
    EXPECT_EQ(weights_root(run(o, {}).model), two);
    o.threads = 1;
    EXPECT_NE(weights_root(run(o, {}).model), two);
}

TEST(train, learns_above_chance_on_a_small_subset) {
    TrainOptions o = tiny_options("mlp:32");
    o.data.subset = 1000;
    const TrainReport r = run(o, {});
    EXPECT_EQ(r.history.size(), 3U);
    EXPECT_LT(r.history.back().loss, r.history.front().loss);
    EXPECT_GT(r.test_accuracy, 0.5);  // chance is 0.1
    EXPECT_EQ(r.parameters, parameter_count(r.model.spec));
}

TEST(train, resume_after_interruption_equals_uninterrupted_run) {
    TempDir dir;
    for (const Optimizer opt : {Optimizer::adam, Optimizer::sgd}) {
        TrainOptions o = tiny_options();
        o.optimizer = opt;
        o.schedule = opt == Optimizer::adam ? Schedule::cosine : Schedule::step;
        const TrainReport whole = run(o, {dir / "whole.ckpt", false, 0, {}});

        RunControl part{dir / "part.ckpt", false, 1, {}};
        const TrainReport first = run(o, part);
        EXPECT_FALSE(first.complete);
        EXPECT_EQ(first.epochs_done, 1U);
        part.resume = true;
        TrainOptions ignored = o;
        ignored.seed = 999;  // --resume takes the stored options
        const TrainReport second = run(ignored, part);
        EXPECT_EQ(second.epochs_done, 2U);
        part.stop_after = 0;
        const TrainReport done = run(ignored, part);
        ASSERT_TRUE(done.complete);
        EXPECT_EQ(weights_root(done.model), weights_root(whole.model)) << to_string(opt);
        ASSERT_EQ(done.history.size(), whole.history.size());
        for (std::size_t e = 0; e < done.history.size(); ++e) EXPECT_EQ(done.history[e].loss, whole.history[e].loss);
        EXPECT_EQ(weights_root(load_checkpoint_model(dir / "part.ckpt")), weights_root(whole.model));
        EXPECT_EQ(load_checkpoint_options(dir / "part.ckpt").seed, o.seed);
    }
}

TEST(train, rejects_bad_input_with_clear_errors) {
    TempDir dir;
    TrainOptions o = tiny_options("cnn:4,8");
    EXPECT_THROW(run(o, {}), std::invalid_argument);
    o = tiny_options();
    o.data.dir = (dir / "nowhere").string();
    EXPECT_THROW(run(o, {}), std::runtime_error);
    EXPECT_THROW(run(tiny_options(), {dir / "missing.ckpt", true, 0, {}}), std::runtime_error);
    {
        std::ofstream(dir / "junk.ckpt") << "not a checkpoint";
    }
    EXPECT_THROW(load_checkpoint_model(dir / "junk.ckpt"), std::runtime_error);
}

TEST(finetune, grows_five_classes_to_ten_keeping_the_old_weights) {
    TempDir dir;
    TrainOptions five = tiny_options();
    five.data.classes = 5;
    five.epochs = 2;
    const TrainReport base = run(five, {dir / "five.ckpt", false, 0, {}});
    EXPECT_EQ(base.model.spec.classes, 5U);

    TrainOptions ft = tiny_options();
    ft.op = Operation::finetune;
    ft.init_from = (dir / "five.ckpt").string();
    ft.arch = "ignored: taken from the init checkpoint";
    ft.epochs = 1;
    ft.lr = 0;  // no update: the result is the grown starting model
    const TrainReport grown = run(ft, {});
    EXPECT_EQ(grown.model.spec.classes, 10U);
    ASSERT_TRUE(grown.accuracy_before);
    EXPECT_LE(*grown.accuracy_before, 0.5);  // a five-class model on ten balanced classes
    const auto& p = grown.model.params;
    for (std::size_t i = 0; i + 2 < p.size(); ++i) EXPECT_EQ(p[i].data, base.model.params[i].data);
    const FloatTensor& head = p[p.size() - 2];
    ASSERT_EQ(head.shape[0], 10);
    const FloatTensor& old_head = base.model.params[p.size() - 2];
    EXPECT_TRUE(std::equal(old_head.data.begin(), old_head.data.end(), head.data.begin()));

    ft.lr = 3e-3;
    ft.epochs = 2;
    const TrainReport adapted = run(ft, {});
    EXPECT_GT(adapted.test_accuracy, *adapted.accuracy_before);
}

TEST(finetune, adapts_to_inverted_images) {
    TempDir dir;
    TrainOptions o = tiny_options("mlp:32");
    o.data.subset = 1000;
    run(o, {dir / "base.ckpt", false, 0, {}});
    TrainOptions ft = o;
    ft.op = Operation::finetune;
    ft.init_from = (dir / "base.ckpt").string();
    ft.data.shift = Shift::invert;
    const TrainReport r = run(ft, {});
    ASSERT_TRUE(r.accuracy_before);
    EXPECT_GT(r.test_accuracy, *r.accuracy_before + 0.1);
}

TEST(distill, reports_student_and_teacher) {
    TempDir dir;
    TrainOptions t = tiny_options("cnn:8,16:32");
    t.data.subset = 600;
    const TrainReport teacher = run(t, {dir / "teacher.ckpt", false, 0, {}});
    TrainOptions s = tiny_options("cnn:4,8:0");
    s.op = Operation::distill;
    s.teacher = (dir / "teacher.ckpt").string();
    s.data.subset = 600;
    const TrainReport student = run(s, {});
    ASSERT_TRUE(student.teacher_parameters && student.teacher_accuracy);
    EXPECT_EQ(*student.teacher_parameters, teacher.parameters);
    EXPECT_EQ(*student.teacher_accuracy, teacher.test_accuracy);
    EXPECT_LT(student.parameters * 4, teacher.parameters);
    EXPECT_GT(student.test_accuracy, 0.4);
    s.teacher.clear();
    EXPECT_THROW(run(s, {}), std::invalid_argument);
}

TEST(options, json_round_trip_and_named_errors) {
    TrainOptions o = tiny_options();
    o.op = Operation::distill;
    o.schedule = Schedule::step;
    o.data.shift = Shift::invert;
    const auto back = options_from_json(to_json(o));
    EXPECT_EQ(to_json(back), to_json(o));
    auto j = to_json(o);
    j["optimizer"] = "rmsprop";
    EXPECT_THROW(options_from_json(j), std::invalid_argument);
    j.erase("optimizer");
    EXPECT_THROW(options_from_json(j), std::invalid_argument);
}

TEST(schedule, learning_rate_per_epoch) {
    TrainOptions o;
    o.lr = 0.1;
    o.epochs = 4;
    o.schedule = Schedule::cosine;
    EXPECT_DOUBLE_EQ(learning_rate(o, 0), 0.1);
    EXPECT_DOUBLE_EQ(learning_rate(o, 2), 0.05);
    o.schedule = Schedule::step;
    o.step_size = 2;
    o.gamma = 0.1;
    EXPECT_DOUBLE_EQ(learning_rate(o, 1), 0.1);
    EXPECT_NEAR(learning_rate(o, 2), 0.01, 1e-15);
}

}  // namespace
}  // namespace sigil::train
