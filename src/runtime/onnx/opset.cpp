#include "runtime/onnx/opset.hpp"

#include <array>
#include <initializer_list>
#include <string>

namespace sigil::runtime {

namespace {

struct OpHistory {
    std::string_view op;
    std::array<std::int64_t, 8> since;  // ascending since_version of each definition, 0-padded
};

// since_version lists up to opset 17 from onnx.defs.get_schema(op, v).since_version of ONNX
// 1.12; later entries from ONNX's docs/Changelog.md (opsets 18-21).
constexpr std::array<OpHistory, 46> kHistory{{
    {"Add", {1, 6, 7, 13, 14}},
    {"Sub", {1, 6, 7, 13, 14}},
    {"Mul", {1, 6, 7, 13, 14}},
    {"Div", {1, 6, 7, 13, 14}},
    {"Relu", {1, 6, 13, 14}},
    {"Clip", {1, 6, 11, 12, 13}},
    {"Erf", {9, 13}},
    {"Sqrt", {1, 6, 13}},
    {"Tanh", {1, 6, 13}},
    {"Exp", {1, 6, 13}},
    {"Neg", {1, 6, 13}},
    {"Reciprocal", {1, 6, 13}},
    {"Sigmoid", {1, 6, 13}},
    {"Gemm", {1, 6, 7, 9, 11, 13}},
    {"MatMul", {1, 9, 13}},
    {"Conv", {1, 11}},
    {"MaxPool", {1, 8, 10, 11, 12}},
    {"AveragePool", {1, 7, 10, 11, 19}},
    {"GlobalAveragePool", {1}},
    {"GlobalMaxPool", {1}},
    {"Reshape", {1, 5, 13, 14, 19, 21}},
    {"Flatten", {1, 9, 11, 13, 21}},
    {"Transpose", {1, 13, 21}},
    {"Concat", {1, 4, 11, 13}},
    {"Gather", {1, 11, 13}},
    {"Softmax", {1, 11, 13}},
    {"LayerNormalization", {17}},
    {"Gelu", {20}},
    {"Constant", {1, 9, 11, 12, 13, 19, 21}},
    {"Identity", {1, 13, 14, 16, 19, 21}},
    {"Shape", {1, 13, 15, 19, 21}},
    {"Cast", {1, 6, 9, 13, 19, 21}},
    {"Size", {1, 13, 19, 21}},
    {"Slice", {1, 10, 11, 13}},
    {"ConstantOfShape", {9, 20, 21}},
    {"ReduceMean", {1, 11, 13, 18}},
    {"ReduceMax", {1, 11, 12, 13, 18, 20}},
    {"ReduceSum", {1, 11, 13}},
    {"Unsqueeze", {1, 11, 13, 21}},
    {"Squeeze", {1, 11, 13, 21}},
    {"Equal", {1, 7, 11, 13, 19}},
    {"Where", {9, 16}},
    {"Expand", {8, 13}},
    {"Range", {11}},
    {"Pow", {1, 7, 12, 13, 15}},
    {"Split", {1, 2, 11, 13, 18}},
}};

}  // namespace

std::int64_t op_definition_version(std::string_view op, std::int64_t opset) {
    for (const auto& h : kHistory) {
        if (h.op != op) continue;
        std::int64_t found = 0;
        for (auto v : h.since)
            if (v != 0 && v <= opset) found = v;
        return found;
    }
    return 0;
}

Result<void, OnnxError> check_op_opset(std::string_view op, std::int64_t opset) {
    if (opset > kMaxOpset)
        return fail(OnnxError{OnnxErrc::opset_too_new, "opset " + std::to_string(opset) + " > " + std::to_string(kMaxOpset)});
    if (opset >= kMinOpset) return {};
    const auto at_model = op_definition_version(op, opset);
    if (at_model == 0 || at_model != op_definition_version(op, kMinOpset))
        return fail(OnnxError{OnnxErrc::opset_too_old, std::string(op) + " at opset " + std::to_string(opset) +
                                                           " (definitions from opset 13 are supported)"});
    return {};
}

}  // namespace sigil::runtime
