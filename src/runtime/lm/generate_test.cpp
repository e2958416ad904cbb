// Generation with PyTorch's GPT-2 export (tests/data/lm/make_lm_models.py) imported at a context of
// 16 tokens: padding never reaches earlier positions of the prefill program, generation with the
// key/value caches gives the tokens of rerunning the whole context, is reproducible across thread
// counts, follows the float model, and its commitment binds every step.
#include "runtime/lm/generate.hpp"

#include <gtest/gtest.h>

#include "core/ir/builder.hpp"
#include "core/ir/model_root.hpp"
#include "core/kernels/operand.hpp"
#include "core/merkle.hpp"
#include "runtime/exec/executor.hpp"
#include "runtime/lm/testing/lm_models.hpp"

namespace sigil::runtime::lm {
namespace {

constexpr std::int64_t kContext = 16, kVocab = testing::kVocab;

const testing::Lm& gpt2() { return testing::quantized_lm("gpt2_op17", kContext); }

Bytes ids_bytes(const std::vector<std::uint32_t>& seq, std::uint32_t pad) {
    Bytes b;
    for (std::int64_t i = 0; i < kContext; ++i) {
        const std::uint32_t t = i < static_cast<std::int64_t>(seq.size()) ? seq[static_cast<std::size_t>(i)] : pad;
        for (int k = 0; k < 4; ++k) b.push_back(static_cast<std::uint8_t>(t >> (8 * k)));
    }
    return b;
}

// Causal attention in integers: the logits of positions < t are the same bytes whatever fills the
// positions from t on (masked keys weigh exactly zero).
TEST(generate, padding_never_reaches_earlier_positions) {
    const auto& lm = gpt2();
    Executor ex(lm.program, ExecOptions{1, std::nullopt, false});
    const std::vector<std::uint32_t> seq{5, 17, 40, 2, 77, 60};
    const std::vector<Bytes> a{ids_bytes(seq, 0)}, b{ids_bytes(seq, 91)};
    auto ra = ex.run(a);
    auto rb = ex.run(b);
    ASSERT_TRUE(ra && rb);
    const std::size_t prefix = seq.size() * kVocab;
    EXPECT_TRUE(std::equal(ra->outputs[0].begin(), ra->outputs[0].begin() + static_cast<std::ptrdiff_t>(prefix),
                           rb->outputs[0].begin()));
    EXPECT_NE(ra->outputs[0], rb->outputs[0]);  // the padded positions themselves differ
}

class GreedyGeneration : public ::testing::TestWithParam<bool> {};  // int32 logits or int8

TEST_P(GreedyGeneration, follows_float_and_is_the_same_on_one_and_two_threads) {
    const auto& lm = testing::quantized_lm("gpt2_op17", kContext, GetParam());
    EXPECT_EQ(lm.program.tensors[lm.program.outputs[0]].dtype, GetParam() ? ir::DType::int32 : ir::DType::int8);
    auto one = Generator::create(lm.program, 1);
    auto two = Generator::create(lm.program, 2);
    ASSERT_TRUE(one && two) << (one ? two.error() : one.error());
    EXPECT_EQ(one->context(), kContext);
    EXPECT_EQ(one->vocab(), kVocab);
    GenerationOptions o;
    o.max_tokens = 8;
    const std::vector<std::uint32_t> prompt{12, 3, 55, 70};
    auto a = one->run(prompt, o);
    auto b = two->run(prompt, o);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->tokens.size(), 8u);
    EXPECT_EQ(a->finish, "length");
    EXPECT_EQ(a->tokens, b->tokens);
    EXPECT_EQ(a->states, b->states);
    EXPECT_EQ(a->commitment, b->commitment);
    // The float model's argmax after the prompt is the first greedy token.
    std::vector<std::int64_t> ids(kContext, 0);
    for (std::size_t i = 0; i < prompt.size(); ++i) ids[i] = prompt[i];
    auto f = lm.fx.run({Tensor::i64({1, kContext}, ids)});
    ASSERT_TRUE(f);
    const float* row = (*f)[0].f().data() + (prompt.size() - 1) * kVocab;
    EXPECT_EQ(a->tokens[0], static_cast<std::uint32_t>(std::max_element(row, row + kVocab) - row));
    // The same tokens as greedy decoding that reruns the whole context with the prefill program.
    std::vector<std::uint32_t> seq = prompt;
    Executor whole(lm.program, ExecOptions{1, std::nullopt, false});
    for (std::size_t s = 0; s < a->tokens.size(); ++s) {
        const std::vector<Bytes> in{ids_bytes(seq, 0)};
        auto r = whole.run(in);
        ASSERT_TRUE(r);
        const ir::DType dt = lm.program.tensors[lm.program.outputs[0]].dtype;
        std::vector<std::int32_t> logits;
        for (std::int64_t j = 0; j < kVocab; ++j)
            logits.push_back(
                kernels::load_element(r->outputs[0], dt, (seq.size() - 1) * kVocab + static_cast<std::uint64_t>(j)));
        const auto best = static_cast<std::uint32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
        EXPECT_EQ(a->tokens[s], best) << "token " << s;
        seq.push_back(best);
    }
    // One step per position: the prompt's (their leaves bind the next prompt token) and the
    // generated tokens' but the last; the commitment is over (S_N, next token) leaves.
    ASSERT_EQ(a->states.size(), prompt.size() + a->tokens.size() - 1);
    std::vector<Hash> leaves;
    for (std::size_t t = 0; t < a->states.size(); ++t) {
        const std::uint32_t next = t + 1 < prompt.size() ? prompt[t + 1] : a->tokens[t + 1 - prompt.size()];
        leaves.push_back(step_leaf(a->states[t], next));
    }
    EXPECT_EQ(a->generation_root, merkle_root(leaves));
    // The generator carries each cache's root from the step that wrote it; hashing every step's
    // inputs afresh gives the same states.
    const DecodeProgram& d = one->step_program();
    Executor fresh(d.program, ExecOptions{1, std::nullopt, true});
    std::vector<Bytes> in(2 + d.caches.size());
    for (std::size_t c = 0; c < d.caches.size(); ++c) {
        const ir::Tensor& t = d.program.tensors[d.caches[c].input];
        in[2 + c].assign(static_cast<std::size_t>(ir::byte_size(t)), static_cast<std::uint8_t>(t.quant.zero_point));
    }
    for (std::uint32_t t = 0; t < a->states.size(); ++t) {
        const std::uint32_t tok = t < prompt.size() ? prompt[t] : a->tokens[t - prompt.size()];
        in[0] = Bytes{static_cast<std::uint8_t>(tok), 0, 0, 0};
        in[1] = Bytes{static_cast<std::uint8_t>(t), 0, 0, 0};
        auto r = fresh.run(in);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->state_root, a->states[t]) << "step " << t;
        for (std::size_t c = 0; c < d.caches.size(); ++c) in[2 + c] = r->outputs[1 + c];
    }
    EXPECT_EQ(a->commitment, generation_commitment(one->step_model_root(), Hash{}, prompt_hash(prompt), params_hash(o),
                                                   a->generation_root));
}

