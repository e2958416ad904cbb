#pragma once
/// Integer-only approximations of exp and erf/GELU (I-BERT, Kim et al. 2021, arXiv:2101.01321,
/// §3.4-3.5), in the Q14 domain (real = q / 2^14). Exact integer rules; docs/ops.md §softmax/gelu.

#include <cstdint>

namespace sigil::kernels {

/// floor(ln 2 * 2^14).
inline constexpr std::int64_t kExpLn2 = 11356;
/// I-BERT i-exp polynomial 0.3585 (p + 1.353)^2 + 0.344: floor(1.353 * 2^14) and
/// floor(0.344 / 0.3585 * 2^28). The result is in units of 0.3585 * 2^-28.
inline constexpr std::int64_t kExpB = 22167;
inline constexpr std::int64_t kExpC = 257578233;
/// round(2^16 / sqrt(2)).
inline constexpr std::int64_t kInvSqrt2Q16 = 46341;
/// I-BERT i-erf: sgn(x) (a (min(|x|, -b) + b)^2 + 1), a = -0.2888, b = -1.769;
/// round(1.769 * 2^14) and round(-0.2888 * 2^14).
inline constexpr std::int64_t kErfClip = 28983;
inline constexpr std::int64_t kErfA = -4732;
inline constexpr std::int64_t kOneQ14 = 1 << 14;

/// i-exp of q <= 0 (Q14), in units of 0.3585 * 2^-28; 0 when the shift reaches 31 or more.
constexpr std::int64_t iexp_q14(std::int32_t q) noexcept {
    const std::int64_t neg = -std::int64_t{q};
    const std::int64_t z = neg / kExpLn2;
    if (z >= 31) return 0;
    const std::int64_t p = std::int64_t{q} + z * kExpLn2;  // in (-ln2, 0]
    const std::int64_t poly = (p + kExpB) * (p + kExpB) + kExpC;
    return poly >> z;
}

/// iexp_q14(0): the i-exp of zero, exp(0) in the units of iexp_q14.
inline constexpr std::int64_t kExpOne = (kExpB * kExpB) + kExpC;

/// i-SiLU of q (Q14) in Q14: q * sigmoid(q) with sigmoid(|q|) = 1 / (1 + e^-|q|) and
/// sigmoid(-|q|) = e^-|q| / (1 + e^-|q|), e^-|q| from iexp_q14; the quotient truncates toward 0.
constexpr std::int32_t isilu_q14(std::int32_t q) noexcept {
    const std::int64_t a = q < 0 ? -std::int64_t{q} : std::int64_t{q};
    const std::int64_t e = iexp_q14(static_cast<std::int32_t>(-a));
    const std::int64_t num = q >= 0 ? kExpOne : e;
    return static_cast<std::int32_t>(std::int64_t{q} * num / (kExpOne + e));
}

/// i-erf of s (Q14) in Q14.
constexpr std::int64_t ierf_q14(std::int64_t s) noexcept {
    if (s == 0) return 0;
    const std::int64_t a = s < 0 ? -s : s;
    const std::int64_t t = (a < kErfClip ? a : kErfClip) - kErfClip;
    const std::int64_t l = (((t * t) >> 14) * kErfA >> 14) + kOneQ14;
    return s < 0 ? -l : l;
}

/// i-GELU of q (Q14) in Q14: floor(q * (1 + erf(q / sqrt 2)) / 2).
constexpr std::int32_t igelu_q14(std::int32_t q) noexcept {
    const std::int64_t s = (std::int64_t{q} * kInvSqrt2Q16) >> 16;
    const std::int64_t g = (std::int64_t{q} * (kOneQ14 + ierf_q14(s))) >> 15;
    return static_cast<std::int32_t>(g);
}

}  // namespace sigil::kernels
