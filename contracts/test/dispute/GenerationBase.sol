// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {DisputeBase} from "./DisputeBase.sol";
import {RequestParams, Job, Claim, Status} from "../../src/avs/CoordinatorTypes.sol";
import {TraceGame} from "../../src/avs/dispute/TraceGame.sol";
import {DisputeGame} from "../../src/avs/dispute/DisputeGame.sol";
import {GenerationGame} from "../../src/avs/dispute/GenerationGame.sol";
import {StepOpening} from "../../src/avs/dispute/GenerationLib.sol";
import {GenerationClaims} from "../../src/avs/dispute/GenerationClaims.sol";
import {GenerationSpec, LmManifest} from "../../src/avs/dispute/GenerationLib.sol";
import {TensorRootLib} from "../../src/avs/dispute/TensorRootLib.sol";
import {SignedClaimLib} from "../../src/avs/dispute/SignedClaimLib.sol";

/// @notice The real Coordinator with the DisputeGame and the GenerationGame, and the generations
///         computed by the C++ side (src/runtime/lm/onchain_test.cpp writes
///         build/dispute/generation_vectors.txt from PyTorch's GPT-2 export at a context of 16: a
///         greedy and a sampled generation, each honest and with its third token altered by the
///         operator, plus a prompt step).
abstract contract GenerationBase is DisputeBase {
    string internal constant PATH = "../build/dispute/generation_vectors.txt";

    struct GenFixture {
        bytes input;
        bytes manifest;
        bytes output;
        bytes32 outputRoot;
        bytes32 traceRoot;
        uint64 steps;
        bytes32 inputRoot;
        uint64 step;
        bytes32[] lefts;
        bytes32[] rights;
        bytes opening;
        bytes32[] logitsPath;
        bytes row;
        bool liar;
        bytes[] texts;
        bytes32[][] textPaths;
    }

    GenerationGame internal gen;
    GenerationClaims internal genClaims;

    function _installProofMarket() internal override {
        super._installProofMarket();
        gen = new GenerationGame(coord, game.terms(), bondToken, BOND, MOVE_WINDOW, verifier);
        genClaims = gen.claims();
        vm.prank(owner);
        coord.setGenerationGame(address(gen));
    }

    function _fixtures() internal returns (GenFixture[] memory out) {
        bytes[] memory lines = _lines(PATH);
        out = new GenFixture[](lines.length);
        for (uint256 i = 0; i < lines.length; ++i) {
            out[i] = abi.decode(lines[i], (GenFixture));
        }
    }

    function _manifest(GenFixture memory f) internal pure returns (LmManifest memory) {
        return abi.decode(f.manifest, (LmManifest));
    }

    function _claimOf(GenFixture memory f) internal pure returns (Claim memory c) {
        c = Claim(f.output, f.outputRoot, f.traceRoot, f.steps, f.inputRoot);
    }

    /// A k = 1 generation request for the fixture's model, answered with `claim` by its node.
    function _answeredWith(GenFixture memory f, Claim memory claim) internal returns (Setup memory s) {
        LmManifest memory m = _manifest(f);
        s.defender = _nodeFor(m.stepModelRoot);
        RequestParams memory p = _params(1);
        p.modelRoot = m.stepModelRoot;
        p.assigned = s.defender;
        (s.id, s.job) = _request(p, f.input);
        s.claim = claim;
        vm.prank(s.defender);
        coord.deliver(s.id, s.job, s.claim);
    }

    function _challengeGen(Setup memory s) internal returns (uint256 gameId) {
        bondToken.mint(challenger, BOND);
        vm.startPrank(challenger);
        bondToken.approve(address(gen), BOND);
        gameId = gen.challenge(s.id, s.job, s.claim, s.defender);
        vm.stopPrank();
    }

    /// Plays the descent to the fixture's step and the defender's opening of it.
    function _toStep(GenFixture memory f, Setup memory s) internal returns (uint256 gameId) {
        gameId = _challengeGen(s);
        for (uint256 level = 0; level < f.lefts.length; ++level) {
            vm.prank(s.defender);
            gen.descend(gameId, f.lefts[level], f.rights[level]);
            vm.prank(challenger);
            gen.pick(gameId, (f.step >> (f.lefts.length - 1 - level)) & 1 == 1);
        }
        assertEq(uint8(gen.getGame(gameId).phase), uint8(TraceGame.Phase.StepReveal));
        StepOpening memory o = abi.decode(f.opening, (StepOpening));
        vm.prank(s.defender);
        gen.revealStep(gameId, s.job, f.input, _manifest(f), o);
        assertEq(uint8(gen.getGame(gameId).phase), uint8(TraceGame.Phase.StepDispute));
        assertEq(gen.getGeneration(gameId).next, o.next);
    }

    function f0Steps(GenFixture memory f) internal pure returns (uint64) {
        return f.steps & ~(uint64(1) << 63);
    }

    function _withOutput(GenFixture memory f, uint32[] memory tokens, bytes memory text, uint64 steps)
        internal
        view
        returns (Claim memory c)
    {
        bytes memory out = abi.encode(tokens, text);
        c = Claim(out, _rootOf(out), f.traceRoot, steps, f.inputRoot);
    }

    function _rootOf(bytes memory b) internal view returns (bytes32) {
        return this.rootOf(b);
    }

    function rootOf(bytes calldata b) external pure returns (bytes32) {
        return TensorRootLib.tensorRoot(b);
    }

    /// The EIP-712 digest an operator signs for an off-chain claim (OffchainClaims.adopt).
    function digestOf(bytes32 modelRoot, Claim calldata c, uint64 until) external view returns (bytes32) {
        return SignedClaimLib.digest(modelRoot, c, until, block.chainid, address(coord));
    }
}
