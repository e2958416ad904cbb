#include "node/dispute_trace.hpp"

#include "core/kernels/program_run.hpp"
#include "core/trace/chunks.hpp"

namespace sigil::node {

namespace {

/// Applies a lie of kind input_root, output_bytes, output_root or steps to `c` (elements of the
/// output are `width` bytes wide). False when the lie's place is outside the claim.
bool lie_in_claim(Claim& c, const Lie& lie, std::size_t width) {
    if (lie.kind == FaultKind::steps) {
        c.steps += 1;
        return true;
    }
    if (lie.kind == FaultKind::input_root) {
        if (lie.element >= c.input_root.size()) return false;
        c.input_root[lie.element] = static_cast<std::uint8_t>(c.input_root[lie.element] ^ lie.mask);
        return true;
    }
    const auto at = static_cast<std::size_t>(lie.element * width);
    if (at >= c.output.size()) return false;
    c.output[at] = static_cast<std::uint8_t>(c.output[at] ^ lie.mask);
    if (lie.kind == FaultKind::output_root) c.output_root = trace::tensor_root(c.output);
    return true;
}

}  // namespace

Result<std::shared_ptr<const RunTrace>, std::string> build_trace(const ServedModel& model, BytesView input,
                                                                 const std::optional<Lie>& told) {
    // A token lie is for generation requests (GenerationAgent); a classification answer stays honest.
    const std::optional<Lie> lie = told && told->kind != FaultKind::token ? told : std::nullopt;
    const ir::Program& p = *model.program;
    if (input.size() != model.input_bytes) return fail(std::string("input size"));
    if (p.outputs.empty()) return fail(std::string("program has no committed output"));
    const std::vector<Bytes> inputs{Bytes(input.begin(), input.end())};
    auto values = kernels::run_program(p, inputs, kernels::Path::fast);
    if (!values) return fail("runtime: " + std::string(kernels::to_string(values.error())));
    auto rt = std::make_shared<RunTrace>();
    rt->values = std::move(*values);
    if (lie && lie->kind == FaultKind::trace) {
        if (lie->step == 0 || lie->step > p.ops.size()) return fail(std::string("lie: step out of range"));
        const auto out_id = p.ops[static_cast<std::size_t>(lie->step - 1)].output;
        auto& bytes = rt->values[out_id];
        const auto at = static_cast<std::size_t>(lie->element * ir::dtype_size(p.tensors[out_id].dtype));
        if (at >= bytes.size()) return fail(std::string("lie: element out of range"));
        bytes[at] = static_cast<std::uint8_t>(bytes[at] ^ lie->mask);
    }
    rt->trace = std::make_unique<trace::ExecutionTrace>(p, rt->values);
    const BytesView out = rt->trace->tensor(p.outputs[0]);
    rt->claim.output = Bytes(out.begin(), out.end());
    rt->claim.output_root = trace::tensor_root(rt->claim.output);
    rt->claim.steps = rt->trace->steps();
    rt->claim.trace_root = rt->trace->state(rt->trace->steps());
    rt->claim.input_root = rt->trace->input_root();
    if (lie && lie->kind != FaultKind::trace) {
        // A lie in the claim alone: the trace (and so every S_i) stays the honest one.
        if (!lie_in_claim(rt->claim, *lie, ir::dtype_size(p.tensors[p.outputs[0]].dtype))) {
            return fail(std::string("lie: element out of range"));
        }
    }
    rt->lie = lie;
    return std::shared_ptr<const RunTrace>(std::move(rt));
}

Result<std::shared_ptr<const RunTrace>, std::string> TraceCache::get(const Hash& id, const ServedModel& model,
                                                                     BytesView input, const FaultConfig& fault) {
    for (auto it = traces_.begin(); it != traces_.end(); ++it) {
        if (it->first != id) continue;
        traces_.splice(traces_.begin(), traces_, it);
        return traces_.front().second;
    }
    auto built = build_trace(model, input, lie_for(id, fault, *model.program));
    if (!built) return built;
    ++builds_;
    traces_.emplace_front(id, *built);
    while (traces_.size() > capacity_) traces_.pop_back();
    return built;
}

const ir::ModelCommitment& TraceCache::commitment(const ServedModel& model) {
    for (const auto& [root, c] : models_) {
        if (root == model.root) return *c;
    }
    models_.emplace_front(model.root, std::make_shared<const ir::ModelCommitment>(ir::commit_model(*model.program)));
    return *models_.front().second;
}

}  // namespace sigil::node
