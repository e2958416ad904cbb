#include "runtime/quant/quantize.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/ir/codec.hpp"
#include "runtime/onnx/testing/model_builder.hpp"
#include "runtime/quant/agreement.hpp"
#include "core/kernels/program_run.hpp"
#include "runtime/exec/executor.hpp"
#include "runtime/quant/int_run.hpp"
#include "runtime/quant/qscale.hpp"

namespace sigil::runtime {
namespace {

using testing::ModelBuilder;

std::vector<float> seeded(std::size_t n, std::uint32_t seed, float scale) {
    std::mt19937 g(seed);
    std::normal_distribution<float> d(0.0f, scale);
    std::vector<float> v(n);
    for (auto& x : v) x = d(g);
    return v;
}

std::vector<std::vector<Tensor>> samples(const Shape& shape, std::size_t n, std::uint32_t seed) {
    std::vector<std::vector<Tensor>> s;
    for (std::size_t i = 0; i < n; ++i) {
        auto v = seeded(static_cast<std::size_t>(shape_numel(shape)), seed + static_cast<std::uint32_t>(i), 1.0f);
        s.push_back({Tensor::f32(shape, std::move(v))});
    }
    return s;
}

FloatExecutor make(ModelBuilder& b) {
    auto m = parse_onnx_model(b.bytes());
    EXPECT_TRUE(m) << m.error().message();
    auto e = FloatExecutor::create(std::move(*m));
    EXPECT_TRUE(e) << e.error().message();
    return std::move(*e);
}

TEST(qscale, roundtrip_is_within_2_pow_minus_30) {
    for (double r : {1e-9, 3.7e-5, 0.00390625, 0.3, 0.5, 0.999999, 1.0, 7.25, 1234.5, 1e9}) {
        auto q = real_to_qscale(r);
        ASSERT_TRUE(q) << r;
        EXPECT_GE(q->multiplier, 1 << 30) << r;
        EXPECT_NEAR(real_from_qscale(*q) / r, 1.0, std::ldexp(1.0, -30)) << r;
    }
    EXPECT_EQ(*real_to_qscale(0.0), (ir::QScale{0, 0}));
    EXPECT_FALSE(real_to_qscale(-1.0));
    EXPECT_FALSE(real_to_qscale(std::nan("")));
    EXPECT_FALSE(real_to_qscale(4e9));
}

TEST(affine_q, range_contains_zero_and_maps_ends) {
    const AffineQ q = AffineQ::from_range(-1.0, 3.0);
    EXPECT_NEAR(q.scale, 4.0 / 255.0, 1e-12);
    EXPECT_EQ(q.quantize(-1.0), -128);
    EXPECT_EQ(q.quantize(3.0), 127);
    EXPECT_EQ(q.quantize(0.0), q.zero_point);
    const AffineQ pos = AffineQ::from_range(2.0, 5.0);  // widened to [0, 5]
    EXPECT_EQ(pos.zero_point, -128);
}

// MLP 16-32-10: Gemm + Relu (fused) + Gemm, seeded weights.
TEST(quantize, mlp_agrees_with_float) {
    ModelBuilder b(13);
    b.input("x", {1, 16}).output("y", {1, 10});
    b.init("w1", {32, 16}, seeded(32 * 16, 1, 0.3f)).init("b1", {32}, seeded(32, 2, 0.1f));
    b.init("w2", {32, 10}, seeded(32 * 10, 3, 0.3f)).init("b2", {10}, seeded(10, 4, 0.1f));
    ModelBuilder::attr_int(b.node("Gemm", {"x", "w1", "b1"}, {"h"}), "transB", 1);
    b.node("Relu", {"h"}, {"r"});
    b.node("Gemm", {"r", "w2", "b2"}, {"y"});
    const auto fx = make(b);
    auto q = quantize_model(fx, samples({1, 16}, 64, 100));
    ASSERT_TRUE(q) << q.error().message();
    EXPECT_EQ(q->program.ops.size(), 2u);  // the Relu is fused into the first fully_connected
    auto a = measure_agreement(fx, q->program, samples({1, 16}, 64, 1000));
    ASSERT_TRUE(a) << a.error().message();
    EXPECT_EQ(a->rows, 64u);
    EXPECT_GE(a->top1_rate(), 0.9);
    // Held-out inputs may leave the calibrated input range and clip, so the worst case is
    // looser than the mean.
    EXPECT_LT(a->mean_abs_error, 0.02 * a->float_abs_max);
    EXPECT_LT(a->max_abs_error, 0.15 * a->float_abs_max);
    // The program survives the canonical codec.
    auto back = ir::load_program(ir::save_program(q->program));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, q->program);
}

// CNN: Conv(3x3, pad 1) + Relu + MaxPool(2) + depthwise Conv + GlobalAveragePool + Flatten + Gemm.
TEST(quantize, cnn_agrees_with_float) {
    ModelBuilder b(13);
    b.input("x", {1, 1, 8, 8}).output("y", {1, 5});
    b.init("cw", {4, 1, 3, 3}, seeded(36, 5, 0.4f)).init("cb", {4}, seeded(4, 6, 0.1f));
    b.init("dw", {4, 1, 3, 3}, seeded(36, 7, 0.4f));
    b.init("fw", {5, 4}, seeded(20, 8, 0.5f)).init("fb", {5}, seeded(5, 9, 0.1f));
    ModelBuilder::attr_ints(b.node("Conv", {"x", "cw", "cb"}, {"c"}), "pads", {1, 1, 1, 1});
    b.node("Relu", {"c"}, {"r"});
    auto& mp = b.node("MaxPool", {"r"}, {"p"});
    ModelBuilder::attr_ints(mp, "kernel_shape", {2, 2});
    ModelBuilder::attr_ints(mp, "strides", {2, 2});
    auto& dc = b.node("Conv", {"p", "dw"}, {"d"});
    ModelBuilder::attr_int(dc, "group", 4);
    ModelBuilder::attr_string(dc, "auto_pad", "SAME_UPPER");
    b.node("GlobalAveragePool", {"d"}, {"g"});
    b.node("Flatten", {"g"}, {"f"});
    ModelBuilder::attr_int(b.node("Gemm", {"f", "fw", "fb"}, {"y"}), "transB", 1);
    const auto fx = make(b);
    auto q = quantize_model(fx, samples({1, 1, 8, 8}, 64, 200));
    ASSERT_TRUE(q) << q.error().message();
    auto a = measure_agreement(fx, q->program, samples({1, 1, 8, 8}, 64, 2000));
    ASSERT_TRUE(a) << a.error().message();
    EXPECT_GE(a->top1_rate(), 0.85);
    EXPECT_LT(a->max_abs_error, 0.1 * a->float_abs_max);

    // The threaded executor agrees bit for bit with the reference rule on the quantized program.
    const auto& p = q->program;
    const auto x = samples({1, 1, 8, 8}, 1, 77)[0][0];
    const std::vector<Bytes> in{quantize_input(x, p.tensors[p.inputs[0]])};
    const auto ref = kernels::run_program(p, in, kernels::Path::reference);
    ASSERT_TRUE(ref);
    for (unsigned threads : {1U, 3U}) {
        Executor ex(p, ExecOptions{threads, std::nullopt, true});
        auto r = ex.run(in);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->outputs[0], (*ref)[p.outputs[0]]) << threads;
        EXPECT_EQ(r->steps, p.ops.size());
    }
}

