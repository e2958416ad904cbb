// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {OperatorSet} from "../../src/interfaces/OperatorSet.sol";
import {CoreBase} from "./CoreBase.sol";

/// @notice The actors of the rewards tests: an AVS with operator set 1 whose reward token is
///         minted to it and approved to the RewardsCoordinator, two operators and two stakers.
abstract contract RewardsBase is CoreBase {
    address internal op = makeAddr("operator");
    address internal op2 = makeAddr("operator2");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal avs = makeAddr("avs");
    OperatorSet internal set;
    IERC20 internal reward;

    function _setUpRewards() internal {
        set = OperatorSet(avs, 1);
        _createSet(avs, 1, avs, address(0));
        reward = IERC20(address(rewardToken));
        rewardToken.mint(avs, 1e30);
        vm.prank(avs);
        reward.approve(address(rc), type(uint256).max);
    }
}
