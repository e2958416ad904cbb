#include "core/abi/type.hpp"

#include <gtest/gtest.h>

#include "core/abi/revert.hpp"

namespace sigil::abi {
namespace {

// Selectors: `contracts/node_modules/.bin/cast sig '<signature>'` (cast 1.7.1).
TEST(abi_type, selectors_match_cast_sig) {
    const std::pair<const char*, const char*> cases[] = {
        {"transfer(address,uint256)", "0xa9059cbb"},
        {"transfer(address to, uint256 amount)", "0xa9059cbb"},
        {"f(uint)", "0xb3de648b"},
        {"f((uint8,bytes)[],string)", "0x95fc958d"},
        {"function f(uint256) external view returns (bool)", "0xb3de648b"},
        {"balanceOf(address)(uint256)", "0x70a08231"},
        {"f(tuple(uint256,bool)[2][])", "0xb8067046"},
        {"f(int,bytes32,string[3])", "0x90c4d39d"},
        {"g()", "0xe2179b8e"},
    };
    for (const auto& [sig, selector] : cases) {
        auto fn = parse_function(sig);
        ASSERT_TRUE(fn.has_value()) << sig << ": " << to_string(fn.error());
        EXPECT_EQ(to_hex(fn->selector()), selector) << sig;
    }
}

TEST(abi_type, canonical_spelling) {
    EXPECT_EQ(parse_type("uint")->canonical(), "uint256");
    EXPECT_EQ(parse_type("int")->canonical(), "int256");
    EXPECT_EQ(parse_type(" ( uint8 , bytes ) [ ] ")->canonical(), "(uint8,bytes)[]");
    EXPECT_EQ(parse_type("tuple(uint256,(bool,string)[2])[]")->canonical(), "(uint256,(bool,string)[2])[]");
    EXPECT_EQ(parse_type("(uint256 a, bool b)")->canonical(), "(uint256,bool)");
    EXPECT_EQ(parse_type("bytes32[][3]")->canonical(), "bytes32[][3]");
}

TEST(abi_type, outputs_and_names) {
    const Function fn = *parse_function("balanceOf(address owner)(uint256 balance)");
    EXPECT_EQ(fn.name, "balanceOf");
    EXPECT_EQ(fn.signature(), "balanceOf(address)");
    ASSERT_EQ(fn.inputs.size(), 1u);
    EXPECT_EQ(fn.inputs[0].name, "owner");
    ASSERT_EQ(fn.outputs.size(), 1u);
    EXPECT_EQ(fn.outputs[0].type, Type::uint());
    const Function r = *parse_function("function f(uint256 memory x) public view returns (bool, string)");
    EXPECT_EQ(r.output_types(), (std::vector<Type>{Type::boolean(), Type::string()}));
}

TEST(abi_type, dynamic_and_head_size) {
    EXPECT_FALSE(parse_type("uint256[3]")->is_dynamic());
    EXPECT_EQ(parse_type("uint256[3]")->head_size(), 96u);
    EXPECT_EQ(parse_type("(uint8,bool[2])[2]")->head_size(), 192u);
    EXPECT_TRUE(parse_type("string[3]")->is_dynamic());
    EXPECT_EQ(parse_type("string[3]")->head_size(), 32u);
    EXPECT_TRUE(parse_type("(uint8,bytes)")->is_dynamic());
}

TEST(abi_type, named_errors) {
    EXPECT_EQ(parse_type("uint7").error(), AbiError::bad_int_size);
    EXPECT_EQ(parse_type("uint264").error(), AbiError::bad_int_size);
    EXPECT_EQ(parse_type("int0").error(), AbiError::bad_int_size);
    EXPECT_EQ(parse_type("uint08").error(), AbiError::bad_int_size);
    EXPECT_EQ(parse_type("bytes0").error(), AbiError::bad_bytes_size);
    EXPECT_EQ(parse_type("bytes33").error(), AbiError::bad_bytes_size);
    EXPECT_EQ(parse_type("uint256[0]").error(), AbiError::zero_size_type);
    EXPECT_EQ(parse_type("()").error(), AbiError::zero_size_type);
    EXPECT_EQ(parse_type("uint256[x]").error(), AbiError::bad_array_size);
    EXPECT_EQ(parse_type("uint256[99999999999]").error(), AbiError::bad_array_size);
    EXPECT_EQ(parse_type("uint256[16777216][16777216]").error(), AbiError::bad_array_size);
    EXPECT_EQ(parse_type("function").error(), AbiError::bad_type);
    EXPECT_EQ(parse_type("strin").error(), AbiError::bad_type);
    EXPECT_EQ(parse_type("uint256 x").error(), AbiError::bad_type);
    EXPECT_EQ(parse_function("foo").error(), AbiError::bad_signature);
    EXPECT_EQ(parse_function("f(uint256").error(), AbiError::bad_signature);
    EXPECT_EQ(parse_function("f(uint256) garbage").error(), AbiError::bad_signature);
    EXPECT_EQ(parse_function("f(uint256 a b)").error(), AbiError::bad_signature);
    EXPECT_EQ(parse_function("0x12345678").error(), AbiError::bad_signature);
    EXPECT_EQ(parse_error("E(uint256 indexed)").error(), AbiError::bad_indexed);
}

TEST(abi_type, depth_is_bounded) {
    std::string deep = "uint256";
    for (std::size_t i = 0; i < kMaxTypeDepth; ++i) deep += "[]";
    EXPECT_TRUE(parse_type(deep).has_value());
    EXPECT_EQ(parse_type(deep + "[]").error(), AbiError::type_too_deep);
    std::string nested = "uint256";
    for (int i = 0; i < 1000; ++i) nested = "(" + nested + ")";
    EXPECT_EQ(parse_type(nested).error(), AbiError::type_too_deep);
}

TEST(abi_type, error_names_are_stable) {
    EXPECT_EQ(to_string(AbiError::dirty_address), "dirty_address");
    EXPECT_EQ(to_string(AbiError::non_canonical_offset), "non_canonical_offset");
}

}  // namespace
}  // namespace sigil::abi
