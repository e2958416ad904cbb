// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {GenerationBase} from "../dispute/GenerationBase.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {RequestParams, Job, Claim, Status} from "../../src/avs/CoordinatorTypes.sol";
import {ICoordinator} from "../../src/consumer/ICoordinator.sol";
import {GenerationSpec, LmManifest} from "../../src/avs/dispute/GenerationLib.sol";
import {TextOracle} from "../../src/consumer/examples/TextOracle.sol";

/// @notice The example text oracle on the whole system, with the generations the C++ side
///         computed (GenerationBase): an honest completion is stored and settled; a completion
///         with an altered token is refuted in the GenerationGame, the operator slashed, the
///         oracle's escrow credited back and its stored text withdrawn.
contract TextOracleTest is GenerationBase {
    TextOracle internal oracle;
    address internal node;

    function _oracleFor(GenFixture memory f) internal {
        LmManifest memory m = _manifest(f);
        node = _nodeFor(m.stepModelRoot);
        oracle = new TextOracle(ICoordinator(address(coord)), keccak256(f.manifest), m.stepModelRoot, _pay());
        _fund(address(this), 4 * _escrow(64));
        coord.deposit(address(oracle), _pay(), 4 * _escrow(64));
    }

    /// The escrow of a completion of at most `maxTokens` tokens at PRICE per token.
    function _escrow(uint256 maxTokens) internal view returns (uint256) {
        return coord.cost(uint96(PRICE * maxTokens), 1, FEE_BIPS, ROYALTY);
    }

    /// Asks as the fixture's greedy spec; returns the request and its job.
    function _ask(GenFixture memory f) internal returns (bytes32 id, Job memory job) {
        GenerationSpec memory s = genClaims.decodeSpec(f.input);
        id = oracle.ask(s.prompt, s.maxTokens, s.stop, node);
        RequestParams memory p;
        p.modelRoot = _manifest(f).stepModelRoot;
        p.token = _pay();
        p.price = uint96(PRICE * s.maxTokens); // the node's quote is per token
        p.redundancy = 1;
        p.callbackGasLimit = 120_000 + 6_000 * s.maxTokens;
        p.ttl = 1 hours;
        p.commitWindow = 5 minutes;
        p.assigned = node;
        job = _jobFor(address(oracle), p, f.input);
        // The oracle's request input is byte for byte the spec the node generated for.
        assertEq(coord.jobHash(id), keccak256(abi.encode(job)));
    }

    function test_honest_completion_is_stored_and_settled() public {
        GenFixture memory f = _fixtures()[0];
        _oracleFor(f);
        (bytes32 id, Job memory job) = _ask(f);
        Claim memory c = _claimOf(f);
        vm.expectEmit(address(coord));
        emit Coordinator.CallbackResult(id, true);
        vm.prank(node);
        coord.deliver(id, job, c);
        (, bytes memory text) = genClaims.decodeOutput(f.output);
        assertEq(oracle.answerOf(id), text);
        assertGt(text.length, 0);
        // Settlement pays the node for the tokens it generated and credits the rest back.
        (uint32[] memory tokens,) = genClaims.decodeOutput(f.output);
        uint256 pay = uint256(PRICE) * tokens.length;
        uint256 creditBefore = coord.credits(address(oracle), _pay());
        vm.warp(block.timestamp + WINDOW);
        coord.settle(id, job, c);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Settled));
        assertEq(
            coord.credits(address(oracle), _pay()) - creditBefore,
            _escrow(job.params.price / PRICE) - pay - pay * FEE_BIPS / 10_000 - ROYALTY
        );
    }

    function test_altered_completion_is_refuted_and_withdrawn() public {
        GenFixture[] memory fs = _fixtures();
        GenFixture memory f = fs[1]; // greedy, third token altered
        assertTrue(f.liar);
        _oracleFor(f);
        (bytes32 id, Job memory job) = _ask(f);
        Claim memory c = _claimOf(f);
        vm.prank(node);
        coord.deliver(id, job, c);
        assertGt(oracle.answerOf(id).length, 0);
        uint256 creditBefore = coord.credits(address(oracle), _pay());

        Setup memory s = Setup(id, job, c, node);
        uint256 gameId = _toStep(f, s);
        vm.prank(challenger);
        gen.proveToken(gameId, job, c, f.input, _manifest(f), f.logitsPath, f.row);

        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Refuted));
        assertEq(coord.credits(address(oracle), _pay()), creditBefore + _escrow(job.params.price / PRICE));
        assertEq(oracle.answerOf(id).length, 0);
        (,, bool refuted) = oracle.answers(id);
        assertTrue(refuted);
        assertEq(uint8(oracle.corrected(id)), uint8(Status.Refuted));
    }
}
