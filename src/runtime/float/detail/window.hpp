#pragma once
/// Sliding-window geometry shared by Conv and the pools (auto_pad, pads, strides, dilations,
/// ceil_mode as ONNX defines them for Conv-11, MaxPool-12, AveragePool-11/19). Internal.

#include "runtime/float/detail/op.hpp"

namespace sigil::runtime::detail {

/// Marks in a window table: the position is inside the pads, or beyond them (ceil_mode).
inline constexpr std::int64_t kPadPos = -1;
inline constexpr std::int64_t kOutsidePos = -2;

struct Window {
    Shape in;       ///< spatial input dims
    Shape kernel;   ///< spatial kernel dims
    Shape out;      ///< spatial output dims
    std::vector<std::int64_t> strides, dilations, pad_begin, pad_end;
    /// For each output position (row-major) and kernel position (row-major): the flat spatial
    /// input index, or kPadPos / kOutsidePos.
    std::vector<std::int64_t> table;
    std::int64_t out_size() const { return shape_numel(out); }
    std::int64_t kernel_size() const { return shape_numel(kernel); }
};

/// Builds the geometry for spatial input dims `in` and `kernel` from the node's auto_pad,
/// pads, strides and dilations attributes. `ceil_mode` rounds the output size up.
Result<Window, FloatError> make_window(const OpContext& c, const Shape& in, const Shape& kernel, bool ceil_mode);

}  // namespace sigil::runtime::detail
