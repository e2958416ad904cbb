#include "runtime/lm/sampler.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

#include "core/keccak.hpp"
#include "core/kernels/fixedpoint.hpp"
#include "core/kernels/nonlinear.hpp"

namespace sigil::runtime::lm {

std::string check(const SamplingParams& p) {
    if (p.top_p_micro < 1 || p.top_p_micro > 1'000'000)
        return "top_p_micro " + std::to_string(p.top_p_micro) + " is outside [1, 1000000]";
    if (p.temperature_milli > 1'000'000)
        return "temperature_milli " + std::to_string(p.temperature_milli) + " is above 1000000 (temperature 1000)";
    return "";
}

namespace {

__extension__ typedef unsigned __int128 U128;  // exact products of two 64-bit values
__extension__ typedef __int128 I128;

/// keccak256(seed || step as 8 big-endian bytes) mod w, w > 0.
std::uint64_t draw(const Hash& seed, std::uint64_t step, std::uint64_t w) {
    Bytes msg(seed.begin(), seed.end());
    for (int b = 7; b >= 0; --b) msg.push_back(static_cast<std::uint8_t>(step >> (8 * b)));
    const Hash r = keccak256(msg);
    // The 256-bit big-endian number mod w, a byte at a time.
    U128 acc = 0;
    for (std::uint8_t byte : r) acc = (acc * 256 + byte) % w;
    return static_cast<std::uint64_t>(acc);
}

}  // namespace

std::int32_t scaled_gap(std::int64_t d, ir::QScale scale, std::uint32_t temperature_milli) {
    // trunc(d * m * 2^-31 * 2^-shift * 2^14 * 1000 / T), exactly: |d| < 2^33, m < 2^31, so the
    // numerator stays below 2^88 and the denominator below 2^69.
    const int e = 17 + scale.shift;  // 2^-31 * 2^-shift * 2^14 = 2^-e
    I128 num = static_cast<I128>(d) * scale.multiplier * 1000;
    I128 den = temperature_milli;
    if (e >= 0) {
        den <<= e;
    } else {
        num *= I128{1} << -e;
    }
    const I128 a = num / den;  // toward zero
    return a < INT32_MIN ? INT32_MIN : static_cast<std::int32_t>(a);
}

std::uint32_t sample(std::span<const std::int32_t> logits, ir::QScale scale, const SamplingParams& p,
                     std::uint64_t step) {
    const auto v = static_cast<std::uint32_t>(logits.size());
    if (p.temperature_milli == 0) {  // greedy: the first maximum
        return static_cast<std::uint32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
    }
    // The first k candidates by logit, highest first; equal logits by lower token id.
    const std::uint32_t k = p.top_k == 0 || p.top_k > v ? v : p.top_k;
    std::vector<std::uint32_t> order(v);
    std::iota(order.begin(), order.end(), 0U);
    std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
    });
    // w_j = iexp((x_j - max) * s / T) in Q14.
    const std::int64_t mx = logits[order[0]];
    std::vector<std::int64_t> w(k);
    for (std::uint32_t i = 0; i < k; ++i)
        w[i] = kernels::iexp_q14(scaled_gap(logits[order[i]] - mx, scale, p.temperature_milli));
    // top-p: the shortest prefix holding at least top_p of the top-k mass.
    const std::int64_t total = std::accumulate(w.begin(), w.end(), std::int64_t{0});
    std::uint32_t m = 0;
    std::int64_t kept = 0;
    while (m < k && (m == 0 || static_cast<U128>(kept) * 1'000'000 <
                                   static_cast<U128>(p.top_p_micro) * static_cast<std::uint64_t>(total))) {
        kept += w[m++];
    }
    // kept >= w[0] = iexp(0) > 0.
    const std::uint64_t u = draw(p.seed, step, static_cast<std::uint64_t>(kept));
    std::uint64_t cum = 0;
    for (std::uint32_t i = 0; i < m; ++i) {
        cum += static_cast<std::uint64_t>(w[i]);
        if (cum > u) return order[i];
    }
    return order[m - 1];  // unreachable: cum reaches kept > u
}

}  // namespace sigil::runtime::lm
