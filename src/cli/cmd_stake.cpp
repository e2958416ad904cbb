// Restaking from the command line: `sigil operator register|allocate|status`,
// `sigil stake deposit|delegate|queue-withdrawal|complete-withdrawal`, `sigil rewards claim`, and
// the ProofMarket's verifiers: `sigil verifier status|register|exit|withdraw-bond|withdraw`.
// Contract addresses come from a deployment file (--deployment, default $SIGIL_DEPLOYMENT; the
// devnet writes one) and can be overridden one by one. Transactions are signed with
// --private-key or --keystore + --password-file, like `sigil send`.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>

#include "bindings/delegation_manager.hpp"
#include "bindings/proof_market.hpp"
#include "bindings/strategy_manager.hpp"
#include "bindings/test_token.hpp"
#include "chain/key_source.hpp"
#include "cli/commands.hpp"
#include "client/restaking.hpp"

namespace sigil::cli {
namespace {

using client::ClientError;
using client::Deployment;

/// Options every restaking command shares.
struct Common {
    std::string url, deployment, strategy_manager, delegation_manager, allocation_manager, rewards_coordinator,
        coordinator, operator_registry, operator_set, proof_market;
    chain::KeySource key;
};

std::string env_or(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? v : fallback;
}

void add_common(CLI::App* cmd, Common& c, bool signs) {
    c.url = env_or("ETH_RPC_URL", "http://127.0.0.1:8545");
    c.deployment = env_or("SIGIL_DEPLOYMENT", "");
    cmd->add_option("--rpc-url,-r", c.url, "JSON-RPC endpoint (default $ETH_RPC_URL or http://127.0.0.1:8545)");
    cmd->add_option("--deployment", c.deployment, "Deployment JSON with the contract addresses (default $SIGIL_DEPLOYMENT)");
    cmd->add_option("--strategy-manager", c.strategy_manager, "StrategyManager address (overrides the deployment)");
    cmd->add_option("--delegation-manager", c.delegation_manager, "DelegationManager address");
    cmd->add_option("--allocation-manager", c.allocation_manager, "AllocationManager address");
    cmd->add_option("--rewards-coordinator", c.rewards_coordinator, "RewardsCoordinator address");
    cmd->add_option("--coordinator", c.coordinator, "Sigil's Coordinator (its AVS) address");
    cmd->add_option("--operator-registry", c.operator_registry, "OperatorRegistry address");
    cmd->add_option("--operator-set", c.operator_set, "Sigil's operator set id");
    cmd->add_option("--proof-market", c.proof_market, "ProofMarket address (verification bounties)");
    if (!signs) return;
    add_key_options(cmd, c.key);
}

/// The deployment from the file plus overrides; `need` lists the fields the command uses.
Deployment resolve(const Common& c, std::initializer_list<Address Deployment::*> need) {
    Deployment d;
    if (!c.deployment.empty()) d = Deployment::load(c.deployment);
    auto set = [](const std::string& text, Address& field, const char* flag) {
        if (!text.empty()) field = client::parse_address_arg(text, std::string(flag) + " address");
    };
    set(c.strategy_manager, d.strategy_manager, "--strategy-manager");
    set(c.delegation_manager, d.delegation_manager, "--delegation-manager");
    set(c.allocation_manager, d.allocation_manager, "--allocation-manager");
    set(c.rewards_coordinator, d.rewards_coordinator, "--rewards-coordinator");
    set(c.coordinator, d.coordinator, "--coordinator");
    set(c.operator_registry, d.operator_registry, "--operator-registry");
    set(c.proof_market, d.proof_market, "--proof-market");
    if (!c.operator_set.empty()) {
        const u256 id = client::parse_amount_arg(c.operator_set, "--operator-set");
        if (id > 0xffffffffU) throw ClientError("invalid --operator-set '" + c.operator_set + "': exceeds uint32");
        d.operator_set_id = static_cast<std::uint32_t>(id);
    }
    static const std::pair<Address Deployment::*, const char*> names[] = {
        {&Deployment::strategy_manager, "--strategy-manager"},   {&Deployment::delegation_manager, "--delegation-manager"},
        {&Deployment::allocation_manager, "--allocation-manager"}, {&Deployment::rewards_coordinator, "--rewards-coordinator"},
        {&Deployment::coordinator, "--coordinator"},             {&Deployment::operator_registry, "--operator-registry"},
        {&Deployment::strategy, "--strategy"},                   {&Deployment::proof_market, "--proof-market"},
    };
    for (auto field : need) {
        if (d.*field != Address{}) continue;
        for (const auto& [f, name] : names) {
            if (f == field) throw ClientError(std::string("missing ") + name + " (or a --deployment file that has it)");
        }
    }
    return d;
}

chain::PrivateKey load(const Common& c) {
    auto key = chain::load_key(c.key);
    if (!key) throw ClientError(key.error().describe());
    return *key;
}

/// The strategy: --strategy, else the deployment's.
Address strategy_of(const std::string& text, const Deployment& d) {
    if (!text.empty()) return client::parse_address_arg(text, "--strategy address");
    if (d.strategy == Address{}) throw ClientError("missing --strategy (or a --deployment file that has it)");
    return d.strategy;
}

/// Runs `body`, turning library failures into one CLI line.
template <typename F>
void guarded(F&& body) {
    try {
        body();
    } catch (const ClientError& e) {
        throw CliError(e.what());
    }
}

/// Parses "MODEL_ROOT:TOKEN:PRICE".
client::Service parse_service(const std::string& text, const Deployment& d) {
    const auto a = text.find(':');
    const auto b = a == std::string::npos ? a : text.find(':', a + 1);
    if (b == std::string::npos) throw ClientError("invalid --service '" + text + "': expected MODEL_ROOT:TOKEN:PRICE");
    client::Service s;
    auto root = fixed_from_hex<32>(text.substr(0, a));
    if (!root) throw ClientError("invalid --service '" + text + "': model root is not 32-byte hex");
    s.model_root = *root;
    const std::string token = text.substr(a + 1, b - a - 1);
    s.token =
        token == "pay" && d.pay_token != Address{} ? d.pay_token : client::parse_address_arg(token, "--service token");
    s.price = client::parse_amount_arg(text.substr(b + 1), "--service price");
    return s;
}

void register_operator_cmds(CLI::App& app) {
    auto* op = app.add_subcommand("operator", "Operator actions on the restaking core and Sigil's operator set");
    op->require_subcommand(1);

    struct Reg {
        Common c;
        std::string uri = "", endpoint, region = "local";
        std::vector<std::string> services;
        std::uint32_t delay = 0, capacity = 4;
        std::uint16_t hardware = 0;
        bool core_only = false;
    };
    auto r = std::make_shared<Reg>();
    auto* reg = op->add_subcommand("register",
                                   "Register as an operator in the DelegationManager (if not yet) and in Sigil's "
                                   "operator set with an endpoint and services");
    add_common(reg, r->c, true);
    reg->add_option("--metadata-uri", r->uri, "Operator metadata URI in the DelegationManager");
    reg->add_option("--allocation-delay", r->delay, "Blocks before a new allocation takes effect (set once)");
    reg->add_option("--endpoint", r->endpoint, "Public HTTP endpoint of the node");
    reg->add_option("--region", r->region, "Region label");
    reg->add_option("--hardware-class", r->hardware, "Hardware class (0 = CPU, 1 = GPU)");
    reg->add_option("--capacity", r->capacity, "Requests served concurrently");
    reg->add_option("--service", r->services, "MODEL_ROOT:TOKEN:PRICE served (TOKEN may be `pay`), repeatable");
    reg->add_flag("--core-only", r->core_only, "Only register in the DelegationManager");
    reg->callback([r] {
        guarded([&] {
            const auto d = resolve(r->c, {&Deployment::delegation_manager});
            if (!r->core_only) (void)resolve(r->c, {&Deployment::allocation_manager, &Deployment::coordinator});
            std::vector<client::Service> services;
            for (const auto& s : r->services) services.push_back(parse_service(s, d));
            if (!r->core_only && r->endpoint.empty()) throw ClientError("missing --endpoint (or --core-only)");
            client::Session s(r->c.url);
            client::Signer signer(s, load(r->c));
            const bool already =
                s.call_bool(d.delegation_manager, bindings::with_outputs(bindings::delegation_manager::fn::isOperator),
                            {to_hex(signer.address())});
            if (!already) {
                client::register_operator(signer, d, r->delay, r->uri);
                std::cout << "registered operator " << to_hex(signer.address()) << '\n';
            } else {
                std::cout << "operator " << to_hex(signer.address()) << " already registered in the core\n";
            }
            if (r->core_only) return;
            client::register_for_sigil(signer, d, {r->endpoint, r->region, r->hardware, r->capacity}, services);
            std::cout << "joined Sigil's operator set " << d.operator_set_id << " with " << services.size()
                      << " service(s)\n";
        });
    });

    auto dr = std::make_shared<Common>();
    auto* dereg = op->add_subcommand("deregister",
                                     "Leave Sigil's operator set (stays slashable for the core's deallocation delay)");
    add_common(dereg, *dr, true);
    dereg->callback([dr] {
        guarded([&] {
            const auto d = resolve(*dr, {&Deployment::allocation_manager, &Deployment::coordinator});
            client::Session s(dr->url);
            client::Signer signer(s, load(*dr));
            client::deregister_from_sigil(signer, d);
            std::cout << "left Sigil's operator set " << d.operator_set_id << '\n';
        });
    });

    struct Alloc {
        Common c;
        std::string strategy, magnitude, percent;
    };
    auto a = std::make_shared<Alloc>();
    auto* alloc = op->add_subcommand("allocate", "Allocate magnitude of a strategy to Sigil's operator set");
    add_common(alloc, a->c, true);
    alloc->add_option("--strategy", a->strategy, "Strategy address (default: the deployment's)");
    auto* mag = alloc->add_option("--magnitude", a->magnitude, "New magnitude in WAD (1e18 = all of the stake)");
    auto* pct = alloc->add_option("--percent", a->percent, "New magnitude as a percentage (0-100)");
    mag->excludes(pct);
    alloc->callback([a] {
        guarded([&] {
            const auto d = resolve(a->c, {&Deployment::allocation_manager, &Deployment::coordinator});
            const Address strategy = strategy_of(a->strategy, d);
            u256 magnitude;
            if (!a->percent.empty()) {
                const u256 p = client::parse_amount_arg(a->percent, "--percent");
                if (p > 100) throw ClientError("invalid --percent '" + a->percent + "': above 100");
                magnitude = client::kWad / 100 * p;
            } else if (!a->magnitude.empty()) {
                magnitude = client::parse_amount_arg(a->magnitude, "--magnitude");
                if (magnitude > client::kWad)
                    throw ClientError("invalid --magnitude '" + a->magnitude + "': above 1e18");
            } else {
                throw ClientError("missing --magnitude or --percent");
            }
            client::Session s(a->c.url);
            client::Signer signer(s, load(a->c));
            client::allocate(signer, d, strategy, magnitude);
            const auto st = client::operator_status(s, d, signer.address(), strategy);
            std::cout << "allocated magnitude " << to_dec(magnitude) << " of " << to_hex(strategy) << " (current "
                      << to_dec(st.allocated_magnitude);
            if (st.pending_effect_block != 0) std::cout << ", pending until block " << st.pending_effect_block;
            std::cout << ")\n";
        });
    });

    struct Status {
        Common c;
        std::string who, strategy;
        bool json = false;
    };
    auto st = std::make_shared<Status>();
    auto* status = op->add_subcommand("status", "Show an operator's registration, stake, allocation and services");
    add_common(status, st->c, false);
    status->add_option("operator", st->who, "Operator address")->required();
    status->add_option("--strategy", st->strategy, "Strategy address (default: the deployment's)");
    status->add_flag("--json", st->json, "Print JSON");
    status->callback([st] {
        guarded([&] {
            const auto d = resolve(st->c, {&Deployment::delegation_manager, &Deployment::allocation_manager,
                                           &Deployment::coordinator, &Deployment::operator_registry});
            const Address who = client::parse_address_arg(st->who, "operator address");
            const Address strategy = strategy_of(st->strategy, d);
            client::Session s(st->c.url);
            const auto o = client::operator_status(s, d, who, strategy);
            chain::Json services = chain::Json::array();
            for (const auto& sv : o.services) {
                services.push_back({{"modelRoot", to_hex(sv.model_root)}, {"token", to_hex(sv.token)}, {"price", to_dec(sv.price)}});
            }
            chain::Json j = {{"operator", to_hex(who)},
                             {"isOperator", o.is_operator},
                             {"strategy", to_hex(strategy)},
                             {"delegatedShares", to_dec(o.operator_shares)},
                             {"maxMagnitude", to_dec(o.max_magnitude)},
                             {"allocatedMagnitude", to_dec(o.allocated_magnitude)},
                             {"pendingMagnitudeChange",
                              (o.pending_negative ? "-" : "+") + to_dec(o.pending_magnitude_diff)},
                             {"pendingEffectBlock", o.pending_effect_block},
                             {"member", o.member},
                             {"slashableStake", to_dec(o.slashable_stake)},
                             {"active", o.active},
                             {"faults", o.faults},
                             {"endpoint", o.endpoint},
                             {"services", services}};
            if (st->json) {
                std::cout << j.dump() << '\n';
                return;
            }
            std::cout << "operator            " << to_hex(who) << '\n'
                      << "registered (core)   " << (o.is_operator ? "yes" : "no") << '\n'
                      << "delegated shares    " << client::format_units(o.operator_shares) << '\n'
                      << "allocated to Sigil  " << client::format_units(o.allocated_magnitude) << " of "
                      << client::format_units(o.max_magnitude) << " (magnitude, 1 = 100%)\n";
            if (o.pending_effect_block != 0) {
                std::cout << "pending change      " << (o.pending_negative ? "-" : "+")
                          << client::format_units(o.pending_magnitude_diff) << " at block " << o.pending_effect_block
                          << '\n';
            }
            std::cout << "in Sigil's set      " << (o.member ? "yes" : "no") << '\n'
                      << "slashable stake     " << client::format_units(o.slashable_stake) << '\n'
                      << "registry            " << (o.active ? "active" : "inactive") << ", faults " << o.faults << '\n'
                      << "endpoint            " << o.endpoint << '\n';
            for (const auto& sv : o.services) {
                std::cout << "service             model " << to_hex(sv.model_root) << " token " << to_hex(sv.token)
                          << " price " << client::format_units(sv.price) << '\n';
            }
        });
    });
}

void register_stake_cmds(CLI::App& app) {
    auto* stake = app.add_subcommand("stake", "Staker actions: deposit, delegate, withdraw");
    stake->require_subcommand(1);

    struct Dep {
        Common c;
        std::string strategy, amount;
    };
    auto dep = std::make_shared<Dep>();
    auto* deposit = stake->add_subcommand("deposit", "Approve and deposit tokens into a strategy");
    add_common(deposit, dep->c, true);
    deposit->add_option("--strategy", dep->strategy, "Strategy address (default: the deployment's)");
    deposit->add_option("--amount", dep->amount, "Token amount (wei, or e.g. 32ether)")->required();
    deposit->callback([dep] {
        guarded([&] {
            const auto d = resolve(dep->c, {&Deployment::strategy_manager});
            const Address strategy = strategy_of(dep->strategy, d);
            const u256 amount = client::parse_amount_arg(dep->amount, "--amount");
            if (amount == 0) throw ClientError("invalid --amount '" + dep->amount + "': must be positive");
            client::Session s(dep->c.url);
            client::Signer signer(s, load(dep->c));
            const u256 shares = client::deposit(signer, d, strategy, amount);
            std::cout << "deposited " << to_dec(amount) << " into " << to_hex(strategy) << ": " << to_dec(shares)
                      << " shares\n";
        });
    });

    struct Del {
        Common c;
        std::string op;
    };
    auto del = std::make_shared<Del>();
    auto* delegate = stake->add_subcommand("delegate", "Delegate all of your shares to an operator");
    add_common(delegate, del->c, true);
    delegate->add_option("operator", del->op, "Operator address")->required();
    delegate->callback([del] {
        guarded([&] {
            const auto d = resolve(del->c, {&Deployment::delegation_manager});
            const Address op = client::parse_address_arg(del->op, "operator address");
            client::Session s(del->c.url);
            client::Signer signer(s, load(del->c));
            client::delegate(signer, d, op);
            std::cout << "delegated " << to_hex(signer.address()) << " to " << to_hex(op) << '\n';
        });
    });

    auto und = std::make_shared<Common>();
    auto* undelegate = stake->add_subcommand(
        "undelegate", "Undelegate from your operator; all your deposit shares are queued as one withdrawal");
    add_common(undelegate, *und, true);
    undelegate->callback([und] {
        guarded([&] {
            const auto d = resolve(*und, {&Deployment::delegation_manager});
            client::Session s(und->url);
            client::Signer signer(s, load(*und));
            const auto root = client::undelegate(signer, d);
            if (root) {
                std::cout << to_hex(*root) << '\n'
                          << "undelegated " << to_hex(signer.address()) << "; its shares are queued as withdrawal "
                          << to_hex(*root) << " (complete it with `sigil stake complete-withdrawal`)\n";
            } else {
                std::cout << "undelegated " << to_hex(signer.address()) << " (nothing deposited)\n";
            }
        });
    });

    struct Queue {
        Common c;
        std::string strategy, shares;
    };
    auto q = std::make_shared<Queue>();
    auto* queue = stake->add_subcommand("queue-withdrawal", "Queue a withdrawal of deposit shares; prints its root");
    add_common(queue, q->c, true);
    queue->add_option("--strategy", q->strategy, "Strategy address (default: the deployment's)");
    queue->add_option("--shares", q->shares, "Deposit shares to withdraw, or `all`")->required();
    queue->callback([q] {
        guarded([&] {
            const auto d = resolve(q->c, {&Deployment::delegation_manager, &Deployment::strategy_manager});
            const Address strategy = strategy_of(q->strategy, d);
            client::Session s(q->c.url);
            client::Signer signer(s, load(q->c));
            const u256 held = s.call_uint(d.strategy_manager,
                                          bindings::with_outputs(bindings::strategy_manager::fn::stakerDepositShares),
                                          {to_hex(signer.address()), to_hex(strategy)});
            const u256 shares = q->shares == "all" ? held : client::parse_amount_arg(q->shares, "--shares");
            if (shares == 0) throw ClientError("nothing to withdraw: --shares is 0 or no deposit shares are held");
            if (shares > held) {
                throw ClientError("invalid --shares '" + q->shares + "': only " + to_dec(held) +
                                  " deposit shares held");
            }
            const Hash root = client::queue_withdrawal(signer, d, strategy, shares);
            const u256 delay =
                s.call_uint(d.delegation_manager,
                            bindings::with_outputs(bindings::delegation_manager::fn::withdrawalDelayBlocks), {});
            std::cout << to_hex(root) << '\n';
            std::cerr << "queued " << to_dec(shares) << " shares; completable after " << to_dec(delay) << " blocks\n";
        });
    });

    struct Complete {
        Common c;
        std::string root;
        bool as_shares = false;
    };
    auto cw = std::make_shared<Complete>();
    auto* complete = stake->add_subcommand("complete-withdrawal", "Complete a queued withdrawal after its delay");
    add_common(complete, cw->c, true);
    complete->add_option("root", cw->root, "Withdrawal root printed by queue-withdrawal")->required();
    complete->add_flag("--as-shares", cw->as_shares, "Receive shares back (re-delegated) instead of tokens");
    complete->callback([cw] {
        guarded([&] {
            const auto d = resolve(cw->c, {&Deployment::delegation_manager});
            auto root = fixed_from_hex<32>(cw->root);
            if (!root) throw ClientError("invalid withdrawal root '" + cw->root + "': expected 32-byte hex");
            client::Session s(cw->c.url);
            client::Signer signer(s, load(cw->c));
            client::complete_withdrawal(signer, d, *root, !cw->as_shares);
            std::cout << "completed withdrawal " << to_hex(*root) << (cw->as_shares ? " as shares\n" : " as tokens\n");
        });
    });
}

/// The token of --token, else the deployment's payment token (rewards and verifier fees).
Address token_or_pay(const std::string& text, const Deployment& d) {
    const Address token = text.empty() ? d.pay_token : client::parse_address_arg(text, "--token address");
    if (token == Address{}) throw ClientError("missing --token (or a --deployment file that has it)");
    return token;
}

void register_rewards_cmds(CLI::App& app) {
    auto* rewards = app.add_subcommand("rewards", "Operator and delegator rewards");
    rewards->require_subcommand(1);
    struct Claim {
        Common c;
        std::string token, to;
        std::vector<std::string> strategies;
    };
    auto cl = std::make_shared<Claim>();
    auto* claim = rewards->add_subcommand("claim", "Claim accrued rewards in one token");
    add_common(claim, cl->c, true);
    claim->add_option("--token", cl->token, "Reward token address (default: the deployment's payment token)");
    claim->add_option("--strategy", cl->strategies, "Strategies to settle first (default: the deployment's)");
    claim->add_option("--to", cl->to, "Recipient (default: the signer)");
    claim->callback([cl] {
        guarded([&] {
            const auto d = resolve(cl->c, {&Deployment::rewards_coordinator});
            const Address token = token_or_pay(cl->token, d);
            std::vector<Address> strategies;
            for (const auto& t : cl->strategies)
                strategies.push_back(client::parse_address_arg(t, "--strategy address"));
            if (strategies.empty()) strategies.push_back(strategy_of("", d));
            client::Session s(cl->c.url);
            client::Signer signer(s, load(cl->c));
            const Address to = cl->to.empty() ? signer.address() : client::parse_address_arg(cl->to, "--to address");
            const u256 owed = client::claimable(s, d, signer.address(), token, strategies);
            if (owed == 0)
                throw ClientError("nothing to claim for " + to_hex(signer.address()) + " in " + to_hex(token));
            const u256 got = client::claim_rewards(signer, d, token, strategies, to);
            std::cout << "claimed " << to_dec(got) << " (" << client::format_units(got) << ") to " << to_hex(to)
                      << '\n';
        });
    });
}

/// A verifier's entry in the ProofMarket (getVerifier) and the market's withdrawal timing.
struct VerifierEntry {
    u256 weight, since, exit_at, bond, open;
    bool registered = false;
    std::uint64_t bond_available_at = 0;  ///< first block withdrawBond can succeed (0: not exiting)
};

VerifierEntry verifier_entry(client::Session& s, const Deployment& d, const Address& who) {
    const auto v =
        s.call(d.proof_market, bindings::with_outputs(bindings::proof_market::fn::getVerifier), {to_hex(who)})
            .at(0)
            .elems;
    namespace F = bindings::proof_market::field::Verifier;
    VerifierEntry e{v.at(F::weight).num,
                    v.at(F::since).num,
                    v.at(F::exitAt).num,
                    v.at(F::bond).num,
                    v.at(F::open).num,
                    v.at(F::registered).num != 0,
                    0};
    if (e.exit_at != 0) {
        const u256 wait =
            s.call_uint(d.proof_market, bindings::with_outputs(bindings::proof_market::fn::DRAW_DELAY), {}) +
            s.call_uint(d.proof_market, bindings::with_outputs(bindings::proof_market::fn::DRAW_WINDOW), {});
        e.bond_available_at = static_cast<std::uint64_t>(e.exit_at + wait + 1);
    }
    return e;
}

void register_verifier_cmds(CLI::App& app) {
    auto* ver = app.add_subcommand("verifier", "ProofMarket verifiers: bond, status, exit, bond and fee withdrawal");
    ver->require_subcommand(1);

    struct Status {
        Common c;
        std::string who, token;
        bool json = false;
    };
    auto st = std::make_shared<Status>();
    auto* status = ver->add_subcommand("status", "Show a verifier's bond, draw weight, open assignments, exit and fees");
    add_common(status, st->c, false);
    status->add_option("verifier", st->who, "Verifier address")->required();
    status->add_option("--token", st->token, "Fee token (default: the deployment's payment token)");
    status->add_flag("--json", st->json, "Print JSON");
    status->callback([st] {
        guarded([&] {
            const auto d = resolve(st->c, {&Deployment::proof_market});
            const Address who = client::parse_address_arg(st->who, "verifier address");
            const Address token = token_or_pay(st->token, d);
            client::Session s(st->c.url);
            const auto e = verifier_entry(s, d, who);
            const u256 fees = s.call_uint(d.proof_market, bindings::with_outputs(bindings::proof_market::fn::credits),
                                          {to_hex(who), to_hex(token)});
            const u256 head = s.eth().block_number().value_or(0);
            if (st->json) {
                std::cout << chain::Json{{"verifier", to_hex(who)},
                                         {"registered", e.registered},
                                         {"weight", to_dec(e.weight)},
                                         {"bond", to_dec(e.bond)},
                                         {"since", to_dec(e.since)},
                                         {"exitAt", to_dec(e.exit_at)},
                                         {"bondAvailableAt", e.bond_available_at},
                                         {"open", to_dec(e.open)},
                                         {"token", to_hex(token)},
                                         {"fees", to_dec(fees)}}
                                 .dump()
                          << '\n';
                return;
            }
            std::cout << "verifier            " << to_hex(who) << '\n'
                      << "registered          " << (e.registered ? "yes, since block " + to_dec(e.since) : "no") << '\n';
            if (e.registered) {
                std::cout << "bond                " << client::format_units(e.bond) << " (draw weight "
                          << client::format_units(e.weight) << ")\n"
                          << "open assignments    " << to_dec(e.open) << '\n';
                if (e.exit_at == 0) {
                    std::cout << "exit                not requested\n";
                } else {
                    std::cout << "exit                requested at block " << to_dec(e.exit_at) << "; bond withdrawable "
                              << (head >= e.bond_available_at ? "now" : "from block " + std::to_string(e.bond_available_at))
                              << (e.open != 0 ? " once its open assignments close" : "") << '\n';
                }
            }
            std::cout << "fees to withdraw    " << client::format_units(fees) << " of " << to_hex(token) << '\n';
        });
    });

    struct Reg {
        Common c;
        std::string bond;
    };
    auto r = std::make_shared<Reg>();
    auto* reg = ver->add_subcommand("register", "Approve and bond the bond token; the bond is the draw weight");
    add_common(reg, r->c, true);
    reg->add_option("--bond", r->bond, "Bond amount (wei, or e.g. 2ether; at least the market's minBond)")->required();
    reg->callback([r] {
        guarded([&] {
            const auto d = resolve(r->c, {&Deployment::proof_market});
            const u256 bond = client::parse_amount_arg(r->bond, "--bond");
            if (bond == 0 || bond >> 96 != 0)
                throw ClientError("invalid --bond '" + r->bond + "': must be in 1..2^96-1");
            client::Session s(r->c.url);
            client::Signer signer(s, load(r->c));
            const Address bond_token =
                s.call_address(d.proof_market, bindings::with_outputs(bindings::proof_market::fn::bondToken), {});
            signer.send(bond_token, bindings::test_token::fn::approve.signature,
                        {to_hex(d.proof_market), to_dec(bond)});
            signer.send(d.proof_market, bindings::proof_market::fn::register_.signature, {to_dec(bond)});
            std::cout << "registered verifier " << to_hex(signer.address()) << " with bond "
                      << client::format_units(bond) << '\n';
        });
    });

    struct Plain {
        Common c;
        std::string token;
    };
    auto ex = std::make_shared<Plain>();
    auto* exit = ver->add_subcommand("exit", "Leave the verifier pool (no later draw counts you); prints when the bond is free");
    add_common(exit, ex->c, true);
    exit->callback([ex] {
        guarded([&] {
            const auto d = resolve(ex->c, {&Deployment::proof_market});
            client::Session s(ex->c.url);
            client::Signer signer(s, load(ex->c));
            signer.send(d.proof_market, bindings::proof_market::fn::exit.signature, {});
            const auto e = verifier_entry(s, d, signer.address());
            std::cout << "exit requested at block " << to_dec(e.exit_at) << "; `sigil verifier withdraw-bond` from block "
                      << e.bond_available_at << " once no assignment is open (" << to_dec(e.open) << " now)\n";
        });
    });

    auto wb = std::make_shared<Plain>();
    auto* withdraw_bond = ver->add_subcommand("withdraw-bond", "Withdraw the remaining bond after exit");
    add_common(withdraw_bond, wb->c, true);
    withdraw_bond->callback([wb] {
        guarded([&] {
            const auto d = resolve(wb->c, {&Deployment::proof_market});
            client::Session s(wb->c.url);
            client::Signer signer(s, load(wb->c));
            const auto e = verifier_entry(s, d, signer.address());
            signer.send(d.proof_market, bindings::proof_market::fn::withdrawBond.signature, {});
            std::cout << "withdrew bond " << client::format_units(e.bond) << " to " << to_hex(signer.address()) << '\n';
        });
    });

    auto wf = std::make_shared<Plain>();
    auto* withdraw = ver->add_subcommand("withdraw", "Withdraw the fees credited to you in one token");
    add_common(withdraw, wf->c, true);
    withdraw->add_option("--token", wf->token, "Fee token (default: the deployment's payment token)");
    withdraw->callback([wf] {
        guarded([&] {
            const auto d = resolve(wf->c, {&Deployment::proof_market});
            const Address token = token_or_pay(wf->token, d);
            client::Session s(wf->c.url);
            client::Signer signer(s, load(wf->c));
            const u256 fees = s.call_uint(d.proof_market, bindings::with_outputs(bindings::proof_market::fn::credits),
                                          {to_hex(signer.address()), to_hex(token)});
            signer.send(d.proof_market, bindings::proof_market::fn::withdraw.signature, {to_hex(token)});
            std::cout << "withdrew " << to_dec(fees) << " (" << client::format_units(fees) << ") of " << to_hex(token)
                      << " to " << to_hex(signer.address()) << '\n';
        });
    });
}

}  // namespace

void register_stake_commands(CLI::App& app) {
    register_operator_cmds(app);
    register_stake_cmds(app);
    register_rewards_cmds(app);
    register_verifier_cmds(app);
}

}  // namespace sigil::cli
