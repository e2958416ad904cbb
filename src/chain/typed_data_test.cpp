#include "chain/typed_data.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace sigil::chain {
namespace {

constexpr const char* kAnvilKey0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

// The "Mail" example of EIP-712 (https://eips.ethereum.org/EIPS/eip-712, assets/eip-712/Example.js).
constexpr const char* kMail =
    R"({"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},)"
    R"({"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],)"
    R"("Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}],)"
    R"("Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]},)"
    R"("primaryType":"Mail","domain":{"name":"Ether Mail","version":"1","chainId":1,)"
    R"("verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},)"
    R"("message":{"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},)"
    R"("to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},"contents":"Hello, Bob!"}})";

// Nested structs, struct arrays, fixed and nested arrays, negative ints, bytes, bytesN, a hex chainId.
constexpr const char* kComplex =
    R"({"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"chainId","type":"uint256"},)"
    R"({"name":"salt","type":"bytes32"}],"Asset":[{"name":"token","type":"address"},)"
    R"({"name":"amount","type":"uint256"},{"name":"tags","type":"string[]"}],)"
    R"("Order":[{"name":"maker","type":"Person"},{"name":"assets","type":"Asset[]"},)"
    R"({"name":"fixed","type":"uint8[2]"},{"name":"delta","type":"int64"},{"name":"ok","type":"bool"},)"
    R"({"name":"blob","type":"bytes"},{"name":"id","type":"bytes4"},{"name":"matrix","type":"uint16[][]"}],)"
    R"("Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}]},"primaryType":"Order",)"
    R"("domain":{"name":"Sigil","chainId":"0x7a69",)"
    R"("salt":"0x0000000000000000000000000000000000000000000000000000000000000001"},)"
    R"("message":{"maker":{"name":"Ann","wallet":"0x00000000000000000000000000000000000000aa"},)"
    R"("assets":[{"token":"0x00000000000000000000000000000000000000bb","amount":"1000000000000000000000",)"
    R"("tags":["a","bc"]},{"token":"0x00000000000000000000000000000000000000cc","amount":7,"tags":[]}],)"
    R"("fixed":[1,255],"delta":-42,"ok":true,"blob":"0xdeadbeef","id":"0x01020304","matrix":[[1,2],[],[65535]]}})";

TEST(typed_data, mail_example_hashes_match_eip) {
    auto td = TypedData::parse(kMail);
    ASSERT_TRUE(td);
    EXPECT_EQ(*td->encode_type("Mail"), "Mail(Person from,Person to,string contents)Person(string name,address wallet)");
    // Values printed by the EIP's Example.js.
    EXPECT_EQ(to_hex(*td->domain_separator()), "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f");
    EXPECT_EQ(to_hex(*td->message_hash()), "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e");
    EXPECT_EQ(to_hex(*td->signing_hash()), "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");
}

// cast wallet sign --private-key <anvil key 0> --data --from-file mail.json   (cast 1.7.1)
TEST(typed_data, mail_signature_matches_cast) {
    auto key = *PrivateKey::from_hex(kAnvilKey0);
    auto sig = sign_typed_data(key, *TypedData::parse(kMail));
    ASSERT_TRUE(sig);
    EXPECT_EQ(to_hex(sig->to_rsv()),
              "0x6ea8bb309a3401225701f3565e32519f94a0ea91a5910ce9229fe488e773584c0390416a2190d9560219dab757ecca2029e6"
              "3fa9d1c2aebf676cc25b9f03126a1b");
}

// The same document without an EIP712Domain type: cast infers it and prints the same signature.
TEST(typed_data, infers_domain_type_like_cast) {
    auto doc = nlohmann::json::parse(kMail);
    doc["types"].erase("EIP712Domain");
    auto a = TypedData::parse(doc.dump());
    auto b = TypedData::parse(kMail);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(*a->signing_hash(), *b->signing_hash());
}

// cast wallet sign --private-key <anvil key 0> --data --from-file complex.json   (cast 1.7.1)
TEST(typed_data, nested_arrays_and_dynamic_types_match_cast) {
    auto key = *PrivateKey::from_hex(kAnvilKey0);
    auto td = TypedData::parse(kComplex);
    ASSERT_TRUE(td);
    EXPECT_EQ(*td->encode_type("Order"),
              "Order(Person maker,Asset[] assets,uint8[2] fixed,int64 delta,bool ok,bytes blob,bytes4 id,"
              "uint16[][] matrix)Asset(address token,uint256 amount,string[] tags)Person(string name,address wallet)");
    auto sig = sign_typed_data(key, *td);
    ASSERT_TRUE(sig) << to_string(sig.error());
    EXPECT_EQ(to_hex(sig->to_rsv()),
              "0xa51335b5e1b31cef814a566543f9fc2dec6e899d99c866f2e91a19b29b923cb5046f21c0fc6fbb62baad6338c009dd61e854"
              "0ce4708c4b73bc9eed797b6758371b");
    EXPECT_EQ(*recover_address(*td->signing_hash(), *sig), key.address());
}

