#pragma once
/// int16 x int8 dot products with wrapping int32 sums (internal to kernels).

#include <cstdint>

#include "core/kernels/fast.hpp"

namespace sigil::kernels::detail {

/// out[r] = sum_k a[k] * b[r * stride + k] (mod 2^32) for r < rows.
void dot_rows(const std::int16_t* a, const std::int8_t* b, std::size_t stride, std::size_t k, std::size_t rows,
              std::int32_t* out, Simd simd) noexcept;

}  // namespace sigil::kernels::detail
