#include "core/rlp.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>

namespace sigil::rlp {
namespace {

Bytes hex(std::string_view h) { return from_hex(h).value(); }
Item str(std::string_view h) { return Item::string(hex(h)); }
Item lst(std::vector<Item> items) { return Item::list_of(std::move(items)); }

RlpError decode_error(std::string_view h) {
    auto r = decode(hex(h));
    EXPECT_FALSE(r.has_value()) << h;
    return r ? RlpError::empty_input : r.error();
}

// Golden vectors: `contracts/node_modules/.bin/cast to-rlp '<json>'` (cast 1.7.1).
TEST(rlp, golden_vectors_from_cast) {
    struct Case {
        Item item;
        const char* encoded;
    };
    const Case cases[] = {
        {lst({}), "0xc0"},                                                   // cast to-rlp '[]'
        {lst({str("0x")}), "0xc180"},                                        // cast to-rlp '["0x"]'
        {str("0x7f"), "0x7f"},                                               // cast to-rlp '0x7f'
        {str("0x00"), "0x00"},                                               // cast to-rlp '0x00'
        {lst({str("0x01"), lst({str("0x02"), str("0x0304")})}), "0xc601c402820304"},
        // cast to-rlp '["0x01",["0x02","0x0304"]]'
        {lst({lst({}), lst({lst({})}), lst({lst({}), lst({lst({})})})}), "0xc7c0c1c0c3c0c1c0"},
        // cast to-rlp '[[],[[]],[[],[[]]]]'
        {lst({str("0x636174"), str("0x646f67")}), "0xc88363617483646f67"},
        // cast to-rlp '["0x636174","0x646f67"]'
    };
    for (const auto& c : cases) {
        EXPECT_EQ(to_hex(encode(c.item)), c.encoded);
        auto d = decode(hex(c.encoded));
        ASSERT_TRUE(d.has_value()) << c.encoded << ": " << to_string(d.error());
        EXPECT_EQ(*d, c.item);
    }
    // cast to-rlp '["0xabab...ab"]' (60 bytes of 0xab): a long string inside a long list.
    std::string ab;
    for (int i = 0; i < 60; ++i) ab += "ab";
    const Item long_item = lst({str("0x" + ab)});
    EXPECT_EQ(to_hex(encode(long_item)), "0xf83eb83c" + ab);
    EXPECT_EQ(*decode(encode(long_item)), long_item);
}

// Yellow Paper appendix B examples and the integer rules.
TEST(rlp, integers) {
    EXPECT_EQ(to_hex(encode_uint(0)), "0x80");
    EXPECT_EQ(to_hex(encode_uint(15)), "0x0f");
    EXPECT_EQ(to_hex(encode_uint(1024)), "0x820400");
    EXPECT_EQ(to_hex(encode_uint(0x80)), "0x8180");
    const u256 max = ~u256(0);
    const Bytes max_enc = encode_uint(max);
    EXPECT_EQ(max_enc.size(), 33u);
    EXPECT_EQ(*decode_uint(*decode(max_enc)), max);
    EXPECT_EQ(*decode_uint(*decode(hex("0x80"))), 0);
    EXPECT_EQ(*decode_uint(*decode(hex("0x820400"))), 1024);
    EXPECT_EQ(decode_uint(*decode(hex("0x00"))).error(), RlpError::uint_leading_zero);
    EXPECT_EQ(decode_uint(*decode(hex("0x820004"))).error(), RlpError::uint_leading_zero);
    EXPECT_EQ(decode_uint(Item::string(Bytes(33, 1))).error(), RlpError::uint_too_long);
    EXPECT_EQ(decode_uint(lst({})).error(), RlpError::expected_string);
}

TEST(rlp, encode_list_payload_wraps_items) {
    const Bytes payload = concat({encode_bytes(as_bytes("cat")), encode_bytes(as_bytes("dog"))});
    EXPECT_EQ(to_hex(encode_list_payload(payload)), "0xc88363617483646f67");
    EXPECT_EQ(to_hex(encode_list_payload({})), "0xc0");
}

TEST(rlp, named_errors_for_non_canonical_forms) {
    EXPECT_EQ(decode_error("0x"), RlpError::empty_input);
    EXPECT_EQ(decode_error("0x8100"), RlpError::non_canonical_single_byte);
    EXPECT_EQ(decode_error("0x817f"), RlpError::non_canonical_single_byte);
    EXPECT_EQ(decode_error("0xb80161"), RlpError::non_canonical_length);
    EXPECT_EQ(decode_error("0xb837" + std::string(55 * 2, 'a')), RlpError::non_canonical_length);
    EXPECT_EQ(decode_error("0xf800"), RlpError::non_canonical_length);
    EXPECT_EQ(decode_error("0xb90038" + std::string(56 * 2, 'a')), RlpError::leading_zero_in_length);
    EXPECT_EQ(decode_error("0xf90038" + std::string(56 * 2, 'a')), RlpError::leading_zero_in_length);
    EXPECT_EQ(decode_error("0x83616263ff"), RlpError::trailing_bytes);
    EXPECT_EQ(decode_error("0x8361"), RlpError::truncated);
    EXPECT_EQ(decode_error("0xb9"), RlpError::truncated);
    EXPECT_EQ(decode_error("0xb90100"), RlpError::truncated);
    EXPECT_EQ(decode_error("0xc3c2c1"), RlpError::truncated);
    EXPECT_EQ(decode_error("0xbf0102030405060708"), RlpError::truncated);
    EXPECT_EQ(decode_error("0xc28100"), RlpError::non_canonical_single_byte);  // inside a list
    // A list payload that ends inside its last child.
    EXPECT_EQ(decode_error("0xc2c2c0"), RlpError::truncated);
    // A child whose declared length runs past the list payload (but not past the input).
    EXPECT_EQ(decode_error("0xc182" "6162"), RlpError::trailing_bytes);
}

TEST(rlp, hostile_lengths_rejected_without_allocation) {
    // 2^64-1 payload bytes plus a 9-byte header does not fit in size_t.
    EXPECT_EQ(decode_error("0xbfffffffffffffffff"), RlpError::length_overflow);
    EXPECT_EQ(decode_error("0xffffffffffffffffff"), RlpError::length_overflow);
    // Large but representable lengths are simply longer than the input.
    EXPECT_EQ(decode_error("0xbf7fffffffffffffff"), RlpError::truncated);
    EXPECT_EQ(decode_error("0xfb7fffffff00"), RlpError::truncated);
}

TEST(rlp, nesting_limit) {
    Item deep = lst({});
    for (std::size_t i = 1; i < kMaxDepth; ++i) deep = lst({deep});
    const Bytes ok = encode(deep);
    ASSERT_TRUE(decode(ok).has_value());
    const Bytes too_deep = encode(lst({deep}));
    EXPECT_EQ(decode(too_deep).error(), RlpError::too_deep);
}

TEST(rlp, error_names_are_stable) {
    EXPECT_EQ(to_string(RlpError::non_canonical_single_byte), "non_canonical_single_byte");
    EXPECT_EQ(to_string(RlpError::uint_too_long), "uint_too_long");
}

// ---- properties ----

/// A container of `lo` to `hi - 1` elements drawn from `g`.
template <typename C, typename G>
rc::Gen<C> sized(int lo, int hi, G g) {
    return rc::gen::mapcat(rc::gen::inRange(lo, hi), [g](int n) {
        return rc::gen::container<C>(static_cast<std::size_t>(n), g);
    });
}

rc::Gen<Item> gen_item(int depth) {
    auto leaf = rc::gen::map(rc::gen::oneOf(rc::gen::container<Bytes>(rc::gen::arbitrary<std::uint8_t>()),
                                            sized<Bytes>(1, 80, rc::gen::arbitrary<std::uint8_t>())),
                             [](Bytes b) { return Item::string(b); });
    if (depth == 0) return leaf;
    auto list = rc::gen::map(sized<std::vector<Item>>(0, 5, gen_item(depth - 1)),
                             [](std::vector<Item> v) { return Item::list_of(std::move(v)); });
    return rc::gen::oneOf(leaf, list);
}

RC_GTEST_PROP(rlp, decode_inverts_encode, ()) {
    const Item item = *gen_item(4);
    const Bytes enc = encode(item);
    auto dec = decode(enc);
    RC_ASSERT(dec.has_value());
    RC_ASSERT(*dec == item);
}

RC_GTEST_PROP(rlp, uint_roundtrip, ()) {
    const auto words = *rc::gen::container<std::vector<std::uint64_t>>(4, rc::gen::arbitrary<std::uint64_t>());
    const auto shift = *rc::gen::inRange(0, 256);
    u256 v = 0;
    for (auto w : words) v = (v << 64) | w;
    v >>= shift;
    auto dec = decode(encode_uint(v));
    RC_ASSERT(dec.has_value());
    RC_ASSERT(*decode_uint(*dec) == v);
}

/// Re-encodes the payload `p` of a string or list with a long-form header of `extra` leading zero
/// bytes in front of the length (extra = 0 gives the non-canonical long form for short payloads).
Bytes long_form(BytesView p, bool is_list, std::size_t extra) {
    Bytes len;
    for (std::size_t v = p.size(); v != 0; v >>= 8) len.insert(len.begin(), static_cast<std::uint8_t>(v));
    if (len.empty()) len.push_back(0);
    len.insert(len.begin(), extra, 0);
    const Bytes tag{static_cast<std::uint8_t>((is_list ? 0xf7 : 0xb7) + len.size())};
    return concat({tag, len, p});
}

RC_GTEST_PROP(rlp, short_payload_in_long_form_rejected, ()) {
    const bool is_list = *rc::gen::arbitrary<bool>();
    const Item item =
        is_list ? lst(*sized<std::vector<Item>>(0, 4, gen_item(1)))
                : Item::string(*sized<Bytes>(0, 56, rc::gen::arbitrary<std::uint8_t>()));
    const Bytes enc = encode(item);
    const Header h = *decode_header(enc);
    RC_PRE(h.payload_size <= 55 && h.header_size == 1);
    const Bytes bad = long_form(BytesView(enc).subspan(1), h.is_list, 0);
    RC_ASSERT(decode(bad).error() == RlpError::non_canonical_length);
}

RC_GTEST_PROP(rlp, leading_zero_length_rejected, ()) {
    const bool is_list = *rc::gen::arbitrary<bool>();
    const Bytes payload = *sized<Bytes>(56, 300, rc::gen::arbitrary<std::uint8_t>());
    const std::size_t zeros = static_cast<std::size_t>(*rc::gen::inRange(1, 3));
    const Bytes bad = long_form(payload, is_list, zeros);
    RC_ASSERT(decode(bad).error() == RlpError::leading_zero_in_length);
}

RC_GTEST_PROP(rlp, single_byte_as_string_rejected, ()) {
    const auto b = *rc::gen::inRange<std::uint8_t>(0, 0x80);
    const Bytes bad{0x81, b};
    RC_ASSERT(decode(bad).error() == RlpError::non_canonical_single_byte);
    // Also when nested in a list.
    RC_ASSERT(decode(encode_list_payload(bad)).error() == RlpError::non_canonical_single_byte);
}

RC_GTEST_PROP(rlp, every_strict_prefix_rejected, ()) {
    const Item item = *gen_item(3);
    const Bytes enc = encode(item);
    const auto cut = *rc::gen::inRange<std::size_t>(0, enc.size());
    RC_ASSERT(!decode(BytesView(enc).first(cut)).has_value());
}

RC_GTEST_PROP(rlp, trailing_bytes_rejected, ()) {
    const Item item = *gen_item(3);
    Bytes enc = encode(item);
    const Bytes extra = *rc::gen::nonEmpty(rc::gen::arbitrary<Bytes>());
    enc.insert(enc.end(), extra.begin(), extra.end());
    RC_ASSERT(decode(enc).error() == RlpError::trailing_bytes);
}

}  // namespace
}  // namespace sigil::rlp
