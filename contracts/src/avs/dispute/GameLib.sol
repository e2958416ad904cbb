// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {MerkleLib} from "./MerkleLib.sol";
import {OpRecordLib, OpRecord} from "./OpRecordLib.sol";

/// @notice The defender's answer in the Reveal phase of a DisputeGame.
struct OutputReveal {
    bytes32 outRoot;
    bytes32[] statePath;
    bytes opRecord;
    bytes32[] opPath;
    bytes32[] opTablePath;
}

/// @title GameLib
/// @notice The DisputeGame's checks of committed op records (docs/commitments.md §modelRoot), as
///         an external library: it runs by DELEGATECALL in the game's context and lives apart
///         only to keep DisputeGame under EIP-170.
library GameLib {
    error BadPath();
    error BadRecord();

    /// @notice Checks the Reveal of step `k` of a game over `steps` steps of model `modelRoot`:
    ///         one path proves leaf k of S_{k-1} (`loState`) is 0 and leaf k of S_k (`hiState`) is
    ///         out_k, and op k's record is committed in modelRoot for `steps` steps. Returns the
    ///         element count and element width (bytes) of op k's output.
    function checkReveal(
        bytes32 modelRoot,
        uint64 steps,
        uint64 k,
        bytes32 loState,
        bytes32 hiState,
        OutputReveal calldata rv
    ) external pure returns (uint256 elems, uint8 width) {
        if (rv.statePath.length != MerkleLib.depth(uint256(steps) + 1)) revert BadPath();
        if (MerkleLib.rootFromProof(bytes32(0), k, rv.statePath) != loState) revert BadPath();
        if (MerkleLib.rootFromProof(rv.outRoot, k, rv.statePath) != hiState) revert BadPath();
        uint32 n;
        (n, elems, width) = checkRecord(modelRoot, k, rv.opRecord, rv.opPath, rv.opTablePath);
        if (n != steps) revert BadRecord();
    }

    /// @notice Checks that `opRecord` is the record of step `k` (1-based; leaf k - 1 of the op
    ///         table, which is leaf 1 of modelRoot) of model `modelRoot`, or of its last step when
    ///         `k` is 0; returns the model's step count N as the record states it, and the element
    ///         count and width (bytes) of that op's output.
    function checkRecord(
        bytes32 modelRoot,
        uint256 k,
        bytes calldata opRecord,
        bytes32[] calldata opPath,
        bytes32[] calldata opTablePath
    ) public pure returns (uint32 stepCount, uint256 elems, uint8 width) {
        (bool ok, OpRecord memory rec) = OpRecordLib.decode(opRecord);
        if (k == 0) k = rec.stepCount;
        if (!ok || k == 0 || k > rec.stepCount || opPath.length != MerkleLib.depth(rec.stepCount)) {
            revert BadRecord();
        }
        bytes32 tableRoot = MerkleLib.rootFromProof(keccak256(opRecord), k - 1, opPath);
        if (!MerkleLib.verify(modelRoot, 2 + uint256(rec.weightCount), 1, tableRoot, opTablePath)) {
            revert BadRecord();
        }
        stepCount = rec.stepCount;
        elems = 1;
        for (uint256 i = 0; i < rec.output.shape.length; ++i) {
            elems *= rec.output.shape[i];
        }
        width = rec.output.dtype == 1 ? 1 : 4;
    }
}
