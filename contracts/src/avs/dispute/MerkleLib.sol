// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

/// @notice The padded binary keccak Merkle tree of src/core/merkle.hpp: leaf count padded to a
/// power of two with bytes32(0), parent = keccak256(left || right), proofs of exactly
/// ceil(log2(leafCount)) siblings.
library MerkleLib {
    /// ceil(log2(n)); 0 for n <= 1.
    function depth(uint256 n) internal pure returns (uint256 d) {
        while ((uint256(1) << d) < n) ++d;
    }

    function hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            mstore(0x00, a)
            mstore(0x20, b)
            h := keccak256(0x00, 0x40)
        }
    }

    function rootFromProof(bytes32 leaf, uint256 index, bytes32[] calldata proof)
        internal
        pure
        returns (bytes32 node)
    {
        node = leaf;
        for (uint256 i = 0; i < proof.length; ++i) {
            node = (index & 1) == 1 ? hashPair(proof[i], node) : hashPair(node, proof[i]);
            index >>= 1;
        }
    }

    function rootFromProofMem(bytes32 leaf, uint256 index, bytes32[] memory proof)
        internal
        pure
        returns (bytes32 node)
    {
        node = leaf;
        for (uint256 i = 0; i < proof.length; ++i) {
            node = (index & 1) == 1 ? hashPair(proof[i], node) : hashPair(node, proof[i]);
            index >>= 1;
        }
    }

    /// True when `leaf` is leaf `index` of a `leafCount`-leaf tree with root `root`.
    function verify(bytes32 root, uint256 leafCount, uint256 index, bytes32 leaf, bytes32[] calldata proof)
        internal
        pure
        returns (bool)
    {
        if (index >= leafCount || proof.length != depth(leafCount)) return false;
        return rootFromProof(leaf, index, proof) == root;
    }

    function verifyMem(bytes32 root, uint256 leafCount, uint256 index, bytes32 leaf, bytes32[] memory proof)
        internal
        pure
        returns (bool)
    {
        if (index >= leafCount || proof.length != depth(leafCount)) return false;
        return rootFromProofMem(leaf, index, proof) == root;
    }

    /// Root over `leaves` (bytes32(0) for none).
    function rootOf(bytes32[] memory leaves) internal pure returns (bytes32) {
        uint256 n = leaves.length;
        if (n == 0) return bytes32(0);
        uint256 width = uint256(1) << depth(n);
        bytes32[] memory level = new bytes32[](width);
        for (uint256 i = 0; i < n; ++i) {
            level[i] = leaves[i];
        }
        for (; width > 1; width >>= 1) {
            for (uint256 i = 0; i < width / 2; ++i) {
                level[i] = hashPair(level[2 * i], level[2 * i + 1]);
            }
        }
        return level[0];
    }
}
