#pragma once
/// int16 x int8 dot products with wrapping int32 sums (internal to kernels).

#include <cstdint>

#include "core/ir/program.hpp"

#include "core/kernels/fast.hpp"

namespace sigil::kernels::detail {

/// out[r] = sum_k a[k] * b[r * stride + k] (mod 2^32) for r < rows.
void dot_rows(const std::int16_t* a, const std::int8_t* b, std::size_t stride, std::size_t k, std::size_t rows,
              std::int32_t* out, Simd simd) noexcept;

/// out[i] = sum_k w[k] * cols[k * n + i] (mod 2^32) for i < n: one filter against n im2col
/// columns stored k-major (the layout for short filters, where k is too small for dot_rows).
void dot_cols(const std::int8_t* w, const std::int16_t* cols, std::size_t k, std::size_t n, std::int32_t* out,
              Simd simd) noexcept;

/// out[i] = clamp(requantize(acc[i], q) + zo, lo, hi) as bytes, for i < n (the rule of
/// fixedpoint.hpp, vectorized when simd allows).
void requantize_block(const std::int32_t* acc, std::size_t n, ir::QScale q, std::int32_t zo, std::int32_t lo,
                      std::int32_t hi, std::uint8_t* out, Simd simd) noexcept;

}  // namespace sigil::kernels::detail
