#pragma once
/// The integer executor: runs a validated Program with N threads and the best SIMD path the CPU
/// has. Results (outputs, S_N) are bit-identical for every thread count and SIMD level, because
/// every op's work items write disjoint outputs with the bit-exact kernels of core/kernels.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/bytes.hpp"
#include "core/ir/program.hpp"
#include "core/kernels/fast.hpp"
#include "core/kernels/program_run.hpp"
#include "core/merkle.hpp"
#include "core/result.hpp"
#include "core/trace/state.hpp"

namespace sigil::runtime {

/// The fastest Simd level this CPU supports.
kernels::Simd detect_simd() noexcept;

struct ExecOptions {
    unsigned threads = 1;                ///< total threads, >= 1
    std::optional<kernels::Simd> simd;   ///< default: detect_simd(); must be supported by the CPU
    bool commit = true;                  ///< compute tensor roots and S_N (the trace)
    /// Ops with less work (multiply-adds or element writes) run on one thread. 0 splits every op
    /// (tests use it to exercise the split on small ops).
    std::uint64_t min_parallel_work = std::uint64_t{1} << 15;
    /// Ops above min_parallel_work are timed split and on one thread over their first
    /// 2 * kSplitProbes runs, alternating, and from then on run whichever way had the lower median
    /// (on a busy machine a fork can cost more than it saves). Either way gives the same bits.
    /// false: always split them (tests).
    bool tune_split = true;
};

/// Timed runs of each way before an op's split is decided (ExecOptions::tune_split).
inline constexpr unsigned kSplitProbes = 5;

/// Wall time of one run's stages, for profiling (`sigil model run --profile`, bench/).
struct RunProfile {
    std::vector<std::uint64_t> op_ns;  ///< per op, in Program::ops order
    std::uint64_t commit_ns = 0;       ///< tensor roots, the trace and S_N (0 when commit is off)
};

/// The answer of one run.
struct RunResult {
    std::vector<Bytes> outputs;  ///< in Program::outputs order, canonical layouts
    Hash state_root{};           ///< S_N (zero when commit is off)
    std::size_t steps = 0;       ///< N
    /// Every committed value, for openings; null when commit is off. Refers to the program, which
    /// must outlive it.
    std::shared_ptr<const trace::ExecutionTrace> trace;
};

/// Runs one program; owns its threads. run() may be called repeatedly, not concurrently.
class Executor {
public:
    /// Precondition: ir::validate(program) succeeded; program outlives the executor and its results.
    Executor(const ir::Program& program, ExecOptions options);
    ~Executor();
    Executor(const Executor&) = delete;
    Executor& operator=(const Executor&) = delete;

    /// Runs the program; with `profile`, also records the time of every op and of the commitment
    /// (two clock reads per op; the results are the same).
    Result<RunResult, kernels::RunError> run(std::span<const Bytes> inputs, RunProfile* profile = nullptr);
    /// As above, keeping the tensor trees of inputs that cache_write ops update (a language
    /// model's key/value caches, fed back in at the next step). `trees` has one entry per program
    /// input. When trees[i] is set it is the tree of input i's bytes: the input's root is read from
    /// it, and the one cache_write whose cache is input i gets its output's root by rehashing only
    /// the chunks it wrote; trees[i] then holds the output's tree. When it is not set, that output's
    /// tree is built whole and stored there. Precondition: a set tree is the tree of its input's
    /// bytes (otherwise the trace commits to a wrong S_N); the caller feeds each such output back
    /// as the same input.
    Result<RunResult, kernels::RunError> run(std::span<const Bytes> inputs,
                                             std::vector<std::optional<MerkleTree>>* trees,
                                             RunProfile* profile = nullptr);

    /// Runs only op `i` on `values` (sized by the caller): for per-op timing.
    void run_op(std::size_t i, std::vector<Bytes>& values);

    kernels::Simd simd() const noexcept { return simd_; }
    unsigned threads() const noexcept;

private:
    std::shared_ptr<const trace::ExecutionTrace> commit(std::vector<Bytes>& values,
                                                        std::vector<std::optional<MerkleTree>>* trees);

    const ir::Program* program_;
    kernels::Simd simd_;
    bool commit_;
    std::uint64_t min_parallel_work_;
    bool tune_split_;
    /// Per op: probe times (ns) of the split and the one-thread way, and the decision once made.
    struct SplitTuning {
        std::vector<std::uint64_t> split_ns, single_ns;
        int decided = -1;  // -1 probing, 0 one thread, 1 split
    };
    std::vector<SplitTuning> tuning_;
    struct Pool;
    std::unique_ptr<Pool> pool_;
};

}  // namespace sigil::runtime
