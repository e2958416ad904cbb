#pragma once
/// The float reference executor: runs an ONNX graph (opset 13+) with double-accumulating
/// reference kernels. It is the reference for import and quantization checks, never for
/// claims (docs/commitments.md). Not thread-safe per instance during `run`; distinct instances are
/// independent.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "runtime/float/error.hpp"
#include "runtime/onnx/model.hpp"

namespace sigil::runtime {

/// Called after each node with the node's index and its outputs (by the node's output names).
using NodeObserver = std::function<void(std::size_t node_index, const OnnxNode& node, const std::vector<Tensor>& outputs)>;

class FloatExecutor {
public:
    /// Checks that every op is supported (unsupported_op names the first that is not) and that
    /// the nodes are topologically ordered (every input defined before use).
    static Result<FloatExecutor, FloatError> create(OnnxModel model);

    /// Runs the graph on `inputs` (positional, matching `model().inputs`; dtype and known dims
    /// must match) and returns the graph outputs in order.
    Result<std::vector<Tensor>, FloatError> run(const std::vector<Tensor>& inputs,
                                                const NodeObserver& observer = nullptr) const;

    const OnnxModel& model() const { return model_; }

    /// Every op type the executor implements, sorted.
    static std::vector<std::string_view> supported_ops();

private:
    explicit FloatExecutor(OnnxModel m) : model_(std::move(m)) {}
    OnnxModel model_;
};

}  // namespace sigil::runtime
