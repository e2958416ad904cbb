// The dispute agents end to end on anvil: real `sigil node` processes, one lying (`[fault]`) and
// one checking (`[challenger]`), play DisputeGame to the end. A lying operator is slashed and its
// request refuted (several lie points), an honest operator keeps its stake against a lying
// challenger (also when restarted mid-game), and a party that stops answering loses by timeout.
// A standalone `sigil challenger` and a node challenger both dispute one lie: one game refutes it
// and the other is released (no bond stays locked). A k = 3 request with one liar ends in
// conflict games opened by the honest seats and is resolved with the honest answer. Liars at the
// claim's ends (`[fault] kind`) are refuted at once by a one-shot proof with no game (a wrong
// inputRoot, output bytes that are not outputRoot's tensor), or by proveFinalOutput in a game that
// reaches the last step (an outputRoot that is not step N's output). Signed off-chain claims
// brought on chain (OffchainClaims.adopt) are disputed the same way: a wrong one is refuted and
// its signer slashed; an honest one, served by a node's REST API, is defended by that node against
// a lying challenger.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "node/catalog.hpp"
#include "node/coordinator_abi.hpp"
#include "node/dispute_abi.hpp"
#include "node/dispute_trace.hpp"
#include "node/signed_claim.hpp"
#include "node/worker_pool.hpp"
#include "node_avs.hpp"
#include "node_process.hpp"

