#include "core/u256.hpp"

#include <gtest/gtest.h>

namespace sigil {
namespace {

TEST(u256, parse_decimal_and_hex) {
    EXPECT_EQ(*parse_u256("0"), u256(0));
    EXPECT_EQ(*parse_u256("1000000000000000000"), u256(1000000000000000000ULL));
    EXPECT_EQ(*parse_u256("0xff"), u256(255));
    const u256 max = ~u256(0);
    EXPECT_EQ(*parse_u256("115792089237316195423570985008687907853269984665640564039457584007913129639935"), max);
}

TEST(u256, parse_errors) {
    EXPECT_EQ(parse_u256("").error(), IntError::empty);
    EXPECT_EQ(parse_u256("0x").error(), IntError::empty);
    EXPECT_EQ(parse_u256("12a").error(), IntError::bad_digit);
    EXPECT_EQ(parse_u256("115792089237316195423570985008687907853269984665640564039457584007913129639936").error(),
              IntError::overflow);
}

TEST(u256, big_endian_codecs) {
    const u256 v = *parse_u256("0x0102030405");
    const Bytes32 be = to_be32(v);
    EXPECT_EQ(be[31], 0x05);
    EXPECT_EQ(be[27], 0x01);
    EXPECT_EQ(from_be(be), v);
    EXPECT_EQ(to_be_minimal(v), (Bytes{1, 2, 3, 4, 5}));
    EXPECT_TRUE(to_be_minimal(0).empty());
    EXPECT_EQ(to_hex_quantity(0), "0x0");
    EXPECT_EQ(to_hex_quantity(v), "0x102030405");
}

TEST(u256, wraps_like_the_evm) {
    const u256 max = ~u256(0);
    EXPECT_EQ(max + 1, u256(0));
}

}  // namespace
}  // namespace sigil
