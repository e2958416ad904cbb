#include "runtime/onnx/model.hpp"

#include <gtest/gtest.h>

#include "runtime/onnx/opset.hpp"
#include "runtime/onnx/testing/model_builder.hpp"

namespace sigil::runtime {
namespace {

using testing::ModelBuilder;

TEST(onnx_model, decodes_graph_attributes_and_initializers) {
    ModelBuilder b(13);
    b.input("x", {1, 4}).init("w", {4, 2}, {1, 2, 3, 4, 5, 6, 7, 8}).output("y", {1, 2});
    b.input("w", {4, 2});  // an initializer also listed as a graph input (IR >= 4 allows it)
    auto& n = b.node("Gemm", {"x", "w"}, {"y"});
    ModelBuilder::attr_float(n, "alpha", 0.5f);
    ModelBuilder::attr_int(n, "transB", 0);
    ModelBuilder::attr_ints(n, "foo", {1, 2});
    auto m = parse_onnx_model(b.bytes());
    ASSERT_TRUE(m) << m.error().message();
    EXPECT_EQ(m->opset, 13);
    ASSERT_EQ(m->inputs.size(), 1u);  // the initializer is not a runtime input
    EXPECT_EQ(m->inputs[0].shape, (Shape{1, 4}));
    ASSERT_EQ(m->nodes.size(), 1u);
    EXPECT_EQ(m->nodes[0].float_or("alpha", 1), 0.5f);
    EXPECT_EQ(m->nodes[0].ints_or("foo", {}), (std::vector<std::int64_t>{1, 2}));
    EXPECT_EQ(m->initializers.at("w").f()[7], 8.0f);
}

TEST(onnx_model, opset_rule) {
    auto with = [](std::int64_t opset, const std::string& op) {
        ModelBuilder b(opset);
        b.input("x", {1, 1, 3, 3}).output("y", {1, 1, 3, 3});
        b.node(op, {"x"}, {"y"});
        return parse_onnx_model(b.bytes());
    };
    EXPECT_TRUE(with(13, "Softmax"));
    EXPECT_TRUE(with(21, "Softmax"));
    EXPECT_TRUE(with(11, "Conv"));               // Conv-11 is still the definition at opset 13
    EXPECT_TRUE(with(12, "MaxPool"));            // MaxPool-12 likewise
    EXPECT_TRUE(with(1, "GlobalAveragePool"));   // GlobalAveragePool-1 likewise
    EXPECT_EQ(with(11, "Softmax").error().code, OnnxErrc::opset_too_old);  // Softmax-11 coerces to 2-D
    EXPECT_EQ(with(12, "Add").error().code, OnnxErrc::opset_too_old);
    EXPECT_EQ(with(9, "SomethingUnknown").error().code, OnnxErrc::opset_too_old);
    EXPECT_EQ(with(22, "Relu").error().code, OnnxErrc::opset_too_new);
    EXPECT_EQ(op_definition_version("Softmax", 12), 11);
    EXPECT_EQ(op_definition_version("Softmax", 17), 13);
    EXPECT_EQ(op_definition_version("Nope", 17), 0);
}

TEST(onnx_model, refusals_are_named) {
    {
        ModelBuilder b(13);
        b.proto().clear_opset_import();
        EXPECT_EQ(parse_onnx_model(b.bytes()).error().code, OnnxErrc::opset_missing);
        b.proto().add_opset_import()->set_domain("ai.onnx.ml");
        EXPECT_EQ(parse_onnx_model(b.bytes()).error().code, OnnxErrc::unsupported_domain);
    }
    {
        ModelBuilder b(13);
        b.input("x", {2}).output("y", {2});
        b.node("Relu", {"x"}, {"y"}).set_domain("com.microsoft");
        EXPECT_EQ(parse_onnx_model(b.bytes()).error().code, OnnxErrc::unsupported_domain);
    }
    {
        ModelBuilder b(13);
        b.input("x", {2}).output("y", {2});
        auto& n = b.node("If", {"x"}, {"y"});
        auto* a = n.add_attribute();
        a->set_name("then_branch");
        a->set_type(::onnx::AttributeProto::GRAPH);
        EXPECT_EQ(parse_onnx_model(b.bytes()).error().code, OnnxErrc::unsupported_attribute);
    }
    {
        ModelBuilder b(13);
        b.input("x", {2}, ::onnx::TensorProto::STRING).output("y", {2});
        EXPECT_EQ(parse_onnx_model(b.bytes()).error().code, OnnxErrc::unsupported_dtype);
    }
    {
        ModelBuilder b(13);
        b.init("w", {1}, {1}).init("w", {1}, {2});
        EXPECT_EQ(parse_onnx_model(b.bytes()).error().code, OnnxErrc::duplicate_name);
    }
    {
        ModelBuilder b(13);
        b.proto().clear_graph();
        EXPECT_EQ(parse_onnx_model(b.bytes()).error().code, OnnxErrc::no_graph);
    }
    const Bytes garbage{0x0a, 0xff, 0xff, 0xff, 0x0f};
    EXPECT_EQ(parse_onnx_model(garbage).error().code, OnnxErrc::malformed_protobuf);
    EXPECT_EQ(load_onnx_model("/nonexistent.onnx").error().code, OnnxErrc::io_error);
}

TEST(onnx_model, symbolic_dims_are_minus_one) {
    ModelBuilder b(13);
    b.input("x", {1, 4}).output("y", {1, 4});
    b.proto().mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(0)->set_dim_param("N");
    auto m = parse_onnx_model(b.bytes());
    ASSERT_TRUE(m);
    EXPECT_EQ(m->inputs[0].shape, (Shape{-1, 4}));
}

}  // namespace
}  // namespace sigil::runtime