namespace sigil::itest {
namespace {

namespace fs = std::filesystem;

const u256 kPrice = u256(1'000'000'000'000'000ull);
const u256 kRoyalty = u256(100'000'000'000'000ull);
const u256 kBond = u256(1'000'000'000'000'000'000ull);
constexpr std::uint64_t kMoveWindow = 30;

/// Fresh contracts with the proof market, the model, `operators` staked operators (accounts
/// 1..operators) and a consumer (account 5); every operator holds bond tokens.
struct Env {
    Anvil& node = anvil();
    AvsDeployment d;
    fs::path dir;
    fs::path program;
    node::Catalog catalog;
    Hash root{};
    std::vector<std::unique_ptr<Actor>> ops;
    std::unique_ptr<Actor> consumer;
    std::uint64_t first_block = 0;

    // The nodes' configs, logs and stores stay behind only for a failed test.
    ~Env() {
        if (!::testing::Test::HasFailure()) fs::remove_all(dir);
    }
    Env(const Env&) = delete;
    Env& operator=(const Env&) = delete;

    explicit Env(const std::string& name, int operators = 2) {
        dir = fs::temp_directory_path() / ("sigil-dispute-it-" + name + "-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
        first_block = node.eth().block_number().value_or(0);
        d = deploy_avs(node, 3600);
        deploy_dispute(d, kBond, kMoveWindow);
        program = write_test_program(dir);
        node::ModelConfig mc;
        mc.program = program;
        mc.prices = {{d.pay_token, 1}};
        catalog = *node::Catalog::load({mc});
        root = catalog.models()[0].root;
        register_model(d, root, kRoyalty);
        for (int i = 1; i <= operators; ++i) {
            ops.push_back(std::make_unique<Actor>(node.eth(), Anvil::account(i)));
            stake_operator(node, d, *ops.back(), root, kPrice);
            ops.back()->call(d.bond_token,
                             calldata("mint(address,uint256)",
                                      {abi::Value::address(ops.back()->address()), abi::Value::uint(kBond * 10)}));
        }
        consumer = std::make_unique<Actor>(node.eth(), Anvil::account(5));
    }

    NodeSetup setup(const std::string& name, const std::string& extra) const {
        NodeSetup s;
        s.dir = dir / name;
        s.program = program;
        s.start_block = first_block;
        s.api = false;
        s.extra_toml = extra;
        return s;
    }

    Bytes input(std::uint32_t seed) const {
        std::mt19937 rng(seed);
        Bytes b(784);
        for (auto& x : b) x = static_cast<std::uint8_t>(rng());
        return b;
    }

    Hash request(const Bytes& in, std::uint8_t k = 1, std::uint32_t commit_window = 0, Address assigned = {}) {
        RequestSpec s;
        s.model_root = root;
        s.price = kPrice;
        s.k = k;
        s.commit_window = commit_window;
        s.assigned = assigned;
        return itest::request(d, *consumer, s, in);
    }

    Bytes call(const Address& to, const Bytes& data) {
        chain::CallRequest c;
        c.to = to;
        c.data = data;
        auto r = node.eth().call(c);
        EXPECT_TRUE(r.has_value());
        return r ? *r : Bytes{};
    }
    u256 word(const Address& to, const Bytes& data) { return node::decode_uint(call(to, data)).value_or(0); }

    node::RequestView view(const Hash& id) {
        return node::decode_request_view(call(d.coordinator, node::get_request_call(id))).value_or(node::RequestView{});
    }
    std::optional<node::GameView> game(std::uint64_t id) {
        return node::decode_game_view(call(d.dispute_game, node::get_game_call(id)));
    }
    std::uint64_t game_count() { return static_cast<std::uint64_t>(word(d.dispute_game, node::game_count_call())); }
    u256 shares(const Address& op) {
        return word(d.delegation_manager, calldata("operatorShares(address,address)",
                                                   {abi::Value::address(op), abi::Value::address(d.strategy)}));
    }
    u256 bond_balance(const Address& a) { return word(d.bond_token, node::balance_of_call(a)); }
    u256 pay_balance(const Address& a) { return word(d.pay_token, node::balance_of_call(a)); }
    u256 credit(const Address& a) {
        return word(d.coordinator,
                    calldata("credits(address,address)", {abi::Value::address(a), abi::Value::address(d.pay_token)}));
    }
    bool slashed(const Hash& id, const Address& op) {
        return word(d.coordinator, calldata("slashed(bytes32,address)", {abi::Value::bytes_n(BytesView(id.data(), 32)),
                                                                         abi::Value::address(op)})) != 0;
    }
    Hash word_hash(const Address& to, const Bytes& data) {
        const Bytes r = call(to, data);
        Hash h{};
        if (r.size() == 32) std::copy(r.begin(), r.end(), h.begin());
        return h;
    }
    Hash answer(const Hash& id) { return word_hash(d.coordinator, node::answer_of_call(id)); }
    Hash entry(const Hash& id, const Address& op) { return word_hash(d.coordinator, node::entry_of_call(id, op)); }
    u256 open_games(const Hash& id) {
        return word(d.dispute_game, calldata("openGames(bytes32)", {abi::Value::bytes_n(BytesView(id.data(), 32))}));
    }
    /// The reason of game `g`'s Resolved log; a failed or empty lookup (an RPC timeout on a
    /// loaded machine) is retried for a few seconds before "" is believed.
    std::string resolved_reason(std::uint64_t g) {
        std::string why;
        wait_for([&] { return !(why = resolved_reason_once(g)).empty(); }, 10);
        return why;
    }
    std::string resolved_reason_once(std::uint64_t g) {
        chain::LogFilter f;
        f.from_block = first_block;
        f.addresses = {d.dispute_game};
        f.topics = {{node::resolved_topic()}, {to_be32(u256(g))}};
        auto logs = node.eth().get_logs(f);
        if (!logs) return "";
        for (const auto& l : *logs) {
            if (auto r = node::decode_resolved(l)) return r->reason;
        }
        return "";
    }
    bool lost(const Hash& id, const Address& op) { return word(d.dispute_game, node::lost_call(id, op)) != 0; }
    std::uint64_t nonce(const Address& a) {
        return static_cast<std::uint64_t>(node.eth().get_transaction_count(a).value_or(0));
    }
    /// DisputeGame's ClaimRefuted logs since the environment was created.
    std::vector<node::ClaimRefuted> claim_refuted() {
        chain::LogFilter f;
        f.from_block = first_block;
        f.addresses = {d.dispute_game};
        f.topics = {{node::claim_refuted_topic()}};
        std::vector<node::ClaimRefuted> out;
        auto logs = node.eth().get_logs(f);
        EXPECT_TRUE(logs.has_value());
        if (!logs) return out;
        for (const auto& l : *logs) {
            if (auto r = node::decode_claim_refuted(l)) out.push_back(*r);
        }
        return out;
    }
    /// A bond holder that is not an operator (account `i`).
    std::unique_ptr<Actor> bond_holder(int i) {
        auto a = std::make_unique<Actor>(node.eth(), Anvil::account(i));
        a->call(d.bond_token,
                calldata("mint(address,uint256)", {abi::Value::address(a->address()), abi::Value::uint(kBond * 10)}));
        return a;
    }

    /// Moves chain time past the current move deadline (and mines a block).
    void expire_move() {
        ASSERT_TRUE(node.eth().rpc().call("evm_increaseTime", chain::Json::array({kMoveWindow + 2})).has_value());
        ASSERT_TRUE(node.eth().rpc().call("evm_mine", chain::Json::array()).has_value());
    }

    /// Waits until game `id` exists and `pred(game)` holds.
    template <typename F>
    bool wait_for_game(std::uint64_t id, F pred, int seconds) {
        return wait_for(
            [&] {
                const auto g = game(id);
                return g && pred(*g);
            },
            seconds);
    }

    template <typename F>
    bool wait_for(F pred, int seconds) {
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
        while (std::chrono::steady_clock::now() < end) {
            if (pred()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return pred();
    }
};

std::string log_text(const NodeProcess& p) {
    std::ifstream in(p.log_file());
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string s = ss.str();
    return s.size() > 6000 ? s.substr(s.size() - 6000) : s;
}

/// The whole log (log_text keeps only its tail), and how often `needle` occurs in it.
std::size_t log_count(const NodeProcess& p, const std::string& needle) {
    std::ifstream in(p.log_file());
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string s = ss.str();
    std::size_t n = 0;
    for (auto at = s.find(needle); at != std::string::npos; at = s.find(needle, at + needle.size())) ++n;
    return n;
}

const char* kLiar = "[fault]\nprobability = 1.0\nseed = 7\n";
const char* kChecker = "[challenger]\nmode = \"all\"\nserve = false\n";
const char* kLyingChecker = "[challenger]\nmode = \"all\"\nserve = false\n[fault]\nprobability = 1.0\nseed = 3\n";

TEST(dispute_integration, lying_operator_is_slashed_at_every_lie_point) {
    Env env("liar");
    const Address liar = env.ops[0]->address();
    const Address checker = env.ops[1]->address();
    NodeProcess l(env.node, env.d, Anvil::account(1), env.setup("liar", kLiar));
    NodeProcess c(env.node, env.d, Anvil::account(2), env.setup("checker", kChecker));
    l.start();
    c.start();
    const u256 shares_before = env.shares(liar);
    const u256 bond_before = env.bond_balance(checker);
    // Several requests: each request id gives the liar another step and element to lie at.
    std::vector<Hash> ids;
    std::set<std::uint64_t> steps;
    for (std::uint32_t i = 0; i < 3; ++i) {
        ids.push_back(env.request(env.input(100 + i)));
        node::FaultConfig f{1.0, 7};
        const auto lie = node::lie_for(ids.back(), f, *env.catalog.models()[0].program);
        ASSERT_TRUE(lie.has_value());
        steps.insert(lie->step);
    }
    for (const auto& id : ids) {
        ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::refuted; }, 50))
            << log_text(l) << "\n----\n"
            << log_text(c);
        // Refuted and slashed are written by one transaction, but word() reads a failed eth_call
        // (an RPC timeout on a loaded machine) as 0, so one false read is retried, not believed.
        EXPECT_TRUE(env.wait_for([&] { return env.slashed(id, liar); }, 10));
        EXPECT_EQ(env.view(id).seat0, liar);
    }
    ASSERT_EQ(env.game_count(), ids.size());
    for (std::uint64_t g = 1; g <= ids.size(); ++g) {
        const auto gv = env.game(g);
        ASSERT_TRUE(gv.has_value());
        EXPECT_EQ(gv->phase, node::GamePhase::done);
        EXPECT_FALSE(gv->defender_won);
        EXPECT_EQ(gv->challenger, checker);
    }
    // Half the allocation per lost game; the bonds came back; the consumer was refunded.
    EXPECT_LT(env.shares(liar), shares_before / 4);
    EXPECT_EQ(env.bond_balance(checker), bond_before);
    // Every escrow came back: a game can end before the next request is sent, whose escrow is then
    // taken from the refund credited, so the consumer's wallet plus credit is what it minted.
    const Address who = env.consumer->address();
    const u256 minted_per_request = u256(2) * kPrice + u256(1'000'000'000'000'000'000ull);  // itest::request
    EXPECT_EQ(env.pay_balance(who) + env.credit(who), u256(3) * minted_per_request);
    std::cout << "lie steps:";
    for (auto s : steps) std::cout << " " << s;
    std::cout << "\n";
}

TEST(dispute_integration, honest_defender_restarted_mid_game_beats_lying_challenger) {
    Env env("honest");
    const Address honest = env.ops[0]->address();
    const Address liar = env.ops[1]->address();
    NodeProcess h(env.node, env.d, Anvil::account(1), env.setup("honest", ""));
    NodeProcess c(env.node, env.d, Anvil::account(2), env.setup("liar", kLyingChecker));
    h.start();
    c.start();
    const u256 shares_before = env.shares(honest);
    const u256 honest_bond = env.bond_balance(honest);
    const Hash id = env.request(env.input(200));
    ASSERT_TRUE(env.wait_for([&] { return env.game_count() == 1; }, 30)) << log_text(h) << "\n----\n" << log_text(c);
    // Kill the defender once the game is under way, then bring it back: it carries on from its
    // store and the chain.
    ASSERT_TRUE(env.wait_for_game(
        1, [](const node::GameView& g) { return g.lo > 0 || g.hi < g.steps; }, 30));
    h.kill9();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    h.start();
    // The lying challenger runs out of moves at the one-step proof; once its deadline passes the
    // defender claims the timeout.
    ASSERT_TRUE(env.wait_for_game(
        1,
        [](const node::GameView& g) {
            return g.phase == node::GamePhase::one_step || g.phase == node::GamePhase::done;
        },
        40))
        << log_text(h) << "\n----\n"
        << log_text(c);
    env.expire_move();
    ASSERT_TRUE(env.wait_for_game(
        1, [](const node::GameView& g) { return g.phase == node::GamePhase::done; }, 20))
        << log_text(h) << "\n----\n"
        << log_text(c);
    const auto g = env.game(1);
    EXPECT_TRUE(g->defender_won);
    EXPECT_EQ(g->defender, honest);
    EXPECT_EQ(g->challenger, liar);
    EXPECT_EQ(env.bond_balance(honest), honest_bond + kBond);  // the challenger's bond
    EXPECT_EQ(env.shares(honest), shares_before);
    EXPECT_FALSE(env.slashed(id, honest));
    EXPECT_EQ(env.view(id).status, node::RequestStatus::answered);  // dispute closed, not refuted
    EXPECT_NE(log_text(h).find("node started"), std::string::npos);
}

TEST(dispute_integration, silent_defender_loses_by_timeout) {
    Env env("silent");
    const Address liar = env.ops[0]->address();
    NodeProcess l(env.node, env.d, Anvil::account(1), env.setup("liar", kLiar));
    NodeProcess c(env.node, env.d, Anvil::account(2), env.setup("checker", kChecker));
    l.start();
    const Hash id = env.request(env.input(300));
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::answered; }, 30)) << log_text(l);
    l.kill9();  // the liar stops answering before the game even starts
    c.start();
    ASSERT_TRUE(env.wait_for([&] { return env.game_count() == 1; }, 30)) << log_text(c);
    const auto g0 = env.game(1);
    ASSERT_TRUE(g0 && g0->defender_turn);
    env.expire_move();
    ASSERT_TRUE(env.wait_for_game(
        1, [](const node::GameView& g) { return g.phase == node::GamePhase::done; }, 20))
        << log_text(c);
    EXPECT_FALSE(env.game(1)->defender_won);
    EXPECT_TRUE(env.slashed(id, liar));
    EXPECT_EQ(env.view(id).status, node::RequestStatus::refuted);
}

