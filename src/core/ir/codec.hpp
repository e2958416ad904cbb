#pragma once
/// The canonical .sigil binary format (docs/commitments.md §format). All integers little-endian.
///
///   magic "SIGL" | version u32 = 1
///   tensor_count u32 | tensor*   tensor = dtype u8, kind u8, rank u8, dims u32*rank,
///                                zero_point i32, axis u32, scale_count u32, (mult i32, shift i32)*
///   op_count u32 | op*           op = op record (encode_op)
///   input_count u32 | ids u32*  | output_count u32 | ids u32*
///   for each constant tensor in id order: its canonical layout (length from its shape)
///
/// load_program validates everything (validate()); save_program(load_program(b)) == b.

#include "core/bytes.hpp"
#include "core/ir/errors.hpp"
#include "core/ir/program.hpp"
#include "core/result.hpp"

namespace sigil::ir {

inline constexpr std::uint32_t kFormatVersion = 1;

/// Canonical bytes of a program. Precondition: validate(p) succeeded.
Bytes save_program(const Program& p);
/// Parses and validates .sigil bytes.
Result<Program, ProgramError> load_program(BytesView bytes);

/// Canonical bytes of one tensor descriptor (everything but the data).
Bytes encode_tensor_desc(const Tensor& t);
/// Canonical bytes of one op: kind u8, input_count u8, inputs u32*, output u32, then attrs:
/// kernel u32*2, stride u32*2, dilation u32*2, pads u32*4, groups u32, axis i32,
/// perm_count u8, perm u32*, requant_count u32, (mult i32, shift i32)*, act_min i32, act_max i32,
/// epsilon i32.
Bytes encode_op(const Op& op);

}  // namespace sigil::ir
