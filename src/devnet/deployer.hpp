#pragma once
/// Deploys and wires the whole Sigil stack from the Foundry artifacts, in the order
/// contracts/test/avs/AvsBase.sol does: two mintable test tokens (stake, payment), the restaking
/// core (AllocationManager, StrategyManager, DelegationManager, RewardsCoordinator, one whitelisted
/// Strategy), then ModelRegistry, OperatorRegistry and the Coordinator, which becomes Sigil's AVS
/// with one operator set (registrar = OperatorRegistry, slasher and redistribution = itself).
/// Then the proof market as contracts/test/dispute/DisputeBase.sol sets it up: the one-step
/// verifier's libraries, OneStepVerifier, a bond token and DisputeGame, made the Coordinator's
/// proof market (`setProofMarket`), and a ProofMarket (verification bounties) over that game.

#include <cstdint>

#include "devnet/client.hpp"

namespace sigil::devnet {

/// Protocol parameters of a devnet deployment. Delays are in blocks (anvil mines one block per
/// transaction), windows in seconds.
struct DeployParams {
    std::uint32_t operator_set_id = 1;
    std::uint32_t deallocation_delay = 5;
    std::uint32_t allocation_config_delay = 1;
    std::uint32_t withdrawal_delay = 10;  ///< >= deallocation_delay
    std::uint32_t commission_delay = 1;
    std::uint16_t fee_bips = 500;
    std::uint32_t challenge_window = 60;                      ///< seconds after an answer before settlement
    u256 minimum_stake = u256(1'000'000'000'000'000'000ULL);  ///< per operator, in strategy shares
    Address treasury{};                                       ///< zero: the owner
    // The proof market (DisputeGame). A dispute of the devnet's models takes ~20 moves of one
    // block each; 60 s per move leaves a node that polls every 250 ms ample time while a node
    // that stopped answering loses within a minute.
    u256 bond = u256(1'000'000'000'000'000'000ULL);     ///< challenger's bond, in bond tokens (1e18)
    u256 slash_wad = u256(500'000'000'000'000'000ULL);  ///< a losing operator loses half its allocation
    std::uint64_t move_window = 60;                     ///< seconds per move
};

/// Deploys everything with `owner` (who owns every contract) and returns the addresses.
Deployment deploy_stack(Signer& owner, const DeployParams& params);

/// The proof-market part of deploy_stack on its own (`d.coordinator` and `d.owner` set): fills
/// d.bond_token, d.verifier and d.dispute_game.
void deploy_dispute_game(Signer& owner, const DeployParams& params, Deployment& d);

/// ModelRegistry.registrationCommitment(root, creator) = keccak256(abi.encode(root, creator)):
/// what `commitModel` takes a block before `registerModel`.
Hash model_registration_commitment(const Hash& root, const Address& creator);

}  // namespace sigil::devnet
