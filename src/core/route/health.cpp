#include "core/route/health.hpp"

#include <algorithm>
#include <cmath>

namespace sigil::route {

std::int64_t cooldown_ms(std::uint32_t failures, const HealthParams& p) noexcept {
    if (failures == 0) return 0;
    std::int64_t c = std::max<std::int64_t>(p.base_cooldown_ms, 1);
    for (std::uint32_t i = 1; i < failures && c < p.max_cooldown_ms; ++i) c *= 2;
    return std::min(c, std::max(p.max_cooldown_ms, p.base_cooldown_ms));
}

Health on_failure(Health h, std::int64_t now_ms, const HealthParams& p) noexcept {
    if (h.failures < UINT32_MAX) ++h.failures;
    h.cooldown_until_ms = now_ms + cooldown_ms(h.failures, p);
    return h;
}

Health on_success(Health h, std::int64_t now_ms, const HealthParams& p) noexcept {
    if (h.failures != 0 && now_ms >= h.cooldown_until_ms + p.ramp_ms) h.failures = 0;
    return h;
}

bool cooling(const Health& h, std::int64_t now_ms) noexcept { return now_ms < h.cooldown_until_ms; }

double ramp(const Health& h, std::int64_t now_ms, const HealthParams& p) noexcept {
    if (h.failures == 0 || p.ramp_ms <= 0) return 1.0;
    const std::int64_t since = now_ms - h.cooldown_until_ms;
    if (since >= p.ramp_ms) return 1.0;
    const double t = since <= 0 ? 0.0 : static_cast<double>(since) / static_cast<double>(p.ramp_ms);
    return 0.125 + 0.875 * t;
}

std::uint32_t admitted_capacity(std::uint32_t capacity, const Health& h, std::int64_t now_ms,
                                const HealthParams& p) noexcept {
    if (capacity == 0) return 0;
    const double r = ramp(h, now_ms, p);
    if (r >= 1.0) return capacity;
    const double c = std::ceil(static_cast<double>(capacity) * r);
    return std::max<std::uint32_t>(1, static_cast<std::uint32_t>(c));
}

PeakEwma observe(PeakEwma e, double sample_ms, std::int64_t now_ms, const HealthParams& p) noexcept {
    if (!(sample_ms >= 0) || !std::isfinite(sample_ms)) return e;
    if (e.value_ms <= 0 || sample_ms >= e.value_ms) return {sample_ms, now_ms};
    const double dt = static_cast<double>(std::max<std::int64_t>(now_ms - e.stamp_ms, 0));
    const double keep = p.ewma_tau_ms > 0 ? std::exp(-dt / p.ewma_tau_ms) : 0.0;
    return {e.value_ms * keep + sample_ms * (1.0 - keep), now_ms};
}

double predicted_latency(const Load& l, std::int64_t now_ms, const HealthParams& p) noexcept {
    double base = p.default_latency_ms;
    if (l.latency.value_ms > 0) {
        const double age = static_cast<double>(std::max<std::int64_t>(now_ms - l.latency.stamp_ms, 0));
        base = p.ewma_tau_ms > 0 ? l.latency.value_ms * std::exp(-age / p.ewma_tau_ms) : l.latency.value_ms;
    }
    return base * (static_cast<double>(l.outstanding) + 1.0);
}

bool stale(const PeakEwma& e, std::int64_t now_ms, const HealthParams& p) noexcept {
    return e.value_ms <= 0 || static_cast<double>(now_ms - e.stamp_ms) > p.ewma_tau_ms;
}

}  // namespace sigil::route
