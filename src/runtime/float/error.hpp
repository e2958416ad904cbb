#pragma once
/// Named reasons for the float reference executor to refuse a graph or an input.

#include <cstdint>
#include <string>
#include <string_view>

namespace sigil::runtime {

/// Every way the float executor can refuse (STYLE.md §6). Names are stable.
enum class FloatErrc : std::uint8_t {
    unsupported_op,         ///< an op type outside the supported set (detail names it)
    unsupported_dtype,      ///< an op given an element type it does not implement
    unsupported_attribute,  ///< an attribute value outside what an op implements
    bad_attribute,          ///< an attribute malformed for its op (wrong length, out of range)
    missing_input,          ///< a required node input is absent
    undefined_value,        ///< a node reads a value no earlier node, input or initializer defines
    shape_mismatch,         ///< operand shapes incompatible for the op
    index_out_of_range,     ///< a Gather index or axis outside the tensor
    division_by_zero,       ///< integer division by zero
    bad_input,              ///< a graph input of the wrong count, dtype or shape
};

std::string_view to_string(FloatErrc e);

/// An error code with a human-readable detail (op, value or attribute name).
struct FloatError {
    FloatErrc code = FloatErrc::unsupported_op;
    std::string detail;

    /// "<code>: <detail>"
    std::string message() const;
};

}  // namespace sigil::runtime
