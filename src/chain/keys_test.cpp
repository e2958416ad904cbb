#include "chain/keys.hpp"

#include <gtest/gtest.h>

#include "chain/personal_message.hpp"
#include "core/keccak.hpp"

namespace sigil::chain {
namespace {

// anvil's first default account.
constexpr const char* kAnvilKey0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

// cast wallet address --private-key 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
TEST(keys, address_matches_cast) {
    auto key = PrivateKey::from_hex(kAnvilKey0);
    ASSERT_TRUE(key);
    EXPECT_EQ(to_checksum(key->address()), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
}

// cast wallet sign --private-key <kAnvilKey0> --no-hash 0x1111...11 (32 bytes)
TEST(keys, raw_digest_signature_matches_cast) {
    auto key = *PrivateKey::from_hex(kAnvilKey0);
    Hash digest{};
    digest.fill(0x11);
    EXPECT_EQ(to_hex(key.sign(digest).to_rsv()),
              "0x0f7ab7fdc86593590dfcf2e79ffe37056ed62d7191979e42979d39942847fbb904f14566b0640bb3c10128294cda733f61"
              "fa74f3dc846979c55115e92b0a1b751b");
}

// cast wallet sign --private-key <kAnvilKey0> "hello sigil"
// cast hash-message "hello sigil"
TEST(keys, personal_message_matches_cast) {
    auto key = *PrivateKey::from_hex(kAnvilKey0);
    EXPECT_EQ(to_hex(personal_message_hash(as_bytes(std::string_view("hello sigil")))),
              "0x91314215a59d645bdfbdd227425baaceb61aa4afa5f7a56d2f8a2ae98d12247f");
    auto sig = sign_personal_message(key, as_bytes(std::string_view("hello sigil")));
    EXPECT_EQ(to_hex(sig.to_rsv()),
              "0x1b1eb1cd4d2e5dc15c4c195c6e1d475fbbe1190214cea11abf71415e50915946412f667035ed214ffff7500bfaa00b7500f1"
              "4efde6684854ce025d698dd529fc1b");
    auto who = recover_personal_message(as_bytes(std::string_view("hello sigil")), sig);
    ASSERT_TRUE(who);
    EXPECT_EQ(*who, key.address());
}

// cast wallet sign --private-key <kAnvilKey0> 0xdeadbeef  (hex input is signed as raw bytes)
TEST(keys, personal_message_of_bytes_matches_cast) {
    auto key = *PrivateKey::from_hex(kAnvilKey0);
    auto sig = sign_personal_message(key, *from_hex("0xdeadbeef"));
    EXPECT_EQ(to_hex(sig.to_rsv()),
              "0xa114c834af73872c6c9efe918d85b0b1b34a486d10f9011e2630e28417c828c060dbd65cda67e73d52ebb7c555260621db"
              "c1b0b4036acb61086bba091ac3f1641b");
}

TEST(keys, rejects_invalid_secrets) {
    EXPECT_EQ(PrivateKey::from_hex("0x00").error(), KeyError::invalid_private_key);
    EXPECT_EQ(PrivateKey::from_hex(std::string(64, '0')).error(), KeyError::invalid_private_key);
    // The curve order n itself is not a valid scalar.
    EXPECT_EQ(PrivateKey::from_hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141").error(),
              KeyError::invalid_private_key);
    EXPECT_TRUE(PrivateKey::from_hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140"));
    EXPECT_EQ(PrivateKey::from_hex("zz").error(), KeyError::invalid_private_key);
}

TEST(keys, generated_keys_differ_and_round_trip) {
    auto a = PrivateKey::generate();
    auto b = PrivateKey::generate();
    ASSERT_TRUE(a && b);
    EXPECT_NE(a->secret(), b->secret());
    Hash digest = keccak256(std::string_view("x"));
    auto sig = a->sign(digest);
    EXPECT_EQ(*recover_address(digest, sig), a->address());
}

TEST(keys, signatures_are_deterministic_and_low_s) {
    auto key = *PrivateKey::from_hex(kAnvilKey0);
    for (int i = 0; i < 32; ++i) {
        Hash digest = keccak256(std::string_view(std::to_string(i)));
        auto s1 = key.sign(digest);
        EXPECT_EQ(s1.to_rsv(), key.sign(digest).to_rsv());
        // s <= n/2 (EIP-2): the top byte of a low s is at most 0x7f.
        EXPECT_LE(s1.s[0], 0x7f);
        EXPECT_EQ(*recover_address(digest, s1), key.address());
    }
}

TEST(keys, rejects_malformed_and_high_s_signatures) {
    auto key = *PrivateKey::from_hex(kAnvilKey0);
    Hash digest = keccak256(std::string_view("m"));
    auto sig = key.sign(digest);
    Signature bad = sig;
    bad.recovery_id = 2;
    EXPECT_EQ(recover_address(digest, bad).error(), KeyError::invalid_signature);
    bad = sig;
    bad.r.fill(0xff);  // r >= n
    EXPECT_EQ(recover_address(digest, bad).error(), KeyError::invalid_signature);
    // High s: n - s with the flipped recovery id is mathematically valid but forbidden by EIP-2.
    bad = sig;
    bad.s = *fixed_from_hex<32>("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140");
    EXPECT_EQ(recover_address(digest, bad).error(), KeyError::invalid_signature);
    EXPECT_EQ(Signature::from_rsv(Bytes(64)).error(), KeyError::invalid_signature);
    Bytes rsv = sig.to_rsv();
    rsv[64] = 29;
    EXPECT_EQ(Signature::from_rsv(rsv).error(), KeyError::invalid_signature);
    // A different digest recovers a different (wrong) address, never the signer's.
    auto other = recover_address(keccak256(std::string_view("n")), sig);
    if (other) {
        EXPECT_NE(*other, key.address());
    }
}

}  // namespace
}  // namespace sigil::chain