// A transformer-style block: MatMul + Add(bias) + Gelu + LayerNormalization + Softmax.
TEST(quantize, gelu_layernorm_softmax_block) {
    ModelBuilder b(20);
    b.input("x", {4, 8}).output("y", {4, 8});
    b.init("w", {8, 8}, seeded(64, 11, 0.4f)).init("bias", {8}, seeded(8, 12, 0.1f));
    b.init("g", {8}, seeded(8, 13, 0.5f)).init("be", {8}, seeded(8, 14, 0.1f));
    b.node("MatMul", {"x", "w"}, {"m"});
    b.node("Add", {"m", "bias"}, {"a"});
    b.node("Gelu", {"a"}, {"h"});
    b.node("LayerNormalization", {"h", "g", "be"}, {"n"});
    b.node("Softmax", {"n"}, {"y"});
    const auto fx = make(b);
    auto q = quantize_model(fx, samples({4, 8}, 64, 300));
    ASSERT_TRUE(q) << q.error().message();
    auto a = measure_agreement(fx, q->program, samples({4, 8}, 32, 3000));
    ASSERT_TRUE(a) << a.error().message();
    EXPECT_GE(a->top1_rate(), 0.75);
    EXPECT_LT(a->max_abs_error, 0.15);  // probabilities
}

