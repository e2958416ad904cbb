#pragma once
/// Hard constraints of a routing query. An offer that fails any of them is never returned,
/// neither as the choice nor as a fallback.

#include <cstdint>

#include "core/route/types.hpp"

namespace sigil::route {

/// Precomputes the per-request parts of the filter (stake bound, region table for region ids
/// below `region_count`, hardware bit mask) so `check_static` does O(1) work per offer. Optional:
/// `check_static` gives the same verdicts on an unprepared query.
void prepare(Query& q, std::size_t region_count);

/// The static constraints (registry facts against the query): activity, price, region allow and
/// deny lists, hardware class, proof modes, model quality, stake relative to the request value.
/// `query.models` is not checked here: the engine's per-model index only yields offers of them.
Reject check_static(const Offer& o, const Query& q) noexcept;

/// The dynamic constraints: not cooling down, and fewer outstanding requests than the capacity
/// admitted now (which ramps up after a cooldown), and one request at a time while its latency
/// estimate is stale (a probe).
Reject check_load(const Offer& o, const Load& l, std::int64_t now_ms, const HealthParams& p) noexcept;

/// Minimum stake for a request of `value` at `ratio_bips`: ceil(value x ratio / 10000),
/// saturating at kMaxAmount.
Amount required_stake(Amount value, std::uint32_t ratio_bips) noexcept;

}  // namespace sigil::route
