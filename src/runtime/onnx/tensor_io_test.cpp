#include "runtime/onnx/tensor_io.hpp"

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include "core/bytes.hpp"

namespace sigil::runtime {
namespace {

Bytes hex(std::string_view h) { return from_hex(std::string("0x") + std::string(h)).value(); }

// Golden: /usr/bin/python3 -c "import numpy as np, io; b=io.BytesIO();
//   np.save(b, np.array([[1.5,-2,3],[4,5,6.25]], dtype='<f4')); print(b.getvalue().hex())"  (numpy 1.24.2)
constexpr std::string_view kNpyF32 =
    "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73652c20277368"
    "617065273a2028322c2033292c207d202020202020202020202020202020202020202020202020202020202020202020202020202020"
    "202020202020202020202020202020202020200a0000c03f000000c000004040000080400000a0400000c840";
// Same command with np.array([7,-8], dtype='<i8').
constexpr std::string_view kNpyI64 =
    "934e554d5059010076007b276465736372273a20273c6938272c2027666f727472616e5f6f72646572273a2046616c73652c20277368"
    "617065273a2028322c292c207d2020202020202020202020202020202020202020202020202020202020202020202020202020202020"
    "202020202020202020202020202020202020200a0700000000000000f8ffffffffffffff";

TEST(npy, reads_numpy_output) {
    auto t = parse_npy(hex(kNpyF32));
    ASSERT_TRUE(t) << t.error().message();
    EXPECT_EQ(t->dtype, DType::F32);
    EXPECT_EQ(t->shape, (Shape{2, 3}));
    EXPECT_EQ(t->f(), (std::vector<float>{1.5f, -2, 3, 4, 5, 6.25f}));
    auto u = parse_npy(hex(kNpyI64));
    ASSERT_TRUE(u);
    EXPECT_EQ(u->vec<std::int64_t>(), (std::vector<std::int64_t>{7, -8}));
}

TEST(npy, writes_numpy_bytes_exactly) {
    EXPECT_EQ(to_hex(serialize_npy(Tensor::f32({2, 3}, {1.5f, -2, 3, 4, 5, 6.25f}))), "0x" + std::string(kNpyF32));
    EXPECT_EQ(to_hex(serialize_npy(Tensor::i64({2}, {7, -8}))), "0x" + std::string(kNpyI64));
}

TEST(npy, roundtrips_every_dtype_and_scalars) {
    for (DType d : {DType::F32, DType::F64, DType::I8, DType::U8, DType::I16, DType::U16, DType::I32, DType::U32, DType::I64,
                    DType::U64}) {
        Tensor t = Tensor::zeros(d, {3, 1, 2});
        visit_data(t, [](auto& v) {
            for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::decay_t<decltype(v[0])>>(i * 7 + 1);
        });
        auto back = parse_npy(serialize_npy(t));
        ASSERT_TRUE(back) << to_string(d);
        EXPECT_EQ(back->dtype, d);
        EXPECT_EQ(back->shape, t.shape);
        EXPECT_EQ(back->data, t.data);
    }
    auto s = parse_npy(serialize_npy(Tensor::f32({}, {2.5f})));
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->shape.empty());
    EXPECT_EQ(s->f()[0], 2.5f);
}

TEST(npy, refuses_malformed_files) {
    Bytes good = hex(kNpyF32);
    Bytes bad_magic = good;
    bad_magic[1] = 'X';
    EXPECT_EQ(parse_npy(bad_magic).error().code, OnnxErrc::npy_bad_magic);
    Bytes truncated(good.begin(), good.end() - 1);
    EXPECT_EQ(parse_npy(truncated).error().code, OnnxErrc::data_size_mismatch);
    Bytes header_cut(good.begin(), good.begin() + 40);
    EXPECT_EQ(parse_npy(header_cut).error().code, OnnxErrc::npy_bad_header);
    auto patch = [&](std::string_view from, std::string_view to) {
        std::string s(good.begin(), good.end());
        s.replace(s.find(from), from.size(), to);
        return Bytes(s.begin(), s.end());
    };
    EXPECT_EQ(parse_npy(patch("<f4", ">f4")).error().code, OnnxErrc::npy_unsupported_dtype);
    EXPECT_EQ(parse_npy(patch("<f4", "<f2")).error().code, OnnxErrc::npy_unsupported_dtype);
    EXPECT_EQ(parse_npy(patch("False", "True ")).error().code, OnnxErrc::npy_fortran_order);
    EXPECT_EQ(parse_npy(patch("(2, 3)", "(2, x)")).error().code, OnnxErrc::npy_bad_header);
    EXPECT_EQ(parse_npy(patch("(2, 3)", "(99999, 99999)")).error().code, OnnxErrc::bad_shape);
    EXPECT_EQ(parse_npy(patch("(2, 3)", "(99999999999999)")).error().code, OnnxErrc::npy_bad_header);
}

// Golden: ONNX 1.12's own test data (libonnx-testdata), written by onnx.numpy_helper.from_array.
TEST(tensor_pb, reads_onnx_test_data) {
    auto t = read_tensor_file("/usr/share/libonnx-testdata/data/node/test_gather_0/test_data_set_0/input_1.pb");
    ASSERT_TRUE(t) << t.error().message();
    EXPECT_EQ(t->tensor.dtype, DType::I64);
    EXPECT_EQ(t->tensor.vec<std::int64_t>(), (std::vector<std::int64_t>{0, 1, 3}));
}

TEST(tensor_pb, typed_fields_and_raw_data_agree) {
    ::onnx::TensorProto p;
    p.set_name("x");
    p.set_data_type(::onnx::TensorProto::UINT8);
    p.add_dims(3);
    for (int v : {1, 200, 255}) p.add_int32_data(v);
    auto typed = parse_tensor_pb(as_bytes(p.SerializeAsString()));
    ASSERT_TRUE(typed);
    EXPECT_EQ(typed->name, "x");
    EXPECT_EQ(typed->tensor.vec<std::uint8_t>(), (std::vector<std::uint8_t>{1, 200, 255}));
    auto raw = parse_tensor_pb(serialize_tensor_pb(typed->tensor, "x"));
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->tensor.data, typed->tensor.data);

