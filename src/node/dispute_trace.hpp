#pragma once
/// The traces the dispute agents play from: a run of a served model on a job's stored input,
/// rebuilt on demand (the node keeps inputs, not traces) and cached, and the deterministic lie of
/// a node configured with `[fault]` (docs/node.md, "Faulty node").

#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>

#include "core/ir/model_root.hpp"
#include "core/trace/fault.hpp"
#include "core/trace/state.hpp"
#include "node/catalog.hpp"
#include "node/config.hpp"

namespace sigil::node {

using trace::Lie;
using trace::lie_for;

/// One run: every tensor's bytes, the trace over them and the claim it makes.
struct RunTrace {
    std::vector<Bytes> values;
    std::unique_ptr<trace::ExecutionTrace> trace;
    Claim claim;
    std::optional<Lie> lie;
};

/// Runs `model` on `input` (single-threaded reference-order kernels, the same values as the
/// runtime's executor) and applies `lie` (to a tensor of the trace, or to the claim alone, by its
/// kind). Errors name the reason (input size, runtime refusal).
Result<std::shared_ptr<const RunTrace>, std::string> build_trace(const ServedModel& model, BytesView input,
                                                                 const std::optional<Lie>& lie);

/// Traces by request id, the most recently used `capacity` kept; and each model's commitment
/// (op table and weight paths for the Reveal and one-step moves). Not thread-safe (the engine
/// thread owns it).
class TraceCache {
public:
    explicit TraceCache(std::size_t capacity = 8) : capacity_(capacity) {}
    Result<std::shared_ptr<const RunTrace>, std::string> get(const Hash& id, const ServedModel& model, BytesView input,
                                                             const FaultConfig& fault);
    const ir::ModelCommitment& commitment(const ServedModel& model);
    std::size_t builds() const { return builds_; }

private:
    std::size_t capacity_;
    std::size_t builds_ = 0;
    std::list<std::pair<Hash, std::shared_ptr<const RunTrace>>> traces_;
    std::list<std::pair<Hash, std::shared_ptr<const ir::ModelCommitment>>> models_;
};

}  // namespace sigil::node
