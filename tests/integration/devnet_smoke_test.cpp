// `sigil devnet --once` end to end, on an anvil of the test's own; every assertion reads the chain
// again after the devnet exited: operators staked, delegated, allocated and registered; with the
// nodes, every request answered with the label the local runtime computes, settled, the escrow
// fully paid out, and delegators' rewards claimable (and claimed with `sigil rewards claim`).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "anvil.hpp"
#include "devnet/client.hpp"
#include "devnet/events.hpp"
#include "devnet/models.hpp"
#include "devnet/routing.hpp"
#include "devnet/world.hpp"
#include "devnet_run.hpp"

namespace sigil::itest {
namespace {

namespace fs = std::filesystem;
using abi::Value;
using devnet::kWad;

/// A scratch directory named for this file.
struct TestDir : Dir {
    TestDir() : Dir("sigil-devnet-e2e-") {}
};

/// Stake, delegation, allocation and registration of the devnet's people, read from the chain.
void expect_world(devnet::Session& s, const devnet::Deployment& d) {
    for (int i = 0; i < 3; ++i) {
        const auto op = devnet::devnet_key("operator/" + std::to_string(i)).address();
        const auto st = devnet::operator_status(s, d, op, d.strategy);
        EXPECT_TRUE(st.is_operator);
        EXPECT_TRUE(st.member) << "operator " << i << " not in Sigil's set";
        EXPECT_TRUE(st.active);
        EXPECT_EQ(st.allocated_magnitude, kWad);
        // 100 of its own + 20 + 40 delegated.
        EXPECT_EQ(st.operator_shares, u256(160) * kWad);
        EXPECT_EQ(st.slashable_stake, u256(160) * kWad);
        EXPECT_FALSE(st.services.empty());
        for (int j = 0; j < 2; ++j) {
            const auto del = devnet::devnet_key("operator/" + std::to_string(i) + "/delegator/" + std::to_string(j)).address();
            EXPECT_EQ(s.call_address(d.delegation_manager, "delegatedTo(address)(address)", {to_hex(del)}), op);
            EXPECT_EQ(devnet::withdrawable_shares(s, d, del, d.strategy), u256(20 * (j + 1)) * kWad);
        }
    }
    const auto roots = s.call(d.model_registry, "getModelRoots(uint256,uint256)(bytes32[])", {"0", "10"}).at(0).elems;
    ASSERT_FALSE(roots.empty());
    const auto model = s.call_values(d.model_registry, "getModel(bytes32)((address,bool,address,string,uint32[],uint32[]))",
                                     {roots[0]});
    EXPECT_EQ(model.at(0).elems.at(0).as_address(), devnet::devnet_key("creator").address());
}

TEST(devnet_e2e, setup_only_stakes_and_registers_everyone) {
    Anvil chain;
    TestDir dir;
    auto args = devnet_args(chain, dir);
    args.push_back("--setup-only");
    const int st = run_status(args, dir.path / "devnet.out");
    ASSERT_EQ(st, 0) << slurp(dir.path / "devnet.out");
    const auto d = devnet::Deployment::load(dir.path / "deployment.json");
    devnet::Session s(chain.url());
    expect_world(s, d);
}

bool node_available() {
    TestDir dir;
    return run_status({SIGIL_CLI_PATH, "node", "--help"}, dir.path / "help.out") == 0;
}

TEST(devnet_e2e, once_serves_settles_and_pays_everyone) {
    if (!node_available()) GTEST_SKIP() << "`sigil node` is not part of this build";
    Anvil chain;
    TestDir dir;
    auto args = devnet_args(chain, dir);
    args.insert(args.end(), {"--summary-json", (dir.path / "summary.json").string()});
    const int st = run_status(args, dir.path / "devnet.out");
    ASSERT_EQ(st, 0) << slurp(dir.path / "devnet.out");
    const auto d = devnet::Deployment::load(dir.path / "deployment.json");
    devnet::Session s(chain.url());
    expect_world(s, d);
    const auto summary = chain::Json::parse(slurp(dir.path / "summary.json"));
    const auto& requests = summary["requests"];
    ASSERT_GE(requests.size(), 5U);

    // The model the consumer named, run here with the runtime.
    std::vector<devnet::ModelFile> models;
    for (const auto& p : devnet::zoo_models(std::string(SIGIL_SOURCE_DIR) + "/build/zoo")) models.push_back(devnet::load_model(p));
    for (const auto& p : devnet::zoo_models(kModelCache)) models.push_back(devnet::load_model(p));
    const auto images = devnet::load_test_images();

    std::set<Address> consumers;
    std::set<Address> paid;
    for (const auto& r : requests) {
        const Hash id = *fixed_from_hex<32>(r["id"].get<std::string>());
        const Address consumer = *parse_address(r["consumer"].get<std::string>());
        consumers.insert(consumer);
        // Settled (status 5).
        const auto req = s.call_values(d.coordinator, "getRequest(bytes32)((address,uint32,uint32,uint8,uint8,uint8,uint8))",
                                       {Value::bytes_n(id)});
        // Settled (5), subscription intervals (input by commitment and URI) included.
        const auto status = req.at(0).elems.at(3).num;
        EXPECT_EQ(status, 5) << r["kind"];
        // The job names the model; its local answer is the label the consumer stored.
        chain::LogFilter f;
        f.from_block = d.deploy_block;
        f.addresses = {d.coordinator};
        f.topics = {{devnet::topic_of("Requested")}, {id}};
        const auto requested = s.eth().get_logs(f);
        ASSERT_TRUE(requested);
        const auto& logs = *requested;
        ASSERT_EQ(logs.size(), 1U);
        const auto ev = *devnet::decode_event("Requested", logs[0]);
        const Hash root = devnet::as_hash(ev[2].elems.at(1).elems.at(0));
        const devnet::ModelFile* model = nullptr;
        for (const auto& m : models) {
            if (m.root == root) model = &m;
        }
        ASSERT_NE(model, nullptr) << "no local model with root " << to_hex(root);
        const auto answer = devnet::run_local(*model, devnet::encode_image(*model, images.image(r["image"].get<std::size_t>())));
        chain::LogFilter g;
        g.from_block = d.deploy_block;
        g.addresses = {consumer};
        g.topics = {{devnet::topic_of("Classified")}};
        int label = -1;
        const auto classified = s.eth().get_logs(g);
        ASSERT_TRUE(classified);
        for (const auto& l : *classified) {
            if (l.topics.size() >= 3 && l.topics[2] == id) label = static_cast<int>((*devnet::decode_event("Classified", l))[2].num);
        }
        if (r["kind"] == "routed") {  // requested by the consumer account: the label of the delivered claim
            chain::LogFilter h;
            h.from_block = d.deploy_block;
            h.addresses = {d.coordinator};
            h.topics = {{devnet::topic_of("Delivered")}, {id}};
            const auto delivered = s.eth().get_logs(h);
            ASSERT_TRUE(delivered);
            for (const auto& l : *delivered)
                label = devnet::label_of_output((*devnet::decode_event("Delivered", l))[3].elems.at(0).bytes);
        }
        EXPECT_EQ(label, answer.label) << r["kind"] << " " << to_hex(id);
    }

    // Escrow fully paid out: the Coordinator holds exactly the credits it owes.
    auto credit = [&](const Address& a) {
        return s.call_values(d.coordinator, "credits(address,address)(uint256)",
                             {Value::address(a), Value::address(d.pay_token)})
            .at(0)
            .num;
    };
    u256 owed = credit(d.treasury) + credit(devnet::devnet_key("creator").address());
    for (const auto& c : consumers) owed += credit(c);
    for (int i = 0; i < 3; ++i) owed += credit(devnet::devnet_key("operator/" + std::to_string(i)).address());
    EXPECT_EQ(devnet::token_balance(s, d.pay_token, d.coordinator), owed);
    EXPECT_GT(credit(devnet::devnet_key("creator").address()), 0) << "the model creator earned no royalty";

    // Delegators of operators that served have rewards to claim, and the CLI claims them.
    int claimed = 0;
    for (int i = 0; i < 3; ++i) {
        const auto del = devnet::devnet_key("operator/" + std::to_string(i) + "/delegator/1");
        const u256 amount = devnet::claimable(s, d, del.address(), d.pay_token, {d.strategy});
        if (amount == 0) continue;
        devnet::fund_eth(s, del.address(), u256(10) * kWad);
        const int rc = run_status({SIGIL_CLI_PATH, "rewards", "claim", "--rpc-url", chain.url(), "--deployment",
                                   (dir.path / "deployment.json").string(), "--private-key", to_hex(del.secret())},
                                  dir.path / "claim.out");
        EXPECT_EQ(rc, 0) << slurp(dir.path / "claim.out");
        EXPECT_EQ(devnet::token_balance(s, d.pay_token, del.address()), amount);
        ++claimed;
    }
    EXPECT_GE(claimed, 1) << "no delegator earned anything";
}

}  // namespace
}  // namespace sigil::itest

