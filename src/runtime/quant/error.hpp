#pragma once
/// Named reasons for post-training quantization to refuse a model or its calibration data.

#include <cstdint>
#include <string>
#include <string_view>

namespace sigil::runtime {

/// Every way the quantizer can refuse (STYLE.md §6). Names are stable.
enum class QuantErrc : std::uint8_t {
    unsupported_op,         ///< an ONNX op with no integer lowering (detail names it)
    unsupported_attribute,  ///< an attribute value the integer op cannot express (ceil_mode, ...)
    weight_not_constant,    ///< a weight/bias/bound that must be an initializer is computed
    unsupported_shape,      ///< a rank or layout the integer ops do not take
    calibration_empty,      ///< no calibration samples
    calibration_mismatch,   ///< a calibration sample does not fit the model input
    float_failed,           ///< the float executor refused the model or a sample
    scale_out_of_range,     ///< a real scale or requant ratio outside what a QScale represents
    program_invalid,        ///< the built program failed validation (detail names the check)
};

std::string_view to_string(QuantErrc e);

struct QuantError {
    QuantErrc code = QuantErrc::unsupported_op;
    std::string detail;
    /// "<code>: <detail>"
    std::string message() const;
};

}  // namespace sigil::runtime
