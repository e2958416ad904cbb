// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IAVSRegistrar} from "../../../src/interfaces/IAVSRegistrar.sol";

/// @notice An AVS registrar for tests: refuses operators on its deny list, records callbacks.
contract TestRegistrar is IAVSRegistrar {
    error Refused(address operator);

    mapping(address => bool) public denied;
    uint256 public registrations;
    uint256 public deregistrations;
    bytes public lastData;

    function deny(address operator, bool value) external {
        denied[operator] = value;
    }

    function registerOperator(address operator, address, uint32[] calldata, bytes calldata data) external {
        if (denied[operator]) revert Refused(operator);
        ++registrations;
        lastData = data;
    }

    function deregisterOperator(address, address, uint32[] calldata) external {
        ++deregistrations;
    }

    function supportsAVS(address) external pure virtual returns (bool) {
        return true;
    }
}
