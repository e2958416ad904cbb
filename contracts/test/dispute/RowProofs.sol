// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {GreedyWitness} from "../../src/avs/dispute/GenerationLib.sol";
import {MerkleLib} from "../../src/avs/dispute/MerkleLib.sol";

/// @notice Test-side proofs into a logits row's tensor tree (32-byte chunks, zero-padded), built
///         here from the whole row, independently of TensorRootLib.
library RowProofs {
    /// The row's 32-byte chunks, the last one zero-padded.
    function chunks(bytes memory row) internal pure returns (bytes32[] memory c) {
        uint256 n = (row.length + 31) / 32;
        c = new bytes32[](n);
        for (uint256 i = 0; i < row.length; ++i) {
            c[i / 32] |= bytes32(uint256(uint8(row[i])) << (8 * (31 - (i % 32))));
        }
    }

    /// The path of leaf `index` in the zero-padded binary tree over `leaves`.
    function path(bytes32[] memory leaves, uint256 index) internal pure returns (bytes32[] memory p) {
        uint256 d = MerkleLib.depth(leaves.length);
        uint256 width = uint256(1) << d;
        bytes32[] memory level = new bytes32[](width);
        for (uint256 i = 0; i < leaves.length; ++i) {
            level[i] = leaves[i];
        }
        p = new bytes32[](d);
        for (uint256 h = 0; h < d; ++h) {
            p[h] = level[index ^ 1];
            for (uint256 i = 0; i < width / 2; ++i) {
                level[i] = keccak256(abi.encodePacked(level[2 * i], level[2 * i + 1]));
            }
            width /= 2;
            index >>= 1;
        }
    }

    /// Logit `i` of an int32 little-endian row.
    function logit(bytes memory row, uint256 i) internal pure returns (int32) {
        return int32(
            uint32(uint8(row[4 * i])) | (uint32(uint8(row[4 * i + 1])) << 8) | (uint32(uint8(row[4 * i + 2])) << 16)
                | (uint32(uint8(row[4 * i + 3])) << 24)
        );
    }

    /// The greedy draw of an int32 row: the greatest logit, the lowest index on a tie.
    function argmax(bytes memory row) internal pure returns (uint32 best) {
        for (uint256 i = 1; i < row.length / 4; ++i) {
            if (logit(row, i) > logit(row, best)) best = uint32(i);
        }
    }

    /// abi.encode(GreedyWitness) for logits `other` and `next` of an int32 row.
    function witness(bytes memory row, uint32 other, uint32 next) internal pure returns (bytes memory) {
        bytes32[] memory c = chunks(row);
        return abi.encode(
            GreedyWitness(other, c[other * 4 / 32], path(c, other * 4 / 32), c[next * 4 / 32], path(c, next * 4 / 32))
        );
    }
}
