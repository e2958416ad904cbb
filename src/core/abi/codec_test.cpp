#include "core/abi/codec.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "core/abi/args.hpp"
#include "core/abi/format.hpp"
#include "core/abi/testdata/gen.hpp"

namespace sigil::abi {
namespace {

Bytes hex(std::string_view h) { return from_hex(h).value(); }

std::vector<Type> types_of_sig(const std::string& types) { return parse_function("f(" + types + ")")->input_types(); }

struct CastCase {
    std::string types;
    std::vector<std::string> args;
    std::string encoded;
    std::string formatted;  // cast abi-decode output, one value per line
    std::string json;       // cast abi-decode --json output
};

// Every row: the exact cast command is written above it.
const CastCase kCastCases[] = {
#include "core/abi/testdata/cast_codec_cases.inc"
};

TEST(abi_codec, cast_golden_vectors) {
    for (const CastCase& c : kCastCases) {
        SCOPED_TRACE(c.types);
        const std::vector<Type> types = types_of_sig(c.types);
        auto values = parse_args(types, c.args);
        ASSERT_TRUE(values.has_value()) << to_string(values.error());
        EXPECT_EQ(to_hex(encode(types, *values)), c.encoded);

        auto decoded = decode(types, hex(c.encoded));
        ASSERT_TRUE(decoded.has_value()) << to_string(decoded.error());
        EXPECT_EQ(*decoded, *values);
        std::string lines;
        for (std::size_t i = 0; i < decoded->size(); ++i) lines += (i ? "\n" : "") + format((*decoded)[i]);
        EXPECT_EQ(lines, c.formatted);
        EXPECT_EQ(format_json(*decoded), c.json);
    }
}

// cast calldata 'transfer(address,uint256)' 0xd8da6bf26964af9d7eed9e03e53415d37aa96045 1000
TEST(abi_codec, encode_call_matches_cast_calldata) {
    const Function fn = *parse_function("transfer(address to, uint256 amount)");
    const auto args = *parse_args(fn.input_types(), {"0xd8da6bf26964af9d7eed9e03e53415d37aa96045", "1000"});
    const Bytes call = encode_call(fn, args);
    EXPECT_EQ(to_hex(call),
              "0xa9059cbb000000000000000000000000d8da6bf26964af9d7eed9e03e53415d37aa96045"
              "00000000000000000000000000000000000000000000000000000000000003e8");
    EXPECT_EQ(*decode_call(fn, call), args);
    Bytes wrong = call;
    wrong[0] ^= 1;
    EXPECT_EQ(decode_call(fn, wrong).error(), AbiError::selector_mismatch);
    EXPECT_EQ(decode_call(fn, BytesView(call).first(3)).error(), AbiError::selector_mismatch);
}

TEST(abi_codec, try_encode_rejects_mismatched_values) {
    EXPECT_EQ(try_encode({Type::uint(8)}, {Value::uint(256, 8)}).error(), AbiError::value_mismatch);
    EXPECT_EQ(try_encode({Type::uint(8)}, {}).error(), AbiError::value_mismatch);
    EXPECT_EQ(try_encode({Type::fixed_array(Type::boolean(), 2)}, {Value::fixed_array({Value::boolean(true)})}).error(),
              AbiError::value_mismatch);
    EXPECT_TRUE(try_encode({Type::int_(8)}, {Value::int_(-128, 8)}).has_value());
    EXPECT_EQ(try_encode({Type::int_(8)}, {Value::int_(-129, 8)}).error(), AbiError::value_mismatch);
}

// ---- strict decoding: each way of refusing data has a name ----

std::string word(std::string_view hex_tail) { return std::string(64 - hex_tail.size(), '0') + std::string(hex_tail); }

AbiError decode_error(const std::string& types, const std::string& data_hex, DecodeMode mode = DecodeMode::strict) {
    auto r = decode(types_of_sig(types), hex(data_hex), mode);
    EXPECT_FALSE(r.has_value()) << types << " " << data_hex;
    return r ? AbiError::bad_type : r.error();
}

TEST(abi_codec, dirty_high_bits_rejected) {
    EXPECT_EQ(decode_error("address", "ff" + word("d8da6bf26964af9d7eed9e03e53415d37aa96045").substr(2)),
              AbiError::dirty_address);
    EXPECT_EQ(decode_error("uint8", word("100")), AbiError::dirty_uint);
    EXPECT_EQ(decode_error("uint248", "01" + word("").substr(2)), AbiError::dirty_uint);
    EXPECT_EQ(decode_error("int8", word("80")), AbiError::dirty_int);
    EXPECT_EQ(decode_error("int8", std::string(62, 'f') + "7f"), AbiError::dirty_int);  // -129
    EXPECT_EQ(decode_error("bool", word("2")), AbiError::dirty_bool);
    EXPECT_EQ(decode_error("bytes1", "ff01" + std::string(60, '0')), AbiError::dirty_bytes);
    // The boundaries themselves are fine.
    EXPECT_TRUE(decode(types_of_sig("int8,int8,uint8"), hex(std::string(62, 'f') + "80" + word("7f") + word("ff"))));
}

TEST(abi_codec, hostile_offsets_and_lengths_rejected) {
    EXPECT_EQ(decode_error("string", word("ffffffffffffffffffffffff")), AbiError::offset_out_of_range);
    EXPECT_EQ(decode_error("string", word("20") + std::string(64, 'f')), AbiError::length_out_of_range);
    EXPECT_EQ(decode_error("uint256[]", word("20") + word("8000000000000000000000000000000000")),
              AbiError::length_out_of_range);
    // A length that fits in the data as bytes but not as 32-byte elements.
    EXPECT_EQ(decode_error("uint256[]", word("20") + word("2") + word("1")), AbiError::length_out_of_range);
    EXPECT_EQ(decode_error("uint256", word("1").substr(2)), AbiError::data_too_short);
    EXPECT_EQ(decode_error("uint256,uint256", word("1")), AbiError::data_too_short);
    EXPECT_EQ(decode_error("string", word("40")), AbiError::offset_out_of_range);
}

TEST(abi_codec, non_canonical_forms_rejected_in_strict_mode_only) {
    // cast abi-encode 'f(string)' a  =>  offset 0x20, length 1, "a" padded.
    const std::string canonical = word("20") + word("1") + "61" + std::string(62, '0');
    ASSERT_TRUE(decode(types_of_sig("string"), hex(canonical)));
    const std::string gap = word("40") + word("0") + word("1") + "61" + std::string(62, '0');
    EXPECT_EQ(decode_error("string", gap), AbiError::non_canonical_offset);
    EXPECT_EQ(decode(types_of_sig("string"), hex(gap), DecodeMode::lenient)->at(0), Value::string("a"));
    const std::string dirty_pad = word("20") + word("1") + "6162" + std::string(60, '0');
    EXPECT_EQ(decode_error("string", dirty_pad), AbiError::dirty_padding);
    EXPECT_TRUE(decode(types_of_sig("string"), hex(dirty_pad), DecodeMode::lenient));
    EXPECT_EQ(decode_error("string", canonical + word("0")), AbiError::trailing_data);
    EXPECT_TRUE(decode(types_of_sig("string"), hex(canonical + word("0")), DecodeMode::lenient));
    // Unpadded final bytes: strict wants the padding, lenient only the payload.
    const std::string unpadded = word("20") + word("1") + "61";
    EXPECT_EQ(decode_error("string", unpadded), AbiError::data_too_short);
    EXPECT_TRUE(decode(types_of_sig("string"), hex(unpadded), DecodeMode::lenient));
}

TEST(abi_codec, aliased_offsets_cannot_amplify) {
    // uint256[][]: 8 outer entries that all point at the same inner array of 8 words. 19 words of
    // data would decode into 82 words of values.
    std::string data = word("20") + word("8");
    for (int i = 0; i < 8; ++i) data += word("100");  // each offset: 8 * 32 bytes past the offsets
    data += word("8");
    for (int i = 0; i < 8; ++i) data += word("7");
    EXPECT_EQ(decode_error("uint256[][]", data, DecodeMode::lenient), AbiError::data_reused);
    EXPECT_EQ(decode_error("uint256[][]", data), AbiError::non_canonical_offset);
}

TEST(abi_codec, empty_inputs) {
    EXPECT_EQ(encode({}, {}), Bytes{});
    EXPECT_TRUE(decode({}, {})->empty());
    EXPECT_EQ(decode({}, hex(word("1"))).error(), AbiError::trailing_data);
}

// ---- properties over random nested types ----

RC_GTEST_PROP(abi_codec, decode_inverts_encode_for_random_types, ()) {
    const auto [types, values] = *test_gen::typed_values(3);
    RC_ASSERT(conforms(types, values));
    const Bytes enc = encode(types, values);
    auto strict = decode(types, enc);
    RC_ASSERT(strict.has_value());
    RC_ASSERT(*strict == values);
    auto lenient = decode(types, enc, DecodeMode::lenient);
    RC_ASSERT(lenient.has_value());
    RC_ASSERT(*lenient == values);
}

RC_GTEST_PROP(abi_codec, mutated_data_never_crashes_and_strict_accepts_only_canonical, ()) {
    const auto [types, values] = *test_gen::typed_values(3);
    Bytes enc = encode(types, values);
    const auto flips = *rc::gen::inRange(1, 4);
    for (int i = 0; i < flips && !enc.empty(); ++i) {
        const auto at = *rc::gen::inRange<std::size_t>(0, enc.size());
        enc[at] = *rc::gen::arbitrary<std::uint8_t>();
    }
    if (*rc::gen::arbitrary<bool>()) enc.resize(*rc::gen::inRange<std::size_t>(0, enc.size() + 1));
    auto strict = decode(types, enc);
    if (strict) {
        RC_ASSERT(conforms(types, *strict));
        RC_ASSERT(encode(types, *strict) == enc);
    }
    auto lenient = decode(types, enc, DecodeMode::lenient);
    if (lenient) RC_ASSERT(conforms(types, *lenient));
}

}  // namespace
}  // namespace sigil::abi
