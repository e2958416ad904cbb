// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Coordinator} from "../Coordinator.sol";
import {IAllocationManager} from "../../interfaces/IAllocationManager.sol";
import {OperatorSet} from "../../interfaces/OperatorSet.sol";

/// @title StakeReader
/// @notice An operator's slashable stake in Sigil's operator set, summed over the set's
///         strategies. DisputeGame creates one in its constructor and asks it for the value-at-risk
///         slash fraction; it lives apart only to keep DisputeGame's code under EIP-170. It holds
///         nothing and changes nothing.
contract StakeReader {
    Coordinator public immutable coordinator;

    constructor(Coordinator coordinator_) {
        coordinator = coordinator_;
    }

    function slashableStake(address operator) external view returns (uint256 total) {
        IAllocationManager am = coordinator.allocationManager();
        OperatorSet memory set = OperatorSet(address(coordinator), coordinator.operatorSetId());
        uint256[] memory s = am.getSlashableStake(set, operator, am.getStrategiesInOperatorSet(set));
        for (uint256 i = 0; i < s.length; ++i) {
            total += s[i];
        }
    }
}
