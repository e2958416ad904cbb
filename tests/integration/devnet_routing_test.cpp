// Routing in `sigil devnet --once`, on an anvil of the test's own: every routed request was
// assigned by the devnet's bonded router (AssignmentUsed), carries the assignment in its job and
// was delivered by the assigned node inside its exclusive window; afterwards the same assignment
// is refused for a replay, for other request parameters and for another consumer, with the
// contract's named error surfacing through the devnet's requestRouted path. With --no-routing no
// router is registered.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "anvil.hpp"
#include "devnet/client.hpp"
#include "devnet/events.hpp"
#include "devnet/routing.hpp"
#include "devnet/world.hpp"
#include "devnet_run.hpp"

namespace sigil::itest {
namespace {

namespace fs = std::filesystem;
using abi::Value;

/// A scratch directory named for this file.
struct TestDir : Dir {
    TestDir() : Dir("sigil-devnet-routing-") {}
};

bool node_available() {
    TestDir dir;
    return run_status({SIGIL_CLI_PATH, "node", "--help"}, dir.path / "help.out") == 0;
}

/// The job of request `id` from its Requested log.
Value job_of(devnet::Session& s, const devnet::Deployment& d, const Hash& id) {
    chain::LogFilter f;
    f.from_block = d.deploy_block;
    f.addresses = {d.coordinator};
    f.topics = {{devnet::topic_of("Requested")}, {id}};
    auto logs = s.eth().get_logs(f);
    EXPECT_TRUE(logs);
    EXPECT_EQ(logs->size(), 1U);
    return (*devnet::decode_event("Requested", logs->at(0)))[2];
}

/// The devnet call path refuses `a` and names `error` (the contract's custom error).
void expect_refused(devnet::Signer& consumer, const devnet::Deployment& d, const devnet::RoutedAssignment& a,
                    const std::string& error) {
    const Bytes image(784, 1);
    try {
        devnet::request_routed(consumer, d, a, image);
        ADD_FAILURE() << "requestRouted accepted an assignment that should fail with " << error;
    } catch (const devnet::DevnetError& e) {
        EXPECT_NE(std::string(e.what()).find(error), std::string::npos) << e.what();
    }
}

TEST(devnet_routing_e2e, routed_requests_go_to_the_assigned_node_and_assignments_do_not_replay) {
    if (!node_available()) GTEST_SKIP() << "`sigil node` is not part of this build";
    Anvil chain;
    TestDir dir;
    auto args = devnet_args(chain, dir);
    args.insert(args.end(), {"--singles", "1", "--redundant", "0", "--intervals", "0", "--routed", "3",
                             "--summary-json", (dir.path / "summary.json").string()});
    const int st = run_status(args, dir.path / "devnet.out");
    ASSERT_EQ(st, 0) << slurp(dir.path / "devnet.out");
    const auto d = devnet::Deployment::load(dir.path / "deployment.json");
    const auto router_json = chain::Json::parse(slurp(dir.path / "router.json"));
    const Address registry = *parse_address(router_json["registry"].get<std::string>());
    const Address router = *parse_address(router_json["router"].get<std::string>());
    EXPECT_EQ(router, devnet::devnet_key("router").address());
    devnet::Session s(chain.url());
    EXPECT_EQ(s.call_address(d.coordinator, "routerRegistry()(address)", {}), registry);
    EXPECT_TRUE(s.call_bool(registry, "isActive(address)(bool)", {to_hex(router)}));

    const auto summary = chain::Json::parse(slurp(dir.path / "summary.json"));
    const auto& routing = summary["routing"];
    ASSERT_TRUE(routing["enabled"].get<bool>());
    ASSERT_EQ(routing["routed"].get<unsigned>(), 3U);
    EXPECT_EQ(routing["byAssignedInWindow"].get<unsigned>(), 3U) << slurp(dir.path / "devnet.out");
    EXPECT_EQ(routing["assignmentsUsed"].get<unsigned>(), 3U);

    // Read back from the chain, not from the summary: the job names the router's choice, the
    // registry recorded the assignment, and the assigned node delivered inside its window.
    const auto uses = devnet::assignment_uses(s, registry, d.deploy_block);
    std::vector<devnet::RoutedAssignment> used;
    for (const auto& r : routing["requests"]) {
        const Hash id = *fixed_from_hex<32>(r["id"].get<std::string>());
        const Address assigned = *parse_address(r["assigned"].get<std::string>());
        const Value job = job_of(s, d, id);
        EXPECT_EQ(job.elems.at(1).elems.at(9).as_address(), assigned);
        const auto created_at = static_cast<std::uint64_t>(job.elems.at(7).num);
        const auto window = static_cast<std::uint64_t>(job.elems.at(1).elems.at(8).num);
        EXPECT_GT(window, 0U);
        bool recorded = false;
        for (const auto& u : uses) {
            if (u.request_id == id) {
                recorded = true;
                EXPECT_EQ(u.router, router);
                EXPECT_EQ(u.node, assigned);
            }
        }
        EXPECT_TRUE(recorded) << "no AssignmentUsed for " << to_hex(id);
        chain::LogFilter f;
        f.from_block = d.deploy_block;
        f.addresses = {d.coordinator};
        f.topics = {{devnet::topic_of("Delivered")}, {id}};
        auto delivered = s.eth().get_logs(f);
        ASSERT_TRUE(delivered);
        ASSERT_EQ(delivered->size(), 1U);
        EXPECT_EQ((*devnet::decode_event("Delivered", delivered->at(0)))[1].as_address(), assigned);
        auto block = s.eth().get_block(chain::BlockId::number(delivered->at(0).block_number));
        ASSERT_TRUE(block && *block);
        EXPECT_LT((*block)->timestamp, created_at + window) << "delivered after the exclusive window";

        devnet::RoutedAssignment a;
        a.router = router;
        a.node = assigned;
        a.nonce = *parse_u256(r["nonce"].get<std::string>());
        a.deadline = *parse_u256(r["deadline"].get<std::string>());
        a.signature = *from_hex(r["signature"].get<std::string>());
        a.params = job.elems.at(1);
        used.push_back(a);
    }
    ASSERT_FALSE(used.empty());

    // The same assignment again: the nonce is spent.
    devnet::Signer consumer(s, devnet::devnet_key("consumer"));
    expect_refused(consumer, d, used[0], "NonceUsed");
    // For other parameters (another price, another node): the signature recovers to another address.
    auto other = used[0];
    other.params.elems.at(3).num += 1;
    other.nonce += 1;  // an unspent nonce, so only the binding can fail
    expect_refused(consumer, d, other, "NotActiveRouter");
    auto other_node = used[0];
    other_node.nonce += 1;
    other_node.params.elems.at(9) = Value::address(devnet::devnet_key("operator/2").address() == used[0].node
                                                       ? devnet::devnet_key("operator/1").address()
                                                       : devnet::devnet_key("operator/2").address());
    expect_refused(consumer, d, other_node, "NotActiveRouter");
    // By another consumer: the consumer is bound too.
    const auto stranger_key = devnet::devnet_key("stranger");
    devnet::fund_eth(s, stranger_key.address(), u256(10) * devnet::kWad);
    devnet::Signer owner(s, devnet::devnet_key("owner"));
    owner.send_values(d.pay_token, "mint(address,uint256)",
                      {Value::address(stranger_key.address()), Value::uint(devnet::kWad)});
    devnet::Signer stranger(s, stranger_key);
    stranger.send_values(d.pay_token, "approve(address,uint256)",
                         {Value::address(d.coordinator), Value::uint(devnet::kWad)});
    auto again = used[1 % used.size()];
    again.nonce += 7;
    expect_refused(stranger, d, again, "NotActiveRouter");
}

TEST(devnet_routing_e2e, no_routing_registers_no_router) {
    Anvil chain;
    TestDir dir;
    auto args = devnet_args(chain, dir);
    args.insert(args.end(), {"--setup-only", "--no-routing"});
    const int st = run_status(args, dir.path / "devnet.out");
    ASSERT_EQ(st, 0) << slurp(dir.path / "devnet.out");
    EXPECT_FALSE(fs::exists(dir.path / "router.json"));
    const auto d = devnet::Deployment::load(dir.path / "deployment.json");
    devnet::Session s(chain.url());
    EXPECT_EQ(s.call_address(d.coordinator, "routerRegistry()(address)", {}), Address{});
}

}  // namespace
}  // namespace sigil::itest
