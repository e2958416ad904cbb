// The dispute agents' pure parts and their storage: the faulty node's lie, the challenger's
// sample, the traces they play from, the [challenger] / [fault] configuration and the games and
// challenges tables.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/ir/codec.hpp"
#include "core/keccak.hpp"
#include "core/merkle.hpp"
#include "core/trace/chunks.hpp"
#include "node/catalog.hpp"
#include "node/claim_proofs.hpp"
#include "node/dispute_abi.hpp"
#include "node/dispute_agent.hpp"
#include "node/dispute_trace.hpp"
#include "node/store.hpp"
#include "node/worker_pool.hpp"
#include "proof/game.hpp"
#include "runtime/exec/sample_models.hpp"

namespace sigil::node {
namespace {

Hash id_of(std::uint32_t i) { return keccak256(as_bytes("request " + std::to_string(i))); }

std::filesystem::path temp_dir(const std::string& name) {
    auto d = std::filesystem::temp_directory_path() / ("sigil-dispute-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
}

Catalog sample_catalog() {
    const auto dir = temp_dir("model");
    const Bytes prog = ir::save_program(runtime::sample_mlp(1, 7));
    std::ofstream(dir / "m.sigil", std::ios::binary)
        .write(reinterpret_cast<const char*>(prog.data()), static_cast<std::streamsize>(prog.size()));
    ModelConfig mc;
    mc.program = dir / "m.sigil";
    return Catalog::load({mc}).value();
}

TEST(node_fault, lie_is_deterministic_in_range_and_follows_the_probability) {
    const auto program = runtime::sample_mlp(1, 7);
    const FaultConfig off{};
    EXPECT_FALSE(lie_for(id_of(1), off, program).has_value());
    const FaultConfig always{1.0, 7};
    int lies = 0;
    std::set<std::uint64_t> steps;
    for (std::uint32_t i = 0; i < 200; ++i) {
        const auto a = lie_for(id_of(i), always, program);
        const auto b = lie_for(id_of(i), always, program);  // a restarted node tells the same lie
        ASSERT_TRUE(a && b);
        EXPECT_EQ(a->step, b->step);
        EXPECT_EQ(a->element, b->element);
        EXPECT_EQ(a->mask, b->mask);
        ASSERT_GE(a->step, 1u);
        ASSERT_LE(a->step, program.ops.size());
        const auto& out = program.tensors[program.ops[a->step - 1].output];
        EXPECT_LT(a->element, ir::element_count(out.shape));
        EXPECT_NE(a->mask, 0);
        steps.insert(a->step);
        if (lie_for(id_of(i), FaultConfig{0.25, 7}, program)) ++lies;
    }
    EXPECT_EQ(steps.size(), program.ops.size());  // every step is lied at for some request
    EXPECT_GT(lies, 25);
    EXPECT_LT(lies, 75);
    // Another seed, another place.
    int same = 0;
    for (std::uint32_t i = 0; i < 50; ++i) {
        const auto a = lie_for(id_of(i), always, program);
        const auto b = lie_for(id_of(i), FaultConfig{1.0, 8}, program);
        same += a->step == b->step && a->element == b->element ? 1 : 0;
    }
    EXPECT_LT(same, 10);
}

TEST(node_challenger, sample_is_deterministic_and_near_the_probability) {
    ChallengerConfig c;
    const Address self{};
    c.mode = ChallengeMode::off;
    EXPECT_FALSE(DisputeAgent::sampled(c, self, id_of(1)));
    c.mode = ChallengeMode::all;
    EXPECT_TRUE(DisputeAgent::sampled(c, self, id_of(1)));
    c.mode = ChallengeMode::sample;
    c.probability = 0.3;
    int hits = 0;
    for (std::uint32_t i = 0; i < 400; ++i) {
        const bool s = DisputeAgent::sampled(c, self, id_of(i));
        EXPECT_EQ(s, DisputeAgent::sampled(c, self, id_of(i)));
        hits += s ? 1 : 0;
    }
    EXPECT_GT(hits, 80);
    EXPECT_LT(hits, 160);
}

TEST(node_dispute_trace, honest_rebuild_matches_the_runtime_and_the_lie_changes_one_step) {
    const Catalog cat = sample_catalog();
    const ServedModel& m = cat.models()[0];
    Bytes input(784);
    for (std::size_t i = 0; i < input.size(); ++i) input[i] = static_cast<std::uint8_t>(i * 31 + 7);
    auto honest = build_trace(m, input, std::nullopt);
    ASSERT_TRUE(honest.has_value()) << honest.error();
    auto run = run_model(m, input);
    ASSERT_TRUE(run.has_value());
    EXPECT_EQ(hash_claim((*honest)->claim), hash_claim(*run));  // what the node delivered
    EXPECT_FALSE(build_trace(m, BytesView(input.data(), 10), std::nullopt).has_value());

    const FaultConfig always{1.0, 1};
    for (std::uint32_t r = 0; r < 6; ++r) {
        const auto lie = lie_for(id_of(r), always, *m.program);
        auto liar = build_trace(m, input, lie);
        ASSERT_TRUE(liar.has_value());
        EXPECT_NE(hash_claim((*liar)->claim), hash_claim(*run));
        // States agree before the lie and differ from it on: the bisection lands on lie->step.
        const proof::Party h(*(*honest)->trace, ir::commit_model(*m.program));
        std::vector<Hash> other;
        for (std::size_t i = 0; i <= (*liar)->trace->steps(); ++i) other.push_back((*liar)->trace->state(i));
        EXPECT_EQ(h.first_disagreement(other), lie->step);
    }
    TraceCache cache(2);
    ASSERT_TRUE(cache.get(id_of(1), m, input, always).has_value());
    ASSERT_TRUE(cache.get(id_of(1), m, input, always).has_value());
    EXPECT_EQ(cache.builds(), 1u);
    ASSERT_TRUE(cache.get(id_of(2), m, input, always).has_value());
    ASSERT_TRUE(cache.get(id_of(3), m, input, always).has_value());
    ASSERT_TRUE(cache.get(id_of(1), m, input, always).has_value());  // evicted, built again
    EXPECT_EQ(cache.builds(), 4u);
}

TEST(node_fault, kinds_lie_at_the_claim_ends_and_each_is_refuted_by_its_proof) {
    const Catalog cat = sample_catalog();
    const ServedModel& m = cat.models()[0];
    const ir::Program& p = *m.program;
    Bytes input(784);
    for (std::size_t i = 0; i < input.size(); ++i) input[i] = static_cast<std::uint8_t>(i * 13 + 1);
    const Hash inline_hash = keccak256(input);
    const auto honest = build_trace(m, input, std::nullopt).value();
    const Claim& h = honest->claim;
    // An honest claim: no one-shot proof applies, inline input or not.
    EXPECT_FALSE(one_shot_proof(h, inline_hash, input).has_value());
    EXPECT_FALSE(one_shot_proof(h, Hash{}, input).has_value());
    const Hash out_n = trace::tensor_root(honest->trace->tensor(p.ops.back().output));
    EXPECT_EQ(out_n, h.output_root);  // the claim's output is step N's

    EXPECT_FALSE(shape_differs(h, h));
    for (const auto kind : {FaultKind::trace, FaultKind::input_root, FaultKind::output_bytes, FaultKind::output_root,
                            FaultKind::steps}) {
        const FaultConfig fault{1.0, 5, kind};
        for (std::uint32_t r = 0; r < 8; ++r) {
            const auto lie = lie_for(id_of(r), fault, p);
            ASSERT_TRUE(lie.has_value());
            EXPECT_EQ(lie->kind, kind);
            EXPECT_EQ(lie, lie_for(id_of(r), fault, p).value()) << "deterministic";
            EXPECT_NE(lie->mask, 0);
            const auto liar = build_trace(m, input, lie).value();
            const Claim& c = liar->claim;
            EXPECT_NE(hash_claim(c), hash_claim(h)) << to_string(kind);
            EXPECT_EQ(c.steps, h.steps + (kind == FaultKind::steps ? 1 : 0));
            EXPECT_EQ(shape_differs(c, h), kind == FaultKind::steps);
            const auto proof = one_shot_proof(c, inline_hash, input);
            switch (kind) {
                case FaultKind::token:  // generation requests only (generation_agent_test.cpp)
                    break;
                case FaultKind::trace:
                    // Consistent ends: only the game finds it, at lie->step.
                    EXPECT_GE(lie->step, 1u);
                    EXPECT_FALSE(proof.has_value());
                    EXPECT_NE(c.trace_root, h.trace_root);
                    break;
                case FaultKind::input_root:
                    EXPECT_LT(lie->element, 32u);
                    EXPECT_EQ(proof, ClaimProof::input_mismatch);
                    // Without inline input (inputHash 0, or bytes that are not the job's) there is no proof.
                    EXPECT_FALSE(one_shot_proof(c, Hash{}, input).has_value());
                    EXPECT_FALSE(one_shot_proof(c, id_of(99), input).has_value());
                    EXPECT_NE(c.input_root, h.input_root);
                    EXPECT_EQ(c.output, h.output);
                    EXPECT_EQ(c.trace_root, h.trace_root);  // the trace it defends is the honest one
                    break;
                case FaultKind::output_bytes:
                    EXPECT_EQ(proof, ClaimProof::output_mismatch);
                    EXPECT_NE(c.output, h.output);
                    EXPECT_EQ(c.output_root, h.output_root);
                    EXPECT_EQ(c.trace_root, h.trace_root);
                    EXPECT_EQ(c.input_root, h.input_root);
                    break;
                case FaultKind::output_root:
                    // Bytes and root agree with each other, not with step N: only proveFinalOutput.
                    EXPECT_FALSE(proof.has_value());
                    EXPECT_EQ(c.output_root, trace::tensor_root(c.output));
                    EXPECT_NE(c.output_root, out_n);
                    EXPECT_EQ(c.trace_root, h.trace_root);
                    EXPECT_EQ(c.input_root, h.input_root);
                    break;
                case FaultKind::steps:
                    // Every root honest, one step too many: only proveShape, from the model's record.
                    EXPECT_FALSE(proof.has_value());
                    EXPECT_EQ(c.output, h.output);
                    EXPECT_EQ(c.trace_root, h.trace_root);
                    break;
            }
            if (kind != FaultKind::trace) {
                EXPECT_EQ(lie->step, 0u);
                for (std::size_t i = 0; i <= honest->trace->steps(); ++i) {
                    ASSERT_EQ(liar->trace->state(i), honest->trace->state(i)) << "the trace stays honest";
                }
            }
        }
    }
    // An empty output (outputRoot alone) has no bytes to contradict it.
    Claim rootless = h;
    rootless.output.clear();
    rootless.output_root = id_of(1);
    EXPECT_FALSE(one_shot_proof(rootless, inline_hash, input).has_value());
    EXPECT_EQ(to_string(ClaimProof::input_mismatch), "input_mismatch");
    EXPECT_EQ(to_string(ClaimProof::output_mismatch), "output_mismatch");
}

TEST(node_dispute_decision, final_output_only_at_the_last_step_before_any_pick) {
    using R = GameRole;
    const Hash claimed = id_of(1);
    GameView g;
    g.steps = 7;
    g.lo = 6;
    g.hi = 7;
    g.chunk_count = 3;
    g.height = merkle_depth(3);  // 2: out_N itself
    g.node = id_of(2);
    g.deadline = 100;
    g.phase = GamePhase::descend;
    g.defender_turn = true;  // right after the reveal the defender is due; proveFinalOutput need not wait
    EXPECT_TRUE(final_output_refutes(R::challenger, g, claimed, 100));
    EXPECT_FALSE(final_output_refutes(R::challenger, g, claimed, 101));  // past the deadline: TooLate
    EXPECT_FALSE(final_output_refutes(R::defender, g, claimed, 50));
    EXPECT_FALSE(final_output_refutes(R::challenger, g, g.node, 50));  // out_N is the claim's: NoMismatch
    auto picked = g;
    picked.height = 1;  // a pick was made: the node is no longer out_N
    EXPECT_FALSE(final_output_refutes(R::challenger, picked, claimed, 50));
    auto earlier = g;
    earlier.lo = 2;
    earlier.hi = 3;  // the challenger disagreed somewhere: hiState is not the claim's S_N
    EXPECT_FALSE(final_output_refutes(R::challenger, earlier, claimed, 50));
    for (const auto phase : {GamePhase::none, GamePhase::bisect, GamePhase::reveal, GamePhase::done}) {
        auto other = g;
        other.phase = phase;
        EXPECT_FALSE(final_output_refutes(R::challenger, other, claimed, 50)) << to_string(phase);
    }
    // A one-chunk output goes from the reveal straight to OneStep (height 0 = depth(1)).
    auto single = g;
    single.phase = GamePhase::one_step;
    single.defender_turn = false;
    single.chunk_count = 1;
    single.height = 0;
    EXPECT_TRUE(final_output_refutes(R::challenger, single, claimed, 50));
}

TEST(node_dispute_abi, claim_endpoint_calls_and_the_refuted_log) {
    const auto sel = [](const std::string& sig) {
        const Hash h = keccak256(as_bytes(sig));
        return Bytes(h.begin(), h.begin() + 4);
    };
    const std::string job =
        "(address,(bytes32,bytes32,address,uint96,uint8,bool,uint32,uint32,uint32,address),bytes32,"
        "address,uint96,uint16,uint32,uint32,uint256)";
    const std::string claim = "(bytes,bytes32,bytes32,uint64,bytes32)";
    const abi::Value jv =
        decode_job(
            encode_job(abi::Value::tuple(
                {abi::Value::address(Address{}),
                 abi::Value::tuple({abi::Value::bytes_n(BytesView(id_of(1).data(), 32)),
                                    abi::Value::bytes_n(BytesView(Hash{}.data(), 32)), abi::Value::address(Address{}),
                                    abi::Value::uint(1, 96), abi::Value::uint(1, 8), abi::Value::boolean(false),
                                    abi::Value::uint(0, 32), abi::Value::uint(0, 32), abi::Value::uint(0, 32),
                                    abi::Value::address(Address{})}),
                 abi::Value::bytes_n(BytesView(id_of(7).data(), 32)), abi::Value::address(Address{}),
                 abi::Value::uint(0, 96), abi::Value::uint(0, 16), abi::Value::uint(0, 32), abi::Value::uint(0, 32),
                 abi::Value::uint(0)})))
            .value();
    EXPECT_EQ(job_input_hash(jv), id_of(7));
    EXPECT_EQ(job_input_hash(abi::Value::uint(1)), Hash{});
    const Claim c{Bytes{1, 2}, id_of(2), id_of(3), 7, id_of(4)};
    const Bytes in = prove_input_mismatch_call(id_of(5), jv, c, Address{}, Bytes{9, 9, 9});
    EXPECT_EQ(Bytes(in.begin(), in.begin() + 4),
              sel("proveInputMismatch(bytes32," + job + "," + claim + ",address,bytes)"));
    const Bytes out = prove_output_mismatch_call(id_of(5), jv, c, Address{});
    EXPECT_EQ(Bytes(out.begin(), out.begin() + 4),
              sel("proveOutputMismatch(bytes32," + job + "," + claim + ",address)"));
    // Selector from `forge inspect DisputeGame methodIdentifiers`: 27a055e2.
    proof::OutputReveal last;
    last.op_record = Bytes{1, 2, 3};
    last.op_path = {id_of(1)};
    const Bytes shape = prove_shape_call(id_of(5), jv, c, Address{}, last);
    EXPECT_EQ(to_hex(BytesView(shape.data(), 4)), "0x27a055e2");
    const Bytes fin = prove_final_output_call(3, jv, c);
    EXPECT_EQ(Bytes(fin.begin(), fin.begin() + 4), sel("proveFinalOutput(uint256," + job + "," + claim + ")"));
    EXPECT_EQ(fin[35], 3);
    const Bytes by = refuted_by_call(id_of(5));
    EXPECT_EQ(Bytes(by.begin(), by.begin() + 4), sel("refutedBy(bytes32)"));
    for (const char* e : {"NoInlineInput", "NotTheInput", "NoOutputBytes", "NotFinalOutput", "ClaimNotOpen"}) {
        const Bytes s = sel(std::string(e) + "()");
        EXPECT_EQ(dispute_revert_name(s), e);
    }
    chain::Log log;
    log.topics = {claim_refuted_topic(), id_of(6), Hash{}};
    log.topics[2][31] = 0x22;
    Address prover{};
    prover[19] = 0x33;
    log.data = abi::encode({abi::Type::address(), abi::Type::string()},
                           {abi::Value::address(prover), abi::Value::string("input root")});
    const auto r = decode_claim_refuted(log);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->request_id, id_of(6));
    EXPECT_EQ(r->op[19], 0x22);
    EXPECT_EQ(r->prover, prover);
    EXPECT_EQ(r->reason, "input root");
    log.topics[0] = resolved_topic();
    EXPECT_FALSE(decode_claim_refuted(log).has_value());
}

TEST(node_dispute_store, refuting_and_refuted_round_trip) {
    const auto dir = temp_dir("refuting");
    {
        auto s = Store::open(dir).value();
        ChallengeRecord c;
        c.request_id = id_of(1);
        c.state = ClaimCheck::refuting;
        c.reason = "input_mismatch";
        c.tx_hash = id_of(2);
        ASSERT_TRUE(s->put_challenge(c).has_value());
        c.request_id = id_of(3);
        c.state = ClaimCheck::refuted;
        c.tx_hash.reset();
        ASSERT_TRUE(s->put_challenge(c).has_value());
    }
    auto s = Store::open(dir).value();
    const auto a = s->challenge(id_of(1), Address{}).value();
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->state, ClaimCheck::refuting);
    EXPECT_EQ(a->reason, "input_mismatch");
    EXPECT_EQ(a->tx_hash, id_of(2));
    EXPECT_EQ(s->challenge(id_of(3), Address{}).value()->state, ClaimCheck::refuted);
    EXPECT_EQ(s->challenges_in({ClaimCheck::refuting}).value().size(), 1u);
    for (const auto st : {ClaimCheck::refuting, ClaimCheck::refuted})
        EXPECT_EQ(claim_check_from_string(to_string(st)), st);
    std::filesystem::remove_all(dir);
}

TEST(node_dispute_store, games_and_challenges_survive_a_reopen) {
    const auto dir = temp_dir("store");
    {
        auto s = Store::open(dir).value();
        GameRecord g;
        g.game_id = 3;
        g.request_id = id_of(3);
        g.role = GameRole::challenger;
        g.intent = "bisect:0:8:0:0:c";
        g.tx_hash = id_of(9);
        g.moves = 4;
        g.gas_used = 123456;
        ASSERT_TRUE(s->put_game(g).has_value());
        g.game_id = 4;
        g.state = GameState::won;
        g.tx_hash.reset();
        ASSERT_TRUE(s->put_game(g).has_value());
        ChallengeRecord c;
        c.request_id = id_of(3);
        c.op[0] = 0x42;
        c.state = ClaimCheck::challenging;
        c.claim_abi = encode_claim(Claim{Bytes{1, 2, 3}, id_of(4), id_of(5), 9, id_of(6)});
        c.attempts = 2;
        ASSERT_TRUE(s->put_challenge(c).has_value());
        ASSERT_TRUE(s->set_meta_u64("games_scanned", 5).has_value());
    }
    auto s = Store::open(dir).value();
    EXPECT_EQ(s->meta_u64("games_scanned").value(), 5u);
    EXPECT_EQ(s->meta_u64("absent").value(), 0u);
    auto playing = s->games(GameState::playing).value();
    ASSERT_EQ(playing.size(), 1u);
    EXPECT_EQ(playing[0].game_id, 3u);
    EXPECT_EQ(playing[0].role, GameRole::challenger);
    EXPECT_EQ(playing[0].intent, "bisect:0:8:0:0:c");
    EXPECT_EQ(playing[0].tx_hash, id_of(9));
    EXPECT_EQ(playing[0].gas_used, 123456u);
    EXPECT_EQ(s->games(std::nullopt).value().size(), 2u);
    EXPECT_FALSE(s->game(4).value()->tx_hash.has_value());
    Address op{};
    op[0] = 0x42;
    const auto c = s->challenge(id_of(3), op).value();
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->state, ClaimCheck::challenging);
    EXPECT_EQ(c->attempts, 2);
    const auto claim = decode_claim(c->claim_abi);
    ASSERT_TRUE(claim.has_value());
    EXPECT_EQ(claim->steps, 9u);
    EXPECT_EQ(claim->output, (Bytes{1, 2, 3}));
    EXPECT_EQ(s->challenges_in({ClaimCheck::pending}).value().size(), 0u);
    EXPECT_EQ(s->challenges_in({ClaimCheck::pending, ClaimCheck::challenging}).value().size(), 1u);
}

