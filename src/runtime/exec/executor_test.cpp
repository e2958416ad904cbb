#include "runtime/exec/executor.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>
#include <tuple>

#include "core/kernels/op_gen.hpp"
#include "core/kernels/program_run.hpp"
#include "core/merkle_reference.hpp"
#include "core/trace/state.hpp"
#include "runtime/exec/sample_models.hpp"

namespace sigil::runtime {
namespace {

struct Config {
    unsigned threads;
    kernels::Simd simd;
};

std::vector<Config> configs() {
    std::vector<Config> out;
    for (unsigned t : {1U, 2U, 3U, 5U}) {
        out.push_back({t, kernels::Simd::scalar});
        if (detect_simd() == kernels::Simd::avx2) out.push_back({t, kernels::Simd::avx2});
    }
    return out;
}

std::vector<Bytes> random_inputs(const ir::Program& p, std::mt19937_64& rng) {
    std::vector<Bytes> in;
    for (auto id : p.inputs) {
        Bytes b(static_cast<std::size_t>(ir::byte_size(p.tensors[id])));
        for (auto& v : b) v = static_cast<std::uint8_t>(rng());
        in.push_back(std::move(b));
    }
    return in;
}

/// Outputs and S_N of the single-thread reference run, S_N by the literal rule through the
/// Crypto++ sponge (core/merkle_reference.hpp), independent of the batched hashing.
std::pair<std::vector<Bytes>, Hash> reference(const ir::Program& p, const std::vector<Bytes>& inputs) {
    auto values = kernels::run_program(p, inputs, kernels::Path::reference).value();
    std::vector<Bytes> outs;
    for (auto id : p.outputs) outs.push_back(values[id]);
    std::vector<Hash> in_roots;
    for (auto id : p.inputs) in_roots.push_back(sigil::reference::tensor_root(values[id]));
    std::vector<Hash> leaves = {sigil::reference::merkle_root(in_roots)};
    for (const auto& op : p.ops) leaves.push_back(sigil::reference::tensor_root(values[op.output]));
    const Hash state = sigil::reference::merkle_root(leaves);
    EXPECT_EQ(trace::ExecutionTrace(p, std::move(values)).state(p.ops.size()), state);
    return {outs, state};
}

class executor_configs : public ::testing::TestWithParam<Config> {};

struct SampleCase {
    ir::Program program;
    std::vector<Bytes> inputs;
    std::vector<Bytes> want_out;
    Hash want_state{};
};

/// The sample models with inputs and their reference results, computed once.
const std::vector<SampleCase>& sample_cases() {
    static const std::vector<SampleCase> cases = [] {
        std::vector<SampleCase> out;
        std::mt19937_64 rng(3);
        for (auto& p : {sample_mlp(2, 1), sample_cnn(2, 2)}) {
            SampleCase c{p, random_inputs(p, rng), {}, {}};
            std::tie(c.want_out, c.want_state) = reference(c.program, c.inputs);
            out.push_back(std::move(c));
        }
        return out;
    }();
    return cases;
}

TEST_P(executor_configs, sample_models_match_reference) {
    const auto cfg = GetParam();
    for (const auto& c : sample_cases()) {
        Executor ex(c.program, {cfg.threads, cfg.simd, true, 0, false});
        const auto r = ex.run(c.inputs);
        ASSERT_TRUE(r.has_value());
        EXPECT_EQ(r->outputs, c.want_out);
        EXPECT_EQ(r->state_root, c.want_state);
        EXPECT_EQ(r->steps, c.program.ops.size());
        // Not degenerate: the logits are not all clamped to one value.
        const auto& logits = r->outputs[0];
        EXPECT_GT(std::set<std::uint8_t>(logits.begin(), logits.end()).size(), 3U);
    }
}

TEST_P(executor_configs, random_ops_match_reference) {
    const auto cfg = GetParam();
    std::mt19937_64 rng(17 + cfg.threads);
    const kernels::gen::ChoiceSource pick = [&rng](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    for (int trial = 0; trial < 200; ++trial) {
        const auto c = kernels::gen::random_op(pick);
        const auto [want_out, want_state] = reference(c.program, c.inputs);
        Executor ex(c.program, {cfg.threads, cfg.simd, true, 0, false});
        const auto r = ex.run(c.inputs);
        ASSERT_TRUE(r.has_value());
        ASSERT_EQ(r->outputs, want_out) << ir::to_string(c.program.ops[0].kind) << " trial " << trial;
        ASSERT_EQ(r->state_root, want_state);
    }
}

INSTANTIATE_TEST_SUITE_P(threads_and_simd, executor_configs, ::testing::ValuesIn(configs()),
                         [](const auto& param_info) {
                             return std::to_string(param_info.param.threads) + "_threads_" +
                                    std::string(kernels::to_string(param_info.param.simd));
                         });

TEST(executor, refuses_bad_inputs_by_name) {
    const auto p = sample_mlp(1, 1);
    Executor ex(p, {});
    EXPECT_EQ(ex.run({}).error(), kernels::RunError::input_count);
    const std::vector<Bytes> short_input = {Bytes(10)};
    EXPECT_EQ(ex.run(short_input).error(), kernels::RunError::input_size);
}

TEST(executor, commit_off_gives_same_outputs) {
    const auto p = sample_cnn(1, 4);
    std::mt19937_64 rng(8);
    const auto inputs = random_inputs(p, rng);
    Executor with(p, {2, std::nullopt, true}), without(p, {2, std::nullopt, false});
    const auto a = with.run(inputs), b = without.run(inputs);
    EXPECT_EQ(a->outputs, b->outputs);
    EXPECT_EQ(b->trace, nullptr);
    EXPECT_NE(a->trace, nullptr);
}

TEST(executor, split_tuning_keeps_every_run_identical) {
    for (const auto& c : sample_cases()) {
        Executor ex(c.program, {2, std::nullopt, true, 0, true});
        for (unsigned run = 0; run < 2 * kSplitProbes + 3; ++run) {  // probing, deciding, decided
            const auto r = ex.run(c.inputs);
            ASSERT_TRUE(r.has_value());
            ASSERT_EQ(r->outputs, c.want_out) << "run " << run;
            ASSERT_EQ(r->state_root, c.want_state) << "run " << run;
        }
    }
}

TEST(executor, profile_times_every_op_and_changes_nothing) {
    for (unsigned threads : {1U, 2U}) {
        const auto p = sample_cnn(1, 4);
        std::mt19937_64 rng(9);
        const auto inputs = random_inputs(p, rng);
        Executor ex(p, {threads, std::nullopt, true});
        RunProfile prof;
        const auto a = ex.run(inputs, &prof);
        const auto b = ex.run(inputs);
        ASSERT_TRUE(a.has_value() && b.has_value());
        EXPECT_EQ(a->outputs, b->outputs);
        EXPECT_EQ(a->state_root, b->state_root);
        ASSERT_EQ(prof.op_ns.size(), p.ops.size());
        EXPECT_GT(prof.commit_ns, 0U);
        Executor no_commit(p, {threads, std::nullopt, false});
        ASSERT_TRUE(no_commit.run(inputs, &prof).has_value());
        EXPECT_EQ(prof.commit_ns, 0U);
    }
}

TEST(qscale_from_real, round_trips) {
    for (double r : {1e-6, 0.00390625, 0.05, 0.75, 1.0, 3.5, 1000.0}) {
        const auto q = qscale_from_real(r);
        EXPECT_GE(q.multiplier, 1 << 30);
        EXPECT_NEAR(q.multiplier * std::ldexp(1.0, -31 - q.shift), r, r * 1e-9);
    }
}

}  // namespace
}  // namespace sigil::runtime
