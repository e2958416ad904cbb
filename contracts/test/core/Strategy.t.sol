// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Test} from "forge-std/Test.sol";
import {Strategy} from "../../src/core/Strategy.sol";
import {TestToken} from "./mocks/TestToken.sol";

/// @notice Strategy unit and fuzz tests; this contract plays the StrategyManager.
contract StrategyTest is Test {
    TestToken internal token;
    Strategy internal strategy;

    function setUp() public {
        token = new TestToken("T");
        strategy = new Strategy(token, address(this));
    }

    function _depositRaw(uint256 amount) internal returns (uint256) {
        token.mint(address(strategy), amount);
        return strategy.deposit(amount);
    }

    function test_firstDeposit_mintsOneSharePerToken() public {
        assertEq(_depositRaw(1e18), 1e18);
        assertEq(strategy.totalShares(), 1e18);
        assertEq(strategy.sharesToUnderlying(1e18), 1e18);
    }

    function test_deposit_revertsForNonManager() public {
        vm.prank(address(1));
        vm.expectRevert(Strategy.OnlyStrategyManager.selector);
        strategy.deposit(1);
    }

    function test_withdraw_revertsForNonManager() public {
        vm.prank(address(1));
        vm.expectRevert(Strategy.OnlyStrategyManager.selector);
        strategy.withdraw(address(1), 1);
    }

    function test_deposit_revertsOnZeroShares() public {
        _depositRaw(1);
        token.mint(address(strategy), 1e24); // donation makes 1 wei worth < 1 share
        token.mint(address(strategy), 1);
        vm.expectRevert(Strategy.ZeroNewShares.selector);
        strategy.deposit(1);
    }

    function test_deposit_revertsAboveMaxTotalShares() public {
        token.mint(address(strategy), 1e38 + 1);
        vm.expectRevert(Strategy.MaxTotalSharesExceeded.selector);
        strategy.deposit(1e38 + 1);
    }

    function test_withdraw_revertsAboveTotalShares() public {
        _depositRaw(100);
        vm.expectRevert(abi.encodeWithSelector(Strategy.InsufficientTotalShares.selector, 101, 100));
        strategy.withdraw(address(this), 101);
    }

    function test_withdraw_paysAndBurns() public {
        _depositRaw(1000);
        vm.expectEmit(true, false, false, true);
        emit Strategy.SharesBurned(address(0xBEEF), 400, 400);
        assertEq(strategy.withdraw(address(0xBEEF), 400), 400);
        assertEq(token.balanceOf(address(0xBEEF)), 400);
        assertEq(strategy.totalShares(), 600);
    }

    /// First-depositor inflation attack: deposit 1 wei, donate a lot, hope the victim's deposit
    /// rounds to ~0 shares. The virtual offset makes the attacker lose almost all of the donation.
    function test_inflationAttack_fails() public {
        address attacker = address(0xA77);
        address victim = address(0x71C);
        uint256 attackerShares = _depositRaw(1);
        uint256 donation = 1e18;
        token.mint(address(strategy), donation);
        uint256 victimDeposit = 1e18;
        uint256 victimShares = _depositRaw(victimDeposit);
        assertGt(victimShares, 0);
        uint256 attackerOut = strategy.withdraw(attacker, attackerShares);
        uint256 victimOut = strategy.withdraw(victim, victimShares);
        // The attacker gets back far less than it put in ...
        assertLt(attackerOut, (donation + 1) / 1000);
        // ... and the victim loses at most 0.1% of its deposit.
        assertGe(victimOut, victimDeposit - victimDeposit / 1000);
    }

    function testFuzz_inflationAttack_unprofitable(uint96 seed, uint96 donation, uint96 victimDeposit)
        public
    {
        uint256 s = bound(seed, 1, 1e6);
        uint256 d = bound(donation, 1, 1e27);
        uint256 v = bound(victimDeposit, 1e6, 1e27);
        uint256 aShares = _depositRaw(s);
        token.mint(address(strategy), d);
        token.mint(address(strategy), v);
        try strategy.deposit(v) returns (uint256 vShares) {
            uint256 aOut = strategy.withdraw(address(1), aShares);
            uint256 vOut = strategy.withdraw(address(2), vShares);
            assertLe(aOut, s + d, "attacker profits");
            // victim's loss is bounded by a thousandth of what the attacker burned plus 1
            uint256 vLoss = v > vOut ? v - vOut : 0;
            assertLe(vLoss, (s + d - aOut) / 1000 + v / 1e6 + 2, "victim loss too large");
        } catch {
            // deposit worth < 1 share: nothing was credited; fine for the victim's frontend to retry
        }
    }

    function testFuzz_depositWithdraw_neverGainsTokens(uint96 a, uint96 b, uint96 donate) public {
        uint256 x = bound(a, 1, 1e27);
        uint256 y = bound(b, 1, 1e27);
        _depositRaw(x);
        token.mint(address(strategy), bound(donate, 0, 1e27));
        token.mint(address(strategy), y);
        try strategy.deposit(y) returns (uint256 shares) {
            uint256 out = strategy.withdraw(address(3), shares);
            assertLe(out, y);
        } catch {}
    }

    function test_views_roundDown() public {
        _depositRaw(3);
        token.mint(address(strategy), 1);
        // price (4+1e3)/(3+1e3)
        assertEq(strategy.sharesToUnderlying(3), 3);
        assertEq(strategy.underlyingToShares(1000), 999);
    }
}