TEST(dispute_integration, restarted_liar_defends_the_same_lie_and_loses_at_the_proof) {
    Env env("relie");
    const Address liar = env.ops[0]->address();
    NodeProcess l(env.node, env.d, Anvil::account(1), env.setup("liar", kLiar));
    NodeProcess c(env.node, env.d, Anvil::account(2), env.setup("checker", kChecker));
    l.start();
    c.start();
    const Hash id = env.request(env.input(400));
    ASSERT_TRUE(env.wait_for([&] { return env.game_count() == 1; }, 30)) << log_text(l) << "\n----\n" << log_text(c);
    ASSERT_TRUE(env.wait_for_game(
        1, [](const node::GameView& g) { return g.lo > 0 || g.hi < g.steps; }, 30));
    l.kill9();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    l.start();
    // No time travel: the game can only end by the one-step proof, which needs the restarted liar
    // to keep answering from the same lying trace (a different trace would not match its posts).
    ASSERT_TRUE(env.wait_for_game(
        1, [](const node::GameView& g) { return g.phase == node::GamePhase::done; }, 40))
        << log_text(l) << "\n----\n"
        << log_text(c);
    EXPECT_FALSE(env.game(1)->defender_won);
    EXPECT_TRUE(env.slashed(id, liar));
    EXPECT_EQ(env.view(id).status, node::RequestStatus::refuted);
    // The challenger logs the outcome after it reads the finished game (and its Resolved log) in
    // its next round, which may come after the test saw the game end.
    EXPECT_TRUE(env.wait_for([&] { return log_text(c).find("\"result\":\"won\"") != std::string::npos; }, 10))
        << log_text(c);
}

/// The configuration of a standalone `sigil challenger` for `key` (no operator, no prices).
std::string challenger_config(const Env& env, const chain::PrivateKey& key, const std::string& challenger) {
    std::ostringstream out;
    out << "[chain]\nrpc_url = \"" << env.node.url() << "\"\nchain_id = 31337\npoll_interval_ms = 50\nstart_block = "
        << env.first_block << "\n\n[contracts]\ncoordinator = \"" << to_checksum(env.d.coordinator)
        << "\"\ndispute_game = \"" << to_checksum(env.d.dispute_game) << "\"\n\n[account]\nprivate_key = \""
        << to_hex(key.secret()) << "\"\n\n[node]\ndata_dir = \"data\"\n\n[[model]]\nprogram = \""
        << env.program.string() << "\"\n\n"
        << challenger << "\n";
    return out.str();
}

