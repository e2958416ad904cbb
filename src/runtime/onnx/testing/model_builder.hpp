#pragma once
/// Builds small ONNX ModelProtos in tests (header-only; used only by *_test.cpp).

#include <onnx/onnx_pb.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "core/bytes.hpp"

namespace sigil::runtime::testing {

class ModelBuilder {
public:
    explicit ModelBuilder(std::int64_t opset = 17) {
        m_.set_ir_version(8);
        auto* o = m_.add_opset_import();
        o->set_domain("");
        o->set_version(opset);
    }
    /// A float32 (or other elem_type) graph input/output with fixed dims.
    ModelBuilder& input(const std::string& name, std::vector<std::int64_t> dims, int elem = ::onnx::TensorProto::FLOAT) {
        value(m_.mutable_graph()->add_input(), name, dims, elem);
        return *this;
    }
    ModelBuilder& output(const std::string& name, std::vector<std::int64_t> dims, int elem = ::onnx::TensorProto::FLOAT) {
        value(m_.mutable_graph()->add_output(), name, dims, elem);
        return *this;
    }
    ModelBuilder& init(const std::string& name, std::vector<std::int64_t> dims, const std::vector<float>& v) {
        auto* t = m_.mutable_graph()->add_initializer();
        t->set_name(name);
        t->set_data_type(::onnx::TensorProto::FLOAT);
        for (auto d : dims) t->add_dims(d);
        for (auto x : v) t->add_float_data(x);
        return *this;
    }
    ModelBuilder& init_i64(const std::string& name, std::vector<std::int64_t> dims, const std::vector<std::int64_t>& v) {
        auto* t = m_.mutable_graph()->add_initializer();
        t->set_name(name);
        t->set_data_type(::onnx::TensorProto::INT64);
        for (auto d : dims) t->add_dims(d);
        for (auto x : v) t->add_int64_data(x);
        return *this;
    }
    /// Adds a node; returns it for attributes.
    ::onnx::NodeProto& node(const std::string& op, std::vector<std::string> in, std::vector<std::string> out) {
        auto* n = m_.mutable_graph()->add_node();
        n->set_op_type(op);
        for (auto& s : in) n->add_input(s);
        for (auto& s : out) n->add_output(s);
        return *n;
    }
    ::onnx::ModelProto& proto() { return m_; }
    Bytes bytes() const {
        std::string s = m_.SerializeAsString();
        return Bytes(s.begin(), s.end());
    }

    static void attr_int(::onnx::NodeProto& n, const std::string& name, std::int64_t v) {
        auto* a = n.add_attribute();
        a->set_name(name);
        a->set_type(::onnx::AttributeProto::INT);
        a->set_i(v);
    }
    static void attr_float(::onnx::NodeProto& n, const std::string& name, float v) {
        auto* a = n.add_attribute();
        a->set_name(name);
        a->set_type(::onnx::AttributeProto::FLOAT);
        a->set_f(v);
    }
    static void attr_ints(::onnx::NodeProto& n, const std::string& name, std::initializer_list<std::int64_t> v) {
        auto* a = n.add_attribute();
        a->set_name(name);
        a->set_type(::onnx::AttributeProto::INTS);
        for (auto x : v) a->add_ints(x);
    }
    static void attr_string(::onnx::NodeProto& n, const std::string& name, const std::string& v) {
        auto* a = n.add_attribute();
        a->set_name(name);
        a->set_type(::onnx::AttributeProto::STRING);
        a->set_s(v);
    }

private:
    static void value(::onnx::ValueInfoProto* v, const std::string& name, const std::vector<std::int64_t>& dims, int elem) {
        v->set_name(name);
        auto* tt = v->mutable_type()->mutable_tensor_type();
        tt->set_elem_type(elem);
        auto* sh = tt->mutable_shape();
        for (auto d : dims) sh->add_dim()->set_dim_value(d);
    }
    ::onnx::ModelProto m_;
};

}  // namespace sigil::runtime::testing
