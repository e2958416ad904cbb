#include "core/route/filter.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

namespace sigil::route {
namespace {

Offer offer() {
    Offer o;
    o.price = 100;
    o.stake = 1'000;
    o.capacity = 4;
    o.region = 2;
    o.hardware = 1;
    o.quality = 9'000;
    o.proof_modes = kProofChallenge | kProofRedundant;
    return o;
}

TEST(route_filter, each_constraint_has_its_reason) {
    const Offer o = offer();
    Query q;
    EXPECT_EQ(check_static(o, q), Reject::none);
    q.max_price = 99;
    EXPECT_EQ(check_static(o, q), Reject::price);
    q = {};
    q.region_allow = {1, 3};
    EXPECT_EQ(check_static(o, q), Reject::region_not_allowed);
    q = {};
    q.region_deny = {2};
    EXPECT_EQ(check_static(o, q), Reject::region_denied);
    q = {};
    q.hardware = {0};
    EXPECT_EQ(check_static(o, q), Reject::hardware);
    q = {};
    q.proof_modes = kProofSampled;
    EXPECT_EQ(check_static(o, q), Reject::proof_mode);
    q = {};
    q.min_quality = 9'001;
    EXPECT_EQ(check_static(o, q), Reject::quality);
    q = {};
    q.value = 10'000;
    q.min_stake_ratio_bips = 1'001;  // needs 1001 > 1000
    EXPECT_EQ(check_static(o, q), Reject::stake);
    q.min_stake_ratio_bips = 1'000;
    EXPECT_EQ(check_static(o, q), Reject::none);
    Offer off = o;
    off.active = false;
    EXPECT_EQ(check_static(off, {}), Reject::inactive);
    EXPECT_EQ(to_string(Reject::region_denied), "region_denied");
}

TEST(route_filter, load_gates_cooldown_and_capacity) {
    const HealthParams p;
    const Offer o = offer();
    Load l;
    l.latency = {10, 0};
    l.outstanding = 3;
    EXPECT_EQ(check_load(o, l, 0, p), Reject::none);
    EXPECT_EQ(check_load(o, l, 5'001, p), Reject::capacity);  // stale estimate: one probe at a time
    l.outstanding = 4;
    EXPECT_EQ(check_load(o, l, 0, p), Reject::capacity);
    l.outstanding = 0;
    EXPECT_EQ(check_load(o, l, 5'001, p), Reject::none);
    l.health = {1, 500};
    EXPECT_EQ(check_load(o, l, 499, p), Reject::cooling_down);
    l.outstanding = 1;  // readmitted with ceil(4 / 8) = 1 seat
    EXPECT_EQ(check_load(o, l, 500, p), Reject::capacity);
}

TEST(route_filter, required_stake_rounds_up_and_saturates) {
    EXPECT_EQ(required_stake(0, 5'000), Amount{0});
    EXPECT_EQ(required_stake(3, 5'000), Amount{2});
    EXPECT_EQ(required_stake(20'000, 15'000), Amount{30'000});
    EXPECT_EQ(required_stake(kMaxAmount, 20'000), kMaxAmount);
}

// Property: an offer that passes is within every bound of the query.
RC_GTEST_PROP(route_filter, passing_offers_satisfy_every_constraint, ()) {
    // Hardware classes on both sides of the 64-class mask limit.
    const auto hwgen = rc::gen::oneOf(rc::gen::inRange<std::uint16_t>(0, 4), rc::gen::inRange<std::uint16_t>(62, 68));
    // Each constraint is active in about half of the queries, so offers pass often enough.
    auto sometimes = [] { return *rc::gen::arbitrary<bool>(); };
    Query q;
    if (sometimes()) q.max_price = *rc::gen::inRange<std::uint64_t>(0, 1'000);
    std::vector<std::uint16_t> allow, deny, hw;
    if (sometimes()) allow = *rc::gen::container<std::vector<std::uint16_t>>(rc::gen::inRange<std::uint16_t>(0, 6));
    if (sometimes()) deny = *rc::gen::container<std::vector<std::uint16_t>>(rc::gen::inRange<std::uint16_t>(0, 6));
    if (sometimes()) hw = *rc::gen::container<std::vector<std::uint16_t>>(hwgen);
    std::sort(allow.begin(), allow.end());
    std::sort(deny.begin(), deny.end());
    std::sort(hw.begin(), hw.end());
    q.region_allow = allow;
    q.region_deny = deny;
    q.hardware = hw;
    if (sometimes()) q.proof_modes = *rc::gen::inRange<std::uint8_t>(0, 8);
    if (sometimes()) q.min_quality = *rc::gen::inRange<std::uint16_t>(0, 10'001);
    if (sometimes()) {
        q.value = *rc::gen::inRange<std::uint64_t>(0, 1'000'000);
        q.min_stake_ratio_bips = *rc::gen::inRange<std::uint32_t>(0, 30'000);
    }
    // The prepared form (tables and masks) must give the same verdict as the plain lists.
    Query prepared = q;
    prepare(prepared, *rc::gen::inRange<std::size_t>(0, 7));
    int passed = 0;
    for (int k = 0; k < 20; ++k) {
        Offer o;
        o.price = *rc::gen::inRange<std::uint64_t>(0, 1'000);
        o.stake = *rc::gen::inRange<std::uint64_t>(0, 1'000'000);
        o.region = *rc::gen::inRange<std::uint16_t>(0, 6);
        o.hardware = *hwgen;
        o.quality = *rc::gen::inRange<std::uint16_t>(0, 10'001);
        o.proof_modes = *rc::gen::inRange<std::uint8_t>(0, 8);
        o.active = *rc::gen::weightedElement<bool>({{9, true}, {1, false}});
        const Reject verdict = check_static(o, q);
        RC_ASSERT(check_static(o, prepared) == verdict);
        if (verdict != Reject::none) continue;
        ++passed;
        RC_ASSERT(o.active);
        RC_ASSERT(o.price <= q.max_price);
        RC_ASSERT(allow.empty() || std::count(allow.begin(), allow.end(), o.region) > 0);
        RC_ASSERT(std::count(deny.begin(), deny.end(), o.region) == 0);
        RC_ASSERT(hw.empty() || std::count(hw.begin(), hw.end(), o.hardware) > 0);
        RC_ASSERT((o.proof_modes & q.proof_modes) == q.proof_modes);
        RC_ASSERT(o.quality >= q.min_quality);
        // stake x 10000 >= value x ratio, checked in exact 128-bit arithmetic.
        RC_ASSERT(o.stake * 10'000 >= q.value * q.min_stake_ratio_bips);
    }
    RC_TAG(passed == 0 ? "no offer passed" : "some offers passed");
}

}  // namespace
}  // namespace sigil::route
