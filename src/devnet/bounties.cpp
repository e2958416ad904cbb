#include "devnet/bounties.hpp"

#include <fstream>
#include <map>
#include <ostream>
#include <sstream>

#include "bindings/coordinator.hpp"
#include "bindings/fashion_classifier.hpp"
#include "bindings/proof_market.hpp"
#include "bindings/test_token.hpp"
#include "devnet/artifacts.hpp"
#include "devnet/client.hpp"
#include "devnet/events.hpp"
#include "devnet/process.hpp"
#include "devnet/workload.hpp"

namespace sigil::devnet {
namespace {

namespace BC = bindings::proof_market::arg::BountyClosed;

namespace fs = std::filesystem;
using abi::Value;
using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kFullCheck = 1'000'000'000'000'000'000ULL;  // pWad = 1: every answer checked
constexpr std::uint8_t kSettled = 5;

// ProofMarket.State
constexpr std::uint8_t kArmed = 2;
constexpr std::uint8_t kAttested = 4;
constexpr std::uint8_t kClosed = 5;

struct BountyState {
    std::uint8_t state = 0;
    std::uint64_t arm_block = 0;
};

BountyState bounty_of(Session& s, const Deployment& d, const Hash& id) {
    const auto v = s.call_values(d.proof_market, bindings::with_outputs(bindings::proof_market::fn::getBounty),
                                 {Value::bytes_n(id)});
    const auto& b = v.at(0).elems;
    namespace B = bindings::proof_market::field::Bounty;
    return {static_cast<std::uint8_t>(b.at(B::state).num), static_cast<std::uint64_t>(b.at(B::armBlock).num)};
}

std::uint64_t market_uint(Session& s, const Deployment& d, std::string_view getter) {
    return static_cast<std::uint64_t>(s.call_uint(d.proof_market, getter, {}));
}

/// The `sigil challenger` configuration of the verifier: bounty mode, every world model.
std::string verifier_config(const Deployment& d, const World& w, const Actor& v, const fs::path& data,
                            std::uint64_t start_block, const u256& bond) {
    std::ostringstream t;
    t << "# Verifier configuration written by `sigil devnet --bounties`\n"
      << "[chain]\nrpc_url = \"" << d.rpc_url << "\"\nchain_id = " << d.chain_id
      << "\nconfirmations = 0\npoll_interval_ms = 200\nstart_block = " << start_block << "\n\n"
      << "[contracts]\ncoordinator = \"" << to_hex(d.coordinator) << "\"\ndispute_game = \"" << to_hex(d.dispute_game)
      << "\"\nproof_market = \"" << to_hex(d.proof_market) << "\"\n\n"
      << "[account]\nprivate_key = \"" << to_hex(v.secret) << "\"\n\n"
      << "[node]\ndata_dir = \"" << data.string() << "\"\n\n";
    for (const auto& m : w.models) {
        t << "[[model]]\nprogram = \"" << fs::absolute(m.path).string() << "\"\nroot = \"" << to_hex(m.root)
          << "\"\n\n";
    }
    t << "[challenger]\nmode = \"bounty\"\n\n[verifier]\nbond = \"" << to_dec(bond) << "\"\n";
    return t.str();
}

/// Waits until `done()` holds, polling every 100 ms; `step()` runs before each check (mines
/// blocks when the verifier needs them). Throws naming `what` after `timeout`.
template <typename Done, typename Step>
void wait_until(Done done, Step step, ChildProcess& verifier, std::chrono::seconds timeout, const std::string& what) {
    const auto until = Clock::now() + timeout;
    while (true) {
        step();
        if (done()) return;
        if (!verifier.running()) throw DevnetError("bounty scenario: the verifier exited (see node-verifier/node.log)");
        if (Clock::now() > until) {
            throw DevnetError("bounty scenario: " + what + " did not happen in time (see node-verifier/node.log)");
        }
        if (!sleep_unless_stopped(std::chrono::milliseconds(100))) throw DevnetError("stopped");
    }
}

}  // namespace

bool BountySummary::all_paid() const {
    u256 fees = 0;
    for (const auto& b : bounties) {
        if (!b.attested || !b.paid_to_verifier || b.verifier != verifier || b.label != b.expected_label) return false;
        fees += b.fee;
    }
    return !bounties.empty() && withdrawn == fees;
}

BountySummary run_bounties(Signer& owner, const Deployment& d, const World& w, unsigned count, const fs::path& dir,
                           const fs::path& sigil, std::ostream& out, std::chrono::seconds timeout) {
    if (d.proof_market == Address{}) throw DevnetError("bounty scenario: the deployment has no ProofMarket");
    if (w.models.empty()) throw DevnetError("bounty scenario: no models registered");
    Session& s = owner.session();
    BountySummary sum;

    // The market's terms: a request's challenge window must cover the draw and the verifier's window.
    const std::uint64_t draw_delay = market_uint(s, d, bindings::with_outputs(bindings::proof_market::fn::DRAW_DELAY));
    const auto verify_window = static_cast<std::uint32_t>(
        market_uint(s, d, bindings::with_outputs(bindings::proof_market::fn::MIN_VERIFY_WINDOW)));
    const auto needed = static_cast<std::uint32_t>(
        verify_window + market_uint(s, d, bindings::with_outputs(bindings::proof_market::fn::DRAW_SECONDS)));
    sum.restored_window = static_cast<std::uint32_t>(
        s.call_uint(d.coordinator, bindings::with_outputs(bindings::coordinator::fn::challengeWindow), {}));
    sum.window = std::max(sum.restored_window, needed);
    const u256 bond =
        u256(2) * s.call_uint(d.proof_market, bindings::with_outputs(bindings::proof_market::fn::minBond), {});
    const u256 fee = w.params.price;

    // The verifier: funded, bonded by its own node on start.
    Actor v;
    v.label = "bounty/verifier";
    const auto key = devnet_key(v.label);
    v.secret = key.secret();
    v.address = key.address();
    sum.verifier = v.address;
    fund_eth(s, v.address, u256(1000) * kWad);
    owner.send_values(d.bond_token, bindings::test_token::fn::mint.signature,
                      {Value::address(v.address), Value::uint(bond)});
    const std::uint64_t start = s.eth().block_number().value_or(0);
    const fs::path vdir = dir / "node-verifier";
    const fs::path data = fresh_data_dir(vdir);
    std::ofstream(vdir / "node.toml") << verifier_config(d, w, v, data, start, bond);
    ChildProcess verifier({sigil.string(), "challenger", "--config", (vdir / "node.toml").string(), "--dev-key"},
                          vdir / "node.log");
    out << "bounty scenario: verifier " << to_hex(v.address) << " bonds " << format_units(bond)
        << " BOND; challenge window " << sum.restored_window << " s -> " << sum.window
        << " s for these requests (DRAW_SECONDS + verifyWindow " << verify_window << " s)\n";
    auto registered = [&] {
        const auto r = s.call_values(d.proof_market, bindings::with_outputs(bindings::proof_market::fn::getVerifier),
                                     {Value::address(v.address)});
        return r.at(0).elems.at(bindings::proof_market::field::Verifier::registered).num != 0;
    };
    wait_until(registered, [] {}, verifier, timeout, "the verifier's registration");
    s.mine(1);  // the draw only counts verifiers registered before the bounty was armed

    // The consumer's verified classifier (FashionClassifier.classifyVerified).
    const ModelFile& model = w.models.at(0);
    Signer consumer(s, w.consumer.key());
    const Address classifier =
        consumer.deploy(creation_code("FashionClassifier"), bindings::fashion_classifier::kConstructor,
                        {Value::address(d.coordinator), template_params(d, model, fee, 1)});
    const u256 cost_bound = u256(count) * (fee * 3 + w.params.royalty + kWad);
    owner.send_values(d.pay_token, bindings::test_token::fn::mint.signature,
                      {Value::address(classifier), Value::uint(cost_bound)});
    const u256 paid_before = token_balance(s, d.pay_token, v.address);

    auto set_window = [&](std::uint32_t window) {
        if (sum.window != sum.restored_window) {
            owner.send_values(d.coordinator, bindings::coordinator::fn::setChallengeWindow.signature,
                              {Value::uint(window, 32)});
        }
    };
    set_window(sum.window);
    const data::Dataset images = load_test_images();
    std::vector<Clock::time_point> sent;
    std::vector<std::vector<Value>> jobs;
    try {
        for (unsigned i = 0; i < count; ++i) {
            BountyRecord r;
            r.item = 1000 + i;
            const Bytes input = encode_image(model, images.image(200 + i));
            r.expected_label = run_local(model, input).label;
            sent.push_back(Clock::now());
            const auto rc = consumer.send_values(
                classifier, bindings::fashion_classifier::fn::classifyVerified.signature,
                {Value::uint(r.item), Value::dyn_bytes(input), Value::address(d.proof_market),
                 Value::uint(kFullCheck, 64), Value::uint(fee, 96), Value::uint(verify_window, 32)});
            auto [id, job] = requested_of(rc);
            r.request = id;
            r.steps.emplace_back("request+post", static_cast<std::uint64_t>(rc.gas_used));
            jobs.push_back(std::move(job));
            sum.bounties.push_back(std::move(r));
        }
    } catch (...) {
        set_window(sum.restored_window);
        throw;
    }
    set_window(sum.restored_window);

    // Arm -> draw block -> draw -> attest: the devnet mines the draw delay as soon as a bounty is armed.
    for (std::size_t i = 0; i < sum.bounties.size(); ++i) {
        auto& r = sum.bounties[i];
        auto attested = [&] {
            const auto st = bounty_of(s, d, r.request).state;
            return st == kAttested || st == kClosed;
        };
        auto mine_draw_delay = [&] {
            const BountyState b = bounty_of(s, d, r.request);
            if (b.state != kArmed) return;
            const std::uint64_t head = s.eth().block_number().value_or(0);
            if (head <= b.arm_block + draw_delay) s.mine(b.arm_block + draw_delay + 1 - head);
        };
        wait_until(attested, mine_draw_delay, verifier, timeout, "the attestation of " + to_hex(r.request));
        r.attest_ms = std::chrono::duration<double, std::milli>(Clock::now() - sent[i]).count();
    }

    // Past the challenge window: the answers are final; the verifier resolves and withdraws.
    s.advance_time(sum.window + 1);
    for (std::size_t i = 0; i < sum.bounties.size(); ++i) {
        settle_answered(owner, d, sum.bounties[i].request, jobs[i].at(0), out);
    }
    u256 fees = 0;
    for (const auto& r : sum.bounties) {
        wait_until([&] { return bounty_of(s, d, r.request).state == kClosed; }, [] {}, verifier, timeout,
                   "the payout of " + to_hex(r.request));
    }
    // The fee of each closed bounty, then its withdrawal to the verifier's wallet.
    chain::LogFilter f;
    f.from_block = start;
    f.addresses = {d.proof_market};
    auto logs = s.eth().get_logs(f);
    if (!logs) throw DevnetError("bounty scenario: eth_getLogs: " + describe_rpc_error(logs.error()));
    for (const auto& l : *logs) {
        if (auto c = decode_event("BountyClosed", l); c && (*c)[BC::toVerifier].num != 0) fees += (*c)[BC::fee].num;
    }
    wait_until([&] { return token_balance(s, d.pay_token, v.address) - paid_before >= fees; }, [] {}, verifier,
               timeout, "the verifier's withdrawal");
    sum.withdrawn = token_balance(s, d.pay_token, v.address) - paid_before;

    // The report, from the chain.
    std::map<Hash, std::uint64_t> gas;
    auto gas_of = [&](const Hash& tx) {
        if (!gas.count(tx)) {
            auto rc = s.eth().get_transaction_receipt(tx);
            gas[tx] = rc && rc->has_value() ? static_cast<std::uint64_t>((*rc)->gas_used) : 0;
        }
        return gas[tx];
    };
    const std::pair<const char*, const char*> steps[] = {
        {"BountyArmed", "arm"}, {"BountyDrawn", "draw"}, {"BountyAttested", "attest"}, {"BountyClosed", "resolve"}};
    chain::LogFilter cf;
    cf.from_block = start;
    cf.addresses = {classifier};
    cf.topics = {{topic_of("Classified")}};
    const std::vector<chain::Log> classified = s.eth().get_logs(cf).value_or(std::vector<chain::Log>{});
    for (auto& r : sum.bounties) {
        for (const auto& [event, name] : steps) {
            for (const auto& l : *logs) {
                if (l.topics.size() < 2 || l.topics[1] != r.request) continue;
                auto e = decode_event(event, l);
                if (!e) continue;
                r.steps.emplace_back(name, gas_of(l.transaction_hash));
                if (std::string_view(event) == "BountyDrawn")
                    r.verifier = (*e)[bindings::proof_market::arg::BountyDrawn::verifier].as_address();
                if (std::string_view(event) == "BountyAttested") r.attested = true;
                if (std::string_view(event) == "BountyClosed") {
                    r.fee = (*e)[BC::fee].num;
                    r.paid_to_verifier = (*e)[BC::toVerifier].num != 0 && (*e)[BC::paidTo].as_address() == r.verifier;
                }
            }
        }
        r.status = status_of(s, d, r.request);
        for (const auto& l : classified) {
            if (l.topics.size() < 3 || l.topics[2] != r.request) continue;
            if (auto e = decode_event("Classified", l))
                r.label = static_cast<int>((*e)[bindings::fashion_classifier::arg::Classified::label].num);
        }
    }
    return sum;
}

std::string BountySummary::to_text() const {
    std::ostringstream o;
    o << "bounties: " << bounties.size()
      << (all_paid() ? ", every answer re-executed, attested and the fee paid to the verifier\n"
                     : ", NOT all attested and paid\n");
    for (const auto& b : bounties) {
        o << "  request " << to_hex(b.request).substr(0, 12) << "…: label " << b.label << " (local " << b.expected_label
          << "); verifier " << to_hex(b.verifier).substr(0, 10) << "… " << (b.attested ? "attested" : "did not attest")
          << " " << static_cast<long>(b.attest_ms) << " ms after the request; fee " << format_units(b.fee) << " PAY "
          << (b.paid_to_verifier ? "paid to the verifier" : "NOT paid to the verifier") << "; status "
          << (b.status == kSettled ? "Settled" : std::to_string(b.status)) << "\n    gas:";
        for (const auto& [name, g] : b.steps) o << " " << name << "=" << g;
        o << "\n";
    }
    o << "  verifier " << to_hex(verifier) << " withdrew " << format_units(withdrawn) << " PAY; challenge window back to "
      << restored_window << " s\n";
    return o.str();
}

chain::Json BountySummary::to_json() const {
    chain::Json a = chain::Json::array();
    for (const auto& b : bounties) {
        chain::Json steps = chain::Json::array();
        for (const auto& [name, g] : b.steps) steps.push_back({{"step", name}, {"gas", g}});
        a.push_back({{"request", to_hex(b.request)},
                     {"item", b.item},
                     {"label", b.label},
                     {"expectedLabel", b.expected_label},
                     {"verifier", to_hex(b.verifier)},
                     {"attested", b.attested},
                     {"paidToVerifier", b.paid_to_verifier},
                     {"fee", to_dec(b.fee)},
                     {"steps", steps},
                     {"status", b.status},
                     {"attestMs", b.attest_ms}});
    }
    return chain::Json{{"allPaid", all_paid()},
                       {"verifier", to_hex(verifier)},
                       {"withdrawn", to_dec(withdrawn)},
                       {"challengeWindow", window},
                       {"restoredChallengeWindow", restored_window},
                       {"bounties", a}};
}

}  // namespace sigil::devnet
