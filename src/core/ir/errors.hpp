#pragma once
/// Every way a program (in memory or as .sigil bytes) can be refused (STYLE.md §6).

#include <string_view>

namespace sigil::ir {

/// Why a program is invalid. The strings of to_string() are stable.
enum class ProgramError {
    truncated,                 ///< the bytes end inside a field
    bad_magic,                 ///< not "SIGL"
    unsupported_version,       ///< a format version this build does not read
    trailing_bytes,            ///< bytes after the last field
    too_many_tensors,          ///< more than kMaxTensors
    too_many_ops,              ///< more than kMaxOps (or zero ops)
    bad_dtype,                 ///< unknown element type
    bad_tensor_kind,           ///< unknown tensor kind
    bad_rank,                  ///< rank 0 or above kMaxRank
    zero_dim,                  ///< a dimension of 0
    too_many_elements,         ///< element count above kMaxElements
    bad_zero_point,            ///< zero point outside the dtype's range (int32: must be 0)
    bad_scale,                 ///< multiplier < 0 or shift outside [-31, 31]
    bad_quant_axis,            ///< per-channel scale count or axis does not match the shape
    constant_size_mismatch,    ///< constant data length differs from the shape's byte size
    data_on_non_constant,      ///< an input or activation carries data
    bad_input_list,            ///< inputs is not every input tensor once, in increasing id order
    bad_output_list,           ///< outputs empty, repeated, or naming a constant
    bad_op_kind,               ///< unknown op kind
    bad_arity,                 ///< wrong number of op inputs
    tensor_id_out_of_range,    ///< a tensor id >= tensor count
    not_topological,           ///< an op reads an activation no earlier op produced
    bad_op_output,             ///< an op output is not an activation, or is produced twice
    unproduced_activation,     ///< an activation no op produces
    dtype_mismatch,            ///< an operand or output has the wrong element type
    shape_mismatch,            ///< operand or output shapes do not fit the op
    quant_mismatch,            ///< quantization the op requires to be equal differs
    weight_not_constant,       ///< an op operand that must be a constant is not
    bad_attribute,             ///< an attribute out of its range for the op
    unused_attribute_set,      ///< an attribute the op kind does not use is not at its default
    bad_requant_count,         ///< wrong number of requantization steps for the op
};
std::string_view to_string(ProgramError e) noexcept;

}  // namespace sigil::ir
