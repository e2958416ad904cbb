#include "core/keccak.hpp"

#include <gtest/gtest.h>

namespace sigil {
namespace {

// Golden values from cast 1.7.1.
TEST(keccak, empty) {
    // cast keccak ""
    EXPECT_EQ(to_hex(keccak256(BytesView{})), "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}

TEST(keccak, text) {
    // cast keccak "hello"
    EXPECT_EQ(to_hex(keccak256("hello")), "0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8");
}

TEST(keccak, bytes) {
    // cast keccak 0x1234
    EXPECT_EQ(to_hex(keccak256(*from_hex("0x1234"))),
              "0x56570de287d73cd1cb6092bb8fdee6173974955fdef345ae579ee9f475ea7432");
}

TEST(keccak, pair_equals_concatenation) {
    const Hash a = keccak256("a");
    const Hash b = keccak256("b");
    EXPECT_EQ(keccak256_pair(a, b), keccak256(concat({as_bytes(a), as_bytes(b)})));
}

}  // namespace
}  // namespace sigil
