#include "core/bytes.hpp"

#include <gtest/gtest.h>

namespace sigil {
namespace {

TEST(hex, round_trip) {
    const Bytes data{0x00, 0x01, 0xab, 0xff};
    EXPECT_EQ(to_hex(data), "0x0001abff");
    EXPECT_EQ(to_hex(data, false), "0001abff");
    EXPECT_EQ(*from_hex("0x0001ABff"), data);
    EXPECT_EQ(*from_hex("0001abff"), data);
}

TEST(hex, empty_is_empty_bytes) {
    EXPECT_TRUE(from_hex("")->empty());
    EXPECT_TRUE(from_hex("0x")->empty());
}

TEST(hex, named_errors) {
    EXPECT_EQ(from_hex("0x123").error(), HexError::odd_length);
    EXPECT_EQ(from_hex("0xzz").error(), HexError::bad_digit);
    EXPECT_EQ(from_hex("0x 1").error(), HexError::bad_digit);
    EXPECT_EQ(fixed_from_hex<2>("0x112233").error(), HexError::wrong_length);
    EXPECT_EQ(to_string(HexError::bad_digit), "hex_bad_digit");
}

}  // namespace
}  // namespace sigil
