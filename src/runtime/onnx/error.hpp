#pragma once
/// Named reasons for refusing an ONNX model, a TensorProto `.pb` file or a `.npy` file.

#include <cstdint>
#include <string>
#include <string_view>

namespace sigil::runtime {

/// Every way an ONNX/tensor file can be refused (STYLE.md §6). Names are stable.
enum class OnnxErrc : std::uint8_t {
    io_error,                ///< the file cannot be opened, read or written
    malformed_protobuf,      ///< the bytes do not parse as the expected protobuf message
    external_data,           ///< a tensor keeps its data in an external file (refused)
    unsupported_dtype,       ///< an element type the float path does not carry
    data_size_mismatch,      ///< element count of the payload differs from the shape's
    bad_shape,               ///< negative dimension, symbolic input dim, or element count overflow
    no_graph,                ///< ModelProto without a graph
    opset_missing,           ///< no opset_import at all
    opset_too_old,           ///< opset below 13 where an op's definition differs from opset 13's
    opset_too_new,           ///< opset above the newest one whose definitions we implement
    unsupported_domain,      ///< a node or opset from a domain other than the default ONNX one
    unsupported_attribute,   ///< an attribute of a kind we do not carry (graphs, sparse tensors, types)
    unsupported_value_type,  ///< a graph input/output that is not a tensor (sequence, map, optional)
    duplicate_name,          ///< two initializers/outputs define the same value name
    npy_bad_magic,           ///< not a .npy file
    npy_bad_header,          ///< the .npy header dictionary is malformed
    npy_unsupported_dtype,   ///< a .npy descr we do not read (big-endian, bool, float16, objects)
    npy_fortran_order,       ///< column-major .npy arrays are refused
};

std::string_view to_string(OnnxErrc e);

/// An error code with a human-readable detail (file, tensor or op name).
struct OnnxError {
    OnnxErrc code = OnnxErrc::io_error;
    std::string detail;

    /// "<code>: <detail>"
    std::string message() const;
};

}  // namespace sigil::runtime
