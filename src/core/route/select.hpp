#pragma once
/// Soft scoring and selection over the offers that passed the hard constraints.
///
/// Each term is min-max normalized over the candidate set to [0, 1] (lower is better: price and
/// predicted latency as they are, quality and stake inverted), and the cost is the weighted mean
/// of the terms (`SortMode::weighted`) or one term alone (the pure sorts). Among the offers whose
/// cost is within `tie_epsilon` of the best (exact ties for the pure sorts), two are drawn at
/// random and the one with the lower predicted latency wins (power of two choices), which
/// spreads load over equally good operators. The rest follow in cost order as fallbacks.

#include <cstdint>
#include <vector>

#include "core/route/types.hpp"

namespace sigil::route {

/// One candidate's raw soft terms.
struct Scored {
    std::uint32_t offer = 0;  ///< caller's index of the offer
    double price = 0;
    double latency_ms = 0;  ///< predicted: EWMA x (outstanding + 1)
    double quality = 0;     ///< basis points
    double stake = 0;
    double cost = 0;  ///< written by `rank`
};

/// Near-tie band of the weighted score (costs lie in [0, 1]).
inline constexpr double kTieEpsilon = 0.02;

/// Writes each entry's cost, then fills `out` with indices into `s`: the choice first, then up
/// to `q.fallbacks` fallbacks by increasing cost (ties by offer index). `random` is any 64-bit
/// random word (the only source of variation). Empty `s` gives empty `out`.
void rank(std::vector<Scored>& s, const Query& q, std::uint64_t random, std::vector<std::uint32_t>& out);

/// The cost `rank` gives to each entry, without selecting (for tests and diagnostics).
void score(std::vector<Scored>& s, const Query& q) noexcept;

}  // namespace sigil::route
