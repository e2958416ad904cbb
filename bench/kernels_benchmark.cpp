// Integer runtime benchmarks: whole-model inference (1 and 2 threads, with and without the trace
// commitment), the commitment alone, and time per op of the sample models.
#include <benchmark/benchmark.h>

#include <random>
#include <stdexcept>
#include <string>

#include "core/keccak.hpp"
#include "core/kernels/program_run.hpp"
#include "core/trace/state.hpp"
#include "runtime/exec/executor.hpp"
#include "runtime/exec/sample_models.hpp"

namespace {

using sigil::Bytes;
namespace ir = sigil::ir;
namespace runtime = sigil::runtime;

const ir::Program& model(int which) {
    static const ir::Program mlp = runtime::sample_mlp(1, 42);
    static const ir::Program cnn = runtime::sample_cnn(1, 43);
    return which == 0 ? mlp : cnn;
}

std::vector<Bytes> inputs_for(const ir::Program& p) {
    std::mt19937_64 rng(7);
    std::vector<Bytes> in;
    for (auto id : p.inputs) {
        Bytes b(static_cast<std::size_t>(ir::byte_size(p.tensors[id])));
        for (auto& v : b) v = static_cast<std::uint8_t>(rng());
        in.push_back(std::move(b));
    }
    return in;
}

// Args: model (0 = MLP 784-1024-1024-10, 1 = CNN 28x28x1), threads, commit (0/1).
void BM_inference(benchmark::State& state) {
    const auto& p = model(static_cast<int>(state.range(0)));
    const auto inputs = inputs_for(p);
    runtime::Executor ex(p, {static_cast<unsigned>(state.range(1)), std::nullopt, state.range(2) != 0});
    for (auto _ : state) {
        auto r = ex.run(inputs);
        if (!r || r->outputs.empty() || r->outputs[0].size() != 10) throw std::runtime_error("bad run");
        benchmark::DoNotOptimize(r->state_root);
    }
    state.SetLabel(std::string(state.range(0) == 0 ? "mlp" : "cnn") + " simd=" +
                   std::string(sigil::kernels::to_string(ex.simd())));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_inference)
    ->ArgsProduct({{0, 1}, {1, 2}, {0, 1}})
    ->ArgNames({"model", "threads", "commit"})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// The commitment alone: every activation's tensor root, inputRoot and S_N.
void BM_trace_commit(benchmark::State& state) {
    const auto& p = model(static_cast<int>(state.range(0)));
    auto values = sigil::kernels::run_program(p, inputs_for(p), sigil::kernels::Path::fast).value();
    for (auto _ : state) {
        const sigil::trace::ExecutionTrace tr(p, values);
        const auto s = tr.state(p.ops.size());
        if (s == sigil::Hash{}) throw std::runtime_error("zero state");
        benchmark::DoNotOptimize(s);
    }
    state.SetLabel(state.range(0) == 0 ? "mlp" : "cnn");
}
BENCHMARK(BM_trace_commit)->Arg(0)->Arg(1)->ArgName("model")->Unit(benchmark::kMicrosecond);

// Op range(1) of sample model range(0), run again and again by an executor with `opts`; its
// output must stay what the whole-program run computed.
void time_op(benchmark::State& state, const runtime::ExecOptions& opts) {
    const auto& p = model(static_cast<int>(state.range(0)));
    const auto i = static_cast<std::size_t>(state.range(1));
    auto values = sigil::kernels::run_program(p, inputs_for(p), sigil::kernels::Path::fast).value();
    runtime::Executor ex(p, opts);
    const Bytes want = values[p.ops[i].output];
    for (auto _ : state) {
        ex.run_op(i, values);
        benchmark::ClobberMemory();
    }
    if (values[p.ops[i].output] != want) throw std::runtime_error("op result changed");
    state.SetLabel(std::string(state.range(0) == 0 ? "mlp/" : "cnn/") + std::string(ir::to_string(p.ops[i].kind)));
}

// Time of each op of the sample models on one thread.
void BM_op(benchmark::State& state) { time_op(state, {1, std::nullopt, false}); }

// One op split over `threads` threads whatever its size (min_parallel_work 0), against BM_op: the
// ops where two threads do not beat one set ExecOptions::min_parallel_work. Wall time.
void BM_op_split(benchmark::State& state) {
    time_op(state, {static_cast<unsigned>(state.range(2)), std::nullopt, false, 0, false});
}

const bool kRegistered = [] {
    for (int m = 0; m < 2; ++m) {
        for (std::size_t i = 0; i < model(m).ops.size(); ++i) {
            benchmark::RegisterBenchmark("BM_op", BM_op)
                ->Args({m, static_cast<std::int64_t>(i)})
                ->ArgNames({"model", "op"})
                ->Unit(benchmark::kMicrosecond);
            benchmark::RegisterBenchmark("BM_op_split", BM_op_split)
                ->Args({m, static_cast<std::int64_t>(i), 2})
                ->ArgNames({"model", "op", "threads"})
                ->UseRealTime()
                ->Unit(benchmark::kMicrosecond);
        }
    }
    return true;
}();

}  // namespace

