#include "runtime/exec/executor.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "core/kernels/operand.hpp"
#include "core/merkle_fold.hpp"
#include "core/trace/chunks.hpp"
#include "runtime/exec/thread_pool.hpp"

namespace sigil::runtime {

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

namespace {

std::uint64_t elapsed_ns(std::chrono::steady_clock::time_point since) {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - since).count());
}

/// Rough work of an op: output elements times the length of their dot products.
std::uint64_t parallel_work(const kernels::OpIO& io) {
    const std::uint64_t out = ir::element_count(io.out_desc->shape);
    switch (io.op->kind) {
        case ir::OpKind::fully_connected:
        case ir::OpKind::matmul: return out * io.in_desc[0]->shape.back();
        case ir::OpKind::conv2d: return out * ir::element_count(io.in_desc[1]->shape) / io.in_desc[1]->shape[0];
        default: return out;
    }
}

}  // namespace

Executor::Executor(const ir::Program& program, ExecOptions options)
    : program_(&program),
      simd_(options.simd.value_or(detect_simd())),
      commit_(options.commit),
      min_parallel_work_(options.min_parallel_work),
      tune_split_(options.tune_split),
      tuning_(program.ops.size()),
      pool_(std::make_unique<Pool>(std::max(1U, options.threads))) {}

Executor::~Executor() = default;

unsigned Executor::threads() const noexcept { return pool_->threads.size(); }

void Executor::run_op(std::size_t i, std::vector<Bytes>& values) {
    const kernels::OpIO io = kernels::op_io(*program_, i, values);
    const std::uint64_t items = kernels::work_items(io);
    const unsigned t = pool_->threads.size();
    if (t == 1 || items < t || parallel_work(io) < min_parallel_work_) {
        kernels::run_items(io, 0, items, simd_);
        return;
    }
    // Contiguous, disjoint item ranges: which thread computes an item never changes its value.
    const std::function<void(unsigned)> job = [&](unsigned w) {
        const std::uint64_t lo = items * w / t, hi = items * (w + 1) / t;
        kernels::run_items(io, lo, hi, simd_);
    };
    SplitTuning* tune = tune_split_ && tuning_[i].decided < 0 ? &tuning_[i] : nullptr;  // still probing
    // Probes alternate, split first; afterwards the decision holds (untuned: always split).
    const bool split = tune != nullptr ? tune->split_ns.size() <= tune->single_ns.size()
                                       : !tune_split_ || tuning_[i].decided == 1;
    const auto t0 = tune != nullptr ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
    if (split) {
        pool_->threads.run(job);
    } else {
        kernels::run_items(io, 0, items, simd_);
    }
    if (tune == nullptr) return;
    (split ? tune->split_ns : tune->single_ns).push_back(elapsed_ns(t0));
    if (tune->single_ns.size() == kSplitProbes) {
        const auto median = [](std::vector<std::uint64_t> v) {
            std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
            return v[v.size() / 2];
        };
        tune->decided = median(tune->split_ns) < median(tune->single_ns) ? 1 : 0;
    }
}

namespace {

/// Below this many tensor bytes in total the commitment runs on one thread: a fork costs more than
/// half of hashing that little.
constexpr std::size_t kMinParallelCommitBytes = 4096;

}  // namespace

