#pragma once
/// The node's dispute agents (docs/node.md, "Disputes"), driven by the engine's thread once per
/// round:
///   - defender: every DisputeGame game whose defender is this node is played from the trace of
///     the stored job (rebuilt from its input and cached): bisect, revealOutput, descend; and
///     `timeout` when the challenger misses its deadline.
///   - challenger (`[challenger] mode`): every Delivered / Revealed claim of another operator is
///     first checked at its ends (claim_proofs.hpp): an inputRoot that is not the root of the inline
///     input, or output bytes that are not the tensor of outputRoot, are refuted at once with
///     proveInputMismatch / proveOutputMismatch (no bond, no game). Otherwise the claim is
///     re-executed (all, a deterministic per-request sample, or in mode bounty only the claims
///     the bounty verifier hands over through check_drawn), and a claim that differs from
///     ours is challenged (bond approved first) and played to the end: choose, pick,
///     proveElement / provePadding, proveFinalOutput when the bisection ended on the last step and
///     the revealed out_N is not the claim's outputRoot, `timeout` when the defender misses its
///     deadline.
///   - conflicts (`[challenger] conflicts`, default on): a seated node whose revealed claim of a
///     k > 1 request in Conflict differs from another seat's opens challengeConflict against it,
///     plays the game as its challenger, and calls `resolve` with its claim when it wins.
///   - orphaned games: a game whose defender already lost another game on the same request is
///     ended with `release` (bonds returned), whichever side the node is on.
///
/// Exactly-once: a move is sent only after its intent (the game position it answers) is stored,
/// a one-shot proof only after the claim is stored `refuting` (and then not while its transaction
/// is pending, nor once `lost(request, operator)` shows the claim refuted);
/// a restarted node reads getGame first and sends again only when the game still waits for that
/// move and no transaction of ours for it is pending. Games are found by scanning game ids
/// (`gameCount`, cursor `games_scanned` in the store), claims from the engine's log watcher (in
/// the same store transaction as its checkpoint).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "node/catalog.hpp"
#include "node/claim_proofs.hpp"
#include "node/config.hpp"
#include "node/dispute_abi.hpp"
#include "node/dispute_trace.hpp"
#include "node/outbox.hpp"
#include "node/store.hpp"

namespace sigil::node {

/// The dispute agents' transactions: logged as "dispute transaction", reverts named from the
/// game's errors and those it passes on.
inline const TxChannel kDisputeChannel{"dispute transaction", &dispute_revert_name};

/// What the agent does about one of its games in a round.
enum class GameAction : std::uint8_t {
    none,     ///< nothing to do now (the other side is due and within its deadline, or we are too late)
    wait,     ///< a transaction of ours for this game is still pending: never send a second one
    move,     ///< our turn, within the deadline
    timeout,  ///< the other side missed its deadline
    release,  ///< the defender already lost another game on this request: end this one
    finish,   ///< the game is over: record the outcome (and resolve a won conflict)
};
std::string_view to_string(GameAction a) noexcept;

/// Our game against `defender`'s claim on `request` is open: its stored claim check becomes
/// `challenged` with `reason` (nothing when the check is not stored or already so).
Result<void, std::string> mark_challenged(Store& store, const Hash& request, const Address& defender,
                                          const std::string& reason);

/// Whether the game waits for a move of `role`.
bool our_turn(GameRole role, const GameView& gv);

/// The decision for one game from one consistent read of the chain: `gv` and `defender_lost`
/// (DisputeGame.lost(request, defender)) must come from the same block, else a game that has
/// just ended by its own proof looks like an orphan. `pending`: a transaction of ours for this
/// game is still pending. Pure.
GameAction decide_game(GameRole role, const GameView& gv, bool defender_lost, std::uint64_t chain_time,
                       bool pending);

class DisputeAgent {
public:
    explicit DisputeAgent(const NodeContext& ctx);

