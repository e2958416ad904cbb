// Pools, Reshape/Flatten/Identity, Transpose: the output keeps the input's quantization.
#include "runtime/quant/detail/lower.hpp"

namespace sigil::runtime::detail {

Result<void, QuantError> lower_pool(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    const QValue x = SIGIL_TRY(L.act(n.inputs[0], n));
    if (x.shape.size() != 4) return fail(qerr(QuantErrc::unsupported_shape, n, "only NCHW"));
    const Shape os = SIGIL_TRY(L.shape_of(n.outputs[0]));
    if (n.op_type == "GlobalAveragePool") {
        L.define(n.outputs[0], QValue{L.b.global_average_pool(x.id), x.q, os});
        return {};
    }
    if (n.int_or("ceil_mode", 0) != 0) return fail(qerr(QuantErrc::unsupported_attribute, n, "ceil_mode=1"));
    if (n.outputs.size() > 1) return fail(qerr(QuantErrc::unsupported_attribute, n, "Indices output"));
    const auto k = n.ints_or("kernel_shape", {});
    const ir::Window2d w = SIGIL_TRY(window_2d(n, x.shape, Shape(k.begin(), k.end())));
    if (n.op_type == "MaxPool") {
        L.define(n.outputs[0], QValue{L.b.max_pool(x.id, w), x.q, os});
        return {};
    }
    const bool padded = w.pads != std::array<std::uint32_t, 4>{0, 0, 0, 0};
    if (padded && n.int_or("count_include_pad", 0) != 0)
        return fail(qerr(QuantErrc::unsupported_attribute, n, "count_include_pad=1 with padding"));
    L.define(n.outputs[0], QValue{L.b.average_pool(x.id, w), x.q, os});
    return {};
}

Result<void, QuantError> lower_reshape(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    const QValue x = SIGIL_TRY(L.act(n.inputs[0], n));
    const Shape os = SIGIL_TRY(L.shape_of(n.outputs[0]));
    if (os == x.shape) {
        L.define(n.outputs[0], QValue{x.id, x.q, os});  // Identity, or a no-op reshape
        return {};
    }
    const auto dims = SIGIL_TRY(ir_shape(os, n));
    L.define(n.outputs[0], QValue{L.b.reshape(x.id, dims), x.q, os});
    return {};
}

Result<void, QuantError> lower_transpose(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    const QValue x = SIGIL_TRY(L.act(n.inputs[0], n));
    std::vector<std::uint32_t> perm;
    for (std::size_t i = x.shape.size(); i-- > 0;) perm.push_back(static_cast<std::uint32_t>(i));
    if (auto p = n.get<std::vector<std::int64_t>>("perm")) {
        perm.clear();
        for (auto v : *p) perm.push_back(static_cast<std::uint32_t>(v));
    }
    const Shape os = SIGIL_TRY(L.shape_of(n.outputs[0]));
    L.define(n.outputs[0], QValue{L.b.transpose(x.id, perm), x.q, os});
    return {};
}

}  // namespace sigil::runtime::detail
