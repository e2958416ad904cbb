// The dispute agent's one-shot refutation over an in-memory chain (node/testing/fake_chain.hpp):
// a Coordinator that answered a request with a claim whose inputRoot is not the input's, and a
// DisputeGame that takes proveInputMismatch. Time and salts come from a manual clock and a seeded
// source through the outbox, as in the engine's tests.

#include "node/dispute_agent.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "bindings/coordinator.hpp"
#include "bindings/dispute_game.hpp"
#include "chain/nonce_manager.hpp"
#include "chain/sender.hpp"
#include "chain/testing/manual_clock.hpp"
#include "chain/testing/seeded_random.hpp"
#include "core/abi/codec.hpp"
#include "core/ir/codec.hpp"
#include "core/keccak.hpp"
#include "node/abi_support.hpp"
#include "node/testing/fake_chain.hpp"
#include "node/testing/harness.hpp"
#include "runtime/exec/sample_models.hpp"

namespace sigil::node {
namespace {

namespace C = bindings::coordinator;
namespace G = bindings::dispute_game;
using testing::FakeChain;

const Address kCoordinator = *parse_address("0x1111111111111111111111111111111111111111");
const Address kGame = *parse_address("0x4444444444444444444444444444444444444444");
const Address kBondToken = *parse_address("0x5555555555555555555555555555555555555555");
const Address kLiar = *parse_address("0x3333333333333333333333333333333333333333");
const Address kOtherProver = *parse_address("0x6666666666666666666666666666666666666666");

using testing::word_bytes;

/// The chain's side of one answered request: the Coordinator's view of it and the DisputeGame's
/// record of who lost and who proved it.
struct Contracts {
    Hash answer{};  ///< answerOf(id): the liar's claim hash
    bool lost = false;
    Address refuted_by{};

    void install(FakeChain& chain) {
        chain.on_call(G::fn::bond, [](BytesView) { return word_bytes(to_be32(u256(1000))); });
        chain.on_call(G::fn::bondToken, [](BytesView) { return word_bytes(testing::address_word(kBondToken)); });
        chain.on_call(G::fn::offchainClaims, [](BytesView) { return word_bytes(Hash{}); });
        chain.on_call(G::fn::gameCount, [](BytesView) { return word_bytes(Hash{}); });
        chain.on_call(G::fn::lost, [this](BytesView) { return word_bytes(to_be32(u256(lost ? 1 : 0))); });
        chain.on_call(G::fn::refutedBy, [this](BytesView) { return word_bytes(testing::address_word(refuted_by)); });
        chain.on_call(C::fn::answerOf, [this](BytesView) { return word_bytes(answer); });
        chain.on_call(C::fn::getRequest, [](BytesView) {
            namespace F = C::field::Request;
            std::vector<abi::Value> f(F::k + 1);
            f[F::seat0] = abi::Value::address(kLiar);
            f[F::deadline] = abi::Value::uint(FakeChain::kNow + 600, 32);
            f[F::finalAt] = abi::Value::uint(FakeChain::kNow + 3600, 32);
            f[F::status] = abi::Value::uint(static_cast<std::uint8_t>(RequestStatus::answered), 8);
            f[F::commits] = abi::Value::uint(1, 8);
            f[F::revealedMask] = abi::Value::uint(0, 8);
            f[F::k] = abi::Value::uint(1, 8);
            return abi::encode({detail::must_type(C::type::Request)}, {abi::Value::tuple(f)});
        });
        chain.on_mined(G::fn::proveInputMismatch, [this](BytesView, const Address& from) {
            lost = true;
            refuted_by = from;
        });
    }
};

struct Env {
    explicit Env(const std::string& name) : tmp(name) {
        catalog = std::make_unique<Catalog>(testing::sample_catalog(tmp.path));
        cfg.chain.chain_id = 31337;
        cfg.contracts.coordinator = kCoordinator;
        cfg.contracts.dispute_game = kGame;
        cfg.challenger.mode = ChallengeMode::all;
        store = std::move(Store::open(tmp.path / "store").value());
        contracts.install(chain);
        outbox = &h.outbox_over(*store);

        // The request the liar answered: inline input, and a claim whose inputRoot is not the
        // input's root.
        const ServedModel& m = catalog->models().front();
        job.id = keccak256(as_bytes("request 1"));
        job.state = JobState::skipped;
        job.reason = "challenger_only";
        job.input = Bytes(m.input_bytes, 5);
        job.model_root = m.root;
        job.job = decode_job(Bytes(18 * 32, 0)).value();
        job.job.elems[C::field::Job::inputHash] = abi::Value::bytes_n(keccak256(job.input));
        EXPECT_TRUE(store->put_job(job));
        theirs = Claim{Bytes{1, 2, 3}, keccak256(as_bytes("out")), keccak256(as_bytes("trace")), 3,
                       keccak256(as_bytes("not the input's root"))};
        contracts.answer = hash_claim(theirs);
    }

