#include "core/abi/args.hpp"

#include <gtest/gtest.h>

#include "core/abi/codec.hpp"

namespace sigil::abi {
namespace {

u256 uint_of(std::string_view text, std::size_t bits = 256) {
    auto v = parse_arg(Type::uint(bits), text);
    EXPECT_TRUE(v.has_value()) << text << ": " << (v ? "" : to_string(v.error()));
    return v ? v->num : u256(0);
}

AbiError arg_error(const Type& t, std::string_view text) {
    auto v = parse_arg(t, text);
    EXPECT_FALSE(v.has_value()) << text;
    return v ? AbiError::bad_type : v.error();
}

// Values: `cast abi-encode 'f(uint256)' '<text>'` (cast 1.7.1), read back as numbers.
TEST(abi_args, numbers_like_cast) {
    EXPECT_EQ(uint_of("1e18"), u256("1000000000000000000"));        // 0x0de0b6b3a7640000
    EXPECT_EQ(uint_of("1.5 ether"), u256("1500000000000000000"));   // 0x14d1120d7b160000
    EXPECT_EQ(uint_of("0x1F"), 31);
    EXPECT_EQ(uint_of("0X1F"), 31);
    EXPECT_EQ(uint_of("0o17"), 15);
    EXPECT_EQ(uint_of("0b101"), 5);
    EXPECT_EQ(uint_of("2gwei"), 2000000000);                         // 0x77359400
    EXPECT_EQ(uint_of("0.1 gwei"), 100000000);                       // 0x05f5e100
    EXPECT_EQ(uint_of("1ether"), u256("1000000000000000000"));
    EXPECT_EQ(uint_of("5 "), 5);
    EXPECT_EQ(uint_of("15e-1 ether"), u256("1500000000000000000"));
    EXPECT_EQ(uint_of("1 wei"), 1);
    EXPECT_EQ(uint_of("255", 8), 255);
    EXPECT_EQ(uint_of("115792089237316195423570985008687907853269984665640564039457584007913129639935"), ~u256(0));
}

TEST(abi_args, number_errors_like_cast) {
    const Type u = Type::uint();
    EXPECT_EQ(arg_error(Type::uint(8), "256"), AbiError::number_out_of_range);
    EXPECT_EQ(arg_error(Type::int_(8), "128"), AbiError::number_out_of_range);
    EXPECT_EQ(arg_error(Type::int_(8), "-129"), AbiError::number_out_of_range);
    EXPECT_EQ(arg_error(u, " 5"), AbiError::bad_number);
    EXPECT_EQ(arg_error(u, "+5"), AbiError::bad_number);
    EXPECT_EQ(arg_error(u, "1.0"), AbiError::fraction_not_allowed);
    EXPECT_EQ(arg_error(u, "0.1 wei"), AbiError::fraction_not_allowed);
    EXPECT_EQ(arg_error(u, "1e-1"), AbiError::negative_units);
    EXPECT_EQ(arg_error(u, "1e78"), AbiError::number_out_of_range);
    EXPECT_EQ(arg_error(u, "1 finney"), AbiError::bad_number);
    EXPECT_EQ(arg_error(u, "0b102"), AbiError::bad_number);
    EXPECT_EQ(arg_error(u, "1."), AbiError::bad_number);
    EXPECT_EQ(arg_error(u, "115792089237316195423570985008687907853269984665640564039457584007913129639936"),
              AbiError::number_out_of_range);
}

TEST(abi_args, signed_numbers) {
    EXPECT_EQ(parse_arg(Type::int_(8), "-128")->as_int(), -128);
    EXPECT_EQ(parse_arg(Type::int_(8), "127")->as_int(), 127);
    EXPECT_EQ(parse_arg(Type::int_(256), "-0x10")->as_int(), -16);
    EXPECT_EQ(parse_arg(Type::int_(256), "+7")->as_int(), 7);
    const s256 min = -(s256(1) << 255);
    EXPECT_EQ(parse_arg(Type::int_(256), "-57896044618658097711785492504343953926634992332820282019728792003956564819968")
                  ->as_int(),
              min);
    EXPECT_EQ(arg_error(Type::int_(256), "57896044618658097711785492504343953926634992332820282019728792003956564819968"),
              AbiError::number_out_of_range);
}

TEST(abi_args, bools_bytes_addresses) {
    EXPECT_EQ(*parse_arg(Type::boolean(), "true"), Value::boolean(true));
    EXPECT_EQ(arg_error(Type::boolean(), "True"), AbiError::bad_bool);
    EXPECT_EQ(arg_error(Type::boolean(), "1"), AbiError::bad_bool);
    EXPECT_EQ(parse_arg(Type::bytes(), "abcd")->bytes, (Bytes{0xab, 0xcd}));
    EXPECT_TRUE(parse_arg(Type::bytes(), "0x")->bytes.empty());
    EXPECT_EQ(arg_error(Type::bytes(), ""), AbiError::bad_hex);
    EXPECT_EQ(arg_error(Type::bytes(), "0xabc"), AbiError::bad_hex);
    EXPECT_EQ(arg_error(Type::bytes_n(4), "0x1234"), AbiError::bad_length);
    EXPECT_EQ(parse_arg(Type::bytes_n(2), "0x1234")->bytes, (Bytes{0x12, 0x34}));
    EXPECT_EQ(parse_arg(Type::address(), "d8da6bf26964af9d7eed9e03e53415d37aa96045")->bytes.size(), 20u);
    EXPECT_EQ(arg_error(Type::address(), "0x1234"), AbiError::bad_length);
}

TEST(abi_args, strings_like_cast) {
    EXPECT_EQ(parse_arg(Type::string(), " a b ")->as_string(), " a b");
    EXPECT_EQ(parse_arg(Type::string(), "\"quoted\"")->as_string(), "quoted");
    EXPECT_EQ(parse_arg(Type::string(), "'sq'")->as_string(), "sq");
    EXPECT_EQ(parse_arg(Type::string(), "")->as_string(), "");
    // cast abi-encode 'f(string)' $'\ue000\u3000\u2028' encodes only U+E000: Unicode spaces are trimmed.
    EXPECT_EQ(parse_arg(Type::string(), "\ue000\u3000\u2028 \u00a0")->as_string(), "\ue000");
    EXPECT_EQ(arg_error(Type::string(), "\"bad"), AbiError::bad_string);
    EXPECT_EQ(arg_error(Type::string(), "\"a\"b"), AbiError::trailing_text);
}

// `cast abi-encode 'f(string[])' '[a b , "c,d", '"'"'e'"'"']'` decodes to ["a b", "c,d", "e"].
TEST(abi_args, lists_and_tuples_like_cast) {
    const Type strings = *parse_type("string[]");
    const Value v = *parse_arg(strings, "[a b , \"c,d\", 'e']");
    EXPECT_EQ(v, Value::array({Value::string("a b"), Value::string("c,d"), Value::string("e")}));
    EXPECT_EQ(parse_arg(*parse_type("uint256[]"), "[ 1 , 2 ,]")->elems.size(), 2u);
    EXPECT_TRUE(parse_arg(*parse_type("uint256[]"), "[]")->elems.empty());
    EXPECT_EQ(arg_error(strings, "[,]"), AbiError::bad_string);
    EXPECT_EQ(arg_error(*parse_type("bool[]"), "[true ,false]"), AbiError::bad_list);
    EXPECT_EQ(arg_error(*parse_type("uint256[2]"), "[1]"), AbiError::array_length_mismatch);
    const Value t = *parse_arg(*parse_type("(uint256,string)"), "( 1 , x y )");
    EXPECT_EQ(t, Value::tuple({Value::uint(1), Value::string("x y")}));
    EXPECT_EQ(arg_error(*parse_type("(uint256,string)"), "(1)"), AbiError::bad_list);
    EXPECT_EQ(arg_error(*parse_type("(uint256,string)"), "(1,a,b)"), AbiError::bad_list);
}

TEST(abi_args, counts_must_match) {
    EXPECT_EQ(parse_args({Type::uint(), Type::uint()}, {"1"}).error(), AbiError::arg_count_mismatch);
    EXPECT_TRUE(parse_args({}, {})->empty());
}

}  // namespace
}  // namespace sigil::abi
