#pragma once
/// Integer arithmetic primitives of the op rules (docs/ops.md §1). All functions are total:
/// every input has a defined result, and none relies on signed overflow.

#include <cstdint>

#include "core/ir/program.hpp"

namespace sigil::kernels {

/// gemmlowp SaturatingRoundingDoublingHighMul (fixedpoint/fixedpoint.h): round(a * b / 2^31) with
/// ties away from zero, and INT32_MAX for a = b = INT32_MIN.
constexpr std::int32_t srdhm(std::int32_t a, std::int32_t b) noexcept {
    if (a == b && a == INT32_MIN) return INT32_MAX;
    const std::int64_t ab = std::int64_t{a} * b;
    const std::int64_t nudge = ab >= 0 ? (std::int64_t{1} << 30) : (1 - (std::int64_t{1} << 30));
    return static_cast<std::int32_t>((ab + nudge) / (std::int64_t{1} << 31));
}

/// gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero.
/// Precondition: 0 <= exponent <= 31.
constexpr std::int32_t rounding_divide_by_pot(std::int32_t x, int exponent) noexcept {
    const std::int64_t mask = (std::int64_t{1} << exponent) - 1;
    const std::int64_t remainder = std::int64_t{x} & mask;
    const std::int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return static_cast<std::int32_t>((std::int64_t{x} >> exponent) + (remainder > threshold ? 1 : 0));
}

/// x * 2^s saturated to int32. Precondition: 0 <= s <= 31.
constexpr std::int32_t saturating_shift_left(std::int32_t x, int s) noexcept {
    const std::int64_t v = std::int64_t{x} * (std::int64_t{1} << s);
    if (v > INT32_MAX) return INT32_MAX;
    if (v < INT32_MIN) return INT32_MIN;
    return static_cast<std::int32_t>(v);
}

/// The requantization step: rounding_divide_by_pot(srdhm(x', multiplier), max(shift, 0)) with
/// x' = saturating_shift_left(x, -shift) when shift < 0, else x. Precondition: validated QScale.
constexpr std::int32_t requantize(std::int32_t x, ir::QScale q) noexcept {
    if (q.shift < 0) return srdhm(saturating_shift_left(x, -q.shift), q.multiplier);
    return rounding_divide_by_pot(srdhm(x, q.multiplier), q.shift);
}

/// clamp(v + zero_point, lo, hi) computed without overflow.
constexpr std::int32_t add_zero_point_clamp(std::int32_t v, std::int32_t zero_point, std::int32_t lo,
                                            std::int32_t hi) noexcept {
    const std::int64_t s = std::int64_t{v} + zero_point;
    return static_cast<std::int32_t>(s < lo ? lo : (s > hi ? hi : s));
}

/// Wrapping int32 arithmetic (two's complement modulo 2^32).
constexpr std::int32_t wrap_add(std::int32_t a, std::int32_t b) noexcept {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) + static_cast<std::uint32_t>(b));
}
constexpr std::int32_t wrap_mul(std::int32_t a, std::int32_t b) noexcept {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) * static_cast<std::uint32_t>(b));
}

/// a / b rounded to nearest, ties away from zero. Precondition: b > 0, |a| < 2^62.
constexpr std::int64_t div_round_away(std::int64_t a, std::int64_t b) noexcept {
    return a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b);
}

/// floor(sqrt(v)).
constexpr std::uint64_t isqrt(std::uint64_t v) noexcept {
    if (v < 2) return v;
    // Newton's iteration from above converges to floor(sqrt(v)).
    std::uint64_t x = v;
    std::uint64_t y = x / 2 + (x & 1U);
    while (y < x) {
        x = y;
        y = (x + v / x) / 2;
    }
    return x;
}

}  // namespace sigil::kernels
