#include "devnet/routing.hpp"

#include <gtest/gtest.h>

namespace sigil::devnet {
namespace {

TEST(devnet_routing, label_of_output_matches_the_consumer_decoding) {
    EXPECT_EQ(label_of_output(Bytes{7}), 7);
    EXPECT_EQ(label_of_output(Bytes{10}), -1);  // one byte, not a class
    EXPECT_EQ(label_of_output(Bytes{}), -1);
    EXPECT_EQ(label_of_output(Bytes(9, 0)), -1);
    // int8 logits: 0x80 = -128 is the smallest; the lowest index wins ties.
    Bytes logits(10, 0x80);
    logits[3] = 5;
    logits[6] = 5;
    EXPECT_EQ(label_of_output(logits), 3);
    logits[0] = 0x7f;
    EXPECT_EQ(label_of_output(logits), 0);
}

TEST(devnet_routing, assignment_is_abi_encoded_as_nonce_deadline_signature) {
    RoutedAssignment a;
    a.nonce = 5;
    a.deadline = 0x1234;
    a.signature = Bytes(65, 0xab);
    const Bytes e = a.encoded();
    // abi.encode(uint256 5, uint256 0x1234, bytes sig): two words, offset 0x60, length 65, three
    // padded words of data (as `cast abi-encode "f(uint256,uint256,bytes)"` lays it out).
    ASSERT_EQ(e.size(), 32U * 7);
    EXPECT_EQ(e[31], 5);
    EXPECT_EQ(e[62], 0x12);
    EXPECT_EQ(e[63], 0x34);
    EXPECT_EQ(e[95], 0x60);
    EXPECT_EQ(e[127], 65);
    EXPECT_EQ(e[128], 0xab);
    EXPECT_EQ(e[192], 0xab);
    EXPECT_EQ(e[193], 0);  // padding after the 65th byte
}

}  // namespace
}  // namespace sigil::devnet
