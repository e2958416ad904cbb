#pragma once
/// Specialization of an ONNX graph to fixed input shapes, with constant folding. PyTorch's
/// exporter writes dynamic graphs: a transformer with a dynamic sequence axis computes its
/// position ids (Shape, Gather, Range), its causal mask (Slice of a registered buffer, Equal,
/// Where) and every Reshape target at run time. Once the input shapes are fixed all of that is
/// constant; `specialize` evaluates it once with the float executor's own ops, so what remains
/// is exactly the data-dependent computation (what a quantized integer program has to run).

#include <vector>

#include "runtime/float/error.hpp"
#include "runtime/onnx/model.hpp"

namespace sigil::runtime {

/// What `specialize` did.
struct FoldStats {
    std::size_t folded = 0;  ///< nodes evaluated and replaced by their values
    std::size_t kept = 0;    ///< nodes left (they read a graph input's values)
};

/// A copy of `m` for inputs of shapes `input_shapes` (one per `m.inputs`, each compatible with
/// the declared shape): every node whose inputs are constants, or only the shape of a graph
/// input (Shape), is evaluated and its outputs become initializers; the graph inputs get the
/// fixed shapes. A graph output that folds to a constant is produced by a Constant node.
/// Errors are the float executor's (an op it does not implement, a bad shape).
Result<OnnxModel, FloatError> specialize(const OnnxModel& m, const std::vector<Shape>& input_shapes,
                                         FoldStats* stats = nullptr);

}  // namespace sigil::runtime
