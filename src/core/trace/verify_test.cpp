#include "core/trace/verify.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <memory>

#include "core/ir/builder.hpp"
#include "core/ir/op_record.hpp"
#include "core/ir/validate.hpp"
#include "core/kernels/op_gen.hpp"
#include "core/kernels/program_run.hpp"
#include "core/kernels/test_support.hpp"
#include "core/merkle.hpp"
#include "core/trace/chunks.hpp"

namespace sigil::trace {
namespace {

using kernels::gen::OpCase;

/// A program run with its trace; the trace points into `c.program`, so this is never moved.
struct TraceRun {
    TraceRun(OpCase case_in, std::vector<Bytes> vals)
        : c(std::move(case_in)), values(std::move(vals)), trace(c.program, values), model(ir::commit_model(c.program)) {}
    TraceRun(const TraceRun&) = delete;
    TraceRun& operator=(const TraceRun&) = delete;
    OpCase c;
    std::vector<Bytes> values;
    ExecutionTrace trace;
    ir::ModelCommitment model;
};

std::unique_ptr<TraceRun> make_run(ir::OpKind kind, std::mt19937_64& rng) {
    OpCase c = kernels::gen::random_op(kind, kernels::testing::seeded(rng));
    kernels::gen::append_clip_concat(c.program);
    EXPECT_TRUE(ir::validate(c.program).has_value());
    auto values = kernels::run_program(c.program, c.inputs, kernels::Path::fast).value();
    return std::make_unique<TraceRun>(std::move(c), std::move(values));
}

class element_proofs : public ::testing::TestWithParam<int> {};

TEST_P(element_proofs, verify_matches_whole_op_execution) {
    std::mt19937_64 rng(77 + static_cast<std::uint64_t>(GetParam()));
    for (int trial = 0; trial < 25; ++trial) {
        auto run = make_run(static_cast<ir::OpKind>(GetParam()), rng);
        const auto& p = run->c.program;
        const auto root = run->model.root;
        for (std::size_t k = 1; k <= p.ops.size(); ++k) {
            const auto& out = p.tensors[p.ops[k - 1].output];
            const auto n = ir::element_count(out.shape);
            const auto e = std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng);
            const auto want = kernels::load_element(run->values[p.ops[k - 1].output], out.dtype, e);
            const auto proof = prove_element(run->trace, run->model, k, e);
            const Hash prev = run->trace.state(k - 1);
            const auto got = recompute_element(root, prev, proof);
            ASSERT_TRUE(got.has_value()) << to_string(got.error()) << " step " << k;
            EXPECT_EQ(*got, want);
            EXPECT_TRUE(verify_element(root, prev, proof, want).has_value());
            EXPECT_EQ(verify_element(root, prev, proof, want + 1).error(), VerifyError::value_mismatch);
            // Against the wrong state (S_k instead of S_{k-1}) any activation opening fails.
            bool reads_steps_or_inputs = false;
            for (const auto& o : proof.operands) reads_steps_or_inputs |= o.source != TensorSource::weight;
            if (reads_steps_or_inputs) {
                const Hash later = run->trace.state(p.ops.size());
                EXPECT_EQ(recompute_element(root, later == prev ? Hash{} : later, proof).error(), VerifyError::bad_opening);
            }
        }
    }
}

INSTANTIATE_TEST_SUITE_P(every_op, element_proofs, ::testing::Range(1, int{ir::kMaxOpKind} + 1),
                         [](const auto& param_info) {
                             return std::string(ir::to_string(static_cast<ir::OpKind>(param_info.param)));
                         });

TEST(element_proofs, tampering_is_refused_by_name) {
    std::mt19937_64 rng(5);
    auto run = make_run(ir::OpKind::fully_connected, rng);
    const auto root = run->model.root;
    const Hash prev = run->trace.state(0);
    const auto good = prove_element(run->trace, run->model, 1, 0);
    const auto want = recompute_element(root, prev, good).value();

    auto bad = good;
    bad.operands[0].chunks[0].chunk[0] ^= 1;
    EXPECT_EQ(verify_element(root, prev, bad, want).error(), VerifyError::bad_opening);
    bad = good;
    bad.operands[1].chunks.pop_back();
    EXPECT_EQ(verify_element(root, prev, bad, want).error(), VerifyError::slice_not_opened);
    bad = good;
    bad.operands.pop_back();
    EXPECT_EQ(verify_element(root, prev, bad, want).error(), VerifyError::operand_count);
    bad = good;
    bad.op_record.back() ^= 1;
    const auto e = verify_element(root, prev, bad, want).error();
    EXPECT_TRUE(e == VerifyError::op_not_in_model || e == VerifyError::bad_op_record);
    bad = good;
    bad.operands[1].position += 1;
    EXPECT_EQ(verify_element(root, prev, bad, want).error(), VerifyError::wrong_source);
    bad = good;
    bad.step = 2;  // leaf 1 of the op table holds another record
    EXPECT_EQ(verify_element(root, prev, bad, want).error(), VerifyError::op_not_in_model);
    bad = good;
    bad.element = 1U << 30;
    EXPECT_EQ(verify_element(root, prev, bad, want).error(), VerifyError::element_out_of_range);
    EXPECT_EQ(verify_element(Hash{}, prev, good, want).error(), VerifyError::op_not_in_model);
}

// A per-channel head of 1,000 channels: its record holds the requant list's and the weight scales'
// roots, not their 16 KB; a proof opens the element's entry as a fifth opening, checked by name.
TEST(element_proofs, a_rooted_requant_list_opens_one_entry) {
    ir::Builder b;
    constexpr std::uint32_t kN = 1000, kK = 8;
    const auto x = b.input(ir::DType::int8, {2, kK}, ir::Quant::per_tensor(3, {1 << 30, 4}));
    std::vector<std::int8_t> w(kN * kK);
    std::vector<ir::QScale> ws, rq;
    for (std::uint32_t i = 0; i < kN * kK; ++i) w[i] = static_cast<std::int8_t>(i * 37 % 251 - 125);
    for (std::uint32_t n = 0; n < kN; ++n) {
        ws.push_back({static_cast<std::int32_t>((1U << 30) + n), 7});
        rq.push_back({static_cast<std::int32_t>((1U << 30) + 977 * n), static_cast<std::int32_t>(n % 9)});
    }
    const auto wt = b.constant_int8({kN, kK}, w, ir::Quant::per_channel(0, ws, 0));
    b.mark_output(b.fully_connected_int32(x, wt, std::nullopt, rq, {1 << 30, 0}, {-(1 << 20), 1 << 20}));
    const ir::Program p = std::move(b).finish().value();
    const Bytes record = ir::encode_op_record(p, 0);
    EXPECT_LT(record.size(), 400u);
    const auto rec = ir::decode_op_record(record).value();
    EXPECT_EQ(rec.requant_root, (ir::ScaleRoot{kN, ir::scale_list_root(rq)}));
    EXPECT_EQ(rec.operand_scale_roots[1], (ir::ScaleRoot{kN, ir::scale_list_root(ws)}));

    Bytes xin(2 * kK);
    for (std::size_t i = 0; i < xin.size(); ++i) xin[i] = static_cast<std::uint8_t>(i * 29);
    const std::vector<Bytes> inputs{xin};
    const auto values = kernels::run_program(p, inputs, kernels::Path::fast).value();
    const ExecutionTrace trace(p, values);
    const auto model = ir::commit_model(p);
    const Hash prev = trace.state(0);
    for (std::uint64_t e : {0ULL, 5ULL, 999ULL, 1000ULL + 613, 1999ULL}) {
        const auto proof = prove_element(trace, model, 1, e);
        ASSERT_EQ(proof.operands.size(), 3u);
        EXPECT_EQ(proof.operands[2].source, TensorSource::requant);
        EXPECT_EQ(recompute_element(model.root, prev, proof).value(),
                  kernels::load_element(values[p.ops[0].output], ir::DType::int32, e));
    }
    const auto good = prove_element(trace, model, 1, 613);
    auto bad = good;
    bad.operands.pop_back();
    EXPECT_EQ(recompute_element(model.root, prev, bad).error(), VerifyError::operand_count);
    bad = good;
    bad.operands[2].source = TensorSource::weight;
    EXPECT_EQ(recompute_element(model.root, prev, bad).error(), VerifyError::wrong_source);
    bad = good;
    bad.operands[2].chunks[0].chunk[1] ^= 1;
    EXPECT_EQ(recompute_element(model.root, prev, bad).error(), VerifyError::bad_opening);
    bad = good;
    bad.operands[2].outer_path.push_back(Hash{});
    EXPECT_EQ(recompute_element(model.root, prev, bad).error(), VerifyError::bad_opening);
    bad = good;  // another channel's chunk, validly proven, does not hold entry 613
    bad.operands[2] = prove_element(trace, model, 1, 3).operands[2];
    EXPECT_EQ(recompute_element(model.root, prev, bad).error(), VerifyError::slice_not_opened);
}

// A record refuses a rooted list where the op cannot have one.
TEST(element_proofs, rooted_lists_only_where_they_belong) {
    ir::Builder b;
    const auto x = b.input(ir::DType::int8, {1, 6}, ir::Quant::per_tensor(0, {1 << 30, 0}));
    b.mark_output(b.requantize(x, {1 << 30, 0}, ir::Quant::per_tensor(0, {1 << 30, 0})));
    ir::Program p = std::move(b).finish().value();
    p.ops[0].attrs.requant.assign(6, {1 << 30, 0});  // six steps: rooted in the record
    EXPECT_EQ(ir::decode_op_record(ir::encode_op_record(p, 0)).error(), ir::ProgramError::bad_requant_count);
    ir::Program q = std::move(p);
    q.ops[0].attrs.requant = {{1 << 30, 0}};
    q.tensors[0].quant = ir::Quant::per_channel(0, std::vector<ir::QScale>(6, {1 << 30, 0}), 1);
    q.tensors[0].quant.axis = 0;  // six scales on an axis of one
    EXPECT_EQ(ir::decode_op_record(ir::encode_op_record(q, 0)).error(), ir::ProgramError::bad_quant_axis);
}

TEST(execution_state, leaves_follow_the_design) {
    std::mt19937_64 rng(9);
    auto run = make_run(ir::OpKind::add, rng);
    const auto& tr = run->trace;
    const std::size_t n = tr.steps();
    ASSERT_EQ(n, 3U);
    // S_0 = root([inputRoot, 0, 0, 0]); S_N = root([inputRoot, out_1, out_2, out_3]).
    std::vector<Hash> leaves = {tr.input_root(), Hash{}, Hash{}, Hash{}};
    EXPECT_EQ(tr.state(0), merkle_root(leaves));
    for (std::size_t i = 1; i <= n; ++i) {
        leaves[i] = tensor_root(run->values[run->c.program.ops[i - 1].output]);
        EXPECT_EQ(tr.state(i), merkle_root(leaves));
    }
}

TEST(openings, any_chunk_range_of_any_step_against_later_states) {
    std::mt19937_64 rng(11);
    auto run = make_run(ir::OpKind::conv2d, rng);
    const auto& tr = run->trace;
    const auto& p = run->c.program;
    for (std::size_t j = 1; j <= tr.steps(); ++j) {
        const auto size = ir::byte_size(p.tensors[p.ops[j - 1].output]);
        const auto chunks = chunk_count(size);
        for (std::size_t k = j; k <= tr.steps(); ++k) {
            const auto o = open_step_output(tr, j, k, 0, chunks);
            EXPECT_TRUE(check_opening(o, size, tr.state(k), tr.steps(), p.inputs.size(), run->model.root, 0));
            if (k > j) continue;
            EXPECT_FALSE(check_opening(o, size, tr.state(k - 1), tr.steps(), p.inputs.size(), run->model.root, 0));
        }
    }
}

}  // namespace
}  // namespace sigil::trace

namespace sigil::trace {
namespace {

// Property: for any op rapidcheck picks (via the seed) and any element, the proof verifies and
// the recomputed value is the whole-op result.
RC_GTEST_PROP(element_proofs_rc, recompute_equals_execution, (std::uint64_t seed, std::uint8_t kind)) {
    std::mt19937_64 rng(seed);
    auto run = make_run(static_cast<ir::OpKind>(kind % ir::kMaxOpKind + 1), rng);
    const auto& p = run->c.program;
    const std::size_t k = std::uniform_int_distribution<std::size_t>(1, p.ops.size())(rng);
    const auto& out = p.tensors[p.ops[k - 1].output];
    const auto e = std::uniform_int_distribution<std::uint64_t>(0, ir::element_count(out.shape) - 1)(rng);
    const auto proof = prove_element(run->trace, run->model, k, e);
    const auto got = recompute_element(run->model.root, run->trace.state(k - 1), proof);
    RC_ASSERT(got.has_value());
    RC_ASSERT(*got == kernels::load_element(run->values[p.ops[k - 1].output], out.dtype, e));
}

}  // namespace
}  // namespace sigil::trace
