// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IStrategy} from "../../src/interfaces/IStrategy.sol";
import {OperatorSet} from "../../src/interfaces/OperatorSet.sol";
import {RewardsCoordinator} from "../../src/core/RewardsCoordinator.sol";
import {RewardsBase} from "./RewardsBase.sol";

/// @notice EigenLayer's operator-directed operator-set rewards on the embedded core: paid on
///         chain at once (operator split, then stakers pro rata), with EigenLayer's checks.
contract OperatorDirectedRewardsTest is RewardsBase {
    uint32 internal day;

    function setUp() public override {
        super.setUp();
        vm.warp(1_700_000_000);
        day = uint32(block.timestamp / 1 days) * 1 days; // start of today
        _setUpRewards();
        _registerOperator(op, 0);
        _registerOperator(op2, 0);
    }

    function _submission(address[] memory ops, uint256[] memory amounts)
        internal
        view
        returns (RewardsCoordinator.OperatorDirectedRewardsSubmission[] memory subs)
    {
        subs = new RewardsCoordinator.OperatorDirectedRewardsSubmission[](1);
        subs[0].strategiesAndMultipliers = new RewardsCoordinator.StrategyAndMultiplier[](2);
        subs[0].strategiesAndMultipliers[0] = RewardsCoordinator.StrategyAndMultiplier(strategies[0], 1e18);
        subs[0].strategiesAndMultipliers[1] = RewardsCoordinator.StrategyAndMultiplier(strategies[1], 1e18);
        subs[0].token = reward;
        subs[0].operatorRewards = new RewardsCoordinator.OperatorReward[](ops.length);
        for (uint256 i = 0; i < ops.length; ++i) {
            subs[0].operatorRewards[i] = RewardsCoordinator.OperatorReward(ops[i], amounts[i]);
        }
        subs[0].startTimestamp = day - 1 days;
        subs[0].duration = 1 days;
        subs[0].description = "sigil fees";
    }

    function _one(address a, uint256 x)
        internal
        view
        returns (RewardsCoordinator.OperatorDirectedRewardsSubmission[] memory)
    {
        address[] memory ops = new address[](1);
        ops[0] = a;
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = x;
        return _submission(ops, amounts);
    }

    function _submit(RewardsCoordinator.OperatorDirectedRewardsSubmission[] memory subs) internal {
        vm.prank(avs);
        rc.createOperatorDirectedOperatorSetRewardsSubmission(set, subs);
    }

    function _claimAll(address who) internal returns (uint256) {
        IStrategy[] memory s = new IStrategy[](2);
        s[0] = strategies[0];
        s[1] = strategies[1];
        vm.prank(who);
        return rc.claim(reward, s, who);
    }

    function test_paysOperatorSplitThenStakersProRata() public {
        _deposit(op, 0, 10e18);
        _deposit(alice, 0, 30e18);
        _deposit(bob, 1, 60e18);
        _delegate(alice, op);
        _delegate(bob, op);
        _submit(_one(op, 1000e18));
        // 10% to the operator; 900 over (strategy 0: 40 shares, strategy 1: 60 shares) x 1e18
        assertEq(_claimAll(alice), 270e18); // 900 x 40/100 x 30/40
        assertEq(_claimAll(bob), 540e18); // 900 x 60/100
        assertEq(_claimAll(op), 100e18 + 90e18);
        assertEq(rc.totalFunded(reward), 1000e18);
        assertEq(rc.totalClaimed(reward), 1000e18);
        assertEq(rc.submissionNonce(avs), 1);
    }

    function test_operatorWithoutStakeGetsAll_andSeveralOperators() public {
        _deposit(alice, 0, 10e18);
        _delegate(alice, op2);
        (address a, address b) = op < op2 ? (op, op2) : (op2, op);
        address[] memory ops = new address[](2);
        (ops[0], ops[1]) = (a, b);
        uint256[] memory amounts = new uint256[](2);
        (amounts[0], amounts[1]) = (100e18, 200e18);
        _submit(_submission(ops, amounts));
        uint256 toOp = a == op ? 100e18 : 200e18;
        uint256 toOp2 = a == op2 ? 100e18 : 200e18;
        assertEq(_claimAll(op), toOp, "no delegated stake: everything to the operator");
        assertEq(_claimAll(op2), toOp2 / 10);
        assertEq(_claimAll(alice), toOp2 - toOp2 / 10);
    }

    function test_operatorSetSplit_settableAfterDelay_onBehalfOfOperatorOnly() public {
        _deposit(alice, 0, 10e18);
        _delegate(alice, op);
        assertEq(rc.getOperatorSetSplit(op, set), 1000);
        vm.prank(alice);
        vm.expectRevert(RewardsCoordinator.InvalidPermissions.selector);
        rc.setOperatorSetSplit(op, set, 5000);
        vm.prank(op);
        vm.expectRevert(RewardsCoordinator.InvalidBips.selector);
        rc.setOperatorSetSplit(op, set, 10_001);
        vm.prank(op);
        rc.setOperatorSetSplit(op, set, 5000);
        assertEq(rc.getOperatorSetSplit(op, set), 1000, "not yet");
        vm.roll(block.number + COMMISSION_DELAY);
        assertEq(rc.getOperatorSetSplit(op, set), 5000);
        assertEq(rc.getOperatorSetSplit(op, OperatorSet(avs, 2)), 1000, "per set");
        _submit(_one(op, 100e18));
        assertEq(_claimAll(op), 50e18);
        assertEq(_claimAll(alice), 50e18);
    }

    function test_onlyOnBehalfOfTheAVS() public {
        RewardsCoordinator.OperatorDirectedRewardsSubmission[] memory subs = _one(op, 1e18);
        rewardToken.mint(alice, 1e18);
        vm.startPrank(alice);
        reward.approve(address(rc), 1e18);
        vm.expectRevert(RewardsCoordinator.InvalidPermissions.selector);
        rc.createOperatorDirectedOperatorSetRewardsSubmission(set, subs);
        vm.stopPrank();
        vm.prank(avs);
        pc.setAppointee(
            avs, alice, address(rc), rc.createOperatorDirectedOperatorSetRewardsSubmission.selector
        );
        vm.prank(alice);
        rc.createOperatorDirectedOperatorSetRewardsSubmission(set, subs);
        assertEq(reward.balanceOf(alice), 0, "the appointee paid");
        vm.prank(avs);
        vm.expectRevert(RewardsCoordinator.InvalidOperatorSet.selector);
        rc.createOperatorDirectedOperatorSetRewardsSubmission(OperatorSet(avs, 9), subs);
    }

    function test_validation_reverts() public {
        RewardsCoordinator.OperatorDirectedRewardsSubmission[] memory subs = _one(op, 1e18);
        subs[0].startTimestamp = day; // ends tomorrow: not retroactive
        _expect(subs, RewardsCoordinator.SubmissionNotRetroactive.selector);
        subs[0].startTimestamp = day - 1 days;
        subs[0].duration = 2 days; // ends at the end of today
        _expect(subs, RewardsCoordinator.SubmissionNotRetroactive.selector);
        subs[0].duration = 0;
        _expect(subs, RewardsCoordinator.InvalidDuration.selector);
        subs[0].duration = 1 hours;
        _expect(subs, RewardsCoordinator.InvalidDuration.selector);
        subs[0].duration = 1 days;
        subs[0].startTimestamp = day - 1 days + 1;
        _expect(subs, RewardsCoordinator.InvalidStartTimestamp.selector);
        subs[0].startTimestamp = day - 91 days;
        _expect(subs, RewardsCoordinator.StartTimestampTooFarInPast.selector);
        subs = _one(op, 0);
        _expect(subs, RewardsCoordinator.AmountIsZero.selector);
        subs = _one(op, 1e18);
        (subs[0].strategiesAndMultipliers[0], subs[0].strategiesAndMultipliers[1]) =
        (subs[0].strategiesAndMultipliers[1], subs[0].strategiesAndMultipliers[0]);
        _expect(subs, RewardsCoordinator.StrategiesNotInAscendingOrder.selector);
        subs = _one(op, 1e18);
        subs[0].operatorRewards = new RewardsCoordinator.OperatorReward[](2);
        subs[0].operatorRewards[0] = RewardsCoordinator.OperatorReward(op, 1);
        subs[0].operatorRewards[1] = RewardsCoordinator.OperatorReward(op, 1);
        _expect(subs, RewardsCoordinator.OperatorsNotInAscendingOrder.selector);
        subs[0].operatorRewards = new RewardsCoordinator.OperatorReward[](0);
        _expect(subs, RewardsCoordinator.InputArrayLengthZero.selector);
        vm.prank(avs);
        am.removeStrategiesFromOperatorSet(avs, 1, _oneStrategy(strategies[1]));
        _expect(_one(op, 1e18), RewardsCoordinator.StrategyNotInSet.selector);
    }

    function _oneStrategy(IStrategy s) internal pure returns (IStrategy[] memory list) {
        list = new IStrategy[](1);
        list[0] = s;
    }

    function _expect(RewardsCoordinator.OperatorDirectedRewardsSubmission[] memory subs, bytes4 err)
        internal
    {
        vm.prank(avs);
        vm.expectRevert(err);
        rc.createOperatorDirectedOperatorSetRewardsSubmission(set, subs);
    }

    /// Paid out never exceeds what submissions brought in (rounding only favours the core).
    function testFuzz_claimsNeverExceedSubmissions(uint96 a, uint96 b, uint96 amount) public {
        _deposit(alice, 0, bound(a, 1, 1e24));
        _deposit(bob, 1, bound(b, 1, 1e24));
        _delegate(alice, op);
        _delegate(bob, op);
        uint256 x = bound(amount, 1, 1e24);
        _submit(_one(op, x));
        uint256 out;
        if (rc.claimable(alice, reward, _oneStrategy(strategies[0])) > 0) out += _claimAll(alice);
        if (rc.claimable(bob, reward, _oneStrategy(strategies[1])) > 0) out += _claimAll(bob);
        if (rc.claimable(op, reward, _oneStrategy(strategies[0])) > 0) out += _claimAll(op);
        assertLe(out, x);
        assertGe(out + 4, x, "dust of at most a few wei");
    }
}
