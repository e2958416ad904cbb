#pragma once
// Routing policies compared in the router benchmarks: the engine, and the usual load balancers
// (random, round-robin, least-outstanding, plain power of two choices on peak-EWMA load). Every
// policy picks from the same eligible set (the engine's hard-constraint filter), so the
// comparison isolates the choice; only the engine also gates on health and capacity.

#include <cstdint>
#include <string_view>
#include <vector>

#include "router/matcher.hpp"

namespace sigil::bench {

enum class Policy { engine, random, round_robin, least_outstanding, p2c };
inline constexpr Policy kPolicies[] = {Policy::engine, Policy::random, Policy::round_robin, Policy::least_outstanding,
                                       Policy::p2c};

inline std::string_view name(Policy p) {
    switch (p) {
        case Policy::engine:
            return "engine";
        case Policy::random:
            return "random";
        case Policy::round_robin:
            return "round-robin";
        case Policy::least_outstanding:
            return "least-outstanding";
        case Policy::p2c:
            return "p2c";
    }
    return "?";
}

/// splitmix64: a small deterministic generator.
struct Rng {
    std::uint64_t s;
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next() % n; }
};

/// A policy's pick: the operator slot (-1 when none is eligible) and the model of its offer.
struct Pick {
    std::int64_t slot = -1;
    Hash model{};
};

/// Picks an operator for `req` with policy `p`.
class Chooser {
public:
    explicit Chooser(const router::Matcher& e) : engine_(e) {}

    /// The slot only (the decision-speed benchmark's measure).
    std::int64_t choose(Policy p, const router::RouteRequest& req, std::int64_t now_ms, Rng& rng) {
        if (p == Policy::engine) {
            auto d = engine_.route(req, now_ms, rng.next());
            return d ? static_cast<std::int64_t>(d->ranked[0].slot) : -1;
        }
        const std::int64_t i = index(p, req, now_ms, rng);
        return i < 0 ? -1 : static_cast<std::int64_t>(found_[static_cast<std::size_t>(i)].slot);
    }

    /// Slot and model.
    Pick pick(Policy p, const router::RouteRequest& req, std::int64_t now_ms, Rng& rng) {
        if (p == Policy::engine) {
            auto d = engine_.route(req, now_ms, rng.next());
            if (!d) return {};
            return {static_cast<std::int64_t>(d->ranked[0].slot), d->ranked[0].model};
        }
        const std::int64_t i = index(p, req, now_ms, rng);
        if (i < 0) return {};
        const auto& e = found_[static_cast<std::size_t>(i)];
        return {static_cast<std::int64_t>(e.slot), engine_.candidate(e, 0).model};
    }

private:
    std::int64_t index(Policy p, const router::RouteRequest& req, std::int64_t now_ms, Rng& rng) {
        router::Decision d;
        if (!engine_.eligible(req, now_ms, false, found_, d) || found_.empty()) return -1;
        const std::size_t n = found_.size();
        switch (p) {
            case Policy::random:
                return static_cast<std::int64_t>(rng.below(n));
            case Policy::round_robin:
                return static_cast<std::int64_t>((cursor_++) % n);
            case Policy::least_outstanding: {
                std::size_t best = rng.below(n);  // random start: ties do not all go to one node
                for (std::size_t k = 0; k < n; ++k) {
                    const std::size_t i = (best + k) % n;
                    if (found_[i].outstanding < found_[best].outstanding) best = i;
                }
                return static_cast<std::int64_t>(best);
            }
            case Policy::p2c: {
                if (n == 1) return 0;
                const std::size_t a = rng.below(n);
                std::size_t b = rng.below(n - 1);
                if (b >= a) ++b;
                return static_cast<std::int64_t>(found_[a].predicted_ms <= found_[b].predicted_ms ? a : b);
            }
            case Policy::engine:
                break;
        }
        return -1;
    }

    const router::Matcher& engine_;
    std::vector<router::Matcher::Eligible> found_;
    std::size_t cursor_ = 0;
};

}  // namespace sigil::bench
