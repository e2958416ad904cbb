#include "core/route/select.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>

namespace sigil::route {
namespace {

std::vector<Scored> three() { return {{0, 10, 50, 9'000, 1, 0}, {1, 20, 10, 9'000, 1, 0}, {2, 30, 30, 9'500, 1, 0}}; }

TEST(route_select, pure_sorts) {
    std::vector<std::uint32_t> out;
    Query q;
    auto s = three();
    q.sort = SortMode::price;
    rank(s, q, 0, out);
    EXPECT_EQ(out, (std::vector<std::uint32_t>{0, 1, 2}));
    q.sort = SortMode::latency;
    rank(s, q, 0, out);
    EXPECT_EQ(out, (std::vector<std::uint32_t>{1, 2, 0}));
    q.sort = SortMode::quality;
    rank(s, q, 0, out);
    EXPECT_EQ(out[0], 2u);
}

TEST(route_select, weights_trade_terms) {
    std::vector<std::uint32_t> out;
    Query q;
    auto s = three();
    q.weights = {1, 0, 0, 0};
    rank(s, q, 7, out);
    EXPECT_EQ(out[0], 0u);
    q.weights = {1, 3, 0, 0};  // price 0 / 0.5 / 1, latency 1 / 0 / 0.5 -> 0.75 / 0.125 / 0.625
    rank(s, q, 7, out);
    EXPECT_EQ(out, (std::vector<std::uint32_t>{1, 2, 0}));
    EXPECT_NEAR(s[1].cost, 0.125, 1e-12);
}

TEST(route_select, fallbacks_are_bounded_and_distinct) {
    std::vector<std::uint32_t> out;
    Query q;
    q.fallbacks = 10;
    auto s = three();
    rank(s, q, 1, out);
    EXPECT_EQ(out.size(), 3u);
    q.fallbacks = 0;
    rank(s, q, 1, out);
    EXPECT_EQ(out.size(), 1u);
    std::vector<Scored> none;
    rank(none, q, 1, out);
    EXPECT_TRUE(out.empty());
}

TEST(route_select, ties_spread_over_the_tied_set) {
    // Eight identical offers: P2C must use all of them, not only the lowest index.
    std::map<std::uint32_t, int> hits;
    Query q;
    std::vector<std::uint32_t> out;
    std::uint64_t r = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < 800; ++i) {
        std::vector<Scored> s(8);
        for (std::uint32_t k = 0; k < 8; ++k) s[k] = {k, 5, 20, 9'000, 1, 0};
        r = r * 6364136223846793005ULL + 1442695040888963407ULL;
        rank(s, q, r, out);
        ++hits[out[0]];
    }
    EXPECT_EQ(hits.size(), 8u);
    for (auto& [k, n] : hits) EXPECT_GT(n, 40) << k;
}

RC_GTEST_PROP(route_select, choice_is_within_the_tie_band, (std::vector<std::uint16_t> prices, std::uint64_t r)) {
    RC_PRE(!prices.empty());
    std::vector<Scored> s;
    for (std::uint32_t i = 0; i < prices.size(); ++i) s.push_back({i, double(prices[i]), 10.0 + i % 3, 9'000, 1, 0});
    Query q;
    std::vector<std::uint32_t> out;
    rank(s, q, r, out);
    double best = 2;
    for (const Scored& e : s) best = std::min(best, e.cost);
    RC_ASSERT(s[out[0]].cost <= best + kTieEpsilon + 1e-12);
    for (std::size_t i = 2; i < out.size(); ++i) RC_ASSERT(s[out[i - 1]].cost <= s[out[i]].cost);
    for (std::size_t i = 0; i < out.size(); ++i)
        for (std::size_t j = i + 1; j < out.size(); ++j) RC_ASSERT(out[i] != out[j]);
}

}  // namespace
}  // namespace sigil::route
