#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/abi/codec.hpp"
#include "core/kernels/fixedpoint.hpp"
#include "core/kernels/nonlinear.hpp"

namespace sigil::proof {
namespace {

/// Vectors for the integer primitives of docs/ops.md §1 and the nonlinear ops (i-exp, i-GELU, i-SiLU), replayed by
/// contracts/test/dispute/FixedPointDifferential.t.sol against OpMath. Whole-op vectors rarely hit
/// rounding ties (most random requantized outputs saturate), so ties and saturation edges are drawn
/// on purpose here.
TEST(fixedpoint_vectors, write_for_forge) {
    std::mt19937_64 rng(0x5167);
    auto pick = [&rng](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    auto x32 = [&]() -> std::int32_t {
        switch (pick(0, 5)) {
            case 0:
                return pick(0, 1) ? INT32_MIN : INT32_MAX;
            case 1:
                return static_cast<std::int32_t>(pick(-3, 3));
            case 2: {  // an exact tie of a division by 2^e, either sign
                const auto e = pick(1, 20);
                const auto v = pick(-1000, 1000) * (std::int64_t{1} << e) + (std::int64_t{1} << (e - 1));
                return static_cast<std::int32_t>(v);
            }
            case 3:
                return static_cast<std::int32_t>(pick(-70000, 70000));
            default:
                return static_cast<std::int32_t>(pick(INT32_MIN, INT32_MAX));
        }
    };
    using abi::Type;
    using abi::Value;
    const std::vector<Type> types{Type::uint(8), Type::int_(256), Type::int_(256), Type::int_(256), Type::int_(256)};
    std::vector<Bytes> lines;
    auto add = [&](int fn, std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t want) {
        lines.push_back(abi::encode(types, {Value::uint(static_cast<unsigned>(fn), 8), Value::int_(a), Value::int_(b),
                                            Value::int_(c), Value::int_(want)}));
    };
    for (int i = 0; i < 3000; ++i) {
        const std::int32_t x = x32();
        const auto m =
            static_cast<std::int32_t>(pick(0, 3) == 0 ? (pick(0, 1) ? INT32_MAX : (1 << 30)) : pick(0, INT32_MAX));
        const auto s = static_cast<std::int32_t>(pick(-31, 31));
        add(1, x, m, s, kernels::requantize(x, {m, s}));
    }
    for (int i = 0; i < 600; ++i) {
        const auto q = static_cast<std::int32_t>(pick(0, 1) ? pick(-400000, 0) : pick(INT32_MIN, 0));
        add(2, q, 0, 0, kernels::iexp_q14(q));
        const std::int32_t g = x32();
        add(3, g, 0, 0, kernels::igelu_q14(g));
    }
    for (int i = 0; i < 600; ++i) {
        const auto b = pick(1, 1000);
        const auto a = pick(0, 1) ? pick(-5000, 5000) : b * pick(-50, 50) + (pick(0, 1) ? b / 2 : -(b / 2));
        add(4, a, b, 0, kernels::div_round_away(a, b));
        const auto v = pick(0, 1) ? pick(0, 1000000) : pick(0, INT64_MAX);
        add(5, v, 0, 0, static_cast<std::int64_t>(kernels::isqrt(static_cast<std::uint64_t>(v))));
    }
    for (int i = 0; i < 600; ++i) {  // i-SiLU: truncation toward zero on both signs
        const std::int32_t q = pick(0, 1) ? static_cast<std::int32_t>(pick(-400000, 400000)) : x32();
        add(6, q, 0, 0, kernels::isilu_q14(q));
    }
    const auto dir = std::filesystem::path(SIGIL_SOURCE_DIR) / "build" / "dispute";
    std::filesystem::create_directories(dir);
    std::ofstream f(dir / "fixedpoint_vectors.txt", std::ios::trunc);
    for (const auto& l : lines) f << to_hex(l) << '\n';
    ASSERT_TRUE(f.good());
}

}  // namespace
}  // namespace sigil::proof
