#include "node/signed_claim.hpp"

#include <nlohmann/json.hpp>

#include "core/keccak.hpp"

namespace sigil::node {

std::string claim_typed_data_json(const Hash& model_root, const Claim& c, std::uint64_t dispute_until,
                                  std::uint64_t chain_id,
                                  const Address& coordinator) {
    using nlohmann::ordered_json;
    ordered_json doc;
    doc["types"]["EIP712Domain"] = ordered_json::array({{{"name", "name"}, {"type", "string"}},
                                                        {{"name", "version"}, {"type", "string"}},
                                                        {{"name", "chainId"}, {"type", "uint256"}},
                                                        {{"name", "verifyingContract"}, {"type", "address"}}});
    doc["types"]["Claim"] = ordered_json::array({{{"name", "modelRoot"}, {"type", "bytes32"}},
                                                 {{"name", "inputRoot"}, {"type", "bytes32"}},
                                                 {{"name", "outputHash"}, {"type", "bytes32"}},
                                                 {{"name", "outputRoot"}, {"type", "bytes32"}},
                                                 {{"name", "traceRoot"}, {"type", "bytes32"}},
                                                 {{"name", "steps"}, {"type", "uint64"}},
                                                 {{"name", "disputeUntil"}, {"type", "uint64"}}});
    doc["primaryType"] = "Claim";
    doc["domain"] = {{"name", "Sigil"}, {"version", "1"}, {"chainId", chain_id},
                     {"verifyingContract", to_checksum(coordinator)}};
    doc["message"] = {{"modelRoot", to_hex(model_root)},       {"inputRoot", to_hex(c.input_root)},
                      {"outputHash", to_hex(keccak256(c.output))}, {"outputRoot", to_hex(c.output_root)},
                      {"traceRoot", to_hex(c.trace_root)},       {"steps", c.steps},
                      {"disputeUntil", dispute_until}};
    return doc.dump();
}

Result<chain::Signature, chain::TypedDataError> sign_claim(const chain::PrivateKey& key, const Hash& model_root,
                                                           const Claim& c, std::uint64_t dispute_until,
                                                           std::uint64_t chain_id,
                                                           const Address& coordinator) {
    auto td = SIGIL_TRY(chain::TypedData::parse(claim_typed_data_json(model_root, c, dispute_until, chain_id, coordinator)));
    return chain::sign_typed_data(key, td);
}

Result<Address, std::string> recover_claim_signer(const Hash& model_root, const Claim& c, std::uint64_t dispute_until,
                                                  std::uint64_t chain_id,
                                                  const Address& coordinator, const chain::Signature& sig) {
    auto td = chain::TypedData::parse(claim_typed_data_json(model_root, c, dispute_until, chain_id, coordinator));
    if (!td) return fail(std::string(chain::to_string(td.error())));
    auto digest = td->signing_hash();
    if (!digest) return fail(std::string(chain::to_string(digest.error())));
    auto a = chain::recover_address(*digest, sig);
    if (!a) return fail(std::string("bad signature"));
    return *a;
}

}  // namespace sigil::node
