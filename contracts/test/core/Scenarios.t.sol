// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IStrategy} from "../../src/interfaces/IStrategy.sol";
import {OperatorSet} from "../../src/interfaces/OperatorSet.sol";
import {IAllocationManager} from "../../src/interfaces/IAllocationManager.sol";
import {DelegationManager} from "../../src/core/DelegationManager.sol";
import {AllocationManager} from "../../src/core/AllocationManager.sol";
import {CoreBase} from "./CoreBase.sol";

/// @notice Scripted multi-step flows across all core contracts.
contract ScenariosTest is CoreBase {
    address internal op = makeAddr("operator");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal avs1 = makeAddr("avs1");
    address internal avs2 = makeAddr("avs2");
    address internal market = makeAddr("proofMarket");
    OperatorSet internal set1;
    OperatorSet internal set2;

    function setUp() public override {
        super.setUp();
        set1 = OperatorSet(avs1, 1);
        set2 = OperatorSet(avs2, 1);
        _createSet(avs1, 1, avs1, market);
        _createSet(avs2, 1, avs2, address(0));
        _registerOperator(op, 0);
        _registerForSet(op, avs1, 1);
        _registerForSet(op, avs2, 1);
    }

    function test_depositDelegateAllocateSlashQueueCompleteRedeposit() public {
        _deposit(alice, 0, 100e18);
        _delegate(alice, op);
        _allocate(op, set1, 0, 5e17);
        vm.roll(block.number + 1);
        assertEq(_slashable(set1, op, strategies[0]), 50e18);
        // slash 20% of the set's allocation -> 10% of alice's stake, redistributed to the market
        uint256 out = _slash(avs1, set1, op, 0, 2e17);
        assertEq(out, 10e18);
        assertEq(tokens[0].balanceOf(market), 10e18);
        assertEq(_withdrawable(alice, 0), 90e18);
        assertEq(dm.operatorShares(op, strategies[0]), 90e18);
        DelegationManager.Withdrawal memory w = _queue(alice, 0, 50e18);
        (, uint256[] memory pending) = dm.getQueuedWithdrawal(keccak256(abi.encode(w)));
        assertEq(pending[0], 45e18);
        vm.roll(block.number + WITHDRAWAL_DELAY + 1);
        vm.prank(alice);
        dm.completeQueuedWithdrawal(w, false); // redeposit
        assertEq(_withdrawable(alice, 0), 90e18);
        assertEq(dm.operatorShares(op, strategies[0]), 90e18);
        DelegationManager.Withdrawal memory all =
            _queue(alice, 0, sm.stakerDepositShares(alice, strategies[0]));
        vm.roll(block.number + WITHDRAWAL_DELAY + 1);
        vm.prank(alice);
        dm.completeQueuedWithdrawal(all, true);
        assertEq(tokens[0].balanceOf(alice), 90e18);
        assertEq(strategies[0].totalShares(), 0);
    }

    function test_queuedWithdrawalStaysSlashableUntilDelay() public {
        _deposit(alice, 0, 100e18);
        _deposit(bob, 0, 100e18);
        _delegate(alice, op);
        _delegate(bob, op);
        _allocate(op, set2, 0, uint64(WAD));
        vm.roll(block.number + 1);
        DelegationManager.Withdrawal memory wa = _queue(alice, 0, 100e18);
        vm.roll(block.number + WITHDRAWAL_DELAY);
        // last block alice's withdrawal is slashable: both lose half
        uint256 out = _slash(avs2, set2, op, 0, 5e17);
        assertEq(out, 100e18);
        DelegationManager.Withdrawal memory wb = _queue(bob, 0, 100e18);
        vm.roll(block.number + 1);
        // alice's withdrawal is past its window: this slash only hits bob's queued shares
        uint256 out2 = _slash(avs2, set2, op, 0, 5e17);
        assertEq(out2, 25e18);
        vm.prank(alice);
        dm.completeQueuedWithdrawal(wa, true);
        assertEq(tokens[0].balanceOf(alice), 50e18);
        vm.roll(block.number + WITHDRAWAL_DELAY);
        vm.prank(bob);
        dm.completeQueuedWithdrawal(wb, true);
        assertEq(tokens[0].balanceOf(bob), 25e18);
        assertEq(tokens[0].balanceOf(address(strategies[0])), 0);
    }

    function test_fullySlashedOperator() public {
        _deposit(alice, 0, 10e18);
        _delegate(alice, op);
        _allocate(op, set1, 0, uint64(WAD));
        vm.roll(block.number + 1);
        _slash(avs1, set1, op, 0, WAD);
        assertEq(am.getMaxMagnitude(op, strategies[0]), 0);
        assertEq(_withdrawable(alice, 0), 0);
        assertEq(dm.operatorShares(op, strategies[0]), 0);
        assertEq(tokens[0].balanceOf(market), 10e18);
        // slashing again has nothing to take
        assertEq(_slash(avs1, set1, op, 0, WAD), 0);
        // nobody can delegate to it with shares in the slashed strategy
        _deposit(bob, 0, 1e18);
        DelegationManager.SignatureWithExpiry memory none;
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(DelegationManager.FullySlashed.selector, op, strategies[0]));
        dm.delegateTo(op, none, 0);
        // alice leaves; her withdrawal pays nothing, and she can start over elsewhere
        vm.prank(alice);
        bytes32 root = dm.undelegate(alice);
        (DelegationManager.Withdrawal memory w,) = dm.getQueuedWithdrawal(root);
        vm.roll(block.number + WITHDRAWAL_DELAY + 1);
        vm.prank(alice);
        dm.completeQueuedWithdrawal(w, true);
        assertEq(tokens[0].balanceOf(alice), 0);
        address op2 = makeAddr("op2");
        _registerOperator(op2, 0);
        _deposit(alice, 0, 1e18);
        _delegate(alice, op2);
        assertEq(_withdrawable(alice, 0), 1e18);
        // the operator's allocations in other strategies remain usable
        _allocate(op, set1, 1, 5e17);
    }

    function test_twoAVSsSlashSameOperator() public {
        _deposit(alice, 0, 100e18);
        _delegate(alice, op);
        _allocate(op, set1, 0, 6e17);
        _allocate(op, set2, 0, 4e17);
        vm.roll(block.number + 1);
        assertEq(am.getEncumberedMagnitude(op, strategies[0]), WAD);
        uint256 out1 = _slash(avs1, set1, op, 0, 5e17); // 30% of the stake
        uint256 out2 = _slash(avs2, set2, op, 0, 5e17); // 20% of the original stake
        assertEq(out1, 30e18);
        assertEq(out2, 20e18);
        assertEq(tokens[0].balanceOf(market), 30e18);
        assertEq(tokens[0].balanceOf(sm.BURN_ADDRESS()), 20e18);
        assertEq(am.getMaxMagnitude(op, strategies[0]), 5e17);
        // each set's slashable stake reflects only its own remaining allocation
        assertEq(_slashable(set1, op, strategies[0]), 30e18);
        assertEq(_slashable(set2, op, strategies[0]), 20e18);
        assertEq(_withdrawable(alice, 0), 50e18);
    }

    function test_slashDuringPendingDeallocation() public {
        _deposit(alice, 0, 100e18);
        _delegate(alice, op);
        _allocate(op, set1, 0, 8e17);
        vm.roll(block.number + 1);
        _allocate(op, set1, 0, 0); // deallocate everything
        vm.roll(block.number + DEALLOCATION_DELAY);
        uint256 out = _slash(avs1, set1, op, 0, 5e17); // still slashable: 40% of the stake
        assertEq(out, 40e18);
        assertEq(am.getAllocation(op, set1, strategies[0]).pendingDiff, -4e17);
        vm.roll(block.number + 1);
        assertEq(am.getAllocation(op, set1, strategies[0]).currentMagnitude, 0);
        assertEq(am.getEncumberedMagnitude(op, strategies[0]), 0);
        assertEq(_slash(avs1, set1, op, 0, 5e17), 0, "deallocated magnitude is no longer slashable");
        // freed magnitude can be allocated elsewhere (max is now 0.6)
        _allocate(op, set2, 0, 6e17);
        assertEq(am.getAllocatableMagnitude(op, strategies[0]), 0);
    }

    function test_deregisteredOperatorSlashableOnlyForDelay() public {
        _deposit(alice, 0, 100e18);
        _delegate(alice, op);
        _allocate(op, set1, 0, uint64(WAD));
        vm.roll(block.number + 1);
        vm.prank(op);
        am.deregisterFromOperatorSets(IAllocationManager.DeregisterParams(op, avs1, _ids(1)));
        vm.roll(block.number + DEALLOCATION_DELAY);
        assertEq(_slash(avs1, set1, op, 0, 1e17), 10e18);
        vm.roll(block.number + 1);
        IAllocationManager.SlashingParams memory p;
        p.operator = op;
        p.operatorSetId = 1;
        p.strategies = _one(strategies[0]);
        p.wadsToSlash = _oneU(1e17);
        vm.prank(avs1);
        vm.expectRevert(AllocationManager.OperatorNotSlashable.selector);
        am.slashOperator(avs1, p);
    }

    /// Many tiny deposits and withdrawals against an operator with an awkward max magnitude,
    /// trying to make rounding pay out more than was put in.
    function test_roundingExtraction_tinyOperations() public {
        _deposit(bob, 0, 1e18); // honest liquidity in the strategy
        _delegate(bob, op);
        _allocate(op, set1, 0, uint64(WAD));
        vm.roll(block.number + 1);
        _slash(avs1, set1, op, 0, 333_333_333_333_333_333); // max magnitude ~2/3
        uint256 before = tokens[0].balanceOf(alice);
        tokens[0].mint(alice, 1000);
        uint256 spent;
        _delegate(alice, op);
        DelegationManager.Withdrawal[] memory ws = new DelegationManager.Withdrawal[](40);
        for (uint256 i = 0; i < 40; ++i) {
            uint256 amount = 1 + (i % 3);
            vm.startPrank(alice);
            tokens[0].approve(address(sm), amount);
            sm.depositIntoStrategy(strategies[0], tokens[0], amount);
            vm.stopPrank();
            spent += amount;
            ws[i] = _queue(alice, 0, sm.stakerDepositShares(alice, strategies[0]));
        }
        vm.roll(block.number + WITHDRAWAL_DELAY + 1);
        for (uint256 i = 0; i < 40; ++i) {
            vm.prank(alice);
            dm.completeQueuedWithdrawal(ws[i], true);
        }
        uint256 got = tokens[0].balanceOf(alice) + spent - 1000 - before;
        assertLe(got, spent, "rounding paid out more than was deposited");
        // bob can still withdraw everything he is owed
        uint256 owed = _withdrawable(bob, 0);
        DelegationManager.Withdrawal memory wb = _queue(bob, 0, sm.stakerDepositShares(bob, strategies[0]));
        vm.roll(block.number + WITHDRAWAL_DELAY + 1);
        vm.prank(bob);
        dm.completeQueuedWithdrawal(wb, true);
        assertGe(tokens[0].balanceOf(bob), owed - 1);
    }

    /// Splitting one withdrawal into many tiny ones never yields more than withdrawing at once.
    function testFuzz_roundingExtraction_splitWithdrawals(uint96 amount, uint8 pieces, uint64 wad) public {
        uint256 a = bound(amount, 1e3, 1e24);
        uint256 n = bound(pieces, 2, 12);
        _deposit(alice, 0, a);
        _delegate(alice, op);
        _allocate(op, set1, 0, uint64(WAD));
        vm.roll(block.number + 1);
        _slash(avs1, set1, op, 0, bound(wad, 1, WAD - 1));
        uint256 whole = _withdrawable(alice, 0);
        uint256 d = sm.stakerDepositShares(alice, strategies[0]);
        DelegationManager.Withdrawal[] memory ws = new DelegationManager.Withdrawal[](n);
        for (uint256 i = 0; i < n; ++i) {
            uint256 x = i == n - 1 ? sm.stakerDepositShares(alice, strategies[0]) : d / n;
            ws[i] = _queue(alice, 0, x);
        }
        vm.roll(block.number + WITHDRAWAL_DELAY + 1);
        for (uint256 i = 0; i < n; ++i) {
            vm.prank(alice);
            dm.completeQueuedWithdrawal(ws[i], true);
        }
        assertLe(tokens[0].balanceOf(alice), whole);
        assertGe(tokens[0].balanceOf(alice) + n, whole);
    }

    function test_rewardsAfterFullFlow() public {
        _deposit(alice, 0, 100e18);
        _delegate(alice, op);
        _allocate(op, set1, 0, uint64(WAD));
        vm.roll(block.number + 1);
        rewardToken.mint(avs1, 100e18);
        vm.startPrank(avs1);
        rewardToken.approve(address(rc), 100e18);
        rc.fundOperatorSet(set1, strategies[0], rewardToken, 100e18);
        vm.stopPrank();
        _slash(avs1, set1, op, 0, 5e17);
        vm.prank(alice);
        dm.undelegate(alice);
        vm.prank(alice);
        assertEq(rc.claim(rewardToken, new IStrategy[](0), alice), 90e18);
    }
}