TEST(node_dispute_abi, game_view_and_claim_logs_decode) {
    // getGame's return: a static tuple of 23 words.
    Bytes ret(23 * 32, 0);
    ret[31] = 0;             // requestId ends in 0
    ret[32 + 31] = 0xaa;     // defender
    ret[4 * 32 + 31] = 9;    // steps
    ret[6 * 32 + 31] = 9;    // hi
    ret[7 * 32 + 31] = 100;  // deadline
    ret[17 * 32 + 31] = 1;   // phase bisect
    ret[18 * 32 + 31] = 1;   // defenderTurn
    const auto g = decode_game_view(ret);
    ASSERT_TRUE(g.has_value());
    EXPECT_EQ(g->defender[19], 0xaa);
    EXPECT_EQ(g->steps, 9u);
    EXPECT_EQ(g->phase, GamePhase::bisect);
    EXPECT_EQ(g->position(), "bisect:0:9:0:0:d");
    ret[17 * 32 + 31] = 7;  // step_dispute, the GenerationGame's last phase
    ASSERT_TRUE(decode_game_view(ret).has_value());
    EXPECT_EQ(decode_game_view(ret)->phase, GamePhase::step_dispute);
    ret[17 * 32 + 31] = 8;  // no such phase
    EXPECT_FALSE(decode_game_view(ret).has_value());
    EXPECT_FALSE(decode_game_view(BytesView(ret.data(), 64)).has_value());
    // Revert names of the game's errors.
    const Hash sel = keccak256(as_bytes("NoMismatch()"));
    EXPECT_EQ(dispute_revert_name(BytesView(sel.data(), 4)), "NoMismatch");
    // A Delivered log whose claim comes back whole.
    const Claim c{Bytes{7, 7}, id_of(1), id_of(2), 5, id_of(3)};
    chain::Log log;
    log.topics = {delivered_topic(), id_of(8), Hash{}};
    log.topics[2][31] = 0x11;
    log.data = abi::encode({abi::Type::bytes_n(32), claim_type()},
                           {abi::Value::bytes_n(BytesView(id_of(4).data(), 32)), claim_value(c)});
    const auto p = decode_claim_posted(log);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->id, id_of(8));
    EXPECT_EQ(p->op[19], 0x11);
    EXPECT_EQ(hash_claim(p->claim), hash_claim(c));
    EXPECT_FALSE(p->revealed);
    log.topics[0] = requested_topic();
    EXPECT_FALSE(decode_claim_posted(log).has_value());
}

