// Gather of a constant table by integer indices (token and position embeddings), and Split,
// Slice and Expand of an activation (a fused QKV projection, rotate_half, grouped-query
// attention's repeated k/v heads), all as the IR's gather op.
//
// An embedding table is quantized per tensor over its whole range (not over the rows the
// calibration happened to read), and the gathered rows keep that quantization: gather moves
// values, it never rescales them. A Split becomes one gather per part, with constant int32
// indices along the split axis; each part keeps the input's quantization.
#include <algorithm>
#include <numeric>

#include "runtime/quant/detail/lower.hpp"

namespace sigil::runtime::detail {

Result<void, QuantError> lower_gather(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    const Tensor* table = L.constant(n.inputs[0]);
    if (!table) return fail(qerr(QuantErrc::weight_not_constant, n, "the gathered table must be a constant"));
    const auto indices = L.index_input(n.inputs[1]);
    if (!indices) return fail(qerr(QuantErrc::unsupported_op, n, "indices must be an integer graph input"));
    const std::int64_t axis = n.int_or("axis", 0);
    if (axis != 0) return fail(qerr(QuantErrc::unsupported_shape, n, "only axis 0 (rows of a table)"));
    if (table->f().empty()) return fail(qerr(QuantErrc::unsupported_shape, n, "empty table"));
    const auto [mn, mx] = std::minmax_element(table->f().begin(), table->f().end());
    const AffineQ q = AffineQ::from_range(static_cast<double>(*mn), static_cast<double>(*mx));
    std::vector<std::int8_t> values;
    values.reserve(table->f().size());
    for (float f : table->f()) values.push_back(q.quantize(static_cast<double>(f)));
    const auto dims = SIGIL_TRY(ir_shape(table->shape, n));
    const ir::TensorId data = L.b.constant_int8(dims, values, SIGIL_TRY(Lowerer::act_quant(q)));
    Shape out_shape = indices->shape;
    out_shape.insert(out_shape.end(), table->shape.begin() + 1, table->shape.end());
    L.define(n.outputs[0], QValue{L.b.gather(data, indices->id, 0), q, out_shape});
    return {};
}

namespace {

/// A constant integer input of node `n` (Slice's starts/ends/axes/steps, Expand's shape).
Result<std::vector<std::int64_t>, QuantError> const_ints(const Lowerer& L, const OnnxNode& n, std::size_t i) {
    const Tensor* t = L.any_constant(n.inputs[i]);
    if (!t || (t->dtype != DType::I64 && t->dtype != DType::I32))
        return fail(
            qerr(QuantErrc::unsupported_shape, n, "input " + std::to_string(i) + " must be a constant integer tensor"));
    std::vector<std::int64_t> v;
    for (std::size_t k = 0; k < static_cast<std::size_t>(t->numel()); ++k) v.push_back(element_as_i64(*t, k));
    return v;
}

/// `x` gathered along `axis` at `at` (its quantization unchanged).
QValue gather_axis(Lowerer& L, const QValue& x, std::size_t axis, const std::vector<std::int32_t>& at) {
    const ir::TensorId ids = L.b.constant_int32({static_cast<std::uint32_t>(at.size())}, at);
    QValue y{L.b.gather(x.id, ids, static_cast<std::uint32_t>(axis)), x.q, x.shape};
    y.shape[axis] = static_cast<std::int64_t>(at.size());
    return y;
}

}  // namespace

Result<void, QuantError> lower_split(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    const QValue x = SIGIL_TRY(L.act(n.inputs[0], n));
    const auto rank = static_cast<std::int64_t>(x.shape.size());
    std::int64_t axis = n.int_or("axis", 0);
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank) return fail(qerr(QuantErrc::unsupported_shape, n, "axis out of range"));
    std::int64_t begin = 0;
    for (const auto& out : n.outputs) {
        const Shape part = SIGIL_TRY(L.shape_of(out));
        const std::int64_t size = part.at(static_cast<std::size_t>(axis));
        std::vector<std::int32_t> at(static_cast<std::size_t>(size));
        std::iota(at.begin(), at.end(), static_cast<std::int32_t>(begin));
        L.define(out, gather_axis(L, x, static_cast<std::size_t>(axis), at));
        begin += size;
    }
    if (begin != x.shape[static_cast<std::size_t>(axis)])
        return fail(qerr(QuantErrc::unsupported_shape, n, "parts do not cover the axis"));
    return {};
}

