#pragma once
/// The op record: everything a verifier needs to recompute one element of op i, committed as the
/// op's leaf in modelRoot's op table (docs/commitments.md §op record).
///
///   encode_op(op) | step_count u32 | input_count u32 | weight_count u32
///   | for each op input: encode_tensor_desc | locator u32 | encode_tensor_desc(output)
///
/// with one difference from the .sigil encodings: a scale list (the op's requant list, a
/// descriptor's scales) of more than kInlineScales entries is written as its count and
/// scale_list_root (core/ir/scale_root.hpp). A rooted requant list is allowed only on a
/// fully_connected or conv2d op, one entry per output channel; a one-step proof opens the entry
/// of its element's channel (trace::TensorSource::requant).
///
/// The locator says where the operand lives: a program input's index in Program::inputs, a
/// constant's ordinal among the constants, or the 1-based step whose output it is (the tensor kind
/// in the descriptor tells which).

#include <optional>
#include <vector>

#include "core/bytes.hpp"
#include "core/ir/errors.hpp"
#include "core/ir/program.hpp"
#include "core/ir/scale_root.hpp"
#include "core/result.hpp"

namespace sigil::ir {

/// A decoded op record. Descriptors carry no data. A rooted list is left empty in the op or
/// descriptor and given by its ScaleRoot beside it.
struct OpRecord {
    Op op;
    std::uint32_t step_count = 0;
    std::uint32_t input_count = 0;
    std::uint32_t weight_count = 0;
    std::vector<Tensor> operands;
    std::vector<std::uint32_t> locators;
    Tensor output;
    std::optional<ScaleRoot> requant_root;
    std::vector<std::optional<ScaleRoot>> operand_scale_roots;
    std::optional<ScaleRoot> output_scale_root;
    friend bool operator==(const OpRecord&, const OpRecord&) = default;
};

/// The output channel whose requant entry element `element` of a fully_connected ([M, N]: n) or
/// conv2d ([N, OC, OH, OW]: oc) output uses.
std::uint64_t requant_channel(OpKind kind, const std::vector<std::uint32_t>& out_shape, std::uint64_t element);

/// Record bytes of op `i` of a validated program.
Bytes encode_op_record(const Program& p, std::size_t i);
/// Parses a record and checks the op's rule preconditions against its descriptors (as validate()
/// would). Refuses trailing bytes.
Result<OpRecord, ProgramError> decode_op_record(BytesView bytes);

}  // namespace sigil::ir
