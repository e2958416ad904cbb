#pragma once
/// DisputeGame's claim endpoints as the challenger decides them (docs/commitments.md, "Claims and
/// their endpoints"; contracts/src/avs/dispute/DisputeGame.sol): which one-shot proof refutes a
/// posted claim at once, and when a game that reached the last step ends with proveFinalOutput.
/// Pure: every input is read from the chain or the store by the caller.

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/bytes.hpp"
#include "node/coordinator_abi.hpp"
#include "node/dispute_abi.hpp"
#include "node/dispute_record.hpp"

namespace sigil::node {

/// A proof that refutes a claim in one transaction, with no bond and no game.
enum class ClaimProof : std::uint8_t {
    input_mismatch,   ///< proveInputMismatch: inputRoot is not tensorRoot(inline input)
    output_mismatch,  ///< proveOutputMismatch: the output bytes are not the tensor outputRoot commits
    shape,            ///< proveShape: the step count or the output's length is not the model's
};
/// Stable names, also the reasons stored with a refuted claim: "input_mismatch", "output_mismatch",
/// "shape".
std::string_view to_string(ClaimProof p) noexcept;

/// The one-shot proof that refutes `claim`, if any. `input_hash` is the job's inputHash and
/// `input` the request's input as the node holds it: the input check applies only to inline
/// input (input_hash non-zero and keccak256(input) == input_hash, which the contract requires of
/// the bytes it is given); the output check only to a claim with output bytes. The input check is
/// tried first.
std::optional<ClaimProof> one_shot_proof(const Claim& claim, const Hash& input_hash, BytesView input);

/// Whether `theirs` has another shape than `ours`, our own run of the same request: another step
/// count, or output bytes of another length (ours are the model's last op's output, which
/// proveShape opens). Such a claim is refuted at once with proveShape (DisputeGame.sol).
bool shape_differs(const Claim& theirs, const Claim& ours) noexcept;

/// The Job tuple's inputHash (zero when the tuple is not a Job).
Hash job_input_hash(const abi::Value& job);

/// Whether the challenger of game `gv` wins now with proveFinalOutput against the defender's
/// claim whose outputRoot is `output_root`: the game is in Descend or OneStep, its bisection ended
/// on the last step with the challenger never disagreeing (hi = N, so the revealed out_N was
/// opened under the claim's own S_N), no pick has been made yet (height = depth(chunkCount): the
/// current node is out_N itself), the node differs from outputRoot, and `chain_time` is within the
/// move deadline. Whose turn it is does not matter (right after the reveal the defender is due to
/// descend). Callers still check that the defender has not lost elsewhere (DefenderAlreadyLost).
bool final_output_refutes(GameRole role, const GameView& gv, const Hash& output_root, std::uint64_t chain_time);

}  // namespace sigil::node
