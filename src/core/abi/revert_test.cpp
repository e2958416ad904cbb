#include "core/abi/revert.hpp"

#include <gtest/gtest.h>

namespace sigil::abi {
namespace {

Bytes hex(std::string_view h) { return from_hex(h).value(); }

// cast calldata 'Error(string)' boom
const char* kErrorBoom =
    "0x08c379a0"
    "0000000000000000000000000000000000000000000000000000000000000020"
    "0000000000000000000000000000000000000000000000000000000000000004"
    "626f6f6d00000000000000000000000000000000000000000000000000000000";
// cast calldata 'Panic(uint256)' 0x11
const char* kPanic11 = "0x4e487b710000000000000000000000000000000000000000000000000000000000000011";
// cast calldata 'InsufficientBalance(uint256,uint256)' 1 2
const char* kCustom =
    "0xcf479181"
    "0000000000000000000000000000000000000000000000000000000000000001"
    "0000000000000000000000000000000000000000000000000000000000000002";

TEST(abi_revert, error_string) {
    const auto r = decode_revert(hex(kErrorBoom), {});
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->kind, RevertKind::error_string);
    EXPECT_EQ(r->args, std::vector<Value>{Value::string("boom")});
    EXPECT_EQ(describe(*r), "Error(\"boom\")");
}

TEST(abi_revert, panic_with_reason) {
    const auto r = decode_revert(hex(kPanic11), {});
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->kind, RevertKind::panic);
    EXPECT_EQ(r->panic_reason, "arithmetic underflow or overflow");
    EXPECT_EQ(describe(*r), "Panic(0x11): arithmetic underflow or overflow");
    EXPECT_EQ(panic_reason(0x12), "division or modulo by zero");
    EXPECT_EQ(panic_reason(0x32), "array index out of bounds");
    EXPECT_TRUE(panic_reason(0x99).empty());
}

TEST(abi_revert, custom_errors_by_selector) {
    const std::vector<std::string> sigs = {"Other(uint256)", "error InsufficientBalance(uint256 available, uint256 required)"};
    const auto r = decode_revert(hex(kCustom), sigs);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->kind, RevertKind::custom);
    EXPECT_EQ(r->error.name, "InsufficientBalance");
    EXPECT_EQ(describe(*r), "InsufficientBalance(1, 2)");
    EXPECT_EQ(decode_revert(hex(kCustom), std::vector<std::string>{"Other(uint256)"}).error(), AbiError::unknown_error);
    EXPECT_EQ(decode_revert(hex(kCustom), std::vector<std::string>{"Bad(uint256"}).error(), AbiError::bad_signature);
}

TEST(abi_revert, malformed_data) {
    EXPECT_EQ(decode_revert(hex("0x"), {}).error(), AbiError::empty_revert);
    EXPECT_EQ(decode_revert(hex("0x08c379"), {}).error(), AbiError::empty_revert);
    EXPECT_EQ(decode_revert(hex(std::string(kErrorBoom).substr(0, 80)), {}).error(), AbiError::data_too_short);
}

}  // namespace
}  // namespace sigil::abi
