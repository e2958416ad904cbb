// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IStrategy} from "../interfaces/IStrategy.sol";

/// @title Strategy
/// @notice Holds one ERC20 for the StrategyManager and prices shares against its balance.
/// @dev Invariants:
///      - Share price uses a virtual offset: price = (balance + 1e3) / (totalShares + 1e3). A first
///        depositor who donates to inflate the price loses almost all of the donation to the
///        virtual shares, and a victim's rounding loss is bounded by ~1e-3 of the attacker's cost.
///      - Deposits and withdrawals both round down (in favour of the remaining shareholders).
///      - Only the StrategyManager moves tokens or shares; tokens sent directly are donations.
contract Strategy is IStrategy {
    using SafeERC20 for IERC20;

    /// @notice Virtual shares added to totalShares when pricing.
    uint256 public constant SHARES_OFFSET = 1e3;
    /// @notice Virtual tokens added to the balance when pricing.
    uint256 public constant BALANCE_OFFSET = 1e3;
    /// @notice Upper bound of totalShares, keeps WAD products far from overflow.
    uint256 public constant MAX_TOTAL_SHARES = 1e38;

    /// @inheritdoc IStrategy
    IERC20 public immutable underlyingToken;
    /// @notice The only caller of deposit/withdraw.
    address public immutable strategyManager;
    /// @inheritdoc IStrategy
    uint256 public totalShares;

    /// @notice Shares were minted for `amount` tokens already transferred in.
    event SharesMinted(uint256 amount, uint256 shares);
    /// @notice Shares were burned and `amount` tokens sent to `recipient`.
    event SharesBurned(address indexed recipient, uint256 shares, uint256 amount);

    error OnlyStrategyManager();
    error ZeroNewShares();
    error MaxTotalSharesExceeded();
    error InsufficientTotalShares(uint256 requested, uint256 available);

    constructor(IERC20 token, address manager) {
        underlyingToken = token;
        strategyManager = manager;
    }

    modifier onlyStrategyManager() {
        if (msg.sender != strategyManager) revert OnlyStrategyManager();
        _;
    }

    /// @notice Mints shares for `amount` tokens the StrategyManager has just transferred in.
    /// @return newShares amount * (totalShares + offset) / (balanceBefore + offset), rounded down.
    function deposit(uint256 amount) external onlyStrategyManager returns (uint256 newShares) {
        uint256 balanceBefore = underlyingToken.balanceOf(address(this)) - amount;
        newShares = Math.mulDiv(amount, totalShares + SHARES_OFFSET, balanceBefore + BALANCE_OFFSET);
        if (newShares == 0) revert ZeroNewShares();
        uint256 total = totalShares + newShares;
        if (total > MAX_TOTAL_SHARES) revert MaxTotalSharesExceeded();
        totalShares = total;
        emit SharesMinted(amount, newShares);
    }

    /// @notice Burns `shares` and sends their tokens (rounded down) to `recipient`.
    function withdraw(address recipient, uint256 shares)
        external
        onlyStrategyManager
        returns (uint256 amount)
    {
        uint256 total = totalShares;
        if (shares > total) revert InsufficientTotalShares(shares, total);
        uint256 balance = underlyingToken.balanceOf(address(this));
        amount = Math.mulDiv(shares, balance + BALANCE_OFFSET, total + SHARES_OFFSET);
        if (amount > balance) amount = balance;
        totalShares = total - shares;
        emit SharesBurned(recipient, shares, amount);
        if (amount > 0) underlyingToken.safeTransfer(recipient, amount);
    }

    /// @inheritdoc IStrategy
    function sharesToUnderlying(uint256 shares) external view returns (uint256) {
        return Math.mulDiv(
            shares, underlyingToken.balanceOf(address(this)) + BALANCE_OFFSET, totalShares + SHARES_OFFSET
        );
    }

    /// @inheritdoc IStrategy
    function underlyingToShares(uint256 amount) external view returns (uint256) {
        return Math.mulDiv(
            amount, totalShares + SHARES_OFFSET, underlyingToken.balanceOf(address(this)) + BALANCE_OFFSET
        );
    }
}
