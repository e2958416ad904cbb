#include "runtime/onnx/detail/proto.hpp"

#include <bit>
#include <cstring>

namespace sigil::runtime::detail {

static_assert(std::endian::native == std::endian::little, "raw_data is little-endian; big-endian hosts unsupported");

Result<DType, OnnxError> dtype_from_onnx(int onnx_type) {
    using P = ::onnx::TensorProto;
    switch (onnx_type) {
        case P::FLOAT: return DType::F32;
        case P::DOUBLE: return DType::F64;
        case P::INT8: return DType::I8;
        case P::UINT8: return DType::U8;
        case P::INT16: return DType::I16;
        case P::UINT16: return DType::U16;
        case P::INT32: return DType::I32;
        case P::UINT32: return DType::U32;
        case P::INT64: return DType::I64;
        case P::UINT64: return DType::U64;
        case P::BOOL:
            return DType::Bool;
        default: break;
    }
    std::string name = P::DataType_IsValid(onnx_type) ? P::DataType_Name(onnx_type) : std::to_string(onnx_type);
    return fail(OnnxError{OnnxErrc::unsupported_dtype, name});
}

int dtype_to_onnx(DType t) {
    using P = ::onnx::TensorProto;
    switch (t) {
        case DType::F32: return P::FLOAT;
        case DType::F64: return P::DOUBLE;
        case DType::I8: return P::INT8;
        case DType::U8: return P::UINT8;
        case DType::I16: return P::INT16;
        case DType::U16: return P::UINT16;
        case DType::I32: return P::INT32;
        case DType::U32: return P::UINT32;
        case DType::I64: return P::INT64;
        case DType::U64: return P::UINT64;
        case DType::Bool:
            return P::BOOL;
    }
    return P::UNDEFINED;
}

Result<Shape, OnnxError> checked_shape(const google::protobuf::RepeatedField<std::int64_t>& dims,
                                       const std::string& what) {
    Shape shape;
    std::int64_t n = 1;
    for (auto d : dims) {
        if (d < 0) return fail(OnnxError{OnnxErrc::bad_shape, what + ": negative dimension"});
        if (d > 0 && n > kMaxElements / d) return fail(OnnxError{OnnxErrc::bad_shape, what + ": too many elements"});
        n *= d;
        shape.push_back(d);
    }
    return shape;
}

namespace {

template <typename Src>
Result<void, OnnxError> copy_typed(const Src& src, Tensor& t, const std::string& what) {
    const auto n = static_cast<std::size_t>(t.numel());
    if (static_cast<std::size_t>(src.size()) != n)
        return fail(OnnxError{OnnxErrc::data_size_mismatch, what + ": " + std::to_string(src.size()) +
                                                                " values for shape " + shape_str(t.shape)});
    visit_data(t, [&](auto& v) {
        using T = typename std::decay_t<decltype(v)>::value_type;
        for (std::size_t i = 0; i < n; ++i) {
            if constexpr (std::is_same_v<T, char>) {
                v[i] = src[static_cast<int>(i)] != 0 ? 1 : 0;  // bool
            } else {
                v[i] = static_cast<T>(src[static_cast<int>(i)]);
            }
        }
    });
    return {};
}

}  // namespace

Result<Tensor, OnnxError> tensor_from_proto(const ::onnx::TensorProto& p) {
    using P = ::onnx::TensorProto;
    const std::string what = p.name().empty() ? std::string("tensor") : "tensor '" + p.name() + "'";
    if (p.data_location() == P::EXTERNAL || p.external_data_size() > 0)
        return fail(OnnxError{OnnxErrc::external_data, what});
    if (p.has_segment()) return fail(OnnxError{OnnxErrc::unsupported_dtype, what + ": segmented tensor"});
    const DType dt = SIGIL_TRY(dtype_from_onnx(p.data_type()));
    Shape shape = SIGIL_TRY(checked_shape(p.dims(), what));
    Tensor t = Tensor::zeros(dt, std::move(shape));
    const auto n = static_cast<std::size_t>(t.numel());
    if (p.has_raw_data()) {
        const std::string& raw = p.raw_data();
        if (raw.size() != n * dtype_size(dt))
            return fail(OnnxError{OnnxErrc::data_size_mismatch, what + ": raw_data of " + std::to_string(raw.size()) +
                                                                    " bytes for shape " + shape_str(t.shape)});
        visit_data(t, [&](auto& v) {
            if (n) std::memcpy(v.data(), raw.data(), raw.size());
            if constexpr (std::is_same_v<typename std::decay_t<decltype(v)>::value_type, char>) {
                for (auto& b : v) b = b != 0 ? 1 : 0;  // bool: any non-zero byte is true
            }
        });
        return t;
    }
    switch (dt) {
        case DType::F32: SIGIL_TRY_VOID(copy_typed(p.float_data(), t, what)); break;
        case DType::F64: SIGIL_TRY_VOID(copy_typed(p.double_data(), t, what)); break;
        case DType::I64: SIGIL_TRY_VOID(copy_typed(p.int64_data(), t, what)); break;
        case DType::U32:
        case DType::U64: SIGIL_TRY_VOID(copy_typed(p.uint64_data(), t, what)); break;
        default: SIGIL_TRY_VOID(copy_typed(p.int32_data(), t, what)); break;
    }
    return t;
}

void tensor_to_proto(const Tensor& t, const std::string& name, ::onnx::TensorProto& out) {
    out.Clear();
    out.set_name(name);
    out.set_data_type(dtype_to_onnx(t.dtype));
    for (auto d : t.shape) out.add_dims(d);
    visit_data(t, [&](const auto& v) {
        out.set_raw_data(std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(v[0])));
    });
}

}  // namespace sigil::runtime::detail
