// The bounty verifier end to end on anvil: a consumer posts a full-check bounty (pWad = 1e18) on
// its request, a real `sigil challenger` / `sigil node` in `[challenger] mode = "bounty"` registers
// as the ProofMarket's only verifier, arms the bounty once the request is answered, draws it once
// the draw block is mined, and then either attests an honest answer (paid after the challenge
// window) or, against a lying operator, disputes it through DisputeGame, wins, and is paid from
// the refuted claim. Each time the fee reaches the verifier's wallet through resolve + withdraw.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "node/catalog.hpp"
#include "node/coordinator_abi.hpp"
#include "node/dispute_abi.hpp"
#include "node/market_abi.hpp"
#include "node_avs.hpp"
#include "node_process.hpp"

namespace sigil::itest {
namespace {

namespace fs = std::filesystem;

const u256 kPrice = u256(1'000'000'000'000'000ull);
const u256 kRoyalty = u256(100'000'000'000'000ull);
const u256 kBond = u256(1'000'000'000'000'000'000ull);
const u256 kVerifierBond = kBond * 2;
const u256 kFee = u256(3'000'000'000'000'000ull);
constexpr std::uint64_t kFullCheck = 1'000'000'000'000'000'000ull;
constexpr std::uint32_t kVerifyWindow = 600;
constexpr std::uint32_t kChallengeWindow = 3600;

std::string log_text(const NodeProcess& p) {
    std::ifstream in(p.log_file());
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string s = ss.str();
    return s.size() > 8000 ? s.substr(s.size() - 8000) : s;
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

/// Fresh contracts with the dispute game and the proof market, the model, operators 1 and 2
/// (staked; 1..3 for k = 3), a consumer (account 5); accounts 1..4 hold bond tokens.
struct Env {
    Anvil& node = anvil();
    AvsDeployment d;
    fs::path dir;
    fs::path program;
    Hash root{};
    std::vector<std::unique_ptr<Actor>> ops;
    std::unique_ptr<Actor> consumer;
    std::uint64_t first_block = 0;

    /// `staked` operators (accounts 1..staked) serve; the others only hold bond tokens.
    // The nodes' configs, logs and stores stay behind only for a failed test.
    ~Env() {
        if (!::testing::Test::HasFailure()) fs::remove_all(dir);
    }
    Env(const Env&) = delete;
    Env& operator=(const Env&) = delete;

    explicit Env(const std::string& name, int staked = 2) {
        dir = fs::temp_directory_path() / ("sigil-bounty-it-" + name + "-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
        first_block = node.eth().block_number().value_or(0);
        d = deploy_avs(node, kChallengeWindow);
        deploy_dispute(d, kBond, 30);
        deploy_proof_market(d, kBond);
        program = write_test_program(dir);
        node::ModelConfig mc;
        mc.program = program;
        mc.prices = {{d.pay_token, 1}};
        root = node::Catalog::load({mc})->models()[0].root;
        register_model(d, root, kRoyalty);
        for (int i = 1; i <= 4; ++i) {
            ops.push_back(std::make_unique<Actor>(node.eth(), Anvil::account(i)));
            if (i <= staked) stake_operator(node, d, *ops.back(), root, kPrice);
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

    /// A standalone `sigil challenger` in bounty mode for account `i`.
    NodeSetup challenger(const std::string& name, int i) const {
        NodeSetup s = setup(name, "");
        s.command = "challenger";
        std::ostringstream out;
        out << "[chain]\nrpc_url = \"" << node.url()
            << "\"\nchain_id = 31337\npoll_interval_ms = 50\nstart_block = " << first_block
            << "\n\n[contracts]\ncoordinator = \"" << to_checksum(d.coordinator) << "\"\ndispute_game = \""
            << to_checksum(d.dispute_game) << "\"\nproof_market = \"" << to_checksum(d.proof_market)
            << "\"\n\n[account]\nprivate_key = \"" << to_hex(Anvil::account(i).secret())
            << "\"\n\n[node]\ndata_dir = \"data\"\n\n[[model]]\nprogram = \"" << program.string()
            << "\"\n\n[challenger]\nmode = \"bounty\"\n\n[verifier]\nbond = \"" << to_dec(kVerifierBond) << "\"\n";
        s.config_text = out.str();
        return s;
    }

    Bytes input(std::uint32_t seed) const {
        std::mt19937 rng(seed);
        Bytes b(784);
        for (auto& x : b) x = static_cast<std::uint8_t>(rng());
        return b;
    }

    /// A k-seat request with a full-check bounty attached while it is still open.
    Hash request_with_bounty(const Bytes& in, std::uint8_t k = 1) {
        RequestSpec s;
        s.model_root = root;
        s.price = kPrice;
        s.k = k;
        s.commit_window = k > 1 ? 600 : 0;
        const Hash id = itest::request(d, *consumer, s, in);
        chain::LogFilter f;
        f.from_block = first_block;
        f.addresses = {d.coordinator};
        f.topics = {{node::requested_topic()}, {id}};
        auto logs = node.eth().get_logs(f);
        if (!logs || logs->empty()) throw std::runtime_error("no Requested log");
        const auto ev = node::decode_requested(logs->front());
        if (!ev) throw std::runtime_error("undecodable Requested log");
        const Address who = consumer->address();
        consumer->call(d.pay_token,
                       calldata("mint(address,uint256)", {abi::Value::address(who), abi::Value::uint(kFee)}));
        consumer->call(d.pay_token, calldata("approve(address,uint256)",
                                             {abi::Value::address(d.proof_market), abi::Value::uint(kFee)}));
        consumer->call(d.proof_market, node::post_bounty_call(id, ev->job, kFullCheck, kFee, kVerifyWindow));
        return id;
    }

    Bytes call(const Address& to, const Bytes& data) {
        chain::CallRequest c;
        c.to = to;
        c.data = data;
        auto r = node.eth().call(c);
        return r ? *r : Bytes{};
    }
    u256 word(const Address& to, const Bytes& data) { return node::decode_uint(call(to, data)).value_or(0); }
    node::RequestView view(const Hash& id) {
        return node::decode_request_view(call(d.coordinator, node::get_request_call(id))).value_or(node::RequestView{});
    }
    node::BountyView bounty(const Hash& id) {
        return node::decode_bounty_view(call(d.proof_market, node::get_bounty_call(id))).value_or(node::BountyView{});
    }
    node::VerifierView verifier(const Address& a) {
        return node::decode_verifier_view(call(d.proof_market, node::get_verifier_call(a)))
            .value_or(node::VerifierView{});
    }
    u256 pay_balance(const Address& a) { return word(d.pay_token, node::balance_of_call(a)); }
    u256 market_credit(const Address& a) { return word(d.proof_market, node::credits_call(a, d.pay_token)); }
    bool slashed(const Hash& id, const Address& op) {
        return word(d.coordinator, calldata("slashed(bytes32,address)", {abi::Value::bytes_n(BytesView(id.data(), 32)),
                                                                         abi::Value::address(op)})) != 0;
    }
    Address refuted_by(const Hash& id) {
        const Bytes r = call(d.dispute_game, node::refuted_by_call(id));
        Bytes32 w{};
        if (r.size() == 32) std::copy(r.begin(), r.end(), w.begin());
        return address_from_word(w);
    }
    std::optional<node::BountyClosed> closed_log(const Hash& id) {
        chain::LogFilter f;
        f.from_block = first_block;
        f.addresses = {d.proof_market};
        f.topics = {{node::bounty_closed_topic()}, {id}};
        auto logs = node.eth().get_logs(f);
        if (!logs || logs->empty()) return std::nullopt;
        return node::decode_bounty_closed(logs->front());
    }

    /// Mines `n` blocks at once (the draw block is DRAW_DELAY blocks after arming).
    void mine(std::uint64_t n) {
        ASSERT_TRUE(node.eth().rpc().call("anvil_mine", chain::Json::array({n})).has_value());
    }
    /// Moves chain time past the challenge window (and mines a block).
    void end_challenge_window() {
        ASSERT_TRUE(node.eth().rpc().call("evm_increaseTime", chain::Json::array({kChallengeWindow + 5})).has_value());
        ASSERT_TRUE(node.eth().rpc().call("evm_mine", chain::Json::array()).has_value());
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

/// `sigil challenger --check` on `text`: exit status and output.
std::pair<int, std::string> challenger_check(const fs::path& dir, const std::string& text) {
    const fs::path file = dir / "check.toml";
    std::ofstream(file) << text;
    const std::string cmd =
        std::string(SIGIL_CLI_PATH) + " challenger --check --dev-key --config " + file.string() + " 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    std::string out;
    char buf[512];
    while (p != nullptr && std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
    const int st = p != nullptr ? ::pclose(p) : -1;
    return {st, out};
}

TEST(bounty_integration, verifier_arms_draws_attests_an_honest_answer_and_is_paid_after_the_window) {
    Env env("honest");
    const Address honest = env.ops[0]->address();
    const Address verifier = env.ops[2]->address();  // account 3: bond tokens, no stake
    const NodeSetup vs = env.challenger("verifier", 3);
    // --check names the refused key, and accepts the verifier's file.
    std::string no_market = vs.config_text;
    const std::string market_line = "proof_market = \"" + to_checksum(env.d.proof_market) + "\"\n";
    no_market.erase(no_market.find(market_line), market_line.size());
    auto [bad_st, bad_out] = challenger_check(env.dir, no_market);
    EXPECT_NE(bad_st, 0);
    EXPECT_NE(bad_out.find("error: contracts.proof_market: missing_key"), std::string::npos) << bad_out;
    auto [good_st, good_out] = challenger_check(env.dir, vs.config_text);
    EXPECT_EQ(good_st, 0) << good_out;
    EXPECT_NE(good_out.find("\"challenger\":\"bounty\""), std::string::npos) << good_out;
    NodeProcess v(env.node, env.d, Anvil::account(3), vs);
    v.start();
    ASSERT_TRUE(env.wait_for([&] { return env.verifier(verifier).registered; }, 30)) << log_text(v);
    EXPECT_EQ(env.verifier(verifier).bond, kVerifierBond);
    const u256 paid_before = env.pay_balance(verifier);

    const Hash id = env.request_with_bounty(env.input(700));
    EXPECT_EQ(env.bounty(id).phase, node::BountyPhase::posted);
    NodeProcess h(env.node, env.d, Anvil::account(1), env.setup("honest", ""));
    h.start();
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::answered; }, 30)) << log_text(h);
    EXPECT_EQ(env.view(id).seat0, honest);
    // Answered: the verifier arms it; the draw waits for the draw block.
    ASSERT_TRUE(env.wait_for([&] { return env.bounty(id).phase == node::BountyPhase::armed; }, 30)) << log_text(v);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(env.bounty(id).phase, node::BountyPhase::armed);  // not drawn early
    // Killed while the bounty is armed, the verifier comes back from its store: it neither
    // registers nor arms again, and draws once the draw block is past.
    v.kill9();
    env.mine(node::kDrawDelay + 2);
    v.start();
    ASSERT_TRUE(env.wait_for([&] { return env.bounty(id).phase == node::BountyPhase::attested; }, 30)) << log_text(v);
    const auto b = env.bounty(id);
    EXPECT_TRUE(b.selected);
    EXPECT_EQ(b.verifier, verifier);
    EXPECT_EQ(env.verifier(verifier).open, 1u);
    // Attested but not final: no resolve, no fee yet. After the window: resolve, then withdraw.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(env.bounty(id).phase, node::BountyPhase::attested);
    EXPECT_EQ(env.market_credit(verifier), u256(0));
    env.end_challenge_window();
    ASSERT_TRUE(env.wait_for([&] { return env.pay_balance(verifier) == paid_before + kFee; }, 30)) << log_text(v);
    EXPECT_EQ(env.bounty(id).phase, node::BountyPhase::closed);
    EXPECT_EQ(env.market_credit(verifier), u256(0));
    const auto closed = env.closed_log(id);
    ASSERT_TRUE(closed.has_value());
    EXPECT_EQ(closed->paid_to, verifier);
    EXPECT_TRUE(closed->to_verifier);
    EXPECT_EQ(closed->fee, kFee);
    EXPECT_EQ(env.verifier(verifier).open, 0u);
    EXPECT_EQ(env.verifier(verifier).bond, kVerifierBond);                      // no penalty
    EXPECT_EQ(env.word(env.d.dispute_game, node::game_count_call()), u256(0));  // nothing disputed
    EXPECT_FALSE(env.slashed(id, honest));
    // The chain shows the withdrawal as soon as it is mined; the node logs it once it has the
    // receipt, a moment later.
    EXPECT_TRUE(env.wait_for([&] { return log_text(v).find("\"kind\":\"withdraw\"") != std::string::npos; }, 10));
    const std::string text = log_text(v);
    EXPECT_NE(text.find("\"kind\":\"arm\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"kind\":\"draw\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"kind\":\"attest\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"kind\":\"withdraw\""), std::string::npos) << text;
    // A restarted verifier sends nothing again for a closed bounty.
    v.stop();
    v.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    EXPECT_EQ(env.pay_balance(verifier), paid_before + kFee);
    const std::string after = log_text(v);
    const auto restart = after.rfind("node started");
    ASSERT_NE(restart, std::string::npos);
    EXPECT_EQ(after.find("\"msg\":\"bounty transaction\"", restart), std::string::npos) << after;
    // Over the three runs: one transaction of each kind.
    std::ifstream in(v.log_file());
    std::stringstream all;
    all << in.rdbuf();
    for (const char* kind : {"approve", "register", "arm", "draw", "attest", "bounty_resolve", "withdraw"}) {
        EXPECT_EQ(count(all.str(), std::string("\"kind\":\"") + kind + "\""), 1u) << kind;
    }
}

TEST(bounty_integration, drawn_verifier_disputes_a_lie_wins_the_game_and_is_paid_the_fee) {
    Env env("liar");
    const Address liar = env.ops[0]->address();
    const Address verifier = env.ops[1]->address();  // an operator node that serves nothing
    NodeProcess v(env.node, env.d, Anvil::account(2),
                  env.setup("verifier", "[challenger]\nmode = \"bounty\"\nserve = false\n\n[verifier]\nbond = \"" +
                                            to_dec(kVerifierBond) + "\"\n"));
    v.start();
    ASSERT_TRUE(env.wait_for([&] { return env.verifier(verifier).registered; }, 30)) << log_text(v);
    const u256 paid_before = env.pay_balance(verifier);
    const u256 bond_before = env.word(env.d.bond_token, node::balance_of_call(verifier));

    const Hash id = env.request_with_bounty(env.input(800));
    NodeProcess l(env.node, env.d, Anvil::account(1), env.setup("liar", "[fault]\nprobability = 1\nseed = 5\n"));
    l.start();
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::answered; }, 30)) << log_text(l);
    ASSERT_TRUE(env.wait_for([&] { return env.bounty(id).phase == node::BountyPhase::armed; }, 30)) << log_text(v);
    // Before the draw the lie is nobody's business: the verifier opens no game on its own.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(env.word(env.d.dispute_game, node::game_count_call()), u256(0));
    env.mine(node::kDrawDelay + 2);
    ASSERT_TRUE(env.wait_for([&] { return env.bounty(id).phase == node::BountyPhase::assigned; }, 30)) << log_text(v);
    EXPECT_EQ(env.bounty(id).verifier, verifier);
    // The drawn verifier disputes and plays the game to the one-step proof against the defending
    // liar; killed once the game is open, it comes back from its store and finishes the job.
    ASSERT_TRUE(env.wait_for([&] { return env.word(env.d.dispute_game, node::game_count_call()) == 1; }, 30))
        << log_text(v);
    v.kill9();
    v.start();
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::refuted; }, 90))
        << log_text(v) << "\n----\n"
        << log_text(l);
    EXPECT_TRUE(env.wait_for([&] { return env.slashed(id, liar); }, 10));
    EXPECT_EQ(env.refuted_by(id), verifier);
    const auto gv = node::decode_game_view(env.call(env.d.dispute_game, node::get_game_call(1)));
    ASSERT_TRUE(gv.has_value());
    EXPECT_EQ(gv->challenger, verifier);
    EXPECT_EQ(gv->defender, liar);
    EXPECT_FALSE(gv->defender_won);
    // Refuted by its game: the verifier resolves and withdraws the fee; its dispute bond is back.
    ASSERT_TRUE(env.wait_for([&] { return env.pay_balance(verifier) == paid_before + kFee; }, 30)) << log_text(v);
    const auto closed = env.closed_log(id);
    ASSERT_TRUE(closed.has_value());
    EXPECT_EQ(closed->paid_to, verifier);
    EXPECT_TRUE(closed->to_verifier);
    EXPECT_EQ(env.bounty(id).phase, node::BountyPhase::closed);
    EXPECT_EQ(env.verifier(verifier).bond, kVerifierBond);
    EXPECT_EQ(env.verifier(verifier).open, 0u);
    EXPECT_TRUE(
        env.wait_for([&] { return env.word(env.d.bond_token, node::balance_of_call(verifier)) == bond_before; }, 10));
    const std::string text = log_text(v);
    EXPECT_NE(text.find("bounty claim differs"), std::string::npos) << text;
    EXPECT_EQ(text.find("\"kind\":\"attest\""), std::string::npos) << text;
}

TEST(bounty_integration, two_verifiers_race_to_arm_and_draw_and_only_the_drawn_one_attests) {
    Env env("race");
    const Address a = env.ops[2]->address();
    const Address b = env.ops[3]->address();
    NodeProcess va(env.node, env.d, Anvil::account(3), env.challenger("va", 3));
    NodeProcess vb(env.node, env.d, Anvil::account(4), env.challenger("vb", 4));
    va.start();
    vb.start();
    ASSERT_TRUE(env.wait_for([&] { return env.verifier(a).registered && env.verifier(b).registered; }, 30))
        << log_text(va) << "\n----\n"
        << log_text(vb);
    const Hash id = env.request_with_bounty(env.input(900));
    NodeProcess h(env.node, env.d, Anvil::account(1), env.setup("honest", ""));
    h.start();
    ASSERT_TRUE(env.wait_for([&] { return env.bounty(id).phase == node::BountyPhase::armed; }, 30))
        << log_text(va) << "\n----\n"
        << log_text(vb);
    env.mine(node::kDrawDelay + 2);
    ASSERT_TRUE(env.wait_for([&] { return env.bounty(id).phase == node::BountyPhase::attested; }, 30))
        << log_text(va) << "\n----\n"
        << log_text(vb);
    const Address drawn = env.bounty(id).verifier;
    ASSERT_TRUE(drawn == a || drawn == b);
    NodeProcess& winner = drawn == a ? va : vb;
    NodeProcess& other = drawn == a ? vb : va;
    // The other verifier learns it was not drawn and stops following the bounty.
    EXPECT_TRUE(env.wait_for([&] { return log_text(other).find("drawn_for_other") != std::string::npos; }, 10))
        << log_text(other);
    // The chain shows the attestation before the winner has logged its receipt.
    EXPECT_TRUE(env.wait_for([&] { return count(log_text(winner), "\"kind\":\"attest\"") == 1; }, 10))
        << log_text(winner);
    const std::string w = log_text(winner), o = log_text(other);
    EXPECT_EQ(count(o, "\"kind\":\"attest\""), 0u) << o;
    // One arm and one draw, sent by the bounty's designated caller (caller_rank): the other
    // verifier waited its turn, saw the call done, and sent nothing (no reverted transaction).
    for (const char* kind : {"arm", "draw"}) {
        const std::string sent = std::string("\"kind\":\"") + kind + "\"";
        const std::string ok = sent + ",\"ok\":true";
        EXPECT_EQ(count(w, ok) + count(o, ok), 1u) << kind << "\n" << w << "\n----\n" << o;
        EXPECT_EQ(count(w, sent) + count(o, sent), 1u) << kind << "\n" << w << "\n----\n" << o;
    }
    // The winner alone is paid once the answer is final.
    const u256 before = env.pay_balance(drawn);
    const Address loser = drawn == a ? b : a;
    const u256 loser_before = env.pay_balance(loser);
    env.end_challenge_window();
    ASSERT_TRUE(env.wait_for([&] { return env.pay_balance(drawn) == before + kFee; }, 30)) << log_text(winner);
    EXPECT_EQ(env.pay_balance(loser), loser_before);
    EXPECT_EQ(env.verifier(loser).open, 0u);
}

// A k = 3 request: three honest nodes commit and reveal the same answer, and the verifier (drawn
// from the market, never one of the seats) attests the agreed claim and is paid after the window.
TEST(bounty_integration, k3_answer_is_attested_and_the_verifier_paid) {
    Env env("k3", 3);
    const Address verifier = env.ops[3]->address();  // account 4: bond tokens, no stake
    NodeProcess v(env.node, env.d, Anvil::account(4), env.challenger("verifier", 4));
    v.start();
    ASSERT_TRUE(env.wait_for([&] { return env.verifier(verifier).registered; }, 30)) << log_text(v);
    const u256 paid_before = env.pay_balance(verifier);
    const Hash id = env.request_with_bounty(env.input(900), 3);
    std::vector<std::unique_ptr<NodeProcess>> seats;
    for (int i = 1; i <= 3; ++i) {
        seats.push_back(std::make_unique<NodeProcess>(env.node, env.d, Anvil::account(i),
                                                      env.setup("n" + std::to_string(i), "")));
        seats.back()->start();
    }
    ASSERT_TRUE(env.wait_for([&] { return env.view(id).status == node::RequestStatus::answered; }, 60))
        << log_text(*seats[0]);
    ASSERT_TRUE(env.wait_for([&] { return env.bounty(id).phase == node::BountyPhase::armed; }, 30)) << log_text(v);
    env.mine(node::kDrawDelay + 2);
    ASSERT_TRUE(env.wait_for([&] { return env.bounty(id).phase == node::BountyPhase::attested; }, 30)) << log_text(v);
    EXPECT_EQ(env.bounty(id).verifier, verifier);
    env.end_challenge_window();
    ASSERT_TRUE(env.wait_for([&] { return env.pay_balance(verifier) == paid_before + kFee; }, 30)) << log_text(v);
    const auto closed = env.closed_log(id);
    ASSERT_TRUE(closed.has_value());
    EXPECT_EQ(closed->paid_to, verifier);
    EXPECT_TRUE(closed->to_verifier);
    EXPECT_EQ(env.word(env.d.dispute_game, node::game_count_call()), u256(0));  // nothing disputed
    for (std::size_t i = 0; i < 3; ++i) EXPECT_FALSE(env.slashed(id, env.ops[i]->address()));
    for (auto& n : seats) n->stop();
    v.stop();
}

}  // namespace
}  // namespace sigil::itest
