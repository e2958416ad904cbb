#include "runtime/lm/sampler.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "runtime/lm/vocab.hpp"

namespace sigil::runtime::lm {
namespace {

constexpr ir::QScale kTenth{1717986918, 3};  // 0.1 = 0.8 * 2^-3

Hash seed_of(std::uint8_t b) {
    Hash h{};
    h[31] = b;
    return h;
}

TEST(sampler, greedy_is_the_argmax_with_ties_to_the_lower_id) {
    const std::vector<std::int32_t> logits{3, 9, -5, 9, 0};
    EXPECT_EQ(sample(logits, kTenth, SamplingParams{}, 0), 1u);
    SamplingParams hot;
    hot.temperature_milli = 1000;
    hot.top_k = 1;  // one candidate: greedy whatever the draw
    for (std::uint64_t step = 0; step < 50; ++step) EXPECT_EQ(sample(logits, kTenth, hot, step), 1u);
    hot.top_k = 0;
    hot.top_p_micro = 1;  // the smallest nucleus is the single most likely token
    for (std::uint64_t step = 0; step < 50; ++step) EXPECT_EQ(sample(logits, kTenth, hot, step), 1u);
}

// top-k keeps the k highest logits with equal ones by lower id: of three tied maxima and k = 2,
// only the first two are ever drawn, each about half the time.
TEST(sampler, top_k_breaks_ties_by_lower_id) {
    const std::vector<std::int32_t> logits{5, 9, 9, 9, 1};
    SamplingParams p;
    p.temperature_milli = 1000;
    p.top_k = 2;
    p.seed = seed_of(9);
    std::map<std::uint32_t, int> seen;
    for (std::uint64_t step = 0; step < 1000; ++step) ++seen[sample(logits, kTenth, p, step)];
    EXPECT_EQ(seen.size(), 2u);
    EXPECT_GT(seen[1], 400);
    EXPECT_GT(seen[2], 400);
}

// With temperature T the draw follows softmax(x * s / T) up to i-exp's error: 20,000 seeded draws
// (the same on every machine) land within 2% of the float probabilities; top-k cuts the tail.
TEST(sampler, draws_follow_the_tempered_softmax) {
    const std::vector<std::int32_t> logits{20, 10, 0, -10, 30};
    for (std::uint32_t t_milli : {500u, 1000u, 2000u}) {
        SamplingParams p;
        p.temperature_milli = t_milli;
        p.seed = seed_of(7);
        std::map<std::uint32_t, int> seen;
        const int n = 20000;
        for (int step = 0; step < n; ++step) ++seen[sample(logits, kTenth, p, static_cast<std::uint64_t>(step))];
        double z = 0;
        std::vector<double> e;
        for (auto x : logits) e.push_back(std::exp(0.1 * x / (t_milli / 1000.0))), z += e.back();
        for (std::size_t j = 0; j < logits.size(); ++j) {
            EXPECT_NEAR(seen[static_cast<std::uint32_t>(j)] / double(n), e[j] / z, 0.02) << "T=" << t_milli << " token " << j;
        }
        p.top_k = 2;
        for (int step = 0; step < 500; ++step) {
            const auto tok = sample(logits, kTenth, p, static_cast<std::uint64_t>(step));
            EXPECT_TRUE(tok == 4 || tok == 0) << tok;
        }
    }
}

// int32 logits (docs/ops.md §2) on a fine grid: two candidates 1/4096 apart stay apart (int8's
// 256 steps would tie them) and the draw still follows the tempered softmax.
TEST(sampler, fine_int32_logits_keep_near_ties_apart) {
    constexpr ir::QScale kQuarterMilli{1 << 30, 11};                                 // 2^-12
    const std::vector<std::int32_t> logits{40960, 40961, 36864, -1'000'000, 45056};  // 10, 10+, 9, -244, 11
    std::vector<std::int32_t> no_top = logits;
    no_top[4] = 0;
    EXPECT_EQ(sample(no_top, kQuarterMilli, SamplingParams{}, 0), 1u);
    SamplingParams p;
    p.temperature_milli = 1000;
    p.seed = seed_of(3);
    std::map<std::uint32_t, int> seen;
    const int n = 20000;
    for (int step = 0; step < n; ++step) ++seen[sample(logits, kQuarterMilli, p, static_cast<std::uint64_t>(step))];
    double z = 0;
    std::vector<double> e;
    for (auto x : logits) e.push_back(std::exp(x / 4096.0)), z += e.back();
    for (std::size_t j = 0; j < logits.size(); ++j)
        EXPECT_NEAR(seen[static_cast<std::uint32_t>(j)] / double(n), e[j] / z, 0.02) << "token " << j;
}

// scaled_gap(d) is the ceiling of the (non-positive) real N / D, N = d * m * 1000 * 2^14 and
// D = T * 2^(31 + shift): checked as the inequalities (a - 1) D < N <= a D over the whole
// parameter range, with INT32_MIN below it.
TEST(sampler, scaled_gap_is_exact_and_saturates) {
    __extension__ typedef __int128 I128;
    std::uint64_t x = 88172645463325252ULL;
    const auto next = [&x] { return x ^= x << 13, x ^= x >> 7, x ^= x << 17; };
    int saturated = 0;
    for (int i = 0; i < 20000; ++i) {
        const std::int64_t d = -static_cast<std::int64_t>(next() % (std::uint64_t{1} << (next() % 34)));
        const ir::QScale s{static_cast<std::int32_t>(next() % (std::uint64_t{1} << 31)),
                           static_cast<std::int32_t>(next() % 63) - 31};
        const auto t = static_cast<std::uint32_t>(1 + next() % 1'000'000);
        const std::int32_t a = scaled_gap(d, s, t);
        const I128 n = static_cast<I128>(d) * s.multiplier * 1000 * (1 << 14);
        const I128 den = static_cast<I128>(t) << (31 + s.shift);
        ASSERT_LE(n, static_cast<I128>(a) * den) << d << " " << s.multiplier << " " << s.shift << " " << t;
        if (a == INT32_MIN) {
            ++saturated;
        } else {
            ASSERT_LT(static_cast<I128>(a - 1) * den, n) << d << " " << s.multiplier << " " << s.shift << " " << t;
        }
    }
    EXPECT_GT(saturated, 100);
    EXPECT_EQ(scaled_gap(0, {INT32_MAX, -31}, 1), 0);
    EXPECT_EQ(scaled_gap(-(std::int64_t{1} << 33), {INT32_MAX, -31}, 1), INT32_MIN);
    EXPECT_EQ(scaled_gap(-1, {1 << 30, -1}, 1000), -(1 << 14));  // one real unit at T = 1: -1.0 in Q14
}

TEST(sampler, the_draw_depends_only_on_seed_and_step) {
    const std::vector<std::int32_t> logits{0, 0, 0, 0, 0, 0, 0, 0};
    SamplingParams a;
    a.temperature_milli = 1000;
    a.seed = seed_of(1);
    SamplingParams b = a;
    b.seed = seed_of(2);
    int same_seed_same = 0, other_seed_same = 0;
    for (std::uint64_t step = 0; step < 200; ++step) {
        same_seed_same += sample(logits, kTenth, a, step) == sample(logits, kTenth, a, step);
        other_seed_same += sample(logits, kTenth, a, step) == sample(logits, kTenth, b, step);
    }
    EXPECT_EQ(same_seed_same, 200);
    EXPECT_LT(other_seed_same, 60);  // 1 in 8 by chance
}

TEST(sampler, parameters_out_of_range_are_named) {
    SamplingParams p;
    p.top_p_micro = 0;
    EXPECT_EQ(check(p), "top_p_micro 0 is outside [1, 1000000]");
    p.top_p_micro = 1'000'001;
    EXPECT_NE(check(p).find("top_p_micro"), std::string::npos);
    p.top_p_micro = 900'000;
    p.temperature_milli = 2'000'000;
    EXPECT_NE(check(p).find("temperature_milli"), std::string::npos);
    p.temperature_milli = 700;
    EXPECT_EQ(check(p), "");
}

TEST(vocabulary, longest_match_encoding_decoding_and_root) {
    auto v = Vocabulary::from_json(R"(["a", "b", "ab", "abc", " ", "b"])");
    ASSERT_TRUE(v) << v.error();
    EXPECT_EQ(v->size(), 6u);
    auto ids = v->encode("abcab b");
    ASSERT_TRUE(ids) << ids.error();
    EXPECT_EQ(*ids, (std::vector<std::uint32_t>{3, 2, 4, 1}));  // "b" keeps its first id
    EXPECT_EQ(*v->decode(*ids), "abcab b");
    EXPECT_EQ(v->encode("abx").error(), "no token matches the text at byte 2");
    EXPECT_EQ(v->decode({6}).error(), "token 6 is outside the vocabulary");
    auto other = Vocabulary::from_json(R"(["a", "b", "ab", "abd", " ", "b"])");
    ASSERT_TRUE(other);
    EXPECT_NE(v->root(), other->root());
    EXPECT_EQ(Vocabulary::from_json("{}").error(), "vocabulary: not a JSON array of strings");
    EXPECT_EQ(Vocabulary::from_json(R"(["a", 3])").error(), "vocabulary: entry 1 is not a string");
    EXPECT_EQ(Vocabulary::from_json(R"(["a", ""])").error(), "vocabulary: entry 1 is empty");
    EXPECT_EQ(Vocabulary::from_json("[]").error(), "vocabulary: empty");
}

}  // namespace
}  // namespace sigil::runtime::lm
