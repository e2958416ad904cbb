#include "runtime/quant/error.hpp"

namespace sigil::runtime {

std::string_view to_string(QuantErrc e) {
    switch (e) {
        case QuantErrc::unsupported_op: return "unsupported_op";
        case QuantErrc::unsupported_attribute: return "unsupported_attribute";
        case QuantErrc::weight_not_constant: return "weight_not_constant";
        case QuantErrc::unsupported_shape: return "unsupported_shape";
        case QuantErrc::calibration_empty: return "calibration_empty";
        case QuantErrc::calibration_mismatch: return "calibration_mismatch";
        case QuantErrc::float_failed: return "float_failed";
        case QuantErrc::scale_out_of_range: return "scale_out_of_range";
        case QuantErrc::program_invalid: return "program_invalid";
    }
    return "unknown";
}

std::string QuantError::message() const {
    std::string m(to_string(code));
    if (!detail.empty()) m += ": " + detail;
    return m;
}

}  // namespace sigil::runtime
