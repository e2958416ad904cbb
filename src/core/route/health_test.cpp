#include "core/route/health.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace sigil::route {
namespace {

const HealthParams kP{};

TEST(route_health, cooldown_doubles_and_caps) {
    EXPECT_EQ(cooldown_ms(0, kP), 0);
    EXPECT_EQ(cooldown_ms(1, kP), 1'000);
    EXPECT_EQ(cooldown_ms(2, kP), 2'000);
    EXPECT_EQ(cooldown_ms(4, kP), 8'000);
    EXPECT_EQ(cooldown_ms(7, kP), 60'000);
    EXPECT_EQ(cooldown_ms(UINT32_MAX, kP), 60'000);
}

TEST(route_health, repeated_failures_grow_the_cooldown) {
    Health h;
    h = on_failure(h, 0, kP);
    EXPECT_TRUE(cooling(h, 999));
    EXPECT_FALSE(cooling(h, 1'000));
    h = on_failure(h, 1'000, kP);  // fails again right after readmission
    EXPECT_EQ(h.failures, 2u);
    EXPECT_EQ(h.cooldown_until_ms, 3'000);
}

TEST(route_health, recovery_is_gradual_then_clears_failures) {
    Health h = on_failure({}, 0, kP);
    EXPECT_DOUBLE_EQ(ramp(h, 1'000, kP), 0.125);
    EXPECT_EQ(admitted_capacity(8, h, 1'000, kP), 1u);
    EXPECT_EQ(admitted_capacity(8, h, 6'000, kP), 5u);  // 8 x (0.125 + 0.875 x 0.5) = 4.5 -> 5
    EXPECT_EQ(admitted_capacity(8, h, 11'000, kP), 8u);
    EXPECT_EQ(on_success(h, 5'000, kP).failures, 1u);  // still ramping: keeps its record
    EXPECT_EQ(on_success(h, 11'000, kP).failures, 0u);
}

TEST(route_health, peak_ewma_jumps_up_and_decays_down) {
    PeakEwma e = observe({}, 10, 0, kP);
    EXPECT_DOUBLE_EQ(e.value_ms, 10);
    e = observe(e, 100, 1, kP);
    EXPECT_DOUBLE_EQ(e.value_ms, 100);                 // peak: at once
    const PeakEwma later = observe(e, 10, 5'001, kP);  // one tau later
    EXPECT_NEAR(later.value_ms, 10 + 90 * 0.3679, 0.1);
    EXPECT_DOUBLE_EQ(observe(e, -1, 2, kP).value_ms, 100);  // nonsense samples are ignored
}

TEST(route_health, prediction_scales_with_queue) {
    Load l;
    EXPECT_DOUBLE_EQ(predicted_latency(l, 0, kP), kP.default_latency_ms);
    EXPECT_TRUE(stale(l.latency, 0, kP));
    l.latency = {20, 1'000};
    l.outstanding = 3;
    EXPECT_DOUBLE_EQ(predicted_latency(l, 1'000, kP), 80);
    EXPECT_FALSE(stale(l.latency, 6'000, kP));
    EXPECT_TRUE(stale(l.latency, 6'001, kP));
    // Without samples the estimate fades, so a once-slow operator is probed again.
    EXPECT_NEAR(predicted_latency(l, 6'000, kP), 80 * 0.3679, 0.01);
}

RC_GTEST_PROP(route_health, ewma_stays_between_samples, (std::vector<std::uint16_t> samples)) {
    PeakEwma e;
    double lo = 1e18, hi = 0;
    std::int64_t t = 0;
    for (std::uint16_t s : samples) {
        const double v = 1 + s;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        t += s % 97;
        e = observe(e, v, t, kP);
        RC_ASSERT(e.value_ms >= lo - 1e-9);
        RC_ASSERT(e.value_ms <= hi + 1e-9);
    }
}

RC_GTEST_PROP(route_health, cooldown_is_monotone, (std::uint8_t n)) {
    RC_ASSERT(cooldown_ms(n, kP) <= cooldown_ms(static_cast<std::uint32_t>(n) + 1, kP));
}

}  // namespace
}  // namespace sigil::route
