// `sigil operator|stake|rewards` against the real contracts on anvil: the whole life of an
// operator and a delegator (register, deposit, allocate, join Sigil's set, delegate, a paid request
// settled through the rewards coordinator, claim, queue and complete a withdrawal), each step
// checked on chain, and every bad input refused with a named error.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "anvil.hpp"
#include "devnet/client.hpp"
#include "devnet/deployer.hpp"
#include "devnet/events.hpp"
#include "devnet/world.hpp"

namespace sigil::itest {
namespace {

namespace fs = std::filesystem;
using abi::Value;
using devnet::kWad;

struct Output {
    int status = -1;
    std::string out, err;
};

/// Runs `sigil args...`, capturing stdout and stderr separately.
Output sigil_cli(const std::vector<std::string>& args) {
    static int n = 0;
    const fs::path err = fs::temp_directory_path() / ("sigil-stake-err-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::string cmd = std::string("'") + SIGIL_CLI_PATH + "'";
    for (const auto& a : args) cmd += " '" + a + "'";
    cmd += " 2>'" + err.string() + "'";
    Output o;
    FILE* p = ::popen(cmd.c_str(), "r");
    std::array<char, 4096> buf{};
    std::size_t got = 0;
    while ((got = std::fread(buf.data(), 1, buf.size(), p)) > 0) o.out.append(buf.data(), got);
    const int st = ::pclose(p);
    o.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    std::FILE* e = std::fopen(err.c_str(), "r");
    if (e != nullptr) {
        while ((got = std::fread(buf.data(), 1, buf.size(), e)) > 0) o.err.append(buf.data(), got);
        std::fclose(e);
    }
    fs::remove(err);
    return o;
}

/// One deployment of the stack on the suite's anvil, shared by the tests of this file.
struct Stack {
    std::unique_ptr<devnet::Session> session;
    std::unique_ptr<devnet::Signer> owner;
    devnet::Deployment d;
    fs::path file;
    Hash model{};

    Stack() {
        session = std::make_unique<devnet::Session>(anvil().url());
        const auto key = devnet::devnet_key("itest/stake/owner");
        devnet::fund_eth(*session, key.address(), u256(1000) * kWad);
        owner = std::make_unique<devnet::Signer>(*session, key);
        devnet::DeployParams p;
        p.challenge_window = 60;
        d = devnet::deploy_stack(*owner, p);
        file = fs::temp_directory_path() / ("sigil-stake-deployment-" + std::to_string(::getpid()) + ".json");
        d.save(file);
        model[0] = 0x5e;
        model[31] = 0x01;
        owner->send_values(d.model_registry, "commitModel(bytes32)",
                           {Value::bytes_n(devnet::model_registration_commitment(model, owner->address()))});
        owner->send_values(d.model_registry, "registerModel(bytes32,string,uint32[],uint32[],bool)",
                           {Value::bytes_n(model), Value::string("sigil://test"), Value::array({Value::uint(784, 32)}),
                            Value::array({Value::uint(10, 32)}), Value::boolean(false)});
    }
    ~Stack() { fs::remove(file); }

    /// Common flags: endpoint, deployment, key.
    std::vector<std::string> with(std::vector<std::string> args, const chain::PrivateKey* key) const {
        args.insert(args.end(), {"--rpc-url", anvil().url(), "--deployment", file.string()});
        if (key != nullptr) args.insert(args.end(), {"--private-key", to_hex(key->secret())});
        return args;
    }
    void mint(const Address& token, const Address& to, const u256& amount) {
        owner->send_values(token, "mint(address,uint256)", {Value::address(to), Value::uint(amount)});
    }
};

Stack& stack() {
    static Stack s;
    return s;
}

chain::PrivateKey funded(const std::string& label) {
    auto key = devnet::devnet_key("itest/stake/" + label);
    devnet::fund_eth(*stack().session, key.address(), u256(100) * kWad);
    return key;
}

TEST(stake_cli, operator_and_delegator_life_cycle) {
    Stack& st = stack();
    devnet::Session& s = *st.session;
    const auto op = funded("op");
    const auto staker = funded("staker");
    const std::string op_addr = to_hex(op.address());

    // Operator: core registration, self-stake, allocation, then Sigil's set with one service.
    auto r = sigil_cli(st.with({"operator", "register", "--core-only"}, &op));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(s.call_bool(st.d.delegation_manager, "isOperator(address)(bool)", {op_addr}));
    // Joining the set before any stake is refused by the registrar (minimum slashable stake).
    r = sigil_cli(st.with({"operator", "register", "--endpoint", "http://127.0.0.1:1"}, &op));
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("execution reverted"), std::string::npos) << r.err;

    st.mint(st.d.stake_token, op.address(), u256(50) * kWad);
    r = sigil_cli(st.with({"stake", "deposit", "--amount", "50ether"}, &op));
    ASSERT_EQ(r.status, 0) << r.err;
    r = sigil_cli(st.with({"operator", "allocate", "--percent", "100"}, &op));
    ASSERT_EQ(r.status, 0) << r.err;
    s.mine(1);
    r = sigil_cli(st.with({"operator", "register", "--endpoint", "http://127.0.0.1:9",
                           "--service", to_hex(st.model) + ":pay:0.01ether"}, &op));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("already registered in the core"), std::string::npos);

