#pragma once
/// Health and latency arithmetic of one operator: cooldown growth, gradual readmission, and the
/// peak-EWMA latency prediction (cost = EWMA x (outstanding + 1), as in Finagle's P2C balancer).

#include <cstdint>

#include "core/route/types.hpp"

namespace sigil::route {

/// Cooldown after the `failures`-th consecutive failure: base x 2^(failures-1), capped.
std::int64_t cooldown_ms(std::uint32_t failures, const HealthParams& p) noexcept;

/// State after a failure (error or timeout) observed at `now_ms`.
Health on_failure(Health h, std::int64_t now_ms, const HealthParams& p) noexcept;

/// State after a success at `now_ms`: the failure count clears once the ramp has completed, so
/// an operator that fails again while recovering gets a longer cooldown.
Health on_success(Health h, std::int64_t now_ms, const HealthParams& p) noexcept;

/// True while the operator must not receive requests.
bool cooling(const Health& h, std::int64_t now_ms) noexcept;

/// Share of capacity available at `now_ms`, in (0, 1]: 1 when healthy; after a cooldown it grows
/// linearly from 1/8 to 1 over `ramp_ms`. Meaningless while cooling.
double ramp(const Health& h, std::int64_t now_ms, const HealthParams& p) noexcept;

/// Concurrent requests admitted now: ceil(capacity x ramp), at least 1 when capacity > 0.
std::uint32_t admitted_capacity(std::uint32_t capacity, const Health& h, std::int64_t now_ms,
                                const HealthParams& p) noexcept;

/// Folds an observed latency into the estimate: a slower sample replaces the value at once
/// (peak), a faster one pulls it down with weight 1 - exp(-dt / tau).
PeakEwma observe(PeakEwma e, double sample_ms, std::int64_t now_ms, const HealthParams& p) noexcept;

/// Predicted latency of one more request at `now_ms`: EWMA x (outstanding + 1), where the EWMA
/// decays towards zero while no sample arrives (weight exp(-age / tau)), so an operator that was
/// slow and stopped receiving traffic is eventually tried again; `default_latency_ms` when never
/// observed.
double predicted_latency(const Load& l, std::int64_t now_ms, const HealthParams& p) noexcept;

/// True when the estimate is older than tau (or absent): the operator is then admitted one
/// request at a time (a probe) until a fresh sample arrives.
bool stale(const PeakEwma& e, std::int64_t now_ms, const HealthParams& p) noexcept;

}  // namespace sigil::route
