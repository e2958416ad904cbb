// Decision speed of the router: decisions per second per core and p50 / p99 decision time with
// 1k, 10k and 100k operators and nine active constraints (model, token, max price, region allow
// and deny lists, hardware class, proof mode, minimum evaluation score, minimum stake relative to
// the request value; plus health and capacity for the engine), for the engine and the baselines.
// "spread": each operator serves 3 of 50 models (the per-model index reads ~6% of operators);
// "one-model": every operator serves the requested model (the index cannot help).
//
//   build/release/bench/router_benchmark --benchmark_repetitions=3 --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "core/keccak.hpp"
#include "router_policies.hpp"

namespace {

using namespace sigil;

double thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

Hash model(std::uint32_t m) { return keccak256(std::string_view("model-" + std::to_string(m))); }

Address token() {
    Address a{};
    a[0] = 0x70;
    return a;
}

router::RegistryState make_registry(std::uint32_t n, bool spread, bench::Rng& rng) {
    static const char* kRegions[] = {"eu-west",  "eu-central", "us-east", "us-west",
                                     "ap-south", "ap-east",    "sa-east", "af-south"};
    router::RegistryState s;
    for (std::uint32_t m = 0; m < 50; ++m) {
        s.models.push_back({model(m), static_cast<std::uint16_t>(7'000 + rng.below(3'000))});
    }
    for (std::uint32_t i = 0; i < n; ++i) {
        router::OperatorRecord r;
        r.address[0] = 0x0b;
        for (int b = 0; b < 4; ++b)
            r.address[static_cast<std::size_t>(16 + b)] = static_cast<std::uint8_t>(i >> (24 - 8 * b));
        r.active = rng.below(50) != 0;
        r.endpoint = "http://10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ":8080";
        r.region = kRegions[rng.below(8)];
        r.hardware = static_cast<std::uint16_t>(rng.below(3));
        r.capacity = static_cast<std::uint32_t>(4 + rng.below(60));
        r.proof_modes = static_cast<std::uint8_t>(1 + rng.below(7));
        r.stake = static_cast<route::Amount>(rng.below(1'000'000)) * 1'000'000'000'000ULL;
        const std::uint32_t served = spread ? 3 : 1;
        for (std::uint32_t k = 0; k < served; ++k) {
            const std::uint32_t m = spread ? static_cast<std::uint32_t>(rng.below(50)) : 0;
            r.services.push_back(
                {model(m), token(), static_cast<route::Amount>(1 + rng.below(1'000)) * 1'000'000'000'000ULL});
        }
        s.operators.push_back(std::move(r));
    }
    return s;
}

router::RouteRequest query(std::uint32_t m) {
    router::RouteRequest q;
    q.models = {model(m)};
    q.token = token();
    q.max_price = static_cast<route::Amount>(800) * 1'000'000'000'000ULL;
    q.region_allow = {"eu-west", "eu-central", "us-east", "us-west", "ap-south", "ap-east"};
    q.region_deny = {"ap-east"};
    q.hardware = {1, 2};
    q.proof_modes = route::kProofChallenge;
    q.min_quality = 5'000;
    q.value = static_cast<route::Amount>(10) * 1'000'000'000'000'000ULL;
    q.min_stake_ratio_bips = 100;
    q.weights = {1, 2, 1, 0.5};
    return q;
}

void BM_route(benchmark::State& state) {
    const auto policy = static_cast<bench::Policy>(state.range(0));
    const auto n = static_cast<std::uint32_t>(state.range(1));
    const bool spread = state.range(2) != 0;
    bench::Rng rng{1234};
    router::Matcher engine;
    engine.publish(make_registry(n, spread, rng));
    // Some load and a few unhealthy operators, so the gates have work to do.
    for (std::uint32_t i = 0; i < n; i += 7) engine.on_dispatch(i);
    for (std::uint32_t i = 0; i < n; i += 11) engine.on_complete(i, 20.0 + static_cast<double>(i % 50), true, 0);
    for (std::uint32_t i = 0; i < n; i += 97) engine.on_failure(i, 0);
    bench::Chooser chooser(engine);
    std::vector<router::RouteRequest> queries;
    for (std::uint32_t m = 0; m < (spread ? 50u : 1u); ++m) queries.push_back(query(m));
    std::vector<double> ns, cpu_ns;
    ns.reserve(1 << 20);
    cpu_ns.reserve(1 << 20);
    std::size_t qi = 0;
    std::int64_t found = 0;
    for (auto _ : state) {
        const double c0 = thread_cpu_ns();
        const auto t0 = std::chrono::steady_clock::now();
        const std::int64_t slot = chooser.choose(policy, queries[qi], 100, rng);
        const auto t1 = std::chrono::steady_clock::now();
        const double c1 = thread_cpu_ns();
        benchmark::DoNotOptimize(slot);
        found += slot >= 0 ? 1 : 0;
        qi = qi + 1 == queries.size() ? 0 : qi + 1;
        if (ns.size() < ns.capacity()) {
            ns.push_back(static_cast<double>((t1 - t0).count()));
            cpu_ns.push_back(c1 - c0);
        }
    }
    if (found == 0) state.SkipWithError("no decision found a candidate");
    std::sort(ns.begin(), ns.end());
    std::sort(cpu_ns.begin(), cpu_ns.end());
    auto pct = [](const std::vector<double>& v, double p) {
        return v.empty() ? 0.0 : v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
    };
    // Wall-clock percentiles include preemption on a shared machine; thread-CPU ones do not
    // (they include the ~0.3 us of the two clock_gettime calls).
    state.counters["p50_us"] = pct(ns, 0.50) / 1e3;
    state.counters["p99_us"] = pct(ns, 0.99) / 1e3;
    state.counters["p50_cpu_us"] = pct(cpu_ns, 0.50) / 1e3;
    state.counters["p99_cpu_us"] = pct(cpu_ns, 0.99) / 1e3;
    state.counters["decisions_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.SetLabel(std::string(bench::name(policy)) + (spread ? " spread" : " one-model"));
}

void args(benchmark::internal::Benchmark* b) {
    for (int spread : {1, 0}) {
        for (int n : {1'000, 10'000, 100'000}) {
            for (int p = 0; p < 5; ++p) b->Args({p, n, spread});
        }
    }
}

BENCHMARK(BM_route)->Apply(args)->MinTime(0.3);

}  // namespace
