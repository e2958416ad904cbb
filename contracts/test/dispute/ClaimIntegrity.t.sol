// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {DisputeBase} from "./DisputeBase.sol";
import {Status, Claim, Job, RequestParams} from "../../src/avs/CoordinatorTypes.sol";
import {OutputReveal} from "../../src/avs/dispute/GameLib.sol";
import {DisputeGame} from "../../src/avs/dispute/DisputeGame.sol";
import {TraceGame} from "../../src/avs/dispute/TraceGame.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {MerkleLib} from "../../src/avs/dispute/MerkleLib.sol";
import {TensorRootLib} from "../../src/avs/dispute/TensorRootLib.sol";
import {RecordingConsumer} from "../avs/mocks/Consumers.sol";

/// @notice TensorRootLib called on calldata, as the game and a request would.
contract TensorRootHarness {
    function root(bytes calldata data) external pure returns (bytes32) {
        return TensorRootLib.tensorRoot(data);
    }

    /// The execution gas of the commitment alone (what a Coordinator computing it would add).
    function rootGas(bytes calldata data) external view returns (bytes32 r, uint256 used) {
        uint256 g = gasleft();
        r = TensorRootLib.tensorRoot(data);
        used = g - gasleft();
    }
}

/// @notice The endpoints of a claim checked against their parent commitments: inputRoot against
///         the request's inline input, the output bytes against outputRoot, outputRoot against
///         leaf N of S_N; each lie is caught, each honest claim survives, every refusal is named.
contract ClaimIntegrityTest is DisputeBase {
    string internal constant CHAIN16 = "../build/dispute/game_chain16.txt";
    string internal constant CNN = "../build/dispute/game_cnn.txt";
    TensorRootHarness internal h;
    address internal prover = makeAddr("prover");
    bytes internal image;

    function setUp() public override {
        super.setUp();
        h = new TensorRootHarness();
        image = new bytes(784);
        for (uint256 i = 0; i < 784; ++i) {
            image[i] = bytes1(uint8(i * 13 + 5));
        }
    }

    // ------------------------------------------------------------------ the tensor commitment

    /// Equal to the C++ trace::tensor_root and to the single-input inputRoot on every vector
    /// (src/proof/tensor_root_vectors_test.cpp).
    function test_tensorRoot_matchesCpp() public {
        bytes[] memory lines = _lines("../build/dispute/tensor_roots.txt");
        assertGt(lines.length, 40);
        for (uint256 i = 0; i < lines.length; ++i) {
            (bytes memory data, bytes32 t, bytes32 inputRoot) =
                abi.decode(lines[i], (bytes, bytes32, bytes32));
            assertEq(h.root(data), t, "tensor root");
            assertEq(h.root(data), inputRoot, "single-input inputRoot");
        }
    }

    /// Equal to the padded tree over the zero-padded chunks (MerkleLib.rootOf).
    function testFuzz_tensorRoot_matchesPaddedTree(bytes calldata data) public view {
        uint256 n = (data.length + 31) / 32;
        bytes32[] memory leaves = new bytes32[](n);
        for (uint256 i = 0; i < data.length; ++i) {
            leaves[i / 32] |= bytes32(data[i]) >> (8 * (i % 32));
        }
        assertEq(h.root(data), MerkleLib.rootOf(leaves));
    }

    /// What binding S_0 at request time would add to every request: the tensor root of the inline
    /// input computed from calldata (contracts/README.md §claim integrity).
    function test_gas_inputCommitment() public {
        uint256[4] memory sizes = [uint256(32), 784, 4096, 65536];
        for (uint256 i = 0; i < sizes.length; ++i) {
            bytes memory data = new bytes(sizes[i]);
            for (uint256 j = 0; j < data.length; j += 7) {
                data[j] = bytes1(uint8(j));
            }
            (, uint256 used) = h.rootGas(data);
            emit log_named_uint(
                string.concat("tensorRoot execution gas, bytes = ", vm.toString(sizes[i])), used
            );
        }
    }

    // ------------------------------------------------------------------ S_0 vs the inline input

    /// A k = 1 request with `input` inline (and `inputRoot` in its params), answered by nodes[0].
    function _inline(bytes memory input, bytes32 paramsRoot, Claim memory c)
        internal
        returns (bytes32 id, Job memory job)
    {
        RequestParams memory p = _params(1);
        p.inputRoot = paramsRoot;
        (id, job) = _request(p, input);
        vm.prank(nodes[0]);
        coord.deliver(id, job, c);
    }

    function _claimOn(bytes memory input) internal view returns (Claim memory c) {
        c = _claim(1);
        c.inputRoot = h.root(input);
        c.outputRoot = h.root(c.output);
    }

    function test_inputLie_refutedAtOnce() public {
        Claim memory c = _claimOn(image);
        c.inputRoot = keccak256("another input");
        (bytes32 id, Job memory job) = _inline(image, bytes32(0), c);
        uint256 g = gasleft();
        vm.prank(prover);
        game.proveInputMismatch(id, job, c, nodes[0], image);
        emit log_named_uint("proveInputMismatch gas (784-byte input, slash + refund)", g - gasleft());
        assertTrue(coord.slashed(id, nodes[0]));
        assertTrue(game.lost(id, nodes[0]));
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Refuted));
        assertEq(coord.credits(alice, _pay()), _cost(1), "consumer refunded");
        assertEq(coord.credits(prover, _tokenOf(0)), 0, "no part of a slash to the prover");
        assertGt(coord.credits(treasury, _tokenOf(0)), 0, "the slash goes to the treasury");
        vm.expectRevert(DisputeGame.NotTheClaim.selector);
        game.proveInputMismatch(id, job, c, nodes[0], image);
    }

    function test_inputHonest_survives() public {
        Claim memory c = _claimOn(image);
        (bytes32 id, Job memory job) = _inline(image, bytes32(0), c);
        vm.expectRevert(TraceGame.NoMismatch.selector);
        game.proveInputMismatch(id, job, c, nodes[0], image);
        vm.warp(block.timestamp + WINDOW);
        coord.settle(id, job, c);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Settled));
    }

    function test_inputMismatch_refusals() public {
        Claim memory c = _claimOn(image);
        c.inputRoot = keccak256("another input");
        (bytes32 id, Job memory job) = _inline(image, bytes32(0), c);
        bytes memory other = bytes.concat(image, hex"00");
        vm.expectRevert(DisputeGame.NotTheInput.selector);
        game.proveInputMismatch(id, job, c, nodes[0], other);
        vm.expectRevert(DisputeGame.NotTheClaim.selector);
        game.proveInputMismatch(id, job, c, nodes[1], image);
        Claim memory wrong = Claim(c.output, c.outputRoot, c.traceRoot, c.steps + 1, c.inputRoot);
        vm.expectRevert(DisputeGame.NotTheClaim.selector);
        game.proveInputMismatch(id, job, wrong, nodes[0], image);
        job.createdAt += 1;
        vm.expectRevert(DisputeGame.JobMismatch.selector);
        game.proveInputMismatch(id, job, c, nodes[0], image);
        job.createdAt -= 1;
        vm.warp(block.timestamp + WINDOW);
        vm.expectRevert(DisputeGame.ClaimNotOpen.selector);
        game.proveInputMismatch(id, job, c, nodes[0], image);
    }

    /// Without inline bytes the Coordinator already binds the claim to the request's inputRoot.
    function test_inputMismatch_needsInlineInput() public {
        bytes32 root = keccak256("committed input");
        Claim memory c = _claim(1);
        c.inputRoot = root;
        (bytes32 id, Job memory job) = _inline("", root, c);
        vm.expectRevert(DisputeGame.NoInlineInput.selector);
        game.proveInputMismatch(id, job, c, nodes[0], "");
    }

    /// A game already running on the claim is released once the one-shot proof refuted it.
    function test_inputLie_releasesOpenGames() public {
        Claim memory c = _claimOn(image);
        c.inputRoot = keccak256("another input");
        (bytes32 id, Job memory job) = _inline(image, bytes32(0), c);
        Setup memory s = Setup(id, job, c, nodes[0]);
        uint256 gameId = _challenge(s, challenger);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Disputed));
        vm.prank(prover);
        game.proveInputMismatch(id, job, c, nodes[0], image);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Refuted));
        game.release(gameId);
        assertEq(bondToken.balanceOf(challenger), BOND);
        assertEq(game.openGames(id), 0);
    }

    /// k = 2, one seat claims another input: the game between the seats refuses claims on
    /// different inputs, the one-shot proof slashes the liar, and the conflict resolves to the
    /// other claim.
    function test_inputLie_inConflict() public {
        RequestParams memory p = _params(2);
        (bytes32 id, Job memory job) = _request(p, image);
        Claim memory good = _claimOn(image);
        Claim memory bad = _claimOn(image);
        bad.inputRoot = keccak256("another input");
        _commit(id, job, nodes[0], bad);
        _commit(id, job, nodes[1], good);
        _reveal(id, job, 0, nodes[0], bad);
        _reveal(id, job, 1, nodes[1], good);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Conflict));
        bondToken.mint(nodes[1], BOND);
        vm.startPrank(nodes[1]);
        bondToken.approve(address(game), BOND);
        vm.expectRevert(DisputeGame.NotTheClaim.selector);
        game.challengeConflict(id, job, bad, nodes[0], good);
        vm.stopPrank();
        vm.expectRevert(DisputeGame.Contested.selector);
        game.resolveUncontested(id, job, good);
        vm.prank(nodes[1]);
        game.proveInputMismatch(id, job, bad, nodes[0], image);
        assertTrue(coord.slashed(id, nodes[0]));
        vm.expectRevert(TraceGame.NoMismatch.selector);
        game.proveInputMismatch(id, job, good, nodes[1], image);
        game.resolveUncontested(id, job, good);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Answered));
        assertEq(coord.answerOf(id), coord.hashClaim(good));
    }

    // ------------------------------------------------------------------ output bytes vs outputRoot

    /// The Coordinator takes no claim whose output bytes are not the tensor its outputRoot
    /// commits, nor one without output bytes: the consumer is always handed what a dispute
    /// judges. (Adopted off-chain claims are checked by `proveOutputMismatch`, OffchainClaims.t.sol.)
    function test_outputBytesLie_refusedAtDelivery() public {
        Claim memory c = _claimOn(image);
        c.output = hex"000102030405060708ff"; // not the tensor outputRoot commits
        RequestParams memory p = _params(1);
        (bytes32 id, Job memory job) = _request(p, image);
        vm.prank(nodes[0]);
        vm.expectRevert(Coordinator.OutputNotCommitted.selector);
        coord.deliver(id, job, c);
        c.output = "";
        vm.prank(nodes[0]);
        vm.expectRevert(Coordinator.OutputNotCommitted.selector);
        coord.deliver(id, job, c);
    }

    function test_outputBytesHonest_survive() public {
        Claim memory c = _claimOn(image);
        (bytes32 id, Job memory job) = _inline(image, bytes32(0), c);
        vm.expectRevert(TraceGame.NoMismatch.selector);
        game.proveOutputMismatch(id, job, c, nodes[0]);
    }

    // ------------------------------------------------------------------ outputRoot vs leaf N of S_N

    /// The CNN game lying at its last step (k = N = 8): the bisection reaches the claim's own S_N.
    function _finalGame(bytes32 outputRoot)
        internal
        returns (Setup memory s, Fixture memory f, uint256 gameId)
    {
        f = _fixture(_lines(CNN)[7]);
        assertEq(f.k, f.steps);
        s.defender = _nodeFor(f.modelRoot);
        RequestParams memory p = _params(1);
        p.modelRoot = f.modelRoot;
        p.inputRoot = f.inputRoot;
        p.assigned = s.defender;
        (s.id, s.job) = _request(p, "");
        // One 32-byte chunk: its own tensor root, so the Coordinator takes it with any outputRoot.
        s.claim = Claim(abi.encodePacked(outputRoot), outputRoot, f.traceRoot, f.steps, f.inputRoot);
        vm.prank(s.defender);
        coord.deliver(s.id, s.job, s.claim);
        gameId = _challenge(s, challenger);
    }

    function _playThroughReveal(uint256 gameId, Setup memory s, Fixture memory f)
        internal
        returns (uint256 j, bytes32 outN)
    {
        while (f.moves[j].kind != REVEAL) {
            _play(gameId, s, challenger, f.moves[j++]);
        }
        outN = abi.decode(f.moves[j].args, (OutputReveal)).outRoot;
        _play(gameId, s, challenger, f.moves[j++]);
    }

    function test_finalOutputLie_loses() public {
        (Setup memory s, Fixture memory f, uint256 gameId) = _finalGame(keccak256("delivered output"));
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(TraceGame.WrongPhase.selector, TraceGame.Phase.Bisect));
        game.proveFinalOutput(gameId, s.job, s.claim);
        _playThroughReveal(gameId, s, f);
        vm.prank(s.defender);
        vm.expectRevert(TraceGame.NotYourTurn.selector);
        game.proveFinalOutput(gameId, s.job, s.claim);
        uint256 g = gasleft();
        vm.prank(challenger);
        game.proveFinalOutput(gameId, s.job, s.claim);
        emit log_named_uint("proveFinalOutput gas", g - gasleft());
        assertTrue(coord.slashed(s.id, s.defender));
        assertFalse(game.getGame(gameId).defenderWon);
        assertEq(uint8(game.getGame(gameId).phase), uint8(TraceGame.Phase.Done));
        assertEq(bondToken.balanceOf(challenger), BOND);
    }

    /// outputRoot = out_N: the check has nothing to say, and the game goes on to the one step
    /// (which still catches this defender's lie in out_N's values).
    function test_finalOutputMatching_goesOnToOneStep() public {
        Fixture memory f0 = _fixture(_lines(CNN)[7]);
        uint256 r;
        while (f0.moves[r].kind != REVEAL) ++r;
        bytes32 outN = abi.decode(f0.moves[r].args, (OutputReveal)).outRoot;
        (Setup memory s, Fixture memory f, uint256 gameId) = _finalGame(outN);
        (uint256 j,) = _playThroughReveal(gameId, s, f);
        vm.prank(challenger);
        vm.expectRevert(TraceGame.NoMismatch.selector);
        game.proveFinalOutput(gameId, s.job, s.claim);
        Claim memory other = s.claim;
        other.outputRoot = keccak256("not the delivered claim");
        vm.prank(challenger);
        vm.expectRevert(DisputeGame.NotTheClaim.selector);
        game.proveFinalOutput(gameId, s.job, other);
        for (; j < f.moves.length; ++j) {
            _play(gameId, s, challenger, f.moves[j]);
        }
        assertTrue(coord.slashed(s.id, s.defender));
    }

    /// A game whose bisection ended before step N never checks the final output.
    function test_finalOutput_onlyAtStepN() public {
        bytes[] memory lines = _lines(CHAIN16);
        Fixture memory f;
        for (uint256 i = 0; i < lines.length; ++i) {
            f = _fixture(lines[i]);
            if (f.defenderLies && f.k < f.steps) break;
        }
        assertLt(f.k, f.steps);
        Setup memory s = _answered(f);
        uint256 gameId = _challenge(s, challenger);
        _playThroughReveal(gameId, s, f);
        vm.prank(challenger);
        vm.expectRevert(DisputeGame.NotFinalOutput.selector);
        game.proveFinalOutput(gameId, s.job, s.claim);
        vm.warp(block.timestamp + MOVE_WINDOW + 1);
        vm.prank(challenger);
        vm.expectRevert(TraceGame.TooLate.selector);
        game.proveFinalOutput(gameId, s.job, s.claim);
    }

    // ------------------------------------------------------------------ correction through a game

    /// A consumer whose correction hook burns all its gas cannot stop the game's slash.
    function test_gasBurningConsumer_cannotBlockTheGame() public {
        Fixture memory f = _fixture(_lines(CHAIN16)[0]);
        assertTrue(f.defenderLies);
        RecordingConsumer rc_ = new RecordingConsumer(coord);
        rc_.approve(address(pay));
        pay.mint(address(rc_), 100 ether);
        rc_.setCorrectionMode(RecordingConsumer.Mode.BurnGas);
        Setup memory s;
        s.defender = _nodeFor(f.modelRoot);
        RequestParams memory p = _params(1);
        p.modelRoot = f.modelRoot;
        p.inputRoot = f.inputRoot;
        p.callbackGasLimit = 3_000_000;
        p.assigned = s.defender;
        s.job = _jobFor(address(rc_), p, "");
        s.id = rc_.request(p, "");
        s.claim = _claimOf(f);
        vm.prank(s.defender);
        coord.deliver(s.id, s.job, s.claim);
        assertEq(rc_.calls(), 1);
        uint256 gameId = _challenge(s, challenger);
        for (uint256 j = 0; j < f.moves.length; ++j) {
            _play(gameId, s, challenger, f.moves[j]);
        }
        assertTrue(coord.slashed(s.id, s.defender));
        assertEq(uint8(coord.getRequest(s.id).status), uint8(Status.Refuted));
        assertEq(rc_.corrections(), 0, "the hook never finished");
        assertLt(gasOf[PROVE_ELEMENT], 1_500_000, "the burn is capped");
        assertEq(coord.credits(address(rc_), _pay()), _cost(1), "consumer refunded");
    }

    function _claimOf(Fixture memory f) internal pure returns (Claim memory c) {
        c = Claim(hex"01", bytes32(bytes1(0x01)), f.traceRoot, f.steps, f.inputRoot);
    }
}