    /// A started agent over the store (a new one is a restarted node).
    std::unique_ptr<DisputeAgent> agent() {
        auto a = std::make_unique<DisputeAgent>(NodeContext{cfg, key.address(), *catalog, *store, *outbox});
        auto started = a->start();
        EXPECT_TRUE(started) << started.error();
        return a;
    }
    void post_their_claim(DisputeAgent& a) {
        ASSERT_TRUE(a.on_claim_posted(ClaimPosted{job.id, kLiar, hash_claim(theirs), theirs, false}));
    }
    ChallengeRecord check() { return store->challenge(job.id, kLiar).value().value(); }
    Bytes expected_proof() const { return prove_input_mismatch_call(job.id, job.job, theirs, kLiar, job.input); }

    testing::TempDir tmp;
    testing::ChainHarness h{testing::kDevKey1};
    chain::PrivateKey& key = h.key;
    FakeChain& chain = h.chain;
    chain::testing::ManualClock& clock = h.clock;
    Contracts contracts;
    NodeConfig cfg;
    std::unique_ptr<Catalog> catalog;
    std::unique_ptr<Store> store;
    Outbox* outbox = nullptr;
    JobRecord job;
    Claim theirs;
};

TEST(dispute_agent, a_wrong_input_root_is_refuted_once_with_prove_input_mismatch) {
    Env env("refute");
    auto agent = env.agent();
    env.post_their_claim(*agent);
    ASSERT_TRUE(agent->step(FakeChain::kNow));
    ASSERT_EQ(env.chain.sent_count(), 1u);
    EXPECT_EQ(env.chain.last_sent(), env.expected_proof());
    const ChallengeRecord c = env.check();
    EXPECT_EQ(c.state, ClaimCheck::refuted) << c.reason;
    EXPECT_EQ(c.reason, "input_mismatch");
    EXPECT_FALSE(c.tx_hash.has_value());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(agent->step(FakeChain::kNow));
    EXPECT_EQ(env.chain.sent_count(), 1u);
}

TEST(dispute_agent, a_restarted_agent_waits_for_its_pending_proof_and_records_it_when_it_lands) {
    Env env("restart");
    env.chain.automine = false;
    {
        auto agent = env.agent();
        env.post_their_claim(*agent);
        ASSERT_TRUE(agent->step(FakeChain::kNow));  // sent; no receipt within the wait
    }
    ASSERT_EQ(env.chain.sent_count(), 1u);
    ChallengeRecord c = env.check();
    EXPECT_EQ(c.state, ClaimCheck::refuting);
    ASSERT_TRUE(c.tx_hash.has_value());

    auto agent = env.agent();
    for (int i = 0; i < 3; ++i) {
        env.clock.sleep_for(std::chrono::seconds(30));
        ASSERT_TRUE(agent->step(FakeChain::kNow));
    }
    EXPECT_EQ(env.chain.sent_count(), 1u);  // still pending: never a second proof
    env.chain.mine_pool();
    ASSERT_TRUE(agent->step(FakeChain::kNow));
    c = env.check();
    EXPECT_EQ(c.state, ClaimCheck::refuted) << c.reason;  // refutedBy is us
    EXPECT_EQ(env.chain.sent_count(), 1u);
}

TEST(dispute_agent, a_proof_the_game_refuses_for_good_ends_the_check_and_another_provers_win_is_recorded) {
    {
        Env env("refused");
        auto agent = env.agent();
        env.post_their_claim(*agent);
        env.chain.refuse_next = testing::error_data(G::kErrors, "NoMismatch");
        ASSERT_TRUE(agent->step(FakeChain::kNow));
        EXPECT_EQ(env.chain.sent_count(), 0u);
        const ChallengeRecord c = env.check();
        EXPECT_EQ(c.state, ClaimCheck::failed);
        EXPECT_EQ(c.reason, "prove_input_mismatch: NoMismatch");
    }
    {
        Env env("beaten");
        env.contracts.lost = true;  // another prover's proof landed first
        env.contracts.refuted_by = kOtherProver;
        auto agent = env.agent();
        env.post_their_claim(*agent);
        ASSERT_TRUE(agent->step(FakeChain::kNow));
        EXPECT_EQ(env.chain.sent_count(), 0u);
        const ChallengeRecord c = env.check();
        EXPECT_EQ(c.state, ClaimCheck::skipped);
        EXPECT_EQ(c.reason, "already_lost");
    }
}

}  // namespace
}  // namespace sigil::node
