#include "core/abi/event.hpp"

#include <gtest/gtest.h>

#include "core/keccak.hpp"

namespace sigil::abi {
namespace {

Bytes hex(std::string_view h) { return from_hex(h).value(); }
Hash h32(std::string_view h) { return fixed_from_hex<32>(h).value(); }

// topic0: `cast sig-event '<signature>'` (cast 1.7.1).
TEST(abi_event, topic0_matches_cast_sig_event) {
    const std::pair<const char*, const char*> cases[] = {
        {"Transfer(address indexed from, address indexed to, uint256 value)",
         "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"},
        {"event Transfer(address indexed,address indexed,uint256)",
         "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"},
        {"Log(string indexed, (uint8,bytes)[] x, bytes32 indexed tag)",
         "0x0555db6316c53b181fd7a835d63da95ed640025fefa0ee72f69bbd933864c92f"},
    };
    for (const auto& [sig, topic] : cases) {
        auto ev = parse_event(sig);
        ASSERT_TRUE(ev.has_value()) << sig;
        EXPECT_EQ(to_hex(topic0(*ev)), topic) << sig;
    }
}

TEST(abi_event, indexed_limits) {
    EXPECT_EQ(parse_event("E(uint8 indexed,uint8 indexed,uint8 indexed,uint8 indexed)").error(), AbiError::bad_indexed);
    EXPECT_TRUE(parse_event("E(uint8 indexed,uint8 indexed,uint8 indexed,uint8 indexed) anonymous").has_value());
    EXPECT_EQ(parse_event("E(uint8 indexed indexed)").error(), AbiError::bad_indexed);
    EXPECT_EQ(parse_event("E(uint8)(uint8)").error(), AbiError::bad_signature);
}

TEST(abi_event, decode_transfer_log) {
    const Event ev = *parse_event("Transfer(address indexed from, address indexed to, uint256 value)");
    const Hash topics[] = {topic0(ev), h32("0x000000000000000000000000d8da6bf26964af9d7eed9e03e53415d37aa96045"),
                           h32("0x0000000000000000000000000000000000000000000000000000000000000001")};
    // cast abi-encode 'f(uint256)' 1000
    const Bytes data = hex("0x00000000000000000000000000000000000000000000000000000000000003e8");
    const auto values = decode_log(ev, topics, data);
    ASSERT_TRUE(values.has_value()) << to_string(values.error());
    ASSERT_EQ(values->size(), 3u);
    EXPECT_EQ(to_checksum((*values)[0].as_address()), "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045");
    EXPECT_EQ((*values)[1].as_address()[19], 1);
    EXPECT_EQ((*values)[2], Value::uint(1000));

    EXPECT_EQ(decode_log(ev, std::span<const Hash>(topics).first(2), data).error(), AbiError::topic_count_mismatch);
    Hash wrong[3] = {topics[0], topics[1], topics[2]};
    wrong[0][0] ^= 1;
    EXPECT_EQ(decode_log(ev, wrong, data).error(), AbiError::topic0_mismatch);
    wrong[0] = topics[0];
    wrong[1][0] = 1;  // dirty address in a topic
    EXPECT_EQ(decode_log(ev, wrong, data).error(), AbiError::dirty_address);
}

TEST(abi_event, indexed_dynamic_types_come_back_hashed) {
    const Event ev = *parse_event("Log(string indexed, (uint8,bytes)[] x, bytes32 indexed tag)");
    const Hash hello = keccak256(std::string_view("hello"));
    // cast keccak hello
    ASSERT_EQ(to_hex(hello), "0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8");
    const Hash tag = h32("0x00000000000000000000000000000000000000000000000000000000000000aa");
    const Hash topics[] = {topic0(ev), hello, tag};
    // cast abi-encode 'f((uint8,bytes)[])' '[(1,0xab)]'
    const Bytes data = hex(
        "0x0000000000000000000000000000000000000000000000000000000000000020"
        "0000000000000000000000000000000000000000000000000000000000000001"
        "0000000000000000000000000000000000000000000000000000000000000020"
        "0000000000000000000000000000000000000000000000000000000000000001"
        "0000000000000000000000000000000000000000000000000000000000000040"
        "0000000000000000000000000000000000000000000000000000000000000001"
        "ab00000000000000000000000000000000000000000000000000000000000000");
    const auto values = decode_log(ev, topics, data);
    ASSERT_TRUE(values.has_value()) << to_string(values.error());
    EXPECT_EQ((*values)[0], Value::bytes_n(as_bytes(hello)));
    EXPECT_EQ((*values)[1], Value::array({Value::tuple({Value::uint(1, 8), Value::dyn_bytes(Bytes{0xab})})}));
    EXPECT_EQ((*values)[2], Value::bytes_n(as_bytes(tag)));
}

TEST(abi_event, anonymous_events_have_no_topic0) {
    const Event ev = *parse_event("event A(uint256 indexed a, bool b) anonymous");
    const Hash topics[] = {h32("0x0000000000000000000000000000000000000000000000000000000000000007")};
    const Bytes data = hex("0x0000000000000000000000000000000000000000000000000000000000000001");
    EXPECT_EQ(*decode_log(ev, topics, data), (std::vector<Value>{Value::uint(7), Value::boolean(true)}));
}

}  // namespace
}  // namespace sigil::abi
