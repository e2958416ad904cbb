#include "node_avs.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/abi/codec.hpp"
#include "core/keccak.hpp"
#include "devnet/artifacts.hpp"
#include "devnet/deployer.hpp"

namespace sigil::itest {

namespace {

abi::Value addr(const Address& a) { return abi::Value::address(a); }
abi::Value u(const u256& v, std::size_t bits = 256) { return abi::Value::uint(v, bits); }
abi::Value b32(const Hash& h) { return abi::Value::bytes_n(BytesView(h.data(), h.size())); }
abi::Value str(const std::string& s) { return abi::Value::string(s); }

const u256 kWad = u256(1'000'000'000'000'000'000ull);

Bytes artifact_code(const std::string& name) {
    namespace fs = std::filesystem;
    const fs::path contracts = fs::path(SIGIL_SOURCE_DIR) / "contracts";
    const fs::path file = contracts / "out" / (name + ".sol") / (name + ".json");
    if (!fs::exists(file)) {
        const auto r = run_command({foundry_tool("forge"), "build", "--root", contracts.string()});
        if (r.status != 0) throw std::runtime_error("forge build failed");
    }
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    const auto doc = chain::Json::parse(text.str());
    auto code = from_hex(doc["bytecode"]["object"].get<std::string>());
    if (!code || code->empty()) throw std::runtime_error(name + " artifact has no bytecode");
    return *code;
}

}  // namespace

Actor::Actor(chain::EthClient& eth, const chain::PrivateKey& key)
    : key_(key), nonces_(eth, key.address()), sender_(eth, key, nonces_, 31337) {}

chain::Receipt Actor::call(const Address& to, const Bytes& data) {
    chain::TxRequest req;
    req.to = to;
    req.data = data;
    auto r = sender_.send_and_wait(req);
    if (!r) throw std::runtime_error("transaction failed: " + r.error().describe());
    if (!r->status) throw std::runtime_error("transaction reverted");
    return *r;
}

Address Actor::deploy(const std::string& artifact, const std::vector<abi::Type>& types,
                      const std::vector<abi::Value>& args) {
    chain::TxRequest req;
    req.data = concat({artifact_code(artifact), abi::encode(types, args)});
    auto r = sender_.send_and_wait(req);
    if (!r || !r->status || !r->contract_address) throw std::runtime_error("deploy of " + artifact + " failed");
    return *r->contract_address;
}

Address Actor::deploy_code(const Bytes& code, const std::vector<abi::Type>& types,
                           const std::vector<abi::Value>& args) {
    chain::TxRequest req;
    req.data = concat({code, abi::encode(types, args)});
    auto r = sender_.send_and_wait(req);
    if (!r || !r->status || !r->contract_address) throw std::runtime_error("deploy failed");
    return *r->contract_address;
}

Bytes calldata(const std::string& signature, const std::vector<abi::Value>& args) {
    auto fn = abi::parse_function(signature);
    if (!fn) throw std::runtime_error("bad signature " + signature);
    return abi::encode_call(*fn, args);
}

AvsDeployment deploy_avs(Anvil& node, std::uint32_t challenge_window) {
    using T = abi::Type;
    AvsDeployment d;
    d.owner = std::make_unique<Actor>(node.eth(), Anvil::account(0));
    d.creator = std::make_unique<Actor>(node.eth(), Anvil::account(9));
    Actor& o = *d.owner;
    const Address owner = o.address();
    const Address permission_controller = o.deploy("PermissionController", {}, {});
    d.allocation_manager = o.deploy("AllocationManager", {T::address(), T::address(), T::uint(32), T::uint(32)},
                                    {addr(owner), addr(permission_controller), u(50, 32), u(20, 32)});
    d.strategy_manager = o.deploy("StrategyManager", {T::address()}, {addr(owner)});
    d.delegation_manager =
        o.deploy("DelegationManager", {T::address(), T::address(), T::address(), T::uint(32)},
                 {addr(owner), addr(d.strategy_manager), addr(d.allocation_manager), u(60, 32)});
    d.rewards = o.deploy("RewardsCoordinator", {T::address(), T::address(), T::address(), T::uint(32)},
                         {addr(owner), addr(d.delegation_manager), addr(d.allocation_manager), u(30, 32)});
    o.call(d.strategy_manager, calldata("setDelegationManager(address)", {addr(d.delegation_manager)}));
    o.call(d.allocation_manager, calldata("setDelegationManager(address)", {addr(d.delegation_manager)}));
    o.call(d.delegation_manager, calldata("setRewardsCoordinator(address)", {addr(d.rewards)}));
    d.stake_token = o.deploy("TestToken", {T::string()}, {str("STAKE")});
    d.strategy = o.deploy("Strategy", {T::address(), T::address()}, {addr(d.stake_token), addr(d.strategy_manager)});
    o.call(d.strategy_manager, calldata("setStrategyWhitelisted(address[],bool)",
                                        {abi::Value::array({addr(d.strategy)}), abi::Value::boolean(true)}));
    d.pay_token = o.deploy("TestToken", {T::string()}, {str("PAY")});
    d.model_registry = o.deploy("ModelRegistry", {T::address()}, {addr(owner)});
    d.operator_registry =
        o.deploy("OperatorRegistry", {T::address(), T::address()}, {addr(owner), addr(d.allocation_manager)});
    std::vector<std::pair<std::string, Address>> coordinator_libs;
    devnet::deploy_libraries(
        "Coordinator", [&](const Bytes& code) { return o.deploy_code(code, {}, {}); }, coordinator_libs);
    d.coordinator = o.deploy_code(
        devnet::linked_creation_code("Coordinator", coordinator_libs),
        {T::address(), T::address(), T::address(), T::address(), T::address(), T::address(), T::uint(32), T::address()},
        {addr(owner), addr(d.allocation_manager), addr(d.strategy_manager), addr(d.rewards), addr(d.model_registry),
         addr(d.operator_registry), u(d.set_id, 32), addr(Anvil::account(8).address())});
    o.call(d.operator_registry, calldata("initialize(address,uint32)", {addr(d.coordinator), u(d.set_id, 32)}));
    o.call(d.operator_registry,
           calldata("setMinimumStake(address,uint256)", {addr(d.strategy), u(kWad * 10)}));
    o.call(d.coordinator, calldata("initializeAVS(string,address[],address)",
                                   {str("ipfs://sigil"), abi::Value::array({addr(d.strategy)}), addr(d.strategy)}));
    o.call(d.coordinator, calldata("setFeeBips(uint16)", {u(500, 16)}));
    o.call(d.coordinator, calldata("setChallengeWindow(uint32)", {u(challenge_window, 32)}));
    return d;
}

void deploy_dispute(AvsDeployment& d, const u256& bond, std::uint64_t move_window) {
    using T = abi::Type;
    Actor& o = *d.owner;
    (void)artifact_code("OpRecordLib");  // builds the artifacts when missing (linked code is not hex yet)
    std::vector<std::pair<std::string, Address>> libs;
    const auto deploy = [&](const Bytes& code) { return o.deploy_code(code, {}, {}); };
    devnet::deploy_libraries("OneStepVerifier", deploy, libs);
    devnet::deploy_libraries("DisputeGame", deploy, libs);
    d.verifier = o.deploy_code(devnet::linked_creation_code("OneStepVerifier", libs), {}, {});
    d.bond_token = o.deploy("TestToken", {T::string()}, {str("BOND")});
    d.dispute_game = o.deploy_code(
        devnet::linked_creation_code("DisputeGame", libs),
        {T::address(), T::address(), T::address(), T::uint(256), T::uint(256), T::uint(64)},
        {addr(d.coordinator), addr(d.verifier), addr(d.bond_token), u(bond), u(kWad / 2), u(move_window, 64)});
    d.bond = bond;
    o.call(d.coordinator, calldata("setProofMarket(address)", {addr(d.dispute_game)}));
}

void deploy_generation(Anvil& node, AvsDeployment& d, std::uint64_t move_window) {
    using T = abi::Type;
    Actor& o = *d.owner;
    std::vector<std::pair<std::string, Address>> libs;
    const auto deploy = [&](const Bytes& code) { return o.deploy_code(code, {}, {}); };
    devnet::deploy_libraries("GenerationGame", deploy, libs);
    chain::CallRequest c;
    c.to = d.dispute_game;
    c.data = calldata("terms()", {});
    const Bytes ret = node.eth().call(c).value();
    Bytes32 terms{};
    std::copy_n(ret.begin(), 32, terms.begin());
    d.generation_game =
        o.deploy_code(devnet::linked_creation_code("GenerationGame", libs),
                      {T::address(), T::address(), T::address(), T::uint(256), T::uint(64), T::address()},
                      {addr(d.coordinator), abi::Value::address(address_from_word(terms)), addr(d.bond_token),
                       u(d.bond), u(move_window, 64), addr(d.verifier)});
    o.call(d.coordinator, calldata("setGenerationGame(address)", {addr(d.generation_game)}));
}

void deploy_proof_market(AvsDeployment& d, const u256& min_bond) {
    using T = abi::Type;
    const u256 min_slash = (kWad / 2) * (kWad * 10) / kWad;  // deploy_dispute's slashWad x setMinimumStake
    d.proof_market =
        d.owner->deploy("ProofMarket", {T::address(), T::address(), T::address(), T::uint(256), T::uint(256)},
                        {addr(d.coordinator), addr(d.dispute_game), addr(d.bond_token), u(min_bond), u(min_slash)});
}

void register_model(AvsDeployment& d, const Hash& model_root, const u256& royalty) {
    const auto shape = abi::Value::array({u(10, 32)});
    d.creator->call(d.model_registry,
                    calldata("commitModel(bytes32)",
                             {b32(devnet::model_registration_commitment(model_root, d.creator->address()))}));
    d.creator->call(d.model_registry, calldata("registerModel(bytes32,string,uint32[],uint32[],bool)",
                                               {b32(model_root), str("ipfs://model"), shape, shape,
                                                abi::Value::boolean(true)}));  // licensed: royalty at once
    d.creator->call(d.model_registry, calldata("setRoyalty(bytes32,address,uint96)",
                                               {b32(model_root), addr(d.pay_token), u(royalty, 96)}));
}

void stake_operator(Anvil&, AvsDeployment& d, Actor& op, const Hash& model_root, const u256& price) {
    const u256 stake = kWad * 100;
    op.call(d.delegation_manager,
            calldata("registerAsOperator(address,uint32,string)", {addr(Address{}), u(0, 32), str("ipfs://op")}));
    op.call(d.stake_token, calldata("mint(address,uint256)", {addr(op.address()), u(stake)}));
    op.call(d.stake_token, calldata("approve(address,uint256)", {addr(d.strategy_manager), u(stake)}));
    op.call(d.strategy_manager, calldata("depositIntoStrategy(address,address,uint256)",
                                         {addr(d.strategy), addr(d.stake_token), u(stake)}));
    const abi::Value set = abi::Value::tuple({addr(d.coordinator), u(d.set_id, 32)});
    const abi::Value params = abi::Value::array({abi::Value::tuple(
        {set, abi::Value::array({addr(d.strategy)}), abi::Value::array({u(kWad, 64)})})});
    op.call(d.allocation_manager,
            calldata("modifyAllocations(address,((address,uint32),address[],uint64[])[])", {addr(op.address()), params}));
    const Bytes reg = abi::encode(
        {abi::parse_type("(string,string,uint16,uint32)").value(), abi::parse_type("(bytes32,address,uint96)[]").value()},
        {abi::Value::tuple({str("http://node"), str("local"), u(1, 16), u(4, 32)}),
         abi::Value::array({abi::Value::tuple({b32(model_root), addr(d.pay_token), u(price, 96)})})});
    op.call(d.allocation_manager,
            calldata("registerForOperatorSets(address,(address,uint32[],bytes))",
                     {addr(op.address()), abi::Value::tuple({addr(d.coordinator), abi::Value::array({u(d.set_id, 32)}),
                                                             abi::Value::dyn_bytes(reg)})}));
}

Hash request(AvsDeployment& d, Actor& consumer, const RequestSpec& s, const Bytes& input) {
    const u256 escrow = u256(s.k) * (s.price * 2) + kWad;  // covers price + fee per seat + royalty
    consumer.call(d.pay_token, calldata("mint(address,uint256)", {addr(consumer.address()), u(escrow)}));
    consumer.call(d.pay_token, calldata("approve(address,uint256)", {addr(d.coordinator), u(escrow)}));
    const abi::Value p = abi::Value::tuple({b32(s.model_root), b32(Hash{}), addr(d.pay_token), u(s.price, 96),
                                            u(s.k, 8), abi::Value::boolean(s.after_window), u(0, 32), u(s.ttl, 32),
                                            u(s.commit_window, 32), addr(s.assigned)});
    const auto rc = consumer.call(
        d.coordinator,
        calldata("request((bytes32,bytes32,address,uint96,uint8,bool,uint32,uint32,uint32,address),bytes,string)",
                 {p, abi::Value::dyn_bytes(input), str("")}));
    for (const auto& log : rc.logs) {
        if (log.address == d.coordinator && log.topics.size() == 3) return log.topics[1];
    }
    throw std::runtime_error("no Requested log");
}

}  // namespace sigil::itest
