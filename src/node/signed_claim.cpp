#include "node/signed_claim.hpp"

#include <nlohmann/json.hpp>

#include "core/keccak.hpp"

namespace sigil::node {

namespace {

using nlohmann::ordered_json;

/// A document of `type` (its fields) under the domain {name "Sigil", version "1", chainId, the
/// Coordinator}, keys in the order types, primaryType, domain; the caller adds the message.
ordered_json sigil_document(const char* type, ordered_json fields, std::uint64_t chain_id, const Address& coordinator) {
    ordered_json doc;
    doc["types"]["EIP712Domain"] = ordered_json::array({{{"name", "name"}, {"type", "string"}},
                                                        {{"name", "version"}, {"type", "string"}},
                                                        {{"name", "chainId"}, {"type", "uint256"}},
                                                        {{"name", "verifyingContract"}, {"type", "address"}}});
    doc["types"][type] = std::move(fields);
    doc["primaryType"] = type;
    doc["domain"] = {
        {"name", "Sigil"}, {"version", "1"}, {"chainId", chain_id}, {"verifyingContract", to_checksum(coordinator)}};
    return doc;
}

Result<Address, std::string> recover(const std::string& typed_data, const chain::Signature& sig) {
    auto td = chain::TypedData::parse(typed_data);
    if (!td) return fail(std::string(chain::to_string(td.error())));
    auto digest = td->signing_hash();
    if (!digest) return fail(std::string(chain::to_string(digest.error())));
    auto a = chain::recover_address(*digest, sig);
    if (!a) return fail(std::string("bad signature"));
    return *a;
}

}  // namespace

std::string claim_typed_data_json(const Hash& model_root, const Claim& c, std::uint64_t dispute_until,
                                  std::uint64_t chain_id, const Address& coordinator) {
    ordered_json doc = sigil_document("Claim",
                                      ordered_json::array({{{"name", "modelRoot"}, {"type", "bytes32"}},
                                                           {{"name", "inputRoot"}, {"type", "bytes32"}},
                                                           {{"name", "outputHash"}, {"type", "bytes32"}},
                                                           {{"name", "outputRoot"}, {"type", "bytes32"}},
                                                           {{"name", "traceRoot"}, {"type", "bytes32"}},
                                                           {{"name", "steps"}, {"type", "uint64"}},
                                                           {{"name", "disputeUntil"}, {"type", "uint64"}}}),
                                      chain_id, coordinator);
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
    return recover(claim_typed_data_json(model_root, c, dispute_until, chain_id, coordinator), sig);
}

std::string generation_typed_data_json(const GenerationClaim& g, std::uint64_t chain_id, const Address& coordinator) {
    ordered_json doc = sigil_document("Generation",
                                      ordered_json::array({{{"name", "stepModelRoot"}, {"type", "bytes32"}},
                                                           {{"name", "vocabRoot"}, {"type", "bytes32"}},
                                                           {{"name", "promptHash"}, {"type", "bytes32"}},
                                                           {{"name", "paramsHash"}, {"type", "bytes32"}},
                                                           {{"name", "generationRoot"}, {"type", "bytes32"}},
                                                           {{"name", "tokens"}, {"type", "uint32"}},
                                                           {{"name", "disputeUntil"}, {"type", "uint64"}}}),
                                      chain_id, coordinator);
    doc["message"] = {{"stepModelRoot", to_hex(g.step_model_root)},
                      {"vocabRoot", to_hex(g.vocab_root)},
                      {"promptHash", to_hex(g.prompt_hash)},
                      {"paramsHash", to_hex(g.params_hash)},
                      {"generationRoot", to_hex(g.generation_root)},
                      {"tokens", g.tokens},
                      {"disputeUntil", g.dispute_until}};
    return doc.dump();
}

Result<chain::Signature, chain::TypedDataError> sign_generation(const chain::PrivateKey& key, const GenerationClaim& g,
                                                                std::uint64_t chain_id, const Address& coordinator) {
    auto td = SIGIL_TRY(chain::TypedData::parse(generation_typed_data_json(g, chain_id, coordinator)));
    return chain::sign_typed_data(key, td);
}

Result<Address, std::string> recover_generation_signer(const GenerationClaim& g, std::uint64_t chain_id,
                                                       const Address& coordinator, const chain::Signature& sig) {
    return recover(generation_typed_data_json(g, chain_id, coordinator), sig);
}

}  // namespace sigil::node
