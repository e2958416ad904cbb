#pragma once
/// The defender of this node's generation claims (docs/generation.md "On chain", docs/node.md
/// "Disputes"), driven by the engine's thread once per round: every GenerationGame game whose
/// defender is this node is played from the node's own generation of the stored job (rebuilt
/// from the request's spec, the node's `[fault]` applied, and cached):
///   - the descent of the generation tree: the children of the node the challenger picked;
///   - revealStep: the disputed step's opening (its leaf and the one before, its inputs proven);
///   - the moves of the step's run once the challenger plays it: bisect, revealOutput, descend,
///     from the step's trace as the DisputeAgent plays a single run;
///   - timeout when the challenger misses its deadline.
///
/// And the challenger of other operators' generation claims (`[challenger] mode`), handed over by
/// the DisputeAgent: a claim that breaks a rule needing no execution is refuted at once
/// (GenerationClaims.proveClaim / proveText); one that differs from the node's own generation is
/// challenged and played: the descent picks the leftmost child that differs from the node's
/// tree; at the disputed step, when the step's S_N is the node's own, the token after it is
/// proven wrong (proveToken, with the node's logits row), else the step's run is played
/// (playStep, then choose, pick, proveElement / provePadding from the node's trace).
///
/// Exactly-once as in the DisputeAgent: a move is sent only after its intent (the game position
/// it answers) is stored, and not again while its transaction is pending. Games are found by
/// scanning game ids (`gameCount`, store cursor `generation_games_scanned`) and kept in the
/// store's games table at kGenerationGameIds + gameId.

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/ir/model_root.hpp"
#include "node/dispute_abi.hpp"
#include "node/dispute_record.hpp"
#include "node/lm_service.hpp"
#include "node/outbox.hpp"
#include "node/store.hpp"

namespace sigil::node {

/// Where generation games are kept in the store's games table (the DisputeGame's are at their id).
inline constexpr std::uint64_t kGenerationGameIds = std::uint64_t{1} << 48;

/// The node's generation of one request, as it answered it.
struct GenerationRun {
    const LanguageModel* lm = nullptr;
    runtime::lm::GenerationSpec spec;
    runtime::lm::Generation generation;
    std::vector<Hash> leaves;
    Claim claim;
    std::optional<trace::Lie> lie;
};

/// One opened step of a generation: the defender's opening and the step's run.
struct GenerationStep {
    runtime::lm::StepOpening opening;
    std::shared_ptr<const trace::ExecutionTrace> trace;
};

/// GenerationGame.getGeneration(gameId).
struct GenerationView {
    Hash root{};
    std::uint64_t token_steps = 0;
    std::uint64_t step = 0;
    Hash state{};
    Hash input_root{};
    std::uint32_t next = 0;
    bool played = false;
};
std::optional<GenerationView> decode_generation_view(BytesView ret);

class GenerationAgent {
public:
    GenerationAgent(const NodeContext& ctx, const LmService& lms);

    /// One round: new games, moves due. Returns whether anything was sent or changed. RPC
    /// failures are retried next round.
    Result<bool, std::string> step(std::uint64_t chain_time);
    /// The node's generation for the stored generation job `j` (its fault applied), cached.
    Result<std::shared_ptr<const GenerationRun>, std::string> run_of(const JobRecord& j);
    /// Checks another operator's generation claim `theirs` on job `j` (the DisputeAgent hands over
    /// the generation claims it finds); returns whether anything was sent or changed.
    Result<bool, std::string> check_claim(ChallengeRecord& c, const JobRecord& j, const Claim& theirs);

private:
    Result<bool, std::string> scan_games();
    Result<bool, std::string> play(GameRecord& g);
    Result<bool, std::string> finish(GameRecord& g, const GameView& gv);
    Result<std::shared_ptr<const GenerationStep>, std::string> step_of(const JobRecord& j, const GenerationRun& run,
                                                                        std::uint64_t t);
    const ir::ModelCommitment& commitment(const LanguageModel& lm);
    /// Our move in position `gv` (as defender or challenger); an error says why there is none.
    Result<std::pair<Bytes, const char*>, std::string> plan(std::uint64_t game, const GameView& gv,
                                                            const GenerationView& gen, const JobRecord& j,
                                                            const GenerationRun& run);
    Result<std::pair<Bytes, const char*>, std::string> plan_challenger(std::uint64_t game, const GameView& gv,
                                                                       const GenerationView& gen, const JobRecord& j,
                                                                       const GenerationRun& run);
    Result<bool, std::string> finish_check(ChallengeRecord& c, ClaimCheck st, const std::string& reason);
    /// Sends one-shot proof `call` (to the game's GenerationClaims) against claim check `c`.
    Result<bool, std::string> refute(ChallengeRecord& c, const std::string& reason, const Bytes& call,
                                     const char* kind);
    /// Sends `call` for claim check `c` (state `st` stored first as its intent).
    /// Reads the game's bond, bond token and GenerationClaims once (bond_ stays 0 on an RPC failure).
    Result<void, std::string> ensure_bond();
    /// Approves the bond and sends `call` (challenge or challengeConflict) for claim check `c`.
    Result<bool, std::string> open_game(ChallengeRecord& c, const Bytes& call, const char* kind);
    Result<SentTx, std::string> send_check(ChallengeRecord& c, ClaimCheck st, const Address& to, const Bytes& call,
                                           const char* kind);
    std::optional<GameView> game_view(std::uint64_t id);
    std::optional<GenerationView> generation_view(std::uint64_t id);

    const NodeConfig& cfg_;
    Address self_;
    Store& store_;
    Outbox& outbox_;
    const LmService& lms_;
    std::uint64_t chain_time_ = 0;
    chain::BlockId round_block_ = chain::BlockId::latest();
    std::list<std::pair<Hash, std::shared_ptr<const GenerationRun>>> runs_;  ///< most recent first
    std::map<std::pair<Hash, std::uint64_t>, std::shared_ptr<const GenerationStep>> steps_;
    std::map<const LanguageModel*, std::shared_ptr<const ir::ModelCommitment>> commitments_;
    u256 bond_ = 0;
    Address bond_token_{};
    Address claims_{};  ///< the game's GenerationClaims
};

}  // namespace sigil::node
