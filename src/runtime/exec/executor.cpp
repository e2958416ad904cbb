#include "runtime/exec/executor.hpp"

#include <algorithm>

#include "runtime/exec/thread_pool.hpp"

namespace sigil::rt {

struct Executor::Pool {
    explicit Pool(unsigned n) : threads(n) {}
    ThreadPool threads;
};

kernels::Simd detect_simd() noexcept {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) return kernels::Simd::avx2;
#endif
    return kernels::Simd::scalar;
}

Executor::Executor(const ir::Program& program, ExecOptions options)
    : program_(&program),
      simd_(options.simd.value_or(detect_simd())),
      commit_(options.commit),
      pool_(std::make_unique<Pool>(std::max(1U, options.threads))) {}

Executor::~Executor() = default;

unsigned Executor::threads() const noexcept { return pool_->threads.size(); }

void Executor::run_op(std::size_t i, std::vector<Bytes>& values) {
    const kernels::OpIO io = kernels::op_io(*program_, i, values);
    const std::uint64_t items = kernels::work_items(io);
    const unsigned t = pool_->threads.size();
    if (t == 1 || items < 2) {
        kernels::run_items(io, 0, items, simd_);
        return;
    }
    // Contiguous, disjoint item ranges: which thread computes an item never changes its value.
    const std::function<void(unsigned)> job = [&](unsigned w) {
        const std::uint64_t lo = items * w / t, hi = items * (w + 1) / t;
        kernels::run_items(io, lo, hi, simd_);
    };
    pool_->threads.run(job);
}

Result<RunResult, kernels::RunError> Executor::run(std::span<const Bytes> inputs) {
    const ir::Program& p = *program_;
    SIGIL_TRY_VOID(kernels::check_inputs(p, inputs));
    std::vector<Bytes> values(p.tensors.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) values[p.inputs[i]] = inputs[i];
    for (std::size_t i = 0; i < p.ops.size(); ++i) {
        const auto& op = p.ops[i];
        values[op.output].assign(static_cast<std::size_t>(ir::byte_size(p.tensors[op.output])), 0);
        run_op(i, values);
    }
    RunResult r;
    r.steps = p.ops.size();
    for (auto id : p.outputs) r.outputs.push_back(values[id]);
    if (commit_) {
        auto tr = std::make_shared<trace::ExecutionTrace>(p, std::move(values));
        r.state_root = tr->state(r.steps);
        r.trace = std::move(tr);
    }
    return r;
}

}  // namespace sigil::rt
