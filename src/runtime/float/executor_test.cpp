#include "runtime/float/executor.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "runtime/float/fold.hpp"
#include "runtime/onnx/testing/model_builder.hpp"

namespace sigil::runtime {
namespace {

using testing::ModelBuilder;

FloatExecutor make(ModelBuilder& b) {
    auto m = parse_onnx_model(b.bytes());
    EXPECT_TRUE(m) << m.error().message();
    auto e = FloatExecutor::create(std::move(*m));
    EXPECT_TRUE(e) << e.error().message();
    return std::move(*e);
}

TEST(float_executor, unsupported_op_is_named) {
    ModelBuilder b(13);
    b.input("x", {1, 2}).output("y", {1, 2});
    b.node("Acosh", {"x"}, {"y"});
    auto m = parse_onnx_model(b.bytes());
    ASSERT_TRUE(m);
    auto e = FloatExecutor::create(std::move(*m));
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, FloatErrc::unsupported_op);
    EXPECT_EQ(e.error().detail, "Acosh");
}

TEST(float_executor, refuses_undefined_values_and_bad_inputs) {
    ModelBuilder b(13);
    b.input("x", {1, 2}).output("y", {1, 2});
    b.node("Add", {"x", "later"}, {"y"});
    b.node("Relu", {"x"}, {"later"});
    auto m = parse_onnx_model(b.bytes());
    ASSERT_TRUE(m);
    EXPECT_EQ(FloatExecutor::create(std::move(*m)).error().code, FloatErrc::undefined_value);

    ModelBuilder ok(13);
    ok.input("x", {1, 2}).output("y", {1, 2});
    ok.node("Relu", {"x"}, {"y"});
    auto ex = make(ok);
    EXPECT_EQ(ex.run({}).error().code, FloatErrc::bad_input);
    EXPECT_EQ(ex.run({Tensor::f32({2, 1}, {1, 2})}).error().code, FloatErrc::bad_input);
    EXPECT_EQ(ex.run({Tensor::i64({1, 2}, {1, 2})}).error().code, FloatErrc::bad_input);
    auto y = ex.run({Tensor::f32({1, 2}, {-1, 2})});
    ASSERT_TRUE(y);
    EXPECT_EQ((*y)[0].f(), (std::vector<float>{0, 2}));
}

// Reference values: /usr/bin/python3, 0.5*x*(1+math.erf(x/math.sqrt(2))) and the tanh form
// 0.5*x*(1+math.tanh(math.sqrt(2/math.pi)*(x+0.044715*x**3))).
TEST(float_executor, gelu_matches_formula_and_erf_decomposition) {
    const std::vector<float> xs{-2, -0.5f, 0, 1, 3};
    const std::vector<double> want_erf{-0.04550026389635842, -0.15426876936299344, 0.0, 0.8413447460685429, 2.99595030590511};
    const std::vector<double> want_tanh{-0.04540230591222494, -0.15428599017485606, 0.0, 0.8411919906082768, 2.996362607918227};
    for (bool tanh_form : {false, true}) {
        ModelBuilder b(20);
        b.input("x", {5}).output("y", {5});
        auto& n = b.node("Gelu", {"x"}, {"y"});
        if (tanh_form) ModelBuilder::attr_string(n, "approximate", "tanh");
        auto y = make(b).run({Tensor::f32({5}, xs)});
        ASSERT_TRUE(y);
        for (std::size_t i = 0; i < xs.size(); ++i)
            EXPECT_NEAR((*y)[0].f()[i], (tanh_form ? want_tanh : want_erf)[i], 1e-6);
    }
    // The graph torch.onnx.export emits for nn.GELU(): Div(sqrt 2), Erf, Add 1, Mul x, Mul 0.5.
    ModelBuilder d(13);
    d.input("x", {5}).output("y", {5});
    d.init("s2", {}, {1.41421356f}).init("one", {}, {1}).init("half", {}, {0.5f});
    d.node("Div", {"x", "s2"}, {"a"});
    d.node("Erf", {"a"}, {"b"});
    d.node("Add", {"b", "one"}, {"c"});
    d.node("Mul", {"x", "c"}, {"e"});
    d.node("Mul", {"e", "half"}, {"y"});
    auto y = make(d).run({Tensor::f32({5}, xs)});
    ASSERT_TRUE(y);
    for (std::size_t i = 0; i < xs.size(); ++i) EXPECT_NEAR((*y)[0].f()[i], want_erf[i], 1e-6);
}

/// Direct evaluation of the Conv definition (ONNX Operators.md, Conv), 2-D, for checking
/// groups and dilations, which ONNX 1.12's node tests do not cover.
std::vector<float> naive_conv(const Tensor& x, const Tensor& w, const Tensor& bias, std::int64_t group, std::int64_t stride,
                              std::int64_t pad, std::int64_t dil, std::int64_t oh, std::int64_t ow) {
    const auto N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
    const auto M = w.shape[0], CG = w.shape[1], KH = w.shape[2], KW = w.shape[3];
    std::vector<float> out;
    for (std::int64_t n = 0; n < N; ++n)
        for (std::int64_t m = 0; m < M; ++m)
            for (std::int64_t i = 0; i < oh; ++i)
                for (std::int64_t j = 0; j < ow; ++j) {
                    double s = bias.f()[static_cast<std::size_t>(m)];
                    const std::int64_t g = m / (M / group);
                    for (std::int64_t cg = 0; cg < CG; ++cg)
                        for (std::int64_t ki = 0; ki < KH; ++ki)
                            for (std::int64_t kj = 0; kj < KW; ++kj) {
                                const std::int64_t r = i * stride - pad + ki * dil, q = j * stride - pad + kj * dil;
                                if (r < 0 || r >= H || q < 0 || q >= W) continue;
                                const std::int64_t c = g * CG + cg;
                                s += static_cast<double>(x.f()[static_cast<std::size_t>(((n * C + c) * H + r) * W + q)]) *
                                     static_cast<double>(w.f()[static_cast<std::size_t>(((m * CG + cg) * KH + ki) * KW + kj)]);
                            }
                    out.push_back(static_cast<float>(s));
                }
    return out;
}

Tensor ramp(Shape s, float scale) {
    Tensor t = Tensor::zeros(DType::F32, s);
    for (std::size_t i = 0; i < t.f().size(); ++i) t.f()[i] = scale * static_cast<float>((static_cast<int>(i * 37) % 23) - 11);
    return t;
}

TEST(float_executor, conv_groups_depthwise_and_dilation) {
    struct Case {
        std::int64_t c, m, group, stride, pad, dil;
    };
    for (const Case k : {Case{4, 4, 4, 1, 1, 1}, Case{4, 6, 2, 2, 1, 2}, Case{3, 2, 1, 1, 0, 2}}) {
        const std::int64_t H = 7, W = 6, KH = 3, KW = 3;
        const Tensor x = ramp({2, k.c, H, W}, 0.1f);
        const Tensor w = ramp({k.m, k.c / k.group, KH, KW}, 0.05f);
        const Tensor bias = ramp({k.m}, 0.2f);
        const std::int64_t oh = (H + 2 * k.pad - ((KH - 1) * k.dil + 1)) / k.stride + 1;
        const std::int64_t ow = (W + 2 * k.pad - ((KW - 1) * k.dil + 1)) / k.stride + 1;
        ModelBuilder b(13);
        b.input("x", x.shape).init("w", w.shape, w.f()).init("b", bias.shape, bias.f()).output("y", {2, k.m, oh, ow});
        auto& n = b.node("Conv", {"x", "w", "b"}, {"y"});
        ModelBuilder::attr_int(n, "group", k.group);
        ModelBuilder::attr_ints(n, "strides", {k.stride, k.stride});
        ModelBuilder::attr_ints(n, "pads", {k.pad, k.pad, k.pad, k.pad});
        ModelBuilder::attr_ints(n, "dilations", {k.dil, k.dil});
        auto y = make(b).run({x});
        ASSERT_TRUE(y) << y.error().message();
        EXPECT_EQ((*y)[0].shape, (Shape{2, k.m, oh, ow}));
        const auto want = naive_conv(x, w, bias, k.group, k.stride, k.pad, k.dil, oh, ow);
        ASSERT_EQ((*y)[0].f().size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR((*y)[0].f()[i], want[i], 1e-5) << i;
    }
}

TEST(float_executor, integer_division_by_zero_and_bad_gather_are_refused) {
    ModelBuilder b(14);
    b.input("x", {2}, ::onnx::TensorProto::INT64).input("y", {2}, ::onnx::TensorProto::INT64).output("z", {2}, ::onnx::TensorProto::INT64);
    b.node("Div", {"x", "y"}, {"z"});
    auto ex = make(b);
    EXPECT_EQ(ex.run({Tensor::i64({2}, {4, 5}), Tensor::i64({2}, {2, 0})}).error().code, FloatErrc::division_by_zero);
    auto q = ex.run({Tensor::i64({2}, {INT64_MIN, -7}), Tensor::i64({2}, {-1, 2})});
    ASSERT_TRUE(q);
    EXPECT_EQ((*q)[0].vec<std::int64_t>(), (std::vector<std::int64_t>{INT64_MIN, -3}));  // wraps, truncates

    ModelBuilder g(13);
    g.input("d", {3, 2}).input("i", {1}, ::onnx::TensorProto::INT64).output("y", {1, 2});
    g.node("Gather", {"d", "i"}, {"y"});
    auto gx = make(g);
    const Tensor d = Tensor::f32({3, 2}, {1, 2, 3, 4, 5, 6});
    EXPECT_EQ(gx.run({d, Tensor::i64({1}, {3})}).error().code, FloatErrc::index_out_of_range);
    EXPECT_EQ(gx.run({d, Tensor::i64({1}, {-4})}).error().code, FloatErrc::index_out_of_range);
    auto ok = gx.run({d, Tensor::i64({1}, {-1})});
    ASSERT_TRUE(ok);
    EXPECT_EQ((*ok)[0].f(), (std::vector<float>{5, 6}));
}

TEST(float_executor, bool_tensors_select_and_refuse_arithmetic) {
    // Equal makes a bool mask, Where selects by it; bool is no number for Add, Pow or Where's
    // branches' condition slot.
    ModelBuilder b(14);
    b.input("a", {2, 2}, ::onnx::TensorProto::INT64)
        .input("x", {2, 2})
        .output("y", {2, 2})
        .output("m", {2, 2}, ::onnx::TensorProto::BOOL);
    b.init_i64("zero", {}, {0});
    b.init("neg", {}, {-1e9f});
    b.node("Equal", {"a", "zero"}, {"m"});
    b.node("Where", {"m", "neg", "x"}, {"y"});
    auto ex = make(b);
    auto r = ex.run({Tensor::i64({2, 2}, {0, 3, 0, 0}), Tensor::f32({2, 2}, {1, 2, 3, 4})});
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ((*r)[0].f(), (std::vector<float>{-1e9f, 2, -1e9f, -1e9f}));
    ASSERT_EQ((*r)[1].dtype, DType::Bool);
    EXPECT_EQ((*r)[1].vec<char>(), (std::vector<char>{1, 0, 1, 1}));

    ModelBuilder add(14);
    add.input("a", {2}, ::onnx::TensorProto::INT64).output("y", {2}, ::onnx::TensorProto::BOOL);
    add.init_i64("zero", {}, {0});
    add.node("Equal", {"a", "zero"}, {"m"});
    add.node("Add", {"m", "m"}, {"y"});
    EXPECT_EQ(make(add).run({Tensor::i64({2}, {0, 1})}).error().code, FloatErrc::unsupported_dtype);

    ModelBuilder w(14);
    w.input("c", {2}).input("x", {2}).output("y", {2});
    w.node("Where", {"c", "x", "x"}, {"y"});
    EXPECT_EQ(make(w).run({Tensor::f32({2}, {1, 0}), Tensor::f32({2}, {1, 2})}).error().code,
              FloatErrc::unsupported_dtype);  // a float condition
}

TEST(float_executor, split_range_and_expand_refuse_inconsistent_shapes) {
    ModelBuilder sp(13);
    sp.input("x", {1, 6}).output("a", {1, 2}).output("b", {1, 3});
    sp.init_i64("sizes", {2}, {2, 3});
    ModelBuilder::attr_int(sp.node("Split", {"x", "sizes"}, {"a", "b"}), "axis", 1);
    EXPECT_EQ(make(sp).run({Tensor::f32({1, 6}, {1, 2, 3, 4, 5, 6})}).error().code, FloatErrc::shape_mismatch);

    ModelBuilder rg(13);
    rg.input("s", {}, ::onnx::TensorProto::INT64)
        .input("l", {}, ::onnx::TensorProto::INT64)
        .input("d", {}, ::onnx::TensorProto::INT64)
        .output("y", {3}, ::onnx::TensorProto::INT64);
    rg.node("Range", {"s", "l", "d"}, {"y"});
    auto rx = make(rg);
    EXPECT_EQ(rx.run({Tensor::i64({}, {0}), Tensor::i64({}, {5}), Tensor::i64({}, {0})}).error().code,
              FloatErrc::bad_attribute);  // delta 0
    auto down = rx.run({Tensor::i64({}, {5}), Tensor::i64({}, {0}), Tensor::i64({}, {-2})});
    ASSERT_TRUE(down);
    EXPECT_EQ((*down)[0].vec<std::int64_t>(), (std::vector<std::int64_t>{5, 3, 1}));

    ModelBuilder ex(13);
    ex.input("x", {2, 1}).input("s", {2}, ::onnx::TensorProto::INT64).output("y", {2, 3});
    ex.node("Expand", {"x", "s"}, {"y"});
    auto e = make(ex);
    auto ok = e.run({Tensor::f32({2, 1}, {1, 2}), Tensor::i64({2}, {1, 3})});
    ASSERT_TRUE(ok);
    EXPECT_EQ((*ok)[0].shape, (Shape{2, 3}));
    EXPECT_EQ((*ok)[0].f(), (std::vector<float>{1, 1, 1, 2, 2, 2}));
    EXPECT_EQ(e.run({Tensor::f32({2, 1}, {1, 2}), Tensor::i64({2}, {3, 3})}).error().code, FloatErrc::shape_mismatch);
}

TEST(float_specialize, folds_shapes_the_input_shapes_fix_and_keeps_those_data_decides) {
    // z1 = Shape(Relu(x)) is fixed by x's shape; z2 = Shape(Reshape(x, s)) depends on s's values.
    ModelBuilder b(14);
    b.input("x", {2, 3}).input("s", {2}, ::onnx::TensorProto::INT64);
    b.output("z1", {2}, ::onnx::TensorProto::INT64).output("z2", {2}, ::onnx::TensorProto::INT64);
    b.node("Relu", {"x"}, {"r"});
    b.node("Shape", {"r"}, {"z1"});
    b.node("Reshape", {"x", "s"}, {"y"});
    b.node("Shape", {"y"}, {"z2"});
    auto m = parse_onnx_model(b.bytes());
    ASSERT_TRUE(m);
    FoldStats st;
    auto fixed = specialize(*m, {{2, 3}, {2}}, &st);
    ASSERT_TRUE(fixed) << fixed.error().message();
    EXPECT_EQ(st.folded, 1u);  // Shape(r)
    EXPECT_EQ(st.kept, 3u);    // Relu, Reshape, Shape(y)
    auto ex = FloatExecutor::create(std::move(*fixed));
    ASSERT_TRUE(ex);
    const Tensor x = Tensor::f32({2, 3}, {1, 2, 3, 4, 5, 6});
    for (const auto& [s, want] : {std::pair{std::vector<std::int64_t>{3, 2}, std::vector<std::int64_t>{3, 2}},
                                  std::pair{std::vector<std::int64_t>{6, 1}, std::vector<std::int64_t>{6, 1}}}) {
        auto r = ex->run({x, Tensor::i64({2}, s)});
        ASSERT_TRUE(r) << r.error().message();
        EXPECT_EQ((*r)[0].vec<std::int64_t>(), (std::vector<std::int64_t>{2, 3}));  // a folded Constant
        EXPECT_EQ((*r)[1].vec<std::int64_t>(), want);
    }
    // Shapes the declared ones refuse, or a count that does not match, are named errors.
    EXPECT_EQ(specialize(*m, {{2, 4}, {2}}).error().code, FloatErrc::bad_input);
    EXPECT_EQ(specialize(*m, {{2, 3}}).error().code, FloatErrc::bad_input);
}

TEST(float_executor, observer_sees_every_node) {
    ModelBuilder b(13);
    b.input("x", {1, 2}).output("y", {1, 2});
    b.node("Relu", {"x"}, {"a"});
    b.node("Neg", {"a"}, {"y"});
    std::vector<std::string> seen;
    auto y = make(b).run({Tensor::f32({1, 2}, {-1, 3})},
                         [&](std::size_t, const OnnxNode& n, const std::vector<Tensor>&) { seen.push_back(n.op_type); });
    ASSERT_TRUE(y);
    EXPECT_EQ(seen, (std::vector<std::string>{"Relu", "Neg"}));
    EXPECT_EQ((*y)[0].f(), (std::vector<float>{0, -3}));
}

}  // namespace
}  // namespace sigil::runtime
