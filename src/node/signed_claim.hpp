#pragma once
/// EIP-712 claims for off-chain jobs: the operator signs (modelRoot, inputRoot, keccak256(output),
/// outputRoot, traceRoot = S_N, steps = N, disputeUntil) under the domain {name "Sigil", version
/// "1", chainId, verifyingContract = the Coordinator}, so a client can bring the claim on chain
/// (OffchainClaims.adopt) and have it disputed like a delivered answer until `disputeUntil` (unix
/// seconds).

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

}  // namespace sigil::node