namespace sigil::itest {
namespace {

TEST(devnet_e2e, faulty_scenario_refutes_and_slashes_every_lie) {
    if (!node_available()) GTEST_SKIP() << "`sigil node` is not part of this build";
    Anvil chain;
    TestDir dir;
    const std::vector<std::string> args = {SIGIL_CLI_PATH, "devnet", "--once", "--rpc-url", chain.url(), "--dir",
                                           dir.path.string(), "--model-cache", kModelCache, "--operators", "1",
                                           "--singles", "1", "--redundant", "0", "--intervals", "0", "--faulty", "2"};
    const int st = run_status(args, dir.path / "devnet.out");
    ASSERT_EQ(st, 0) << slurp(dir.path / "devnet.out");
    const auto d = devnet::Deployment::load(dir.path / "deployment.json");
    ASSERT_NE(d.dispute_game, Address{});
    devnet::Session s(chain.url());
    EXPECT_EQ(s.call_address(d.coordinator, "proofMarket()(address)", {}), d.dispute_game);
    const auto report = chain::Json::parse(slurp(dir.path / "disputes.json"));
    EXPECT_TRUE(report["allCaught"].get<bool>());
    ASSERT_EQ(report["disputes"].size(), 2U);
    const Address liar = devnet::devnet_key("faulty/liar").address();
    const Address checker = devnet::devnet_key("faulty/challenger").address();
    for (const auto& r : report["disputes"]) {
        const std::string id = r["request"].get<std::string>();
        // Read back from the chain, not from the report: Refuted (7), the liar slashed, the
        // challenger the winner of the game.
        const auto req = s.call(d.coordinator, "getRequest(bytes32)((address,uint32,uint32,uint8,uint8,uint8,uint8))", {id});
        EXPECT_EQ(req.at(0).elems.at(3).num, u256(7));
        EXPECT_EQ(req.at(0).elems.at(0).as_address(), liar);
        EXPECT_TRUE(s.call_bool(d.coordinator, "slashed(bytes32,address)(bool)", {id, to_hex(liar)}));
        const auto g = s.call(d.dispute_game,
                              "getGame(uint256)((bytes32,address,address,bytes32,uint64,uint64,uint64,uint64,bytes32,"
                              "bytes32,bytes32,bytes32,uint64,uint64,uint64,uint64,uint8,uint8,bool,bool,bool,bytes32,"
                              "bytes32))",
                              {std::to_string(r["game"].get<std::uint64_t>())});
        EXPECT_EQ(g.at(0).elems.at(2).as_address(), checker);
        EXPECT_EQ(g.at(0).elems.at(17).num, u256(5));  // Done
        EXPECT_EQ(g.at(0).elems.at(19).num, u256(0));  // the defender lost
        EXPECT_EQ(r["k"], r["lieStep"]);
        EXPECT_GT(r["transactions"].get<int>(), 3);
    }
}

TEST(devnet_e2e, bounty_scenario_pays_the_verifier_for_each_attestation) {
    if (!node_available()) GTEST_SKIP() << "`sigil node` is not part of this build";
    Anvil chain;
    TestDir dir;
    const std::vector<std::string> args = {SIGIL_CLI_PATH, "devnet", "--once", "--rpc-url", chain.url(), "--dir",
                                           dir.path.string(), "--model-cache", kModelCache, "--operators", "1",
                                           "--singles", "1", "--redundant", "0", "--intervals", "0", "--routed", "0",
                                           "--bounties", "2"};
    const int st = run_status(args, dir.path / "devnet.out");
    ASSERT_EQ(st, 0) << slurp(dir.path / "devnet.out");
    const auto d = devnet::Deployment::load(dir.path / "deployment.json");
    ASSERT_NE(d.proof_market, Address{});
    devnet::Session s(chain.url());
    const auto report = chain::Json::parse(slurp(dir.path / "bounties.json"));
    EXPECT_TRUE(report["allPaid"].get<bool>());
    ASSERT_EQ(report["bounties"].size(), 2U);
    const Address verifier = devnet::devnet_key("bounty/verifier").address();
    EXPECT_EQ(report["verifier"], to_hex(verifier));
    // The protocol's window is back where the devnet set it.
    EXPECT_EQ(s.call_uint(d.coordinator, "challengeWindow()(uint32)", {}), u256(60));
    // Read back from the chain: each bounty closed with its fee to the verifier, the request settled,
    // and the fees in the verifier's wallet.
    chain::LogFilter f;
    f.from_block = d.deploy_block;
    f.addresses = {d.proof_market};
    f.topics = {{devnet::topic_of("BountyClosed")}};
    const auto closed = s.eth().get_logs(f);
    ASSERT_TRUE(closed.has_value());
    u256 fees = 0;
    for (const auto& r : report["bounties"]) {
        const std::string id = r["request"].get<std::string>();
        const auto b = s.call(d.proof_market,
                              "getBounty(bytes32)((address,uint96,address,uint64,uint32,address,uint64,uint32,uint8,"
                              "bool,bytes32))",
                              {id});
        EXPECT_EQ(b.at(0).elems.at(5).as_address(), verifier);
        EXPECT_EQ(b.at(0).elems.at(8).num, u256(5));  // Closed
        EXPECT_NE(b.at(0).elems.at(9).num, u256(0));  // selected
        int paid = 0;
        for (const auto& l : *closed) {
            if (l.topics.size() < 3 || to_hex(l.topics[1]) != id) continue;
            auto e = devnet::decode_event("BountyClosed", l);
            ASSERT_TRUE(e);
            EXPECT_EQ((*e)[1].as_address(), verifier);
            EXPECT_NE((*e)[3].num, u256(0));  // to the verifier, not a refund
            fees += (*e)[2].num;
            ++paid;
        }
        EXPECT_EQ(paid, 1) << id;
        const auto req = s.call(d.coordinator, "getRequest(bytes32)((address,uint32,uint32,uint8,uint8,uint8,uint8))", {id});
        EXPECT_EQ(req.at(0).elems.at(3).num, u256(5));  // Settled
        EXPECT_EQ(r["label"], r["expectedLabel"]);
    }
    EXPECT_GT(fees, u256(0));
    EXPECT_EQ(devnet::token_balance(s, d.pay_token, verifier), fees);
}

}  // namespace
}  // namespace sigil::itest
