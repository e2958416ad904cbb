#include "runtime/float/fold.hpp"

#include <set>

#include "runtime/float/detail/op.hpp"
#include "runtime/float/executor.hpp"

namespace sigil::runtime {

namespace {

/// Whether input `i` of `op` decides the output's shape by its values (not only by its shape):
/// such an input must be a constant for the output's shape to be fixed by the input shapes.
bool shapes_by_value(const std::string& op, std::size_t i) {
    if (op == "Reshape" || op == "Expand" || op == "Split" || op == "Squeeze" || op == "Unsqueeze" ||
        op == "ReduceMean" || op == "ReduceMax" || op == "ReduceSum")
        return i >= 1;
    if (op == "Slice") return i >= 1;
    if (op == "Range" || op == "ConstantOfShape") return true;
    return false;
}

}  // namespace

Result<OnnxModel, FloatError> specialize(const OnnxModel& m, const std::vector<Shape>& input_shapes, FoldStats* stats) {
    if (input_shapes.size() != m.inputs.size())
        return fail(FloatError{FloatErrc::bad_input, std::to_string(m.inputs.size()) + " input shapes expected, got " +
                                                         std::to_string(input_shapes.size())});
    OnnxModel out = m;
    out.nodes.clear();
    // Every value's shape and dtype at the fixed input shapes: the inputs', then every node's on
    // one run (zeros); used only for the values whose shape the input shapes fix (static_shape
    // below), which is every run's shape.
    std::map<std::string, std::pair<Shape, DType>> observed;
    std::set<std::string> static_shape;
    for (std::size_t i = 0; i < m.inputs.size(); ++i) {
        const auto& info = m.inputs[i];
        const Shape& s = input_shapes[i];
        bool ok = !info.rank_known || info.shape.size() == s.size();
        for (std::size_t d = 0; ok && d < s.size(); ++d)
            ok = s[d] >= 0 && (!info.rank_known || info.shape[d] < 0 || info.shape[d] == s[d]);
        if (!ok)
            return fail(FloatError{FloatErrc::bad_input, "'" + info.name + "' declared " + shape_str(info.shape) +
                                                             ", specialized to " + shape_str(s)});
        out.inputs[i].shape = s;
        out.inputs[i].rank_known = true;
        observed[info.name] = {s, info.dtype};
        static_shape.insert(info.name);
    }
    {
        std::vector<Tensor> zeros;
        for (std::size_t i = 0; i < m.inputs.size(); ++i)
            zeros.push_back(Tensor::zeros(m.inputs[i].dtype, input_shapes[i]));
        auto probe = SIGIL_TRY(FloatExecutor::create(m));
        SIGIL_TRY_VOID(probe.run(zeros, [&](std::size_t, const OnnxNode& n, const std::vector<Tensor>& outs) {
            for (std::size_t i = 0; i < n.outputs.size() && i < outs.size(); ++i)
                observed[n.outputs[i]] = {outs[i].shape, outs[i].dtype};
        }));
    }
    std::map<std::string, Tensor>& known = out.initializers;
    FoldStats st;
    for (const auto& n : m.nodes) {
        detail::OpFn fn = detail::find_op(n.op_type);
        if (!fn) return fail(FloatError{FloatErrc::unsupported_op, n.op_type});
        // Shape of a value whose shape is fixed: as the op reports it (start/end honoured) by
        // running Shape on a zero tensor of that shape and dtype.
        std::vector<Tensor> shape_stand_in;
        bool foldable = true;
        for (const auto& in : n.inputs) {
            if (in.empty() || known.count(in)) continue;
            if (n.op_type == "Shape" && static_shape.count(in)) continue;
            foldable = false;
        }
        if (!foldable) {
            bool fixed = true;
            for (std::size_t i = 0; i < n.inputs.size(); ++i) {
                const auto& in = n.inputs[i];
                if (in.empty() || known.count(in)) continue;
                fixed = fixed && !shapes_by_value(n.op_type, i) && static_shape.count(in);
            }
            if (fixed)
                for (const auto& o : n.outputs) static_shape.insert(o);
            out.nodes.push_back(n);
            ++st.kept;
            continue;
        }
        detail::OpContext ctx{n, m.opset, {}};
        shape_stand_in.reserve(n.inputs.size());  // pointers into it stay valid
        for (const auto& in : n.inputs) {
            if (in.empty()) {
                ctx.inputs.push_back(nullptr);
            } else if (auto it = known.find(in); it != known.end()) {
                ctx.inputs.push_back(&it->second);
            } else {  // the input of Shape, a graph input or a value whose shape the input shapes fix
                const auto& [shape, dtype] = observed.at(in);
                shape_stand_in.push_back(Tensor::zeros(dtype, shape));
                ctx.inputs.push_back(&shape_stand_in.back());
            }
        }
        std::vector<Tensor> outs = SIGIL_TRY(fn(ctx));
        if (outs.size() < n.outputs.size())
            return fail(
                ctx.err(FloatErrc::unsupported_attribute, std::to_string(n.outputs.size()) + " outputs requested"));
        for (std::size_t i = 0; i < n.outputs.size(); ++i) {
            if (!n.outputs[i].empty()) known[n.outputs[i]] = std::move(outs[i]);
        }
        ++st.folded;
    }
    // Keep the constants the remaining graph reads; a folded graph output comes from a Constant.
    std::set<std::string> read;
    for (const auto& n : out.nodes)
        for (const auto& in : n.inputs) read.insert(in);
    std::set<std::string> produced;
    for (const auto& n : out.nodes)
        for (const auto& o : n.outputs) produced.insert(o);
    for (const auto& o : m.outputs) {
        if (produced.count(o.name)) continue;
        auto it = known.find(o.name);  // a graph input passed through is never in `known`
        if (it == known.end()) continue;
        OnnxNode c;
        c.op_type = "Constant";
        c.name = o.name + "_folded";
        c.outputs = {o.name};
        c.attrs["value"] = it->second;
        out.nodes.push_back(std::move(c));
    }
    for (auto it = known.begin(); it != known.end();) it = read.count(it->first) ? std::next(it) : known.erase(it);
    if (stats) *stats = st;
    return out;
}

}  // namespace sigil::runtime
