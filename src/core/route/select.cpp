#include "core/route/select.hpp"

#include <algorithm>
#include <limits>

namespace sigil::route {

namespace {

struct Range {
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    void add(double v) noexcept {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    /// (v - lo) / (hi - lo), 0 when the range is empty.
    double low_is_good(double v) const noexcept { return hi > lo ? (v - lo) / (hi - lo) : 0.0; }
    double high_is_good(double v) const noexcept { return hi > lo ? (hi - v) / (hi - lo) : 0.0; }
};

bool before(const Scored& a, const Scored& b) noexcept {
    return a.cost != b.cost ? a.cost < b.cost : a.offer < b.offer;
}

double clamp_weight(double w) noexcept { return w > 0 ? w : 0.0; }

}  // namespace

void score(std::vector<Scored>& s, const Query& q) noexcept {
    Range price, latency, quality, stake;
    for (const Scored& e : s) {
        price.add(e.price);
        latency.add(e.latency_ms);
        quality.add(e.quality);
        stake.add(e.stake);
    }
    const Weights& w = q.weights;
    const double wp = clamp_weight(w.price), wl = clamp_weight(w.latency), wq = clamp_weight(w.quality),
                 ws = clamp_weight(w.stake);
    const double sum = wp + wl + wq + ws;
    for (Scored& e : s) {
        switch (q.sort) {
            case SortMode::price:
                e.cost = price.low_is_good(e.price);
                break;
            case SortMode::latency:
                e.cost = latency.low_is_good(e.latency_ms);
                break;
            case SortMode::quality:
                e.cost = quality.high_is_good(e.quality);
                break;
            case SortMode::weighted:
                e.cost = sum > 0 ? (wp * price.low_is_good(e.price) + wl * latency.low_is_good(e.latency_ms) +
                                    wq * quality.high_is_good(e.quality) + ws * stake.high_is_good(e.stake)) /
                                       sum
                                 : 0.0;
                break;
        }
    }
}

void rank(std::vector<Scored>& s, const Query& q, std::uint64_t random, std::vector<std::uint32_t>& out) {
    out.clear();
    if (s.empty()) return;
    score(s, q);
    const auto n = static_cast<std::uint32_t>(s.size());
    std::uint32_t best = 0;
    for (std::uint32_t i = 1; i < n; ++i) {
        if (before(s[i], s[best])) best = i;
    }
    // Power of two choices among the near-ties of the best.
    const double band = q.sort == SortMode::weighted ? kTieEpsilon : 0.0;
    const double limit = s[best].cost + band;
    std::uint32_t ties = 0;
    for (const Scored& e : s) ties += e.cost <= limit ? 1u : 0u;
    std::uint32_t choice = best;
    if (ties >= 2) {
        const auto a = static_cast<std::uint32_t>(random % ties);
        auto b = static_cast<std::uint32_t>((random >> 32) % (ties - 1));
        if (b >= a) ++b;
        std::uint32_t ia = n, ib = n;
        for (std::uint32_t i = 0, k = 0; i < n && (ia == n || ib == n); ++i) {
            if (s[i].cost > limit) continue;
            if (k == a) ia = i;
            if (k == b) ib = i;
            ++k;
        }
        const Scored& x = s[ia];
        const Scored& y = s[ib];
        // Equal predictions: the first draw wins, so exact ties spread uniformly.
        const bool x_wins = x.latency_ms <= y.latency_ms;
        choice = x_wins ? ia : ib;
    }
    out.push_back(choice);
    // Fallbacks: the q.fallbacks lowest costs other than the choice, by insertion (K is small).
    const std::size_t k = std::min<std::size_t>(q.fallbacks, n - 1);
    for (std::uint32_t i = 0; i < n && k > 0; ++i) {
        if (i == choice) continue;
        if (out.size() == k + 1 && !before(s[i], s[out.back()])) continue;
        if (out.size() == k + 1) out.pop_back();
        auto pos = out.begin() + 1;
        while (pos != out.end() && before(s[*pos], s[i])) ++pos;
        out.insert(pos, i);
    }
}

}  // namespace sigil::route
