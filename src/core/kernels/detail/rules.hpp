#pragma once
/// Per-family reference rules, dispatched by reference_element (internal to kernels).

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

/// The requant step for output channel `c` (per tensor when only one is given).
inline const ir::QScale& requant_for(const ir::Op& op, std::size_t c) noexcept {
    return op.attrs.requant.size() == 1 ? op.attrs.requant[0] : op.attrs.requant[c];
}

/// Index into a broadcast operand of shape `in` for output coordinates `oc` (numpy rules).
std::uint64_t broadcast_index(const std::vector<std::uint32_t>& in, const std::vector<std::uint32_t>& oc) noexcept;

}  // namespace sigil::kernels::detail
