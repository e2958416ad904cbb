// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

/// @title PausableOwned
/// @notice Two-step ownership plus a bitmap of paused functions: bit `i` set pauses every function
///         guarded by `whenNotPaused(i)`. Each core contract documents its bit indices.
abstract contract PausableOwned is Ownable2Step {
    /// @notice Bitmap of paused function groups.
    uint256 public pausedFlags;

    /// @notice Emitted when the paused bitmap changes.
    event PausedFlagsSet(uint256 flags);

    /// @notice The function group `index` is paused.
    error FunctionPaused(uint8 index);

    constructor(address initialOwner) Ownable(initialOwner) {}

    modifier whenNotPaused(uint8 index) {
        if (pausedFlags & (uint256(1) << index) != 0) revert FunctionPaused(index);
        _;
    }

    /// @notice Replaces the paused bitmap (owner only).
    function setPausedFlags(uint256 flags) external onlyOwner {
        pausedFlags = flags;
        emit PausedFlagsSet(flags);
    }

    /// @notice True when function group `index` is paused.
    function isPaused(uint8 index) public view returns (bool) {
        return pausedFlags & (uint256(1) << index) != 0;
    }
}