namespace {

/// The chunks of a cache_write's output that differ from its cache: the written slice's runs.
std::vector<std::uint64_t> written_chunks(const ir::Program& p, const ir::Op& op, const std::vector<Bytes>& values) {
    const ir::Tensor& t = p.tensors[op.output];
    const auto axis = static_cast<std::size_t>(op.attrs.axis);
    const std::int64_t s = t.shape[axis];
    const std::int64_t v = kernels::load_element(values[op.inputs[1]], ir::DType::int32, 0);
    const auto pos = static_cast<std::uint64_t>(((v % s) + s) % s);
    std::uint64_t inner = 1, outer_n = 1;
    for (std::size_t k = axis + 1; k < t.shape.size(); ++k) inner *= t.shape[k];
    for (std::size_t k = 0; k < axis; ++k) outer_n *= t.shape[k];
    const std::uint64_t width = ir::dtype_size(t.dtype);
    std::vector<std::uint64_t> chunks;
    for (std::uint64_t outer = 0; outer < outer_n; ++outer) {
        const std::uint64_t start = (outer * static_cast<std::uint64_t>(s) + pos) * inner * width;
        const std::uint64_t last = start + inner * width - 1;
        for (std::uint64_t c = start / trace::kChunkSize; c <= last / trace::kChunkSize; ++c)
            if (chunks.empty() || chunks.back() < c) chunks.push_back(c);
    }
    return chunks;
}

}  // namespace

std::shared_ptr<const trace::ExecutionTrace> Executor::commit(std::vector<Bytes>& values,
                                                              std::vector<std::optional<MerkleTree>>* trees) {
    const ir::Program& p = *program_;
    std::vector<ir::TensorId> ids(p.inputs);
    for (const auto& op : p.ops) ids.push_back(op.output);
    // A reshape's bytes are its input's bytes, so its root is the input's root: hash it once.
    std::vector<std::size_t> same_as(ids.size(), SIZE_MAX);
    std::vector<std::size_t> slot_of(p.tensors.size(), SIZE_MAX);
    for (std::size_t k = 0; k < ids.size(); ++k) slot_of[ids[k]] = k;
    for (std::size_t i = 0; i < p.ops.size(); ++i) {
        const auto& op = p.ops[i];
        const auto src = op.inputs[0];
        if (op.kind == ir::OpKind::reshape && p.tensors[src].kind != ir::TensorKind::constant) {
            const std::size_t k = p.inputs.size() + i;
            same_as[k] = same_as[slot_of[src]] != SIZE_MAX ? same_as[slot_of[src]] : slot_of[src];
        }
    }
    // Every distinct tensor is hashed once, all of one thread's tensors in one batched call
    // (trace::tensor_roots) so small tensors share SIMD permutations. With several threads the
    // tensors are dealt largest first to the thread with the fewest bytes so far. Which thread
    // hashes a tensor does not change its root.
    std::vector<Hash> roots(ids.size());
    // Inputs with a kept tree, and the one cache_write output that updates each such tree.
    std::vector<bool> kept(ids.size(), false);
    if (trees != nullptr) {
        std::vector<std::size_t> writers(p.inputs.size(), 0);
        for (const auto& op : p.ops) {
            const std::size_t src = slot_of[op.inputs[0]];
            if (op.kind == ir::OpKind::cache_write && src < p.inputs.size()) ++writers[src];
        }
        std::vector<std::size_t> updates;  // op indices
        for (std::size_t i = 0; i < p.ops.size(); ++i) {
            const auto& op = p.ops[i];
            const std::size_t src = slot_of[op.inputs[0]];
            if (op.kind == ir::OpKind::cache_write && src < p.inputs.size() && writers[src] == 1) updates.push_back(i);
        }
        for (auto i : updates) {  // an input with a tree is not hashed: its root is the tree's
            const std::size_t src = slot_of[p.ops[i].inputs[0]];
            kept[src] = (*trees)[src].has_value();
            kept[p.inputs.size() + i] = true;
        }
        // Each cache has its own tree: the threads take every t-th one.
        const auto update = [&](std::size_t i) {
            const auto& op = p.ops[i];
            const std::size_t src = slot_of[op.inputs[0]];
            auto& tree = (*trees)[src];
            const Bytes& out = values[op.output];
            if (tree) {
                roots[src] = tree->root();
                const auto chunks = written_chunks(p, op, values);
                std::vector<Hash> leaves;
                for (auto c : chunks) leaves.push_back(trace::chunk_at(out, c));
                tree->update(chunks, leaves);
            } else {
                tree.emplace(trace::chunk_leaves(out));
            }
            roots[p.inputs.size() + i] = tree->root();
        };
        const unsigned t = updates.size() < 2 ? 1U : pool_->threads.size();
        if (t == 1) {
            for (auto i : updates) update(i);
        } else {
            const std::function<void(unsigned)> job = [&](unsigned w) {
                for (std::size_t j = w; j < updates.size(); j += t) update(updates[j]);
            };
            pool_->threads.run(job);
        }
    }
    std::vector<std::size_t> todo;
    std::size_t total = 0;
    for (std::size_t k = 0; k < ids.size(); ++k) {
        if (same_as[k] != SIZE_MAX || kept[k]) continue;
        todo.push_back(k);
        total += values[ids[k]].size();
    }
    const unsigned t = total < kMinParallelCommitBytes ? 1U : pool_->threads.size();
    std::stable_sort(todo.begin(), todo.end(),
                     [&](std::size_t a, std::size_t b) { return values[ids[a]].size() > values[ids[b]].size(); });
    std::vector<std::vector<std::size_t>> share(t);
    std::vector<std::size_t> load(t, 0);
    for (std::size_t k : todo) {
        const auto w = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
        share[w].push_back(k);
        load[w] += values[ids[k]].size();
    }
    const auto hash_share = [&](unsigned w) {
        std::vector<BytesView> views;
        for (std::size_t k : share[w]) views.emplace_back(values[ids[k]]);
        const auto r = trace::tensor_roots(views, keccak_best_path());
        for (std::size_t j = 0; j < share[w].size(); ++j) roots[share[w][j]] = r[j];
    };
    if (t == 1) {
        hash_share(0);
    } else {
        const std::function<void(unsigned)> job = [&](unsigned w) {
            if (w < t) hash_share(w);
        };
        pool_->threads.run(job);
    }
    for (std::size_t k = 0; k < ids.size(); ++k) {
        if (same_as[k] != SIZE_MAX) roots[k] = roots[same_as[k]];
    }
    std::vector<Hash> in_roots(roots.begin(), roots.begin() + static_cast<std::ptrdiff_t>(p.inputs.size()));
    std::vector<Hash> out_roots(roots.begin() + static_cast<std::ptrdiff_t>(p.inputs.size()), roots.end());
    return std::make_shared<trace::ExecutionTrace>(p, std::move(values), std::move(in_roots), std::move(out_roots));
}