TypedDataError error_of(const std::function<void(nlohmann::json&)>& mutate) {
    auto doc = nlohmann::json::parse(kComplex);
    mutate(doc);
    auto td = TypedData::parse(doc.dump());
    if (!td) return td.error();
    auto h = td->signing_hash();
    EXPECT_FALSE(h);
    return h ? TypedDataError::invalid_json : h.error();
}

TEST(typed_data, rejects_bad_documents_with_named_errors) {
    using nlohmann::json;
    EXPECT_EQ(TypedData::parse("{").error(), TypedDataError::invalid_json);
    EXPECT_EQ(error_of([](json& d) { d.erase("primaryType"); }), TypedDataError::invalid_json);
    EXPECT_EQ(error_of([](json& d) { d["primaryType"] = "Nope"; }), TypedDataError::unknown_type);
    EXPECT_EQ(error_of([](json& d) { d["types"]["Order"][3]["type"] = "int65"; }), TypedDataError::bad_type_string);
    EXPECT_EQ(error_of([](json& d) { d["types"]["Order"][6]["type"] = "bytes33"; }), TypedDataError::bad_type_string);
    EXPECT_EQ(error_of([](json& d) { d["types"]["Order"][2]["type"] = "uint8[x]"; }), TypedDataError::bad_type_string);
    EXPECT_EQ(error_of([](json& d) { d["types"]["Order"][4]["type"] = "boolean"; }), TypedDataError::unknown_type);
    EXPECT_EQ(error_of([](json& d) { d["message"].erase("ok"); }), TypedDataError::missing_field);
    EXPECT_EQ(error_of([](json& d) { d["message"]["ok"] = 1; }), TypedDataError::bad_value);
    EXPECT_EQ(error_of([](json& d) { d["message"]["maker"]["wallet"] = "0x12"; }), TypedDataError::bad_value);
    EXPECT_EQ(error_of([](json& d) { d["message"]["fixed"] = json::array({1, 256}); }), TypedDataError::out_of_range);
    EXPECT_EQ(error_of([](json& d) { d["message"]["fixed"] = json::array({1}); }), TypedDataError::wrong_array_length);
    EXPECT_EQ(error_of([](json& d) { d["message"]["delta"] = "-9223372036854775809"; }), TypedDataError::out_of_range);
    EXPECT_EQ(error_of([](json& d) { d["message"]["assets"][0]["amount"] = "-1"; }), TypedDataError::out_of_range);
    EXPECT_EQ(error_of([](json& d) { d["message"]["assets"][0]["amount"] = "0x1" + std::string(64, '0'); }),
              TypedDataError::out_of_range);
    EXPECT_EQ(error_of([](json& d) { d["message"]["id"] = "0x0102"; }), TypedDataError::out_of_range);
    EXPECT_EQ(error_of([](json& d) { d["message"]["blob"] = "0xzz"; }), TypedDataError::bad_value);
    EXPECT_EQ(error_of([](json& d) { d["message"]["delta"] = 1.5; }), TypedDataError::bad_value);
}

TEST(typed_data, recursive_types_are_bounded) {
    // A self-referencing type with a deeply nested value: refused, never a stack overflow.
    nlohmann::json value = nlohmann::json::object({{"v", 1}, {"next", nlohmann::json::array()}});
    for (int i = 0; i < 200; ++i) value = {{"v", 1}, {"next", nlohmann::json::array({value})}};
    nlohmann::json doc = {{"types", {{"Node", {{{"name", "v"}, {"type", "uint8"}}, {{"name", "next"}, {"type", "Node[]"}}}}}},
                          {"primaryType", "Node"},
                          {"domain", nlohmann::json::object()},
                          {"message", value}};
    auto td = TypedData::parse(doc.dump());
    ASSERT_TRUE(td);
    EXPECT_EQ(td->message_hash().error(), TypedDataError::too_deep);
    EXPECT_EQ(*td->encode_type("Node"), "Node(uint8 v,Node[] next)");
}

}  // namespace
}  // namespace sigil::chain
