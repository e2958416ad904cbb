#include "node/signed_claim.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace sigil::node {
namespace {

constexpr const char* kAnvilKey0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/// The claim of contracts/test/dispute/SignedClaim.t.sol (output 0x01, roots 0x22../0x33../0x44..,
/// 12 steps, model 0x11.., disputable until 1767225600, chain 31337, Coordinator 0x5FbD...0aa3).
struct Vector {
    Hash model;
    Claim claim;
    Address coordinator;
    std::uint64_t until = 1767225600;
};

Vector vector() {
    Vector v;
    v.model.fill(0x11);
    v.claim.output = {0x01};
    v.claim.input_root.fill(0x22);
    v.claim.output_root.fill(0x33);
    v.claim.trace_root.fill(0x44);
    v.claim.steps = 12;
    v.coordinator = *parse_address("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    return v;
}

// The document the forge test hashes with vm.eip712HashTypedData and cast signed: the node must
// build exactly this one.
TEST(signed_claim, typed_data_document_is_the_one_checked_on_chain) {
    const Vector v = vector();
    EXPECT_EQ(claim_typed_data_json(v.model, v.claim, v.until, 31337, v.coordinator),
              R"({"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},)"
              R"({"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],"Claim":[)"
              R"({"name":"modelRoot","type":"bytes32"},{"name":"inputRoot","type":"bytes32"},)"
              R"({"name":"outputHash","type":"bytes32"},{"name":"outputRoot","type":"bytes32"},)"
              R"({"name":"traceRoot","type":"bytes32"},{"name":"steps","type":"uint64"},)"
              R"({"name":"disputeUntil","type":"uint64"}]},"primaryType":"Claim",)"
              R"("domain":{"name":"Sigil","version":"1","chainId":31337,)"
              R"("verifyingContract":"0x5FbDB2315678afecb367f032d93F642f64180aa3"},"message":{)"
              R"("modelRoot":"0x1111111111111111111111111111111111111111111111111111111111111111",)"
              R"("inputRoot":"0x2222222222222222222222222222222222222222222222222222222222222222",)"
              R"("outputHash":"0x5fe7f977e71dba2ea1a68e21057beebb9be2ac30c6410aa38d4f3fbe41dcffd2",)"
              R"("outputRoot":"0x3333333333333333333333333333333333333333333333333333333333333333",)"
              R"("traceRoot":"0x4444444444444444444444444444444444444444444444444444444444444444","steps":12,)"
              R"("disputeUntil":1767225600}})");
}

// cast wallet sign --private-key <anvil key 0> --data --from-file claim.json   (cast 1.7.1; the
// document above). The same signature recovers anvil key 0 in SignedClaimLib.
TEST(signed_claim, signature_matches_cast_and_recovers) {
    const Vector v = vector();
    auto key = *chain::PrivateKey::from_hex(kAnvilKey0);
    auto sig = sign_claim(key, v.model, v.claim, v.until, 31337, v.coordinator);
    ASSERT_TRUE(sig);
    EXPECT_EQ(to_hex(sig->to_rsv()),
              "0x70fc4b91d8e60cecd105197e273f24c1a5af0f6d9b958dfd8a97fcd6053a884b7015199da024598b4ee3a57794b17e0"
              "9bf0cf2319a20fb0f2f29d7f0147f376c1c");
    auto who = recover_claim_signer(v.model, v.claim, v.until, 31337, v.coordinator, *sig);
    ASSERT_TRUE(who);
    EXPECT_EQ(*who, *parse_address("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
}

// A step count above 2^53 - 1 (every generation claim's, flagged with 2^63) is written as a decimal
// string, which JavaScript clients carry exactly; both forms read back, nothing else does.
TEST(signed_claim, large_step_counts_are_decimal_strings) {
    EXPECT_EQ(json_uint64(12), nlohmann::json(12));
    EXPECT_EQ(json_uint64((std::uint64_t{1} << 53) - 1), nlohmann::json((std::uint64_t{1} << 53) - 1));
    EXPECT_EQ(json_uint64(std::uint64_t{1} << 53), nlohmann::json("9007199254740992"));
    const std::uint64_t flagged = (std::uint64_t{1} << 63) | 9;
    EXPECT_EQ(json_uint64(flagged), nlohmann::json("9223372036854775817"));
    EXPECT_EQ(uint64_of_json(json_uint64(flagged)), flagged);
    EXPECT_EQ(uint64_of_json(nlohmann::json(7)), 7u);
    EXPECT_EQ(uint64_of_json(nlohmann::json("18446744073709551615")), std::numeric_limits<std::uint64_t>::max());
    for (const char* bad : {"", "18446744073709551616", "-1", "1e3", "0x10", "012", " 1"}) {
        EXPECT_FALSE(uint64_of_json(nlohmann::json(bad))) << bad;
    }
    EXPECT_FALSE(uint64_of_json(nlohmann::json(-1)));
    EXPECT_FALSE(uint64_of_json(nlohmann::json(1.5)));
}

}  // namespace
}  // namespace sigil::node