    // Delegator.
    st.mint(st.d.stake_token, staker.address(), u256(30) * kWad);
    r = sigil_cli(st.with({"stake", "deposit", "--amount", "30ether"}, &staker));
    ASSERT_EQ(r.status, 0) << r.err;
    r = sigil_cli(st.with({"stake", "delegate", op_addr}, &staker));
    ASSERT_EQ(r.status, 0) << r.err;

    r = sigil_cli(st.with({"operator", "status", op_addr, "--json"}, nullptr));
    ASSERT_EQ(r.status, 0) << r.err;
    const auto j = chain::Json::parse(r.out);
    EXPECT_TRUE(j["isOperator"].get<bool>());
    EXPECT_TRUE(j["member"].get<bool>());
    EXPECT_TRUE(j["active"].get<bool>());
    EXPECT_EQ(j["delegatedShares"], to_dec(u256(80) * kWad));
    EXPECT_EQ(j["allocatedMagnitude"], to_dec(kWad));
    EXPECT_EQ(j["slashableStake"], to_dec(u256(80) * kWad));
    EXPECT_EQ(j["endpoint"], "http://127.0.0.1:9");
    ASSERT_EQ(j["services"].size(), 1U);
    EXPECT_EQ(j["services"][0]["price"], to_dec(kWad / 100));

    // A paid request: a consumer asks (assigning the operator, which then delivers in one step),
    // anyone settles after the window.
    const auto consumer = funded("consumer");
    devnet::Signer cons(s, consumer);
    st.mint(st.d.pay_token, consumer.address(), kWad);
    cons.send_values(st.d.pay_token, "approve(address,uint256)", {Value::address(st.d.coordinator), Value::uint(kWad)});
    const Value params = Value::tuple({Value::bytes_n(st.model), Value::bytes_n(Hash{}), Value::address(st.d.pay_token),
                                       Value::uint(kWad / 100, 96), Value::uint(1, 8), Value::boolean(false),
                                       Value::uint(0, 32), Value::uint(3600, 32), Value::uint(0, 32),
                                       Value::address(op.address())});
    const auto req = cons.send_values(st.d.coordinator,
                                      std::string("request(") + devnet::kParamsType + ",bytes,string)",
                                      {params, Value::dyn_bytes(Bytes{1, 2, 3}), Value::string("")});
    const auto ev = devnet::find_event("Requested", req.logs);
    ASSERT_TRUE(ev);
    const Value id = (*ev)[0];
    const Value job = (*ev)[2];
    Hash out_root{}, trace_root{};
    out_root[0] = 7;  // the tensor root of the one-byte output {7}: its zero-padded chunk
    trace_root[0] = 2;
    const Value claim = Value::tuple({Value::dyn_bytes(Bytes{7}), Value::bytes_n(out_root), Value::bytes_n(trace_root),
                                      Value::uint(3, 64), Value::bytes_n(Hash{})});
    devnet::Signer ops(s, op);
    ops.send_values(st.d.coordinator,
                    std::string("deliver(bytes32,") + devnet::kJobType + "," + devnet::kClaimType + ")", {id, job, claim});
    // Rewards arrive only at settlement: nothing to claim yet, with a named error.
    r = sigil_cli(st.with({"rewards", "claim"}, &staker));
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("nothing to claim"), std::string::npos) << r.err;
    s.advance_time(61);
    st.owner->send_values(st.d.coordinator,
                          std::string("settle(bytes32,") + devnet::kJobType + "," + devnet::kClaimType + ")", {id, job, claim});
    const std::vector<Address> strategies{st.d.strategy};
    const u256 owed_staker = devnet::claimable(s, st.d, staker.address(), st.d.pay_token, strategies);
    const u256 owed_op = devnet::claimable(s, st.d, op.address(), st.d.pay_token, strategies);
    // Price 0.01 PAY, 10% commission; the remaining 90% split 50:30 by stake (rounding down).
    EXPECT_GT(owed_staker, 0);
    EXPECT_LE(owed_staker + owed_op, kWad / 100);
    EXPECT_GE(owed_staker + owed_op, kWad / 100 - 2);
    EXPECT_EQ(owed_staker, kWad / 100 * 9 / 10 * 30 / 80);
    r = sigil_cli(st.with({"rewards", "claim"}, &staker));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(devnet::token_balance(s, st.d.pay_token, staker.address()), owed_staker);
    EXPECT_NE(r.out.find("claimed " + to_dec(owed_staker)), std::string::npos) << r.out;

