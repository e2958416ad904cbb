#include "node/dispute_agent.hpp"

#include <algorithm>
#include <functional>

#include "chain/rpc_error.hpp"
#include "core/keccak.hpp"
#include "core/kernels/operand.hpp"
#include "core/merkle.hpp"
#include "core/trace/chunks.hpp"
#include "node/log.hpp"
#include "proof/game.hpp"
#include "runtime/lm/onchain.hpp"

namespace sigil::node {

namespace {

/// Games looked at per round when catching up with gameCount.
constexpr std::uint64_t kScanPerRound = 64;
/// Rounds a posted claim waits for its job's Requested log before it is given up.
constexpr int kJobWaitRounds = 200;
/// Rounds a finished game waits for its Resolved log before its outcome is read from getGame
/// alone (a game that ended before chain.start_block has no log the node can see).
constexpr int kResolvedWaitRounds = 40;
/// The reason of a claim the bounty verifier handed over (check_drawn) while it is pending.
constexpr const char* kDrawnReason = "bounty_drawn";

std::string hex(const Hash& h) { return to_hex(h); }

/// A claim as the node's job record holds it (the claim it posted, its lie included).
Claim claim_of(const JobRecord& j) { return Claim{j.output, j.output_root, j.trace_root, j.steps, j.input_root}; }

}  // namespace

std::string_view to_string(GameAction a) noexcept {
    switch (a) {
        case GameAction::none:
            return "none";
        case GameAction::wait:
            return "wait";
        case GameAction::move:
            return "move";
        case GameAction::timeout:
            return "timeout";
        case GameAction::release:
            return "release";
        case GameAction::finish:
            return "finish";
    }
    return "unknown";
}

bool our_turn(GameRole role, const GameView& gv) {
    switch (gv.phase) {
        case GamePhase::bisect:
        case GamePhase::descend:
            return gv.defender_turn == (role == GameRole::defender);
        case GamePhase::reveal:
            return role == GameRole::defender;
        case GamePhase::one_step:
        case GamePhase::step_dispute:
            return role == GameRole::challenger;
        case GamePhase::step_reveal:
            return role == GameRole::defender;
        default:
            return false;
    }
}

Result<void, std::string> mark_challenged(Store& store, const Hash& request, const Address& defender,
                                          const std::string& reason) {
    auto c = store.challenge(request, defender);
    if (!c) return fail(c.error().describe());
    if (!c->has_value() || (*c)->state == ClaimCheck::challenged) return {};
    ChallengeRecord rec = **c;
    rec.state = ClaimCheck::challenged;
    rec.reason = reason;
    if (auto put = store.put_challenge(rec); !put) return fail(put.error().describe());
    return {};
}

GameAction decide_game(GameRole role, const GameView& gv, bool defender_lost, std::uint64_t chain_time,
                       bool pending) {
    if (gv.phase == GamePhase::none) return GameAction::none;
    if (gv.phase == GamePhase::done) return GameAction::finish;
    if (pending) return GameAction::wait;
    // Every move reverts once the defender lost elsewhere (DefenderAlreadyLost); release is the
    // only way the game ends, and it returns the challenger's bond.
    if (defender_lost) return GameAction::release;
    if (our_turn(role, gv)) return chain_time > gv.deadline ? GameAction::none : GameAction::move;
    return chain_time > gv.deadline ? GameAction::timeout : GameAction::none;
}

DisputeAgent::DisputeAgent(const NodeContext& ctx)
    : cfg_(ctx.cfg), self_(ctx.self), catalog_(ctx.catalog), store_(ctx.store), outbox_(ctx.outbox) {}

Result<void, std::string> DisputeAgent::start() {
    auto b = outbox_.call_uint(cfg_.contracts.dispute_game, bond_call());
    auto t = outbox_.call_uint(cfg_.contracts.dispute_game, bond_token_call());
    if (!b || !t)
        return fail(std::string("contracts.dispute_game: bond() / bondToken() failed (is it a DisputeGame?)"));
    bond_ = *b;
    const Bytes32 w = to_be32(*t);
    bond_token_ = address_from_word(w);
    // Where signed off-chain claims are adopted (a game without one adopts none).
    if (auto oc = outbox_.call_uint(cfg_.contracts.dispute_game, offchain_claims_call()); oc && *oc != 0) {
        offchain_claims_ = address_from_word(to_be32(*oc));
    }
    log_json(LogLevel::info, "dispute agents started",
             {{"game", to_checksum(cfg_.contracts.dispute_game)},
              {"offchain_claims", offchain_claims_ ? to_checksum(*offchain_claims_) : std::string()},
              {"bond", to_dec(bond_)},
              {"challenger", to_string(cfg_.challenger.mode)},
              {"fault_probability", cfg_.fault.probability}});
    return {};
}

bool DisputeAgent::sampled(const ChallengerConfig& c, const Address& self, const Hash& id) {
    switch (c.mode) {
        case ChallengeMode::off:
            return false;
        case ChallengeMode::all:
            return true;
        case ChallengeMode::sample:
            break;
        case ChallengeMode::bounty:
            return false;
    }
    const BytesView tag = as_bytes("sigil.sample");
    Bytes pre(tag.begin(), tag.end());
    for (int i = 7; i >= 0; --i) pre.push_back(static_cast<std::uint8_t>(c.seed >> (8 * i)));
    pre.insert(pre.end(), self.begin(), self.end());
    pre.insert(pre.end(), id.begin(), id.end());
    const Hash h = keccak256(pre);
    std::uint64_t top = 0;
    for (std::size_t i = 0; i < 8; ++i) top = (top << 8) | h[i];
    const double draw = static_cast<double>(top >> 11) / static_cast<double>(std::uint64_t{1} << 53);
    return draw < c.probability;
}

Result<void, std::string> DisputeAgent::on_claim_log(const chain::Log& log) {
    if (cfg_.challenger.mode == ChallengeMode::off && !cfg_.challenger.conflicts) return {};
    auto p = decode_claim_posted(log);
    if (!p) {
        log_json(LogLevel::warn, "undecodable claim log", {{"tx", hex(log.transaction_hash)}});
        return {};
    }
    return on_claim_posted(*p);
}

Result<void, std::string> DisputeAgent::on_claim_posted(const ClaimPosted& p) {
    if (p.op == self_) return {};
    // Without the challenger only reveals matter (a conflict among seats we may hold).
    if (cfg_.challenger.mode == ChallengeMode::off && !p.revealed) return {};
    auto existing = store_.challenge(p.id, p.op);
    if (!existing) return fail(existing.error().describe());
    if (existing->has_value()) return {};
    ChallengeRecord c;
    c.request_id = p.id;
    c.op = p.op;
    c.claim_abi = encode_claim(p.claim);
    c.revealed = p.revealed;
    auto put = store_.put_challenge(c);
    if (!put) return fail(put.error().describe());
    return {};
}

Result<bool, std::string> DisputeAgent::step(std::uint64_t chain_time) {
    chain_time_ = chain_time;
    auto n = outbox_.eth().block_number();
    round_block_ = n ? chain::BlockId::number(*n) : chain::BlockId::latest();
    bool busy = SIGIL_TRY(scan_games());
    busy = SIGIL_TRY(check_claims()) || busy;
    auto games = store_.games(GameState::playing);
    if (!games) return fail(games.error().describe());
    for (auto& g : *games) busy = SIGIL_TRY(play(g)) || busy;
    return busy;
}

Result<std::shared_ptr<const RunTrace>, std::string> DisputeAgent::trace_of(const JobRecord& j) {
    const ServedModel* m = catalog_.find(j.model_root);
    if (m == nullptr) return fail(std::string("model_not_served"));
    if (j.input.empty()) return fail(std::string("input_unavailable"));
    return traces_.get(j.id, *m, j.input, cfg_.fault);
}

// ---------------------------------------------------------------------------------------- games

Result<bool, std::string> DisputeAgent::scan_games() {
    auto count = outbox_.call_uint(cfg_.contracts.dispute_game, game_count_call());
    if (!count) return false;
    auto next = store_.meta_u64("games_scanned");
    if (!next) return fail(next.error().describe());
    std::uint64_t id = std::max<std::uint64_t>(*next, 1);
    const std::uint64_t last = static_cast<std::uint64_t>(*count);
    bool any = false;
    for (std::uint64_t n = 0; id <= last && n < kScanPerRound; ++id, ++n) {
        auto gv = game_view(id);
        if (!gv) return any;  // RPC failure: resume here next round
        const bool ours = gv->defender == self_ || gv->challenger == self_;
        if (ours) {
            auto known = store_.game(id);
            if (!known) return fail(known.error().describe());
            if (!known->has_value()) {
                GameRecord g;
                g.game_id = id;
                g.request_id = gv->request_id;
                g.role = gv->defender == self_ ? GameRole::defender : GameRole::challenger;
                auto put = store_.put_game(g);
                if (!put) return fail(put.error().describe());
                log_json(
                    LogLevel::info, "dispute game",
                    {{"game", id}, {"request", hex(g.request_id)}, {"role", to_string(g.role)}, {"steps", gv->steps}});
            }
            if (gv->challenger == self_) {
                SIGIL_TRY_VOID(mark_challenged(store_, gv->request_id, gv->defender, "game " + std::to_string(id)));
            }
            any = true;
        }
        auto set = store_.set_meta_u64("games_scanned", id + 1);
        if (!set) return fail(set.error().describe());
    }
    return any;
}

std::optional<DisputeAgent::Planned> DisputeAgent::plan(const GameRecord& g, const GameView& gv, const RunTrace& rt,
                                                        const JobRecord& j) {
    const ServedModel* m = catalog_.find(j.model_root);
    if (m == nullptr) return std::nullopt;
    const proof::Party party(*rt.trace, traces_.commitment(*m));
    const std::uint64_t k = gv.hi;
    const std::uint64_t mid = (gv.lo + gv.hi) / 2;
    if (g.role == GameRole::defender) {
        switch (gv.phase) {
            case GamePhase::bisect:
                return Planned{bisect_call(g.game_id, party.state(mid)), "bisect"};
            case GamePhase::reveal:
                return Planned{reveal_output_call(g.game_id, party.reveal_output(k)), "reveal"};
            case GamePhase::descend: {
                const auto [l, r] = party.children(k, static_cast<unsigned>(gv.height), gv.index);
                return Planned{descend_call(g.game_id, l, r), "descend"};
            }
            default:
                return std::nullopt;
        }
    }
    switch (gv.phase) {
        case GamePhase::bisect:
            return Planned{choose_call(g.game_id, party.agrees(mid, gv.pending)), "choose"};
        case GamePhase::descend: {
            // With nothing to dispute below this node the challenger still has to pick; it takes
            // the left child (and then has no winning one-step move).
            const bool right =
                party.pick(k, static_cast<unsigned>(gv.height), gv.index, gv.left, gv.right).value_or(false);
            return Planned{pick_call(g.game_id, right), "pick"};
        }
        case GamePhase::one_step: {
            const abi::Value& job = j.job;
            const proof::OneStepMove mv = party.one_step(k, gv.index, gv.node);
            if (mv.kind == proof::OneStepMove::Kind::padding) {
                return Planned{prove_padding_call(g.game_id, job), "prove_padding"};
            }
            if (mv.kind != proof::OneStepMove::Kind::element) return std::nullopt;
            // What the contract will decide: the value recomputed from the agreed S_{k-1} against
            // the defender's element. A challenger whose own trace is wrong has no winning proof.
            const auto& p = *m->program;
            const auto dtype = p.tensors[p.ops[static_cast<std::size_t>(k - 1)].output].dtype;
            const auto width = ir::dtype_size(dtype);
            const auto theirs = kernels::load_element(BytesView(gv.node.data(), gv.node.size()), dtype,
                                                      (mv.proof.element * width % trace::kChunkSize) / width);
            const auto truth = trace::recompute_element(gv.model_root, gv.lo_state, mv.proof);
            if (!truth || *truth == theirs) return std::nullopt;
            return Planned{prove_element_call(g.game_id, job, mv.proof), "prove_element"};
        }
        default:
            return std::nullopt;
    }
}

Result<bool, std::string> DisputeAgent::play(GameRecord& g) {
    auto snap = snapshot(g.game_id);
    if (!snap) return false;
    const GameView& gv = snap->game;
    auto save = [&]() -> Result<void, std::string> {
        auto r = store_.put_game(g);
        if (!r) return fail(r.error().describe());
        return {};
    };
    const GameAction action = decide_game(g.role, gv, snap->defender_lost, chain_time_, outbox_.pending(g.tx_hash));
    // proveFinalOutput does not wait for our turn (the defender is due to descend right after its
    // reveal) and wins at once, so it goes before any other move of ours.
    std::optional<Planned> final_mv;
    if (action == GameAction::none || action == GameAction::move) final_mv = SIGIL_TRY(final_output(g, gv));
    if (!final_mv && (action == GameAction::none || action == GameAction::wait)) return false;
    if (action == GameAction::finish) return finish_game(g, gv);
    const std::string pos = gv.position();
    std::string intent = pos;
    std::optional<Planned> mv;
    if (final_mv) {
        intent = "final:" + pos;
        mv = std::move(final_mv);
    } else if (action == GameAction::release) {
        intent = "release:" + pos;
        mv = Planned{release_call(g.game_id), "release"};
    } else {
        auto job = store_.job(g.request_id);
        if (!job) return fail(job.error().describe());
        if (!job->has_value()) {
            if (g.reason != "job_unknown") {
                g.reason = "job_unknown";
                SIGIL_TRY_VOID(save());
                log_json(LogLevel::warn, "dispute game on a request the node never saw", {{"game", g.game_id}});
            }
            return false;
        }
        const JobRecord& j = **job;
        if (action == GameAction::timeout) {
            const abi::Value& jv = j.job;
            intent = "timeout:" + pos;
            mv = Planned{timeout_call(g.game_id, jv), "timeout"};
        } else {
            auto rt = trace_of(j);
            if (!rt) {
                if (g.reason != rt.error()) {
                    g.reason = rt.error();
                    SIGIL_TRY_VOID(save());
                    log_json(LogLevel::warn, "no trace for a dispute game", {{"game", g.game_id}, {"why", rt.error()}});
                }
                return false;
            }
            mv = plan(g, gv, **rt, j);
            if (!mv) {
                if (g.reason != "no_winning_move") {
                    g.reason = "no_winning_move";
                    SIGIL_TRY_VOID(save());
                    log_json(LogLevel::info, "no winning move", {{"game", g.game_id}, {"position", pos}});
                }
                return false;
            }
        }
    }
    g.intent = intent;  // the intent, stored before the transaction
    const SentTx out = SIGIL_TRY(submit(g, mv->data, mv->kind));
    if (out.success()) {
        ++g.moves;
        g.gas_used += out.gas;
        g.reason.clear();
    } else {
        log_json(LogLevel::info, "dispute move refused",
                 {{"game", g.game_id}, {"kind", mv->kind}, {"why", out.revert}});
    }
    SIGIL_TRY_VOID(save());
    return true;
}

Result<bool, std::string> DisputeAgent::finish_game(GameRecord& g, const GameView& gv) {
    auto why = resolved_reason(g.game_id);
    if (!why) return false;  // RPC failure: next round
    if (why->empty() && ++missing_resolved_[g.game_id] <= kResolvedWaitRounds) {
        return false;  // the log may not be served yet; without it a release looks like a win
    }
    missing_resolved_.erase(g.game_id);
    const bool released = *why == "released";
    const bool won = !released && gv.defender_won == (g.role == GameRole::defender);
    if (gv.conflict && won) {
        // Our claim survived a conflict game: end the conflict with it (anyone's resolve counts).
        auto r = request_view(g.request_id);
        if (!r) return false;
        if (r->status == RequestStatus::conflict) {
            if (g.intent == "resolve" && outbox_.pending(g.tx_hash)) return false;
            auto job = store_.job(g.request_id);
            if (!job) return fail(job.error().describe());
            const abi::Value* jv = job->has_value() ? &(*job)->job : nullptr;
            if (jv) {
                g.intent = "resolve";
                const SentTx out = SIGIL_TRY(submit(g, resolve_call(g.game_id, *jv, claim_of(**job)), "resolve"));
                if (out.success()) {
                    ++g.moves;
                    g.gas_used += out.gas;
                } else {
                    log_json(LogLevel::info, "resolve refused", {{"game", g.game_id}, {"why", out.revert}});
                    if (auto p = store_.put_game(g); !p) return fail(p.error().describe());
                    if (!out.reverted()) return true;  // an RPC failure: try again next round
                }
            }
        }
    }
    g.state = released ? GameState::released : won ? GameState::won : GameState::lost;
    g.reason = why->empty() ? (gv.defender_won ? "defender_won" : "challenger_won") : *why;
    if (auto p = store_.put_game(g); !p) return fail(p.error().describe());
    log_json(won || released ? LogLevel::info : LogLevel::warn, "dispute game ended",
             {{"game", g.game_id},
              {"request", hex(g.request_id)},
              {"role", to_string(g.role)},
              {"result", to_string(g.state)},
              {"reason", g.reason},
              {"conflict", gv.conflict},
              {"moves", g.moves},
              {"gas", g.gas_used}});
    return true;
}

// ---------------------------------------------------------------------------------------- claims

Result<bool, std::string> DisputeAgent::check_claims() {
    if (cfg_.challenger.mode == ChallengeMode::off && !cfg_.challenger.conflicts) return false;
    auto list = store_.challenges_in({ClaimCheck::pending, ClaimCheck::challenging, ClaimCheck::refuting});
    if (!list) return fail(list.error().describe());
    bool any = false;
    for (auto& c : *list) any = SIGIL_TRY(check_claim(c)) || any;
    return any;
}

Result<void, std::string> DisputeAgent::save_challenge(const ChallengeRecord& c) {
    auto r = store_.put_challenge(c);
    if (!r) return fail(r.error().describe());
    return {};
}

Result<bool, std::string> DisputeAgent::finish_check(ChallengeRecord& c, ClaimCheck st, const std::string& reason) {
    c.state = st;
    c.reason = reason;
    SIGIL_TRY_VOID(save_challenge(c));
    log_json(st == ClaimCheck::failed ? LogLevel::warn : LogLevel::info, "claim checked",
             {{"request", hex(c.request_id)}, {"operator", to_checksum(c.op)}, {"result", to_string(st)},
              {"reason", reason}});
    return true;
}

Result<bool, std::string> DisputeAgent::check_claim(ChallengeRecord& c) {
    auto save = [&] { return save_challenge(c); };
    auto finish = [&](ClaimCheck st, const std::string& reason) { return finish_check(c, st, reason); };
    if (c.state == ClaimCheck::challenging) {
        if (outbox_.pending(c.tx_hash)) return false;
        // Not pending: either our game is open (scan_games marks it) or the challenge did not
        // land; look at the claim again from the start.
        c.state = ClaimCheck::pending;
    }
    auto job = store_.job(c.request_id);
    if (!job) return fail(job.error().describe());
    if (!job->has_value()) {
        if (++c.attempts > kJobWaitRounds) return finish(ClaimCheck::skipped, "job_unknown");
        SIGIL_TRY_VOID(save());
        return false;
    }
    const JobRecord& j = **job;
    const auto theirs = decode_claim(c.claim_abi);
    if (!theirs) return finish(ClaimCheck::skipped, "claim_undecodable");
    if (runtime::lm::is_generation_input(j.input)) {
        if (generation_checker_) return generation_checker_(c, j, *theirs);
        return finish(ClaimCheck::skipped, "generation_claim");
    }
    if (c.revealed && cfg_.challenger.conflicts) {
        auto r = request_view(c.request_id);
        if (!r) return false;  // RPC failure: next round
        if (r->status == RequestStatus::open) return false;  // reveals still coming
        if (r->status == RequestStatus::conflict) return check_conflict(c, j, *theirs);
    }
    if (cfg_.challenger.mode == ChallengeMode::off) return finish(ClaimCheck::skipped, "challenger_off");
    // The claim's ends first, on every claim: a one-shot proof costs a hash, no run and no bond.
    if (auto refuted = try_refute(c, j, *theirs)) return std::move(*refuted);
    if (c.reason != kDrawnReason && !sampled(cfg_.challenger, self_, c.request_id)) {
        return finish(ClaimCheck::skipped, cfg_.challenger.mode == ChallengeMode::bounty ? "not_drawn" : "not_sampled");
    }
    auto rt = trace_of(j);
    if (!rt) return finish(ClaimCheck::skipped, rt.error());
    const Hash their_hash = hash_claim(*theirs);
    if (hash_claim((*rt)->claim) == their_hash) return finish(ClaimCheck::agreed, "");
    const auto why = not_disputable(c.request_id, their_hash);
    if (!why) return false;  // RPC failure or not answered yet: next round
    if (!why->empty()) return finish(ClaimCheck::skipped, *why);
    const abi::Value& jv = j.job;
    // Another step count or output length: refuted at once by the model's own last op record.
    if (auto refuted = try_refute_shape(c, j, jv, *theirs, **rt, false)) return std::move(*refuted);
    log_json(LogLevel::warn, "wrong claim",
             {{"request", hex(c.request_id)},
              {"operator", to_checksum(c.op)},
              {"theirs", hex(theirs->trace_root)},
              {"ours", hex((*rt)->claim.trace_root)}});
    return open_game(c, challenge_call(c.request_id, jv, *theirs, c.op), "challenge");
}

std::optional<std::string> DisputeAgent::not_disputable(const Hash& id, const Hash& their_hash) {
    auto r = request_view(id);
    if (!r) return std::nullopt;
    // Not seated (or conflicts off): a conflict is played by its seats.
    if (r->status == RequestStatus::conflict) return std::string("conflict");
    if (r->status != RequestStatus::answered && r->status != RequestStatus::disputed) {
        if (r->status == RequestStatus::open) return std::nullopt;  // k > 1: not answered yet
        return std::string("request_closed");
    }
    if (chain_time_ >= r->final_at) return std::string("window_closed");
    auto answer = answer_of(id);
    if (!answer) return std::nullopt;
    if (*answer != their_hash) return std::string("not_the_answer");
    return std::string();
}

Result<bool, std::string> DisputeAgent::check_conflict(ChallengeRecord& c, const JobRecord& j, const Claim& theirs) {
    auto finish = [&](ClaimCheck st, const std::string& reason) -> Result<bool, std::string> {
        c.state = st;
        c.reason = reason;
        if (auto r = store_.put_challenge(c); !r) return fail(r.error().describe());
        log_json(LogLevel::info, "conflicting reveal checked",
                 {{"request", hex(c.request_id)},
                  {"operator", to_checksum(c.op)},
                  {"result", to_string(st)},
                  {"reason", reason}});
        return true;
    };
    // Our seat's revealed claim is the one the job record holds (a faulty node's lie included).
    const Claim mine = claim_of(j);
    auto entry = entry_of(c.request_id, self_);
    if (!entry) return false;
    if (j.steps == 0 || *entry != hash_claim(mine)) return finish(ClaimCheck::skipped, "conflict_not_seated");
    if (hash_claim(mine) == hash_claim(theirs)) return finish(ClaimCheck::agreed, "");
    auto they_lost = lost(c.request_id, c.op);
    auto we_lost = lost(c.request_id, self_);
    if (!they_lost || !we_lost) return false;
    if (*they_lost) {
        // Another game or proof refuted them: with nothing else contested, end the conflict.
        SIGIL_TRY_VOID(resolve_if_uncontested(j));
        return finish(ClaimCheck::skipped, "already_lost");
    }
    if (*we_lost) return finish(ClaimCheck::skipped, "we_lost");
    const abi::Value& jv = j.job;
    // A wrong end of their claim is refuted at once (the game could not even open when the
    // inputRoots differ); resolve_if_uncontested then ends the conflict.
    if (auto proof = one_shot_proof(theirs, job_input_hash(jv), j.input)) {
        const bool sent = SIGIL_TRY(refute(c, j, jv, theirs, *proof, true));
        if (c.state == ClaimCheck::refuted) SIGIL_TRY_VOID(resolve_if_uncontested(j));
        return sent;
    }
    // Another step count or output length: no game can judge equal roots of another length, and
    // a wrong N is refuted at once anyway.
    if (shape_differs(theirs, mine)) {
        auto rt = trace_of(j);
        if (!rt) return finish(ClaimCheck::skipped, rt.error());
        if (auto refuted = try_refute_shape(c, j, jv, theirs, **rt, true)) {
            const bool sent = SIGIL_TRY(std::move(*refuted));
            if (c.state == ClaimCheck::refuted) SIGIL_TRY_VOID(resolve_if_uncontested(j));
            return sent;
        }
    }
    log_json(LogLevel::warn, "conflicting reveal",
             {{"request", hex(c.request_id)},
              {"operator", to_checksum(c.op)},
              {"theirs", hex(theirs.trace_root)},
              {"ours", hex(mine.trace_root)}});
    return open_game(c, challenge_conflict_call(c.request_id, jv, theirs, c.op, mine), "challenge_conflict");
}

Result<bool, std::string> DisputeAgent::open_game(ChallengeRecord& c, const Bytes& call, const char* kind) {
    auto save = [&] { return save_challenge(c); };
    auto finish = [&](ClaimCheck st, const std::string& reason) { return finish_check(c, st, reason); };
    if (cfg_.challenger.max_bond) {
        auto games = store_.games(GameState::playing);
        if (!games) return fail(games.error().describe());
        u256 held = 0;
        for (const auto& g : *games) {
            if (g.role == GameRole::challenger) held += bond_;
        }
        if (held + bond_ > *cfg_.challenger.max_bond) return finish(ClaimCheck::skipped, "bond_cap");
    }
    const SentTx ap = outbox_.send(bond_token_, approve_call(cfg_.contracts.dispute_game, bond_), "approve",
                                   kDisputeChannel, nullptr, c.request_id);
    if (!ap.success()) {
        if (++c.attempts > 12) return finish(ClaimCheck::failed, "approve: " + ap.revert);
        SIGIL_TRY_VOID(save());
        return false;
    }
    c.state = ClaimCheck::challenging;  // the intent, stored before the transaction
    const SentTx out = SIGIL_TRY(submit(c, call, kind));
    if (out.success() || out.revert == "AlreadyChallenged") return true;  // scan_games opens our side
    if (out.revert == "WindowClosed" || out.revert == "NotTheClaim" || out.revert == "NotConflict") {
        return finish(ClaimCheck::failed, out.revert);
    }
    if (++c.attempts > 12) return finish(ClaimCheck::failed, std::string(kind) + ": " + out.revert);
    c.state = ClaimCheck::pending;
    SIGIL_TRY_VOID(save());
    return true;
}

// ---------------------------------------------------------------------------------------- bounty hook

Result<bool, std::string> DisputeAgent::check_drawn(const Hash& id, const Address& op) {
    auto rec = store_.challenge(id, op);
    if (!rec) return fail(rec.error().describe());
    if (!rec->has_value()) return false;  // the claim's log is not read yet
    ChallengeRecord c = **rec;
    const bool undecided = (c.state == ClaimCheck::skipped && c.reason == "not_drawn") ||
                           (c.state == ClaimCheck::pending && c.reason != kDrawnReason);
    if (!undecided) return false;  // already handed over, challenging, challenged or final
    c.state = ClaimCheck::pending;
    c.reason = kDrawnReason;
    c.attempts = 0;
    SIGIL_TRY_VOID(save_challenge(c));
    log_json(LogLevel::info, "bounty claim handed to the challenger",
             {{"request", hex(id)}, {"operator", to_checksum(op)}});
    return true;
}

// ---------------------------------------------------------------------------------------- chain

std::optional<GameView> DisputeAgent::game_view(std::uint64_t id, const chain::BlockId& at) {
    auto r = outbox_.call(cfg_.contracts.dispute_game, get_game_call(id), at);
    if (!r) return std::nullopt;
    return decode_game_view(*r);
}

std::optional<DisputeAgent::Snapshot> DisputeAgent::snapshot(std::uint64_t id) {
    auto gv = game_view(id, round_block_);
    if (!gv) return std::nullopt;
    Snapshot s{*gv, false};
    if (gv->phase == GamePhase::none || gv->phase == GamePhase::done) return s;
    auto r = outbox_.call(cfg_.contracts.dispute_game, lost_call(gv->request_id, gv->defender), round_block_);
    if (!r) return std::nullopt;
    auto v = decode_uint(*r);
    if (!v) return std::nullopt;
    s.defender_lost = *v != 0;
    return s;
}

std::optional<std::string> DisputeAgent::resolved_reason(std::uint64_t id) {
    chain::LogFilter f;
    f.from_block = cfg_.chain.start_block;
    f.addresses = {cfg_.contracts.dispute_game};
    f.topics = {{resolved_topic()}, {to_be32(u256(id))}};
    auto logs = outbox_.eth().get_logs(f);
    if (!logs) {
        outbox_.rpc_failed(logs.error());
        return std::nullopt;
    }
    for (const auto& l : *logs) {
        if (l.removed) continue;
        if (auto r = decode_resolved(l); r && r->game_id == id) return r->reason;
    }
    return std::string();
}

std::optional<Hash> DisputeAgent::entry_of(const Hash& id, const Address& op) {
    return outbox_.call_word(cfg_.contracts.coordinator, entry_of_call(id, op));
}

std::optional<bool> DisputeAgent::lost(const Hash& id, const Address& op) {
    auto v = outbox_.call_uint(cfg_.contracts.dispute_game, lost_call(id, op));
    if (!v) return std::nullopt;
    return *v != 0;
}

std::optional<RequestView> DisputeAgent::request_view(const Hash& id) {
    auto r = outbox_.call(cfg_.contracts.coordinator, get_request_call(id));
    if (!r) return std::nullopt;
    return decode_request_view(*r);
}

std::optional<Hash> DisputeAgent::answer_of(const Hash& id) {
    return outbox_.call_word(cfg_.contracts.coordinator, answer_of_call(id));
}

}  // namespace sigil::node
