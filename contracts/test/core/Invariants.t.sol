// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {console} from "forge-std/console.sol";
import {IStrategy} from "../../src/interfaces/IStrategy.sol";
import {OperatorSet} from "../../src/interfaces/OperatorSet.sol";
import {AllocationManager} from "../../src/core/AllocationManager.sol";
import {DelegationManager} from "../../src/core/DelegationManager.sol";
import {CoreBase} from "./CoreBase.sol";
import {CoreHandler} from "./CoreHandler.sol";
import {TestToken} from "./mocks/TestToken.sol";

/// @notice Invariants of the restaking core under random multi-actor flows (see CoreHandler).
/// @dev Rounding bound of the token-conservation invariant: every deposit, delegation, queue,
///      completion and slash may strand at most a few shares in a strategy (each floor loses < 1
///      share per affected staker or withdrawal); the handler accumulates that allowance in
///      `roundingAllowance`. Stranded shares are never payable to anyone, so the strategy stays solvent.
/// forge-config: default.invariant.runs = 32
/// forge-config: default.invariant.depth = 64
contract InvariantsTest is CoreBase {
    CoreHandler internal handler;
    address[5] internal actors;

    function setUp() public override {
        super.setUp();
        actors = [makeAddr("op0"), makeAddr("op1"), makeAddr("s0"), makeAddr("s1"), makeAddr("s2")];
        address avsA = makeAddr("avsA");
        address avsB = makeAddr("avsB");
        _createSet(avsA, 1, avsA, makeAddr("recipient"));
        _createSet(avsB, 2, avsB, address(0));
        OperatorSet[2] memory sets = [OperatorSet(avsA, 1), OperatorSet(avsB, 2)];
        for (uint256 i = 0; i < 2; ++i) {
            _registerOperator(actors[i], uint32(i * 5));
            _registerForSet(actors[i], avsA, 1);
            _registerForSet(actors[i], avsB, 2);
        }
        for (uint256 k = 0; k < 5; ++k) {
            _deposit(actors[k], 0, 100e18);
            _deposit(actors[k], 1, 100e18);
        }
        _delegate(actors[2], actors[0]);
        _delegate(actors[3], actors[0]);
        _delegate(actors[4], actors[1]);
        for (uint256 i = 0; i < 2; ++i) {
            for (uint256 j = 0; j < 2; ++j) {
                _allocate(actors[i], sets[0], j, 5e17);
                _allocate(actors[i], sets[1], j, 3e17);
            }
        }
        vm.roll(block.number + 10);
        handler = new CoreHandler(
            sm, dm, am, rc, [tokens[0], tokens[1]], [strategies[0], strategies[1]], actors, sets
        );
        targetContract(address(handler));
    }

    /// @dev Logs how much of the core each run exercised (visible with -vv).
    function afterInvariant() public view {
        console.log("slashes", handler.slashes(), "completions", handler.completions());
    }

    function invariant_maxMagnitudeNeverIncreases() public view {
        assertFalse(handler.magnitudeIncreased());
        for (uint256 i = 0; i < 2; ++i) {
            for (uint256 j = 0; j < 2; ++j) {
                assertLe(am.getMaxMagnitude(actors[i], handler.strategyAt(j)), WAD);
            }
        }
    }

    function invariant_encumberedLeMaxMagnitude() public view {
        for (uint256 i = 0; i < 2; ++i) {
            for (uint256 j = 0; j < 2; ++j) {
                IStrategy s = handler.strategyAt(j);
                assertLe(am.getEncumberedMagnitude(actors[i], s), am.getMaxMagnitude(actors[i], s));
            }
        }
    }

    function invariant_encumberedEqualsAllocationsPlusPendingIncreases() public view {
        for (uint256 i = 0; i < 2; ++i) {
            for (uint256 j = 0; j < 2; ++j) {
                IStrategy s = handler.strategyAt(j);
                OperatorSet[] memory sets = am.getAllocatedSets(actors[i], s);
                uint256 sum;
                for (uint256 k = 0; k < sets.length; ++k) {
                    AllocationManager.Allocation memory a = am.getAllocation(actors[i], sets[k], s);
                    sum += a.currentMagnitude;
                    if (a.pendingDiff > 0) sum += uint256(uint128(a.pendingDiff));
                }
                assertEq(am.getEncumberedMagnitude(actors[i], s), sum);
            }
        }
    }

    function invariant_operatorSharesCoverDelegators() public view {
        for (uint256 i = 0; i < 2; ++i) {
            for (uint256 j = 0; j < 2; ++j) {
                IStrategy s = handler.strategyAt(j);
                uint256 sumWithdrawable;
                uint256 sumScaled;
                for (uint256 k = 0; k < 5; ++k) {
                    if (dm.delegatedTo(actors[k]) != actors[i]) continue;
                    sumWithdrawable += dm.withdrawableShares(actors[k], s);
                    sumScaled += dm.stakerScaledShares(actors[k], s);
                }
                assertGe(dm.operatorShares(actors[i], s), sumWithdrawable);
                assertEq(dm.operatorScaledShares(actors[i], s), sumScaled);
            }
        }
    }

    function invariant_noSlashBeyondAllocation() public view {
        assertFalse(handler.slashedBeyondAllocation());
    }

    function invariant_noWithdrawalCompletesBeforeDelay() public view {
        assertFalse(handler.completedEarly());
    }

    function invariant_strategyTokensCoverClaims() public view {
        for (uint256 j = 0; j < 2; ++j) {
            IStrategy s = handler.strategyAt(j);
            uint256 claims;
            for (uint256 k = 0; k < 5; ++k) {
                claims += dm.withdrawableShares(actors[k], s);
            }
            uint256 n = handler.pendingCount();
            for (uint256 p = 0; p < n; ++p) {
                (DelegationManager.Withdrawal memory w, uint256[] memory shares) =
                    dm.getQueuedWithdrawal(handler.pendingRoot(p));
                for (uint256 q = 0; q < shares.length; ++q) {
                    if (w.strategies[q] == s) claims += shares[q];
                }
            }
            uint256 total = s.totalShares();
            uint256 balance = handler.tokenAt(j).balanceOf(address(s));
            assertGe(total, claims, "strategy shares below claims");
            assertGe(balance, total, "tokens below shares");
            assertLe(balance - claims, handler.roundingAllowance(), "unexplained tokens in strategy");
        }
    }

    function invariant_rewardsClaimedPlusClaimableLeFunded() public view {
        TestToken r = handler.reward();
        IStrategy[] memory list = handler.strategyList();
        uint256 owed;
        for (uint256 k = 0; k < 5; ++k) {
            owed += rc.claimable(actors[k], r, list);
        }
        assertLe(rc.totalClaimed(r) + owed, rc.totalFunded(r));
        assertEq(r.balanceOf(address(rc)) + rc.totalClaimed(r), rc.totalFunded(r));
    }

    /// @dev The handler's actions really reach the core (a handler whose calls all bail out
    ///      early would make the invariants vacuous).
    function test_handlerActionsTakeEffect() public {
        handler.deposit(2, 0, 100e18);
        handler.queue(2, 0, 40e18);
        handler.slash(0, 0, 0, 5e17);
        assertEq(handler.slashes(), 1);
        handler.fund(0, 0, 0, 1e18);
        handler.claim(2);
        assertGt(handler.reward().balanceOf(actors[2]), 0);
        handler.complete(0, true, true, true);
        assertEq(handler.completions(), 1);
        assertFalse(handler.completedEarly());
        handler.undelegate(0);
        handler.complete(0, false, false, true);
        assertEq(handler.completions(), 2);
        invariant_strategyTokensCoverClaims();
        invariant_operatorSharesCoverDelegators();
        invariant_encumberedEqualsAllocationsPlusPendingIncreases();
        invariant_rewardsClaimedPlusClaimableLeFunded();
    }
}
