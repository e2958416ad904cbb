// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IStrategy} from "../../src/interfaces/IStrategy.sol";
import {IAllocationManager} from "../../src/interfaces/IAllocationManager.sol";
import {OperatorSet} from "../../src/interfaces/OperatorSet.sol";
import {DelegationManager} from "../../src/core/DelegationManager.sol";
import {AllocationManager} from "../../src/core/AllocationManager.sol";
import {RewardsCoordinator} from "../../src/core/RewardsCoordinator.sol";
import {CoreBase} from "./CoreBase.sol";

/// @notice Gas of the main user operations, each measured around the one call (cold storage,
///         deterministic: no fuzzing). `forge test --match-contract GasTest -vv` prints the
///         numbers; `forge snapshot --match-contract GasTest` writes .gas-snapshot.
contract GasTest is CoreBase {
    address internal op = makeAddr("operator");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal avs = makeAddr("avs");
    OperatorSet internal set;
    DelegationManager.Withdrawal internal aliceWithdrawal;

    function setUp() public override {
        super.setUp();
        set = OperatorSet(avs, 1);
        _createSet(avs, 1, avs, makeAddr("recipient"));
        _registerOperator(op, 0);
        _registerForSet(op, avs, 1);
        for (uint256 i = 0; i < 3; ++i) {
            _deposit(op, i, 100e18);
            _deposit(alice, i, 100e18);
            _allocate(op, set, i, 5e17);
        }
        _deposit(bob, 0, 100e18);
        _delegate(alice, op);
        vm.roll(block.number + 1);
        // a queued withdrawal inside the slashable window
        aliceWithdrawal = _queue(alice, 1, 10e18);
        rewardToken.mint(avs, 1e24);
        vm.prank(avs);
        rewardToken.approve(address(rc), type(uint256).max);
        vm.prank(avs);
        rc.fundOperator(set, op, strategies[0], rewardToken, 1e18);
        tokens[0].mint(alice, 1e18);
        vm.prank(alice);
        tokens[0].approve(address(sm), 1e18);
    }

    function _report(string memory what, uint256 gasBefore) internal {
        emit log_named_uint(what, gasBefore - gasleft());
    }

    function test_gas_deposit() public {
        vm.prank(alice);
        uint256 g = gasleft();
        sm.depositIntoStrategy(strategies[0], tokens[0], 1e18);
        _report("deposit (delegated staker)", g);
    }

    function test_gas_delegate() public {
        DelegationManager.SignatureWithExpiry memory none;
        vm.prank(bob);
        uint256 g = gasleft();
        dm.delegateTo(op, none, 0);
        _report("delegate (1 strategy)", g);
    }

    function test_gas_queueWithdrawal() public {
        DelegationManager.QueuedWithdrawalParams[] memory p =
            new DelegationManager.QueuedWithdrawalParams[](1);
        p[0].strategies = _one(strategies[0]);
        p[0].depositShares = _oneU(50e18);
        vm.prank(alice);
        uint256 g = gasleft();
        dm.queueWithdrawals(p);
        _report("queue withdrawal (1 strategy)", g);
    }

    function test_gas_completeWithdrawal() public {
        DelegationManager.Withdrawal memory w = aliceWithdrawal;
        vm.roll(block.number + WITHDRAWAL_DELAY + 1);
        vm.prank(alice);
        uint256 g = gasleft();
        dm.completeQueuedWithdrawal(w, true);
        _report("complete withdrawal as tokens (1 strategy)", g);
    }

    function test_gas_modifyAllocations() public {
        AllocationManager.AllocateParams[] memory p = new AllocationManager.AllocateParams[](1);
        p[0].operatorSet = set;
        p[0].strategies = _one(strategies[0]);
        p[0].newMagnitudes = new uint64[](1);
        p[0].newMagnitudes[0] = 8e17;
        vm.prank(op);
        uint256 g = gasleft();
        am.modifyAllocations(op, p);
        _report("modify allocations (1 strategy)", g);
    }

    function test_gas_slash1() public {
        IAllocationManager.SlashingParams memory p;
        p.operator = op;
        p.operatorSetId = 1;
        p.strategies = _one(strategies[1]);
        p.wadsToSlash = _oneU(1e17);
        vm.prank(avs);
        uint256 g = gasleft();
        am.slashOperator(avs, p);
        _report("slash (1 strategy, no tokens move)", g);
        g = gasleft();
        sm.clearBurnOrRedistributableSharesByStrategy(set, 1, strategies[1]);
        _report("clear the slash's shares (1 strategy, tokens to the recipient)", g);
    }

    function test_gas_slash3() public {
        IAllocationManager.SlashingParams memory p;
        p.operator = op;
        p.operatorSetId = 1;
        p.strategies = new IStrategy[](3);
        p.wadsToSlash = new uint256[](3);
        for (uint256 i = 0; i < 3; ++i) {
            p.strategies[i] = strategies[i];
            p.wadsToSlash[i] = 1e17;
        }
        vm.prank(avs);
        uint256 g = gasleft();
        am.slashOperator(avs, p);
        _report("slash (3 strategies, no tokens move)", g);
        g = gasleft();
        sm.clearBurnOrRedistributableShares(set, 1);
        _report("clear the slash's shares (3 strategies)", g);
    }

    function test_gas_fundRewards() public {
        vm.prank(avs);
        uint256 g = gasleft();
        rc.fundOperator(set, op, strategies[0], rewardToken, 1e18);
        _report("fund rewards (one operator)", g);
    }

    function test_gas_operatorDirectedSubmission() public {
        vm.warp(1_700_000_000);
        RewardsCoordinator.OperatorDirectedRewardsSubmission[] memory subs =
            new RewardsCoordinator.OperatorDirectedRewardsSubmission[](1);
        subs[0].strategiesAndMultipliers = new RewardsCoordinator.StrategyAndMultiplier[](1);
        subs[0].strategiesAndMultipliers[0] = RewardsCoordinator.StrategyAndMultiplier(strategies[0], 1e18);
        subs[0].token = rewardToken;
        subs[0].operatorRewards = new RewardsCoordinator.OperatorReward[](1);
        subs[0].operatorRewards[0] = RewardsCoordinator.OperatorReward(op, 1e18);
        subs[0].startTimestamp = uint32(block.timestamp / 1 days) * 1 days - 1 days;
        subs[0].duration = 1 days;
        vm.prank(avs);
        uint256 g = gasleft();
        rc.createOperatorDirectedOperatorSetRewardsSubmission(set, subs);
        _report("operator-directed submission (1 operator, 1 strategy, existing reward token)", g);
    }

    function test_gas_claimRewards() public {
        IStrategy[] memory s = _one(strategies[0]);
        vm.prank(alice);
        uint256 g = gasleft();
        rc.claim(rewardToken, s, alice);
        _report("claim rewards (1 strategy)", g);
    }
}
