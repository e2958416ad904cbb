// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {OperatorSet} from "../../src/interfaces/OperatorSet.sol";
import {IStrategy} from "../../src/interfaces/IStrategy.sol";
import {Strategy} from "../../src/core/Strategy.sol";
import {StrategyManager} from "../../src/core/StrategyManager.sol";
import {PausableOwned} from "../../src/core/PausableOwned.sol";
import {DelegationManager} from "../../src/core/DelegationManager.sol";
import {CoreBase} from "./CoreBase.sol";
import {FeeOnTransferToken} from "./mocks/FeeOnTransferToken.sol";
import {ReentrantToken} from "./mocks/ReentrantToken.sol";
import {TestToken} from "./mocks/TestToken.sol";

contract StrategyManagerTest is CoreBase {
    address internal alice = makeAddr("alice");

    function test_deposit_creditsSharesAndList() public {
        tokens[0].mint(alice, 5e18);
        vm.prank(alice);
        tokens[0].approve(address(sm), 5e18);
        vm.expectEmit(true, true, false, true, address(sm));
        emit StrategyManager.Deposit(alice, strategies[0], 5e18, 5e18);
        vm.prank(alice);
        uint256 shares = sm.depositIntoStrategy(strategies[0], tokens[0], 5e18);
        assertEq(shares, 5e18);
        assertEq(sm.stakerDepositShares(alice, strategies[0]), 5e18);
        assertEq(sm.stakerStrategyListLength(alice), 1);
        assertEq(_withdrawable(alice, 0), 5e18);
        _deposit(alice, 0, 1e18);
        assertEq(sm.stakerStrategyListLength(alice), 1);
        (IStrategy[] memory list, uint256[] memory amounts) = sm.getDeposits(alice);
        assertEq(address(list[0]), address(strategies[0]));
        assertEq(amounts[0], 6e18);
    }

    function testFuzz_deposit_withdrawableEqualsShares(uint96 amount) public {
        uint256 a = bound(amount, 1, 1e27);
        uint256 shares = _deposit(alice, 1, a);
        assertEq(_withdrawable(alice, 1), shares);
        assertEq(strategies[1].totalShares(), shares);
    }

    function test_deposit_revertsNotWhitelisted() public {
        Strategy other = new Strategy(tokens[0], address(sm));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(StrategyManager.StrategyNotWhitelisted.selector, other));
        sm.depositIntoStrategy(other, tokens[0], 1);
    }

    function test_deposit_revertsZeroAmount() public {
        vm.prank(alice);
        vm.expectRevert(StrategyManager.ZeroAmount.selector);
        sm.depositIntoStrategy(strategies[0], tokens[0], 0);
    }

    function test_deposit_revertsWhenPaused() public {
        vm.prank(owner);
        sm.setPausedFlags(1 << 0);
        tokens[0].mint(alice, 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(PausableOwned.FunctionPaused.selector, 0));
        sm.depositIntoStrategy(strategies[0], tokens[0], 1);
    }

    function test_feeOnTransfer_creditsBalanceDelta() public {
        FeeOnTransferToken fot = new FeeOnTransferToken(100); // 1%
        Strategy s = new Strategy(fot, address(sm));
        _whitelist(s);
        fot.mint(alice, 1000e18);
        vm.startPrank(alice);
        fot.approve(address(sm), 1000e18);
        uint256 shares = sm.depositIntoStrategy(s, fot, 1000e18);
        vm.stopPrank();
        assertEq(fot.balanceOf(address(s)), 990e18);
        assertEq(shares, 990e18);
        // Withdrawing everything pays what the strategy has, minus the token's own fee.
        DelegationManager.Withdrawal memory w;
        {
            DelegationManager.QueuedWithdrawalParams[] memory p =
                new DelegationManager.QueuedWithdrawalParams[](1);
            p[0].strategies = _one(s);
            p[0].depositShares = _oneU(shares);
            vm.prank(alice);
            bytes32[] memory roots = dm.queueWithdrawals(p);
            (w,) = dm.getQueuedWithdrawal(roots[0]);
        }
        vm.roll(block.number + WITHDRAWAL_DELAY + 1);
        vm.prank(alice);
        dm.completeQueuedWithdrawal(w, true);
        assertEq(fot.balanceOf(alice), 990e18 * 99 / 100);
        assertEq(fot.balanceOf(address(s)), 0);
    }

    function test_fullFeeToken_revertsNothingReceived() public {
        FeeOnTransferToken fot = new FeeOnTransferToken(10_000);
        Strategy s = new Strategy(fot, address(sm));
        _whitelist(s);
        fot.mint(alice, 10);
        vm.startPrank(alice);
        fot.approve(address(sm), 10);
        vm.expectRevert(StrategyManager.NothingReceived.selector);
        sm.depositIntoStrategy(s, fot, 10);
        vm.stopPrank();
    }

    function test_reentrantToken_cannotReenterDeposit() public {
        ReentrantToken rt = new ReentrantToken();
        Strategy s = new Strategy(rt, address(sm));
        _whitelist(s);
        rt.mint(alice, 10e18);
        vm.prank(alice);
        rt.approve(address(sm), 10e18);
        rt.arm(address(sm), abi.encodeCall(StrategyManager.depositIntoStrategy, (s, rt, 1e18)));
        vm.prank(alice);
        sm.depositIntoStrategy(s, rt, 1e18);
        assertTrue(rt.attempted());
        assertFalse(rt.reentrySucceeded());
        assertEq(bytes4(rt.revertData()), ReentrancyGuard.ReentrancyGuardReentrantCall.selector);
        assertEq(sm.stakerDepositShares(alice, s), 1e18);
    }

    /// A whitelisted strategy over a re-entrant token, in which alice deposited 2e18.
    function _reentrantPosition() internal returns (ReentrantToken rt, Strategy s) {
        rt = new ReentrantToken();
        s = new Strategy(rt, address(sm));
        _whitelist(s);
        rt.mint(alice, 10e18);
        vm.startPrank(alice);
        rt.approve(address(sm), 10e18);
        sm.depositIntoStrategy(s, rt, 2e18);
        vm.stopPrank();
    }

    function test_reentrantToken_cannotReenterOnWithdraw() public {
        (ReentrantToken rt, Strategy s) = _reentrantPosition();
        vm.startPrank(alice);
        DelegationManager.QueuedWithdrawalParams[] memory p =
            new DelegationManager.QueuedWithdrawalParams[](1);
        p[0].strategies = _one(s);
        p[0].depositShares = _oneU(1e18);
        bytes32[] memory roots = dm.queueWithdrawals(p);
        vm.stopPrank();
        (DelegationManager.Withdrawal memory w,) = dm.getQueuedWithdrawal(roots[0]);
        vm.roll(block.number + WITHDRAWAL_DELAY + 1);
        // during the payout transfer, try to queue the remaining shares again
        p[0].depositShares = _oneU(1e18);
        rt.arm(address(dm), abi.encodeCall(DelegationManager.queueWithdrawals, (p)));
        vm.prank(alice);
        dm.completeQueuedWithdrawal(w, true);
        assertTrue(rt.attempted());
        assertFalse(rt.reentrySucceeded());
        assertEq(sm.stakerDepositShares(alice, s), 1e18);
        assertEq(rt.balanceOf(alice), 9e18);
    }

    function test_maxStrategies_bounded() public {
        uint256 max = sm.MAX_STAKER_STRATEGY_LIST_LENGTH();
        for (uint256 i = 0; i < max; ++i) {
            TestToken t = new TestToken("X");
            Strategy s = new Strategy(t, address(sm));
            _whitelist(s);
            t.mint(alice, 1);
            vm.startPrank(alice);
            t.approve(address(sm), 1);
            sm.depositIntoStrategy(s, t, 1);
            vm.stopPrank();
        }
        tokens[0].mint(alice, 1);
        vm.startPrank(alice);
        tokens[0].approve(address(sm), 1);
        vm.expectRevert(StrategyManager.MaxStrategiesExceeded.selector);
        sm.depositIntoStrategy(strategies[0], tokens[0], 1);
        vm.stopPrank();
    }

    function test_listShrinksWhenSharesReachZero() public {
        _deposit(alice, 0, 10);
        _deposit(alice, 1, 10);
        _queue(alice, 0, 10);
        assertEq(sm.stakerStrategyListLength(alice), 1);
        (IStrategy[] memory list,) = sm.getDeposits(alice);
        assertEq(address(list[0]), address(strategies[1]));
    }

    function test_onlyDelegationManager_paths() public {
        vm.expectRevert(StrategyManager.OnlyDelegationManager.selector);
        sm.addShares(alice, strategies[0], 1);
        vm.expectRevert(StrategyManager.OnlyDelegationManager.selector);
        sm.removeDepositShares(alice, strategies[0], 1);
        vm.expectRevert(StrategyManager.OnlyDelegationManager.selector);
        sm.withdrawSharesAsTokens(alice, strategies[0], 1);
        vm.expectRevert(StrategyManager.OnlyDelegationManager.selector);
        sm.increaseBurnOrRedistributableShares(OperatorSet(alice, 1), 1, strategies[0], 1);
    }

    function test_deposit_revertsWrongToken() public {
        tokens[1].mint(alice, 1);
        vm.startPrank(alice);
        tokens[1].approve(address(sm), 1);
        vm.expectRevert(StrategyManager.OnlyUnderlyingToken.selector);
        sm.depositIntoStrategy(strategies[0], tokens[1], 1);
        vm.stopPrank();
    }

    function test_removeDepositShares_revertsWhenTooMany() public {
        _deposit(alice, 0, 10);
        vm.prank(address(dm));
        vm.expectRevert(abi.encodeWithSelector(StrategyManager.InsufficientDepositShares.selector, 11, 10));
        sm.removeDepositShares(alice, strategies[0], 11);
        vm.prank(address(dm));
        vm.expectRevert(abi.encodeWithSelector(StrategyManager.InsufficientDepositShares.selector, 0, 10));
        sm.removeDepositShares(alice, strategies[0], 0);
    }

    function test_addShares_revertsZero() public {
        vm.prank(address(dm));
        vm.expectRevert(StrategyManager.ZeroAmount.selector);
        sm.addShares(alice, strategies[0], 0);
    }

    function test_setDelegationManager_once() public {
        vm.prank(owner);
        vm.expectRevert(StrategyManager.AlreadyInitialized.selector);
        sm.setDelegationManager(dm);
        StrategyManager fresh = new StrategyManager(owner);
        vm.prank(owner);
        vm.expectRevert(StrategyManager.ZeroAddress.selector);
        fresh.setDelegationManager(DelegationManager(address(0)));
    }

    function test_whitelist_onlyOwner_andOwnStrategies() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        sm.setStrategyWhitelisted(_one(strategies[0]), false);
        Strategy foreign = new Strategy(tokens[0], address(0xdead));
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(StrategyManager.WrongStrategyManager.selector, foreign));
        sm.setStrategyWhitelisted(_one(foreign), true);
        vm.prank(owner);
        sm.setStrategyWhitelisted(_one(strategies[0]), false);
        assertFalse(sm.strategyIsWhitelisted(strategies[0]));
    }

    function test_pause_onlyOwner_andTwoStepOwnership() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        sm.setPausedFlags(1);
        vm.prank(owner);
        sm.transferOwnership(alice);
        assertEq(sm.owner(), owner);
        vm.prank(alice);
        sm.acceptOwnership();
        assertEq(sm.owner(), alice);
        vm.prank(alice);
        sm.setPausedFlags(1);
        assertTrue(sm.isPaused(0));
    }

    function test_clear_burnsToBurnAddressForBurningSet() public {
        _deposit(alice, 0, 100);
        OperatorSet memory set = OperatorSet(alice, 1);
        vm.prank(address(dm));
        sm.increaseBurnOrRedistributableShares(set, 1, strategies[0], 40);
        assertEq(sm.clearBurnOrRedistributableSharesByStrategy(set, 1, strategies[0]), 40);
        assertEq(tokens[0].balanceOf(sm.BURN_ADDRESS()), 40);
    }

    /// A token that re-enters during the clearing transfer cannot clear the same shares twice.
    function test_reentrantToken_cannotReenterClear() public {
        (ReentrantToken rt, Strategy s) = _reentrantPosition();
        OperatorSet memory set = OperatorSet(alice, 1);
        vm.prank(address(dm));
        sm.increaseBurnOrRedistributableShares(set, 1, s, 1e18);
        rt.arm(
            address(sm),
            abi.encodeCall(StrategyManager.clearBurnOrRedistributableSharesByStrategy, (set, 1, s))
        );
        assertEq(sm.clearBurnOrRedistributableSharesByStrategy(set, 1, s), 1e18);
        assertTrue(rt.attempted());
        assertFalse(rt.reentrySucceeded());
        assertEq(rt.balanceOf(sm.BURN_ADDRESS()), 1e18);
    }
}