    // Withdrawal: queue, too early is refused by name, after the delay it pays out tokens.
    r = sigil_cli(st.with({"stake", "queue-withdrawal", "--shares", "10ether"}, &staker));
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string root = r.out.substr(0, 66);
    ASSERT_TRUE(fixed_from_hex<32>(root)) << r.out;
    r = sigil_cli(st.with({"stake", "complete-withdrawal", root}, &staker));
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("WithdrawalDelayNotElapsed"), std::string::npos) << r.err;
    s.mine(12);
    r = sigil_cli(st.with({"stake", "complete-withdrawal", root}, &staker));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(devnet::token_balance(s, st.d.stake_token, staker.address()), u256(10) * kWad);
    EXPECT_EQ(devnet::withdrawable_shares(s, st.d, staker.address(), st.d.strategy), u256(20) * kWad);
    // Completing twice is refused.
    r = sigil_cli(st.with({"stake", "complete-withdrawal", root}, &staker));
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("no pending withdrawal"), std::string::npos) << r.err;

    // Undelegating queues the rest (20 PAY of shares) as one withdrawal; a second time is refused.
    const auto delegated_to = [&](const Address& who) {
        return s.call_address(st.d.delegation_manager, "delegatedTo(address)(address)", {to_hex(who)});
    };
    EXPECT_EQ(delegated_to(staker.address()), op.address());
    r = sigil_cli(st.with({"stake", "undelegate"}, &staker));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("queued as withdrawal"), std::string::npos) << r.out;
    EXPECT_EQ(delegated_to(staker.address()), Address{});
    EXPECT_EQ(devnet::withdrawable_shares(s, st.d, staker.address(), st.d.strategy), 0);
    r = sigil_cli(st.with({"stake", "undelegate"}, &staker));
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("NotDelegated"), std::string::npos) << r.err;

    // The operator leaves Sigil's operator set; leaving twice is refused by name.
    const auto member = [&] {
        const auto out =
            s.call_values(st.d.allocation_manager, "isMemberOfOperatorSet(address,(address,uint32))(bool)",
                          {Value::address(op.address()),
                           Value::tuple({Value::address(st.d.coordinator), Value::uint(st.d.operator_set_id, 32)})});
        return !out.empty() && out[0].num == 1;
    };
    EXPECT_TRUE(member());
    r = sigil_cli(st.with({"operator", "deregister"}, &op));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("left Sigil's operator set"), std::string::npos) << r.out;
    EXPECT_FALSE(member());
    r = sigil_cli(st.with({"operator", "deregister"}, &op));
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("NotMemberOfSet"), std::string::npos) << r.err;
}

TEST(stake_cli, bad_input_is_refused_by_name) {
    Stack& st = stack();
    const auto key = funded("bad");
    struct Case {
        std::vector<std::string> args;
        const char* expected;
    };
    const std::vector<Case> cases = {
        {{"stake", "delegate", "0x1234"}, "invalid operator address '0x1234'"},
        {{"stake", "deposit", "--amount", "1.2.3"}, "invalid --amount '1.2.3'"},
        {{"stake", "deposit", "--amount", "0"}, "invalid --amount '0': must be positive"},
        {{"stake", "deposit", "--amount", "1", "--strategy", "nope"}, "invalid --strategy address 'nope'"},
        {{"operator", "allocate", "--percent", "101"}, "invalid --percent '101': above 100"},
        {{"operator", "allocate", "--magnitude", "2ether"}, "above 1e18"},
        {{"operator", "allocate"}, "missing --magnitude or --percent"},
        {{"operator", "register", "--service", "0x12:pay:1"}, "invalid --service '0x12:pay:1'"},
        {{"operator", "register"}, "missing --endpoint"},
        {{"stake", "queue-withdrawal", "--shares", "5"}, "only 0 deposit shares held"},
        {{"stake", "complete-withdrawal", "0xabc"}, "invalid withdrawal root '0xabc'"},
        {{"rewards", "claim", "--to", "0xzz"}, "invalid --to address '0xzz'"},
    };
    for (const auto& c : cases) {
        const auto r = sigil_cli(st.with(c.args, &key));
        EXPECT_EQ(r.status, 1) << c.args[0] << " " << c.args[1];
        EXPECT_NE(r.err.find(c.expected), std::string::npos) << "got: " << r.err << " want: " << c.expected;
    }
    // Without a deployment file the missing address is named; without a key the key source.
    auto r = sigil_cli({"stake", "delegate", to_hex(key.address()), "--rpc-url", anvil().url(), "--private-key",
                        to_hex(key.secret())});
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("missing --delegation-manager"), std::string::npos) << r.err;
    r = sigil_cli(st.with({"stake", "delegate", to_hex(key.address())}, nullptr));
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("error:"), std::string::npos) << r.err;
    r = sigil_cli({"operator", "status", to_hex(key.address()), "--deployment", "/nonexistent/deployment.json"});
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("cannot read deployment file"), std::string::npos) << r.err;
}