/// `sigil challenger --check` on `text`: exit status and output.
std::pair<int, std::string> challenger_check(const fs::path& dir, const std::string& text) {
    const fs::path file = dir / "check.toml";
    std::ofstream(file) << text;
    const std::string cmd = std::string(SIGIL_CLI_PATH) + " challenger --check --dev-key --config " + file.string() + " 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    std::string out;
    char buf[512];
    while (p != nullptr && std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
    const int st = p != nullptr ? ::pclose(p) : -1;
    return {st, out};
}

TEST(dispute_integration, standalone_challenger_and_node_challenger_each_dispute_and_the_orphan_is_released) {
    Env env("orphan");
    const Address liar = env.ops[0]->address();
    const Address checker = env.ops[1]->address();
    auto solo_actor = env.bond_holder(3);  // not an operator: no stake, no registration
    const Address solo = solo_actor->address();
    // --check refuses a bad file with the key's name, and accepts the good one.
    const std::string good = challenger_config(env, Anvil::account(3), "[challenger]\nmode = \"all\"\n");
    auto [bad_st, bad_out] = challenger_check(env.dir, challenger_config(env, Anvil::account(3), "[challenger]\nmode = \"off\"\n"));
    EXPECT_NE(bad_st, 0);
    EXPECT_NE(bad_out.find("error: challenger.mode: bad_value"), std::string::npos) << bad_out;
    auto [good_st, good_out] = challenger_check(env.dir, good);
    EXPECT_EQ(good_st, 0) << good_out;
    EXPECT_NE(good_out.find("configuration ok"), std::string::npos) << good_out;

    NodeProcess l(env.node, env.d, Anvil::account(1), env.setup("liar", kLiar));
    NodeProcess c(env.node, env.d, Anvil::account(2), env.setup("checker", kChecker));
    NodeSetup ss = env.setup("solo", "");
    ss.command = "challenger";
    ss.config_text = good;
    NodeProcess s(env.node, env.d, Anvil::account(3), ss);
    l.start();
    const u256 shares_before = env.shares(liar);
    const u256 checker_bond = env.bond_balance(checker);
    const u256 solo_bond = env.bond_balance(solo);
    const Hash id = env.request(env.input(500));
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::answered; }, 30)) << log_text(l);
    // The liar is down while both challengers open their games, so neither game can end before
    // the other exists; then it comes back and defends both from the same lying trace.
    l.kill9();
    c.start();
    s.start();
    ASSERT_TRUE(env.wait_for([&] { return env.game_count() == 2; }, 40)) << log_text(c) << "\n----\n" << log_text(s);
    std::set<Address> challengers;
    for (std::uint64_t g = 1; g <= 2; ++g) challengers.insert(env.game(g)->challenger);
    EXPECT_EQ(challengers, (std::set<Address>{checker, solo}));
    EXPECT_EQ(env.open_games(id), u256(2));
    l.start();
    // No time travel: one game ends by the one-step proof, the other only by release.
    ASSERT_TRUE(env.wait_for(
        [&] {
            for (std::uint64_t g = 1; g <= 2; ++g) {
                const auto gv = env.game(g);
                if (!gv || gv->phase != node::GamePhase::done) return false;
            }
            return true;
        },
        60))
        << log_text(l) << "\n----\n"
        << log_text(c) << "\n----\n"
        << log_text(s);
    std::multiset<std::string> reasons;
    for (std::uint64_t g = 1; g <= 2; ++g) {
        EXPECT_FALSE(env.game(g)->defender_won);
        reasons.insert(env.resolved_reason(g));
    }
    EXPECT_EQ(reasons.count("released"), 1u);
    // The proof, or (when opening both games took longer than the move window on a loaded
    // machine) the liar's missed first deadline: either way the liar lost exactly one game.
    EXPECT_EQ(reasons.count("element") + reasons.count("padding") + reasons.count("timeout"), 1u);
    EXPECT_EQ(env.open_games(id), u256(0));
    EXPECT_TRUE(env.wait_for([&] { return env.slashed(id, liar); }, 10));
    EXPECT_EQ(env.view(id).status, node::RequestStatus::refuted);
    EXPECT_LT(env.shares(liar), shares_before);
    // Both bonds came back: the winner's with the win, the other's by release.
    EXPECT_EQ(env.bond_balance(checker), checker_bond);
    EXPECT_EQ(env.bond_balance(solo), solo_bond);
    // Each challenger recorded its game's outcome from the chain.
    auto outcome_logged = [&] {
        const std::string a = log_text(c), b = log_text(s);
        const bool a_done = a.find("\"result\":\"won\"") != std::string::npos ||
                            a.find("\"result\":\"released\"") != std::string::npos;
        const bool b_done = b.find("\"result\":\"won\"") != std::string::npos ||
                            b.find("\"result\":\"released\"") != std::string::npos;
        return a_done && b_done;
    };
    EXPECT_TRUE(env.wait_for(outcome_logged, 10)) << log_text(c) << "\n----\n" << log_text(s);
    // The standalone challenger served nothing.
    EXPECT_EQ(env.view(id).seat0, liar);
    EXPECT_EQ(log_text(s).find("\"kind\":\"deliver\""), std::string::npos);
}

