#include "runtime/quant/detail/lower.hpp"

#include <cmath>

namespace sigil::runtime::detail {

QuantError qerr(QuantErrc code, const OnnxNode& n, const std::string& what) {
    return QuantError{code, n.op_type + (n.name.empty() ? "" : " '" + n.name + "'") + ": " + what};
}

std::optional<std::size_t> sole_user_of(const Lowerer& L, const std::string& value, const char* op) {
    const auto u = L.sole_user(value);
    if (!u || L.model().nodes[*u].op_type != op) return std::nullopt;
    return u;
}

std::string other_input(const OnnxNode& n, const std::string& value) {
    if (n.inputs.size() != 2) return "";
    if (n.inputs[0] == value) return n.inputs[1];
    if (n.inputs[1] == value) return n.inputs[0];
    return "";
}

bool is_scalar(const Lowerer& L, const std::string& name, double want, double tol) {
    const Tensor* t = L.constant(name);
    return t && t->numel() == 1 && std::fabs(static_cast<double>(t->f()[0]) - want) < tol;
}

Result<std::vector<std::uint32_t>, QuantError> ir_shape(const Shape& s, const OnnxNode& n) {
    std::vector<std::uint32_t> out;
    for (auto d : s) {
        if (d < 1 || d > UINT32_MAX) return fail(qerr(QuantErrc::unsupported_shape, n, "dim " + std::to_string(d)));
        out.push_back(static_cast<std::uint32_t>(d));
    }
    if (out.empty()) out.push_back(1);  // scalars are [1] in the IR
    return out;
}

Lowerer::Lowerer(const OnnxModel& m, const Calibration& cal) : m_(m), cal_(cal) {
    for (const auto& [name, t] : m.initializers) constants_.emplace(name, t);
    for (std::size_t i = 0; i < m.nodes.size(); ++i)
        for (const auto& in : m.nodes[i].inputs)
            if (!in.empty()) users_[in].push_back(i);
}

const Tensor* Lowerer::constant(const std::string& name) const {
    auto it = constants_.find(name);
    return it == constants_.end() || it->second.dtype != DType::F32 ? nullptr : &it->second;
}

Result<QValue, QuantError> Lowerer::act(const std::string& name, const OnnxNode& n) const {
    auto it = values_.find(name);
    if (it == values_.end()) return fail(qerr(QuantErrc::weight_not_constant, n, "'" + name + "' is not an int8 activation"));
    return it->second;
}

Result<AffineQ, QuantError> Lowerer::range_q(const std::string& name) const {
    const ValueRange* r = range(name);
    if (r == nullptr) return fail(QuantError{QuantErrc::calibration_mismatch, "no range for '" + name + "'"});
    return AffineQ::from_range(r->lo, r->hi);
}

Result<Shape, QuantError> Lowerer::shape_of(const std::string& name) const {
    auto it = cal_.find(name);
    if (it == cal_.end()) return fail(QuantError{QuantErrc::calibration_mismatch, "no shape for '" + name + "'"});
    return it->second.shape;
}

Result<ir::QScale, QuantError> Lowerer::qs(double real, const std::string& what) {
    auto q = real_to_qscale(real);
    if (!q) return fail(QuantError{QuantErrc::scale_out_of_range, what + " = " + std::to_string(real)});
    return *q;
}

Result<ir::Quant, QuantError> Lowerer::act_quant(const AffineQ& q) {
    const ir::QScale s = SIGIL_TRY(qs(q.scale, "activation scale"));
    return ir::Quant::per_tensor(q.zero_point, s);
}

namespace {
bool is_graph_output(const OnnxModel& m, const std::string& name) {
    for (const auto& o : m.outputs)
        if (o.name == name) return true;
    return false;
}
}  // namespace

bool Lowerer::unread_output(const std::string& name) const {
    return is_graph_output(m_, name) && users_of(name).empty();
}

std::optional<std::size_t> Lowerer::sole_user(const std::string& value) const {
    auto it = users_.find(value);
    if (is_graph_output(m_, value) || it == users_.end() || it->second.size() != 1) return std::nullopt;
    return it->second[0];
}

Result<OutSpec, QuantError> Lowerer::out_spec(std::size_t idx, const std::string& out) {
    (void)idx;
    OutSpec spec{out, SIGIL_TRY(range_q(out)), {}};
    auto it = users_.find(out);
    if (is_graph_output(m_, out) || it == users_.end() || it->second.size() != 1) return spec;
    const std::size_t u = it->second[0];
    const OnnxNode& next = m_.nodes[u];
    if (next.op_type == "Relu") {
        spec.name = next.outputs[0];
        spec.q = SIGIL_TRY(range_q(spec.name));
        spec.clamp = {spec.q.zero_point, 127};
        fused_.insert(u);
        return spec;
    }
    if (next.op_type == "Clip" && next.inputs[0] == out) {
        const Tensor* lo = next.has_input(1) ? constant(next.inputs[1]) : nullptr;
        const Tensor* hi = next.has_input(2) ? constant(next.inputs[2]) : nullptr;
        if ((next.has_input(1) && !lo) || (next.has_input(2) && !hi)) return spec;
        spec.name = next.outputs[0];
        spec.q = SIGIL_TRY(range_q(spec.name));
        spec.clamp = {lo ? spec.q.quantize(static_cast<double>(lo->f()[0])) : -128, hi ? spec.q.quantize(static_cast<double>(hi->f()[0])) : 127};
        fused_.insert(u);
    }
    return spec;
}

void Lowerer::define(const OutSpec& spec, ir::TensorId id) {
    values_[spec.name] = QValue{id, spec.q, cal_.count(spec.name) ? cal_.at(spec.name).shape : Shape{}};
}

namespace {

using LowerFn = Result<void, QuantError> (*)(Lowerer&, std::size_t);

LowerFn lowering_of(const std::string& op) {
    static const std::map<std::string, LowerFn> table{
        {"Gemm", lower_gemm},         {"MatMul", lower_matmul},
        {"Conv", lower_conv},         {"Add", lower_add_mul},
        {"Mul", lower_add_mul},       {"Relu", lower_clip},
        {"Clip", lower_clip},         {"MaxPool", lower_pool},
        {"AveragePool", lower_pool},  {"GlobalAveragePool", lower_pool},
        {"Reshape", lower_reshape},   {"Flatten", lower_reshape},
        {"Identity", lower_reshape},  {"Transpose", lower_transpose},
        {"Softmax", lower_softmax},   {"Gelu", lower_gelu},
        {"Div", lower_div},           {"LayerNormalization", lower_layernorm},
        {"Gather", lower_gather},     {"Split", lower_split},
        {"Slice", lower_slice},       {"Expand", lower_expand},
        {"Unsqueeze", lower_reshape}, {"Squeeze", lower_reshape},
        {"Where", lower_where},       {"Neg", lower_neg},
        {"Concat", lower_concat},     {"ReduceMean", lower_reduce_mean},
        {"Pow", lower_pow},           {"Sigmoid", lower_sigmoid},
    };
    auto it = table.find(op);
    return it == table.end() ? nullptr : it->second;
}

/// Constant nodes are folded at import: their values are recorded as constants.
bool constant_node(const OnnxNode& n) { return n.op_type == "Constant"; }

}  // namespace

Result<void, QuantError> Lowerer::run() {
    for (const auto& in : m_.inputs) {
        if (in.dtype == DType::I64 || in.dtype == DType::I32) {
            // Token ids: an int32 program input, read only by the gathers of embedding tables.
            OnnxNode fake;
            fake.op_type = "input";
            if (!in.rank_known)
                return fail(QuantError{QuantErrc::unsupported_shape, "input '" + in.name + "' has no fixed shape"});
            const auto dims = SIGIL_TRY(ir_shape(in.shape, fake));
            indices_[in.name] = IndexInput{b.input(ir::DType::int32, dims), in.shape};
            continue;
        }
        if (in.dtype != DType::F32)
            return fail(QuantError{QuantErrc::unsupported_shape, "input '" + in.name + "' is not float32 or integer"});
        const AffineQ q = SIGIL_TRY(range_q(in.name));
        const Shape s = SIGIL_TRY(shape_of(in.name));
        OnnxNode fake;
        fake.op_type = "input";
        const auto dims = SIGIL_TRY(ir_shape(s, fake));
        const ir::Quant iq = SIGIL_TRY(act_quant(q));
        values_[in.name] = QValue{b.input(ir::DType::int8, dims, iq), q, s};
    }
    for (std::size_t i = 0; i < m_.nodes.size(); ++i) {
        const OnnxNode& n = m_.nodes[i];
        if (fused_.count(i)) continue;
        if (constant_node(n)) {
            if (auto t = n.get<Tensor>("value")) constants_[n.outputs[0]] = *t;
            continue;
        }
        // Nodes with no float32 output only compute shapes (Shape, Gather of dims, Concat of
        // int64s): every shape is fixed at import, so they are folded away.
        bool any_float = false;
        for (const auto& o : n.outputs) any_float = any_float || cal_.count(o) != 0;
        if (!any_float) continue;
        LowerFn fn = lowering_of(n.op_type);
        if (!fn) return fail(qerr(QuantErrc::unsupported_op, n, "no integer lowering"));
        SIGIL_TRY_VOID(fn(*this, i));
    }
    for (const auto& o : m_.outputs) {
        auto it = values_.find(o.name);
        if (it == values_.end())
            return fail(
                QuantError{QuantErrc::unsupported_shape, "output '" + o.name + "' is not a lowered activation"});
        b.mark_output(it->second.id);
    }
    return {};
}

}  // namespace sigil::runtime::detail
