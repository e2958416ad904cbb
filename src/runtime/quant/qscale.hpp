#pragma once
/// Real numbers as Q31 fixed-point scales (ir::QScale: multiplier * 2^-31 * 2^-shift) and the
/// affine int8 quantization of activations.

#include <cstdint>
#include <optional>

#include "core/ir/program.hpp"

namespace sigil::runtime {

/// The QScale nearest to `real` (> 0): multiplier normalized into [2^30, 2^31) and shift in
/// [-31, 31]. Values below 2^-62 round to {0, 0} (exactly zero); nullopt when real is not finite,
/// negative, or >= 2^31.
std::optional<ir::QScale> real_to_qscale(double real);

/// The real value of a QScale.
double real_from_qscale(ir::QScale q);

/// Asymmetric int8 quantization of a real range: scale = (hi - lo) / 255 after widening the
/// range to contain 0, zero_point = round(-128 - lo / scale) in [-128, 127].
struct AffineQ {
    double scale = 1.0;
    std::int32_t zero_point = 0;

    static AffineQ from_range(double lo, double hi);
    /// round(x / scale) + zero_point, clamped to [-128, 127].
    std::int8_t quantize(double x) const;
    double dequantize(std::int32_t q) const { return scale * (q - zero_point); }
};

}  // namespace sigil::runtime
