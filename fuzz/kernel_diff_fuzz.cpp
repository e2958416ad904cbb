// Differential fuzzing of the kernels: random ops, shapes and parameters drawn from the fuzz bytes;
// the fast path (every SIMD level the CPU has, split into arbitrary item ranges) must equal the
// scalar reference bit for bit, and a proof of one element must verify to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/ir/model_root.hpp"
#include "core/kernels/op_gen.hpp"
#include "core/kernels/program_run.hpp"
#include "core/kernels/reference.hpp"
#include "core/trace/verify.hpp"

namespace {

/// Draws choices from the fuzz input; once it is used up every choice is its lower bound.
struct ByteSource {
    const std::uint8_t* data;
    std::size_t size;
    std::size_t pos = 0;
    std::int64_t operator()(std::int64_t lo, std::int64_t hi) {
        std::uint64_t v = 0;
        for (int i = 0; i < 4 && pos < size; ++i) v = (v << 8) | data[pos++];
        const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
        return lo + static_cast<std::int64_t>(span == 0 ? v : v % span);
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sigil;  // NOLINT
    ByteSource src{data, size};
    const kernels::gen::ChoiceSource pick = [&src](std::int64_t lo, std::int64_t hi) { return src(lo, hi); };
    const auto c = kernels::gen::random_op(pick);
    const auto& p = c.program;
    const auto ref = kernels::run_program(p, c.inputs, kernels::Path::reference).value();
    std::vector<kernels::Simd> levels = {kernels::Simd::scalar};
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) levels.push_back(kernels::Simd::avx2);
#endif
    const auto& op = p.ops[0];
    for (auto simd : levels) {
        std::vector<Bytes> values(p.tensors.size());
        for (std::size_t i = 0; i < p.inputs.size(); ++i) values[p.inputs[i]] = c.inputs[i];
        values[op.output].assign(static_cast<std::size_t>(ir::byte_size(p.tensors[op.output])), 0);
        const auto io = kernels::op_io(p, 0, values);
        const auto n = kernels::work_items(io);
        const auto cut = static_cast<std::uint64_t>(pick(0, static_cast<std::int64_t>(n)));
        kernels::run_items(io, cut, n, simd);
        kernels::run_items(io, 0, cut, simd);
        if (values[op.output] != ref[op.output]) std::abort();
    }
    const trace::ExecutionTrace tr(p, ref);
    const auto model = ir::commit_model(p);
    const auto count = ir::element_count(p.tensors[op.output].shape);
    const auto e = static_cast<std::uint64_t>(pick(0, static_cast<std::int64_t>(count) - 1));
    const auto proof = trace::prove_element(tr, model, 1, e);
    const auto want = kernels::load_element(ref[op.output], p.tensors[op.output].dtype, e);
    if (!trace::verify_element(model.root, tr.state(0), proof, want)) std::abort();
    return 0;
}
