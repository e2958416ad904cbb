// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IStrategy} from "./IStrategy.sol";
import {OperatorSet} from "./OperatorSet.sol";

/// @title IStrategyManager
/// @notice Deposits, and the release of slashed shares: a slash (AllocationManager.slashOperator)
///         only records the shares it took under (operator set, slashId, strategy); clearing turns
///         them into tokens sent to the set's redistribution recipient (or burned). Signatures are
///         EigenLayer's StrategyManager's.
interface IStrategyManager {
    /// @notice Pulls `amount` of `token` (the strategy's underlying token) from the caller and
    ///         credits the caller with shares for what the strategy received.
    function depositIntoStrategy(IStrategy strategy, IERC20 token, uint256 amount)
        external
        returns (uint256 depositShares);

    /// @notice Releases the shares slash `slashId` of `operatorSet` took in `strategy`: their tokens
    ///         go to the set's redistribution recipient (burned for a non-redistributing set).
    ///         Anyone may call; a second call (or a strategy the slash skipped) returns 0.
    /// @return amount Tokens sent.
    function clearBurnOrRedistributableSharesByStrategy(
        OperatorSet calldata operatorSet,
        uint256 slashId,
        IStrategy strategy
    ) external returns (uint256 amount);

    /// @notice `clearBurnOrRedistributableSharesByStrategy` for every strategy of the slash.
    /// @return amounts Tokens sent per strategy, in the order the slash recorded them.
    function clearBurnOrRedistributableShares(OperatorSet calldata operatorSet, uint256 slashId)
        external
        returns (uint256[] memory amounts);
}
