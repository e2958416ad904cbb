#pragma once
/// Which ONNX opsets the float path accepts.
///
/// We implement operator definitions as they stand from opset 13 (the oldest we accept) up to
/// `kMaxOpset`. A model that imports an older opset is accepted only when every one of its
/// nodes resolves to the same operator definition at its opset as at opset 13 (for example
/// Conv-11, MaxPool-12 and GlobalAveragePool-1 are still the definitions in force at opset 13);
/// otherwise it is refused with `opset_too_old` naming the op. Newer than `kMaxOpset` is
/// refused with `opset_too_new`.

#include <cstdint>
#include <string_view>

#include "core/result.hpp"
#include "runtime/onnx/error.hpp"

namespace sigil::runtime {

inline constexpr std::int64_t kMinOpset = 13;
inline constexpr std::int64_t kMaxOpset = 21;

/// The `since_version` of the definition of `op` in force at `opset`, or 0 when `op` is not in
/// our table or did not exist yet.
std::int64_t op_definition_version(std::string_view op, std::int64_t opset);

/// Checks that `op` may be run from a model of the given opset (rules above).
Result<void, OnnxError> check_op_opset(std::string_view op, std::int64_t opset);

}  // namespace sigil::runtime
