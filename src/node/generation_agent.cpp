#include "node/generation_agent.hpp"

#include "bindings/abi_tables.hpp"
#include "bindings/coordinator.hpp"
#include "bindings/game_lib.hpp"
#include "bindings/generation_claims.hpp"
#include "bindings/generation_game.hpp"
#include "core/abi/codec.hpp"
#include "core/keccak.hpp"
#include "core/kernels/operand.hpp"
#include "core/merkle.hpp"
#include "core/trace/chunks.hpp"
#include "core/trace/verify.hpp"
#include "node/abi_support.hpp"
#include "node/dispute_agent.hpp"
#include "node/log.hpp"
#include "proof/game.hpp"
#include "runtime/exec/executor.hpp"

namespace sigil::node {

namespace {

constexpr std::uint64_t kScanPerRound = 64;
constexpr std::size_t kRunsKept = 4;

std::string generation_revert_name(BytesView data) {
    return bindings::revert_name(data, {bindings::generation_game::kErrors, bindings::game_lib::kErrors,
                                        bindings::coordinator::kErrors});
}

const TxChannel kGenerationChannel{"generation dispute transaction", &generation_revert_name};

Bytes get_generation_call(std::uint64_t game) {
    static const abi::Function f = detail::must_fn(bindings::generation_game::fn::getGeneration.signature);
    return abi::encode_call(f, {abi::Value::uint(game)});
}

Bytes reveal_step_call(std::uint64_t game, const abi::Value& job, BytesView input, const runtime::lm::LmManifest& m,
                       const runtime::lm::StepOpening& o) {
    static const abi::Function f = detail::must_fn(bindings::generation_game::fn::revealStep.signature);
    return abi::encode_call(f, {abi::Value::uint(game), job, abi::Value::dyn_bytes(input),
                                runtime::lm::manifest_value(m), runtime::lm::step_opening_value(o)});
}

Bytes generation_call(const bindings::FunctionInfo& fi, const std::vector<abi::Value>& args) {
    return abi::encode_call(detail::must_fn(fi.signature), args);
}

abi::Value hashes_value(const std::vector<Hash>& v) {
    std::vector<abi::Value> e;
    for (const auto& h : v) e.push_back(abi::Value::bytes_n(h));
    return abi::Value::array(std::move(e));
}

Hash word_of(const abi::Value& v) {
    Hash h{};
    std::copy_n(v.bytes.begin(), 32, h.begin());
    return h;
}

}  // namespace

std::optional<GenerationView> decode_generation_view(BytesView ret) {
    using abi::Type;
    static const Type t = Type::tuple({Type::bytes_n(32), Type::uint(64), Type::uint(64), Type::bytes_n(32),
                                       Type::bytes_n(32), Type::uint(32), Type::boolean()});
    auto v = abi::decode({t}, ret);
    if (!v) return std::nullopt;
    const auto& e = (*v)[0].elems;
    GenerationView g;
    g.root = word_of(e[0]);
    g.token_steps = static_cast<std::uint64_t>(e[1].num);
    g.step = static_cast<std::uint64_t>(e[2].num);
    g.state = word_of(e[3]);
    g.input_root = word_of(e[4]);
    g.next = static_cast<std::uint32_t>(e[5].num);
    g.played = e[6].num != 0;
    return g;
}

GenerationAgent::GenerationAgent(const NodeContext& ctx, const LmService& lms)
    : cfg_(ctx.cfg), self_(ctx.self), store_(ctx.store), outbox_(ctx.outbox), lms_(lms) {}

Result<std::shared_ptr<const GenerationRun>, std::string> GenerationAgent::run_of(const JobRecord& j) {
    for (auto it = runs_.begin(); it != runs_.end(); ++it) {
        if (it->first != j.id) continue;
        runs_.splice(runs_.begin(), runs_, it);
        return runs_.front().second;
    }
    const LanguageModel* lm = lms_.find_step(j.model_root);
    if (lm == nullptr) return fail(std::string("model_not_served"));
    auto spec = runtime::lm::decode_spec(j.input);
    if (!spec) return fail(spec.error());
    if (spec->lm_root != lm->lm_root) return fail(std::string("spec_names_another_model"));
    auto run = std::make_shared<GenerationRun>();
    run->lm = lm;
    run->spec = *spec;
    if (cfg_.fault.kind == trace::FaultKind::token) {
        run->lie = trace::lie_for(j.id, cfg_.fault, lm->generator->step_program().program);
    }
    auto g = lms_.generate_onchain(*lm, *spec, run->lie);
    if (!g) return fail(g.error());
    run->generation = std::move(*g);
    run->leaves = runtime::lm::generation_leaves(run->generation);
    auto text = lm->vocab.decode(run->generation.tokens);
    if (!text) return fail(text.error());
    const auto c = runtime::lm::generation_claim(j.input, run->generation, *text);
    run->claim = Claim{c.output, c.output_root, c.trace_root, c.steps, c.input_root};
    runs_.emplace_front(j.id, run);
    if (runs_.size() > kRunsKept) runs_.pop_back();
    return std::shared_ptr<const GenerationRun>(run);
}

Result<std::shared_ptr<const GenerationStep>, std::string> GenerationAgent::step_of(const JobRecord& j,
                                                                                     const GenerationRun& run,
                                                                                     std::uint64_t t) {
    const auto key = std::make_pair(j.id, t);
    if (auto it = steps_.find(key); it != steps_.end()) return it->second;
    // The node keeps its generation's states, not its traces: the steps t - 1 and t are run again.
    std::shared_ptr<const trace::ExecutionTrace> prev, cur;
    auto g = lms_.generate_onchain(*run.lm, run.spec, run.lie, [&](std::uint32_t pos, const runtime::RunResult& r) {
        if (pos + 1 == t) prev = r.trace;
        if (pos == t) cur = r.trace;
    });
    if (!g) return fail(g.error());
    if (!cur || (t > 0 && !prev)) return fail(std::string("step out of range"));
    auto s = std::make_shared<GenerationStep>();
    s->opening = runtime::lm::open_step(run.lm->manifest, run.generation, t, *cur, prev.get());
    s->trace = cur;
    steps_[key] = s;
    return std::shared_ptr<const GenerationStep>(s);
}

const ir::ModelCommitment& GenerationAgent::commitment(const LanguageModel& lm) {
    auto& c = commitments_[&lm];
    if (!c) c = std::make_shared<const ir::ModelCommitment>(ir::commit_model(lm.generator->step_program().program));
    return *c;
}

std::optional<GameView> GenerationAgent::game_view(std::uint64_t id) {
    auto r = outbox_.call(cfg_.contracts.generation_game, get_game_call(id), round_block_);
    if (!r) return std::nullopt;
    return decode_game_view(*r);
}

std::optional<GenerationView> GenerationAgent::generation_view(std::uint64_t id) {
    auto r = outbox_.call(cfg_.contracts.generation_game, get_generation_call(id), round_block_);
    if (!r) return std::nullopt;
    return decode_generation_view(*r);
}

Result<bool, std::string> GenerationAgent::step(std::uint64_t chain_time) {
    chain_time_ = chain_time;
    auto n = outbox_.eth().block_number();
    round_block_ = n ? chain::BlockId::number(*n) : chain::BlockId::latest();
    bool busy = SIGIL_TRY(scan_games());
    auto games = store_.games(GameState::playing);
    if (!games) return fail(games.error().describe());
    for (auto& g : *games) {
        if (g.game_id >= kGenerationGameIds) busy = SIGIL_TRY(play(g)) || busy;
    }
    return busy;
}

Result<bool, std::string> GenerationAgent::scan_games() {
    // The count and every game read at the round's block: a game made after it waits a round
    // (read at a later block than its count, a new game would look like nobody's and be skipped).
    auto ret = outbox_.call(cfg_.contracts.generation_game, game_count_call(), round_block_);
    auto count = ret ? decode_uint(*ret) : std::nullopt;
    if (!count) return false;
    auto next = store_.meta_u64("generation_games_scanned");
    if (!next) return fail(next.error().describe());
    std::uint64_t id = std::max<std::uint64_t>(*next, 1);
    const auto last = static_cast<std::uint64_t>(*count);
    bool any = false;
    for (std::uint64_t k = 0; id <= last && k < kScanPerRound; ++id, ++k) {
        auto gv = game_view(id);
        if (!gv) return any;  // RPC failure: resume here next round
        if (gv->defender == self_ || gv->challenger == self_) {
            auto known = store_.game(kGenerationGameIds + id);
            if (!known) return fail(known.error().describe());
            if (!known->has_value()) {
                GameRecord g;
                g.game_id = kGenerationGameIds + id;
                g.request_id = gv->request_id;
                g.role = gv->defender == self_ ? GameRole::defender : GameRole::challenger;
                if (auto put = store_.put_game(g); !put) return fail(put.error().describe());
                log_json(LogLevel::info, "generation dispute game",
                         {{"game", id}, {"request", to_hex(g.request_id)}, {"role", to_string(g.role)}});
            }
            if (gv->challenger == self_) {
                SIGIL_TRY_VOID(
                    mark_challenged(store_, gv->request_id, gv->defender, "generation game " + std::to_string(id)));
            }
            any = true;
        }
        if (auto set = store_.set_meta_u64("generation_games_scanned", id + 1); !set) {
            return fail(set.error().describe());
        }
    }
    return any;
}

Result<std::pair<Bytes, const char*>, std::string> GenerationAgent::plan(std::uint64_t game, const GameView& gv,
                                                                         const GenerationView& gen,
                                                                         const JobRecord& j,
                                                                         const GenerationRun& run) {
    if (gv.challenger == self_) return plan_challenger(game, gv, gen, j, run);
    const auto& m = run.lm->manifest;
    if (gv.phase == GamePhase::descend && !gen.played) {
        const auto [l, r] = runtime::lm::tree_children(run.leaves, static_cast<unsigned>(gv.height), gv.index);
        return std::make_pair(descend_call(game, l, r), "descend_generation");
    }
    if (gv.phase == GamePhase::step_reveal) {
        runtime::lm::StepOpening o;  // a leaf past the last step is zero: nothing to open
        if (gv.index < run.leaves.size()) o = SIGIL_TRY(step_of(j, run, gv.index))->opening;
        return std::make_pair(reveal_step_call(game, j.job, j.input, m, o), "reveal_step");
    }
    if (!gen.played) return fail(std::string("not_our_move"));
    // Inside step t's run: the moves of a single run, from the step's trace.
    const auto st = SIGIL_TRY(step_of(j, run, gen.step));
    const proof::Party party(*st->trace, commitment(*run.lm));
    const std::uint64_t k = gv.hi;
    switch (gv.phase) {
        case GamePhase::bisect:
            return std::make_pair(bisect_call(game, party.state((gv.lo + gv.hi) / 2)), "bisect");
        case GamePhase::reveal:
            return std::make_pair(reveal_output_call(game, party.reveal_output(k)), "reveal");
        case GamePhase::descend: {
            const auto [l, r] = party.children(k, static_cast<unsigned>(gv.height), gv.index);
            return std::make_pair(descend_call(game, l, r), "descend");
        }
        default:
            return fail(std::string("not_our_move"));
    }
}

Result<bool, std::string> GenerationAgent::play(GameRecord& g) {
    const std::uint64_t id = g.game_id - kGenerationGameIds;
    auto gv = game_view(id);
    if (!gv) return false;
    bool defender_lost = false;
    if (gv->phase != GamePhase::done && gv->phase != GamePhase::none) {
        auto r = outbox_.call(cfg_.contracts.generation_game, lost_call(gv->request_id, gv->defender), round_block_);
        auto v = r ? decode_uint(*r) : std::nullopt;
        if (!v) return false;
        defender_lost = *v != 0;
    }
    const auto action = decide_game(g.role, *gv, defender_lost, chain_time_, outbox_.pending(g.tx_hash));
    if (action == GameAction::finish) return finish(g, *gv);
    if (action == GameAction::release) {
        g.intent = "release:" + gv->position();
        auto out = outbox_.submit(g, g.request_id, cfg_.contracts.generation_game, release_call(id), "release",
                                  kGenerationChannel);
        if (!out) return fail(out.error().describe());
        if (auto p = store_.put_game(g); !p) return fail(p.error().describe());
        return true;
    }
    if (action != GameAction::move && action != GameAction::timeout) return false;
    auto job = store_.job(g.request_id);
    if (!job) return fail(job.error().describe());
    if (!job->has_value()) return false;
    const JobRecord& j = **job;
    const std::string pos = gv->position();
    std::pair<Bytes, const char*> mv;
    if (action == GameAction::timeout) {
        mv = {timeout_call(id, j.job), "timeout"};
        g.intent = "timeout:" + pos;
    } else {
        auto gen = generation_view(id);
        if (!gen) return false;
        auto run = run_of(j);
        auto planned = run ? plan(id, *gv, *gen, j, **run) : fail(run.error());
        if (!planned) {
            if (g.reason != planned.error()) {
                g.reason = planned.error();
                if (auto p = store_.put_game(g); !p) return fail(p.error().describe());
                log_json(LogLevel::warn, "no move in a generation game", {{"game", id}, {"why", g.reason}});
            }
            return false;
        }
        mv = std::move(*planned);
        g.intent = pos;
    }
    auto out = outbox_.submit(g, g.request_id, cfg_.contracts.generation_game, mv.first, mv.second, kGenerationChannel);
    if (!out) return fail(out.error().describe());
    if (out->success()) {
        ++g.moves;
        g.gas_used += out->gas;
        g.reason.clear();
    } else {
        log_json(LogLevel::info, "generation dispute move refused", {{"game", id}, {"kind", mv.second}, {"why", out->revert}});
    }
    if (auto p = store_.put_game(g); !p) return fail(p.error().describe());
    return true;
}

Result<std::pair<Bytes, const char*>, std::string> GenerationAgent::plan_challenger(
    std::uint64_t game, const GameView& gv, const GenerationView& gen, const JobRecord& j, const GenerationRun& run) {
    const auto& m = run.lm->manifest;
    if (gv.phase == GamePhase::descend && !gen.played) {
        // The leftmost child that differs from ours (our tree laid over theirs: a claim whose
        // length differs from ours with the same tokens breaks the stopping rules, refuted at once).
        std::vector<Hash> ours = run.leaves;
        ours.resize(gen.token_steps);
        const auto mine = runtime::lm::tree_children(ours, static_cast<unsigned>(gv.height), gv.index);
        return std::make_pair(pick_call(game, gv.left == mine.first), "pick_generation");
    }
    if (gv.phase == GamePhase::step_dispute) {
        const std::uint64_t t = gen.step;
        if (t < run.generation.states.size() && run.generation.states[t] == gen.state) {
            // The step's run is ours: the token after it is what is wrong, if anything.
            auto c = store_.challenge(gv.request_id, gv.defender);
            if (!c) return fail(c.error().describe());
            const auto theirs = c->has_value() ? decode_claim((*c)->claim_abi) : std::nullopt;
            if (!theirs) return fail(std::string("their_claim_unknown"));
            const std::size_t n = run.spec.prompt.size();
            runtime::lm::LogitsOpening lo;
            if (t + 1 >= n) lo = runtime::lm::open_logits(m, *SIGIL_TRY(step_of(j, run, t))->trace);
            // What the contract will decide: the token the prompt or the sampler gives (our own
            // run's token may be a lie of ours), and whether their token list disagrees.
            std::uint32_t expected = 0;
            bool list_differs = false;
            if (t + 1 < n) {
                expected = run.spec.prompt[t + 1];
            } else {
                std::vector<std::int32_t> row(m.vocab);
                const auto dtype = m.logits_width == 1 ? ir::DType::int8 : ir::DType::int32;
                for (std::uint32_t i = 0; i < m.vocab; ++i) row[i] = kernels::load_element(lo.row, dtype, i);
                expected = runtime::lm::sample(row, {m.logits_multiplier, m.logits_shift}, run.spec.options.sampling,
                                               t + 1 - n);
                const auto told = runtime::lm::decode_completion_output(theirs->output);
                list_differs = told && told->first.size() > t + 1 - n && told->first[t + 1 - n] != gen.next;
            }
            if (expected == gen.next && !list_differs) return fail(std::string("no_winning_move"));
            // A greedy step needs two logits of the row, not all of it (GenerationLib.greedyWitness).
            if (t + 1 >= n && run.spec.options.sampling.temperature_milli == 0 && gen.next < m.vocab) {
                lo.row = runtime::lm::greedy_witness(m, lo.row, expected, gen.next);
            }
            return std::make_pair(
                generation_call(bindings::generation_game::fn::proveToken,
                                {abi::Value::uint(game), j.job, claim_value(*theirs), abi::Value::dyn_bytes(j.input),
                                 runtime::lm::manifest_value(m), hashes_value(lo.path), abi::Value::dyn_bytes(lo.row)}),
                "prove_token");
        }
        return std::make_pair(generation_call(bindings::generation_game::fn::playStep,
                                              {abi::Value::uint(game), j.job, abi::Value::dyn_bytes(j.input),
                                               runtime::lm::manifest_value(m)}),
                              "play_step");
    }
    if (!gen.played) return fail(std::string("not_our_move"));
    const auto st = SIGIL_TRY(step_of(j, run, gen.step));
    const proof::Party party(*st->trace, commitment(*run.lm));
    const std::uint64_t k = gv.hi;
    switch (gv.phase) {
        case GamePhase::bisect:
            return std::make_pair(choose_call(game, party.agrees((gv.lo + gv.hi) / 2, gv.pending)), "choose");
        case GamePhase::descend:
            return std::make_pair(
                pick_call(game,
                          party.pick(k, static_cast<unsigned>(gv.height), gv.index, gv.left, gv.right).value_or(false)),
                "pick");
        case GamePhase::one_step: {
            const proof::OneStepMove mv = party.one_step(k, gv.index, gv.node);
            if (mv.kind == proof::OneStepMove::Kind::padding) {
                return std::make_pair(prove_padding_call(game, j.job), "prove_padding");
            }
            if (mv.kind != proof::OneStepMove::Kind::element) return fail(std::string("no_winning_move"));
            // What the contract will decide: the value recomputed from the agreed S_{k-1} against
            // the defender's element (a challenger whose own run is wrong has no winning proof).
            const auto& p = run.lm->generator->step_program().program;
            const auto dtype = p.tensors[p.ops[static_cast<std::size_t>(k - 1)].output].dtype;
            const auto width = ir::dtype_size(dtype);
            const auto theirs = kernels::load_element(BytesView(gv.node.data(), gv.node.size()), dtype,
                                                      (mv.proof.element * width % trace::kChunkSize) / width);
            const auto truth = trace::recompute_element(gv.model_root, gv.lo_state, mv.proof);
            if (!truth || *truth == theirs) return fail(std::string("no_winning_move"));
            return std::make_pair(prove_element_call(game, j.job, mv.proof), "prove_element");
        }
        default:
            return fail(std::string("not_our_move"));
    }
}

Result<bool, std::string> GenerationAgent::finish_check(ChallengeRecord& c, ClaimCheck st, const std::string& reason) {
    c.state = st;
    c.reason = reason;
    if (auto p = store_.put_challenge(c); !p) return fail(p.error().describe());
    log_json(st == ClaimCheck::failed ? LogLevel::warn : LogLevel::info, "generation claim checked",
             {{"request", to_hex(c.request_id)},
              {"operator", to_checksum(c.op)},
              {"result", to_string(st)},
              {"reason", reason}});
    return true;
}

Result<SentTx, std::string> GenerationAgent::send_check(ChallengeRecord& c, ClaimCheck st, const Address& to,
                                                        const Bytes& call, const char* kind) {
    c.state = st;  // the intent, stored before the transaction
    auto out = outbox_.submit(c, c.request_id, to, call, kind, kGenerationChannel);
    if (!out) return fail(out.error().describe());
    return *out;
}

Result<bool, std::string> GenerationAgent::refute(ChallengeRecord& c, const std::string& reason, const Bytes& call,
                                                  const char* kind) {
    c.reason = reason;
    const SentTx out = SIGIL_TRY(send_check(c, ClaimCheck::refuting, claims_, call, kind));
    if (out.success()) return finish_check(c, ClaimCheck::refuted, reason);
    if (++c.attempts > 12) return finish_check(c, ClaimCheck::failed, std::string(kind) + ": " + out.revert);
    if (auto p = store_.put_challenge(c); !p) return fail(p.error().describe());
    return true;
}

Result<bool, std::string> GenerationAgent::check_claim(ChallengeRecord& c, const JobRecord& j, const Claim& theirs) {
    if (c.state == ClaimCheck::challenging || c.state == ClaimCheck::refuting) {
        if (outbox_.pending(c.tx_hash)) return false;
        if (c.state == ClaimCheck::refuting) {
            auto r = outbox_.call(cfg_.contracts.generation_game, lost_call(c.request_id, c.op));
            auto v = r ? decode_uint(*r) : std::nullopt;
            if (!v) return false;
            if (*v != 0) return finish_check(c, ClaimCheck::refuted, c.reason);
        }
        c.state = ClaimCheck::pending;  // did not land: look again from the start
    }
    auto run = run_of(j);
    if (!run) return finish_check(c, ClaimCheck::skipped, run.error());
    const GenerationRun& r = **run;
    if (hash_claim(r.claim) == hash_claim(theirs)) return finish_check(c, ClaimCheck::agreed, "");
    // A k > 1 request whose reveals disagree: a seat whose own claim differs plays the conflict.
    auto rv0 = outbox_.call(cfg_.contracts.coordinator, get_request_call(c.request_id));
    if (!rv0) return false;
    const auto req0 = decode_request_view(*rv0);
    if (!req0) return false;
    if (c.revealed && req0->status == RequestStatus::open) return false;  // reveals still coming
    if (req0->status == RequestStatus::conflict && cfg_.challenger.conflicts) {
        auto mine = outbox_.call(cfg_.contracts.coordinator, entry_of_call(c.request_id, self_));
        if (!mine) return false;
        if (mine->size() != 32 || !std::equal(mine->begin(), mine->end(), hash_claim(r.claim).begin())) {
            return finish_check(c, ClaimCheck::skipped, "not_seated");
        }
        SIGIL_TRY_VOID(ensure_bond());
        return open_game(c,
                         generation_call(bindings::generation_game::fn::challengeConflict,
                                         {abi::Value::bytes_n(c.request_id), j.job, claim_value(theirs),
                                          abi::Value::address(c.op), claim_value(r.claim)}),
                         "challenge_conflict");
    }
    if (cfg_.challenger.mode == ChallengeMode::off) return finish_check(c, ClaimCheck::skipped, "challenger_off");
    SIGIL_TRY_VOID(ensure_bond());
    if (bond_ == 0) return false;
    const auto& m = r.lm->manifest;
    // The rules that need no execution first: refuted at once, no bond.
    std::string fault;
    std::optional<std::pair<std::vector<std::uint32_t>, std::string>> told;
    if ((theirs.steps & runtime::lm::kGenerationFlag) == 0) {
        fault = "kind";
    } else if (auto bad = runtime::lm::spec_fault(r.spec, m, j.model_root); !bad.empty()) {
        fault = bad;
    } else if (theirs.input_root != trace::tensor_root(j.input)) {
        fault = "input root";
    } else if (auto out = runtime::lm::decode_completion_output(theirs.output); !out) {
        fault = "output encoding";
    } else {
        told = *out;
        fault = runtime::lm::tokens_fault(r.spec, m, out->first, theirs.steps & ~runtime::lm::kGenerationFlag);
    }
    if (!fault.empty()) {
        return refute(
            c, fault,
            generation_call(bindings::generation_claims::fn::proveClaim,
                            {abi::Value::bytes_n(c.request_id), j.job, claim_value(theirs), abi::Value::address(c.op),
                             abi::Value::dyn_bytes(j.input), runtime::lm::manifest_value(m)}),
            "prove_claim");
    }
    if (auto text = r.lm->vocab.decode(told->first); text && *text != told->second) {
        std::vector<Hash> leaves;
        for (std::uint32_t i = 0; i < r.lm->vocab.size(); ++i)
            leaves.push_back(keccak256(as_bytes(r.lm->vocab.text(i))));
        std::vector<abi::Value> texts, paths;
        for (auto tok : told->first) {
            texts.push_back(abi::Value::dyn_bytes(as_bytes(r.lm->vocab.text(tok))));
            paths.push_back(hashes_value(merkle_proof(leaves, tok)));
        }
        return refute(
            c, "text",
            generation_call(bindings::generation_claims::fn::proveText,
                            {abi::Value::bytes_n(c.request_id), j.job, claim_value(theirs), abi::Value::address(c.op),
                             abi::Value::dyn_bytes(j.input), runtime::lm::manifest_value(m),
                             abi::Value::array(std::move(texts)), abi::Value::array(std::move(paths))}),
            "prove_text");
    }
    // A game: only on the request's answer, within its window (the request as read above).
    auto ans = outbox_.call(cfg_.contracts.coordinator, answer_of_call(c.request_id));
    if (!ans || ans->size() != 32) return false;
    const RequestView& req = *req0;
    if (req.status == RequestStatus::open) return false;
    if (req.status != RequestStatus::answered && req.status != RequestStatus::disputed) {
        return finish_check(c, ClaimCheck::skipped, "request_closed");
    }
    if (chain_time_ >= req.final_at) return finish_check(c, ClaimCheck::skipped, "window_closed");
    if (!std::equal(ans->begin(), ans->end(), hash_claim(theirs).begin())) {
        return finish_check(c, ClaimCheck::skipped, "not_the_answer");
    }
    log_json(LogLevel::warn, "wrong generation claim",
             {{"request", to_hex(c.request_id)}, {"operator", to_checksum(c.op)}});
    return open_game(
        c,
        generation_call(bindings::generation_game::fn::challenge,
                        {abi::Value::bytes_n(c.request_id), j.job, claim_value(theirs), abi::Value::address(c.op)}),
        "challenge");
}

Result<void, std::string> GenerationAgent::ensure_bond() {
    if (bond_ != 0) return {};
    auto b = outbox_.call_uint(cfg_.contracts.generation_game, bond_call());
    auto t = outbox_.call_uint(cfg_.contracts.generation_game, bond_token_call());
    auto cl =
        outbox_.call_uint(cfg_.contracts.generation_game, generation_call(bindings::generation_game::fn::claims, {}));
    if (!b || !t || !cl) return {};  // RPC failure: bond_ stays 0, next round
    bond_ = *b;
    bond_token_ = address_from_word(to_be32(*t));
    claims_ = address_from_word(to_be32(*cl));
    return {};
}

Result<bool, std::string> GenerationAgent::open_game(ChallengeRecord& c, const Bytes& call, const char* kind) {
    if (bond_ == 0) return false;
    const SentTx ap = outbox_.send(bond_token_, approve_call(cfg_.contracts.generation_game, bond_), "approve",
                                   kGenerationChannel, nullptr, c.request_id);
    if (!ap.success()) {
        if (++c.attempts > 12) return finish_check(c, ClaimCheck::failed, "approve: " + ap.revert);
        if (auto p = store_.put_challenge(c); !p) return fail(p.error().describe());
        return false;
    }
    const SentTx out = SIGIL_TRY(send_check(c, ClaimCheck::challenging, cfg_.contracts.generation_game, call, kind));
    if (out.success() || out.revert == "AlreadyChallenged") return true;  // scan_games records our game
    if (out.revert == "WindowClosed" || out.revert == "NotTheClaim" || out.revert == "NotConflict") {
        return finish_check(c, ClaimCheck::failed, out.revert);
    }
    if (++c.attempts > 12) return finish_check(c, ClaimCheck::failed, std::string(kind) + ": " + out.revert);
    c.state = ClaimCheck::pending;
    if (auto p = store_.put_challenge(c); !p) return fail(p.error().describe());
    return true;
}

Result<bool, std::string> GenerationAgent::finish(GameRecord& g, const GameView& gv) {
    const bool won = gv.defender_won == (g.role == GameRole::defender);
    if (gv.conflict && won) {
        // Our claim survived a conflict game: end the conflict with it once no other claim stands.
        auto rv = outbox_.call(cfg_.contracts.coordinator, get_request_call(g.request_id));
        if (!rv) return false;
        const auto req = decode_request_view(*rv);
        if (!req) return false;
        if (req->status == RequestStatus::conflict) {
            if (g.intent == "resolve" && outbox_.pending(g.tx_hash)) return false;
            auto job = store_.job(g.request_id);
            if (!job) return fail(job.error().describe());
            if (!job->has_value()) return false;
            auto run = run_of(**job);
            SIGIL_TRY_VOID(ensure_bond());
            if (!run || claims_ == Address{}) return false;
            g.intent = "resolve";
            auto out = outbox_.submit(g, g.request_id, claims_,
                                      generation_call(bindings::generation_claims::fn::resolve,
                                                      {abi::Value::uint(g.game_id - kGenerationGameIds), (*job)->job,
                                                       claim_value((*run)->claim)}),
                                      "resolve", kGenerationChannel);
            if (!out) return fail(out.error().describe());
            if (auto p = store_.put_game(g); !p) return fail(p.error().describe());
            // Contested (another seat's claim still stands) or an RPC failure: look again next round.
            if (!out->success()) return false;
        }
    }
    g.state = won ? GameState::won : GameState::lost;
    g.reason = gv.defender_won ? "defender_won" : "challenger_won";
    if (auto p = store_.put_game(g); !p) return fail(p.error().describe());
    log_json(won ? LogLevel::info : LogLevel::warn, "generation dispute game ended",
             {{"game", g.game_id - kGenerationGameIds},
              {"request", to_hex(g.request_id)},
              {"result", to_string(g.state)},
              {"moves", g.moves},
              {"gas", g.gas_used}});
    return true;
}

}  // namespace sigil::node