GameView game_at(GamePhase phase, bool defender_turn, std::uint64_t deadline) {
    GameView g;
    g.phase = phase;
    g.defender_turn = defender_turn;
    g.deadline = deadline;
    g.steps = 8;
    g.hi = 8;
    return g;
}

TEST(node_dispute_decision, moves_timeouts_and_waits) {
    using R = GameRole;
    using A = GameAction;
    const auto bis_d = game_at(GamePhase::bisect, true, 100);
    EXPECT_EQ(decide_game(R::defender, bis_d, false, 100, false), A::move);  // the deadline itself is in time
    EXPECT_EQ(decide_game(R::defender, bis_d, false, 101, false), A::none);  // too late: the other side's timeout
    EXPECT_EQ(decide_game(R::challenger, bis_d, false, 100, false), A::none);
    EXPECT_EQ(decide_game(R::challenger, bis_d, false, 101, false), A::timeout);
    // Reveal is the defender's, one step the challenger's, whatever defender_turn says.
    EXPECT_EQ(decide_game(R::defender, game_at(GamePhase::reveal, false, 100), false, 50, false), A::move);
    EXPECT_EQ(decide_game(R::challenger, game_at(GamePhase::one_step, true, 100), false, 50, false), A::move);
    EXPECT_EQ(decide_game(R::defender, game_at(GamePhase::one_step, false, 100), false, 101, false), A::timeout);
    // A pending transaction of ours: never a second one, not even a timeout.
    EXPECT_EQ(decide_game(R::defender, bis_d, false, 50, true), A::wait);
    EXPECT_EQ(decide_game(R::challenger, bis_d, false, 500, true), A::wait);
    // Nothing there / over.
    EXPECT_EQ(decide_game(R::defender, game_at(GamePhase::none, true, 0), false, 50, false), A::none);
    EXPECT_EQ(decide_game(R::defender, game_at(GamePhase::done, true, 0), true, 50, true), A::finish);
}

