#pragma once
/// Deploys the restaking core and Sigil's AVS contracts on the test anvil the way
/// contracts/test/avs/AvsBase.sol sets them up (one strategy, operators with stake delegated to
/// themselves, fully allocated, registered with one service), for the node's integration tests.

#include <memory>
#include <string>
#include <vector>

#include "anvil.hpp"
#include "chain/nonce_manager.hpp"
#include "chain/sender.hpp"
#include "core/abi/value.hpp"

namespace sigil::itest {

/// A key that sends transactions (its own nonce manager).
class Actor {
public:
    Actor(chain::EthClient& eth, const chain::PrivateKey& key);
    const Address& address() const { return sender_.address(); }
    const chain::PrivateKey& key() const { return key_; }
    /// Sends and waits; throws on failure or a reverted receipt.
    chain::Receipt call(const Address& to, const Bytes& data);
    /// Deploys `artifact` (contracts/out/<Name>.sol/<Name>.json) with ABI-encoded constructor args.
    Address deploy(const std::string& artifact, const std::vector<abi::Type>& types,
                   const std::vector<abi::Value>& args);
    /// Deploys creation code with ABI-encoded constructor args.
    Address deploy_code(const Bytes& code, const std::vector<abi::Type>& types, const std::vector<abi::Value>& args);

private:
    chain::PrivateKey key_;
    chain::NonceManager nonces_;
    chain::Sender sender_;
};

/// `selector(sig) || abi.encode(args)`.
Bytes calldata(const std::string& signature, const std::vector<abi::Value>& args);

struct AvsDeployment {
    Address allocation_manager{}, strategy_manager{}, delegation_manager{}, rewards{};
    Address stake_token{}, strategy{}, pay_token{};
    Address model_registry{}, operator_registry{}, coordinator{};
    Address bond_token{}, verifier{}, dispute_game{};  ///< set by deploy_dispute
    Address proof_market{};                            ///< set by deploy_proof_market
    Address generation_game{};                         ///< set by deploy_generation
    u256 bond = 0;
    std::uint32_t set_id = 7;
    std::unique_ptr<Actor> owner;    ///< anvil account 0
    std::unique_ptr<Actor> creator;  ///< anvil account 9
};

/// Deploys and wires everything; `challenge_window` seconds.
AvsDeployment deploy_avs(Anvil& node, std::uint32_t challenge_window);

/// Deploys OneStepVerifier (with its libraries), a bond token and DisputeGame (`bond`, half the
/// allocation slashed, `move_window` seconds per move) and makes it the Coordinator's proof
/// market, as the devnet's deployer does.
void deploy_dispute(AvsDeployment& d, const u256& bond, std::uint64_t move_window);

/// Deploys the GenerationGame (GenerationLib linked) on the DisputeGame's slash terms and bond
/// (deploy_dispute first) and names it in the Coordinator, as the devnet's deployer does.
void deploy_generation(Anvil& node, AvsDeployment& d, std::uint64_t move_window);

/// Deploys a ProofMarket over the Coordinator and DisputeGame (deploy_dispute first), verifiers
/// bonding in the game's bond token with at least `min_bond`, and minSlash = slashWad x the
/// registry's minimum stake, as the devnet's deployer does.
void deploy_proof_market(AvsDeployment& d, const u256& min_bond);

/// Registers `model_root` (creator = account 9) with a royalty in the pay token.
void register_model(AvsDeployment& d, const Hash& model_root, const u256& royalty);

/// Makes `op` an operator with `stake` self-delegated, allocated to Sigil's set, and registered
/// with one service (model_root, pay token, price).
void stake_operator(Anvil& node, AvsDeployment& d, Actor& op, const Hash& model_root, const u256& price);

/// Request parameters (RequestParams tuple).
struct RequestSpec {
    Hash model_root{};
    u256 price = 0;
    std::uint8_t k = 1;
    bool after_window = false;
    std::uint32_t ttl = 3600;
    std::uint32_t commit_window = 0;
    Address assigned{};
};

/// Mints and approves the consumer's escrow, then requests; returns the request id.
Hash request(AvsDeployment& d, Actor& consumer, const RequestSpec& spec, const Bytes& input);

}  // namespace sigil::itest
