// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IStrategy} from "../../src/interfaces/IStrategy.sol";
import {OperatorSet} from "../../src/interfaces/OperatorSet.sol";
import {RewardsCoordinator} from "../../src/core/RewardsCoordinator.sol";
import {PausableOwned} from "../../src/core/PausableOwned.sol";
import {RewardsBase} from "./RewardsBase.sol";
import {TestToken} from "./mocks/TestToken.sol";
import {FeeOnTransferToken} from "./mocks/FeeOnTransferToken.sol";

contract RewardsCoordinatorTest is RewardsBase {
    function setUp() public override {
        super.setUp();
        _setUpRewards();
        _registerOperator(op, 0);
        _registerForSet(op, avs, 1);
    }

    function _fund(address operator, uint256 amount) internal returns (uint256) {
        vm.prank(avs);
        return rc.fundOperator(set, operator, strategies[0], reward, amount);
    }

    function _claim(address who) internal returns (uint256) {
        vm.prank(who);
        return rc.claim(reward, _one(strategies[0]), who);
    }

    function test_fundOperator_splitsCommissionAndDelegators() public {
        _deposit(alice, 0, 30e18);
        _deposit(bob, 0, 60e18);
        _deposit(op, 0, 10e18);
        _delegate(alice, op);
        _delegate(bob, op);
        _fund(op, 1000e18);
        // 10% commission, 900 split 30/60/10
        assertEq(rc.claimable(op, reward, _one(strategies[0])), 100e18 + 90e18);
        assertEq(_claim(alice), 270e18);
        assertEq(_claim(bob), 540e18);
        assertEq(_claim(op), 190e18);
        assertEq(reward.balanceOf(alice), 270e18);
        assertEq(rc.totalClaimed(reward), 1000e18);
        assertEq(rc.totalFunded(reward), 1000e18);
    }

    function test_paysStakeAtFundingTime() public {
        _deposit(alice, 0, 10e18);
        _delegate(alice, op);
        _fund(op, 100e18);
        // bob joins after the funding: earns nothing from it
        _deposit(bob, 0, 10e18);
        _delegate(bob, op);
        // alice withdraws everything after the funding: keeps what she earned
        vm.prank(alice);
        dm.undelegate(alice);
        assertEq(rc.claimable(bob, reward, _one(strategies[0])), 0);
        assertEq(_claim(alice), 90e18);
        _fund(op, 100e18);
        assertEq(_claim(bob), 90e18);
        vm.prank(alice);
        vm.expectRevert(RewardsCoordinator.NothingToClaim.selector);
        rc.claim(reward, _one(strategies[0]), alice);
    }

    function test_slashingKeepsProRata() public {
        _deposit(alice, 0, 10e18);
        _deposit(bob, 0, 30e18);
        _delegate(alice, op);
        _delegate(bob, op);
        _allocate(op, set, 0, uint64(WAD));
        vm.roll(block.number + 1);
        _slash(avs, set, op, 0, WAD / 2);
        _fund(op, 100e18);
        assertEq(_claim(alice), 22.5e18);
        assertEq(_claim(bob), 67.5e18);
    }

    function test_noDelegatedShares_allToOperator() public {
        _fund(op, 5e18);
        assertEq(_claim(op), 5e18);
    }

    function test_commission_delayedChange() public {
        _deposit(alice, 0, 10e18);
        _delegate(alice, op);
        vm.prank(op);
        rc.setOperatorCommission(5000);
        assertEq(rc.operatorCommissionBips(op), 1000);
        vm.roll(block.number + COMMISSION_DELAY);
        assertEq(rc.operatorCommissionBips(op), 5000);
        _fund(op, 100e18);
        assertEq(_claim(op), 50e18);
        assertEq(_claim(alice), 50e18);
    }

    function test_commission_reverts() public {
        vm.prank(alice);
        vm.expectRevert(RewardsCoordinator.NotAnOperator.selector);
        rc.setOperatorCommission(1);
        vm.prank(op);
        vm.expectRevert(RewardsCoordinator.InvalidBips.selector);
        rc.setOperatorCommission(10_001);
        vm.prank(owner);
        rc.setPausedFlags(1 << 2);
        vm.prank(op);
        vm.expectRevert(abi.encodeWithSelector(PausableOwned.FunctionPaused.selector, 2));
        rc.setOperatorCommission(1);
    }

    function test_fund_reverts() public {
        vm.prank(alice);
        vm.expectRevert(RewardsCoordinator.OnlyAVS.selector);
        rc.fundOperator(set, op, strategies[0], reward, 1);
        vm.startPrank(avs);
        vm.expectRevert(RewardsCoordinator.InvalidOperatorSet.selector);
        rc.fundOperator(OperatorSet(avs, 2), op, strategies[0], reward, 1);
        am.removeStrategiesFromOperatorSet(avs, 1, _one(strategies[2]));
        vm.expectRevert(RewardsCoordinator.StrategyNotInSet.selector);
        rc.fundOperator(set, op, strategies[2], reward, 1);
        vm.expectRevert(RewardsCoordinator.NotMemberOfSet.selector);
        rc.fundOperator(set, alice, strategies[0], reward, 1);
        vm.expectRevert(RewardsCoordinator.ZeroAmount.selector);
        rc.fundOperator(set, op, strategies[0], reward, 0);
        vm.expectRevert(RewardsCoordinator.NoSlashableStake.selector);
        rc.fundOperatorSet(set, strategies[0], reward, 1);
        vm.stopPrank();
        vm.prank(owner);
        rc.setPausedFlags(1);
        vm.prank(avs);
        vm.expectRevert(abi.encodeWithSelector(PausableOwned.FunctionPaused.selector, 0));
        rc.fundOperator(set, op, strategies[0], reward, 1);
    }

    function test_fund_feeOnTransferCreditsDelta() public {
        FeeOnTransferToken fot = new FeeOnTransferToken(1000);
        fot.mint(avs, 100e18);
        vm.startPrank(avs);
        fot.approve(address(rc), 100e18);
        uint256 got = rc.fundOperator(set, op, strategies[0], fot, 100e18);
        vm.stopPrank();
        assertEq(got, 90e18);
        assertEq(rc.accrued(op, fot), 90e18);
        FeeOnTransferToken full = new FeeOnTransferToken(10_000);
        full.mint(avs, 1);
        vm.startPrank(avs);
        full.approve(address(rc), 1);
        vm.expectRevert(RewardsCoordinator.NothingReceived.selector);
        rc.fundOperator(set, op, strategies[0], full, 1);
        vm.stopPrank();
    }

    function test_fundOperatorSet_proRataToSlashableStake() public {
        _registerOperator(op2, 0);
        _registerForSet(op2, avs, 1);
        _deposit(op, 0, 100e18);
        _deposit(op2, 0, 100e18);
        _allocate(op, set, 0, 3e17);
        _allocate(op2, set, 0, 1e17);
        vm.roll(block.number + 1);
        vm.prank(avs);
        rc.fundOperatorSet(set, strategies[0], reward, 400e18);
        assertEq(_claim(op), 300e18);
        assertEq(_claim(op2), 100e18);
    }

    function test_tooManyRewardTokens() public {
        _deposit(alice, 0, 1e18);
        _delegate(alice, op);
        uint256 max = rc.MAX_REWARD_TOKENS();
        for (uint256 i = 0; i <= max; ++i) {
            TestToken t = new TestToken("R");
            t.mint(avs, 1e18);
            vm.startPrank(avs);
            t.approve(address(rc), 1e18);
            if (i == max) vm.expectRevert(RewardsCoordinator.TooManyRewardTokens.selector);
            rc.fundOperator(set, op, strategies[0], t, 1e18);
            vm.stopPrank();
        }
        assertEq(rc.getRewardTokens(op, strategies[0]).length, max);
    }

    function test_claim_pausedAndHookOnlyDM() public {
        vm.expectRevert(RewardsCoordinator.OnlyDelegationManager.selector);
        rc.onScaledSharesChange(alice, op, strategies[0], 0);
        vm.prank(owner);
        rc.setPausedFlags(1 << 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(PausableOwned.FunctionPaused.selector, 1));
        rc.claim(reward, new IStrategy[](0), alice);
    }

    function testFuzz_claims_neverExceedFunding(uint96 a, uint96 b, uint96 f1, uint96 f2, uint16 bips)
        public
    {
        _deposit(alice, 0, bound(a, 1, 1e27));
        _deposit(bob, 0, bound(b, 1, 1e27));
        _delegate(alice, op);
        vm.prank(op);
        rc.setOperatorCommission(uint16(bound(bips, 0, 10_000)));
        vm.roll(block.number + COMMISSION_DELAY);
        uint256 funded = _fund(op, bound(f1, 1, 1e27));
        _delegate(bob, op);
        funded += _fund(op, bound(f2, 1, 1e27));
        IStrategy[] memory s = _one(strategies[0]);
        uint256 total =
            rc.claimable(alice, reward, s) + rc.claimable(bob, reward, s) + rc.claimable(op, reward, s);
        assertLe(total, funded);
        assertGe(total + 4, funded, "dust bound");
    }
}
