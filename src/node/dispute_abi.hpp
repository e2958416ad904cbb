#pragma once
/// DisputeGame's ABI as the node's dispute agents use it (contracts/src/avs/dispute/DisputeGame.sol):
/// getGame, the move calls, the bond, ERC20 approve, the Coordinator's Delivered log (the claims a
/// challenger checks) and decoding of the game's named reverts.

#include <cstdint>
#include <optional>
#include <string>

#include "chain/eth_types.hpp"
#include "core/abi/value.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/trace/verify.hpp"
#include "node/coordinator_abi.hpp"
#include "proof/game.hpp"

namespace sigil::node {

/// TraceGame.Phase (DisputeGame and GenerationGame); the last two are the GenerationGame's.
enum class GamePhase : std::uint8_t { none, bisect, reveal, descend, one_step, done, step_reveal, step_dispute };
std::string_view to_string(GamePhase p) noexcept;

/// DisputeGame.getGame(gameId): the whole state of one game.
struct GameView {
    Hash request_id{};
    Address defender{};
    Address challenger{};
    Hash model_root{};
    std::uint64_t steps = 0;
    std::uint64_t lo = 0;
    std::uint64_t hi = 0;
    std::uint64_t deadline = 0;  ///< chain time (s) by which the party due must move
    Hash lo_state{};
    Hash hi_state{};
    Hash pending{};  ///< S_mid posted by the defender
    Hash node{};     ///< current node of out_k's chunk tree (the chunk in OneStep)
    std::uint64_t index = 0;
    std::uint64_t height = 0;
    std::uint64_t chunk_count = 0;
    std::uint64_t output_bytes = 0;
    std::uint8_t width = 0;
    GamePhase phase = GamePhase::none;
    bool defender_turn = false;
    bool defender_won = false;
    bool conflict = false;
    Hash left{};
    Hash right{};

