#include "node/dispute_agent.hpp"

#include <algorithm>
#include <functional>

#include "chain/rpc_error.hpp"
#include "core/keccak.hpp"
#include "core/kernels/operand.hpp"
#include "core/merkle.hpp"
#include "core/trace/chunks.hpp"
#include "node/chain_calls.hpp"
#include "node/log.hpp"
#include "proof/game.hpp"

namespace sigil::node {

namespace {

/// Games looked at per round when catching up with gameCount.
constexpr std::uint64_t kScanPerRound = 64;
/// Rounds a posted claim waits for its job's Requested log before it is given up.
constexpr int kJobWaitRounds = 200;

std::string hex(const Hash& h) { return to_hex(h); }

std::string store_msg(const StoreError& e) { return "store: " + e.message; }

bool my_turn(const GameRecord& g, const GameView& gv) {
    switch (gv.phase) {
        case GamePhase::bisect:
        case GamePhase::descend:
            return gv.defender_turn == (g.role == GameRole::defender);
        case GamePhase::reveal:
            return g.role == GameRole::defender;
        case GamePhase::one_step:
            return g.role == GameRole::challenger;
        default:
            return false;
    }
}

}  // namespace

DisputeAgent::DisputeAgent(const NodeConfig& cfg, const Address& self, const Catalog& catalog, Store& store,
                           chain::EthClient& eth, chain::Sender& sender, Metrics& metrics)
    : cfg_(cfg), self_(self), catalog_(catalog), store_(store), eth_(eth), sender_(sender), metrics_(metrics) {}

Result<void, std::string> DisputeAgent::start() {
    auto b = call_uint(cfg_.contracts.dispute_game, bond_call());
    auto t = call_uint(cfg_.contracts.dispute_game, bond_token_call());
    if (!b || !t)
        return fail(std::string("contracts.dispute_game: bond() / bondToken() failed (is it a DisputeGame?)"));
    bond_ = *b;
    const Bytes32 w = to_be32(*t);
    bond_token_ = address_from_word(w);
    log_json(LogLevel::info, "dispute agents started",
             {{"game", to_checksum(cfg_.contracts.dispute_game)},
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
    if (cfg_.challenger.mode == ChallengeMode::off) return {};
    auto p = decode_claim_posted(log);
    if (!p) {
        log_json(LogLevel::warn, "undecodable claim log", {{"tx", hex(log.transaction_hash)}});
        return {};
    }
    if (p->op == self_) return {};
    auto existing = store_.challenge(p->id, p->op);
    if (!existing) return fail(store_msg(existing.error()));
    if (existing->has_value()) return {};
    ChallengeRecord c;
    c.request_id = p->id;
    c.op = p->op;
    c.claim_abi = encode_claim(p->claim);
    c.revealed = p->revealed;
    auto put = store_.put_challenge(c);
    if (!put) return fail(store_msg(put.error()));
    return {};
}

Result<bool, std::string> DisputeAgent::step(std::uint64_t chain_time) {
    chain_time_ = chain_time;
    bool busy = SIGIL_TRY(scan_games());
    busy = SIGIL_TRY(check_claims()) || busy;
    auto games = store_.games(GameState::playing);
    if (!games) return fail(store_msg(games.error()));
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
    auto count = call_uint(cfg_.contracts.dispute_game, game_count_call());
    if (!count) return false;
    auto next = store_.meta_u64("games_scanned");
    if (!next) return fail(store_msg(next.error()));
    std::uint64_t id = std::max<std::uint64_t>(*next, 1);
    const std::uint64_t last = static_cast<std::uint64_t>(*count);
    bool any = false;
    for (std::uint64_t n = 0; id <= last && n < kScanPerRound; ++id, ++n) {
        auto gv = game_view(id);
        if (!gv) return any;  // RPC failure: resume here next round
        const bool ours = gv->defender == self_ || gv->challenger == self_;
        if (ours) {
            auto known = store_.game(id);
            if (!known) return fail(store_msg(known.error()));
            if (!known->has_value()) {
                GameRecord g;
                g.game_id = id;
                g.request_id = gv->request_id;
                g.role = gv->defender == self_ ? GameRole::defender : GameRole::challenger;
                auto put = store_.put_game(g);
                if (!put) return fail(store_msg(put.error()));
                log_json(
                    LogLevel::info, "dispute game",
                    {{"game", id}, {"request", hex(g.request_id)}, {"role", to_string(g.role)}, {"steps", gv->steps}});
            }
            if (gv->challenger == self_) {
                auto c = store_.challenge(gv->request_id, gv->defender);
                if (!c) return fail(store_msg(c.error()));
                if (c->has_value() && (*c)->state != ClaimCheck::challenged) {
                    ChallengeRecord rec = **c;
                    rec.state = ClaimCheck::challenged;
                    rec.reason = "game " + std::to_string(id);
                    auto put = store_.put_challenge(rec);
                    if (!put) return fail(store_msg(put.error()));
                }
            }
            any = true;
        }
        auto set = store_.set_meta_u64("games_scanned", id + 1);
        if (!set) return fail(store_msg(set.error()));
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
            const auto job = decode_job(j.job_abi);
            if (!job) return std::nullopt;
            const proof::OneStepMove mv = party.one_step(k, gv.index, gv.node);
            if (mv.kind == proof::OneStepMove::Kind::padding) {
                return Planned{prove_padding_call(g.game_id, *job), "prove_padding"};
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
            return Planned{prove_element_call(g.game_id, *job, mv.proof), "prove_element"};
        }
        default:
            return std::nullopt;
    }
}

Result<bool, std::string> DisputeAgent::play(GameRecord& g) {
    auto gv = game_view(g.game_id);
    if (!gv) return false;
    auto save = [&]() -> Result<void, std::string> {
        auto r = store_.put_game(g);
        if (!r) return fail(store_msg(r.error()));
        return {};
    };
    if (gv->phase == GamePhase::done) {
        const bool won = gv->defender_won == (g.role == GameRole::defender);
        g.state = won ? GameState::won : GameState::lost;
        g.reason = gv->defender_won ? "defender_won" : "challenger_won";
        SIGIL_TRY_VOID(save());
        log_json(won ? LogLevel::info : LogLevel::warn, "dispute game ended",
                 {{"game", g.game_id},
                  {"request", hex(g.request_id)},
                  {"role", to_string(g.role)},
                  {"result", to_string(g.state)},
                  {"moves", g.moves},
                  {"gas", g.gas_used}});
        return true;
    }
    if (gv->phase == GamePhase::none) return false;
    const std::string pos = gv->position();
    const bool ours = my_turn(g, *gv);
    const std::string intent = ours ? pos : "timeout:" + pos;
    if (g.intent == intent && still_pending(g.tx_hash)) return false;  // our move is on its way
    auto job = store_.job(g.request_id);
    if (!job) return fail(store_msg(job.error()));
    if (!job->has_value()) {
        if (g.reason != "job_unknown") {
            g.reason = "job_unknown";
            SIGIL_TRY_VOID(save());
            log_json(LogLevel::warn, "dispute game on a request the node never saw", {{"game", g.game_id}});
        }
        return false;
    }
    const JobRecord& j = **job;
    std::optional<Planned> mv;
    if (!ours) {
        if (chain_time_ <= gv->deadline) return false;  // the other side may still move
        const auto jv = decode_job(j.job_abi);
        if (!jv) return false;
        mv = Planned{timeout_call(g.game_id, *jv), "timeout"};
    } else {
        if (chain_time_ > gv->deadline) return false;  // too late: the other side claims the timeout
        auto rt = trace_of(j);
        if (!rt) {
            if (g.reason != rt.error()) {
                g.reason = rt.error();
                SIGIL_TRY_VOID(save());
                log_json(LogLevel::warn, "no trace for a dispute game", {{"game", g.game_id}, {"why", rt.error()}});
            }
            return false;
        }
        mv = plan(g, *gv, **rt, j);
        if (!mv) {
            if (g.reason != "no_winning_move") {
                g.reason = "no_winning_move";
                SIGIL_TRY_VOID(save());
                log_json(LogLevel::info, "no winning move", {{"game", g.game_id}, {"position", pos}});
            }
            return false;
        }
    }
    g.intent = intent;  // the intent, stored before the transaction
    g.tx_hash.reset();
    SIGIL_TRY_VOID(save());
    std::string store_failure;
    const Sent out = send(cfg_.contracts.dispute_game, mv->data, mv->kind, [&](const Hash& h) {
        g.tx_hash = h;
        auto r = store_.put_game(g);
        if (!r) store_failure = r.error().message;
    });
    if (!store_failure.empty()) return fail("store: " + store_failure);
    if (out.success) {
        ++g.moves;
        g.gas_used += out.gas;
        g.reason.clear();
        SIGIL_TRY_VOID(save());
    } else {
        log_json(LogLevel::info, "dispute move refused",
                 {{"game", g.game_id}, {"kind", mv->kind}, {"why", out.revert}});
    }
    return true;
}

// ---------------------------------------------------------------------------------------- claims

Result<bool, std::string> DisputeAgent::check_claims() {
    if (cfg_.challenger.mode == ChallengeMode::off) return false;
    auto list = store_.challenges_in({ClaimCheck::pending, ClaimCheck::challenging});
    if (!list) return fail(store_msg(list.error()));
    bool any = false;
    for (auto& c : *list) any = SIGIL_TRY(check_claim(c)) || any;
    return any;
}

Result<bool, std::string> DisputeAgent::check_claim(ChallengeRecord& c) {
    auto save = [&]() -> Result<void, std::string> {
        auto r = store_.put_challenge(c);
        if (!r) return fail(store_msg(r.error()));
        return {};
    };
    auto finish = [&](ClaimCheck st, const std::string& reason) -> Result<bool, std::string> {
        c.state = st;
        c.reason = reason;
        SIGIL_TRY_VOID(save());
        log_json(st == ClaimCheck::failed ? LogLevel::warn : LogLevel::info, "claim checked",
                 {{"request", hex(c.request_id)},
                  {"operator", to_checksum(c.op)},
                  {"result", to_string(st)},
                  {"reason", reason}});
        return true;
    };
    if (c.state == ClaimCheck::challenging) {
        if (still_pending(c.tx_hash)) return false;
        // Not pending: either our game is open (scan_games marks it) or the challenge did not
        // land; look at the claim again from the start.
        c.state = ClaimCheck::pending;
    }
    auto job = store_.job(c.request_id);
    if (!job) return fail(store_msg(job.error()));
    if (!job->has_value()) {
        if (++c.attempts > kJobWaitRounds) return finish(ClaimCheck::skipped, "job_unknown");
        SIGIL_TRY_VOID(save());
        return false;
    }
    const JobRecord& j = **job;
    if (!sampled(cfg_.challenger, self_, c.request_id)) return finish(ClaimCheck::skipped, "not_sampled");
    const auto theirs = decode_claim(c.claim_abi);
    if (!theirs) return finish(ClaimCheck::skipped, "claim_undecodable");
    auto rt = trace_of(j);
    if (!rt) return finish(ClaimCheck::skipped, rt.error());
    const Hash their_hash = hash_claim(*theirs);
    if (hash_claim((*rt)->claim) == their_hash) return finish(ClaimCheck::agreed, "");
    auto r = request_view(c.request_id);
    if (!r) return false;  // RPC failure: next round
    if (r->status == RequestStatus::conflict) return finish(ClaimCheck::skipped, "conflict");
    if (r->status != RequestStatus::answered && r->status != RequestStatus::disputed) {
        if (r->status == RequestStatus::open) return false;  // k > 1: not answered yet
        return finish(ClaimCheck::skipped, "request_closed");
    }
    if (chain_time_ >= r->final_at) return finish(ClaimCheck::skipped, "window_closed");
    auto answer = answer_of(c.request_id);
    if (!answer) return false;
    if (*answer != their_hash) return finish(ClaimCheck::skipped, "not_the_answer");
    if (cfg_.challenger.max_bond) {
        auto games = store_.games(GameState::playing);
        if (!games) return fail(store_msg(games.error()));
        u256 held = 0;
        for (const auto& g : *games) {
            if (g.role == GameRole::challenger) held += bond_;
        }
        if (held + bond_ > *cfg_.challenger.max_bond) return finish(ClaimCheck::skipped, "bond_cap");
    }
    const auto jv = decode_job(j.job_abi);
    if (!jv) return finish(ClaimCheck::failed, "stored job undecodable");
    log_json(LogLevel::warn, "wrong claim",
             {{"request", hex(c.request_id)},
              {"operator", to_checksum(c.op)},
              {"theirs", hex(theirs->trace_root)},
              {"ours", hex((*rt)->claim.trace_root)}});
    const Sent ap = send(bond_token_, approve_call(cfg_.contracts.dispute_game, bond_), "approve", nullptr);
    if (!ap.success) {
        if (++c.attempts > 12) return finish(ClaimCheck::failed, "approve: " + ap.revert);
        SIGIL_TRY_VOID(save());
        return false;
    }
    c.state = ClaimCheck::challenging;  // the intent, stored before the transaction
    c.tx_hash.reset();
    SIGIL_TRY_VOID(save());
    std::string store_failure;
    const Sent out = send(cfg_.contracts.dispute_game, challenge_call(c.request_id, *jv, *theirs, c.op), "challenge",
                          [&](const Hash& h) {
                              c.tx_hash = h;
                              auto p = store_.put_challenge(c);
                              if (!p) store_failure = p.error().message;
                          });
    if (!store_failure.empty()) return fail("store: " + store_failure);
    if (out.success || out.revert == "AlreadyChallenged") return true;  // scan_games opens our side
    if (out.revert == "WindowClosed" || out.revert == "NotTheClaim") return finish(ClaimCheck::failed, out.revert);
    if (++c.attempts > 12) return finish(ClaimCheck::failed, "challenge: " + out.revert);
    c.state = ClaimCheck::pending;
    SIGIL_TRY_VOID(save());
    return true;
}

// ---------------------------------------------------------------------------------------- chain

std::optional<GameView> DisputeAgent::game_view(std::uint64_t id) {
    auto r = call_contract(eth_, cfg_.contracts.dispute_game, get_game_call(id), &metrics_);
    if (!r) return std::nullopt;
    return decode_game_view(*r);
}

std::optional<u256> DisputeAgent::call_uint(const Address& to, const Bytes& data) {
    auto r = call_contract(eth_, to, data, &metrics_);
    if (!r) return std::nullopt;
    return decode_uint(*r);
}

std::optional<RequestView> DisputeAgent::request_view(const Hash& id) {
    auto r = call_contract(eth_, cfg_.contracts.coordinator, get_request_call(id));
    if (!r) return std::nullopt;
    return decode_request_view(*r);
}

std::optional<Hash> DisputeAgent::answer_of(const Hash& id) {
    return call_word(eth_, cfg_.contracts.coordinator, answer_of_call(id));
}

bool DisputeAgent::still_pending(const std::optional<Hash>& tx) { return tx && node::still_pending(eth_, *tx); }

DisputeAgent::Sent DisputeAgent::send(const Address& to, const Bytes& data, const char* kind,
                                      const std::function<void(const Hash&)>& on_sent) {
    chain::TxRequest req;
    req.to = to;
    req.data = data;
    Sent out;
    auto sent = sender_.send(req);
    if (!sent) {
        metrics_.rpc_error(std::string(chain::to_string(sent.error().kind)));
        out.revert = sent.error().kind == chain::RpcErrorKind::execution_reverted
                         ? dispute_revert_name(sent.error().data)
                         : sent.error().describe();
        return out;
    }
    if (on_sent) on_sent(sent->hash);
    metrics_.tx_sent(kind);
    auto rc = sender_.wait(*sent, req);
    if (!rc) {
        metrics_.rpc_error(std::string(chain::to_string(rc.error().kind)));
        out.revert = rc.error().describe();
        return out;
    }
    out.gas = static_cast<std::uint64_t>(rc->gas_used);
    metrics_.add_gas(out.gas);
    out.success = rc->status;
    if (!out.success) out.revert = "reverted on chain";
    log_json(LogLevel::info, "dispute transaction",
             {{"kind", kind}, {"tx", hex(sent->hash)}, {"ok", out.success}, {"gas", out.gas}});
    return out;
}

}  // namespace sigil::node
