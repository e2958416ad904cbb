// The worked examples of docs/ops.md, recomputed by the reference rules. The expected values come
// from an independent Python transcription of docs/ops.md:
//   /usr/bin/python3 src/core/kernels/docs_examples.py
#include <gtest/gtest.h>

#include <functional>

#include "core/ir/builder.hpp"
#include "core/kernels/program_run.hpp"

namespace sigil::kernels {
namespace {

using ir::Builder;
using ir::DType;
using ir::Quant;
using ir::TensorId;

Quant q(std::int32_t zp) { return Quant::per_tensor(zp, {1 << 30, 0}); }

Bytes i8(std::initializer_list<int> v) {
    Bytes b;
    for (int x : v) b.push_back(static_cast<std::uint8_t>(x));
    return b;
}

/// Builds a one-op program with `make`, runs the reference and the fast path, returns the output.
std::vector<int> run(const std::function<TensorId(Builder&)>& make, const std::vector<Bytes>& inputs) {
    Builder b;
    b.mark_output(make(b));
    auto p = std::move(b).finish();
    EXPECT_TRUE(p.has_value()) << to_string(p.error());
    const auto ref = run_program(*p, inputs, Path::reference).value();
    const auto fast = run_program(*p, inputs, Path::fast).value();
    const auto id = p->outputs[0];
    EXPECT_EQ(ref[id], fast[id]);
    std::vector<int> out;
    for (auto v : ref[id]) out.push_back(static_cast<std::int8_t>(v));
    return out;
}

TEST(docs_examples, conv2d) {
    const auto y = run(
        [](Builder& b) {
            const auto x = b.input(DType::int8, {1, 1, 3, 3}, q(1));
            const std::vector<std::int8_t> w = {1, -1, 2, 0};
            const std::vector<std::int32_t> bias = {10};
            ir::Window2d win;
            win.pads = {1, 1, 0, 0};
            return b.conv2d(x, b.constant_int8({1, 1, 2, 2}, w, q(0)), b.constant_int32({1}, bias), win,
                            {{1 << 30, 0}}, q(0));
        },
        {i8({1, 2, 3, 4, 5, 6, 7, 8, 9})});
    EXPECT_EQ(y, (std::vector<int>{5, 5, 6, 5, 8, 9, 4, 11, 12}));
}

TEST(docs_examples, add_and_mul) {
    EXPECT_EQ(run(
                  [](Builder& b) {
                      const auto a = b.input(DType::int8, {1}, q(10));
                      const auto c = b.input(DType::int8, {1}, q(0));
                      return b.add(a, c, {1 << 30, 1}, {1 << 30, 2}, {1 << 30, 18}, q(3));
                  },
                  {i8({50}), i8({-20})}),
              std::vector<int>{18});
    EXPECT_EQ(run(
                  [](Builder& b) {
                      const auto a = b.input(DType::int8, {1}, q(10));
                      const auto c = b.input(DType::int8, {1}, q(0));
                      return b.mul(a, c, {1 << 30, 5}, q(1));
                  },
                  {i8({50}), i8({-20})}),
              std::vector<int>{-12});
}

TEST(docs_examples, average_pool) {
    const auto y = run(
        [](Builder& b) {
            const auto x = b.input(DType::int8, {1, 3, 1, 3}, q(2));
            ir::Window2d win;
            win.kernel = {1, 3};
            return b.average_pool(x, win);
        },
        {i8({3, -4, 8, 3, -4, 6, 2, -1, 2})});
    EXPECT_EQ(y, (std::vector<int>{2, 2, 1}));  // third: sum (0 - 3 + 0) = -3 / 3 = -1, + 2
}

TEST(docs_examples, softmax) {
    const auto y = run([](Builder& b) { return b.softmax(b.input(DType::int8, {1, 3}, q(0)), {1717986918, -11}); },
                       {i8({10, 5, -3})});
    EXPECT_EQ(y, (std::vector<int>{8, -46, -91}));
}

TEST(docs_examples, gelu) {
    const auto y = run(
        [](Builder& b) {
            return b.gelu(b.input(DType::int8, {4}, q(0)), {1717986918, -10}, {1342177280, 9}, q(0));
        },
        {i8({20, -20, 0, 60})});
    EXPECT_EQ(y, (std::vector<int>{17, -3, 0, 60}));
}

TEST(docs_examples, layer_norm) {
    const auto y = run(
        [](Builder& b) {
            const auto x = b.input(DType::int8, {1, 4}, q(0));
            const std::vector<std::int8_t> g = {64, 64, 64, 64};
            const std::vector<std::int32_t> beta = {0, 0, 0, 100};
            return b.layer_norm(x, b.constant_int8({4}, g, q(0)), b.constant_int32({4}, beta), 0, {1 << 30, 14}, q(0));
        },
        {i8({10, 20, 30, 40})});
    EXPECT_EQ(y, (std::vector<int>{-44, -15, 15, 44}));
}

TEST(docs_examples, causal_softmax) {
    const auto y = run(
        [](Builder& b) {
            return b.causal_softmax(b.input(DType::int8, {2, 3}, q(0)), {1717986918, -11});
        },
        {i8({10, 5, -3, 10, 5, -3})});
    EXPECT_EQ(y, (std::vector<int>{32, -32, -128, 8, -46, -91}));
    Bytes zero(4, 0);
    const auto y0 = run(
        [](Builder& b) {
            const auto x = b.input(DType::int8, {2, 3}, q(0));
            return b.causal_softmax(x, {1717986918, -11}, b.input(DType::int32, {1}));
        },
        {i8({10, 5, -3, 10, 5, -3}), zero});
    EXPECT_EQ(y0, (std::vector<int>{127, -128, -128, 32, -32, -128}));
}

TEST(docs_examples, cache_write) {
    const Bytes pos{0xFE, 0xFF, 0xFF, 0xFF};  // -2
    const auto y = run(
        [](Builder& b) {
            const auto cache = b.input(DType::int8, {3, 2}, q(0));
            const auto p = b.input(DType::int32, {1});
            return b.cache_write(cache, p, b.input(DType::int8, {1, 2}, q(0)), 0);
        },
        {i8({1, 2, 3, 4, 5, 6}), pos, i8({7, 8})});
    EXPECT_EQ(y, (std::vector<int>{1, 2, 7, 8, 5, 6}));
}

TEST(docs_examples, rms_norm) {
    const auto y = run(
        [](Builder& b) {
            const auto x = b.input(DType::int8, {1, 4}, q(0));
            const std::vector<std::int8_t> g = {64, 64, 64, 64};
            return b.rms_norm(x, b.constant_int8({4}, g, q(0)), 0, {1 << 30, 14}, q(0));
        },
        {i8({10, 20, 30, 40})});
    EXPECT_EQ(y, (std::vector<int>{12, 23, 35, 47}));
}

TEST(docs_examples, silu) {
    const auto y = run(
        [](Builder& b) {
            return b.silu(b.input(DType::int8, {4}, q(0)), {1717986918, -10}, {1342177280, 9}, q(0));
        },
        {i8({20, -20, 0, 60})});
    EXPECT_EQ(y, (std::vector<int>{15, -5, 0, 57}));
}

TEST(docs_examples, gather_wraps_indices) {
    Bytes idx;
    for (std::int32_t v : {-1, 3, 5}) {
        for (int k = 0; k < 4; ++k) idx.push_back(static_cast<std::uint8_t>(static_cast<std::uint32_t>(v) >> (8 * k)));
    }
    const auto y = run(
        [](Builder& b) {
            const std::vector<std::int8_t> table = {1, 2, 3, 4, 5, 6};  // [3, 2]
            const auto d = b.constant_int8({3, 2}, table, q(0));
            return b.gather(d, b.input(DType::int32, {3}), 0);
        },
        {idx});
    EXPECT_EQ(y, (std::vector<int>{5, 6, 1, 2, 5, 6}));
}

}  // namespace
}  // namespace sigil::kernels
