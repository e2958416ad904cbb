#pragma once
/// The op record: everything a verifier needs to recompute one element of op i, committed as the
/// op's leaf in modelRoot's op table (docs/commitments.md §op record).
///
///   encode_op(op) | step_count u32 | input_count u32 | weight_count u32
///   | for each op input: encode_tensor_desc | locator u32 | encode_tensor_desc(output)
///
/// The locator says where the operand lives: a program input's index in Program::inputs, a
/// constant's ordinal among the constants, or the 1-based step whose output it is (the tensor kind
/// in the descriptor tells which).

#include <vector>

#include "core/bytes.hpp"
#include "core/ir/errors.hpp"
#include "core/ir/program.hpp"
#include "core/result.hpp"

namespace sigil::ir {

/// A decoded op record. Descriptors carry no data.
struct OpRecord {
    Op op;
    std::uint32_t step_count = 0;
    std::uint32_t input_count = 0;
    std::uint32_t weight_count = 0;
    std::vector<Tensor> operands;
    std::vector<std::uint32_t> locators;
    Tensor output;
    friend bool operator==(const OpRecord&, const OpRecord&) = default;
};

/// Record bytes of op `i` of a validated program.
Bytes encode_op_record(const Program& p, std::size_t i);
/// Parses a record and checks the op's rule preconditions against its descriptors (as validate()
/// would). Refuses trailing bytes.
Result<OpRecord, ProgramError> decode_op_record(BytesView bytes);

}  // namespace sigil::ir
