#pragma once
/// ABI encodings of one-step proofs as the Solidity OneStepVerifier reads them
/// (contracts/src/avs/dispute/DisputeTypes.sol):
///
///   ChunkProof    (uint64 index, bytes32 chunk, bytes32[] siblings)
///   TensorOpening (uint8 source, uint64 position, bytes32 tensorRoot, bytes32[] innerPath,
///                  bytes32[] outerPath, ChunkProof[] chunks)
///   ElementProof  (uint64 step, uint64 element, bytes opRecord, bytes32[] opPath,
///                  bytes32[] opTablePath, TensorOpening[] operands)

#include <cstdint>

#include "core/abi/type.hpp"
#include "core/abi/value.hpp"
#include "core/bytes.hpp"
#include "core/trace/verify.hpp"
#include "proof/game.hpp"

namespace sigil::proof {

/// The ABI type of ElementProof.
abi::Type element_proof_type();
/// `p` as an ABI value of element_proof_type().
abi::Value element_proof_value(const trace::ElementProof& p);
/// abi.encode(p): the bytes a transaction carrying one ElementProof argument holds after its head.
Bytes encode_element_proof(const trace::ElementProof& p);

/// The ABI type and value of DisputeGame.OutputReveal
/// (bytes32 outRoot, bytes32[] statePath, bytes opRecord, bytes32[] opPath, bytes32[] opTablePath).
abi::Type output_reveal_type();
abi::Value output_reveal_value(const OutputReveal& r);

/// DisputeGame's move functions, for abi::parse_function + abi::encode_call (the Job tuple is
/// CoordinatorTypes.sol's, as emitted in Coordinator.Requested):
///   challenge(bytes32 id, Job job, Claim claim, address operator)
///   bisect(uint256 gameId, bytes32 midState)            defender
///   choose(uint256 gameId, bool agree)                  challenger
///   revealOutput(uint256 gameId, OutputReveal rv)       defender
///   descend(uint256 gameId, bytes32 left, bytes32 right) defender
///   pick(uint256 gameId, bool right)                    challenger
///   proveElement(uint256 gameId, Job job, ElementProof proof)   challenger
///   provePadding(uint256 gameId, Job job)               challenger
///   timeout(uint256 gameId, Job job)                    anyone, after the mover's deadline
/// Events to follow a game: Challenged, Bisected, Chosen, OutputRevealed, ChildrenRevealed, Picked,
/// Resolved; getGame(gameId) returns the whole state (phase, lo, hi, index, height, deadline).

/// The on-chain code of a verify result: 0 accepted, else VerifyError + 1 (VerifyCode in
/// DisputeTypes.sol).
std::uint8_t verify_code(const Result<void, trace::VerifyError>& r) noexcept;

}  // namespace sigil::proof
