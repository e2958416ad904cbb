#include "runtime/onnx/model.hpp"

#include "runtime/onnx/detail/proto.hpp"
#include "runtime/onnx/opset.hpp"
#include "runtime/onnx/tensor_io.hpp"

namespace sigil::runtime {

namespace {

bool is_default_domain(const std::string& d) { return d.empty() || d == "ai.onnx"; }

Result<AttrValue, OnnxError> decode_attr(const ::onnx::AttributeProto& a, const std::string& where) {
    using A = ::onnx::AttributeProto;
    const std::string what = where + " attribute '" + a.name() + "'";
    if (!a.ref_attr_name().empty()) return fail(OnnxError{OnnxErrc::unsupported_attribute, what + ": reference attribute"});
    switch (a.type()) {
        case A::INT: return AttrValue(std::int64_t{a.i()});
        case A::FLOAT: return AttrValue(a.f());
        case A::STRING: return AttrValue(a.s());
        case A::TENSOR: {
            Tensor t = SIGIL_TRY(detail::tensor_from_proto(a.t()));
            return AttrValue(std::move(t));
        }
        case A::INTS: return AttrValue(std::vector<std::int64_t>(a.ints().begin(), a.ints().end()));
        case A::FLOATS: return AttrValue(std::vector<float>(a.floats().begin(), a.floats().end()));
        case A::STRINGS: return AttrValue(std::vector<std::string>(a.strings().begin(), a.strings().end()));
        default: break;
    }
    const std::string kind = A::AttributeType_IsValid(a.type()) ? A::AttributeType_Name(a.type()) : "unknown";
    return fail(OnnxError{OnnxErrc::unsupported_attribute, what + " of type " + kind});
}

Result<OnnxNode, OnnxError> decode_node(const ::onnx::NodeProto& n, std::int64_t opset) {
    const std::string where = "node '" + n.name() + "' (" + n.op_type() + ")";
    if (!is_default_domain(n.domain()))
        return fail(OnnxError{OnnxErrc::unsupported_domain, n.domain() + "::" + n.op_type()});
    SIGIL_TRY_VOID(check_op_opset(n.op_type(), opset));
    OnnxNode node;
    node.name = n.name();
    node.op_type = n.op_type();
    node.inputs.assign(n.input().begin(), n.input().end());
    node.outputs.assign(n.output().begin(), n.output().end());
    for (const auto& a : n.attribute()) {
        AttrValue v = SIGIL_TRY(decode_attr(a, where));
        node.attrs.insert_or_assign(a.name(), std::move(v));
    }
    return node;
}

Result<OnnxValueInfo, OnnxError> decode_value_info(const ::onnx::ValueInfoProto& v) {
    if (!v.has_type() || !v.type().has_tensor_type())
        return fail(OnnxError{OnnxErrc::unsupported_value_type, "'" + v.name() + "' is not a tensor"});
    const auto& tt = v.type().tensor_type();
    OnnxValueInfo info;
    info.name = v.name();
    info.dtype = SIGIL_TRY(detail::dtype_from_onnx(tt.elem_type()));
    if (tt.has_shape()) {
        info.rank_known = true;
        for (const auto& d : tt.shape().dim()) {
            if (d.has_dim_value() && d.dim_value() < 0)
                return fail(OnnxError{OnnxErrc::bad_shape, "'" + v.name() + "': negative dimension"});
            info.shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
        }
    }
    return info;
}

Result<std::int64_t, OnnxError> default_opset(const ::onnx::ModelProto& m) {
    for (const auto& o : m.opset_import())
        if (is_default_domain(o.domain())) {
            if (o.version() > kMaxOpset)
                return fail(OnnxError{OnnxErrc::opset_too_new,
                                      "opset " + std::to_string(o.version()) + " > " + std::to_string(kMaxOpset)});
            return o.version();
        }
    if (m.opset_import_size() > 0)
        return fail(OnnxError{OnnxErrc::unsupported_domain, "imports only domain '" + m.opset_import(0).domain() + "'"});
    return fail(OnnxError{OnnxErrc::opset_missing, "no opset_import"});
}

Result<void, OnnxError> decode_graph(const ::onnx::GraphProto& g, OnnxModel& model) {
    model.graph_name = g.name();
    if (g.sparse_initializer_size() > 0)
        return fail(OnnxError{OnnxErrc::unsupported_value_type, "sparse initializer"});
    for (const auto& init : g.initializer()) {
        Tensor t = SIGIL_TRY(detail::tensor_from_proto(init));
        if (!model.initializers.emplace(init.name(), std::move(t)).second)
            return fail(OnnxError{OnnxErrc::duplicate_name, "initializer '" + init.name() + "'"});
    }
    for (const auto& in : g.input()) {
        if (model.initializers.count(in.name())) continue;
        model.inputs.push_back(SIGIL_TRY(decode_value_info(in)));
    }
    for (const auto& out : g.output()) model.outputs.push_back(SIGIL_TRY(decode_value_info(out)));
    for (const auto& n : g.node()) model.nodes.push_back(SIGIL_TRY(decode_node(n, model.opset)));
    return {};
}

}  // namespace

Result<OnnxModel, OnnxError> parse_onnx_model(BytesView bytes) {
    if (bytes.size() > static_cast<std::size_t>(INT32_MAX))
        return fail(OnnxError{OnnxErrc::malformed_protobuf, "ModelProto larger than 2 GiB"});
    ::onnx::ModelProto m;
    if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
        return fail(OnnxError{OnnxErrc::malformed_protobuf, "not a ModelProto"});
    OnnxModel model;
    model.ir_version = m.ir_version();
    model.producer = m.producer_name();
    model.opset = SIGIL_TRY(default_opset(m));
    if (!m.has_graph()) return fail(OnnxError{OnnxErrc::no_graph, ""});
    SIGIL_TRY_VOID(decode_graph(m.graph(), model));
    return model;
}

Result<OnnxModel, OnnxError> load_onnx_model(const std::string& path) {
    Bytes b = SIGIL_TRY(read_file_bytes(path));
    return parse_onnx_model(b);
}

}  // namespace sigil::runtime
