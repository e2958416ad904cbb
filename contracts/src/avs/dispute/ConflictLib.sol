// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Coordinator} from "../Coordinator.sol";

/// @notice The check both games make before ending a conflict with one claim (DisputeGame and
///         GenerationClaims `resolveUncontested`, and `resolve` after a won game).
library ConflictLib {
    /// @notice Whether every seat of request `id` either holds claim hash `h` or has been slashed
    ///         on it: no other seated claim still stands.
    function uncontested(Coordinator coordinator, bytes32 id, bytes32 h) internal view returns (bool) {
        uint8 n = coordinator.getRequest(id).commits;
        for (uint256 i = 0; i < n; ++i) {
            address op = coordinator.seatOf(id, i);
            if (coordinator.entryOf(id, op) != h && !coordinator.slashed(id, op)) return false;
        }
        return true;
    }
}
