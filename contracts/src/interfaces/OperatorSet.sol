// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

/// @notice An operator set: a group of operators an AVS secures a service with, identified by
///         the AVS address and a 32-bit id chosen by the AVS.
struct OperatorSet {
    address avs;
    uint32 id;
}

/// @title OperatorSetLib
/// @notice Packs an operator set into the bytes32 key the core uses for storage.
library OperatorSetLib {
    /// @notice `avs` in the high 160 bits, `id` in the low 32 bits.
    function key(OperatorSet memory set) internal pure returns (bytes32) {
        return bytes32((uint256(uint160(set.avs)) << 96) | uint256(set.id));
    }

    /// @notice Inverse of `key`.
    function decode(bytes32 k) internal pure returns (OperatorSet memory) {
        return OperatorSet({avs: address(uint160(uint256(k) >> 96)), id: uint32(uint256(k))});
    }
}
