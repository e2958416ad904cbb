// Generation requests, claims and openings for the contracts (docs/generation.md "On chain"), on
// PyTorch's GPT-2 export at a context of 16: the encodings round-trip, the rules accept an honest
// generation and name what breaks them, every opening verifies against the commitments it names,
// and build/dispute/generation_vectors.txt gets an honest and a lying generation for the forge
// tests (test/dispute/GenerationGame.t.sol), greedy and sampled.
#include "runtime/lm/onchain.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>

#include "core/abi/codec.hpp"
#include "core/abi/type.hpp"
#include "core/abi/value.hpp"
#include "core/keccak.hpp"
#include "core/merkle.hpp"
#include "core/trace/chunks.hpp"
#include "core/trace/state.hpp"
#include "runtime/exec/executor.hpp"
#include "runtime/lm/testing/lm_models.hpp"
#include "runtime/lm/vocab.hpp"

namespace sigil::runtime::lm {
namespace {

constexpr std::int64_t kContext = 16;

struct Traced {
    Generation g;
    std::vector<std::shared_ptr<const trace::ExecutionTrace>> traces;  // per step
};

struct Setup {
    Generator gen;
    Vocabulary vocab;
    LmManifest manifest;
};

Setup& setup() {
    static std::unique_ptr<Setup> s = [] {
        auto gen = Generator::create(testing::quantized_lm("gpt2_op17", kContext).program, 1);
        EXPECT_TRUE(gen);
        auto vocab = Vocabulary::from_json(testing::ascii_vocab_json());
        EXPECT_TRUE(vocab);
        LmManifest m = manifest_of(*gen, vocab->root());
        return std::make_unique<Setup>(Setup{std::move(*gen), std::move(*vocab), m});
    }();
    return *s;
}

GenerationSpec spec(std::uint32_t temperature_milli) {
    GenerationSpec s;
    s.lm_root = lm_root(setup().manifest);
    s.prompt = {40, 69, 76, 76};  // "Hell"
    s.options.max_tokens = 6;
    s.options.stop = {0};  // " "
    s.options.sampling.temperature_milli = temperature_milli;
    s.options.sampling.top_k = temperature_milli == 0 ? 0 : 8;
    s.options.sampling.top_p_micro = temperature_milli == 0 ? 1'000'000 : 900'000;
    if (temperature_milli != 0) s.options.sampling.seed[31] = 7;  // greedy draws nothing
    return s;
}

Traced generate(const GenerationSpec& s, const GenerationOptions& o) {
    Traced run;
    auto g = setup().gen.run(s.prompt, o, setup().manifest.vocab_root, nullptr, {},
                             [&](std::uint32_t, const RunResult& r) { run.traces.push_back(r.trace); });
    EXPECT_TRUE(g) << (g ? "" : g.error());
    run.g = std::move(*g);
    return run;
}

std::string text_of(const std::vector<std::uint32_t>& tokens) {
    auto t = setup().vocab.decode(tokens);
    EXPECT_TRUE(t);
    return *t;
}

TEST(onchain, spec_round_trips_and_is_recognised) {
    const GenerationSpec s = spec(800);
    const Bytes input = encode_spec(s);
    EXPECT_TRUE(is_generation_input(input));
    auto d = decode_spec(input);
    ASSERT_TRUE(d) << d.error();
    EXPECT_EQ(d->lm_root, s.lm_root);
    EXPECT_EQ(d->prompt, s.prompt);
    EXPECT_EQ(d->options.stop, s.options.stop);
    EXPECT_EQ(d->options.sampling.top_p_micro, 900'000U);
    EXPECT_EQ(d->options.sampling.seed, s.options.sampling.seed);
    Bytes cut(input.begin(), input.end() - 40);
    EXPECT_FALSE(decode_spec(cut));
    EXPECT_FALSE(is_generation_input(Bytes{'S', 'I', 'G'}));
    EXPECT_FALSE(decode_spec(Bytes(64, 0)));
}

TEST(onchain, manifest_describes_the_step_program) {
    const LmManifest& m = setup().manifest;
    const ir::Program& p = setup().gen.step_program().program;
    EXPECT_EQ(m.context, kContext);
    EXPECT_EQ(m.vocab, testing::kVocab);
    EXPECT_EQ(m.steps, p.ops.size());
    EXPECT_EQ(m.logits_width, 4);
    ASSERT_EQ(m.cache_steps.size(), setup().gen.step_program().caches.size());
    ASSERT_GT(m.logits_step, 0U);
    EXPECT_EQ(p.ops[m.logits_step - 1].output, p.outputs[0]);
    for (std::size_t c = 0; c < m.cache_steps.size(); ++c) {
        ASSERT_GT(m.cache_steps[c], 0U);
        EXPECT_EQ(p.ops[m.cache_steps[c] - 1].output, p.outputs[1 + c]);
    }
    // lmRoot is keccak256 of the ABI encoding, which changes with any field.
    LmManifest other = m;
    other.logits_shift += 1;
    EXPECT_NE(lm_root(other), lm_root(m));
}

TEST(onchain, rules_accept_an_honest_generation_and_name_each_break) {
    const GenerationSpec s = spec(0);
    const LmManifest& m = setup().manifest;
    EXPECT_EQ(spec_fault(s, m, m.step_model_root), "");
    EXPECT_EQ(spec_fault(s, m, Hash{}), "model");
    GenerationSpec bad = s;
    bad.prompt.assign(kContext, 1);
    EXPECT_EQ(spec_fault(bad, m, m.step_model_root), "prompt length");
    bad = s;
    bad.prompt[1] = testing::kVocab;
    EXPECT_EQ(spec_fault(bad, m, m.step_model_root), "prompt token");
    bad = s;
    bad.options.sampling.temperature_milli = 500;  // top_k 0 cannot be checked on chain
    EXPECT_EQ(spec_fault(bad, m, m.step_model_root), "top k");

    const Traced run = generate(s, s.options);
    const auto& tokens = run.g.tokens;
    const std::uint64_t steps = run.g.states.size();
    EXPECT_EQ(tokens_fault(s, m, tokens, steps), "");
    EXPECT_EQ(tokens_fault(s, m, tokens, steps + 1), "steps");
    if (tokens.size() > 1) {
        std::vector<std::uint32_t> shorter(tokens.begin(), tokens.end() - 1);
        const bool last_is_stop = shorter.back() == 0;
        EXPECT_EQ(tokens_fault(s, m, shorter, steps - 1), last_is_stop ? "" : "ended early");
    }
    std::vector<std::uint32_t> stop_inside = tokens;
    stop_inside.insert(stop_inside.begin(), 0);
    EXPECT_NE(tokens_fault(s, m, stop_inside, steps + 1), "");
}

// Every opening verifies against what the contracts check it against.
TEST(onchain, openings_verify_against_the_commitments) {
    const GenerationSpec s = spec(0);
    const LmManifest& m = setup().manifest;
    const Traced run = generate(s, s.options);
    const auto leaves = generation_leaves(run.g);
    ASSERT_EQ(merkle_root(leaves), run.g.generation_root);
    for (std::uint64_t t = 0; t < leaves.size(); ++t) {
        const StepOpening o = open_step(m, run.g, t, *run.traces[t], t > 0 ? run.traces[t - 1].get() : nullptr);
        EXPECT_EQ(step_leaf(o.state, o.next), leaves[t]);
        const std::uint64_t n1 = m.steps + 1;
        EXPECT_TRUE(merkle_verify(o.state, n1, 0, trace::input_root(o.inputs), o.input_path));
        for (std::size_t c = 0; c < m.cache_steps.size(); ++c) {
            if (t == 0) {
                EXPECT_EQ(o.inputs[2 + c], m.initial_caches[c]);
            } else {
                EXPECT_TRUE(merkle_verify(o.prev_state, n1, m.cache_steps[c], o.inputs[2 + c], o.cache_paths[c]));
                EXPECT_TRUE(merkle_verify(run.g.generation_root, leaves.size(), t - 1, step_leaf(o.prev_state, o.token),
                                          o.prev_path));
            }
        }
        const Descent d = descend_to(leaves, t);
        ASSERT_EQ(d.picks.size(), merkle_depth(leaves.size()));
        Hash node = run.g.generation_root;
        std::uint64_t index = 0;
        for (std::size_t level = 0; level < d.picks.size(); ++level) {
            Bytes pair(d.lefts[level].begin(), d.lefts[level].end());
            pair.insert(pair.end(), d.rights[level].begin(), d.rights[level].end());
            ASSERT_EQ(keccak256(pair), node);
            node = d.picks[level] ? d.rights[level] : d.lefts[level];
            index = index * 2 + (d.picks[level] ? 1 : 0);
        }
        EXPECT_EQ(index, t);
        EXPECT_EQ(node, leaves[t]);
        if (t + 1 >= s.prompt.size()) {
            const LogitsOpening lo = open_logits(m, *run.traces[t]);
            EXPECT_EQ(lo.row.size(), std::size_t{m.vocab} * m.logits_width);
            EXPECT_TRUE(merkle_verify(o.state, n1, m.logits_step, trace::tensor_root(lo.row), lo.path));
        }
    }
}

// --------------------------------------------------------------- fixtures for the forge tests

abi::Value hashes(const std::vector<Hash>& v) {
    std::vector<abi::Value> e;
    for (const auto& h : v) e.push_back(abi::Value::bytes_n(h));
    return abi::Value::array(std::move(e));
}

/// abi.encode(GenFixture) of test/dispute/GenerationGame.t.sol.
Bytes fixture(const GenerationSpec& s, const Traced& run, std::uint64_t t, bool liar) {
    const LmManifest& m = setup().manifest;
    const Bytes input = encode_spec(s);
    const std::string text = text_of(run.g.tokens);
    const GenerationClaim c = generation_claim(input, run.g, text);
    const auto leaves = generation_leaves(run.g);
    const Descent d = descend_to(leaves, t);
    const StepOpening o = open_step(m, run.g, t, *run.traces[t], t > 0 ? run.traces[t - 1].get() : nullptr);
    LogitsOpening lo;
    if (t + 1 >= s.prompt.size()) lo = open_logits(m, *run.traces[t]);
    std::vector<Hash> vocab_leaves;
    for (std::uint32_t i = 0; i < setup().vocab.size(); ++i)
        vocab_leaves.push_back(keccak256(as_bytes(setup().vocab.text(i))));
    std::vector<abi::Value> texts, paths;
    for (auto tok : run.g.tokens) {
        texts.push_back(abi::Value::dyn_bytes(as_bytes(setup().vocab.text(tok))));
        paths.push_back(hashes(merkle_proof(vocab_leaves, tok)));
    }
    using abi::Type;
    const Type h = Type::bytes_n(32), hs = Type::array(Type::bytes_n(32));
    const Type type =
        Type::tuple({Type::bytes(), Type::bytes(), Type::bytes(), h, h, Type::uint(64), h, Type::uint(64), hs, hs,
                     Type::bytes(), hs, Type::bytes(), Type::boolean(), Type::array(Type::bytes()), Type::array(hs)});
    const abi::Value v = abi::Value::tuple(
        {abi::Value::dyn_bytes(input), abi::Value::dyn_bytes(encode_manifest(m)), abi::Value::dyn_bytes(c.output),
         abi::Value::bytes_n(c.output_root), abi::Value::bytes_n(c.trace_root), abi::Value::uint(c.steps, 64),
         abi::Value::bytes_n(c.input_root), abi::Value::uint(t, 64), hashes(d.lefts), hashes(d.rights),
         abi::Value::dyn_bytes(encode_step_opening(o)), hashes(lo.path), abi::Value::dyn_bytes(lo.row),
         abi::Value::boolean(liar), abi::Value::array(std::move(texts)), abi::Value::array(std::move(paths))});
    return abi::encode({type}, {v});
}

// A greedy step's two-logit proof: both chunks are where their logits are and both paths lead to
// the row's tensor root (the leaf proveToken checks against the step's S_N).
TEST(onchain, greedy_witness_proves_two_logits_of_the_row) {
    const GenerationSpec s = spec(0);
    const LmManifest& m = setup().manifest;
    const Traced run = generate(s, s.options);
    const LogitsOpening lo = open_logits(m, *run.traces.back());
    const Hash root = trace::tensor_root(lo.row);
    const abi::Type word = abi::Type::bytes_n(32), path = abi::Type::array(abi::Type::bytes_n(32));
    for (const auto& [other, next] : {std::pair<std::uint32_t, std::uint32_t>{3, 90}, {95, 95}, {0, 8}}) {
        const Bytes w = greedy_witness(m, lo.row, other, next);
        auto d = abi::decode({abi::Type::tuple({abi::Type::uint(32), word, path, word, path})}, w);
        ASSERT_TRUE(d);
        const auto& f = (*d)[0].elems;
        EXPECT_EQ(f[0].num, other);
        const auto check = [&](std::uint32_t i, const abi::Value& chunk, const abi::Value& p) {
            Hash leaf{};
            std::copy_n(chunk.bytes.begin(), 32, leaf.begin());
            std::vector<Hash> proof;
            for (const auto& h : p.elems) {
                Hash x{};
                std::copy_n(h.bytes.begin(), 32, x.begin());
                proof.push_back(x);
            }
            const std::uint64_t at = std::uint64_t{i} * m.logits_width;
            EXPECT_TRUE(std::equal(leaf.begin() + static_cast<std::ptrdiff_t>(at % 32),
                                   leaf.begin() + static_cast<std::ptrdiff_t>(at % 32 + m.logits_width),
                                   lo.row.begin() + static_cast<std::ptrdiff_t>(at)));
            EXPECT_TRUE(merkle_verify(root, trace::chunk_count(lo.row.size()), at / 32, leaf, proof));
        };
        check(other, f[1], f[2]);
        check(next, f[3], f[4]);
    }
}

TEST(onchain, writes_fixtures_for_the_contracts) {
    std::vector<Bytes> lines;
    for (std::uint32_t temperature : {0U, 800U}) {
        const GenerationSpec s = spec(temperature);
        const Traced honest = generate(s, s.options);
        ASSERT_GE(honest.g.tokens.size(), 3U) << "the fixtures alter the third generated token";
        // A liar replaces generated token 2 and goes on from it: the first wrong leaf is the step
        // that sampled it, where S_N is right and the token is not.
        GenerationOptions lie = s.options;
        const std::uint32_t j = 2;
        lie.alter = std::make_pair(j, (honest.g.tokens[j] + 1) % testing::kVocab);
        const Traced liar = generate(s, lie);
        ASSERT_EQ(liar.g.tokens[j], lie.alter->second);
        const std::uint64_t t = s.prompt.size() - 1 + j;
        ASSERT_EQ(liar.g.states[t], honest.g.states[t]);
        // The sampler on the opened row gives the honest token, not the liar's.
        const LmManifest& m = setup().manifest;
        const LogitsOpening lo = open_logits(m, *liar.traces[t]);
        std::vector<std::int32_t> row(m.vocab);
        for (std::uint32_t i = 0; i < m.vocab; ++i) {
            std::int32_t v = 0;
            for (int b = 3; b >= 0; --b) v = (v << 8) | lo.row[4 * i + static_cast<std::size_t>(b)];
            row[i] = v;
        }
        EXPECT_EQ(sample(row, {m.logits_multiplier, m.logits_shift}, s.options.sampling, j), honest.g.tokens[j]);
        lines.push_back(fixture(s, honest, t, false));
        lines.push_back(fixture(s, liar, t, true));
        lines.push_back(fixture(s, honest, 1, false));  // a prompt step
    }
    const std::filesystem::path dir = std::filesystem::path(SIGIL_SOURCE_DIR) / "build" / "dispute";
    std::filesystem::create_directories(dir);
    std::ofstream f(dir / "generation_vectors.txt", std::ios::trunc);
    for (const auto& l : lines) f << to_hex(l) << '\n';
    ASSERT_TRUE(f.good());
}

// Random rows through the C++ sampler, for test/dispute/GenerationSampler.t.sol to replay against
// GenerationLib.sample: int8 and int32 rows, ties, greedy and top-k / top-p draws.
TEST(onchain, writes_sampler_vectors) {
    std::mt19937_64 rng(20261206);
    const auto pick = [&](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    using abi::Type;
    const Type type = Type::tuple({Type::bytes(), Type::uint(8), Type::int_(32), Type::int_(32), Type::uint(32),
                                   Type::uint(32), Type::uint(32), Type::bytes_n(32), Type::uint(64), Type::uint(32)});
    std::vector<Bytes> lines;
    int not_greedy = 0;  // draws that are not the row's first maximum: sampling is exercised
    for (int c = 0; c < 300; ++c) {
        const bool wide = c % 3 != 0;
        const auto vocab = static_cast<std::uint32_t>(pick(1, 300));
        std::vector<std::int32_t> row(vocab);
        const std::int64_t span = wide ? pick(1, 1 << 20) : pick(1, 255);
        for (auto& x : row) x = static_cast<std::int32_t>(wide ? pick(-span, span) : pick(-128, -128 + span));
        if (vocab > 4) row[static_cast<std::size_t>(pick(0, vocab - 1))] = row[0];  // a tie
        Bytes bytes;
        for (auto x : row) {
            if (wide) {
                for (int b = 0; b < 4; ++b)
                    bytes.push_back(static_cast<std::uint8_t>(static_cast<std::uint32_t>(x) >> (8 * b)));
            } else {
                bytes.push_back(static_cast<std::uint8_t>(x));
            }
        }
        SamplingParams p;
        p.temperature_milli = c % 5 == 0 ? 0 : static_cast<std::uint32_t>(pick(1, 3000));
        p.top_k = static_cast<std::uint32_t>(pick(1, kMaxOnchainTopK));
        p.top_p_micro = c % 2 == 0 ? 1'000'000 : static_cast<std::uint32_t>(pick(1, 1'000'000));
        for (auto& b : p.seed) b = static_cast<std::uint8_t>(pick(0, 255));
        const ir::QScale scale{static_cast<std::int32_t>(pick(1 << 30, (std::int64_t{1} << 31) - 1)),
                               static_cast<std::int32_t>(wide ? pick(8, 24) : pick(-6, 8))};
        const auto step = static_cast<std::uint64_t>(pick(0, 1000));
        const std::uint32_t token = sample(row, scale, p, step);
        if (token != sample(row, scale, SamplingParams{}, step)) ++not_greedy;
        lines.push_back(abi::encode(
            {type}, {abi::Value::tuple({abi::Value::dyn_bytes(bytes), abi::Value::uint(wide ? 4 : 1, 8),
                                        abi::Value::int_(scale.multiplier, 32), abi::Value::int_(scale.shift, 32),
                                        abi::Value::uint(p.temperature_milli, 32), abi::Value::uint(p.top_k, 32),
                                        abi::Value::uint(p.top_p_micro, 32), abi::Value::bytes_n(p.seed),
                                        abi::Value::uint(step, 64), abi::Value::uint(token, 32)})}));
    }
    EXPECT_GT(not_greedy, 60);
    const std::filesystem::path dir = std::filesystem::path(SIGIL_SOURCE_DIR) / "build" / "dispute";
    std::filesystem::create_directories(dir);
    std::ofstream f(dir / "sampler_vectors.txt", std::ios::trunc);
    for (const auto& l : lines) f << to_hex(l) << '\n';
    ASSERT_TRUE(f.good());
}

}  // namespace
}  // namespace sigil::runtime::lm
