#include "core/kernels/fixedpoint.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <gemmlowp/fixedpoint/fixedpoint.h>
#pragma GCC diagnostic pop

#include "core/kernels/nonlinear.hpp"

namespace sigil::kernels {
namespace {

// The independent implementation: gemmlowp's fixedpoint.h (Debian libgemmlowp-dev).
RC_GTEST_PROP(fixedpoint, srdhm_matches_gemmlowp, (std::int32_t a, std::int32_t b)) {
    RC_ASSERT(srdhm(a, b) == gemmlowp::SaturatingRoundingDoublingHighMul(a, b));
}

RC_GTEST_PROP(fixedpoint, rounding_divide_by_pot_matches_gemmlowp, (std::int32_t x, std::uint8_t e)) {
    const int exponent = e % 32;
    RC_ASSERT(rounding_divide_by_pot(x, exponent) == gemmlowp::RoundingDivideByPOT(x, exponent));
}

TEST(fixedpoint, edge_cases_match_gemmlowp) {
    const std::int32_t vals[] = {INT32_MIN, INT32_MIN + 1, -65536, -3, -2, -1, 0, 1, 2, 3, 65535, INT32_MAX};
    for (auto a : vals) {
        for (auto b : vals) EXPECT_EQ(srdhm(a, b), gemmlowp::SaturatingRoundingDoublingHighMul(a, b)) << a << " " << b;
        for (int e = 0; e < 32; ++e) EXPECT_EQ(rounding_divide_by_pot(a, e), gemmlowp::RoundingDivideByPOT(a, e));
    }
}

TEST(fixedpoint, requantize_identity_is_exact) {
    for (std::int32_t x = -100000; x <= 100000; x += 7) EXPECT_EQ(requantize(x, ir::QScale::identity()), x);
}

TEST(fixedpoint, requantize_left_shift_saturates) {
    // Saturates to INT32_MAX, then halves with ties away from zero.
    EXPECT_EQ(requantize(INT32_MAX / 2 + 10, {std::int32_t{1} << 30, -2}), 1073741824);
    EXPECT_EQ(requantize(100, {std::int32_t{1} << 30, -3}), 400);
}

TEST(fixedpoint, worked_example_from_docs) {
    // docs/ops.md §1: 1000 * 0.75 * 2^-3 = 93.75 -> 94.
    EXPECT_EQ(requantize(1000, {1610612736, 3}), 94);
    EXPECT_EQ(requantize(-1000, {1610612736, 3}), -94);
}

TEST(fixedpoint, isqrt_is_floor_sqrt) {
    for (std::uint64_t v = 0; v < 100000; ++v) {
        const auto r = isqrt(v);
        EXPECT_LE(r * r, v);
        EXPECT_GT((r + 1) * (r + 1), v);
    }
    EXPECT_EQ(isqrt(UINT64_MAX), 4294967295ULL);
}

TEST(nonlinear, iexp_tracks_exp) {
    const double unit = 0.3585 / double(1 << 28);
    for (std::int32_t q = 0; q >= -8 * 16384; q -= 97) {
        const double want = std::exp(q / 16384.0);
        EXPECT_NEAR(double(iexp_q14(q)) * unit, want, 0.01) << q;
    }
}

TEST(nonlinear, igelu_tracks_gelu) {
    for (std::int32_t q = -6 * 16384; q <= 6 * 16384; q += 101) {
        const double x = q / 16384.0;
        const double want = 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
        EXPECT_NEAR(igelu_q14(q) / 16384.0, want, 0.03) << x;
    }
}

}  // namespace
}  // namespace sigil::kernels

#include "core/kernels/detail/dot.hpp"

namespace sigil::kernels {
namespace {

// The vectorized requantization equals the scalar rule on any accumulators and parameters.
RC_GTEST_PROP(fixedpoint, requantize_block_simd_matches_scalar,
              (std::vector<std::int32_t> acc, std::int32_t mult, std::uint8_t shift, std::int8_t zo)) {
#if defined(__x86_64__)
    if (!__builtin_cpu_supports("avx2")) return;
    acc.push_back(INT32_MIN);
    acc.push_back(INT32_MAX);
    const ir::QScale q{mult == INT32_MIN ? 0 : (mult < 0 ? -mult : mult), shift % 32};
    std::vector<std::uint8_t> a(acc.size()), b(acc.size());
    detail::requantize_block(acc.data(), acc.size(), q, zo, -128, 127, a.data(), Simd::scalar);
    detail::requantize_block(acc.data(), acc.size(), q, zo, -128, 127, b.data(), Simd::avx2);
    RC_ASSERT(a == b);
#endif
}

}  // namespace
}  // namespace sigil::kernels
