#include "node/signed_claim.hpp"

#include <charconv>
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

nlohmann::json json_uint64(std::uint64_t v) {
    if (v < (std::uint64_t{1} << 53)) return v;
    return std::to_string(v);
}

std::optional<std::uint64_t> uint64_of_json(const nlohmann::json& j) {
    if (j.is_number_unsigned()) return j.get<std::uint64_t>();
    if (j.is_number_integer()) {
        const auto v = j.get<std::int64_t>();
        return v < 0 ? std::nullopt : std::optional<std::uint64_t>(static_cast<std::uint64_t>(v));
    }
    if (!j.is_string()) return std::nullopt;
    const auto& s = j.get_ref<const std::string&>();
    if (s.empty() || s.size() > 20 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    if (s.size() > 1 && s[0] == '0') return std::nullopt;
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return v;
}

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
    doc["message"] = {{"modelRoot", to_hex(model_root)},
                      {"inputRoot", to_hex(c.input_root)},
                      {"outputHash", to_hex(keccak256(c.output))},
                      {"outputRoot", to_hex(c.output_root)},
                      {"traceRoot", to_hex(c.trace_root)},
                      {"steps", json_uint64(c.steps)},
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

Result<nlohmann::json, std::string> signed_claim_json(const chain::PrivateKey& key, const Hash& model_root,
                                                      const Claim& c, std::uint64_t dispute_until,
                                                      std::uint64_t chain_id, const Address& coordinator) {
    const std::string typed = claim_typed_data_json(model_root, c, dispute_until, chain_id, coordinator);
    auto td = chain::TypedData::parse(typed);
    if (!td) return fail(std::string(chain::to_string(td.error())));
    auto sig = chain::sign_typed_data(key, *td);
    if (!sig) return fail(std::string(chain::to_string(sig.error())));
    return nlohmann::json{{"claim",
                           {{"modelRoot", to_hex(model_root)},
                            {"inputRoot", to_hex(c.input_root)},
                            {"output", to_hex(c.output)},
                            {"outputRoot", to_hex(c.output_root)},
                            {"traceRoot", to_hex(c.trace_root)},
                            {"steps", json_uint64(c.steps)},
                            {"disputeUntil", dispute_until}}},
                          {"signer", to_checksum(key.address())},
                          {"signature", to_hex(sig->to_rsv())},
                          {"typed_data", nlohmann::json::parse(typed)}};
}

}  // namespace sigil::node