TEST(dispute_integration, k3_conflict_liar_loses_a_conflict_game_and_the_request_resolves_honestly) {
    Env env("conflict", 3);
    const Address liar = env.ops[0]->address();
    const Address h1 = env.ops[1]->address();
    const Address h2 = env.ops[2]->address();
    // The liar keeps its lie and opens no conflict game itself; the honest seats have the
    // default configuration (conflicts on, challenger off).
    NodeProcess l(env.node, env.d, Anvil::account(1),
                  env.setup("liar", std::string(kLiar) + "[challenger]\nconflicts = false\n"));
    NodeProcess a(env.node, env.d, Anvil::account(2), env.setup("h1", ""));
    NodeProcess b(env.node, env.d, Anvil::account(3), env.setup("h2", ""));
    l.start();
    a.start();
    b.start();
    const u256 shares_before = env.shares(liar);
    const u256 h1_shares = env.shares(h1);
    const u256 h2_shares = env.shares(h2);
    const u256 h1_bond = env.bond_balance(h1);
    const u256 h2_bond = env.bond_balance(h2);
    const u256 liar_bond = env.bond_balance(liar);
    const Bytes in = env.input(600);
    const Hash id = env.request(in, 3, 600);
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).revealed_mask == 7; }, 60))
        << log_text(l) << "\n----\n" << log_text(a);
    // The honest answer, as the runtime computes it.
    const auto& m = env.catalog.models()[0];
    node::TraceCache traces;
    const auto honest = traces.get(id, m, in, node::FaultConfig{}).value();
    const Hash honest_hash = node::hash_claim(honest->claim);
    EXPECT_EQ(env.entry(id, h1), honest_hash);
    EXPECT_EQ(env.entry(id, h2), honest_hash);
    EXPECT_NE(env.entry(id, liar), honest_hash);
    // Conflict -> both honest seats challenge the liar's reveal; one game refutes it, the other is
    // released; the winner resolves the conflict with its claim.
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::answered; }, 90))
        << log_text(l) << "\n----\n"
        << log_text(a) << "\n----\n"
        << log_text(b);
    EXPECT_EQ(env.answer(id), honest_hash);
    EXPECT_TRUE(env.wait_for([&] { return env.slashed(id, liar); }, 10));
    EXPECT_FALSE(env.slashed(id, h1));
    EXPECT_FALSE(env.slashed(id, h2));
    const std::uint64_t games = env.game_count();
    ASSERT_GE(games, 1u);
    ASSERT_LE(games, 2u);
    std::size_t refuted = 0;
    for (std::uint64_t g = 1; g <= games; ++g) {
        ASSERT_TRUE(env.wait_for_game(g, [](const node::GameView& v) { return v.phase == node::GamePhase::done; }, 30))
            << log_text(a) << "\n----\n" << log_text(b);
        const auto gv = env.game(g);
        EXPECT_TRUE(gv->conflict);
        EXPECT_EQ(gv->defender, liar);
        EXPECT_NE(gv->challenger, liar);
        EXPECT_FALSE(gv->defender_won);
        const std::string why = env.resolved_reason(g);
        if (why == "element" || why == "padding") ++refuted;
        else EXPECT_EQ(why, "released");
    }
    EXPECT_EQ(refuted, 1u);
    EXPECT_EQ(env.open_games(id), u256(0));
    // Bonds as the contract pays them: the winner's back, the released one's back; the liar posted none.
    EXPECT_EQ(env.bond_balance(h1), h1_bond);
    EXPECT_EQ(env.bond_balance(h2), h2_bond);
    EXPECT_EQ(env.bond_balance(liar), liar_bond);
    // Only the liar's stake was cut.
    EXPECT_LT(env.shares(liar), shares_before);
    EXPECT_EQ(env.shares(h1), h1_shares);
    EXPECT_EQ(env.shares(h2), h2_shares);
    std::cout << "conflict games: " << games << "\n";
}

/// A liar of `kind` (which lies at one end of its claims) and a checker: every lie is refuted by
/// the one-shot proof named `proof` ("input root" or "output root" on chain, `stored` in the
/// checker's store) in one transaction, with no game and no bond; a restarted checker sends nothing
/// again.
void expect_refuted_at_once(const std::string& name, const std::string& kind, const std::string& proof,
                            const std::string& stored) {
    Env env(name);
    const Address liar = env.ops[0]->address();
    const Address checker = env.ops[1]->address();
    const std::string lie = "[fault]\nprobability = 1.0\nseed = 7\nkind = \"" + kind + "\"\n";
    NodeProcess l(env.node, env.d, Anvil::account(1), env.setup("liar", lie));
    NodeProcess c(env.node, env.d, Anvil::account(2), env.setup("checker", kChecker));
    const u256 shares_before = env.shares(liar);
    const u256 bond_before = env.bond_balance(checker);
    const std::uint64_t nonce_before = env.nonce(checker);
    // Both requests before the nodes start: a refund credited before the second request would pay
    // part of its escrow (Coordinator._escrow uses credits first).
    std::vector<Hash> ids;
    for (std::uint32_t i = 0; i < 2; ++i) ids.push_back(env.request(env.input(700 + i)));
    l.start();
    c.start();
    for (const auto& id : ids) {
        ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::refuted; }, 50))
            << log_text(l) << "\n----\n"
            << log_text(c);
        EXPECT_TRUE(env.wait_for([&] { return env.slashed(id, liar); }, 10));
        EXPECT_TRUE(env.lost(id, liar));
        EXPECT_EQ(env.view(id).seat0, liar);
        EXPECT_EQ(env.open_games(id), u256(0));
    }
    // No game was opened and no bond taken: the proof is complete on chain.
    EXPECT_EQ(env.game_count(), 0u);
    EXPECT_EQ(env.bond_balance(checker), bond_before);
    const auto refuted = env.claim_refuted();
    ASSERT_EQ(refuted.size(), ids.size());
    // One proof per request, in whichever order the checker's workers finished them.
    std::set<Hash> proven;
    for (const auto& r : refuted) {
        proven.insert(r.request_id);
        EXPECT_EQ(r.op, liar);
        EXPECT_EQ(r.prover, checker);
        EXPECT_EQ(r.reason, proof);
    }
    EXPECT_EQ(proven, std::set<Hash>(ids.begin(), ids.end()));
    EXPECT_LT(env.shares(liar), shares_before);
    EXPECT_GT(env.credit(env.consumer->address()), u256(2) * kPrice);  // escrow back, plus a share of the slash
    // One transaction per lie, recorded as refuted in the checker's store.
    const std::string kind_field =
        "\"kind\":\"prove_" +
        std::string(stored == "shape" ? "shape" : stored == "input_mismatch" ? "input_mismatch" : "output_mismatch") +
        "\"";
    ASSERT_TRUE(env.wait_for([&] { return log_count(c, "\"result\":\"refuted\"") == ids.size(); }, 10)) << log_text(c);
    EXPECT_EQ(log_count(c, "\"reason\":\"" + stored + "\""), ids.size()) << log_text(c);
    EXPECT_EQ(log_count(c, "\"msg\":\"dispute transaction\""), ids.size()) << log_text(c);
    EXPECT_EQ(log_count(c, kind_field), ids.size()) << log_text(c);
    EXPECT_EQ(env.nonce(checker), nonce_before + ids.size());
    // Restarted, the checker reads its store and the chain and sends nothing again.
    c.kill9();
    c.start();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    EXPECT_EQ(env.nonce(checker), nonce_before + ids.size());
    EXPECT_EQ(env.game_count(), 0u);
}