    /// Reads the game's bond and bond token. Errors are RPC failures at startup.
    Result<void, std::string> start();
    /// A Delivered / Revealed log from the engine's watcher: remembers another operator's claim
    /// for the challenger (inside the engine's store transaction). No-op when the challenger is off.
    Result<void, std::string> on_claim_log(const chain::Log& log);
    /// A decoded claim of another operator (a Delivered / Revealed log, or an adopted signed claim):
    /// remembered for the challenger.
    Result<void, std::string> on_claim_posted(const ClaimPosted& p);
    /// The OffchainClaims contract of the game (read by `start`; none when the game has none).
    const std::optional<Address>& offchain_claims() const { return offchain_claims_; }
    /// One round: new games, claims to check, moves due. Returns whether anything was sent or
    /// changed. RPC failures are logged and retried next round.
    Result<bool, std::string> step(std::uint64_t chain_time);

    /// Our revealed k > 1 request `j` is in Conflict: when every other seat's claim equals ours or
    /// has lost (e.g. to a one-shot proof, which opens no game whose `resolve` could end it), ends
    /// the conflict with resolveUncontested. Tried when our proof refutes a seat, when a seat is
    /// found already refuted, and each retry round of an after-window job. At most one such
    /// transaction in flight per request; returns whether one was sent.
    Result<bool, std::string> resolve_if_uncontested(const JobRecord& j);

    /// Who checks the claims of generation requests (the GenerationAgent); without one they are
    /// skipped as `generation_claim`.
    using GenerationChecker =
        std::function<Result<bool, std::string>(ChallengeRecord&, const JobRecord&, const Claim&)>;
    void set_generation_checker(GenerationChecker f) { generation_checker_ = std::move(f); }

    /// The trace cache (the engine builds a faulty node's lying claim through it).
    TraceCache& traces() { return traces_; }
    /// The trace of the job `id` as this node computes it (its fault applied), from the stored job.
    Result<std::shared_ptr<const RunTrace>, std::string> trace_of(const JobRecord& j);

    /// Whether a challenger with `cfg` checks request `id` (mode all, or the sampled draw
    /// keccak256("sigil.sample" || seed || self || id) below `probability`; never in mode bounty,
    /// whose claims are checked only through check_drawn). Pure.
    static bool sampled(const ChallengerConfig& cfg, const Address& self, const Hash& id);

