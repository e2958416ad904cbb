#pragma once
/// Per-family reference rules, dispatched by reference_element (internal to kernels).

#include <algorithm>
#include <cstdint>
#include <span>

#include "core/ir/program.hpp"
#include "core/kernels/operand.hpp"

namespace sigil::kernels::detail {

using Ins = std::span<const Operand>;

std::int32_t fully_connected_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t matmul_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t conv2d_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t add_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t mul_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t clip_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t requantize_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t gelu_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t max_pool_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t average_pool_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t global_average_pool_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t reshape_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t transpose_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t concat_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t gather_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t softmax_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t layer_norm_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t causal_softmax_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t rms_norm_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t silu_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);
std::int32_t cache_write_element(const ir::Op& op, Ins in, const ir::Tensor& out, std::uint64_t o);

/// Keys visible to query i of a [Q, K] causal_softmax block: i + offset + 1 clamped into [1, K],
/// offset = K - Q without an offset operand, else its value (docs/ops.md §19).
inline std::uint64_t causal_visible(std::uint64_t i, std::uint64_t queries, std::uint64_t keys, const Operand* offset) {
    const std::int64_t off = offset ? std::int64_t{offset->at(0)} : static_cast<std::int64_t>(keys - queries);
    const std::int64_t v = static_cast<std::int64_t>(i) + off + 1;
    return static_cast<std::uint64_t>(std::clamp<std::int64_t>(v, 1, static_cast<std::int64_t>(keys)));
}

/// The requant step for output channel `c` (per tensor when only one is given).
inline const ir::QScale& requant_for(const ir::Op& op, std::size_t c) noexcept {
    return op.attrs.requant.size() == 1 ? op.attrs.requant[0] : op.attrs.requant[c];
}

/// Index into a broadcast operand of shape `in` for output coordinates `oc` (numpy rules).
std::uint64_t broadcast_index(const std::vector<std::uint32_t>& in, const std::vector<std::uint32_t>& oc) noexcept;

}  // namespace sigil::kernels::detail
