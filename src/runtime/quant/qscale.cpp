#include "runtime/quant/qscale.hpp"

#include <algorithm>
#include <cmath>

namespace sigil::runtime {

std::optional<ir::QScale> real_to_qscale(double real) {
    if (!std::isfinite(real) || real < 0 || real >= 2147483648.0) return std::nullopt;
    if (real < std::ldexp(1.0, -62)) return ir::QScale{0, 0};
    int e = 0;
    const double f = std::frexp(real, &e);  // real = f * 2^e, f in [0.5, 1)
    auto m = static_cast<std::int64_t>(std::llround(f * 2147483648.0));
    if (m == (std::int64_t{1} << 31)) {
        m /= 2;
        ++e;
    }
    // real = m * 2^-31 * 2^e, so shift = -e. Shifts beyond 31 are folded into the multiplier.
    int shift = -e;
    while (shift > 31) {
        m = (m + 1) / 2;
        --shift;
    }
    if (shift < -31) return std::nullopt;
    return ir::QScale{static_cast<std::int32_t>(m), shift};
}

double real_from_qscale(ir::QScale q) { return std::ldexp(static_cast<double>(q.multiplier), -31 - q.shift); }

AffineQ AffineQ::from_range(double lo, double hi) {
    lo = std::min(lo, 0.0);
    hi = std::max(hi, 0.0);
    if (hi - lo < 1e-8) hi = lo + 1e-8;
    AffineQ q;
    q.scale = (hi - lo) / 255.0;
    q.zero_point = static_cast<std::int32_t>(std::clamp<double>(std::round(-128.0 - lo / q.scale), -128, 127));
    return q;
}

std::int8_t AffineQ::quantize(double x) const {
    const double v = std::round(x / scale) + zero_point;
    return static_cast<std::int8_t>(std::clamp(v, -128.0, 127.0));
}

}  // namespace sigil::runtime