    ::onnx::TensorProto d;
    d.set_data_type(::onnx::TensorProto::DOUBLE);
    d.add_dims(2);
    d.add_double_data(0.5);
    d.add_double_data(-1);
    auto dt = parse_tensor_pb(as_bytes(d.SerializeAsString()));
    ASSERT_TRUE(dt);
    EXPECT_EQ(dt->tensor.vec<double>(), (std::vector<double>{0.5, -1}));
}

TEST(tensor_pb, refuses_bad_tensors) {
    ::onnx::TensorProto p;
    p.set_data_type(::onnx::TensorProto::FLOAT);
    p.add_dims(2);
    p.add_float_data(1);
    EXPECT_EQ(parse_tensor_pb(as_bytes(p.SerializeAsString())).error().code, OnnxErrc::data_size_mismatch);
    p.set_raw_data(std::string(7, '\0'));
    EXPECT_EQ(parse_tensor_pb(as_bytes(p.SerializeAsString())).error().code, OnnxErrc::data_size_mismatch);
    p.set_dims(0, -1);
    EXPECT_EQ(parse_tensor_pb(as_bytes(p.SerializeAsString())).error().code, OnnxErrc::bad_shape);
    p.set_dims(0, 2);
    p.set_data_type(::onnx::TensorProto::FLOAT16);
    EXPECT_EQ(parse_tensor_pb(as_bytes(p.SerializeAsString())).error().code, OnnxErrc::unsupported_dtype);
    p.set_data_type(::onnx::TensorProto::FLOAT);
    p.set_data_location(::onnx::TensorProto::EXTERNAL);
    auto* e = p.add_external_data();
    e->set_key("location");
    e->set_value("weights.bin");
    EXPECT_EQ(parse_tensor_pb(as_bytes(p.SerializeAsString())).error().code, OnnxErrc::external_data);
    const Bytes garbage{0xff, 0xff, 0xff};
    EXPECT_EQ(parse_tensor_pb(garbage).error().code, OnnxErrc::malformed_protobuf);
    EXPECT_EQ(read_tensor_file("/nonexistent/x.pb").error().code, OnnxErrc::io_error);
}

TEST(tensor_pb, huge_dims_are_refused_before_allocation) {
    ::onnx::TensorProto p;
    p.set_data_type(::onnx::TensorProto::FLOAT);
    p.add_dims(1 << 20);
    p.add_dims(1 << 20);
    EXPECT_EQ(parse_tensor_pb(as_bytes(p.SerializeAsString())).error().code, OnnxErrc::bad_shape);
}

}  // namespace
}  // namespace sigil::runtime
