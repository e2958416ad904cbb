#include "runtime/onnx/error.hpp"

namespace sigil::runtime {

std::string_view to_string(OnnxErrc e) {
    switch (e) {
        case OnnxErrc::io_error: return "io_error";
        case OnnxErrc::malformed_protobuf: return "malformed_protobuf";
        case OnnxErrc::external_data: return "external_data";
        case OnnxErrc::unsupported_dtype: return "unsupported_dtype";
        case OnnxErrc::data_size_mismatch: return "data_size_mismatch";
        case OnnxErrc::bad_shape: return "bad_shape";
        case OnnxErrc::no_graph: return "no_graph";
        case OnnxErrc::opset_missing: return "opset_missing";
        case OnnxErrc::opset_too_old: return "opset_too_old";
        case OnnxErrc::opset_too_new: return "opset_too_new";
        case OnnxErrc::unsupported_domain: return "unsupported_domain";
        case OnnxErrc::unsupported_attribute: return "unsupported_attribute";
        case OnnxErrc::unsupported_value_type: return "unsupported_value_type";
        case OnnxErrc::duplicate_name: return "duplicate_name";
        case OnnxErrc::npy_bad_magic: return "npy_bad_magic";
        case OnnxErrc::npy_bad_header: return "npy_bad_header";
        case OnnxErrc::npy_unsupported_dtype: return "npy_unsupported_dtype";
        case OnnxErrc::npy_fortran_order: return "npy_fortran_order";
    }
    return "unknown";
}

std::string OnnxError::message() const {
    std::string m(to_string(code));
    if (!detail.empty()) m += ": " + detail;
    return m;
}

}  // namespace sigil::runtime
