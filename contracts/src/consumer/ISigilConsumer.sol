// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Claim} from "../avs/CoordinatorTypes.sol";

/// @title ISigilConsumer
/// @notice The callback a consumer contract receives from the Coordinator.
interface ISigilConsumer {
    /// @notice Delivers the agreed answer of `requestId`. Called with the gas limit the consumer
    ///         set; its failure is recorded but never blocks settlement.
    function onSigilResult(bytes32 requestId, Claim calldata claim) external;
}