Result<void, QuantError> lower_slice(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    QValue x = SIGIL_TRY(L.act(n.inputs[0], n));
    const auto starts = SIGIL_TRY(const_ints(L, n, 1));
    const auto ends = SIGIL_TRY(const_ints(L, n, 2));
    std::vector<std::int64_t> axes(starts.size());
    std::iota(axes.begin(), axes.end(), 0);
    if (n.has_input(3)) axes = SIGIL_TRY(const_ints(L, n, 3));
    std::vector<std::int64_t> steps(starts.size(), 1);
    if (n.has_input(4)) steps = SIGIL_TRY(const_ints(L, n, 4));
    if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
        return fail(qerr(QuantErrc::unsupported_shape, n, "starts, ends, axes and steps differ in length"));
    const auto rank = static_cast<std::int64_t>(x.shape.size());
    for (std::size_t k = 0; k < starts.size(); ++k) {
        std::int64_t axis = axes[k] < 0 ? axes[k] + rank : axes[k];
        if (axis < 0 || axis >= rank || steps[k] == 0)
            return fail(qerr(QuantErrc::unsupported_shape, n, "bad axis or step"));
        const std::int64_t dim = x.shape[static_cast<std::size_t>(axis)];
        const std::int64_t step = steps[k];
        // ONNX Slice: negative positions count from the end, then clamp to the axis.
        const auto clampi = [&](std::int64_t v, std::int64_t lo, std::int64_t hi) {
            if (v < 0) v += dim;
            return std::clamp(v, lo, hi);
        };
        const std::int64_t b = step > 0 ? clampi(starts[k], 0, dim) : clampi(starts[k], -1, dim - 1);
        const std::int64_t e = step > 0 ? clampi(ends[k], 0, dim) : clampi(ends[k], -1, dim - 1);
        std::vector<std::int32_t> at;
        for (std::int64_t i = b; step > 0 ? i < e : i > e; i += step) at.push_back(static_cast<std::int32_t>(i));
        if (at.empty()) return fail(qerr(QuantErrc::unsupported_shape, n, "empty slice"));
        x = gather_axis(L, x, static_cast<std::size_t>(axis), at);
    }
    const Shape want = SIGIL_TRY(L.shape_of(n.outputs[0]));
    if (want != x.shape)
        return fail(
            qerr(QuantErrc::unsupported_shape, n, "slice shape " + shape_str(x.shape) + " vs " + shape_str(want)));
    L.define(n.outputs[0], x);
    return {};
}

Result<void, QuantError> lower_expand(Lowerer& L, std::size_t idx) {
    const OnnxNode& n = L.model().nodes[idx];
    QValue x = SIGIL_TRY(L.act(n.inputs[0], n));
    const Shape want = SIGIL_TRY(L.shape_of(n.outputs[0]));
    if (want.size() < x.shape.size()) return fail(qerr(QuantErrc::unsupported_shape, n, "rank shrinks"));
    if (want.size() > x.shape.size()) {  // leading 1s, as broadcasting aligns from the right
        Shape s(want.size() - x.shape.size(), 1);
        s.insert(s.end(), x.shape.begin(), x.shape.end());
        x = QValue{L.b.reshape(x.id, SIGIL_TRY(ir_shape(s, n))), x.q, s};
    }
    for (std::size_t d = 0; d < want.size(); ++d) {
        if (x.shape[d] == want[d]) continue;
        if (x.shape[d] != 1)
            return fail(qerr(QuantErrc::unsupported_shape, n, "axis " + std::to_string(d) + " is not 1"));
        x = gather_axis(L, x, d, std::vector<std::int32_t>(static_cast<std::size_t>(want[d]), 0));
    }
    L.define(n.outputs[0], x);
    return {};
}

}  // namespace sigil::runtime::detail
