#include "runtime/float/error.hpp"

namespace sigil::runtime {

std::string_view to_string(FloatErrc e) {
    switch (e) {
        case FloatErrc::unsupported_op: return "unsupported_op";
        case FloatErrc::unsupported_dtype: return "unsupported_dtype";
        case FloatErrc::unsupported_attribute: return "unsupported_attribute";
        case FloatErrc::bad_attribute: return "bad_attribute";
        case FloatErrc::missing_input: return "missing_input";
        case FloatErrc::undefined_value: return "undefined_value";
        case FloatErrc::shape_mismatch: return "shape_mismatch";
        case FloatErrc::index_out_of_range: return "index_out_of_range";
        case FloatErrc::division_by_zero: return "division_by_zero";
        case FloatErrc::bad_input: return "bad_input";
    }
    return "unknown";
}

std::string FloatError::message() const {
    std::string m(to_string(code));
    if (!detail.empty()) m += ": " + detail;
    return m;
}

}  // namespace sigil::runtime
