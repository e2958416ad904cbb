#include "router/matcher.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <thread>

#include "core/keccak.hpp"
#include "core/route/filter.hpp"

namespace sigil::router {
namespace {

Address addr(std::uint32_t i) {
    Address a{};
    a[16] = static_cast<std::uint8_t>(i >> 24);
    a[17] = static_cast<std::uint8_t>(i >> 16);
    a[18] = static_cast<std::uint8_t>(i >> 8);
    a[19] = static_cast<std::uint8_t>(i);
    a[0] = 0xaa;
    return a;
}

const Hash kModelA = keccak256(std::string_view("model-a"));
const Hash kModelB = keccak256(std::string_view("model-b"));
const Address kToken = addr(0xffff);

OperatorRecord op(std::uint32_t i, Amount price, std::string region = "eu", std::uint32_t capacity = 4) {
    OperatorRecord r;
    r.address = addr(i);
    r.active = true;
    r.endpoint = "http://node" + std::to_string(i);
    r.region = std::move(region);
    r.hardware = 1;
    r.capacity = capacity;
    r.stake = 1'000;
    r.services.push_back({kModelA, kToken, price});
    return r;
}

RouteRequest req_a() {
    RouteRequest r;
    r.models = {kModelA};
    r.token = kToken;
    return r;
}

TEST(router_matcher, ranks_by_price_with_fallbacks) {
    Matcher e;
    RegistryState s;
    s.operators = {op(1, 30), op(2, 10), op(3, 20)};
    e.publish(s);
    RouteRequest r = req_a();
    r.sort = route::SortMode::price;
    auto d = e.route(r, 0, 42);
    ASSERT_TRUE(d);
    ASSERT_EQ(d->ranked.size(), 3u);
    EXPECT_EQ(d->ranked[0].operator_address, addr(2));
    EXPECT_EQ(d->ranked[1].operator_address, addr(3));
    EXPECT_EQ(d->ranked[2].operator_address, addr(1));
    EXPECT_EQ(d->ranked[0].endpoint, "http://node2");
    EXPECT_EQ(d->ranked[0].price, Amount{10});
}

TEST(router_matcher, named_errors) {
    Matcher e;
    RegistryState s;
    s.operators = {op(1, 30)};
    e.publish(s);
    RouteRequest r = req_a();
    r.models.clear();
    EXPECT_EQ(e.route(r, 0, 1).error().error, RouteError::no_model);
    r.models = {kModelB};
    EXPECT_EQ(e.route(r, 0, 1).error().error, RouteError::unknown_market);
    r = req_a();
    r.max_price = 29;
    auto f = e.route(r, 0, 1);
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error().error, RouteError::no_candidate);
    EXPECT_EQ(f.error().rejected[static_cast<std::size_t>(route::Reject::price)], 1u);
    r = req_a();
    r.region_allow = {"mars"};  // unknown region: nobody qualifies
    EXPECT_EQ(e.route(r, 0, 1).error().error, RouteError::no_candidate);
    EXPECT_EQ(to_string(RouteError::unknown_market), "unknown_market");
}

TEST(router_matcher, task_class_uses_quality) {
    Matcher e;
    RegistryState s;
    OperatorRecord b = op(2, 10);
    b.services = {{kModelB, kToken, 10}};
    s.operators = {op(1, 10), b};
    s.models = {{kModelA, 8'000}, {kModelB, 9'500}};
    e.publish(s);
    RouteRequest r = req_a();
    r.models = {kModelA, kModelB};
    r.min_quality = 9'000;
    auto d = e.route(r, 0, 1);
    ASSERT_TRUE(d);
    ASSERT_EQ(d->ranked.size(), 1u);
    EXPECT_EQ(d->ranked[0].model, kModelB);
}

TEST(router_matcher, failures_cool_down_and_capacity_ramps_back) {
    Matcher e;
    RegistryState s;
    s.operators = {op(1, 10, "eu", 8), op(2, 20, "eu", 8)};
    e.publish(s);
    RouteRequest r = req_a();
    r.sort = route::SortMode::price;
    const auto slot1 = static_cast<std::uint32_t>(e.slot_of(addr(1)));
    e.on_dispatch(slot1);
    e.on_complete(slot1, 5'000, false, 0);  // timeout
    auto d = e.route(r, 500, 1);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->ranked.size(), 1u);
    EXPECT_EQ(d->ranked[0].operator_address, addr(2));
    EXPECT_EQ(d->rejected[static_cast<std::size_t>(route::Reject::cooling_down)], 1u);
    // Readmitted at 1/8 of its capacity: one request in flight fills it.
    EXPECT_EQ(e.route(r, 1'000, 1)->ranked[0].operator_address, addr(1));
    e.on_dispatch(slot1);
    EXPECT_EQ(e.route(r, 1'000, 1)->ranked[0].operator_address, addr(2));
    e.on_complete(slot1, 10, true, 1'100);
    // A second failure while recovering doubles the cooldown.
    e.on_failure(slot1, 2'000);
    EXPECT_EQ(e.load(slot1).health.cooldown_until_ms, 4'000);
}

TEST(router_matcher, slots_and_health_survive_republish) {
    Matcher e;
    RegistryState s;
    s.operators = {op(1, 10), op(2, 20)};
    e.publish(s);
    const auto slot2 = e.slot_of(addr(2));
    e.on_failure(static_cast<std::uint32_t>(slot2), 0);
    s.operators = {op(2, 20), op(3, 5)};
    e.publish(s);
    EXPECT_EQ(e.slot_of(addr(2)), slot2);
    EXPECT_EQ(e.slot_of(addr(1)), -1);
    EXPECT_EQ(e.load(static_cast<std::uint32_t>(slot2)).health.failures, 1u);
    EXPECT_EQ(e.version(), 2u);
}

TEST(router_matcher, readers_and_one_writer_run_together) {
    Matcher e;
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> decisions{0};
    RegistryState s;
    for (std::uint32_t i = 0; i < 64; ++i) s.operators.push_back(op(i, 10 + i % 7));
    e.publish(s);
    std::vector<std::thread> readers;
    for (int t = 0; t < 3; ++t) {
        readers.emplace_back([&, t] {
            std::uint64_t r = static_cast<std::uint64_t>(t) + 1;
            RouteRequest q = req_a();
            q.max_price = 12;
            while (!stop.load()) {
                r = r * 6364136223846793005ULL + 1;
                auto d = e.route(q, 0, r);
                if (!d) continue;
                for (const auto& c : d->ranked) ASSERT_LE(c.price, Amount{12});
                e.on_dispatch(d->ranked[0].slot);
                e.on_complete(d->ranked[0].slot, 5, true, 0);
                decisions.fetch_add(1);
            }
        });
    }
    for (std::uint32_t v = 0; v < 200; ++v) {
        s.operators[v % 64].services[0].price = 10 + (v * 13) % 9;
        e.publish(s);
    }
    stop.store(true);
    for (auto& t : readers) t.join();
    EXPECT_GT(decisions.load(), 0u);
    EXPECT_EQ(e.version(), 201u);
}

// Property: whatever the registry and the request, every returned operator (choice and
// fallbacks) satisfies every hard constraint, and none repeats.
RC_GTEST_PROP(router_engine, hard_constraints_are_never_violated, ()) {
    const std::vector<std::string> regions = {"eu", "us", "ap", "sa"};
    Matcher e;
    RegistryState s;
    const auto n = *rc::gen::inRange<std::uint32_t>(1, 40);
    for (std::uint32_t i = 0; i < n; ++i) {
        OperatorRecord r =
            op(i, *rc::gen::inRange<std::uint64_t>(1, 100), regions[*rc::gen::inRange<std::size_t>(0, regions.size())],
               *rc::gen::inRange<std::uint32_t>(0, 6));
        r.active = *rc::gen::weightedElement<bool>({{9, true}, {1, false}});
        r.hardware = *rc::gen::inRange<std::uint16_t>(0, 3);
        r.proof_modes = *rc::gen::inRange<std::uint8_t>(0, 8);
        r.stake = *rc::gen::inRange<std::uint64_t>(0, 10'000);
        if (*rc::gen::arbitrary<bool>()) r.services.push_back({kModelB, kToken, r.services[0].price});
        s.operators.push_back(r);
    }
    s.models = {{kModelA, *rc::gen::inRange<std::uint16_t>(0, 10'001)},
                {kModelB, *rc::gen::inRange<std::uint16_t>(0, 10'001)}};
    e.publish(s);
    // Random load and health: every operator has a fresh latency sample, some carry requests,
    // some failed recently.
    for (std::uint32_t i = 0; i < n; ++i) {
        const auto slot = static_cast<std::uint32_t>(e.slot_of(addr(i)));
        e.on_dispatch(slot);
        e.on_complete(slot, *rc::gen::inRange<int>(1, 200), true, 0);
        const auto k = *rc::gen::inRange<int>(0, 4);
        for (int j = 0; j < k; ++j) e.on_dispatch(slot);
        if (*rc::gen::inRange<int>(0, 4) == 0) e.on_failure(slot, *rc::gen::inRange<std::int64_t>(0, 3'000));
    }
    // Ten requests against this registry; each constraint is active in a third of them.
    auto sometimes = [] { return *rc::gen::inRange<int>(0, 3) == 0; };
    int routed = 0;
    for (int round = 0; round < 10; ++round) {
        RouteRequest q;
        q.models = *rc::gen::element(std::vector<Hash>{kModelA}, std::vector<Hash>{kModelB},
                                     std::vector<Hash>{kModelA, kModelB});
        q.token = kToken;
        if (sometimes()) q.max_price = *rc::gen::inRange<std::uint64_t>(1, 120);
        for (const auto& reg : regions) {
            const int pick = *rc::gen::inRange<int>(0, 6);
            if (pick == 0) q.region_allow.push_back(reg);
            if (pick == 1) q.region_deny.push_back(reg);
        }
        if (sometimes()) q.hardware = {*rc::gen::inRange<std::uint16_t>(0, 3)};
        if (sometimes()) q.proof_modes = *rc::gen::inRange<std::uint8_t>(0, 8);
        if (sometimes()) q.min_quality = *rc::gen::inRange<std::uint16_t>(0, 10'001);
        if (sometimes()) {
            q.value = *rc::gen::inRange<std::uint64_t>(0, 100'000);
            q.min_stake_ratio_bips = *rc::gen::inRange<std::uint32_t>(0, 20'000);
        }
        q.sort = *rc::gen::element(route::SortMode::weighted, route::SortMode::price, route::SortMode::latency,
                                   route::SortMode::quality);
        q.fallbacks = *rc::gen::inRange<std::uint32_t>(0, 6);
        const auto now = *rc::gen::inRange<std::int64_t>(0, 5'000);
        auto d = e.route(q, now, *rc::gen::arbitrary<std::uint64_t>());
        if (!d) continue;
        ++routed;
        RC_ASSERT(!d->ranked.empty());
        RC_ASSERT(d->ranked.size() <= q.fallbacks + 1);
        std::vector<std::uint32_t> seen;
        for (const Candidate& c : d->ranked) {
            const OperatorRecord& r = s.operators[c.operator_address[19]];
            RC_ASSERT(std::find(seen.begin(), seen.end(), c.slot) == seen.end());
            seen.push_back(c.slot);
            RC_ASSERT(r.active);
            RC_ASSERT(std::find(q.models.begin(), q.models.end(), c.model) != q.models.end());
            RC_ASSERT(c.price <= q.max_price);
            RC_ASSERT(q.region_allow.empty() ||
                      std::find(q.region_allow.begin(), q.region_allow.end(), r.region) != q.region_allow.end());
            RC_ASSERT(std::find(q.region_deny.begin(), q.region_deny.end(), r.region) == q.region_deny.end());
            RC_ASSERT((q.hardware.empty() || q.hardware[0] == r.hardware));  // (( )): keep || short-circuit
            RC_ASSERT((r.proof_modes & q.proof_modes) == q.proof_modes);
            const std::uint16_t quality = c.model == kModelA ? s.models[0].quality : s.models[1].quality;
            RC_ASSERT(quality >= q.min_quality);
            RC_ASSERT(r.stake * 10'000 >= q.value * q.min_stake_ratio_bips);
            const route::Load l = e.load(c.slot);
            RC_ASSERT(now >= l.health.cooldown_until_ms);
            RC_ASSERT(l.outstanding < r.capacity);
        }
    }
    RC_TAG(routed == 0 ? "none routed" : routed < 5 ? "1-4 of 10 routed" : "5+ of 10 routed");
}

}  // namespace
}  // namespace sigil::router