TEST(dispute_integration, wrong_input_root_is_refuted_at_once_without_a_game) {
    expect_refuted_at_once("inroot", "input_root", "input root", "input_mismatch");
}

TEST(dispute_integration, claim_of_another_step_count_is_refuted_at_once_by_its_shape) {
    expect_refuted_at_once("steps", "steps", "steps", "shape");
}

/// Output bytes that are not the tensor their outputRoot commits never reach a consumer: the
/// Coordinator refuses the delivery (OutputNotCommitted), so there is nothing to refute and nobody
/// is slashed. (proveOutputMismatch stays for adopted off-chain claims, which the Coordinator does
/// not check: contracts/test/market/OffchainClaims.t.sol.)
TEST(dispute_integration, output_bytes_not_of_the_output_root_are_refused_at_delivery) {
    Env env("outbytes");
    const Address liar = env.ops[0]->address();
    const std::string lie = "[fault]\nprobability = 1.0\nseed = 7\nkind = \"output_bytes\"\n";
    NodeProcess l(env.node, env.d, Anvil::account(1), env.setup("liar", lie));
    NodeProcess c(env.node, env.d, Anvil::account(2), env.setup("checker", kChecker));
    const u256 shares_before = env.shares(liar);
    // Assigned to the liar, which delivers in one step: the delivery itself is refused.
    const Hash id = env.request(env.input(700), 1, 0, liar);
    l.start();
    c.start();
    ASSERT_TRUE(env.wait_for([&] { return log_text(l).find("OutputNotCommitted") != std::string::npos; }, 50))
        << log_text(l);
    EXPECT_EQ(env.view(id).status, node::RequestStatus::open);
    EXPECT_EQ(env.view(id).seat0, Address{});
    EXPECT_FALSE(env.slashed(id, liar));
    EXPECT_EQ(env.game_count(), 0u);
    EXPECT_EQ(env.shares(liar), shares_before);
}

TEST(dispute_integration, two_provers_of_one_lie_refute_it_once_and_the_other_records_it_lost) {
    Env env("tworefute");
    const Address liar = env.ops[0]->address();
    const Address checker = env.ops[1]->address();
    auto solo_actor = env.bond_holder(3);
    const Address solo = solo_actor->address();
    NodeProcess l(env.node, env.d, Anvil::account(1),
                  env.setup("liar", "[fault]\nprobability = 1.0\nseed = 7\nkind = \"input_root\"\n"));
    NodeProcess c(env.node, env.d, Anvil::account(2), env.setup("checker", kChecker));
    NodeSetup ss = env.setup("solo", "");
    ss.command = "challenger";
    ss.config_text = challenger_config(env, Anvil::account(3), "[challenger]\nmode = \"all\"\n");
    NodeProcess s(env.node, env.d, Anvil::account(3), ss);
    l.start();
    const Hash id = env.request(env.input(900));
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::answered; }, 30)) << log_text(l);
    // Both provers find the lie in the same rounds; the contract takes one proof.
    c.start();
    s.start();
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::refuted; }, 50))
        << log_text(c) << "\n----\n"
        << log_text(s);
    const auto refuted = env.claim_refuted();
    ASSERT_EQ(refuted.size(), 1u);
    EXPECT_EQ(refuted[0].op, liar);
    EXPECT_TRUE(refuted[0].prover == checker || refuted[0].prover == solo);
    EXPECT_EQ(env.game_count(), 0u);
    // Each recorded the outcome from the chain: ours (refutedBy is us) or already_lost.
    const NodeProcess& winner = refuted[0].prover == checker ? c : s;
    const NodeProcess& other = refuted[0].prover == checker ? s : c;
    EXPECT_TRUE(env.wait_for([&] { return log_count(other, "\"reason\":\"already_lost\"") == 1; }, 10))
        << log_text(other);
    // The winner records its refutation once its own receipt is in, which may be after the other
    // prover has read the outcome from the chain.
    EXPECT_TRUE(env.wait_for([&] { return log_count(winner, "\"result\":\"refuted\"") == 1; }, 10))
        << log_text(winner);
    EXPECT_EQ(log_count(other, "\"result\":\"refuted\""), 0u) << log_text(other);
}

TEST(dispute_integration, output_root_not_of_step_n_ends_the_game_with_prove_final_output) {
    Env env("outroot");
    const Address liar = env.ops[0]->address();
    const Address checker = env.ops[1]->address();
    NodeProcess l(env.node, env.d, Anvil::account(1),
                  env.setup("liar", "[fault]\nprobability = 1.0\nseed = 7\nkind = \"output_root\"\n"));
    NodeProcess c(env.node, env.d, Anvil::account(2), env.setup("checker", kChecker));
    l.start();
    c.start();
    const u256 shares_before = env.shares(liar);
    const u256 bond_before = env.bond_balance(checker);
    const Hash id = env.request(env.input(800));
    // The liar's trace is honest, so the checker agrees with every midpoint and the bisection ends
    // at k = N against the claim's own S_N; no time travel: only proveFinalOutput can end it.
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::refuted; }, 60))
        << log_text(l) << "\n----\n"
        << log_text(c);
    EXPECT_TRUE(env.wait_for([&] { return env.slashed(id, liar); }, 10));
    ASSERT_EQ(env.game_count(), 1u);
    const auto g = env.game(1);
    ASSERT_TRUE(g.has_value());
    EXPECT_EQ(g->phase, node::GamePhase::done);
    EXPECT_FALSE(g->defender_won);
    EXPECT_EQ(g->defender, liar);
    EXPECT_EQ(g->challenger, checker);
    EXPECT_EQ(g->lo, g->steps - 1);
    EXPECT_EQ(g->hi, g->steps);
    EXPECT_EQ(env.resolved_reason(1), "final output");
    EXPECT_TRUE(env.claim_refuted().empty());  // refuted by the game, not by a one-shot proof
    EXPECT_EQ(env.open_games(id), u256(0));
    EXPECT_EQ(env.bond_balance(checker), bond_before);  // the bond came back with the win
    EXPECT_LT(env.shares(liar), shares_before);
    EXPECT_TRUE(env.wait_for([&] { return log_text(c).find("\"result\":\"won\"") != std::string::npos; }, 10))
        << log_text(c);
    EXPECT_EQ(log_count(c, "\"kind\":\"prove_final_output\""), 1u) << log_text(c);
    EXPECT_NE(log_text(c).find("\"reason\":\"final output\""), std::string::npos) << log_text(c);
}

