// The decode-step program derived from a prefill program (GPT-2 and Llama exports at a 16-token
// context) gives, position by position with its key/value caches, the prefill program's logits
// bit for bit.
#include "runtime/lm/decode.hpp"

#include <gtest/gtest.h>

#include "core/ir/builder.hpp"
#include "runtime/exec/executor.hpp"
#include "runtime/lm/testing/lm_models.hpp"

namespace sigil::runtime::lm {
namespace {

constexpr std::int64_t kContext = 16;

Bytes i32(std::initializer_list<std::uint32_t> v) {
    Bytes b;
    for (auto x : v)
        for (int k = 0; k < 4; ++k) b.push_back(static_cast<std::uint8_t>(x >> (8 * k)));
    return b;
}

class DecodeStep : public ::testing::TestWithParam<std::string> {};

TEST_P(DecodeStep, matches_the_prefill_program_position_by_position) {
    const auto& lm = testing::quantized_lm(GetParam(), kContext);
    auto d = derive_decode_program(lm.program);
    ASSERT_TRUE(d) << d.error();
    EXPECT_EQ(d->context, kContext);
    EXPECT_EQ(d->vocab, testing::kVocab);
    EXPECT_EQ(d->caches.size(), 4u);  // keys and values of two layers
    std::map<ir::OpKind, int> kinds;
    for (const auto& op : d->program.ops) ++kinds[op.kind];
    EXPECT_EQ(kinds[ir::OpKind::cache_write], 4);
    EXPECT_EQ(kinds[ir::OpKind::causal_softmax], 2);

    std::vector<std::uint32_t> seq;
    for (std::uint32_t k = 0; k < kContext; ++k) seq.push_back(static_cast<std::uint32_t>((k * 29 + 3) % testing::kVocab));
    Bytes ids;
    for (auto t : seq) {
        const Bytes b = i32({t});
        ids.insert(ids.end(), b.begin(), b.end());
    }
    Executor prefill(lm.program, ExecOptions{1, std::nullopt, false});
    const std::vector<Bytes> prefill_in{ids};
    auto full = prefill.run(prefill_in);
    ASSERT_TRUE(full);

    for (unsigned threads : {1u, 2u}) {
        Executor step(d->program, ExecOptions{threads, std::nullopt, true, 0, false});
        std::vector<Bytes> caches;
        for (const auto& c : d->caches) {
            const ir::Tensor& t = d->program.tensors[c.input];
            caches.emplace_back(ir::byte_size(t), static_cast<std::uint8_t>(t.quant.zero_point));
        }
        for (std::uint32_t pos = 0; pos < kContext; ++pos) {
            std::vector<Bytes> in{i32({seq[pos]}), i32({pos})};
            in.insert(in.end(), caches.begin(), caches.end());
            auto r = step.run(in);
            ASSERT_TRUE(r);
            ASSERT_EQ(r->outputs.size(), 1 + d->caches.size());
            const auto row = full->outputs[0].begin() + static_cast<std::ptrdiff_t>(pos * r->outputs[0].size());
            ASSERT_TRUE(std::equal(r->outputs[0].begin(), r->outputs[0].end(), row))
                << GetParam() << ": position " << pos << ", " << threads << " threads";
            caches.assign(r->outputs.begin() + 1, r->outputs.end());
        }
    }
}

INSTANTIATE_TEST_SUITE_P(torch_exports, DecodeStep, ::testing::Values("gpt2_op14", "gpt2_op17", "llama_op14", "llama_op17"));

TEST(decode_step, programs_without_a_sequence_to_follow_are_refused) {
    ir::Builder b;
    const auto x = b.input(ir::DType::int32, {1, 4});
    const auto table = b.constant_int8({8, 3}, std::vector<std::int8_t>(24, 1), ir::Quant::per_tensor(0, ir::QScale{1 << 30, 0}));
    b.mark_output(b.gather(table, x, 0));  // [1, 4, 3]: no attention
    auto p = std::move(b).finish();
    ASSERT_TRUE(p);
    EXPECT_EQ(derive_decode_program(*p).error(), "no attention found (no matmul reads keys or values)");
}

}  // namespace
}  // namespace sigil::runtime::lm
