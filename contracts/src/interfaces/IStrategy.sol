// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IStrategy
/// @notice A vault for exactly one ERC20. Stakers own shares of it through the StrategyManager.
interface IStrategy {
    /// @notice The one token this strategy holds.
    function underlyingToken() external view returns (IERC20);

    /// @notice Total shares outstanding (excluding the virtual offset).
    function totalShares() external view returns (uint256);

    /// @notice Tokens `shares` would withdraw now (rounded down).
    function sharesToUnderlying(uint256 shares) external view returns (uint256);

    /// @notice Shares a deposit of `amount` tokens would mint now (rounded down).
    function underlyingToShares(uint256 amount) external view returns (uint256);
}
