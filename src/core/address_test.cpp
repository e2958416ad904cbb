#include "core/address.hpp"

#include <gtest/gtest.h>

namespace sigil {
namespace {

// Golden values: cast to-check-sum-address <lower-case address> (cast 1.7.1).
TEST(address, eip55_checksum) {
    EXPECT_EQ(to_checksum(*parse_address("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359")),
              "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
    EXPECT_EQ(to_checksum(*parse_address("0xd1220a0cf47c7b9be7a2e6ba89f429762e7b9adb")),
              "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb");
}

TEST(address, accepts_valid_mixed_case_and_uniform_case) {
    EXPECT_TRUE(parse_address("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"));
    EXPECT_TRUE(parse_address("0xFB6916095CA1DF60BB79CE92CE3EA74C37C5D359"));
    EXPECT_TRUE(parse_address("fb6916095ca1df60bb79ce92ce3ea74c37c5d359"));
}

TEST(address, rejects_bad_checksum_and_length) {
    EXPECT_EQ(parse_address("0xFb6916095ca1df60bB79Ce92cE3Ea74c37c5d359").error(), AddressError::bad_checksum);
    EXPECT_EQ(parse_address("0x1234").error(), AddressError::bad_hex);
}

}  // namespace
}  // namespace sigil