INSTANTIATE_TEST_SUITE_P(logits, GreedyGeneration, ::testing::Values(true, false),
                         [](const auto& p) { return p.param ? "int32" : "int8"; });

TEST(generate, seeded_sampling_is_reproducible_and_the_seed_matters) {
    const auto& lm = gpt2();
    auto g = Generator::create(lm.program, 1);
    ASSERT_TRUE(g);
    GenerationOptions o;
    o.max_tokens = 10;
    o.sampling.temperature_milli = 10000;  // the random-weight model is sharp: gaps of 4 to 20 between its top logits
    o.sampling.top_k = 40;
    o.sampling.top_p_micro = 950'000;
    std::vector<std::vector<std::uint32_t>> outs;
    for (int s : {1, 1, 2, 3}) {
        o.sampling.seed = Hash{};
        o.sampling.seed[0] = static_cast<std::uint8_t>(s);
        auto r = g->run({9, 8, 7}, o);
        ASSERT_TRUE(r) << r.error();
        outs.push_back(r->tokens);
    }
    EXPECT_EQ(outs[0], outs[1]);
    EXPECT_TRUE(outs[0] != outs[2] || outs[0] != outs[3]);
}

TEST(generate, stop_tokens_context_and_bad_requests) {
    const auto& lm = gpt2();
    auto g = Generator::create(lm.program, 1);
    ASSERT_TRUE(g);
    GenerationOptions o;
    o.max_tokens = 5;
    auto first = g->run({1, 2, 3}, o);
    ASSERT_TRUE(first);
    o.stop = {first->tokens[0]};
    auto stopped = g->run({1, 2, 3}, o);
    ASSERT_TRUE(stopped);
    EXPECT_EQ(stopped->tokens, std::vector<std::uint32_t>{first->tokens[0]});
    EXPECT_EQ(stopped->finish, "stop");
    o.stop.clear();
    auto full = g->run(std::vector<std::uint32_t>(kContext - 2, 4), o);
    ASSERT_TRUE(full);
    EXPECT_EQ(full->tokens.size(), 2u);
    EXPECT_EQ(full->finish, "context");
    EXPECT_EQ(g->run(std::vector<std::uint32_t>(kContext, 4), o).error(),
              "the prompt has 16 tokens; it needs 1 to 15 (the context is 16)");
    EXPECT_EQ(g->run({}, o).error(), "the prompt has 0 tokens; it needs 1 to 15 (the context is 16)");
    EXPECT_EQ(g->run({1, 96}, o).error(), "prompt token 96 is outside the vocabulary of 96");
    o.max_tokens = 0;
    EXPECT_EQ(g->run({1}, o).error(), "max_tokens must be at least 1");
    o.max_tokens = 1;
    o.sampling.top_p_micro = 0;
    EXPECT_EQ(g->run({1}, o).error(), "top_p_micro 0 is outside [1, 1000000]");
}

TEST(generate, a_program_that_is_not_a_language_model_is_refused) {
    ir::Builder b;
    const auto x = b.input(ir::DType::int8, {1, 4}, ir::Quant::per_tensor(0, ir::QScale{1 << 30, 0}));
    b.mark_output(b.clip(x, {-10, 10}));
    auto p = std::move(b).finish();
    ASSERT_TRUE(p);
    EXPECT_EQ(Generator::create(*p, 1).error(), "the input must be int32 token ids of shape [1, C], C >= 2");
}

}  // namespace
}  // namespace sigil::runtime::lm
