#include "chain/units.hpp"

#include <gtest/gtest.h>

namespace sigil::chain {
namespace {

// Expected values as `cast to-wei <x> <unit>` prints them (cast 1.7.1).
TEST(units, parses_amounts_with_units) {
    EXPECT_EQ(*parse_amount("21000"), 21000);
    EXPECT_EQ(*parse_amount("0x5208"), 21000);
    EXPECT_EQ(*parse_amount("1ether"), u256("1000000000000000000"));
    EXPECT_EQ(*parse_amount("1.5gwei"), u256("1500000000"));
    EXPECT_EQ(*parse_amount("0.000000001ether"), u256("1000000000"));
    EXPECT_EQ(*parse_amount("7wei"), 7);
}

TEST(units, rejects_bad_amounts) {
    EXPECT_EQ(parse_amount("").error(), AmountError::empty);
    EXPECT_EQ(parse_amount("1.5").error(), AmountError::fractional_wei);
    EXPECT_EQ(parse_amount("1.0000000001gwei").error(), AmountError::fractional_wei);
    EXPECT_EQ(parse_amount("3finney").error(), AmountError::unknown_unit);
    EXPECT_EQ(parse_amount("1.2.3ether").error(), AmountError::bad_number);
    EXPECT_EQ(parse_amount("0x1" + std::string(64, '0')).error(), AmountError::overflow);
    EXPECT_EQ(parse_amount("-1").error(), AmountError::unknown_unit);
}

}  // namespace
}  // namespace sigil::chain
