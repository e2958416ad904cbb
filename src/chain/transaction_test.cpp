#include "chain/transaction.hpp"

#include <gtest/gtest.h>

namespace sigil::chain {
namespace {

constexpr const char* kAnvilKey0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

Address addr(std::string_view s) { return *parse_address(s); }

struct Vector {
    Transaction tx;
    const char* raw;
};

// Each raw value is the output of the cast 1.7.1 command in the comment (K = kAnvilKey0).
std::vector<Vector> cast_vectors() {
    std::vector<Vector> v;
    // cast mktx --private-key K --chain 1 --nonce 7 --gas-limit 21000 --gas-price 2000000000
    //   --priority-gas-price 1000000000 --value 1000000000000000000 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
    v.push_back({Eip1559Tx{1, 7, 1'000'000'000, 2'000'000'000, 21000, addr("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
                           u256("1000000000000000000"), {}, {}},
                 "0x02f8720107843b9aca0084773594008252089470997970c51812dc3a010c7d01b50e0d17dc79c8880de0b6b3a764000080c0"
                 "80a0e66416a82f47a0108e937b48f3cba5d074f6fe7d1cdecf99f1e9e890f1726816a037ade7b1a0c9e9dc55e96a1a856a7736"
                 "eca0249b7ab9e7e34776ee8627718b9c"});
    // cast mktx --private-key K --chain 31337 --nonce 0 --gas-limit 100000 --gas-price 30000000000
    //   --priority-gas-price 2 0x5FbDB2315678afecb367f032d93F642f64180aa3 0xdeadbeef00
    v.push_back({Eip1559Tx{31337, 0, 2, u256("30000000000"), 100000, addr("0x5FbDB2315678afecb367f032d93F642f64180aa3"),
                           0, *from_hex("0xdeadbeef00"), {}},
                 "0x02f86f827a6980028506fc23ac00830186a0945fbdb2315678afecb367f032d93f642f64180aa38085deadbeef00c080a0bb"
                 "fc2bacbde1d6679d31de8ef5e39416f56b9cc7fb030d8db37c4b4b4f4e1eefa05009b1218abbf238a57d6a3c8fadd6da57862f"
                 "b151879268142c0422258f0376"});
    // cast mktx --private-key K --chain 5 --nonce 1 --gas-limit 60000 --gas-price 100 --priority-gas-price 0
    //   --create 0x6080604052
    v.push_back({Eip1559Tx{5, 1, 0, 100, 60000, std::nullopt, 0, *from_hex("0x6080604052"), {}},
                 "0x02f8530501806482ea608080856080604052c001a025fda624096395e6caf50ee580d8405a97c073532fa08416dff9c37110"
                 "d9b5bfa02d5800042bf5c13277dd553e19be3e9fa01cf1959f8f1191648efd540c8ac2dd"});
    // cast mktx --private-key K --legacy --chain 1 --nonce 9 --gas-limit 21000 --gas-price 20000000000
    //   --value 1000000000000000000 0x3535353535353535353535353535353535353535
    v.push_back({LegacyTx{1, 9, u256("20000000000"), 21000, addr("0x3535353535353535353535353535353535353535"),
                          u256("1000000000000000000"), {}},
                 "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a03016c5b00a"
                 "cdf2ab6417652b9af1b5458ae73a8f2ddbc2ce03ccddde54184f71a0160362f6bf9e0af5a6f543153b85cfce8bce64cf08607f"
                 "2cfd486fecb81eba1d"});
    // cast mktx --private-key K --legacy --chain 31337 --nonce 300 --gas-limit 500000 --gas-price 1
    //   0x0000000000000000000000000000000000000000 0x
    v.push_back({LegacyTx{31337, 300, 1, 500000, Address{}, 0, {}},
                 "0xf86482012c018307a120940000000000000000000000000000000000000000808082f4f6a0aca73e5322bd8331927abe2c7a"
                 "2e5ec49fb9fcc46596e9384c90606365957448a06ea58ad6d865dcdedcecb4d7244ccd558d2e64be7c20ec33ae31065bfb4935"
                 "c2"});
    return v;
}

TEST(transaction, signed_raw_bytes_match_cast_mktx) {
    auto key = *PrivateKey::from_hex(kAnvilKey0);
    for (const auto& v : cast_vectors()) {
        const SignedTx s = sign_transaction(v.tx, key);
        EXPECT_EQ(to_hex(s.raw), v.raw);
    }
}

TEST(transaction, decode_round_trips_and_recovers_the_sender) {
    auto key = *PrivateKey::from_hex(kAnvilKey0);
    for (const auto& v : cast_vectors()) {
        auto decoded = decode_transaction(*from_hex(v.raw));
        ASSERT_TRUE(decoded) << to_string(decoded.error().error);
        EXPECT_EQ(decoded->tx, v.tx);
        EXPECT_EQ(to_hex(encode_signed(decoded->tx, decoded->signature)), v.raw);
        EXPECT_EQ(*recover_sender(*decoded), key.address());
    }
}

TEST(transaction, access_lists_round_trip) {
    auto key = *PrivateKey::from_hex(kAnvilKey0);
    Eip1559Tx t{1, 1, 1, 2, 50000, Address{}, 0, {}, {{Address{}, {Hash{}, Hash{}}}}};
    t.access_list[0].storage_keys[1][31] = 1;
    auto s = sign_transaction(t, key);
    auto d = decode_transaction(s.raw);
    ASSERT_TRUE(d);
    EXPECT_EQ(std::get<Eip1559Tx>(d->tx), t);
    EXPECT_EQ(d->hash, s.hash);
}

TEST(transaction, pre_eip155_legacy_uses_v_27_28) {
    auto key = *PrivateKey::from_hex(kAnvilKey0);
    LegacyTx t{0, 0, 1, 21000, Address{}, 0, {}};
    auto s = sign_transaction(t, key);
    auto d = decode_transaction(s.raw);
    ASSERT_TRUE(d);
    EXPECT_EQ(std::get<LegacyTx>(d->tx).chain_id, 0u);
    EXPECT_EQ(*recover_sender(*d), key.address());
}

TEST(transaction, rejects_malformed_raw_bytes) {
    auto kind = [](std::string_view hex) { return decode_transaction(*from_hex(hex)).error().error; };
    EXPECT_EQ(kind("0x"), TxError::unsupported_type);
    EXPECT_EQ(kind("0x01c0"), TxError::unsupported_type);
    EXPECT_EQ(kind("0x02c0"), TxError::wrong_field_count);
    EXPECT_EQ(kind("0xc0"), TxError::wrong_field_count);
    EXPECT_EQ(kind("0x02"), TxError::rlp);
    // A valid vector with a trailing byte.
    EXPECT_EQ(kind(std::string(cast_vectors()[0].raw) + "00"), TxError::rlp);
    // Legacy with v = 29: no valid recovery id.
    auto key = *PrivateKey::from_hex(kAnvilKey0);
    LegacyTx t{0, 0, 1, 21000, Address{}, 0, {}};
    Signature sig = key.sign(signing_hash(t));
    Bytes raw = encode_signed(t, sig);
    auto root = *rlp::decode(raw);
    root.list[6] = rlp::Item::uint(29);
    EXPECT_EQ(decode_transaction(rlp::encode(root)).error().error, TxError::bad_signature);
    // A `to` of 19 bytes.
    root = *rlp::decode(raw);
    root.list[3] = rlp::Item::string(Bytes(19, 1));
    EXPECT_EQ(decode_transaction(rlp::encode(root)).error().error, TxError::bad_field);
}

}  // namespace
}  // namespace sigil::chain
