// Routing simulator: a deterministic discrete-event model of operators serving requests, used
// to compare the engine with random, round-robin, least-outstanding and plain P2C in one run.
//
//   build/release/bench/router_sim [--seeds N] [--seed S]
//
// Scenarios (each run over N seeds; medians printed):
//  regret    a replayed trace (low load) with random constraints and preference weights against
//            an offline oracle that knows every operator's true mean latency, price and quality:
//            mean / p95 regret (cost units in [0, 1]), share of oracle-optimal choices, and
//            constraint violations checked against the ground truth.
//  tail      60% load, one operator's service time x10 for 30 of 120 simulated seconds:
//            p50 / p99 / p99.9 latency and success rate at a 1 s timeout, and the p99 ratio to
//            the same policy's run without the degraded operator.
//  failover  one operator stops answering at t = 30 s (every request to it times out): time
//            until it gets under 1% of traffic for good, requests sent to it, failed share in the
//            30 s after the failure.
// Operators run k parallel slots with a FIFO queue; service times are lognormal around each
// operator's mean. A timed-out request counts as failed, with latency = the timeout.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <queue>
#include <string>
#include <vector>

#include "core/keccak.hpp"
#include "router_policies.hpp"

namespace {

using namespace sigil;
using bench::Policy;

const Hash kModelA = keccak256(std::string_view("sim-model-a"));
const Hash kModelB = keccak256(std::string_view("sim-model-b"));
const char* const kRegions[] = {"eu", "us", "ap", "sa"};

Address token() {
    Address a{};
    a[0] = 0x70;
    return a;
}

/// Ground truth of one operator.
struct Truth {
    double mean_ms = 50;
    int slots = 4;
    std::uint32_t price = 10;
    int region = 0;
    std::uint16_t hardware = 0;
    bool serves_b = false;
};

struct World {
    std::vector<Truth> ops;
    std::uint16_t quality_a = 8'000, quality_b = 9'200;
};

World make_world(int n, bench::Rng& rng) {
    World w;
    for (int i = 0; i < n; ++i) {
        Truth t;
        t.mean_ms = 20 + 40 * rng.uniform();
        t.slots = 4;
        t.price = static_cast<std::uint32_t>(5 + rng.below(46));
        t.region = static_cast<int>(rng.below(4));
        t.hardware = static_cast<std::uint16_t>(rng.below(3));
        t.serves_b = rng.below(2) == 0;
        w.ops.push_back(t);
    }
    return w;
}

router::RegistryState registry(const World& w) {
    router::RegistryState s;
    for (std::size_t i = 0; i < w.ops.size(); ++i) {
        const Truth& t = w.ops[i];
        router::OperatorRecord r;
        r.address[0] = 0x0b;
        r.address[19] = static_cast<std::uint8_t>(i);
        r.active = true;
        r.region = kRegions[t.region];
        r.hardware = t.hardware;
        r.capacity = 32;
        r.stake = 1'000'000;
        r.services.push_back({kModelA, token(), t.price});
        if (t.serves_b) r.services.push_back({kModelB, token(), t.price + 5});
        s.operators.push_back(r);
    }
    s.models = {{kModelA, w.quality_a}, {kModelB, w.quality_b}};
    return s;
}

double normal(bench::Rng& rng) {
    const double u1 = std::max(rng.uniform(), 1e-12), u2 = rng.uniform();
    return std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

struct Req {
    double arrival = 0;
    std::int64_t op = -1;
    bool done = false;
    bool failed = false;
    double latency = 0;
};

struct Scenario {
    double rate_per_s = 600;
    double duration_s = 120;
    double timeout_ms = 1'000;
    int degraded = -1;
    double deg_from_s = 30, deg_to_s = 60, deg_factor = 10;
    int dead = -1;
    double dead_at_s = 30;
    bool trace = false;  // regret trace: random constraints and weights per request
};

struct RunResult {
    std::vector<double> latencies;
    std::size_t ok = 0, failed = 0;
    std::vector<double> regrets;
    std::size_t optimal = 0, decided = 0, violations = 0, missed = 0;
    std::vector<std::pair<double, int>> dispatches;  // (time s, op)
    std::size_t failed_after_death = 0, total_after_death = 0;
};

struct Event {
    double t;
    std::uint64_t seq;
    int kind;  // 0 arrival, 1 completion, 2 timeout
    std::size_t req;
    bool operator>(const Event& o) const { return t != o.t ? t > o.t : seq > o.seq; }
};

/// Ground-truth check and cost of operator `i` for a trace request (independent of the engine).
struct TraceReq {
    router::RouteRequest route;
    std::vector<int> allow;  // region indices (empty = any)
    std::uint32_t max_price = 0;
    std::uint16_t min_quality = 0;
    bool task_class = false;  // both models acceptable
};

/// Whether operator `i`'s offer of model B (`b`) or A meets the request, by the ground truth.
bool truth_ok(const World& w, std::size_t i, bool b, const TraceReq& q) {
    const Truth& t = w.ops[i];
    if (!q.allow.empty() && std::find(q.allow.begin(), q.allow.end(), t.region) == q.allow.end()) return false;
    if (b) return q.task_class && t.serves_b && t.price + 5 <= q.max_price && w.quality_b >= q.min_quality;
    return t.price <= q.max_price && w.quality_a >= q.min_quality;
}

class Sim {
public:
    Sim(const World& w, const Scenario& sc, Policy p, std::uint64_t seed)
        : w_(w), sc_(sc), policy_(p), rng_{seed}, chooser_(engine_) {
        engine_.publish(registry(w));
        busy_.assign(w.ops.size(), 0);
        queue_.resize(w.ops.size());
    }

    RunResult run() {
        double t = 0;
        std::uint64_t seq = 0;
        const double gap = 1'000.0 / sc_.rate_per_s;
        while (t < sc_.duration_s * 1'000) {
            t += -std::log(std::max(rng_.uniform(), 1e-12)) * gap;
            events_.push({t, seq++, 0, reqs_.size()});
            reqs_.push_back({t, -1, false, false, 0});
        }
        seq_ = seq;
        while (!events_.empty()) {
            const Event e = events_.top();
            events_.pop();
            if (e.kind == 0) arrive(e.t, e.req);
            if (e.kind == 1) complete(e.t, e.req);
            if (e.kind == 2) time_out(e.t, e.req);
        }
        for (const Req& r : reqs_) {
            out_.latencies.push_back(r.latency);
            (r.failed ? out_.failed : out_.ok) += 1;
        }
        return std::move(out_);
    }

private:
    std::int64_t ms(double t) const { return static_cast<std::int64_t>(t); }

    double service(int op, double t) {
        double mean = w_.ops[static_cast<std::size_t>(op)].mean_ms;
        if (op == sc_.degraded && t >= sc_.deg_from_s * 1'000 && t < sc_.deg_to_s * 1'000) mean *= sc_.deg_factor;
        const double sigma = 0.35;
        return mean * std::exp(sigma * normal(rng_) - sigma * sigma / 2);
    }

    TraceReq trace_request() {
        TraceReq q;
        q.route.token = token();
        q.task_class = rng_.below(3) == 0;
        q.route.models = q.task_class ? std::vector<Hash>{kModelA, kModelB} : std::vector<Hash>{kModelA};
        q.max_price = static_cast<std::uint32_t>(20 + rng_.below(40));
        q.route.max_price = q.max_price;
        if (rng_.below(2) == 0) {
            for (int r = 0; r < 4; ++r) {
                if (rng_.below(2) == 0) {
                    q.allow.push_back(r);
                    q.route.region_allow.push_back(kRegions[r]);
                }
            }
        }
        q.min_quality = rng_.below(4) == 0 ? 9'000 : 0;
        q.route.min_quality = q.min_quality;
        static const route::Weights kProfiles[] = {
            {1, 1, 1, 0}, {3, 1, 0, 0}, {0, 1, 0, 0}, {1, 0, 3, 0}, {1, 2, 1, 0}};
        q.route.weights = kProfiles[rng_.below(5)];
        return q;
    }

    /// True (noise-free) cost of every truth-eligible offer (index 2 x op + is-model-B), min-max
    /// normalized over the eligible offers like the engine; 2 for ineligible offers.
    std::vector<double> true_costs(const TraceReq& q) {
        const std::size_t n = 2 * w_.ops.size();
        std::vector<double> price(n), lat(n), qual(n), cost(n, 2);
        std::vector<char> ok(n, 0);
        double lo[3] = {1e300, 1e300, 1e300}, hi[3] = {-1e300, -1e300, -1e300};
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t i = k / 2;
            const bool b = k % 2 == 1;
            if (!truth_ok(w_, i, b, q)) continue;
            ok[k] = 1;
            price[k] = w_.ops[i].price + (b ? 5.0 : 0.0);
            lat[k] = w_.ops[i].mean_ms;
            qual[k] = b ? w_.quality_b : w_.quality_a;
            const double v[3] = {price[k], lat[k], qual[k]};
            for (int j = 0; j < 3; ++j) lo[j] = std::min(lo[j], v[j]), hi[j] = std::max(hi[j], v[j]);
        }
        const route::Weights& wt = q.route.weights;
        const double sum = wt.price + wt.latency + wt.quality;
        auto norm = [&](int j, double v, bool low_good) {
            if (!(hi[j] > lo[j])) return 0.0;
            return low_good ? (v - lo[j]) / (hi[j] - lo[j]) : (hi[j] - v) / (hi[j] - lo[j]);
        };
        for (std::size_t k = 0; k < n; ++k) {
            if (!ok[k]) continue;
            cost[k] = (wt.price * norm(0, price[k], true) + wt.latency * norm(1, lat[k], true) +
                       wt.quality * norm(2, qual[k], false)) /
                      sum;
        }
        return cost;
    }

    void arrive(double t, std::size_t id) {
        Req& r = reqs_[id];
        std::int64_t op = -1;
        if (sc_.trace) {
            const TraceReq q = trace_request();
            const std::vector<double> cost = true_costs(q);
            const double best = *std::min_element(cost.begin(), cost.end());
            const bench::Pick pk = chooser_.pick(policy_, q.route, ms(t), rng_);
            op = pk.slot;
            if (op < 0) {
                if (best <= 1) ++out_.missed;
            } else {
                ++out_.decided;
                const std::size_t k = 2 * static_cast<std::size_t>(op) + (pk.model == kModelB ? 1 : 0);
                if (cost[k] > 1) {
                    ++out_.violations;
                } else {
                    out_.regrets.push_back(cost[k] - best);
                    out_.optimal += cost[k] <= best + 1e-12 ? 1u : 0u;
                }
            }
        } else {
            router::RouteRequest q;
            q.models = {kModelA};
            q.token = token();
            q.weights = {0, 1, 0, 0};
            op = chooser_.choose(policy_, q, ms(t), rng_);
        }
        r.op = op;
        events_.push({t + sc_.timeout_ms, seq_++, 2, id});
        if (op < 0) return;
        const auto slot = static_cast<std::uint32_t>(op);
        engine_.on_dispatch(slot);
        out_.dispatches.push_back({t / 1'000, static_cast<int>(op)});
        if (sc_.dead == op && t >= sc_.dead_at_s * 1'000) return;  // black hole
        start_or_queue(t, id);
    }

    void start_or_queue(double t, std::size_t id) {
        const auto op = static_cast<std::size_t>(reqs_[id].op);
        if (busy_[op] < w_.ops[op].slots) {
            ++busy_[op];
            events_.push({t + service(static_cast<int>(op), t), seq_++, 1, id});
        } else {
            queue_[op].push_back(id);
        }
    }

    void complete(double t, std::size_t id) {
        Req& r = reqs_[id];
        const auto op = static_cast<std::size_t>(r.op);
        --busy_[op];
        while (!queue_[op].empty()) {
            const std::size_t next = queue_[op].front();
            queue_[op].pop_front();
            if (reqs_[next].done) continue;  // timed out while waiting: dropped
            ++busy_[op];
            events_.push({t + service(static_cast<int>(op), t), seq_++, 1, next});
            break;
        }
        if (r.done) return;
        r.done = true;
        r.latency = t - r.arrival;
        engine_.on_complete(static_cast<std::uint32_t>(r.op), r.latency, true, ms(t));
        count_death_window(r);
    }

    void time_out(double t, std::size_t id) {
        Req& r = reqs_[id];
        if (r.done) return;
        r.done = true;
        r.failed = true;
        r.latency = sc_.timeout_ms;
        if (r.op >= 0) engine_.on_complete(static_cast<std::uint32_t>(r.op), sc_.timeout_ms, false, ms(t));
        count_death_window(r);
    }

    void count_death_window(const Req& r) {
        if (sc_.dead < 0) return;
        const double a = r.arrival / 1'000;
        if (a < sc_.dead_at_s || a >= sc_.dead_at_s + 30) return;
        ++out_.total_after_death;
        out_.failed_after_death += r.failed ? 1u : 0u;
    }

    const World& w_;
    Scenario sc_;
    Policy policy_;
    bench::Rng rng_;
    router::Matcher engine_;
    bench::Chooser chooser_;
    std::vector<Req> reqs_;
    std::vector<int> busy_;
    std::vector<std::deque<std::size_t>> queue_;
    std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events_;
    std::uint64_t seq_ = 0;
    RunResult out_;
};

double pct(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

double median(std::vector<double> v) { return pct(std::move(v), 0.5); }

double mean(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return v.empty() ? 0 : s / static_cast<double>(v.size());
}

/// Seconds after the failure until the dead operator's share of each following 1 s window stays
/// below 1% for the rest of the run (the run's remaining length when it never does).
double stop_time(const RunResult& r, const Scenario& sc) {
    const int windows = static_cast<int>(sc.duration_s - sc.dead_at_s);
    std::vector<int> to_dead(static_cast<std::size_t>(windows), 0), all(static_cast<std::size_t>(windows), 0);
    for (const auto& [t, op] : r.dispatches) {
        if (t < sc.dead_at_s) continue;
        const auto k = static_cast<std::size_t>(std::min(static_cast<int>(t - sc.dead_at_s), windows - 1));
        ++all[k];
        to_dead[k] += op == sc.dead ? 1 : 0;
    }
    int last_bad = -1;
    for (int k = 0; k < windows; ++k) {
        const auto i = static_cast<std::size_t>(k);
        if (all[i] > 0 && 100 * to_dead[i] >= all[i]) last_bad = k;
    }
    if (last_bad < 0) {
        // Under 1% from the first window: resolve inside it from the last dispatch.
        double last = sc.dead_at_s;
        for (const auto& [t, op] : r.dispatches) {
            if (op == sc.dead && t >= sc.dead_at_s && t < sc.dead_at_s + 1) last = t;
        }
        return last - sc.dead_at_s;
    }
    return last_bad + 1.0;
}

}  // namespace

int main(int argc, char** argv) {
    int seeds = 5;
    std::uint64_t base_seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--seeds") == 0)
            seeds = std::max(1, std::atoi(argv[i + 1]));
        else if (std::strcmp(argv[i], "--seed") == 0)
            base_seed = std::strtoull(argv[i + 1], nullptr, 10);
        else {
            std::fprintf(stderr, "usage: router_sim [--seeds N] [--seed S]\n");
            return 2;
        }
    }
    std::printf("router_sim: %d seeds from %llu; medians over seeds\n\n", seeds,
                static_cast<unsigned long long>(base_seed));

    // 1. Regret against the offline oracle.
    std::printf("## regret (24 operators, 100 req/s for 120 s, random constraints and weights)\n");
    std::printf("%-18s %10s %10s %10s %11s %8s\n", "policy", "mean", "p95", "optimal%", "violations", "missed");
    for (Policy p : bench::kPolicies) {
        std::vector<double> m, p95, opt, viol, miss;
        for (int s = 0; s < seeds; ++s) {
            bench::Rng wr{base_seed + static_cast<std::uint64_t>(s)};
            const World w = make_world(24, wr);
            Scenario sc;
            sc.trace = true;
            sc.rate_per_s = 100;
            const RunResult r = Sim(w, sc, p, 1000 + base_seed + static_cast<std::uint64_t>(s)).run();
            m.push_back(mean(r.regrets));
            p95.push_back(pct(r.regrets, 0.95));
            opt.push_back(r.decided == 0 ? 0 : 100.0 * static_cast<double>(r.optimal) / static_cast<double>(r.decided));
            viol.push_back(static_cast<double>(r.violations));
            miss.push_back(static_cast<double>(r.missed));
        }
        std::printf("%-18s %10.4f %10.4f %10.1f %11.0f %8.0f\n", std::string(bench::name(p)).c_str(), median(m),
                    median(p95), median(opt), median(viol), median(miss));
    }

    // 2. Tail latency with a degraded operator.
    std::printf("\n## tail (10 operators, 600 req/s = ~60%% load, op 0 x10 slower for 30 of 120 s, 1 s timeout)\n");
    std::printf("%-18s %9s %9s %10s %9s %14s\n", "policy", "p50 ms", "p99 ms", "p99.9 ms", "success%", "p99 / healthy");
    for (Policy p : bench::kPolicies) {
        std::vector<double> p50, p99, p999, succ, ratio;
        for (int s = 0; s < seeds; ++s) {
            bench::Rng wr{base_seed + static_cast<std::uint64_t>(s)};
            const World w = make_world(10, wr);
            Scenario healthy;
            Scenario degraded;
            degraded.degraded = 0;
            const std::uint64_t seed = 2000 + base_seed + static_cast<std::uint64_t>(s);
            const RunResult h = Sim(w, healthy, p, seed).run();
            const RunResult d = Sim(w, degraded, p, seed).run();
            p50.push_back(pct(d.latencies, 0.5));
            p99.push_back(pct(d.latencies, 0.99));
            p999.push_back(pct(d.latencies, 0.999));
            succ.push_back(100.0 * static_cast<double>(d.ok) / static_cast<double>(d.ok + d.failed));
            ratio.push_back(pct(d.latencies, 0.99) / pct(h.latencies, 0.99));
        }
        std::printf("%-18s %9.1f %9.1f %10.1f %9.3f %14.2f\n", std::string(bench::name(p)).c_str(), median(p50),
                    median(p99), median(p999), median(succ), median(ratio));
    }

    // 3. Failover.
    std::printf("\n## failover (10 operators, 600 req/s, op 0 stops answering at 30 s of 90 s, 1 s timeout)\n");
    std::printf("%-18s %14s %14s %18s\n", "policy", "stop after s", "sent to dead", "failed% (30 s)");
    for (Policy p : bench::kPolicies) {
        std::vector<double> stop, sent, failed;
        for (int s = 0; s < seeds; ++s) {
            bench::Rng wr{base_seed + static_cast<std::uint64_t>(s)};
            const World w = make_world(10, wr);
            Scenario sc;
            sc.duration_s = 90;
            sc.dead = 0;
            const RunResult r = Sim(w, sc, p, 3000 + base_seed + static_cast<std::uint64_t>(s)).run();
            stop.push_back(stop_time(r, sc));
            double n = 0;
            for (const auto& [t, op] : r.dispatches) n += (op == 0 && t >= sc.dead_at_s) ? 1 : 0;
            sent.push_back(n);
            failed.push_back(r.total_after_death == 0 ? 0
                                                      : 100.0 * static_cast<double>(r.failed_after_death) /
                                                            static_cast<double>(r.total_after_death));
        }
        std::printf("%-18s %14.2f %14.0f %18.3f\n", std::string(bench::name(p)).c_str(), median(stop), median(sent),
                    median(failed));
    }
    return 0;
}