TEST(node_dispute_decision, orphaned_games_are_released_by_either_side) {
    using R = GameRole;
    using A = GameAction;
    for (const auto phase : {GamePhase::bisect, GamePhase::reveal, GamePhase::descend, GamePhase::one_step}) {
        for (const bool turn : {true, false}) {
            for (const std::uint64_t now : {50u, 500u}) {
                const auto g = game_at(phase, turn, 100);
                // Defender lost elsewhere: release, whoever is due and whether or not the deadline passed
                // (a move would revert DefenderAlreadyLost; a timeout would slash twice).
                EXPECT_EQ(decide_game(R::defender, g, true, now, false), A::release) << to_string(phase);
                EXPECT_EQ(decide_game(R::challenger, g, true, now, false), A::release) << to_string(phase);
                // ... but not while a transaction of ours is pending,
                EXPECT_EQ(decide_game(R::challenger, g, true, now, true), A::wait);
                // and a game already over (lost *in this game*: same block) is finished, not released.
                auto over = g;
                over.phase = GamePhase::done;
                EXPECT_EQ(decide_game(R::challenger, over, true, now, false), A::finish);
                // Not lost: never a release.
                EXPECT_NE(decide_game(R::challenger, g, false, now, false), A::release);
                EXPECT_NE(decide_game(R::defender, g, false, now, false), A::release);
            }
        }
    }
}

