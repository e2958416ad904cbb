#include "core/abi/format.hpp"

#include <gtest/gtest.h>

namespace sigil::abi {
namespace {

// Expected texts: `cast abi-decode 'f()(<type>)' $(cast abi-encode 'f(<type>)' <value>)` (cast 1.7.1).
TEST(abi_format, integers_with_exponent_hint) {
    EXPECT_EQ(format(Value::uint(0)), "0");
    EXPECT_EQ(format(Value::uint(9999)), "9999");
    EXPECT_EQ(format(Value::uint(10000)), "10000 [1e4]");
    EXPECT_EQ(format(Value::uint(99999)), "99999 [9.999e4]");
    EXPECT_EQ(format(Value::uint(123456789)), "123456789 [1.234e8]");
    EXPECT_EQ(format(Value::uint(u256("1000000000000000000"))), "1000000000000000000 [1e18]");
    EXPECT_EQ(format(Value::int_(-9999, 16)), "-9999");
    EXPECT_EQ(format(Value::int_(-10000)), "-10000 [-1e4]");
    EXPECT_EQ(format(Value::int_(-1234567)), "-1234567 [-1.234e6]");
    EXPECT_EQ(format(Value::int_(-(s256(1) << 255))),
              "-57896044618658097711785492504343953926634992332820282019728792003956564819968 [-5.789e76]");
    EXPECT_EQ(format(Value::uint(~u256(0))),
              "115792089237316195423570985008687907853269984665640564039457584007913129639935 [1.157e77]");
}

TEST(abi_format, scalars) {
    Address a = *fixed_from_hex<20>("0xd8da6bf26964af9d7eed9e03e53415d37aa96045");
    EXPECT_EQ(format(Value::address(a)), "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045");
    EXPECT_EQ(format(Value::boolean(true)), "true");
    EXPECT_EQ(format(Value::bytes_n(Bytes{0x00})), "0x00");
    EXPECT_EQ(format(Value::dyn_bytes(Bytes{})), "0x");
}

// cast abi-decode 'f()(string)' $(cast abi-encode 'f(string)' $'tab\there\nnl\\ \x01 \x7f é\u200b')
//   => "tab\there\nnl\\ \u{1} \u{7f} é\u{200b}"
TEST(abi_format, strings_like_rust_debug) {
    EXPECT_EQ(format(Value::string("tab\there\nnl\\ \x01 \x7f \xc3\xa9\xe2\x80\x8b")),
              "\"tab\\there\\nnl\\\\ \\u{1} \\u{7f} \xc3\xa9\\u{200b}\"");
    EXPECT_EQ(format(Value::string("it's \"q\"")), "\"it's \\\"q\\\"\"");
    // cast abi-decode 'f()(string)' <"a" followed by the invalid byte 0xff>  =>  "a\u{fffd}" (U+FFFD raw)
    EXPECT_EQ(format(Value::string("a\xff")), "\"a\xef\xbf\xbd\"");
    // Truncated multi-byte sequences are one replacement each (maximal subparts).
    EXPECT_EQ(debug_quote("\xe2\x80"), "\"\xef\xbf\xbd\"");
    EXPECT_EQ(debug_quote("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");  // U+1F600 printed as is
    EXPECT_EQ(debug_quote("\xc2\xa0"), "\"\\u{a0}\"");                  // NBSP is escaped
}

// cast abi-decode 'f()(string)' $(cast abi-encode 'f(string)' '<text>'): combining marks are
// escaped, other letters and emoji (with skin-tone modifiers) are not.
TEST(abi_format, unicode_like_cast) {
    EXPECT_EQ(debug_quote("\u0939\u093f\u0928\u094d\u0926\u0940"), "\"\u0939\u093f\u0928\\u{94d}\u0926\u0940\"");
    EXPECT_EQ(debug_quote("e\u0301"), "\"e\\u{301}\"");
    EXPECT_EQ(debug_quote("\U0001F44D\U0001F3FD"), "\"\U0001F44D\U0001F3FD\"");
    EXPECT_EQ(debug_quote("\u2764\ufe0f"), "\"\u2764\\u{fe0f}\"");
    EXPECT_EQ(debug_quote("\U0001F468\u200d\U0001F469"), "\"\U0001F468\\u{200d}\U0001F469\"");
    EXPECT_EQ(debug_quote("\u65e5\u672c\u8a9e \U0001FAE8"), "\"\u65e5\u672c\u8a9e \U0001FAE8\"");
    EXPECT_EQ(debug_quote("\ue000\u3000\u2028"), "\"\\u{e000}\\u{3000}\\u{2028}\"");
}

// cast abi-decode 'f()((uint8,(bool,bytes)[])[2])' ...  =>  [(1, []), (2, [(true, 0x), (false, 0x01)])]
TEST(abi_format, nested_containers) {
    const Value v = Value::fixed_array(
        {Value::tuple({Value::uint(1, 8), Value::array({})}),
         Value::tuple({Value::uint(2, 8), Value::array({Value::tuple({Value::boolean(true), Value::dyn_bytes(Bytes{})}),
                                                        Value::tuple({Value::boolean(false), Value::dyn_bytes(Bytes{1})})})})});
    EXPECT_EQ(format(v), "[(1, []), (2, [(true, 0x), (false, 0x01)])]");
    EXPECT_EQ(format_json({v}), "[\n  [\n    [\n      1,\n      []\n    ],\n    [\n      2,\n      [\n        [\n"
                                "          true,\n          \"0x\"\n        ],\n        [\n          false,\n"
                                "          \"0x01\"\n        ]\n      ]\n    ]\n  ]\n]");
}

TEST(abi_format, json_numbers_and_strings) {
    EXPECT_EQ(format_json({}), "[]");
    EXPECT_EQ(format_json({Value::uint(u256("18446744073709551615")), Value::uint(u256("18446744073709551616"))}),
              "[\n  18446744073709551615,\n  \"18446744073709551616\"\n]");
    EXPECT_EQ(format_json({Value::int_(-9223372036854775807 - 1), Value::int_(s256("-9223372036854775809"))}),
              "[\n  -9223372036854775808,\n  \"-9223372036854775809\"\n]");
    // cast abi-decode --json: control characters escaped as \u00XX, DEL dropped.
    EXPECT_EQ(format_json({Value::string("\x01 \x7f \x1f\t\"\\")}), "[\n  \"\\u0001  \\u001f\\t\\\"\\\\\"\n]");
}

}  // namespace
}  // namespace sigil::abi