// torch.onnx.export's exact-GELU decomposition is recognised and lowered as one gelu op.
TEST(quantize, erf_gelu_decomposition_becomes_gelu) {
    ModelBuilder b(13);
    b.input("x", {2, 16}).output("y", {2, 4});
    b.init("w", {16, 4}, seeded(64, 21, 0.4f)).init("s2", {}, {1.41421356f}).init("one", {}, {1}).init("half", {}, {0.5f});
    b.node("MatMul", {"x", "w"}, {"m"});
    b.node("Div", {"m", "s2"}, {"a"});
    b.node("Erf", {"a"}, {"e"});
    b.node("Add", {"e", "one"}, {"c"});
    b.node("Mul", {"m", "c"}, {"d"});
    b.node("Mul", {"d", "half"}, {"y"});
    const auto fx = make(b);
    auto q = quantize_model(fx, samples({2, 16}, 64, 400));
    ASSERT_TRUE(q) << q.error().message();
    ASSERT_EQ(q->program.ops.size(), 2u);
    EXPECT_EQ(q->program.ops[1].kind, ir::OpKind::gelu);
    auto a = measure_agreement(fx, q->program, samples({2, 16}, 32, 4000));
    ASSERT_TRUE(a);
    EXPECT_LT(a->mean_abs_error, 0.03 * a->float_abs_max);

    // A Div by a positive scalar constant that is not a GELU (attention's / sqrt(head_dim)) is
    // a requantize; a Div by an activation is refused by name.
    ModelBuilder plain(13);
    plain.input("x", {1, 4}).output("y", {1, 4}).init("two", {}, {2});
    plain.node("Div", {"x", "two"}, {"y"});
    const auto halves = make(plain);
    auto scaled = quantize_model(halves, samples({1, 4}, 16, 1));
    ASSERT_TRUE(scaled) << scaled.error().message();
    ASSERT_EQ(scaled->program.ops.size(), 1u);
    EXPECT_EQ(scaled->program.ops[0].kind, ir::OpKind::requantize);
    auto ha = measure_agreement(halves, scaled->program, samples({1, 4}, 8, 2));
    ASSERT_TRUE(ha);
    EXPECT_LT(ha->mean_abs_error, 0.02 * ha->float_abs_max);
    ModelBuilder ratio(13);
    ratio.input("x", {1, 4}).input("d", {1, 4}).output("y", {1, 4});
    ratio.node("Div", {"x", "d"}, {"y"});
    std::vector<std::vector<Tensor>> two_inputs{{Tensor::f32({1, 4}, {1, 2, 3, 4}), Tensor::f32({1, 4}, {2, 2, 2, 2})}};
    auto refused = quantize_model(make(ratio), two_inputs);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().detail.rfind("Div", 0), 0u) << refused.error().detail;
}

// The tanh form (F.gelu(approximate="tanh"), GPT-2's MLP) is recognised too; a chain that
// breaks the pattern (another cubic coefficient) is not taken for a GELU.
TEST(quantize, tanh_gelu_decomposition_becomes_gelu) {
    const auto graph = [](float cubic) {
        ModelBuilder b(14);
        b.input("x", {2, 16}).output("y", {2, 4});
        b.init("w", {16, 4}, seeded(64, 22, 0.4f)).init("k", {}, {cubic}).init("r", {}, {0.7978845834732056f});
        b.init("one", {}, {1}).init("half", {}, {0.5f});
        b.node("MatMul", {"x", "w"}, {"m"});
        b.node("Mul", {"m", "m"}, {"x2"});
        b.node("Mul", {"m", "x2"}, {"x3"});
        b.node("Mul", {"k", "x3"}, {"a"});
        b.node("Add", {"m", "a"}, {"b"});
        b.node("Mul", {"r", "b"}, {"c"});
        b.node("Tanh", {"c"}, {"t"});
        b.node("Add", {"one", "t"}, {"d"});
        b.node("Mul", {"m", "d"}, {"e"});
        b.node("Mul", {"half", "e"}, {"y"});
        return b;
    };
    auto b = graph(0.044715f);
    const auto fx = make(b);
    auto q = quantize_model(fx, samples({2, 16}, 64, 500));
    ASSERT_TRUE(q) << q.error().message();
    ASSERT_EQ(q->program.ops.size(), 2u);
    EXPECT_EQ(q->program.ops[1].kind, ir::OpKind::gelu);
    auto a = measure_agreement(fx, q->program, samples({2, 16}, 32, 5000));
    ASSERT_TRUE(a);
    EXPECT_LT(a->mean_abs_error, 0.03 * a->float_abs_max);

    auto other = graph(0.1f);
    auto refused = quantize_model(make(other), samples({2, 16}, 8, 1));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().detail.rfind("Tanh", 0), 0u)
        << refused.error().detail;  // the Muls lower, Tanh has no rule
}

