#include "runtime/float/executor.hpp"

#include <set>
#include <unordered_map>

#include "runtime/float/detail/op.hpp"

namespace sigil::runtime {

std::vector<std::string_view> FloatExecutor::supported_ops() { return detail::supported_ops(); }

Result<FloatExecutor, FloatError> FloatExecutor::create(OnnxModel model) {
    std::set<std::string> defined;
    for (const auto& in : model.inputs) defined.insert(in.name);
    for (const auto& [name, t] : model.initializers) defined.insert(name);
    for (const auto& n : model.nodes) {
        if (!detail::find_op(n.op_type)) return fail(FloatError{FloatErrc::unsupported_op, n.op_type});
        for (const auto& in : n.inputs)
            if (!in.empty() && !defined.count(in))
                return fail(FloatError{FloatErrc::undefined_value, "'" + in + "' read by " + n.op_type + " before definition"});
        for (const auto& out : n.outputs)
            if (!out.empty()) defined.insert(out);
    }
    for (const auto& out : model.outputs)
        if (!defined.count(out.name)) return fail(FloatError{FloatErrc::undefined_value, "graph output '" + out.name + "'"});
    return FloatExecutor(std::move(model));
}

namespace {

Result<void, FloatError> check_input(const OnnxValueInfo& info, const Tensor& t) {
    if (t.dtype != info.dtype)
        return fail(FloatError{FloatErrc::bad_input, "'" + info.name + "' wants " + std::string(to_string(info.dtype)) +
                                                         ", got " + std::string(to_string(t.dtype))});
    if (!info.rank_known) return {};
    bool ok = t.shape.size() == info.shape.size();
    for (std::size_t i = 0; ok && i < t.shape.size(); ++i) ok = info.shape[i] < 0 || info.shape[i] == t.shape[i];
    if (!ok)
        return fail(FloatError{FloatErrc::bad_input, "'" + info.name + "' wants shape " + shape_str(info.shape) + ", got " +
                                                         shape_str(t.shape)});
    return {};
}

}  // namespace

Result<std::vector<Tensor>, FloatError> FloatExecutor::run(const std::vector<Tensor>& inputs,
                                                           const NodeObserver& observer) const {
    if (inputs.size() != model_.inputs.size())
        return fail(FloatError{FloatErrc::bad_input, std::to_string(model_.inputs.size()) + " inputs expected, got " +
                                                         std::to_string(inputs.size())});
    std::unordered_map<std::string, const Tensor*> values;
    for (const auto& [name, t] : model_.initializers) values[name] = &t;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        SIGIL_TRY_VOID(check_input(model_.inputs[i], inputs[i]));
        values[model_.inputs[i].name] = &inputs[i];
    }
    std::unordered_map<std::string, Tensor> computed;
    for (std::size_t k = 0; k < model_.nodes.size(); ++k) {
        const OnnxNode& n = model_.nodes[k];
        detail::OpContext ctx{n, model_.opset, {}};
        for (const auto& in : n.inputs) ctx.inputs.push_back(in.empty() ? nullptr : values.at(in));
        std::vector<Tensor> outs = SIGIL_TRY(detail::find_op(n.op_type)(ctx));
        if (outs.size() < n.outputs.size())
            return fail(ctx.err(FloatErrc::unsupported_attribute, std::to_string(n.outputs.size()) + " outputs requested"));
        if (observer) observer(k, n, outs);
        for (std::size_t i = 0; i < n.outputs.size(); ++i) {
            if (n.outputs[i].empty()) continue;
            auto& slot = computed[n.outputs[i]];
            slot = std::move(outs[i]);
            values[n.outputs[i]] = &slot;
        }
    }
    std::vector<Tensor> result;
    for (const auto& out : model_.outputs) result.push_back(*values.at(out.name));
    return result;
}

}  // namespace sigil::runtime
