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

/// What an operator signs for a completion served off-chain: the generation's commitment
/// fields (docs/generation.md) and how long it stands by them.
struct GenerationClaim {
    Hash step_model_root{};  ///< modelRoot of the decode-step program
    Hash vocab_root{};
    Hash prompt_hash{};
    Hash params_hash{};
    Hash generation_root{};
    std::uint32_t tokens = 0;  ///< generated tokens
    std::uint64_t dispute_until = 0;
};

/// The EIP-712 document of a generation claim: type Generation(bytes32 stepModelRoot, bytes32
/// vocabRoot, bytes32 promptHash, bytes32 paramsHash, bytes32 generationRoot, uint32 tokens,
/// uint64 disputeUntil) under the same domain as Claim.
std::string generation_typed_data_json(const GenerationClaim& g, std::uint64_t chain_id, const Address& coordinator);

Result<chain::Signature, chain::TypedDataError> sign_generation(const chain::PrivateKey& key, const GenerationClaim& g,
                                                                std::uint64_t chain_id, const Address& coordinator);

/// The signer of a generation claim signature.
Result<Address, std::string> recover_generation_signer(const GenerationClaim& g, std::uint64_t chain_id,
                                                       const Address& coordinator, const chain::Signature& sig);

}  // namespace sigil::node
