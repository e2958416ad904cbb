#pragma once
/// Host tensors of the float reference path: a dtype, a shape and typed row-major storage.
/// Used for ONNX initializers, `.pb`/`.npy` inputs and outputs, and the float executor.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sigil::runtime {

/// Element types the float path carries. Values are ours (not ONNX's enum) and equal the index
/// of the matching `TensorData` alternative; `to_string` names are stable. Bool elements are
/// stored as `char` 0 or 1 (a type of its own, so no arithmetic op mistakes them for integers).
/// float16, bfloat16, string and complex are not carried (refused at load with a named error).
enum class DType : std::uint8_t { F32, F64, I8, U8, I16, U16, I32, U32, I64, U64, Bool };

std::string_view to_string(DType t);

/// Storage of one tensor: the alternative with index `static_cast<size_t>(dtype)`.
using TensorData =
    std::variant<std::vector<float>, std::vector<double>, std::vector<std::int8_t>, std::vector<std::uint8_t>,
                 std::vector<std::int16_t>, std::vector<std::uint16_t>, std::vector<std::int32_t>,
                 std::vector<std::uint32_t>, std::vector<std::int64_t>, std::vector<std::uint64_t>, std::vector<char>>;

using Shape = std::vector<std::int64_t>;

/// Number of elements of a shape (1 for a scalar). Precondition: every dim >= 0 and the product
/// fits in int64 (checked by every loader before a Tensor is built).
std::int64_t shape_numel(std::span<const std::int64_t> shape);

/// "[2,3,4]" for messages.
std::string shape_str(std::span<const std::int64_t> shape);

/// A dense row-major tensor. Invariant: `data` holds the alternative of `dtype` with exactly
/// `shape_numel(shape)` elements.
struct Tensor {
    DType dtype = DType::F32;
    Shape shape;
    TensorData data = std::vector<float>{};

    /// A zero-filled tensor of the given type and shape.
    static Tensor zeros(DType dtype, Shape shape);
    /// A float32 tensor from values (shape product must equal values.size()).
    static Tensor f32(Shape shape, std::vector<float> values);
    /// An int64 tensor from values.
    static Tensor i64(Shape shape, std::vector<std::int64_t> values);

    std::int64_t numel() const { return shape_numel(shape); }
    std::size_t rank() const { return shape.size(); }

    /// Typed element access; the caller must know the dtype (asserted by std::get).
    template <typename T>
    std::vector<T>& vec() { return std::get<std::vector<T>>(data); }
    template <typename T>
    const std::vector<T>& vec() const { return std::get<std::vector<T>>(data); }

    /// The float32 values (dtype must be F32).
    std::vector<float>& f() { return std::get<0>(data); }
    const std::vector<float>& f() const { return std::get<0>(data); }
};

/// Calls `fn(std::vector<T>&)` with the storage of `t`, whatever its dtype.
template <typename Fn>
decltype(auto) visit_data(Tensor& t, Fn&& fn) { return std::visit(std::forward<Fn>(fn), t.data); }
template <typename Fn>
decltype(auto) visit_data(const Tensor& t, Fn&& fn) { return std::visit(std::forward<Fn>(fn), t.data); }

/// Reads element `i` of any numeric tensor as an int64 (used for shape/index tensors).
/// Precondition: i < numel.
std::int64_t element_as_i64(const Tensor& t, std::size_t i);
/// Reads element `i` of any numeric tensor as a double.
double element_as_f64(const Tensor& t, std::size_t i);

/// Bytes per element of a dtype.
std::size_t dtype_size(DType t);

/// Our dtype for an ONNX TensorProto.DataType code (onnx.proto: FLOAT=1, UINT8=2, INT8=3,
/// UINT16=4, INT16=5, INT32=6, INT64=7, BOOL=9, DOUBLE=11, UINT32=12, UINT64=13), or nullopt.
std::optional<DType> dtype_from_onnx_code(std::int64_t code);

/// True when the dtype is F32 or F64.
bool is_float(DType t);

}  // namespace sigil::runtime
