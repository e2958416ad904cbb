#pragma once
/// EIP-712 claims for off-chain jobs: the operator signs (modelRoot, inputRoot, keccak256(output),
/// outputRoot, traceRoot = S_N, steps = N, disputeUntil) under the domain {name "Sigil", version
/// "1", chainId, verifyingContract = the Coordinator}, so a client can bring the claim on chain
/// (OffchainClaims.adopt) and have it disputed like a delivered answer until `disputeUntil` (unix
/// seconds).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "chain/keys.hpp"
#include "chain/typed_data.hpp"
#include "node/coordinator_abi.hpp"

namespace sigil::node {

/// The standard EIP-712 JSON document (`eth_signTypedData_v4` input) of a claim.
std::string claim_typed_data_json(const Hash& model_root, const Claim& c, std::uint64_t dispute_until, std::uint64_t chain_id,
                                  const Address& coordinator);

/// Signs the claim; the signature as 65 bytes r || s || v (v = 27/28).
Result<chain::Signature, chain::TypedDataError> sign_claim(const chain::PrivateKey& key, const Hash& model_root,
                                                           const Claim& c, std::uint64_t dispute_until, std::uint64_t chain_id,
                                                           const Address& coordinator);

/// The signer of a claim signature.
Result<Address, std::string> recover_claim_signer(const Hash& model_root, const Claim& c, std::uint64_t dispute_until, std::uint64_t chain_id,
                                                  const Address& coordinator, const chain::Signature& sig);

/// A uint64 as the node's JSON writes it: a number up to 2^53 - 1 (what JavaScript reads exactly),
/// a decimal string above (a generation claim's flagged step count).
nlohmann::json json_uint64(std::uint64_t v);
/// Reads what json_uint64 writes (a number, or a decimal string); nullopt otherwise.
std::optional<std::uint64_t> uint64_of_json(const nlohmann::json& j);

/// A signed claim as the node's API returns it: {"claim": {modelRoot, inputRoot, output,
/// outputRoot, traceRoot, steps, disputeUntil}, "signer", "signature" (r || s || v hex),
/// "typed_data"}; what `sigil claim verify|adopt` read.
Result<nlohmann::json, std::string> signed_claim_json(const chain::PrivateKey& key, const Hash& model_root,
                                                      const Claim& c, std::uint64_t dispute_until,
                                                      std::uint64_t chain_id, const Address& coordinator);

}  // namespace sigil::node