// Data movement of activations as the exports of Llama use it: rotate_half's Slice (with a
// negative start and an end past the axis), Unsqueeze, and the Expand that repeats k/v heads.
// All of it lowers to gathers that move int8 values, so the program matches float to within the
// input's quantization step.
TEST(quantize, slice_unsqueeze_and_expand_lower_to_gathers) {
    ModelBuilder b(14);
    b.input("x", {2, 3, 8}).output("y", {2, 3, 3, 4});
    b.init_i64("starts", {1}, {-4}).init_i64("ends", {1}, {1000}).init_i64("axes", {1}, {2});
    b.init_i64("ax1", {1}, {2}).init_i64("shape", {4}, {2, 3, 3, 4});
    b.node("Slice", {"x", "starts", "ends", "axes"}, {"s"});  // x[..., 4:8]
    b.node("Unsqueeze", {"s", "ax1"}, {"u"});                 // [2, 3, 1, 4]
    b.node("Expand", {"u", "shape"}, {"y"});                  // [2, 3, 3, 4]
    const auto fx = make(b);
    const auto data = samples({2, 3, 8}, 16, 700);
    auto q = quantize_model(fx, data);
    ASSERT_TRUE(q) << q.error().message();
    for (const auto& op : q->program.ops) {
        EXPECT_TRUE(op.kind == ir::OpKind::gather || op.kind == ir::OpKind::reshape) << ir::to_string(op.kind);
    }
    // On the calibration data (nothing saturates) values are moved, never rescaled: the error is
    // the input's rounding, at most half a step of its scale (range / 255).
    auto a = measure_agreement(fx, q->program, data);
    ASSERT_TRUE(a) << a.error().message();
    const auto& xq = q->program.tensors[q->program.inputs[0]].quant;
    ASSERT_EQ(xq.scales.size(), 1u);
    const double half_step = 0.5 * std::ldexp(static_cast<double>(xq.scales[0].multiplier), -31 - xq.scales[0].shift);
    EXPECT_LE(a->max_abs_error, half_step * 1.0001) << a->max_abs_error << " vs " << half_step;
    EXPECT_GT(a->max_abs_error, 0.0);
}

// Llama's additive causal mask (0 on and below the diagonal, -inf above) before a Softmax lowers
// to one causal_softmax over the unmasked scores; a mask of any other pattern is refused by name.
TEST(quantize, causal_mask_and_softmax_become_causal_softmax) {
    const auto graph = [](bool causal) {
        ModelBuilder b(14);
        b.input("x", {1, 2, 4, 4}).output("y", {1, 2, 4, 4});
        std::vector<float> mask(16);
        for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 4; ++j)
                mask[static_cast<std::size_t>(i * 4 + j)] = (causal ? j > i : j < i) ? -INFINITY : 0.0f;
        b.init("mask", {1, 1, 4, 4}, mask);
        b.node("Add", {"x", "mask"}, {"m"});
        b.node("Softmax", {"m"}, {"y"});
        return b;
    };
    auto b = graph(true);
    const auto fx = make(b);
    auto q = quantize_model(fx, samples({1, 2, 4, 4}, 32, 800));
    ASSERT_TRUE(q) << q.error().message();
    ASSERT_EQ(q->program.ops.size(), 1u);
    EXPECT_EQ(q->program.ops[0].kind, ir::OpKind::causal_softmax);
    auto a = measure_agreement(fx, q->program, samples({1, 2, 4, 4}, 16, 9000));
    ASSERT_TRUE(a) << a.error().message();
    // Probabilities in steps of 1/256; the hidden keys are exactly 0 in both.
    EXPECT_LT(a->max_abs_error, 0.03) << a->max_abs_error;

    auto other = graph(false);
    auto refused = quantize_model(make(other), samples({1, 2, 4, 4}, 4, 1));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, QuantErrc::unsupported_op);
    EXPECT_EQ(refused.error().detail.rfind("Add", 0), 0u) << refused.error().detail;
    EXPECT_NE(refused.error().detail.find("causal"), std::string::npos) << refused.error().detail;
}

