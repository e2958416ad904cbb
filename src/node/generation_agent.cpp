#include "node/generation_agent.hpp"

#include "bindings/abi_tables.hpp"
#include "bindings/coordinator.hpp"
#include "bindings/game_lib.hpp"
#include "bindings/generation_game.hpp"
#include "core/abi/codec.hpp"
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
    const LanguageModel* lm = lms_.find_onchain(j.model_root);
    if (lm == nullptr) return fail(std::string("model_not_served"));
    auto spec = runtime::lm::decode_spec(j.input);
    if (!spec) return fail(spec.error());
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
    auto count = outbox_.call_uint(cfg_.contracts.generation_game, game_count_call());
    if (!count) return false;
    auto next = store_.meta_u64("generation_games_scanned");
    if (!next) return fail(next.error().describe());
    std::uint64_t id = std::max<std::uint64_t>(*next, 1);
    const auto last = static_cast<std::uint64_t>(*count);
    bool any = false;
    for (std::uint64_t k = 0; id <= last && k < kScanPerRound; ++id, ++k) {
        auto gv = game_view(id);
        if (!gv) return any;  // RPC failure: resume here next round
        if (gv->defender == self_) {
            auto known = store_.game(kGenerationGameIds + id);
            if (!known) return fail(known.error().describe());
            if (!known->has_value()) {
                GameRecord g;
                g.game_id = kGenerationGameIds + id;
                g.request_id = gv->request_id;
                g.role = GameRole::defender;
                if (auto put = store_.put_game(g); !put) return fail(put.error().describe());
                log_json(LogLevel::info, "generation dispute game",
                         {{"game", id}, {"request", to_hex(g.request_id)}, {"role", "defender"}});
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
    const auto action = decide_game(g.role, *gv, false, chain_time_, outbox_.pending(g.tx_hash));
    if (action == GameAction::finish) return finish(g, *gv);
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

Result<bool, std::string> GenerationAgent::finish(GameRecord& g, const GameView& gv) {
    const bool won = gv.defender_won == (g.role == GameRole::defender);
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