namespace {

// The unit cost of every commitment: one keccak256 of a 64-byte Merkle node.
void BM_keccak_pair(benchmark::State& state) {
    sigil::Hash a{}, b{};
    a[0] = 1;
    for (auto _ : state) {
        a = sigil::keccak256_pair(a, b);
        benchmark::DoNotOptimize(a);
    }
    if (a == sigil::Hash{}) throw std::runtime_error("zero hash");
}
BENCHMARK(BM_keccak_pair);

}  // namespace

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wcast-align"
#pragma GCC diagnostic ignored "-Wdouble-promotion"
#pragma GCC diagnostic ignored "-Wpedantic"
#include <gemmlowp/public/gemmlowp.h>
#pragma GCC diagnostic pop

#include "core/kernels/fixedpoint.hpp"
#include "core/kernels/operand.hpp"

namespace {

// gemmlowp (libgemmlowp-dev) on the MLP's first layer, 1 x 784 . 784 x 1024, for comparison with
// BM_op/model:0/op:0 (our fully_connected). The int8 operands are shifted to uint8 and the shift
// folded into gemmlowp's offsets, so the int32 accumulators are the same; the benchmark checks
// that the requantized result equals our op's output bit for bit.
void BM_gemmlowp_fc(benchmark::State& state) {
    const auto& p = model(0);
    const auto& op = p.ops[0];
    const auto& x_desc = p.tensors[op.inputs[0]];
    const auto& w_desc = p.tensors[op.inputs[1]];
    const auto& b_desc = p.tensors[op.inputs[2]];
    const int k = static_cast<int>(w_desc.shape[1]), n = static_cast<int>(w_desc.shape[0]);
    auto values = sigil::kernels::run_program(p, inputs_for(p), sigil::kernels::Path::fast).value();
    const Bytes& x = values[op.inputs[0]];
    std::vector<std::uint8_t> xu(x.size()), wu(w_desc.data.size());
    for (std::size_t i = 0; i < x.size(); ++i) xu[i] = static_cast<std::uint8_t>(x[i] ^ 0x80U);
    for (std::size_t i = 0; i < wu.size(); ++i) wu[i] = static_cast<std::uint8_t>(w_desc.data[i] ^ 0x80U);
    std::vector<std::int32_t> acc(static_cast<std::size_t>(n));
    gemmlowp::GemmContext ctx;
    ctx.set_max_num_threads(1);
    const gemmlowp::MatrixMap<const std::uint8_t, gemmlowp::MapOrder::RowMajor> lhs(wu.data(), n, k);
    const gemmlowp::MatrixMap<const std::uint8_t, gemmlowp::MapOrder::ColMajor> rhs(xu.data(), k, 1);
    gemmlowp::MatrixMap<std::int32_t, gemmlowp::MapOrder::ColMajor> result(acc.data(), n, 1);
    const int lhs_offset = -(w_desc.quant.zero_point + 128), rhs_offset = -(x_desc.quant.zero_point + 128);
    for (auto _ : state) {
        gemmlowp::GemmWithOutputPipeline<std::uint8_t, std::int32_t, gemmlowp::DefaultL8R8BitDepthParams>(
            &ctx, lhs, rhs, &result, lhs_offset, rhs_offset, std::make_tuple());
        benchmark::DoNotOptimize(acc.data());
    }
    const auto& out = values[op.output];
    for (int i = 0; i < n; ++i) {
        const std::int32_t a = sigil::kernels::wrap_add(acc[static_cast<std::size_t>(i)],
                                                        sigil::kernels::load_element(b_desc.data, ir::DType::int32, static_cast<std::uint64_t>(i)));
        const auto& rq = op.attrs.requant.size() == 1 ? op.attrs.requant[0] : op.attrs.requant[static_cast<std::size_t>(i)];
        const auto v = sigil::kernels::add_zero_point_clamp(sigil::kernels::requantize(a, rq), p.tensors[op.output].quant.zero_point,
                                                            op.attrs.act_min, op.attrs.act_max);
        if (static_cast<std::int8_t>(out[static_cast<std::size_t>(i)]) != v) throw std::runtime_error("gemmlowp disagrees");
    }
    state.SetLabel("mlp layer 1 via gemmlowp (accumulators only)");
}
BENCHMARK(BM_gemmlowp_fc)->Unit(benchmark::kMicrosecond);

}  // namespace