Result<RunResult, kernels::RunError> Executor::run(std::span<const Bytes> inputs, RunProfile* profile) {
    return run(inputs, nullptr, profile);
}

Result<RunResult, kernels::RunError> Executor::run(std::span<const Bytes> inputs,
                                                   std::vector<std::optional<MerkleTree>>* trees, RunProfile* profile) {
    if (trees != nullptr && trees->size() != program_->inputs.size()) return fail(kernels::RunError::input_count);
    const ir::Program& p = *program_;
    SIGIL_TRY_VOID(kernels::check_inputs(p, inputs));
    if (profile != nullptr) *profile = RunProfile{std::vector<std::uint64_t>(p.ops.size(), 0), 0};
    std::vector<Bytes> values(p.tensors.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) values[p.inputs[i]] = inputs[i];
    for (std::size_t i = 0; i < p.ops.size(); ++i) {
        const auto& op = p.ops[i];
        const auto t0 = profile != nullptr ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
        values[op.output].assign(static_cast<std::size_t>(ir::byte_size(p.tensors[op.output])), 0);
        run_op(i, values);
        if (profile != nullptr) profile->op_ns[i] = elapsed_ns(t0);
    }
    RunResult r;
    r.steps = p.ops.size();
    for (auto id : p.outputs) r.outputs.push_back(values[id]);
    if (commit_) {
        const auto t0 = std::chrono::steady_clock::now();
        auto tr = commit(values, trees);
        r.state_root = tr->state(r.steps);
        r.trace = std::move(tr);
        if (profile != nullptr) profile->commit_ns = elapsed_ns(t0);
    }
    return r;
}

}  // namespace sigil::runtime
