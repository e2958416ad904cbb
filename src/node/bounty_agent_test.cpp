// The bounty agent's registration as a ProofMarket verifier over an in-memory chain
// (node/testing/fake_chain.hpp): approve and register exactly once, across a restart while the
// registration is pending, and a bond below the market's minimum refused by key name.

#include "node/bounty_agent.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "bindings/proof_market.hpp"
#include "bindings/test_token.hpp"
#include "chain/nonce_manager.hpp"
#include "chain/sender.hpp"
#include "chain/testing/manual_clock.hpp"
#include "chain/testing/seeded_random.hpp"
#include "core/abi/codec.hpp"
#include "node/abi_support.hpp"
#include "node/testing/fake_chain.hpp"
#include "node/testing/harness.hpp"

namespace sigil::node {
namespace {

namespace M = bindings::proof_market;
namespace T = bindings::test_token;
using testing::FakeChain;

const Address kMarket = *parse_address("0x7777777777777777777777777777777777777777");
const Address kGame = *parse_address("0x4444444444444444444444444444444444444444");
const Address kBondToken = *parse_address("0x5555555555555555555555555555555555555555");

using testing::word_bytes;

/// The market's verifier pool (one verifier: us) and our bond-token balance.
struct Market {
    u256 min_bond = 100;
    u256 balance = 1000;
    bool registered = false;
    u256 bond = 0;
    int approvals = 0;
    int registrations = 0;

    void install(FakeChain& chain) {
        chain.on_call(M::fn::bondToken, [](BytesView) { return word_bytes(testing::address_word(kBondToken)); });
        chain.on_call(M::fn::minBond, [this](BytesView) { return word_bytes(to_be32(min_bond)); });
        chain.on_call(M::fn::getVerifier, [this](BytesView) {
            namespace F = M::field::Verifier;
            std::vector<abi::Value> f(6);
            f[F::weight] = abi::Value::uint(bond, 96);
            f[F::since] = abi::Value::uint(registered ? 1 : 0, 64);
            f[F::exitAt] = abi::Value::uint(0, 64);
            f[F::bond] = abi::Value::uint(bond, 96);
            f[F::open] = abi::Value::uint(0, 32);
            f[F::registered] = abi::Value::boolean(registered);
            return abi::encode({detail::must_type(M::type::Verifier)}, {abi::Value::tuple(f)});
        });
        chain.on_call(T::fn::balanceOf, [this](BytesView) { return word_bytes(to_be32(balance)); });
        chain.on_mined(T::fn::approve, [this](BytesView, const Address&) { ++approvals; });
        chain.on_mined(M::fn::register_, [this](BytesView d, const Address&) {
            ++registrations;
            registered = true;
            bond = from_be(testing::arg_word(d, 0));
        });
    }
};

struct Env {
    explicit Env(const std::string& name) : tmp(name), catalog(Catalog::load({}).value()) {
        cfg.chain.chain_id = 31337;
        cfg.contracts.dispute_game = kGame;
        cfg.contracts.proof_market = kMarket;
        cfg.challenger.mode = ChallengeMode::bounty;
        cfg.verifier.bond = 250;
        store = std::move(Store::open(tmp.path / "store").value());
        market.install(chain);
        outbox = &h.outbox_over(*store);
    }

    /// A started agent (a new one is a restarted node); its dispute agent is not started: the
    /// registration does not use it.
    std::unique_ptr<BountyAgent> agent() {
        ctx = std::make_unique<NodeContext>(NodeContext{cfg, key.address(), catalog, *store, *outbox});
        disputes = std::make_unique<DisputeAgent>(*ctx);
        auto a = std::make_unique<BountyAgent>(*ctx, *disputes);
        auto started = a->start();
        EXPECT_TRUE(started) << started.error();
        return a;
    }

    testing::TempDir tmp;
    testing::ChainHarness h{testing::kDevKey2};
    chain::PrivateKey& key = h.key;
    FakeChain& chain = h.chain;
    chain::testing::ManualClock& clock = h.clock;
    Market market;
    NodeConfig cfg;
    Catalog catalog;
    std::unique_ptr<Store> store;
    Outbox* outbox = nullptr;
    std::unique_ptr<NodeContext> ctx;
    std::unique_ptr<DisputeAgent> disputes;
};

TEST(bounty_agent, registers_once_with_its_bond) {
    Env env("register");
    auto agent = env.agent();
    ASSERT_TRUE(agent->step(FakeChain::kNow));
    EXPECT_EQ(env.market.approvals, 1);
    EXPECT_EQ(env.market.registrations, 1);
    EXPECT_EQ(env.market.bond, u256(250));
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(agent->step(FakeChain::kNow));
    auto again = env.agent();  // a restarted node reads the registration from the chain
    ASSERT_TRUE(again->step(FakeChain::kNow));
    EXPECT_EQ(env.market.registrations, 1);
    EXPECT_EQ(env.chain.sent_count(), 2u);  // approve, register
}

TEST(bounty_agent, a_restart_while_the_registration_is_pending_sends_no_second_one) {
    Env env("pending");
    {
        auto agent = env.agent();
        env.chain.automine = true;
        // The approval mines; the registration stays in the mempool past the receipt wait.
        env.chain.on_mined(T::fn::approve, [&](BytesView, const Address&) {
            ++env.market.approvals;
            env.chain.automine = false;
        });
        ASSERT_TRUE(agent->step(FakeChain::kNow));
    }
    ASSERT_EQ(env.chain.sent_count(), 2u);
    EXPECT_EQ(env.market.registrations, 0);
    auto agent = env.agent();
    for (int i = 0; i < 3; ++i) {
        env.clock.sleep_for(std::chrono::seconds(30));
        ASSERT_TRUE(agent->step(FakeChain::kNow));
    }
    EXPECT_EQ(env.chain.sent_count(), 2u);  // the stored registration is pending: wait for it
    env.chain.mine_pool();
    ASSERT_TRUE(agent->step(FakeChain::kNow));
    ASSERT_TRUE(agent->step(FakeChain::kNow));
    EXPECT_EQ(env.market.registrations, 1);
    EXPECT_EQ(env.chain.sent_count(), 2u);
}

TEST(bounty_agent, a_bond_below_the_markets_minimum_is_refused_by_key) {
    Env env("minbond");
    env.market.min_bond = 1000;
    env.ctx =
        std::make_unique<NodeContext>(NodeContext{env.cfg, env.key.address(), env.catalog, *env.store, *env.outbox});
    DisputeAgent disputes(*env.ctx);
    BountyAgent agent(*env.ctx, disputes);
    auto started = agent.start();
    ASSERT_FALSE(started);
    EXPECT_EQ(started.error().rfind("verifier.bond: 250 is below the ProofMarket's minBond 1000", 0), 0u)
        << started.error();
}

TEST(bounty_agent, without_enough_bond_tokens_nothing_is_sent) {
    Env env("poor");
    env.market.balance = 10;
    auto agent = env.agent();
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(agent->step(FakeChain::kNow));
    EXPECT_EQ(env.chain.sent_count(), 0u);
    env.market.balance = 250;
    ASSERT_TRUE(agent->step(FakeChain::kNow));
    EXPECT_EQ(env.market.registrations, 1);
}

}  // namespace
}  // namespace sigil::node