    /// A string that changes with every move (what a stored intent is compared against).
    std::string position() const;
};

Bytes get_game_call(std::uint64_t game_id);
std::optional<GameView> decode_game_view(BytesView ret);
Bytes game_count_call();
Bytes bond_call();
/// DisputeGame.offchainClaims(): the OffchainClaims contract the game created.
Bytes offchain_claims_call();
Bytes bond_token_call();
/// A uint256 return value, when it fits 64 bits (for gameCount) or as u256.
std::optional<u256> decode_uint(BytesView ret);

Bytes challenge_call(const Hash& id, const abi::Value& job, const Claim& claim, const Address& op);
Bytes bisect_call(std::uint64_t game, const Hash& mid_state);
Bytes choose_call(std::uint64_t game, bool agree);
Bytes reveal_output_call(std::uint64_t game, const proof::OutputReveal& rv);
Bytes descend_call(std::uint64_t game, const Hash& left, const Hash& right);
Bytes pick_call(std::uint64_t game, bool right);
Bytes prove_element_call(std::uint64_t game, const abi::Value& job, const trace::ElementProof& p);
Bytes prove_padding_call(std::uint64_t game, const abi::Value& job);
Bytes timeout_call(std::uint64_t game, const abi::Value& job);
/// release(gameId): ends a game whose defender already lost another game on the same request.
Bytes release_call(std::uint64_t game);
/// lost(requestId, operator): whether the operator already lost a game on the request.
Bytes lost_call(const Hash& id, const Address& op);
/// challengeConflict(id, job, theirs, operator, mine): a seated operator's game against another
/// seat's disagreeing reveal of a k > 1 request in Conflict.
Bytes challenge_conflict_call(const Hash& id, const abi::Value& job, const Claim& theirs, const Address& op,
                              const Claim& mine);
/// resolve(gameId, job, winnerClaim): ends the conflict of a finished conflict game.
Bytes resolve_call(std::uint64_t game, const abi::Value& job, const Claim& winner_claim);
/// DisputeGame.resolveUncontested(id, job, claim): ends a conflict whose other seated claims all lost.
Bytes resolve_uncontested_call(const Hash& id, const abi::Value& job, const Claim& claim);
/// The claim endpoints (docs/commitments.md, "Claims and their endpoints"):
/// proveInputMismatch(id, job, claim, operator, input), proveOutputMismatch(id, job, claim,
/// operator) and proveFinalOutput(gameId, job, claim).
Bytes prove_input_mismatch_call(const Hash& id, const abi::Value& job, const Claim& claim, const Address& op,
                                BytesView input);
Bytes prove_output_mismatch_call(const Hash& id, const abi::Value& job, const Claim& claim, const Address& op);
Bytes prove_final_output_call(std::uint64_t game, const abi::Value& job, const Claim& claim);
/// proveShape(id, job, claim, operator, opRecord, opPath, opTablePath) with the record of the
/// model's last op and its paths (`last` is that op's Reveal opening; only those fields are used).
Bytes prove_shape_call(const Hash& id, const abi::Value& job, const Claim& claim, const Address& op,
                       const proof::OutputReveal& last);
/// refutedBy(requestId): the first prover or challenger that refuted the request's answer.
Bytes refuted_by_call(const Hash& id);
/// ERC20 approve(spender, amount) and balanceOf(account).
Bytes approve_call(const Address& spender, const u256& amount);
Bytes balance_of_call(const Address& account);

/// topic0 of the Coordinator's `Delivered(bytes32 indexed id, address indexed operator,
/// bytes32 claimHash, Claim claim)` and `Revealed(...)` (same layout).
const Hash& delivered_topic();
const Hash& revealed_topic();

/// A decoded Delivered / Revealed log: whose claim on which request.
struct ClaimPosted {
    Hash id{};
    Address op{};
    Hash claim_hash{};
    Claim claim;
    bool revealed = false;  ///< a k > 1 reveal (else a k = 1 delivery)
};
std::optional<ClaimPosted> decode_claim_posted(const chain::Log& log);

/// topic0 of OffchainClaims' `ClaimAdopted(bytes32 indexed id, address indexed operator,
/// bytes32 indexed digest, Job job, Claim claim, bytes input)`.
const Hash& claim_adopted_topic();
/// A decoded ClaimAdopted log: an operator's signed off-chain claim, now the answer of request
/// `request.id` (its job and inline input in `request`, the claim in `posted`).
struct ClaimAdopted {
    RequestedEvent request;
    ClaimPosted posted;
    Hash digest{};  ///< the claim's EIP-712 digest
};
std::optional<ClaimAdopted> decode_claim_adopted(const chain::Log& log);

/// topic0 of DisputeGame's `Resolved(uint256 indexed gameId, bool defenderWon, string reason)`.
const Hash& resolved_topic();
/// A decoded Resolved log: how a game ended ("element", "padding", "timeout", "released").
struct GameResolved {
    std::uint64_t game_id = 0;
    bool defender_won = false;
    std::string reason;
};
std::optional<GameResolved> decode_resolved(const chain::Log& log);

/// topic0 of DisputeGame's `ClaimRefuted(bytes32 indexed requestId, address indexed operator,
/// address prover, string reason)`.
const Hash& claim_refuted_topic();
/// A decoded ClaimRefuted log: a claim lost a one-shot proof ("input root", "output root").
struct ClaimRefuted {
    Hash request_id{};
    Address op{};
    Address prover{};
    std::string reason;
};
std::optional<ClaimRefuted> decode_claim_refuted(const chain::Log& log);

/// abi.encode(Claim) and back (the challenges table keeps the posted claim this way).
Bytes encode_claim(const Claim& c);
std::optional<Claim> decode_claim(BytesView b);

/// The name of a DisputeGame (or Coordinator) custom error in revert data, or the selector.
std::string dispute_revert_name(BytesView data);

}  // namespace sigil::node