// A k = 3 request whose liar reveals a claim with a wrong inputRoot: no conflict game can open
// (the claims are on different inputs), so an honest seat refutes the reveal with the one-shot
// input proof and ends the conflict with resolveUncontested; the honest answer stands and only the
// liar is slashed.
TEST(dispute_integration, k3_conflict_with_a_wrong_input_root_is_refuted_at_once_and_resolved_uncontested) {
    Env env("conflict-inroot", 3);
    const Address liar = env.ops[0]->address();
    const Address h1 = env.ops[1]->address();
    const Address h2 = env.ops[2]->address();
    NodeProcess l(env.node, env.d, Anvil::account(1),
                  env.setup("liar", "[fault]\nprobability = 1.0\nseed = 7\nkind = \"input_root\"\n"
                                    "[challenger]\nconflicts = false\n"));
    NodeProcess a(env.node, env.d, Anvil::account(2), env.setup("h1", ""));
    NodeProcess b(env.node, env.d, Anvil::account(3), env.setup("h2", ""));
    l.start();
    a.start();
    b.start();
    const u256 shares_before = env.shares(liar);
    const u256 h1_shares = env.shares(h1);
    const u256 h2_shares = env.shares(h2);
    const Bytes in = env.input(610);
    const Hash id = env.request(in, 3, 600);
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).revealed_mask == 7; }, 60)) << log_text(l);
    const auto& m = env.catalog.models()[0];
    node::TraceCache traces;
    const Hash honest_hash = node::hash_claim(traces.get(id, m, in, node::FaultConfig{}).value()->claim);
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::answered; }, 90))
        << log_text(l) << "\n----\n"
        << log_text(a) << "\n----\n"
        << log_text(b);
    EXPECT_EQ(env.answer(id), honest_hash);
    EXPECT_TRUE(env.slashed(id, liar));
    EXPECT_FALSE(env.slashed(id, h1));
    EXPECT_FALSE(env.slashed(id, h2));
    EXPECT_EQ(env.game_count(), 0u);  // no game: the one-shot proof and resolveUncontested
    EXPECT_LT(env.shares(liar), shares_before);
    EXPECT_EQ(env.shares(h1), h1_shares);
    EXPECT_EQ(env.shares(h2), h2_shares);
    const std::string logs = log_text(a) + log_text(b);
    EXPECT_NE(logs.find("conflict uncontested"), std::string::npos) << logs;
}

// ------------------------------------------------------------------ signed off-chain claims

/// The latest block's timestamp.
std::uint64_t chain_now(Anvil& node) {
    auto b = node.eth().get_block(chain::BlockId::latest());
    return b && b->has_value() ? (*b)->timestamp : 0;
}

/// Sends OffchainClaims.adopt from `who`; returns the decoded ClaimAdopted log.
node::ClaimAdopted adopt(Env& env, Actor& who, const node::Claim& c, std::uint64_t until, const Bytes& input,
                         const Bytes& sig) {
    const Address oc = address_from_word(to_be32(env.word(env.d.dispute_game, node::offchain_claims_call())));
    const auto receipt =
        who.call(oc, calldata("adopt(bytes32,(bytes,bytes32,bytes32,uint64,bytes32),uint64,bytes,bytes)",
                              {abi::Value::bytes_n(BytesView(env.root.data(), 32)), node::claim_value(c),
                               abi::Value::uint(until, 64), abi::Value::dyn_bytes(input), abi::Value::dyn_bytes(sig)}));
    for (const auto& l : receipt.logs) {
        if (auto a = node::decode_claim_adopted(l)) return *a;
    }
    ADD_FAILURE() << "no ClaimAdopted log";
    return {};
}

// An operator signs a wrong claim off-chain (its trace root altered); the consumer brings it on
// chain; a challenger node sees the adoption, re-executes, disputes, and the silent signer loses
// by timeout: slashed, the adopted request refuted.
TEST(dispute_integration, wrong_signed_claim_adopted_on_chain_is_refuted_and_its_signer_slashed) {
    Env env("signed-liar");
    const Address signer = env.ops[0]->address();
    NodeProcess c(env.node, env.d, Anvil::account(2), env.setup("checker", kChecker));
    c.start();
    const Bytes in = env.input(500);
    auto honest = node::run_model(env.catalog.models()[0], in);
    ASSERT_TRUE(honest.has_value());
    node::Claim lie = *honest;
    lie.trace_root[7] ^= 0x01;
    const std::uint64_t until = chain_now(env.node) + 86'400;
    auto sig = node::sign_claim(env.ops[0]->key(), env.root, lie, until, 31337, env.d.coordinator);
    ASSERT_TRUE(sig.has_value());
    const u256 shares_before = env.shares(signer);
    const auto a = adopt(env, *env.consumer, lie, until, in, sig->to_rsv());
    EXPECT_EQ(a.posted.op, signer);
    const auto st = env.view(a.request.id).status;  // disputed once the checker is quick
    EXPECT_TRUE(st == node::RequestStatus::answered || st == node::RequestStatus::disputed);
    EXPECT_EQ(env.answer(a.request.id), node::hash_claim(lie));
    // The same signed claim cannot be adopted twice.
    const Address oc = address_from_word(to_be32(env.word(env.d.dispute_game, node::offchain_claims_call())));
    EXPECT_ANY_THROW(env.consumer->call(
        oc, calldata("adopt(bytes32,(bytes,bytes32,bytes32,uint64,bytes32),uint64,bytes,bytes)",
                     {abi::Value::bytes_n(BytesView(env.root.data(), 32)), node::claim_value(lie),
                      abi::Value::uint(until, 64), abi::Value::dyn_bytes(in), abi::Value::dyn_bytes(sig->to_rsv())})));

    ASSERT_TRUE(env.wait_for([&] { return env.game_count() == 1; }, 60)) << log_text(c);
    const auto g0 = env.game(1);
    EXPECT_EQ(g0->defender, signer);
    EXPECT_EQ(g0->request_id, a.request.id);
    env.expire_move();  // the signer runs no node: it never bisects
    ASSERT_TRUE(env.wait_for_game(1, [](const node::GameView& g) { return g.phase == node::GamePhase::done; }, 90))
        << log_text(c);
    EXPECT_FALSE(env.game(1)->defender_won);
    EXPECT_EQ(env.resolved_reason(1), "timeout");
    EXPECT_TRUE(env.slashed(a.request.id, signer));
    EXPECT_LT(env.shares(signer), shares_before);
    EXPECT_EQ(env.view(a.request.id).status, node::RequestStatus::refuted);
}