// RMSNorm as torch exports it (x * (1 / sqrt(mean(x^2) + eps)) * weight) and SiLU (x * sigmoid(x))
// lower to rms_norm and silu; a Pow of another exponent is refused by name.
TEST(quantize, rmsnorm_and_silu_patterns) {
    const auto graph = [](float exponent) {
        ModelBuilder b(14);
        b.input("x", {3, 16}).output("y", {3, 8});
        b.init("two", {}, {exponent}).init("eps", {}, {1e-5f}).init("one", {}, {1.0f});
        b.init("g", {16}, seeded(16, 31, 0.5f)).init("w", {16, 8}, seeded(128, 32, 0.4f));
        b.node("Pow", {"x", "two"}, {"p"});
        ModelBuilder::attr_ints(b.node("ReduceMean", {"p"}, {"r"}), "axes", {-1});
        b.node("Add", {"r", "eps"}, {"a"});
        b.node("Sqrt", {"a"}, {"s"});
        b.node("Div", {"one", "s"}, {"inv"});
        b.node("Mul", {"x", "inv"}, {"n"});
        b.node("Mul", {"n", "g"}, {"h"});
        b.node("MatMul", {"h", "w"}, {"z"});
        b.node("Sigmoid", {"z"}, {"sg"});
        b.node("Mul", {"z", "sg"}, {"y"});
        return b;
    };
    auto b = graph(2.0f);
    const auto fx = make(b);
    auto q = quantize_model(fx, samples({3, 16}, 64, 1200));
    ASSERT_TRUE(q) << q.error().message();
    std::vector<ir::OpKind> kinds;
    for (const auto& op : q->program.ops) kinds.push_back(op.kind);
    EXPECT_EQ(kinds, (std::vector<ir::OpKind>{ir::OpKind::rms_norm, ir::OpKind::fully_connected, ir::OpKind::silu}));
    auto a = measure_agreement(fx, q->program, samples({3, 16}, 32, 7000));
    ASSERT_TRUE(a) << a.error().message();
    EXPECT_LT(a->mean_abs_error, 0.02 * a->float_abs_max) << a->mean_abs_error << " of " << a->float_abs_max;

    auto other = graph(3.0f);
    auto refused = quantize_model(make(other), samples({3, 16}, 4, 1));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().detail.rfind("Pow", 0), 0u) << refused.error().detail;
}

TEST(quantize, refusals_are_named) {
    {
        ModelBuilder b(13);
        b.input("x", {1, 4}).output("y", {1, 4});
        b.node("Sigmoid", {"x"}, {"y"});
        auto q = quantize_model(make(b), samples({1, 4}, 4, 1));
        ASSERT_FALSE(q);
        EXPECT_EQ(q.error().code, QuantErrc::unsupported_op);
        EXPECT_EQ(q.error().detail.rfind("Sigmoid", 0), 0u) << q.error().detail;  // names the op (and node)
    }
    {
        ModelBuilder b(13);
        b.input("x", {1, 4}).input("w", {4, 4}).output("y", {1, 4});
        b.node("Gemm", {"x", "w"}, {"y"});
        auto fx = make(b);
        std::vector<std::vector<Tensor>> s{{Tensor::f32({1, 4}, {1, 2, 3, 4}), Tensor::f32({4, 4}, seeded(16, 1, 1))}};
        EXPECT_EQ(quantize_model(fx, s).error().code, QuantErrc::weight_not_constant);
    }
    {
        ModelBuilder b(13);
        b.input("x", {1, 4}).output("y", {1, 4});
        b.node("Relu", {"x"}, {"y"});
        EXPECT_EQ(quantize_model(make(b), {}).error().code, QuantErrc::calibration_empty);
    }
}

TEST(quantize, percentile_calibration_narrows_ranges) {
    ModelBuilder b(13);
    b.input("x", {1, 64}).output("y", {1, 64});
    b.node("Relu", {"x"}, {"y"});
    const auto fx = make(b);
    auto s = samples({1, 64}, 16, 5);
    s[0][0].f()[0] = 100.0f;  // one outlier
    QuantizeOptions full;
    QuantizeOptions clipped;
    clipped.calibration.percentile = 99.0;
    auto a = quantize_model(fx, s, full);
    auto c = quantize_model(fx, s, clipped);
    ASSERT_TRUE(a && c);
    EXPECT_EQ(a->calibration.at("x").hi, 100.0);
    EXPECT_LT(c->calibration.at("x").hi, 10.0);
}

}  // namespace
}  // namespace sigil::runtime
