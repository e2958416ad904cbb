// Gather of a constant table by integer indices (token and position embeddings) and Split of an
// activation (a fused QKV projection), both as the IR's gather op.
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
        const ir::TensorId ids = L.b.constant_int32({static_cast<std::uint32_t>(size)}, at);
        L.define(out, QValue{L.b.gather(x.id, ids, static_cast<std::uint32_t>(axis)), x.q, part});
        begin += size;
    }
    if (begin != x.shape[static_cast<std::size_t>(axis)])
        return fail(qerr(QuantErrc::unsupported_shape, n, "parts do not cover the axis"));
    return {};
}

}  // namespace sigil::runtime::detail