/// `sigil verifier`: register, status, exit, the bond's wait, withdraw-bond; each refusal by the
/// market's error name, each step checked on chain.
TEST(stake_cli, verifier_life_cycle_and_named_refusals) {
    Stack& st = stack();
    ASSERT_NE(st.d.proof_market, Address{});
    const auto key = funded("verifier");
    const Address me = key.address();
    st.mint(st.d.bond_token, me, u256(5) * kWad);
    auto run = [&](std::vector<std::string> args) { return sigil_cli(st.with(std::move(args), &key)); };
    auto refused = [&](std::vector<std::string> args, const std::string& want) {
        const auto r = run(args);
        EXPECT_EQ(r.status, 1) << args[1];
        EXPECT_NE(r.err.find(want), std::string::npos) << args[1] << " got: " << r.err << " want: " << want;
    };
    auto bond_balance = [&] { return devnet::token_balance(*st.session, st.d.bond_token, me); };
    auto status_json = [&] {
        const auto r = sigil_cli(st.with({"verifier", "status", to_hex(me), "--json"}, nullptr));
        EXPECT_EQ(r.status, 0) << r.err;
        return chain::Json::parse(r.out);
    };

    EXPECT_FALSE(status_json()["registered"].get<bool>());
    refused({"verifier", "withdraw-bond"}, "NotRegistered");
    refused({"verifier", "exit"}, "NotRegistered");
    refused({"verifier", "register", "--bond", "0"}, "invalid --bond '0'");
    refused({"verifier", "register", "--bond", "1e30"}, "invalid --bond '1e30'");
    refused({"verifier", "register", "--bond", "1000"}, "BondTooSmall");
    EXPECT_EQ(bond_balance(), u256(5) * kWad);

    auto r = run({"verifier", "register", "--bond", "2ether"});
    ASSERT_EQ(r.status, 0) << r.err;
    auto j = status_json();
    EXPECT_TRUE(j["registered"].get<bool>());
    EXPECT_EQ(j["bond"], to_dec(u256(2) * kWad));
    EXPECT_EQ(j["weight"], to_dec(u256(2) * kWad));
    EXPECT_EQ(j["open"], "0");
    EXPECT_EQ(bond_balance(), u256(3) * kWad);
    refused({"verifier", "register", "--bond", "2ether"}, "AlreadyRegistered");
    refused({"verifier", "withdraw-bond"}, "NotExiting");
    refused({"verifier", "withdraw"}, "NothingToWithdraw");

    r = run({"verifier", "exit"});
    ASSERT_EQ(r.status, 0) << r.err;
    j = status_json();
    const auto exit_at = std::stoull(j["exitAt"].get<std::string>());
    EXPECT_GT(exit_at, 0U);
    EXPECT_EQ(j["bondAvailableAt"].get<std::uint64_t>(), exit_at + 96 + 64 + 1);
    EXPECT_NE(r.out.find("from block " + std::to_string(exit_at + 96 + 64 + 1)), std::string::npos) << r.out;
    refused({"verifier", "exit"}, "AlreadyExiting");
    refused({"verifier", "withdraw-bond"}, "ExitPending");
    EXPECT_EQ(bond_balance(), u256(3) * kWad);

    // Past the last draw that could still choose it, the bond comes back whole.
    ASSERT_TRUE(st.session->rpc().call("anvil_mine", chain::Json::array({96 + 64 + 1})).has_value());
    r = run({"verifier", "withdraw-bond"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(bond_balance(), u256(5) * kWad);
    EXPECT_FALSE(status_json()["registered"].get<bool>());
    refused({"verifier", "withdraw-bond"}, "NotRegistered");

    // Without a deployment the market's address is asked for by its flag.
    r = sigil_cli({"verifier", "status", to_hex(me), "--rpc-url", anvil().url()});
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("missing --proof-market"), std::string::npos) << r.err;
    r = sigil_cli(st.with({"verifier", "status", "0x12"}, nullptr));
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("invalid verifier address '0x12'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace sigil::itest
