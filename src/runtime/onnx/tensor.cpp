#include "runtime/onnx/tensor.hpp"

#include <utility>

namespace sigil::runtime {

std::string_view to_string(DType t) {
    switch (t) {
        case DType::F32: return "float32";
        case DType::F64: return "float64";
        case DType::I8: return "int8";
        case DType::U8: return "uint8";
        case DType::I16: return "int16";
        case DType::U16: return "uint16";
        case DType::I32: return "int32";
        case DType::U32: return "uint32";
        case DType::I64: return "int64";
        case DType::U64: return "uint64";
        case DType::Bool:
            return "bool";
    }
    return "unknown";
}

std::size_t dtype_size(DType t) {
    switch (t) {
        case DType::I8:
        case DType::U8:
        case DType::Bool:
            return 1;
        case DType::I16:
        case DType::U16: return 2;
        case DType::F32:
        case DType::I32:
        case DType::U32: return 4;
        case DType::F64:
        case DType::I64:
        case DType::U64: return 8;
    }
    return 0;
}

std::optional<DType> dtype_from_onnx_code(std::int64_t code) {
    switch (code) {
        case 1: return DType::F32;
        case 2: return DType::U8;
        case 3: return DType::I8;
        case 4: return DType::U16;
        case 5: return DType::I16;
        case 6: return DType::I32;
        case 7: return DType::I64;
        case 9:
            return DType::Bool;
        case 11: return DType::F64;
        case 12: return DType::U32;
        case 13: return DType::U64;
        default: return std::nullopt;
    }
}

bool is_float(DType t) { return t == DType::F32 || t == DType::F64; }

std::int64_t shape_numel(std::span<const std::int64_t> shape) {
    std::int64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}

std::string shape_str(std::span<const std::int64_t> shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) s += ',';
        s += std::to_string(shape[i]);
    }
    return s + "]";
}

namespace {
template <std::size_t I = 0>
TensorData make_data(DType dtype, std::size_t n) {
    if constexpr (I + 1 < std::variant_size_v<TensorData>) {
        if (static_cast<std::size_t>(dtype) != I) return make_data<I + 1>(dtype, n);
    }
    using V = std::variant_alternative_t<I, TensorData>;
    return TensorData(std::in_place_index<I>, V(n));
}
}  // namespace

Tensor Tensor::zeros(DType dtype, Shape shape) {
    const auto n = static_cast<std::size_t>(shape_numel(shape));
    Tensor t;
    t.dtype = dtype;
    t.shape = std::move(shape);
    t.data = make_data(dtype, n);
    return t;
}

Tensor Tensor::f32(Shape shape, std::vector<float> values) {
    Tensor t;
    t.dtype = DType::F32;
    t.shape = std::move(shape);
    t.data = std::move(values);
    return t;
}

Tensor Tensor::i64(Shape shape, std::vector<std::int64_t> values) {
    Tensor t;
    t.dtype = DType::I64;
    t.shape = std::move(shape);
    t.data = std::move(values);
    return t;
}

std::int64_t element_as_i64(const Tensor& t, std::size_t i) {
    return visit_data(t, [i](const auto& v) { return static_cast<std::int64_t>(v[i]); });
}

double element_as_f64(const Tensor& t, std::size_t i) {
    return visit_data(t, [i](const auto& v) { return static_cast<double>(v[i]); });
}

}  // namespace sigil::runtime
