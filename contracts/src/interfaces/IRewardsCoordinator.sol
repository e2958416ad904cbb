// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {OperatorSet} from "./OperatorSet.sol";
import {IStrategy} from "./IStrategy.sol";

/// @title IRewardsCoordinator
/// @notice The AVS-facing surface for paying operators and their delegators. Payments are
///         accounted on-chain at funding time and claimable at once by the operator (commission)
///         and by every delegator pro rata to its stake in `strategy` at funding time.
interface IRewardsCoordinator {
    /// @notice Pulls `amount` of `token` from the caller (the set's AVS) and splits what arrived
    ///         among the set's registered operators pro rata to their current slashable stake in
    ///         `strategy` for the set; each share is then split between the operator's
    ///         commission and its delegators. Reverts when no member has slashable stake, and with
    ///         `TooManyRewardTokens` when a paid operator already has 8 other reward tokens in
    ///         `strategy`.
    /// @return received Tokens actually received (fee-on-transfer tokens credit the delta).
    function fundOperatorSet(OperatorSet calldata set, IStrategy strategy, IERC20 token, uint256 amount)
        external
        returns (uint256 received);

    /// @notice Pulls `amount` of `token` from the caller (the set's AVS) and pays it to one
    ///         registered `operator` of the set: commission to the operator, the rest to the
    ///         operator's delegators pro rata to their shares of `strategy` now (all to the operator
    ///         when it has no delegated shares in `strategy`).
    /// @return received Tokens actually received.
    function fundOperator(
        OperatorSet calldata set,
        address operator,
        IStrategy strategy,
        IERC20 token,
        uint256 amount
    ) external returns (uint256 received);
}
