#include "train/onnx_export.hpp"

#include <onnx/onnx_pb.h>

#include <cstring>
#include <fstream>
#include <stdexcept>

namespace sigil::train {
namespace {

void add_ints(onnx::NodeProto& node, const char* name, std::initializer_list<std::int64_t> values) {
    auto* a = node.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (auto v : values) a->add_ints(v);
}

void add_int(onnx::NodeProto& node, const char* name, std::int64_t value) {
    auto* a = node.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(value);
}

void add_initializer(onnx::GraphProto& g, const FloatTensor& t) {
    auto* init = g.add_initializer();
    init->set_name(t.name);
    init->set_data_type(onnx::TensorProto::FLOAT);
    for (auto d : t.shape) init->add_dims(d);
    std::string raw(t.data.size() * sizeof(float), '\0');
    std::memcpy(raw.data(), t.data.data(), raw.size());  // raw_data is little-endian (onnx.proto)
    init->set_raw_data(std::move(raw));
}

void set_type(onnx::ValueInfoProto& v, const std::string& name, std::initializer_list<std::int64_t> dims) {
    v.set_name(name);
    auto* tt = v.mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    auto* shape = tt->mutable_shape();
    shape->add_dim()->set_dim_param("N");
    for (auto d : dims) shape->add_dim()->set_dim_value(d);
}

onnx::NodeProto& add_node(onnx::GraphProto& g, const char* op, const std::string& name) {
    auto* n = g.add_node();
    n->set_op_type(op);
    n->set_name(name);
    return *n;
}

}  // namespace

std::string onnx_bytes(const FloatModel& model) {
    static_assert(std::endian::native == std::endian::little, "raw_data must be little-endian");
    onnx::ModelProto m;
    m.set_ir_version(8);
    m.set_producer_name("sigil");
    m.set_producer_version("1");
    m.set_domain("network.sigil");
    m.set_doc_string(model.spec.arch);
    auto* opset = m.add_opset_import();
    opset->set_domain("");
    opset->set_version(kOnnxOpset);
    auto& g = *m.mutable_graph();
    g.set_name("sigil_" + model.spec.arch);
    const ModelSpec& s = model.spec;
    set_type(*g.add_input(), "input", {s.channels, s.rows, s.cols});
    set_type(*g.add_output(), "logits", {s.classes});

    std::string x = "input";
    std::size_t param = 0;
    for (std::size_t i = 0; i < s.layers.size(); ++i) {
        const Layer& l = s.layers[i];
        const std::string id = std::to_string(i);
        const bool last = i + 1 == s.layers.size();
        const std::string y = last ? "logits" : "t" + id;
        onnx::NodeProto* node = nullptr;
        switch (l.kind) {
            case Layer::Kind::conv:
            case Layer::Kind::linear: {
                if (param + 2 > model.params.size()) throw std::invalid_argument("model has too few parameters");
                const FloatTensor& w = model.params[param++];
                const FloatTensor& b = model.params[param++];
                add_initializer(g, w);
                add_initializer(g, b);
                const bool conv = l.kind == Layer::Kind::conv;
                node = &add_node(g, conv ? "Conv" : "Gemm", (conv ? "conv" : "gemm") + id);
                node->add_input(x);
                node->add_input(w.name);
                node->add_input(b.name);
                if (conv) {
                    const auto k = static_cast<std::int64_t>(l.kernel), p = static_cast<std::int64_t>(l.pad);
                    add_ints(*node, "kernel_shape", {k, k});
                    add_ints(*node, "pads", {p, p, p, p});
                    add_ints(*node, "strides", {1, 1});
                } else {
                    add_int(*node, "transB", 1);
                }
                break;
            }
            case Layer::Kind::relu:
                node = &add_node(g, "Relu", "relu" + id);
                node->add_input(x);
                break;
            case Layer::Kind::maxpool: {
                const auto k = static_cast<std::int64_t>(l.kernel);
                node = &add_node(g, "MaxPool", "maxpool" + id);
                node->add_input(x);
                add_ints(*node, "kernel_shape", {k, k});
                add_ints(*node, "strides", {k, k});
                break;
            }
            case Layer::Kind::flatten:
                node = &add_node(g, "Flatten", "flatten" + id);
                node->add_input(x);
                add_int(*node, "axis", 1);
                break;
        }
        node->add_output(y);
        x = y;
    }
    if (param != model.params.size()) throw std::invalid_argument("model has parameters its layers do not use");
    std::string out;
    if (!m.SerializeToString(&out)) throw std::runtime_error("cannot serialize the ONNX model");
    return out;
}

void write_onnx(const FloatModel& model, const std::filesystem::path& path) {
    const std::string bytes = onnx_bytes(model);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace sigil::train
