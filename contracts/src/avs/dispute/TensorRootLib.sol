// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

/// @notice The tensor commitment of docs/commitments.md §tensor root (src/core/trace/chunks.cpp
///         `tensor_root`): the bytes cut into 32-byte chunks, the last one padded with zero bytes,
///         the chunks themselves as leaves of the padded binary keccak Merkle tree. As in the C++
///         code, the zero padding above the last chunk is not hashed: a missing right child at
///         height h is the root of an all-zero subtree of height h. Empty bytes have root 0.
library TensorRootLib {
    /// tensorRoot of `data`. Cost: ceil(len / 32) - 1 keccak256 of 64 bytes plus one zero-subtree
    /// hash per level (measured in test/dispute/ClaimIntegrity.t.sol).
    function tensorRoot(bytes calldata data) internal pure returns (bytes32 root) {
        assembly ("memory-safe") {
            let len := data.length
            let n := shr(5, add(len, 31))
            if n {
                // The level lives in fresh memory above the free pointer (not reserved: nothing
                // else allocates before the function returns).
                let level := mload(0x40)
                calldatacopy(level, data.offset, len)
                // Zero the padding of the last chunk.
                let end := add(level, len)
                mstore(end, 0)
                let zero := 0
                for {} gt(n, 1) {} {
                    let half := shr(1, add(n, 1))
                    let pairs := shr(1, n)
                    for { let i := 0 } lt(i, pairs) { i := add(i, 1) } {
                        mstore(add(level, shl(5, i)), keccak256(add(level, shl(6, i)), 0x40))
                    }
                    if and(n, 1) {
                        // Odd count: the last node pairs with the all-zero subtree.
                        let last := mload(add(level, shl(5, sub(n, 1))))
                        mstore(0x00, last)
                        mstore(0x20, zero)
                        mstore(add(level, shl(5, pairs)), keccak256(0x00, 0x40))
                    }
                    mstore(0x00, zero)
                    mstore(0x20, zero)
                    zero := keccak256(0x00, 0x40)
                    n := half
                }
                root := mload(level)
            }
        }
    }
}
