#include "node/bounty_agent.hpp"

#include <chrono>

#include "chain/rpc_error.hpp"
#include "core/keccak.hpp"
#include "node/dispute_abi.hpp"
#include "node/log.hpp"

namespace sigil::node {

namespace {

/// Refused sends of one intent before the bounty is given up.
constexpr int kMaxAttempts = 12;
/// Rounds a bounty may read as absent from getBounty before it is given up.
constexpr int kMissingRounds = 200;
/// meta key of the pending registration transaction.
constexpr const char* kRegisterTx = "verifier_register_tx";
/// meta key set once the account was seen registered (a withdrawn verifier is not registered again).
constexpr const char* kRegistered = "verifier_registered";

std::string hex(const Hash& h) { return to_hex(h); }

bool verifiable_status(const RequestView& r, std::uint64_t now) {
    return (r.status == RequestStatus::answered || r.status == RequestStatus::disputed) && now < r.final_at;
}

/// What ProofMarket.resolve counts as final: settled, or answered with the challenge window over.
bool final_answer(const RequestView& r, std::uint64_t now) {
    return r.status == RequestStatus::settled || (r.status == RequestStatus::answered && now >= r.final_at);
}

bool request_over(const RequestView& r, std::uint64_t now) {
    return final_answer(r, now) || r.status == RequestStatus::refuted || r.status == RequestStatus::refunded;
}

}  // namespace

std::string_view to_string(BountyAction a) noexcept {
    switch (a) {
        case BountyAction::none:
            return "none";
        case BountyAction::wait:
            return "wait";
        case BountyAction::arm:
            return "arm";
        case BountyAction::draw:
            return "draw";
        case BountyAction::verify:
            return "verify";
        case BountyAction::resolve:
            return "resolve";
        case BountyAction::withdraw:
            return "withdraw";
        case BountyAction::done:
            return "done";
        case BountyAction::skip:
            return "skip";
    }
    return "unknown";
}

BountyDecision decide_bounty(const BountyFacts& f) {
    const BountyView& b = f.bounty;
    const RequestView& r = f.request;
    if (f.pending) return {BountyAction::wait, ""};
    const bool ours = b.verifier == f.self && b.verifier != Address{};
    switch (b.phase) {
        case BountyPhase::none:
            return {BountyAction::none, "not_on_chain"};  // a removed log, or a node behind ours
        case BountyPhase::posted:
            if (!f.can_act) return {BountyAction::skip, "cannot_verify"};
            if (verifiable_status(r, f.chain_time)) return {BountyAction::arm, ""};
            if (r.status == RequestStatus::open) return {BountyAction::none, "not_answered"};
            return {BountyAction::skip, "request_closed"};
        case BountyPhase::armed:
            if (!f.can_act) return {BountyAction::skip, "cannot_verify"};
            // draw() needs block.number > drawBlock; a call estimated at `head` runs at head
            // (geth) or head + 1 (anvil), so wait until head itself is past the draw block.
            if (f.head > b.draw_block()) return {BountyAction::draw, ""};
            return {BountyAction::none, "draw_block"};
        case BountyPhase::assigned:
            if (!ours) return {BountyAction::skip, "drawn_for_other"};
            if (f.disputing) {
                if (f.refuted_by == f.self) return {BountyAction::resolve, ""};
                if (r.status == RequestStatus::refuted) return {BountyAction::skip, "refuted_by_other"};
                if (request_over(r, f.chain_time)) return {BountyAction::skip, "dispute_lost"};
                return {BountyAction::none, "disputing"};
            }
            if (f.chain_time > b.deadline) return {BountyAction::skip, "window_missed"};
            return {BountyAction::verify, ""};
        case BountyPhase::attested:
            if (!ours) return {BountyAction::skip, "drawn_for_other"};
            if (final_answer(r, f.chain_time)) return {BountyAction::resolve, ""};
            if (r.status == RequestStatus::refuted) return {BountyAction::skip, "attested_claim_refuted"};
            if (r.status == RequestStatus::refunded) return {BountyAction::skip, "request_refunded"};
            return {BountyAction::none, "not_final"};
        case BountyPhase::closed:
            if (ours && f.credit > 0) return {BountyAction::withdraw, ""};
            return {BountyAction::done, ours ? "closed" : "closed_for_other"};
    }
    return {BountyAction::none, "unknown_phase"};
}

std::size_t caller_rank(const Hash& id, const std::vector<Address>& pool, const Address& self) {
    const std::size_t n = pool.size();
    std::size_t at = n;
    for (std::size_t i = 0; i < n; ++i) {
        if (pool[i] == self) at = i;
    }
    if (at == n) return n;
    const BytesView tag = as_bytes("sigil.bounty.caller");
    Bytes pre(tag.begin(), tag.end());
    pre.insert(pre.end(), id.begin(), id.end());
    const Hash h = keccak256(pre);
    std::uint64_t top = 0;
    for (std::size_t i = 0; i < 8; ++i) top = (top << 8) | h[i];
    const auto first = static_cast<std::size_t>(top % n);
    return (at + n - first) % n;
}

BountyAgent::BountyAgent(const NodeContext& ctx, DisputeAgent& disputes)
    : cfg_(ctx.cfg),
      self_(ctx.self),
      catalog_(ctx.catalog),
      store_(ctx.store),
      outbox_(ctx.outbox),
      disputes_(disputes) {}

Result<void, std::string> BountyAgent::start() {
    const Address& market = cfg_.contracts.proof_market;
    auto t = outbox_.call_word(market, bond_token_call());
    auto m = outbox_.call_uint(market, min_bond_call());
    if (!t || !m) {
        return fail(std::string("contracts.proof_market: bondToken() / minBond() failed (is it a ProofMarket?)"));
    }
    bond_token_ = address_from_word(*t);
    min_bond_ = *m;
    if (cfg_.verifier.bond < min_bond_) {
        return fail("verifier.bond: " + to_dec(cfg_.verifier.bond) + " is below the ProofMarket's minBond " +
                    to_dec(min_bond_));
    }
    log_json(LogLevel::info, "bounty verifier started",
             {{"market", to_checksum(market)},
              {"bond_token", to_checksum(bond_token_)},
              {"bond", to_dec(cfg_.verifier.bond)},
              {"min_bond", to_dec(min_bond_)}});
    return {};
}

Result<void, std::string> BountyAgent::on_log(const chain::Log& log) {
    auto p = decode_bounty_posted(log);
    if (!p) return {};
    auto existing = store_.bounty(p->id);
    if (!existing) return fail(existing.error().describe());
    if (existing->has_value()) return {};
    BountyRecord b;
    b.request_id = p->id;
    b.token = p->token;
    b.fee = p->fee;
    auto put = store_.put_bounty(b);
    if (!put) return fail(put.error().describe());
    log_json(LogLevel::info, "bounty posted",
             {{"request", hex(p->id)}, {"fee", to_dec(p->fee)}, {"p_wad", p->p_wad}, {"window", p->verify_window}});
    return {};
}

Result<bool, std::string> BountyAgent::step(std::uint64_t chain_time) {
    chain_time_ = chain_time;
    auto n = outbox_.eth().block_number();
    if (!n) {
        outbox_.rpc_failed(n.error());
        return false;
    }
    head_ = *n;
    pool_.reset();
    bool busy = SIGIL_TRY(ensure_registered());
    auto list = store_.bounties_in({BountyTrack::watching, BountyTrack::disputing});
    if (!list) return fail(list.error().describe());
    for (auto& b : *list) busy = SIGIL_TRY(follow(b)) || busy;
    return busy;
}

// ---------------------------------------------------------------------------------------- registration

Result<bool, std::string> BountyAgent::ensure_registered() {
    if (registered_) {
        // Exit is the owner's call: follow it (an exiting verifier arms and draws nothing new).
        auto raw = outbox_.call(cfg_.contracts.proof_market, get_verifier_call(self_));
        auto v = raw ? decode_verifier_view(*raw) : std::nullopt;
        if (!v) return false;
        const bool exiting = !v->registered || v->exit_at != 0;
        if (exiting && !exiting_) {
            log_json(LogLevel::warn, "verifier exiting", {{"exit_at", v->exit_at}, {"registered", v->registered}});
        }
        exiting_ = exiting;
        return false;
    }
    auto once = store_.meta_u64(kRegistered);
    if (!once) return fail(once.error().describe());
    auto tx = store_.meta_blob(kRegisterTx);
    if (!tx) return fail(tx.error().describe());
    if (tx->has_value() && (*tx)->size() == 32) {
        Hash h{};
        std::copy((*tx)->begin(), (*tx)->end(), h.begin());
        if (outbox_.pending(h)) return false;
    }
    auto raw = outbox_.call(cfg_.contracts.proof_market, get_verifier_call(self_));
    if (!raw) return false;
    auto v = decode_verifier_view(*raw);
    if (!v) return fail(std::string("contracts.proof_market: getVerifier returned an undecodable value"));
    if (v->registered || *once != 0) {
        // Registered now, or registered before and since withdrawn: never register twice.
        registered_ = true;
        exiting_ = !v->registered || v->exit_at != 0;
        if (auto m = store_.set_meta_u64(kRegistered, 1); !m) return fail(m.error().describe());
        if (tx->has_value()) {
            if (auto c = store_.set_meta_blob(kRegisterTx, std::nullopt); !c) return fail(c.error().describe());
        }
        log_json(exiting_ ? LogLevel::warn : LogLevel::info, "verifier registered",
                 {{"bond", to_dec(v->bond)}, {"since_block", v->since}, {"exit_at", v->exit_at}});
        return false;
    }
    auto balance = outbox_.call_uint(bond_token_, balance_of_call(self_));
    if (!balance) return false;
    if (*balance < cfg_.verifier.bond) {
        if (!warned_balance_) {
            log_json(LogLevel::warn, "verifier.bond: not enough bond tokens to register",
                     {{"balance", to_dec(*balance)}, {"bond", to_dec(cfg_.verifier.bond)}});
            warned_balance_ = true;
        }
        return false;
    }
    const SentTx ap = outbox_.send(bond_token_, approve_call(cfg_.contracts.proof_market, cfg_.verifier.bond),
                                   "approve", kBountyChannel);
    if (!ap.success()) return false;  // logged by send; tried again next round
    std::string store_failure;
    const SentTx out = outbox_.send(cfg_.contracts.proof_market, register_verifier_call(cfg_.verifier.bond), "register",
                                    kBountyChannel, [&](const Hash& h) {
                                        auto p = store_.set_meta_blob(kRegisterTx, Bytes(h.begin(), h.end()));
                                        if (!p) store_failure = p.error().message;
                                    });
    if (!store_failure.empty()) return fail("store: " + store_failure);
    if (!out.success()) log_json(LogLevel::warn, "verifier registration refused", {{"why", out.revert}});
    return true;  // the next round reads getVerifier
}

// ---------------------------------------------------------------------------------------- bounties

Result<void, std::string> BountyAgent::save(const BountyRecord& b) {
    auto r = store_.put_bounty(b);
    if (!r) return fail(r.error().describe());
    return {};
}

Result<bool, std::string> BountyAgent::finish(BountyRecord& b, BountyTrack t, const std::string& reason) {
    b.track = t;
    b.reason = reason;
    b.tx_hash.reset();
    due_since_.erase(b.request_id);
    SIGIL_TRY_VOID(save(b));
    const bool bad = reason == "window_missed" || reason == "attested_claim_refuted" || reason == "dispute_lost";
    log_json(bad ? LogLevel::warn : LogLevel::info, "bounty finished",
             {{"request", hex(b.request_id)}, {"result", to_string(t)}, {"reason", reason}, {"gas", b.gas_used}});
    return true;
}

Result<bool, std::string> BountyAgent::verifiable(const Hash& id) {
    auto job = store_.job(id);
    if (!job) return fail(job.error().describe());
    if (!job->has_value()) return false;
    const JobRecord& j = **job;
    return !j.input.empty() && catalog_.find(j.model_root) != nullptr;
}

Result<bool, std::string> BountyAgent::follow(BountyRecord& b) {
    const Address& market = cfg_.contracts.proof_market;
    const bool pending = outbox_.pending(b.tx_hash);
    auto raw = outbox_.call(market, get_bounty_call(b.request_id));
    if (!raw) return false;
    auto bv = decode_bounty_view(*raw);
    if (!bv) return finish(b, BountyTrack::skipped, "bounty_undecodable");
    auto rr = outbox_.call(cfg_.contracts.coordinator, get_request_call(b.request_id));
    if (!rr) return false;
    auto r = decode_request_view(*rr);
    if (!r) return finish(b, BountyTrack::skipped, "request_undecodable");

    BountyFacts f;
    f.bounty = *bv;
    f.request = *r;
    f.self = self_;
    f.head = head_;
    f.chain_time = chain_time_;
    f.disputing = b.track == BountyTrack::disputing;
    f.pending = pending;
    if (bv->phase == BountyPhase::posted || bv->phase == BountyPhase::armed) {
        bool can = registered_ && !exiting_ && SIGIL_TRY(verifiable(b.request_id));
        if (can) {
            auto entry = outbox_.call_word(cfg_.contracts.coordinator, entry_of_call(b.request_id, self_));
            if (!entry) return false;
            can = *entry == Hash{};  // seated operators are never drawn for their own request
        }
        f.can_act = can;
    }
    if (f.disputing && bv->phase == BountyPhase::assigned) {
        auto w = outbox_.call_word(cfg_.contracts.dispute_game, refuted_by_call(b.request_id));
        if (!w) return false;
        f.refuted_by = address_from_word(*w);
    }
    if (bv->phase == BountyPhase::closed && bv->verifier == self_) {
        auto c = outbox_.call_uint(market, credits_call(self_, bv->token));
        if (!c) return false;
        f.credit = *c;
    }
    const BountyDecision d = decide_bounty(f);
    switch (d.action) {
        case BountyAction::none:
            if (f.disputing) return hand_over(b, *bv, *r);  // until every seat is handed over
            if (bv->phase == BountyPhase::none) {
                // Its BountyPosted log was removed by a reorg (or our RPC node is behind).
                if (++b.attempts > kMissingRounds) return finish(b, BountyTrack::skipped, d.reason);
                SIGIL_TRY_VOID(save(b));
            }
            return false;
        case BountyAction::wait:
            return false;
        case BountyAction::skip:
            // Not for us: registered later, model not served, drawn for someone else. (Before
            // registration completes, keep following: the account may yet be able to act.)
            if (d.reason == "cannot_verify" && !registered_) return false;
            return finish(b, BountyTrack::skipped, d.reason);
        case BountyAction::done:
            return finish(b, BountyTrack::closed, d.reason);
        case BountyAction::arm:
        case BountyAction::draw: {
            auto turn = our_turn_to_call(b, d.action, *bv);
            if (!turn || !*turn) return false;
            due_since_.erase(b.request_id);
            const bool arm = d.action == BountyAction::arm;
            return act(b, market, arm ? arm_call(b.request_id) : draw_call(b.request_id), arm ? "arm" : "draw", *bv);
        }
        case BountyAction::verify:
            return verify(b, *bv, *r);
        case BountyAction::resolve:
            return act(b, market, resolve_bounty_call(b.request_id), "bounty_resolve", *bv);
        case BountyAction::withdraw:
            return act(b, market, withdraw_credit_call(bv->token), "withdraw", *bv);
    }
    return false;
}

std::optional<bool> BountyAgent::our_turn_to_call(const BountyRecord& b, BountyAction a, const BountyView& bv) {
    if (!pool_) {
        auto raw = outbox_.call(cfg_.contracts.proof_market, verifiers_call());
        if (!raw) return std::nullopt;
        pool_ = decode_address_list(*raw);
        if (!pool_) return std::nullopt;
    }
    const std::int64_t now = outbox_.now_ms();
    const std::string key = std::string(to_string(a)) + ":" + std::to_string(bv.arm_block);
    auto it = due_since_.find(b.request_id);
    if (it == due_since_.end() || it->second.first != key) {
        it = due_since_.insert_or_assign(b.request_id, std::make_pair(key, now)).first;
    }
    const auto rank = static_cast<std::int64_t>(caller_rank(b.request_id, *pool_, self_));
    return now - it->second.second >= rank * kCallerStepMs;
}

Result<bool, std::string> BountyAgent::verify(BountyRecord& b, const BountyView& bv, const RequestView& r) {
    auto job = store_.job(b.request_id);
    if (!job) return fail(job.error().describe());
    if (!job->has_value()) return finish(b, BountyTrack::skipped, "job_unknown");
    auto rt = disputes_.trace_of(**job);
    if (!rt) return finish(b, BountyTrack::skipped, rt.error());
    const Hash ours = hash_claim((*rt)->claim);
    if (ours == bv.claim_hash) {
        log_json(LogLevel::info, "bounty claim verified", {{"request", hex(b.request_id)}, {"claim", hex(ours)}});
        return act(b, cfg_.contracts.proof_market, attest_call(b.request_id), "attest", bv);
    }
    log_json(LogLevel::warn, "bounty claim differs",
             {{"request", hex(b.request_id)}, {"theirs", hex(bv.claim_hash)}, {"ours", hex(ours)}});
    b.track = BountyTrack::disputing;  // the decision, stored before the dispute agent acts on it
    b.reason.clear();
    SIGIL_TRY_VOID(save(b));
    SIGIL_TRY_VOID(hand_over(b, bv, r));
    return true;
}

Result<bool, std::string> BountyAgent::hand_over(BountyRecord& b, const BountyView& bv, const RequestView& r) {
    if (bv.phase != BountyPhase::assigned) return false;
    bool changed = false;
    for (std::uint64_t i = 0; i < r.commits; ++i) {
        auto w = outbox_.call_word(cfg_.contracts.coordinator, seat_of_call(b.request_id, i));
        if (!w) return false;
        const Address seat = address_from_word(*w);
        auto entry = outbox_.call_word(cfg_.contracts.coordinator, entry_of_call(b.request_id, seat));
        if (!entry) return false;
        if (*entry != bv.claim_hash) continue;  // this seat posted another claim
        changed = SIGIL_TRY(disputes_.check_drawn(b.request_id, seat)) || changed;
    }
    return changed;
}

Result<bool, std::string> BountyAgent::act(BountyRecord& b, const Address& to, const Bytes& data, const char* kind,
                                           const BountyView& bv) {
    const std::string intent =
        std::string(kind) + ":" + std::string(to_string(bv.phase)) + ":" + std::to_string(bv.arm_block);
    if (intent != b.intent) b.attempts = 0;  // refusals are counted per intent
    b.intent = intent;                       // the intent, stored before the transaction
    auto sent = outbox_.submit(b, b.request_id, to, data, kind, kBountyChannel);
    if (!sent) return fail(sent.error().describe());
    const SentTx& out = *sent;
    if (out.success()) {
        b.gas_used += out.gas;
        b.attempts = 0;
    } else if (out.reverted()) {
        // Refused: usually someone else's transaction got there first (WrongState), which the
        // next round's getBounty shows; a refusal that keeps coming ends the bounty for us.
        log_json(LogLevel::info, "bounty transaction refused",
                 {{"request", hex(b.request_id)}, {"kind", kind}, {"why", out.revert}});
        if (++b.attempts > kMaxAttempts) return finish(b, BountyTrack::skipped, std::string(kind) + ": " + out.revert);
        if (out.revert == "TooLate" || out.revert == "ClaimChanged" || out.revert == "NotVerifier") {
            return finish(b, BountyTrack::skipped, std::string(kind) + ": " + out.revert);
        }
    }
    SIGIL_TRY_VOID(save(b));
    return true;
}

// ---------------------------------------------------------------------------------------- chain

}  // namespace sigil::node
