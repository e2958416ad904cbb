#pragma once
/// Deploys and wires the whole Sigil stack from the Foundry artifacts, in the order
/// contracts/test/avs/AvsBase.sol does: two mintable test tokens (stake, payment), the restaking
/// core (AllocationManager, StrategyManager, DelegationManager, RewardsCoordinator, one whitelisted
/// Strategy), then ModelRegistry, OperatorRegistry and the Coordinator, which becomes Sigil's AVS
/// with one operator set (registrar = OperatorRegistry, slasher and redistribution = itself).

#include <cstdint>

#include "devnet/deployment.hpp"
#include "devnet/session.hpp"

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
    std::uint32_t challenge_window = 60;  ///< seconds after an answer before settlement
    u256 minimum_stake = u256(1'000'000'000'000'000'000ULL);  ///< per operator, in strategy shares
    Address treasury{};  ///< zero: the owner
};

/// Deploys everything with `owner` (who owns every contract) and returns the addresses.
Deployment deploy_stack(Signer& owner, const DeployParams& params);

}  // namespace sigil::devnet
