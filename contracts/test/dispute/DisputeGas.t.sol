// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {console} from "forge-std/Test.sol";
import {DisputeBase} from "./DisputeBase.sol";
import {DisputeGame} from "../../src/avs/dispute/DisputeGame.sol";

/// @notice Gas of whole disputes (contracts/README.md, "Dispute gas"): the 28x28 CNN with a lie at
///         each of its 8 steps, and a 1024-op chain. Each game runs on the real Coordinator with
///         moves computed by the C++ game side; gas is measured per transaction.
contract DisputeGasTest is DisputeBase {
    string[7] internal names = ["challenge", "bisect", "choose", "reveal", "descend", "pick", "proveElement"];

    /// Plays one game; returns its move count and the proveElement execution gas.
    function _run(bytes memory line, string memory label) internal returns (uint256 moves, uint256 oneStep) {
        Fixture memory f = _fixture(line);
        assertTrue(f.challengerWins);
        uint256 snap = vm.snapshotState();
        Setup memory s = _answered(f);
        totalGas = 0;
        txCount = 0;
        uint256[9] memory maxOf;
        uint256 gameId = _challenge(s, challenger);
        maxOf[0] = gasOf[0];
        uint256 bySide;
        uint256 intrinsic;
        for (uint256 j = 0; j < f.moves.length; ++j) {
            intrinsic += _calldataGas(f.moves[j].args);
            _play(gameId, s, challenger, f.moves[j]);
            uint8 kind = f.moves[j].kind;
            if (gasOf[kind] > maxOf[kind]) maxOf[kind] = gasOf[kind];
            if (f.moves[j].byDefender) ++bySide;
        }
        assertTrue(coord.slashed(s.id, s.defender));
        console.log(label);
        console.log("  steps N", f.steps, "lied step k", f.k);
        console.log("  transactions", txCount, "defender moves", bySide);
        console.log("  total execution gas", totalGas);
        console.log("  moves' intrinsic gas (21k base + calldata)", intrinsic);
        for (uint256 kind = 0; kind <= 6; ++kind) {
            if (maxOf[kind] > 0) console.log("  max gas", names[kind], maxOf[kind]);
        }
        moves = f.moves.length;
        oneStep = maxOf[6];
        vm.revertToState(snap);
    }

    function test_gas_cnn_everyStep() public {
        bytes[] memory lines = _lines("../build/dispute/game_cnn.txt");
        assertEq(lines.length, 8);
        for (uint256 i = 0; i < lines.length; ++i) {
            (, uint256 oneStep) = _run(lines[i], string.concat("cnn, lie at step ", vm.toString(i + 1)));
            // Under the target of 3M gas for every op's one step.
            assertGt(oneStep, 0);
            assertLt(oneStep, 3_000_000);
        }
    }

    function test_gas_chain1024() public {
        bytes[] memory lines = _lines("../build/dispute/game_chain1024.txt");
        for (uint256 i = 0; i < lines.length; ++i) {
            (uint256 moves,) = _run(lines[i], "chain of 1024 ops");
            // ceil(log2 N) + ceil(log2 chunks) + 3 moves per side at most (N = 1024, 1 chunk).
            assertLe(moves, 2 * (10 + 0 + 3));
        }
    }
}
