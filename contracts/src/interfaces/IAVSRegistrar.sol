// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

/// @title IAVSRegistrar
/// @notice The contract an AVS names in the AllocationManager to vet operators joining or leaving
///         its operator sets. The AllocationManager calls it after updating membership; a revert
///         undoes the whole (de)registration, so reverting is how a registrar refuses an operator.
interface IAVSRegistrar {
    /// @notice Called when `operator` registers for `operatorSetIds` of `avs`.
    /// @param data Opaque bytes the operator passed to `registerForOperatorSets` (e.g. an endpoint).
    function registerOperator(
        address operator,
        address avs,
        uint32[] calldata operatorSetIds,
        bytes calldata data
    ) external;

    /// @notice Called when `operator` leaves `operatorSetIds` of `avs` (on its own or ejected by the AVS or
    ///         its appointee; also when the registrar itself ejects).
    ///         The operator stays slashable by these sets for the deallocation delay.
    function deregisterOperator(address operator, address avs, uint32[] calldata operatorSetIds) external;

    /// @notice True when this registrar serves `avs`; `setAVSRegistrar` refuses a registrar that
    ///         does not support the AVS naming it.
    function supportsAVS(address avs) external view returns (bool);
}
