#include "router/assignment.hpp"

#include <gtest/gtest.h>

namespace sigil::router {
namespace {

Address filled_address(std::uint8_t b) {
    Address a;
    a.fill(b);
    return a;
}

Hash filled_hash(std::uint8_t b) {
    Hash h;
    h.fill(b);
    return h;
}

const char* const kAnvilKey0 = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

// Golden values from cast 1.x (independent implementation):
//   cast keccak $(cast abi-encode "f((bytes32,bytes32,address,uint96,uint8,bool,uint32,uint32,uint32,address))"
//     "(0x11..11,0x22..22,0x33..33,1000000000000000000,1,false,100000,3600,600,0x44..44)")
TEST(router_assignment, params_hash_matches_abi_encode) {
    RequestParams p;
    p.model_root = filled_hash(0x11);
    p.input_root = filled_hash(0x22);
    p.token = filled_address(0x33);
    p.price = u256(1'000'000'000'000'000'000ULL);
    p.redundancy = 1;
    p.callback_gas_limit = 100'000;
    p.ttl = 3'600;
    p.commit_window = 600;
    p.assigned = filled_address(0x44);
    EXPECT_EQ(to_hex(params_hash(p)), "0x14c9cbdc7218376f3f2b4273d8b2a15d65e366a703cc57b582567df9318f1139");
    p.assigned = filled_address(0x45);  // another node: another request
    EXPECT_NE(to_hex(params_hash(p)), "0x14c9cbdc7218376f3f2b4273d8b2a15d65e366a703cc57b582567df9318f1139");
}

//   cast wallet sign --private-key <anvil key 0> --data '<assignment_typed_data of the values below>'
TEST(router_assignment, signature_matches_cast) {
    Assignment a;
    a.consumer = filled_address(0x66);
    a.params_hash = filled_hash(0x77);
    a.node = filled_address(0x44);
    a.coordinator = filled_address(0x88);
    a.nonce = 42;
    a.deadline = 1'700'000'300;
    const AssignmentDomain d{31337, filled_address(0x55), filled_address(0x88)};
    auto key = chain::PrivateKey::from_hex(kAnvilKey0);
    ASSERT_TRUE(key);
    const Bytes sig = sign_assignment(*key, a, d);
    EXPECT_EQ(
        to_hex(sig),
        "0xbc3e828c89e7d21096fcff774fb324b8affb9c6881843c254381dff5d7a4c43120b75d78491da30589447cf87dbfe06503a1bfee2"
        "3091ea7cc7e0ed30d94b0101c");
    auto rs = chain::Signature::from_rsv(sig);
    ASSERT_TRUE(rs);
    auto signer = chain::recover_address(assignment_digest(a, d), *rs);
    ASSERT_TRUE(signer);
    EXPECT_EQ(*signer, key->address());
    // Every bound field changes the digest.
    const Hash base = assignment_digest(a, d);
    Assignment b = a;
    b.nonce = 43;
    EXPECT_NE(assignment_digest(b, d), base);
    b = a;
    b.consumer = filled_address(0x67);
    EXPECT_NE(assignment_digest(b, d), base);
    AssignmentDomain other = d;
    other.chain_id = 1;
    EXPECT_NE(assignment_digest(a, other), base);
}

}  // namespace
}  // namespace sigil::router
