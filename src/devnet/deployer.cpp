#include "devnet/deployer.hpp"

#include <algorithm>

#include "bindings/allocation_manager.hpp"
#include "bindings/coordinator.hpp"
#include "bindings/delegation_manager.hpp"
#include "bindings/dispute_game.hpp"
#include "bindings/generation_game.hpp"
#include "bindings/model_registry.hpp"
#include "bindings/operator_registry.hpp"
#include "bindings/proof_market.hpp"
#include "bindings/rewards_coordinator.hpp"
#include "bindings/strategy.hpp"
#include "bindings/strategy_manager.hpp"
#include "bindings/test_token.hpp"
#include "core/keccak.hpp"
#include "devnet/artifacts.hpp"

namespace sigil::devnet {
namespace {

using abi::Value;

Value addr(const Address& a) { return Value::address(a); }
Value u(const u256& v, std::size_t bits = 256) { return Value::uint(v, bits); }

}  // namespace

Deployment deploy_stack(Signer& owner, const DeployParams& p) {
    if (p.withdrawal_delay < p.deallocation_delay) throw DevnetError("withdrawal delay below the deallocation delay");
    Session& s = owner.session();
    Deployment d;
    d.rpc_url = s.url();
    d.chain_id = s.chain_id();
    auto block = s.eth().block_number();
    d.deploy_block = block ? *block + 1 : 0;
    d.owner = owner.address();
    d.treasury = p.treasury == Address{} ? owner.address() : p.treasury;
    d.operator_set_id = p.operator_set_id;

    const Bytes token_code = creation_code("TestToken");
    d.stake_token = owner.deploy(token_code, bindings::test_token::kConstructor, {Value::string("stETH")});
    d.pay_token = owner.deploy(token_code, bindings::test_token::kConstructor, {Value::string("PAY")});

    // The PermissionController (EigenLayer's: who may call the core on behalf of an AVS or an
    // operator); the Coordinator reads it from the AllocationManager.
    const Address permission_controller = owner.deploy(creation_code("PermissionController"));
    d.allocation_manager = owner.deploy(
        creation_code("AllocationManager"), bindings::allocation_manager::kConstructor,
        {addr(d.owner), addr(permission_controller), u(p.deallocation_delay, 32), u(p.allocation_config_delay, 32)});
    d.strategy_manager =
        owner.deploy(creation_code("StrategyManager"), bindings::strategy_manager::kConstructor, {addr(d.owner)});
    d.delegation_manager =
        owner.deploy(creation_code("DelegationManager"), bindings::delegation_manager::kConstructor,
                     {addr(d.owner), addr(d.strategy_manager), addr(d.allocation_manager), u(p.withdrawal_delay, 32)});
    d.rewards_coordinator = owner.deploy(
        creation_code("RewardsCoordinator"), bindings::rewards_coordinator::kConstructor,
        {addr(d.owner), addr(d.delegation_manager), addr(d.allocation_manager), u(p.commission_delay, 32)});
    owner.send_values(d.strategy_manager, bindings::strategy_manager::fn::setDelegationManager.signature,
                      {addr(d.delegation_manager)});
    owner.send_values(d.allocation_manager, bindings::allocation_manager::fn::setDelegationManager.signature,
                      {addr(d.delegation_manager)});
    owner.send_values(d.delegation_manager, bindings::delegation_manager::fn::setRewardsCoordinator.signature,
                      {addr(d.rewards_coordinator)});
    d.strategy = owner.deploy(creation_code("Strategy"), bindings::strategy::kConstructor,
                              {addr(d.stake_token), addr(d.strategy_manager)});
    owner.send_values(d.strategy_manager, bindings::strategy_manager::fn::setStrategyWhitelisted.signature,
                      {Value::array({addr(d.strategy)}), Value::boolean(true)});

    d.model_registry =
        owner.deploy(creation_code("ModelRegistry"), bindings::model_registry::kConstructor, {addr(d.owner)});
    d.operator_registry = owner.deploy(creation_code("OperatorRegistry"), bindings::operator_registry::kConstructor,
                                       {addr(d.owner), addr(d.allocation_manager)});
    // The Coordinator links SlashLib (its AVS setup and slashing calls into the core).
    std::vector<std::pair<std::string, Address>> coordinator_libs;
    deploy_libraries("Coordinator", [&](const Bytes& code) { return owner.deploy(code); }, coordinator_libs);
    d.coordinator =
        owner.deploy(linked_creation_code("Coordinator", coordinator_libs), bindings::coordinator::kConstructor,
                     {addr(d.owner), addr(d.allocation_manager), addr(d.strategy_manager), addr(d.rewards_coordinator),
                      addr(d.model_registry), addr(d.operator_registry), u(p.operator_set_id, 32), addr(d.treasury)});
    owner.send_values(d.operator_registry, bindings::operator_registry::fn::initialize.signature,
                      {addr(d.coordinator), u(p.operator_set_id, 32)});
    owner.send_values(d.operator_registry, bindings::operator_registry::fn::setMinimumStake.signature,
                      {addr(d.strategy), u(p.minimum_stake)});
    owner.send_values(d.coordinator, bindings::coordinator::fn::initializeAVS.signature,
                      {Value::string("sigil://devnet"), Value::array({addr(d.strategy)}), addr(d.strategy)});
    owner.send_values(d.coordinator, bindings::coordinator::fn::setFeeBips.signature, {u(p.fee_bips, 16)});
    owner.send_values(d.coordinator, bindings::coordinator::fn::setChallengeWindow.signature,
                      {u(p.challenge_window, 32)});
    deploy_dispute_game(owner, p, d);
    return d;
}

Hash model_registration_commitment(const Hash& root, const Address& creator) {
    Bytes pre(64, 0);
    std::copy(root.begin(), root.end(), pre.begin());
    std::copy(creator.begin(), creator.end(), pre.begin() + 44);
    return keccak256(pre);
}

void deploy_dispute_game(Signer& owner, const DeployParams& p, Deployment& d) {
    if (p.move_window == 0) throw DevnetError("dispute game: a move window of 0 s lets every game time out at once");
    if (p.slash_wad > u256(1'000'000'000'000'000'000ULL)) throw DevnetError("dispute game: slash wad above 1e18");
    // The libraries OneStepVerifier and DisputeGame link (external library functions).
    std::vector<std::pair<std::string, Address>> libs;
    const auto deploy = [&](const Bytes& code) { return owner.deploy(code); };
    deploy_libraries("OneStepVerifier", deploy, libs);
    deploy_libraries("DisputeGame", deploy, libs);
    d.verifier = owner.deploy(linked_creation_code("OneStepVerifier", libs));
    d.bond_token =
        owner.deploy(creation_code("TestToken"), bindings::test_token::kConstructor, {Value::string("BOND")});
    d.dispute_game = owner.deploy(
        linked_creation_code("DisputeGame", libs), bindings::dispute_game::kConstructor,
        {addr(d.coordinator), addr(d.verifier), addr(d.bond_token), u(p.bond), u(p.slash_wad), u(p.move_window, 64)});
    owner.send_values(d.coordinator, bindings::coordinator::fn::setProofMarket.signature, {addr(d.dispute_game)});
    // Generation claims are disputed in their own game, slashing on the DisputeGame's value-at-risk
    // terms; it links GenerationLib (and GameLib, for the moves of a step's run).
    deploy_libraries("GenerationGame", deploy, libs);
    const Address terms =
        owner.session()
            .call_values(d.dispute_game, bindings::with_outputs(bindings::dispute_game::fn::terms), {})
            .at(0)
            .as_address();
    d.generation_game = owner.deploy(
        linked_creation_code("GenerationGame", libs), bindings::generation_game::kConstructor,
        {addr(d.coordinator), addr(terms), addr(d.bond_token), u(p.bond), u(p.move_window, 64), addr(d.verifier)});
    owner.send_values(d.coordinator, bindings::coordinator::fn::setGenerationGame.signature, {addr(d.generation_game)});
    // Verification bounties over the game: verifiers bond `bond` of the bond token; S_min, the
    // least a refuted operator loses, is slash_wad x the minimum stake (stake and payment tokens at
    // par on the devnet).
    const u256 min_slash = p.slash_wad * p.minimum_stake / u256(1'000'000'000'000'000'000ULL);
    d.proof_market =
        owner.deploy(creation_code("ProofMarket"), bindings::proof_market::kConstructor,
                     {addr(d.coordinator), addr(d.dispute_game), addr(d.bond_token), u(p.bond), u(min_slash)});
}

}  // namespace sigil::devnet
