#include "devnet/disputes.hpp"

#include <fstream>
#include <map>
#include <ostream>
#include <random>
#include <sstream>
#include <thread>

#include "bindings/coordinator.hpp"
#include "bindings/delegation_manager.hpp"
#include "bindings/dispute_game.hpp"
#include "bindings/test_token.hpp"
#include "core/keccak.hpp"
#include "core/trace/fault.hpp"
#include "devnet/client.hpp"
#include "devnet/process.hpp"
#include "devnet/workload.hpp"

namespace sigil::devnet {
namespace {

namespace fs = std::filesystem;
using abi::Value;
using Clock = std::chrono::steady_clock;

struct EventName {
    const bindings::EventInfo& event;
    const char* name;
};
namespace GE = bindings::dispute_game::event;
const EventName kGameEvents[] = {
    {GE::Challenged, "challenge"},  {GE::Bisected, "bisect"},          {GE::Chosen, "choose"},
    {GE::OutputRevealed, "reveal"}, {GE::ChildrenRevealed, "descend"}, {GE::Picked, "pick"},
    {GE::Resolved, "resolve"},
};

std::string event_name(const Hash& topic0) {
    for (const auto& e : kGameEvents) {
        if (bindings::topic(e.event) == topic0) return e.name;
    }
    return "";
}

constexpr std::uint8_t kRefuted = 7;  // CoordinatorTypes.sol Status.Refuted

/// The liar's fault: every request, lied about at one trace step. The devnet writes it into the
/// liar's node.toml and knows from it where each lie is (trace::lie_for).
const trace::FaultSpec kLiarFault{1.0, 1, trace::FaultKind::trace};

std::string fault_toml(const trace::FaultSpec& f) {
    std::ostringstream o;
    o << "[fault]\nprobability = " << std::fixed << f.probability << "\nseed = " << f.seed << "\nkind = \""
      << trace::to_string(f.kind) << "\"\n";
    return o.str();
}

}  // namespace

Actor join(Signer& owner, const Deployment& d, const World& w, const std::string& label, const u256& price) {
    Session& s = owner.session();
    Actor a;
    a.label = label;
    const auto key = devnet_key(label);
    a.secret = key.secret();
    a.address = key.address();
    a.stake = w.params.operator_stake;
    fund_eth(s, a.address, u256(1000) * kWad);
    Signer signer(s, key);
    register_operator(signer, d, 0, "sigil://devnet/" + label);
    owner.send_values(d.stake_token, bindings::test_token::fn::mint.signature,
                      {Value::address(a.address), Value::uint(a.stake)});
    deposit(signer, d, d.strategy, a.stake);
    allocate(signer, d, d.strategy, kWad);
    s.mine(1);
    std::vector<Service> services;
    for (const auto& m : w.models) services.push_back({m.root, d.pay_token, price});
    register_for_sigil(signer, d, {"http://127.0.0.1:0", "local", 0, 8}, services);
    return a;
}

/// The node configuration of a joining operator: the devnet's, with its own floor, the current
/// block as the start and `extra` tables.
std::string config_for(const Deployment& d, const World& w, const Actor& a, const fs::path& data, const u256& floor,
                       std::uint64_t start_block, const std::string& extra) {
    OperatorInfo op;
    op.self = a;
    op.api_port = free_port();
    std::string t = node_config(d, w, op, data);
    auto replace = [&](const std::string& from, const std::string& to) {
        for (auto at = t.find(from); at != std::string::npos; at = t.find(from, at + to.size())) {
            t.replace(at, from.size(), to);
        }
    };
    replace("min = \"" + to_dec(w.params.price) + "\"", "min = \"" + to_dec(floor) + "\"");
    replace("start_block = " + std::to_string(d.deploy_block) + "\n",
            "start_block = " + std::to_string(start_block) + "\n");
    return t + "\n" + extra;
}

u256 shares_of(Session& s, const Deployment& d, const Address& op) {
    return s
        .call_values(d.delegation_manager, bindings::with_outputs(bindings::delegation_manager::fn::operatorShares),
                     {Value::address(op), Value::address(d.strategy)})[0]
        .num;
}

u256 credit_of(Session& s, const Deployment& d, const Address& who) {
    return s
        .call_values(d.coordinator, bindings::with_outputs(bindings::coordinator::fn::credits),
                     {Value::address(who), Value::address(d.pay_token)})[0]
        .num;
}

bool DisputeSummary::all_caught() const {
    for (const auto& r : disputes) {
        if (!r.refuted || r.defender_won || r.k != r.lie_step) return false;
    }
    return !disputes.empty();
}

DisputeSummary run_disputes(Signer& owner, const Deployment& d, const World& w, unsigned count, const fs::path& dir,
                            const fs::path& sigil, std::ostream& out, std::chrono::seconds timeout) {
    if (d.dispute_game == Address{}) throw DevnetError("faulty scenario: the deployment has no DisputeGame");
    Session& s = owner.session();
    const u256 price = w.params.price / 2;  // below the honest operators' floor: only the liar serves
    const Actor liar = join(owner, d, w, "faulty/liar", price);
    const Actor checker = join(owner, d, w, "faulty/challenger", price);
    owner.send_values(d.bond_token, bindings::test_token::fn::mint.signature,
                      {Value::address(checker.address), Value::uint(u256(100) * kWad)});
    const std::uint64_t start = s.eth().block_number().value_or(0);
    std::vector<std::unique_ptr<ChildProcess>> nodes;
    const std::pair<std::string, const Actor*> roles[] = {{"liar", &liar}, {"challenger", &checker}};
    for (const auto& [name, a] : roles) {
        const fs::path ndir = dir / ("node-" + name);
        const fs::path data = fresh_data_dir(ndir);
        const std::string extra =
            name == "liar" ? fault_toml(kLiarFault) : "[challenger]\nmode = \"all\"\nserve = false\n";
        std::ofstream(ndir / "node.toml") << config_for(d, w, *a, data, price, start, extra);
        nodes.push_back(std::make_unique<ChildProcess>(
            std::vector<std::string>{sigil.string(), "node", "--config", (ndir / "node.toml").string(), "--dev-key"},
            ndir / "node.log"));
    }
    out << "faulty scenario: liar " << to_hex(liar.address) << ", challenger " << to_hex(checker.address) << "\n";

    const ModelFile& m = w.models.at(0);
    std::uint64_t input_bytes = 1;
    for (auto dim : m.input_shape) input_bytes *= dim;
    Signer consumer(s, w.consumer.key());
    DisputeSummary sum;
    for (unsigned i = 0; i < count; ++i) {
        std::mt19937 rng(1000 + i);
        Bytes input(static_cast<std::size_t>(input_bytes));
        for (auto& b : input) b = static_cast<std::uint8_t>(rng());
        const u256 escrow = price * 2 + kWad;
        owner.send_values(d.pay_token, bindings::test_token::fn::mint.signature,
                          {Value::address(w.consumer.address), Value::uint(escrow)});
        consumer.send_values(d.pay_token, bindings::test_token::fn::approve.signature,
                             {Value::address(d.coordinator), Value::uint(escrow)});
        const u256 shares_before = shares_of(s, d, liar.address);
        const Value params =
            Value::tuple({Value::bytes_n(m.root), Value::bytes_n(Hash{}), Value::address(d.pay_token),
                          Value::uint(price, 96), Value::uint(1, 8), Value::boolean(false), Value::uint(0, 32),
                          Value::uint(3600, 32), Value::uint(0, 32), Value::address(Address{})});
        const auto t0 = Clock::now();
        const auto rc = consumer.send_values(d.coordinator, bindings::coordinator::fn::request.signature,
                                             {params, Value::dyn_bytes(input), Value::string("")});
        // After the request: its escrow may have been taken from the consumer's earlier refunds.
        const u256 credit_before = credit_of(s, d, w.consumer.address);
        DisputeRecord r;
        for (const auto& log : rc.logs) {
            if (log.address == d.coordinator && log.topics.size() == 3) r.request = log.topics[1];
        }
        while (status_of(s, d, r.request) != kRefuted) {
            if (Clock::now() - t0 > timeout) {
                throw DevnetError("faulty scenario: request " + to_hex(r.request) +
                                  " was not refuted in time (see node-liar/node.log, node-challenger/node.log)");
            }
            for (auto& n : nodes) {
                if (!n->running()) throw DevnetError("faulty scenario: a node exited (see its node.log)");
            }
            if (!sleep_unless_stopped(std::chrono::milliseconds(50))) throw DevnetError("stopped");
        }
        r.wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        r.refuted = true;
        r.slashed_shares = shares_before - shares_of(s, d, liar.address);
        r.consumer_refund = credit_of(s, d, w.consumer.address) - credit_before;
        sum.disputes.push_back(r);
    }
    // The games, read back from DisputeGame's logs.
    chain::LogFilter f;
    f.from_block = start;
    f.addresses = {d.dispute_game};
    auto logs = s.eth().get_logs(f);
    if (!logs) throw DevnetError("faulty scenario: eth_getLogs: " + describe_rpc_error(logs.error()));
    std::map<Hash, std::uint64_t> gas_of;
    for (auto& r : sum.disputes) {
        for (const auto& log : *logs) {
            if (log.topics.size() < 2) continue;
            const std::string name = event_name(log.topics[0]);
            if (name == "challenge" && log.topics.size() >= 3 && log.topics[2] == r.request) {
                r.game = static_cast<std::uint64_t>(from_be(BytesView(log.topics[1].data(), 32)));
            }
        }
        if (r.game == 0) continue;
        for (const auto& log : *logs) {
            if (log.topics.size() < 2 ||
                static_cast<std::uint64_t>(from_be(BytesView(log.topics[1].data(), 32))) != r.game)
                continue;
            const std::string name = event_name(log.topics[0]);
            if (name.empty()) continue;
            if (!gas_of.count(log.transaction_hash)) {
                auto rc = s.eth().get_transaction_receipt(log.transaction_hash);
                gas_of[log.transaction_hash] = rc && rc->has_value() ? static_cast<std::uint64_t>((*rc)->gas_used) : 0;
            }
            const std::uint64_t gas = gas_of[log.transaction_hash];
            r.moves.emplace_back(name, gas);
            r.gas_total += gas;
            ++r.transactions;
        }
        const auto g = s.call_values(d.dispute_game, bindings::with_outputs(bindings::dispute_game::fn::getGame),
                                     {Value::uint(r.game)})[0]
                           .elems;
        namespace G = bindings::dispute_game::field::Game;
        r.steps = static_cast<std::uint64_t>(g[G::steps].num);
        r.k = static_cast<std::uint64_t>(g[G::hi].num);
        r.defender_won = g[G::defenderWon].num != 0;
    }
    // Where the liar lied: the step its fault draws for the request (the bisection must end there).
    for (auto& r : sum.disputes) {
        if (const auto lie = trace::lie_for(r.request, kLiarFault, *m.program)) r.lie_step = lie->step;
    }
    for (auto& r : sum.disputes) {
        for (const auto& log : *logs) {
            namespace A = bindings::dispute_game::arg::Resolved;
            auto v = bindings::decode_event(bindings::dispute_game::event::Resolved, log.topics, log.data);
            if (v && static_cast<std::uint64_t>((*v)[A::gameId].num) == r.game) r.reason = (*v)[A::reason].as_string();
        }
    }
    return sum;
}

std::string DisputeSummary::to_text() const {
    std::ostringstream o;
    o << "disputes: " << disputes.size() << (all_caught() ? ", every lie caught and slashed\n" : ", NOT all caught\n");
    for (const auto& r : disputes) {
        o << "  game " << r.game << " request " << to_hex(r.request).substr(0, 12) << "…: N = " << r.steps
          << ", lie at step " << r.lie_step << ", bisection ended at k = " << r.k << "; " << r.transactions
          << " transactions, " << r.gas_total << " gas; winner " << (r.defender_won ? "defender (liar)" : "challenger")
          << " (" << r.reason << "); slashed " << format_units(r.slashed_shares) << " shares; consumer refund "
          << format_units(r.consumer_refund) << " PAY; status " << (r.refuted ? "Refuted" : "not refuted") << "; "
          << static_cast<long>(r.wall_ms) << " ms from request to refutation\n    moves:";
        for (const auto& [name, gas] : r.moves) o << " " << name << "=" << gas;
        o << "\n";
    }
    return o.str();
}

chain::Json DisputeSummary::to_json() const {
    chain::Json a = chain::Json::array();
    for (const auto& r : disputes) {
        chain::Json moves = chain::Json::array();
        for (const auto& [name, gas] : r.moves) moves.push_back({{"move", name}, {"gas", gas}});
        a.push_back({{"request", to_hex(r.request)},
                     {"game", r.game},
                     {"steps", r.steps},
                     {"k", r.k},
                     {"lieStep", r.lie_step},
                     {"transactions", r.transactions},
                     {"gas", r.gas_total},
                     {"moves", moves},
                     {"defenderWon", r.defender_won},
                     {"reason", r.reason},
                     {"slashedShares", to_dec(r.slashed_shares)},
                     {"consumerRefund", to_dec(r.consumer_refund)},
                     {"refuted", r.refuted},
                     {"wallMs", r.wall_ms}});
    }
    return chain::Json{{"allCaught", all_caught()}, {"disputes", a}};
}

}  // namespace sigil::devnet
