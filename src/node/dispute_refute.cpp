// The challenger's use of DisputeGame's claim endpoints (docs/node.md, "Disputes"): one-shot
// proofs against a posted claim, and proveFinalOutput inside a game. Part of DisputeAgent.

#include "node/dispute_agent.hpp"
#include "node/log.hpp"

namespace sigil::node {

namespace {

/// Attempts at a one-shot proof before the claim is given up as `failed`.
constexpr int kRefuteAttempts = 12;

/// Reverts after which the proof can never succeed (the chain disagrees with our check, or the
/// claim can no longer be refuted). NotTheClaim is not one of them: it also means "slashed
/// meanwhile", which the next round reads from `lost`.
bool final_revert(const std::string& why) {
    for (const char* e : {"ClaimNotOpen", "NoMismatch", "NotTheInput", "NoInlineInput", "NoOutputBytes", "JobMismatch",
                          "BadRecord"}) {
        if (why == e) return true;
    }
    return false;
}

}  // namespace

std::optional<Result<bool, std::string>> DisputeAgent::try_refute(ChallengeRecord& c, const JobRecord& j,
                                                                  const Claim& theirs) {
    const abi::Value& jv = j.job;
    const auto proof = one_shot_proof(theirs, job_input_hash(jv), j.input);
    if (!proof) return std::nullopt;
    return refute(c, j, jv, theirs, *proof);
}

std::optional<Result<bool, std::string>> DisputeAgent::try_refute_shape(ChallengeRecord& c, const JobRecord& j,
                                                                        const abi::Value& job, const Claim& theirs,
                                                                        const RunTrace& rt, bool conflict) {
    if (!shape_differs(theirs, rt.claim)) return std::nullopt;
    const ServedModel* m = catalog_.find(j.model_root);
    if (m == nullptr || rt.claim.steps == 0) return std::nullopt;
    const proof::Party party(*rt.trace, traces_.commitment(*m));
    const proof::OutputReveal last = party.reveal_output(rt.claim.steps);
    return refute(c, j, job, theirs, ClaimProof::shape, conflict, &last);
}

Result<bool, std::string> DisputeAgent::refute(ChallengeRecord& c, const JobRecord& j, const abi::Value& job,
                                               const Claim& theirs, ClaimProof proof, bool conflict,
                                               const proof::OutputReveal* last) {
    auto finish = [&](ClaimCheck st, const std::string& reason) { return finish_check(c, st, reason); };
    const std::string reason(to_string(proof));
    // A proof of ours still in flight: never a second one.
    if (c.state == ClaimCheck::refuting && outbox_.pending(c.tx_hash)) return false;
    // Already refuted (our proof landed before a restart, or another prover or game was first).
    auto gone = lost(c.request_id, c.op);
    if (!gone) return false;
    if (*gone) {
        auto by = outbox_.call_word(cfg_.contracts.dispute_game, refuted_by_call(c.request_id));
        if (!by) return false;
        if (address_from_word(*by) == self_) return finish(ClaimCheck::refuted, reason);
        return finish(ClaimCheck::skipped, "already_lost");
    }
    if (conflict) {
        auto r = request_view(c.request_id);
        if (!r) return false;
        if (r->status != RequestStatus::conflict) return finish(ClaimCheck::skipped, "conflict_ended");
    } else {
        const auto why = not_disputable(c.request_id, hash_claim(theirs));
        if (!why) return false;
        if (!why->empty()) return finish(ClaimCheck::skipped, *why);
    }
    c.state = ClaimCheck::refuting;  // the intent, stored before the transaction
    c.reason = reason;
    log_json(LogLevel::warn, "wrong claim",
             {{"request", to_hex(c.request_id)}, {"operator", to_checksum(c.op)}, {"proof", reason}});
    const char* kind = "prove_output_mismatch";
    Bytes call;
    if (proof == ClaimProof::input_mismatch) {
        kind = "prove_input_mismatch";
        call = prove_input_mismatch_call(c.request_id, job, theirs, c.op, j.input);
    } else if (proof == ClaimProof::shape) {
        if (last == nullptr) return finish(ClaimCheck::failed, "shape proof without the last op's record");
        kind = "prove_shape";
        call = prove_shape_call(c.request_id, job, theirs, c.op, *last);
    } else {
        call = prove_output_mismatch_call(c.request_id, job, theirs, c.op);
    }
    const SentTx out = SIGIL_TRY(submit(c, call, kind));
    if (out.success()) return finish(ClaimCheck::refuted, reason);
    if (out.reverted() && final_revert(out.revert))
        return finish(ClaimCheck::failed, std::string(kind) + ": " + out.revert);
    if (++c.attempts > kRefuteAttempts) return finish(ClaimCheck::failed, std::string(kind) + ": " + out.revert);
    // Still `refuting`: the next round reads `lost` again before it sends anything.
    SIGIL_TRY_VOID(save_challenge(c));
    return true;
}

Result<std::optional<DisputeAgent::Planned>, std::string> DisputeAgent::final_output(const GameRecord& g,
                                                                                     const GameView& gv) {
    using None = std::optional<Planned>;
    if (g.role != GameRole::challenger || gv.phase == GamePhase::bisect || gv.phase == GamePhase::reveal) {
        return None{};
    }
    // The defender's claim: the one we stored from its Delivered / Revealed log.
    auto rec = store_.challenge(g.request_id, gv.defender);
    if (!rec) return fail(rec.error().describe());
    if (!rec->has_value()) return None{};
    const auto claim = decode_claim((*rec)->claim_abi);
    if (!claim || !final_output_refutes(g.role, gv, claim->output_root, chain_time_)) return None{};
    auto job = store_.job(g.request_id);
    if (!job) return fail(job.error().describe());
    const abi::Value* jv = job->has_value() ? &(*job)->job : nullptr;
    if (!jv) return None{};
    log_json(LogLevel::warn, "final output is not the claim's outputRoot",
             {{"game", g.game_id},
              {"request", to_hex(g.request_id)},
              {"out_n", to_hex(gv.node)},
              {"output_root", to_hex(claim->output_root)}});
    return None{Planned{prove_final_output_call(g.game_id, *jv, *claim), "prove_final_output"}};
}

Result<bool, std::string> DisputeAgent::resolve_if_uncontested(const JobRecord& j) {
    if (auto it = resolving_.find(j.id); it != resolving_.end()) {
        if (outbox_.pending(it->second)) return false;
        resolving_.erase(it);
    }
    auto r = request_view(j.id);
    if (!r || r->status != RequestStatus::conflict) return false;
    const Claim mine{j.output, j.output_root, j.trace_root, j.steps, j.input_root};  // our revealed claim
    const Hash mine_hash = hash_claim(mine);
    auto ours = entry_of(j.id, self_);
    auto we_lost = lost(j.id, self_);
    if (!ours || !we_lost || *ours != mine_hash || *we_lost) return false;
    for (std::uint8_t i = 0; i < r->commits; ++i) {
        auto seat = outbox_.call_word(cfg_.contracts.coordinator, seat_of_call(j.id, i));
        if (!seat) return false;
        const Address op = address_from_word(*seat);
        if (op == self_) continue;
        auto entry = entry_of(j.id, op);
        auto gone = lost(j.id, op);
        if (!entry || !gone) return false;
        if (*entry != mine_hash && !*gone) return false;  // still contested: a game or a proof is due
    }
    const abi::Value& jv = j.job;
    log_json(LogLevel::info, "conflict uncontested", {{"request", to_hex(j.id)}});
    const SentTx out = outbox_.send(
        cfg_.contracts.dispute_game, resolve_uncontested_call(j.id, jv, mine), "resolve_uncontested", kDisputeChannel,
        [&](const Hash& h) { resolving_[j.id] = h; }, j.id);
    if (out.mined() || out.reverted()) resolving_.erase(j.id);
    return true;
}

}  // namespace sigil::node
