#pragma once
/// Per-family fast paths, dispatched by run_items (internal to kernels).

#include <cstdint>

#include "core/kernels/fast.hpp"
#include "core/kernels/operand.hpp"

namespace sigil::kernels::detail {

/// Items and runners per family; see fast.hpp for the contract.
std::uint64_t fully_connected_items(const OpIO& io);
void fully_connected_run(const OpIO& io, std::uint64_t begin, std::uint64_t end, Simd simd);
std::uint64_t conv2d_items(const OpIO& io);
void conv2d_run(const OpIO& io, std::uint64_t begin, std::uint64_t end, Simd simd);
std::uint64_t matmul_items(const OpIO& io);
void matmul_run(const OpIO& io, std::uint64_t begin, std::uint64_t end);

std::uint64_t elementwise_items(const OpIO& io);
void elementwise_run(const OpIO& io, std::uint64_t begin, std::uint64_t end);
std::uint64_t pool_items(const OpIO& io);
void pool_run(const OpIO& io, std::uint64_t begin, std::uint64_t end);
std::uint64_t shape_items(const OpIO& io);
void shape_run(const OpIO& io, std::uint64_t begin, std::uint64_t end);
std::uint64_t row_items(const OpIO& io);
void row_run(const OpIO& io, std::uint64_t begin, std::uint64_t end);

/// Element-wise items cover this many output elements each.
inline constexpr std::uint64_t kBlock = 4096;

/// Operands of `io` as reference Operands (for rules computed element by element).
std::vector<Operand> operands(const OpIO& io);

/// int32 element `i` of a little-endian int32 layout.
inline std::int32_t load_i32(BytesView data, std::uint64_t i) noexcept {
    return load_element(data, ir::DType::int32, i);
}

}  // namespace sigil::kernels::detail
