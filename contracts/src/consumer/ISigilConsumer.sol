// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Claim, Status} from "../avs/CoordinatorTypes.sol";

/// @title ISigilConsumer
/// @notice The callbacks a consumer contract receives from the Coordinator.
interface ISigilConsumer {
    /// @notice Delivers the agreed answer of `requestId`. Called with the gas limit the consumer
    ///         set; its failure is recorded but never blocks settlement.
    function onSigilResult(bytes32 requestId, Claim calldata claim) external;

    /// @notice Corrects an answer delivered at once: the claim with hash `claimHash` that
    ///         `onSigilResult` handed over for `requestId` now has `status` (Refuted: the proof
    ///         market showed it wrong, the escrow is credited back to the consumer). Called with
    ///         min(callbackGasLimit, Coordinator.MAX_CORRECTION_GAS); its failure is recorded
    ///         (`CorrectionResult`) and never blocks the slash.
    function onSigilCorrection(bytes32 requestId, bytes32 claimHash, Status status) external;
}