TEST(node_dispute_abi, resolved_log_and_new_calls) {
    chain::Log log;
    log.topics = {resolved_topic(), Hash{}};
    log.topics[1][31] = 5;
    log.data = abi::encode({abi::Type::boolean(), abi::Type::string()},
                           {abi::Value::boolean(false), abi::Value::string("released")});
    const auto r = decode_resolved(log);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->game_id, 5u);
    EXPECT_FALSE(r->defender_won);
    EXPECT_EQ(r->reason, "released");
    log.data = abi::encode({abi::Type::boolean(), abi::Type::string()},
                           {abi::Value::boolean(true), abi::Value::string("timeout")});
    EXPECT_TRUE(decode_resolved(log)->defender_won);
    EXPECT_EQ(decode_resolved(log)->reason, "timeout");
    log.topics[0] = delivered_topic();
    EXPECT_FALSE(decode_resolved(log).has_value());
    // Selectors of the calls the agents send (DisputeGame's function signatures).
    const auto sel = [](const char* sig) {
        const Hash h = keccak256(as_bytes(sig));
        return Bytes(h.begin(), h.begin() + 4);
    };
    const Bytes rel = release_call(3);
    EXPECT_EQ(Bytes(rel.begin(), rel.begin() + 4), sel("release(uint256)"));
    EXPECT_EQ(rel.size(), 36u);
    EXPECT_EQ(rel[35], 3);
    const Bytes lo = lost_call(id_of(1), Address{});
    EXPECT_EQ(Bytes(lo.begin(), lo.begin() + 4), sel("lost(bytes32,address)"));
    const Hash t = keccak256(as_bytes("DefenderAlreadyLost()"));
    EXPECT_EQ(dispute_revert_name(BytesView(t.data(), 4)), "DefenderAlreadyLost");
}

TEST(node_dispute_store, released_state_round_trips) {
    const auto dir = temp_dir("released");
    {
        auto s = Store::open(dir).value();
        GameRecord g;
        g.game_id = 4;
        g.role = GameRole::challenger;
        g.state = GameState::released;
        g.reason = "released";
        ASSERT_TRUE(s->put_game(g).has_value());
    }
    auto s = Store::open(dir).value();
    const auto g = s->game(4).value();
    ASSERT_TRUE(g.has_value());
    EXPECT_EQ(g->state, GameState::released);
    EXPECT_TRUE(s->games(GameState::playing).value().empty());
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sigil::node