// A node's REST API signs an honest claim; the client checks and adopts it with `sigil claim
// verify|adopt`; a lying challenger disputes it
// and the node defends the adopted request from the job in the ClaimAdopted log, keeping its stake
// and taking the challenger's bond.
TEST(dispute_integration, honest_signed_claim_adopted_on_chain_is_defended_by_its_node) {
    Env env("signed-honest");
    const Address honest = env.ops[0]->address();
    NodeSetup hs = env.setup("honest", "");
    hs.api = true;
    NodeProcess h(env.node, env.d, Anvil::account(1), hs);
    NodeProcess c(env.node, env.d, Anvil::account(2), env.setup("liar", kLyingChecker));
    h.start();
    c.start();
    const Bytes in = env.input(501);
    const auto off = http_post(h.api_port(), "/jobs",
                               chain::Json{{"model", to_hex(env.root)}, {"input", to_hex(in)}}.dump());
    ASSERT_EQ(off.status, 200) << off.body;
    const auto doc = chain::Json::parse(off.body);
    const auto& jc = doc["claim"];
    node::Claim claim;
    claim.output = *from_hex(jc["output"].get<std::string>());
    claim.output_root = *fixed_from_hex<32>(jc["outputRoot"].get<std::string>());
    claim.trace_root = *fixed_from_hex<32>(jc["traceRoot"].get<std::string>());
    claim.input_root = *fixed_from_hex<32>(jc["inputRoot"].get<std::string>());
    claim.steps = jc["steps"].get<std::uint64_t>();
    const std::uint64_t until = jc["disputeUntil"].get<std::uint64_t>();
    // Signed for a day from the wall clock; the shared anvil's clock runs ahead only by the warps
    // of earlier tests.
    ASSERT_GT(until, chain_now(env.node));
    const u256 shares_before = env.shares(honest);
    const u256 honest_bond = env.bond_balance(honest);
    // The client checks the reply and adopts it with the CLI.
    const fs::path reply = env.dir / "reply.json";
    std::ofstream(reply) << off.body;
    const auto sigil = [](std::vector<std::string> args) {
        args.insert(args.begin(), SIGIL_CLI_PATH);
        return run_command(args);
    };
    const auto checked = sigil({"claim", "verify", reply.string(), "--input", to_hex(in)});
    ASSERT_EQ(checked.status, 0) << checked.out;
    EXPECT_EQ(chain::Json::parse(checked.out)["signer"], to_checksum(honest));
    Bytes other = in;
    other[0] ^= 1;
    EXPECT_NE(sigil({"claim", "verify", reply.string(), "--input", to_hex(other)}).status, 0);
    const auto adopted = sigil({"claim", "adopt", reply.string(), "--input", to_hex(in), "--dispute-game",
                                to_hex(env.d.dispute_game), "--rpc-url", env.node.url(), "--private-key",
                                to_hex(Anvil::account(5).secret())});
    ASSERT_EQ(adopted.status, 0) << adopted.out;
    const auto out = chain::Json::parse(adopted.out);
    EXPECT_EQ(out["operator"], to_checksum(honest));
    const Hash id = *fixed_from_hex<32>(out["request"].get<std::string>());
    EXPECT_EQ(env.answer(id), node::hash_claim(claim));

    ASSERT_TRUE(env.wait_for([&] { return env.game_count() == 1; }, 60)) << log_text(h) << "\n----\n" << log_text(c);
    // An empty getGame reply (a loaded anvil once answered one) is read again, never dereferenced.
    std::optional<node::GameView> g1;
    ASSERT_TRUE(env.wait_for([&] { return (g1 = env.game(1)).has_value(); }, 10));
    EXPECT_EQ(g1->defender, honest);
    // The lying challenger runs out of moves at the one-step proof.
    ASSERT_TRUE(env.wait_for_game(
        1,
        [](const node::GameView& g) {
            return g.phase == node::GamePhase::one_step || g.phase == node::GamePhase::done;
        },
        60))
        << log_text(h) << "\n----\n"
        << log_text(c);
    env.expire_move();
    ASSERT_TRUE(env.wait_for_game(1, [](const node::GameView& g) { return g.phase == node::GamePhase::done; }, 30))
        << log_text(h) << "\n----\n"
        << log_text(c);
    EXPECT_TRUE(env.game(1)->defender_won);
    EXPECT_EQ(env.bond_balance(honest), honest_bond + kBond);
    EXPECT_EQ(env.shares(honest), shares_before);
    EXPECT_FALSE(env.slashed(id, honest));
    EXPECT_EQ(env.view(id).status, node::RequestStatus::answered);
    EXPECT_NE(log_text(h).find("adopted claim"), std::string::npos);
}

}  // namespace
}  // namespace sigil::itest
