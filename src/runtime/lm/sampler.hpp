#pragma once
/// The next token from one row of integer logits, in exact integer arithmetic (docs/generation.md,
/// "Sampling"): greedy, or temperature, top-k and top-p over i-exp weights with a pseudo-random
/// draw keccak256(seed || step), so every operator picks the same token.

#include <cstdint>
#include <span>
#include <string>

#include "core/bytes.hpp"
#include "core/ir/program.hpp"

namespace sigil::runtime::lm {

struct SamplingParams {
    std::uint32_t temperature_milli = 0;    ///< temperature * 1000; 0 = greedy
    std::uint32_t top_k = 0;                ///< keep the k most likely; 0 = every token
    std::uint32_t top_p_micro = 1'000'000;  ///< nucleus mass * 10^6, in [1, 10^6]; 10^6 = off
    Hash seed{};                            ///< the request's seed
};

/// A parameter out of its range, named ("top_p_micro 0 is outside [1, 1000000]"), or "".
std::string check(const SamplingParams& p);

/// The token for generation step `step` (0 for the first generated token) from `logits`, one
/// integer per vocabulary entry (an int8 or int32 program output, as stored) whose real value is
/// `scale` * (q - zero point); only differences of logits are used, so the zero point cancels.
/// Precondition: check(p) is empty and logits is not empty.
std::uint32_t sample(std::span<const std::int32_t> logits, ir::QScale scale, const SamplingParams& p,
                     std::uint64_t step);

/// trunc(d * scale * 2^14 * 1000 / temperature_milli) saturated at INT32_MIN, exactly: the
/// argument of iexp for a logit d steps below the row's maximum (d <= 0, temperature_milli > 0).
std::int32_t scaled_gap(std::int64_t d, ir::QScale scale, std::uint32_t temperature_milli);

}  // namespace sigil::runtime::lm