    /// Bounty hook (node/bounty_agent.hpp): this account is the drawn verifier of request `id` and
    /// its re-execution differs from the claim `op` posted. Marks the stored claim as drawn and
    /// pending, so the ordinary claim check re-executes it, challenges it and plays the game (the
    /// mark is stored: a restarted node carries on). Returns whether it marked the claim now:
    /// false while the claim's log has not been read yet, and for a claim already handed over,
    /// challenged, agreed or refused (left as it is).
    Result<bool, std::string> check_drawn(const Hash& id, const Address& op);

private:
    Result<bool, std::string> scan_games();
    Result<bool, std::string> check_claims();
    Result<bool, std::string> check_claim(ChallengeRecord& c);
    Result<bool, std::string> play(GameRecord& g);
    /// The game is over: its outcome (from its Resolved log) and, for a won conflict game, resolve.
    Result<bool, std::string> finish_game(GameRecord& g, const GameView& gv);
    /// A k > 1 conflict: challenge `theirs` with our revealed claim when they differ.
    Result<bool, std::string> check_conflict(ChallengeRecord& c, const JobRecord& j, const Claim& theirs);
    /// Why claim `their_hash` on request `id` cannot be disputed now ("" when it can: the request is
    /// Answered within its window or Disputed, with that claim as its answer): the skip reason, or
    /// nullopt to look again next round (an RPC failure, or k > 1 reveals still coming).
    std::optional<std::string> not_disputable(const Hash& id, const Hash& their_hash);
    /// The one-shot proofs (dispute_refute.cpp): when one refutes `theirs`, sends it exactly once
    /// and returns the round's result; nullopt when none applies.
    std::optional<Result<bool, std::string>> try_refute(ChallengeRecord& c, const JobRecord& j, const Claim& theirs);
    /// `conflict`: `theirs` is another seat's reveal of a k > 1 request in Conflict (our seat
    /// differs), refutable there too.
    /// `last`: for ClaimProof::shape, the Reveal opening of the model's last op (its record).
    Result<bool, std::string> refute(ChallengeRecord& c, const JobRecord& j, const abi::Value& job, const Claim& theirs,
                                     ClaimProof proof, bool conflict = false,
                                     const proof::OutputReveal* last = nullptr);
    /// proveShape against `theirs` when its step count or output length is not that of `ours`
    /// (our own run `rt` of the request); nullopt when the shapes agree or the model is not served.
    std::optional<Result<bool, std::string>> try_refute_shape(ChallengeRecord& c, const JobRecord& j,
                                                              const abi::Value& job, const Claim& theirs,
                                                              const RunTrace& rt, bool conflict);
    /// Approves the bond and sends `call` (challenge or challengeConflict) for claim `c`.
    Result<bool, std::string> open_game(ChallengeRecord& c, const Bytes& call, const char* kind);
    /// Stores `c`; a store failure is the error.
    Result<void, std::string> save_challenge(const ChallengeRecord& c);
    /// Ends the check of `c` with state `st` and `reason`: stored and logged; returns true.
    Result<bool, std::string> finish_check(ChallengeRecord& c, ClaimCheck st, const std::string& reason);
    /// The move for game `gv` in our role; nothing when it is not ours or we have none to make.
    struct Planned {
        Bytes data;
        const char* kind = "";
    };
    std::optional<Planned> plan(const GameRecord& g, const GameView& gv, const RunTrace& rt, const JobRecord& j);
    /// proveFinalOutput for our challenger game `g` when it wins now (final_output_refutes against
    /// the defender's claim as the challenges table holds it); nothing otherwise.
    Result<std::optional<Planned>, std::string> final_output(const GameRecord& g, const GameView& gv);

    std::optional<GameView> game_view(std::uint64_t id, const chain::BlockId& at = chain::BlockId::latest());
    /// getGame(id) and lost(request, defender) read at one block.
    struct Snapshot {
        GameView game;
        bool defender_lost = false;
    };
    std::optional<Snapshot> snapshot(std::uint64_t id);
    /// The reason of game `id`'s Resolved log; nullopt when the RPC failed, "" when there is none.
    std::optional<std::string> resolved_reason(std::uint64_t id);
    std::optional<Hash> entry_of(const Hash& id, const Address& op);
    std::optional<bool> lost(const Hash& id, const Address& op);
    std::optional<RequestView> request_view(const Hash& id);
    std::optional<Hash> answer_of(const Hash& id);
    /// Sends `data` to the game for `rec` (a game or a claim check, its intent just set) through
    /// the outbox's protocol.
    template <class Record>
    Result<SentTx, std::string> submit(Record& rec, const Bytes& data, const char* kind) {
        auto out = outbox_.submit(rec, rec.request_id, cfg_.contracts.dispute_game, data, kind, kDisputeChannel);
        if (!out) return fail(out.error().describe());
        return *out;
    }

    const NodeConfig& cfg_;
    Address self_;
    const Catalog& catalog_;
    Store& store_;
    Outbox& outbox_;
    TraceCache traces_;
    Address bond_token_{};
    std::optional<Address> offchain_claims_;
    GenerationChecker generation_checker_;
    /// resolveUncontested transactions in flight, by request.
    std::map<Hash, Hash> resolving_;
    u256 bond_ = 0;
    std::uint64_t chain_time_ = 0;
    /// The block every game of this round is read at (latest when the number is unknown).
    chain::BlockId round_block_ = chain::BlockId::latest();
    /// Finished games whose Resolved log was not found yet: rounds waited.
    std::map<std::uint64_t, int> missing_resolved_;
};

}  // namespace sigil::node
