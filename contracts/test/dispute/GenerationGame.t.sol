// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {GenerationBase} from "./GenerationBase.sol";
import {Job, Claim, Status, RequestParams} from "../../src/avs/CoordinatorTypes.sol";
import {TraceGame} from "../../src/avs/dispute/TraceGame.sol";
import {DisputeGame} from "../../src/avs/dispute/DisputeGame.sol";
import {GenerationGame} from "../../src/avs/dispute/GenerationGame.sol";
import {StepOpening} from "../../src/avs/dispute/GenerationLib.sol";
import {GenerationClaims} from "../../src/avs/dispute/GenerationClaims.sol";
import {OffchainClaims} from "../../src/avs/dispute/OffchainClaims.sol";
import {Vm} from "forge-std/Vm.sol";
import {RowProofs} from "./RowProofs.sol";
import {GreedyWitness} from "../../src/avs/dispute/GenerationLib.sol";
import {GenerationLib, GenerationSpec, LmManifest} from "../../src/avs/dispute/GenerationLib.sol";

/// @notice Generation claims on the real Coordinator: requests, one-shot refutations and the game.
contract GenerationGameTest is GenerationBase {
    function test_spec_decodes_as_the_node_wrote_it() public {
        GenFixture[] memory fs = _fixtures();
        assertEq(fs.length, 6);
        GenerationSpec memory s = genClaims.decodeSpec(fs[0].input);
        assertEq(s.lmRoot, keccak256(fs[0].manifest));
        assertEq(s.prompt.length, 4);
        assertEq(s.maxTokens, 6);
        assertEq(s.temperatureMilli, 0);
        assertEq(genClaims.decodeSpec(fs[3].input).topK, 8);
        (uint32[] memory tokens,) = genClaims.decodeOutput(fs[0].output);
        assertEq(f0Steps(fs[0]), 4 + tokens.length - 1);
        assertEq(_rootOf(fs[0].input), fs[0].inputRoot);
    }

    /// The lie is refuted at the altered token by the sampler on the opened logits row, the
    /// operator slashed and the consumer's escrow returned; the honest claim survives the same
    /// proof (greedy and sampled).
    function test_altered_token_is_refuted_by_the_sampler() public {
        GenFixture[] memory fs = _fixtures();
        for (uint256 i = 0; i < fs.length; ++i) {
            GenFixture memory f = fs[i];
            Setup memory s = _answeredWith(f, _claimOf(f));
            uint256 gameId = _toStep(f, s);
            uint256 chalBefore = bondToken.balanceOf(challenger);
            uint256 defBefore = bondToken.balanceOf(s.defender);
            vm.prank(challenger);
            if (!f.liar) vm.expectRevert(TraceGame.NoMismatch.selector);
            uint256 g0 = gasleft();
            gen.proveToken(gameId, s.job, s.claim, f.input, _manifest(f), f.logitsPath, f.row);
            uint256 used = g0 - gasleft();
            if (f.liar) {
                emit log_named_uint("proveToken gas (V = 96)", used);
                assertTrue(gen.lost(s.id, s.defender));
                assertEq(uint8(coord.getRequest(s.id).status), uint8(Status.Refuted));
                assertEq(bondToken.balanceOf(challenger), chalBefore + BOND);
                assertEq(gen.openGames(s.id), 0);
            } else {
                _defenderWinsAtTimeout(s, gameId, defBefore);
            }
        }
    }

    /// At temperature 0 two logits of the row suffice: the lie is refuted by the logit that beats
    /// the token its leaf binds, with both logits' paths in the row's tensor tree instead of the
    /// whole row; the honest claim survives any pair, a broken path is refused, and a sampled
    /// step still needs its whole row.
    function test_greedy_step_is_refuted_with_two_logits() public {
        GenFixture[] memory fs = _fixtures();
        uint256 played;
        for (uint256 i = 0; i < fs.length; ++i) {
            if (_greedyTwoLogits(fs[i])) ++played;
        }
        assertEq(played, 2);
    }

    /// Plays the fixture's game to its step and answers it with a two-logit proof; whether the
    /// step is a greedy generated token's.
    function _greedyTwoLogits(GenFixture memory f) internal returns (bool) {
        GenerationSpec memory spec = genClaims.decodeSpec(f.input);
        if (f.step + 1 < spec.prompt.length) return false;
        assertEq(_manifest(f).logitsWidth, 4);
        Setup memory s = _answeredWith(f, _claimOf(f));
        uint256 gameId = _toStep(f, s);
        uint32 next = gen.getGeneration(gameId).next;
        uint32 best = RowProofs.argmax(f.row);
        bytes memory proof = RowProofs.witness(f.row, best, next);
        if (spec.temperatureMilli != 0) {
            vm.expectRevert(GenerationGame.BadLogits.selector);
            _prove(f, s, gameId, proof);
            return false;
        }
        GreedyWitness memory w = abi.decode(proof, (GreedyWitness));
        w.nextChunk = bytes32(uint256(w.nextChunk) ^ 1);
        vm.expectRevert(GenerationLib.BadLogitsProof.selector);
        _prove(f, s, gameId, abi.encode(w));
        w = abi.decode(proof, (GreedyWitness));
        w.otherChunk = bytes32(uint256(w.otherChunk) ^ 1);
        vm.expectRevert();
        _prove(f, s, gameId, abi.encode(w));
        if (!f.liar) {
            assertEq(best, next);
            vm.expectRevert(TraceGame.NoMismatch.selector);
            _prove(f, s, gameId, RowProofs.witness(f.row, (next + 1) % _manifest(f).vocab, next));
            return true;
        }
        assertTrue(best != next);
        uint256 g0 = gasleft();
        _prove(f, s, gameId, proof);
        emit log_named_uint("proveToken gas, greedy two-logit proof (V = 96)", g0 - gasleft());
        assertTrue(gen.lost(s.id, s.defender));
        assertEq(uint8(coord.getRequest(s.id).status), uint8(Status.Refuted));
        return true;
    }

    /// The honest defender wins when the challenger cannot move: its bond goes to the defender
    /// and the answer stands.
    function _defenderWinsAtTimeout(Setup memory s, uint256 gameId, uint256 defBefore) internal {
        vm.warp(block.timestamp + MOVE_WINDOW + 1);
        gen.timeout(gameId, s.job);
        assertTrue(gen.getGame(gameId).defenderWon);
        assertEq(uint8(coord.getRequest(s.id).status), uint8(Status.Answered));
        assertEq(bondToken.balanceOf(s.defender), defBefore + BOND);
    }

    function _prove(GenFixture memory f, Setup memory s, uint256 gameId, bytes memory row) internal {
        vm.prank(challenger);
        gen.proveToken(gameId, s.job, s.claim, f.input, _manifest(f), f.logitsPath, row);
    }

    /// A generation request's price buys its maxTokens: settlement pays the node price *
    /// generated / maxTokens with the fee on that, and credits the consumer the rest (here the
    /// fixture's answer of m tokens for a spec of maxTokens m, then 2m + 1).
    function test_settlement_pays_per_generated_token() public {
        GenFixture memory f = _fixtures()[0];
        assertFalse(f.liar);
        (uint32[] memory tokens,) = genClaims.decodeOutput(f.output);
        GenerationSpec memory spec = genClaims.decodeSpec(f.input);
        assertEq(spec.maxTokens, tokens.length);
        _settlesAt(f, tokens.length, spec.maxTokens);
        spec.maxTokens = uint32(2 * tokens.length + 1);
        f.input = GenerationLib.encodeSpec(spec);
        _settlesAt(f, tokens.length, spec.maxTokens);
    }

    function _settlesAt(GenFixture memory f, uint256 m, uint256 maxTokens) internal {
        Setup memory s = _answeredWith(f, _claimOf(f));
        uint256 pay = uint256(PRICE) * m / maxTokens;
        uint256 fee = pay * FEE_BIPS / 10_000;
        uint256 before = coord.credits(alice, _pay());
        uint256 treasuryBefore = coord.credits(treasury, _pay());
        vm.warp(block.timestamp + WINDOW);
        coord.settle(s.id, s.job, s.claim);
        assertEq(coord.credits(alice, _pay()) - before, _cost(1) - pay - fee - ROYALTY);
        assertEq(coord.credits(treasury, _pay()) - treasuryBefore, fee);
    }

    /// A generation claim signed off chain (what the node's OpenAI-compatible API returns) and
    /// adopted through OffchainClaims is disputed in the GenerationGame as a delivered one is:
    /// the lie is refuted at its altered token and its signer slashed; the honest claim stands
    /// and its defender takes the challenger's bond.
    function test_adopted_signed_generation_claim_is_disputed_like_a_delivered_one() public {
        GenFixture[] memory fs = _fixtures();
        for (uint256 i = 0; i < fs.length; ++i) {
            GenFixture memory f = fs[i];
            Setup memory s = _adopted(f, uint64(block.timestamp + 1 days + i));
            uint256 gameId = _toStep(f, s);
            uint256 defBefore = bondToken.balanceOf(s.defender);
            vm.prank(challenger);
            if (!f.liar) vm.expectRevert(TraceGame.NoMismatch.selector);
            gen.proveToken(gameId, s.job, s.claim, f.input, _manifest(f), f.logitsPath, f.row);
            if (f.liar) {
                assertTrue(gen.lost(s.id, s.defender));
                assertTrue(coord.slashed(s.id, s.defender));
                assertEq(uint8(coord.getRequest(s.id).status), uint8(Status.Refuted));
            } else {
                _defenderWinsAtTimeout(s, gameId, defBefore);
            }
        }
    }

    /// The fixture's claim signed by its model's node for disputes until `until` and adopted
    /// through OffchainClaims by a client; the job as ClaimAdopted emits it.
    function _adopted(GenFixture memory f, uint64 until) internal returns (Setup memory s) {
        bytes32 root = _manifest(f).stepModelRoot;
        s.defender = _nodeFor(root);
        (address signer, uint256 key) = makeAddrAndKey(string.concat("server-", vm.toString(root)));
        assertEq(signer, s.defender);
        s.claim = _claimOf(f);
        (uint8 v, bytes32 r, bytes32 sg) = vm.sign(key, this.digestOf(root, s.claim, until));
        vm.recordLogs();
        vm.prank(makeAddr("client"));
        s.id = game.offchainClaims().adopt(root, s.claim, until, f.input, abi.encodePacked(r, sg, v));
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 l = 0; l < logs.length; ++l) {
            if (logs[l].topics[0] == OffchainClaims.ClaimAdopted.selector) {
                (s.job,,) = abi.decode(logs[l].data, (Job, Claim, bytes));
            }
        }
        assertEq(coord.answerOf(s.id), coord.hashClaim(s.claim));
    }

    /// Any step the challenger disagrees with goes on into that step's run: the TraceGame starts
    /// from S_0 of the step's opened inputs to its S_N over the model's N steps.
    function test_playStep_starts_the_run_game() public {
        GenFixture memory f = _fixtures()[0];
        Setup memory s = _answeredWith(f, _claimOf(f));
        uint256 gameId = _toStep(f, s);
        LmManifest memory m = _manifest(f);
        vm.prank(challenger);
        gen.playStep(gameId, s.job, f.input, m);
        TraceGame.Game memory g = gen.getGame(gameId);
        assertEq(uint8(g.phase), uint8(TraceGame.Phase.Bisect));
        assertEq(g.steps, m.steps);
        assertEq(g.hi, m.steps);
        StepOpening memory o = abi.decode(f.opening, (StepOpening));
        assertEq(g.hiState, o.state);
        assertEq(g.loState, gen.initialState(gen.getGeneration(gameId).inputRoot, m.steps));
        assertTrue(g.defenderTurn);
        // The defender must now bisect the run; silence loses.
        vm.warp(block.timestamp + MOVE_WINDOW + 1);
        gen.timeout(gameId, s.job);
        assertTrue(gen.lost(s.id, s.defender));
    }

    /// The defender cannot open a step with inputs other than the ones it read.
    function test_revealStep_refuses_wrong_inputs() public {
        GenFixture memory f = _fixtures()[0];
        Setup memory s = _answeredWith(f, _claimOf(f));
        uint256 gameId = _challengeGen(s);
        for (uint256 level = 0; level < f.lefts.length; ++level) {
            vm.prank(s.defender);
            gen.descend(gameId, f.lefts[level], f.rights[level]);
            vm.prank(challenger);
            gen.pick(gameId, (f.step >> (f.lefts.length - 1 - level)) & 1 == 1);
        }
        StepOpening memory o = abi.decode(f.opening, (StepOpening));
        LmManifest memory m = _manifest(f);
        StepOpening memory bad = abi.decode(f.opening, (StepOpening));
        bad.inputs[1] = bytes32(uint256(1) << 248); // position 1
        vm.prank(s.defender);
        vm.expectRevert(GenerationLib.BadInputs.selector);
        gen.revealStep(gameId, s.job, f.input, m, bad);
        bad = abi.decode(f.opening, (StepOpening));
        bad.token += 1;
        vm.prank(s.defender);
        vm.expectRevert(GenerationGame.BadLeaf.selector);
        gen.revealStep(gameId, s.job, f.input, m, bad);
        bad = abi.decode(f.opening, (StepOpening));
        bad.next += 1;
        vm.prank(s.defender);
        vm.expectRevert(GenerationGame.BadLeaf.selector);
        gen.revealStep(gameId, s.job, f.input, m, bad);
        LmManifest memory other = _manifest(f);
        other.logitsShift += 1;
        vm.prank(s.defender);
        vm.expectRevert(GenerationGame.NotTheModel.selector);
        gen.revealStep(gameId, s.job, f.input, other, o);
        vm.prank(s.defender);
        gen.revealStep(gameId, s.job, f.input, m, o);
    }

    /// One-shot proofs: an honest claim stands; a claim that drops its last token, lists a token
    /// its leaves do not bind or whose text is not its tokens' is refuted at once, by name.
    function test_proveClaim_and_proveText() public {
        GenFixture memory f = _fixtures()[0];
        LmManifest memory m = _manifest(f);
        Setup memory s = _answeredWith(f, _claimOf(f));
        vm.expectRevert(GenerationClaims.NoMismatch.selector);
        genClaims.proveClaim(s.id, s.job, s.claim, s.defender, f.input, m);
        vm.expectRevert(GenerationClaims.NoMismatch.selector);
        genClaims.proveText(s.id, s.job, s.claim, s.defender, f.input, m, f.texts, f.textPaths);

        (uint32[] memory tokens, bytes memory text) = genClaims.decodeOutput(f.output);
        // Same tokens, other text.
        Claim memory c = _withOutput(f, tokens, bytes.concat(text, "!"), f.steps);
        s = _answeredWith(f, c);
        genClaims.proveText(s.id, s.job, s.claim, s.defender, f.input, m, f.texts, f.textPaths);
        assertTrue(gen.lost(s.id, s.defender));
        assertEq(uint8(coord.getRequest(s.id).status), uint8(Status.Refuted));

        // One token more than its steps.
        uint32[] memory more = new uint32[](tokens.length + 1);
        for (uint256 j = 0; j < tokens.length; ++j) {
            more[j] = tokens[j];
        }
        c = _withOutput(f, more, text, f.steps);
        s = _answeredWith(f, c);
        genClaims.proveClaim(s.id, s.job, s.claim, s.defender, f.input, m);
        assertTrue(gen.lost(s.id, s.defender));

        // A generation claim without the flag is an inference claim on a generation request.
        c = _claimOf(f);
        c.steps = f0Steps(f);
        s = _answeredWith(f, c);
        genClaims.proveClaim(s.id, s.job, s.claim, s.defender, f.input, m);
        assertTrue(gen.lost(s.id, s.defender));
    }

    /// Conflict games only on a request in Conflict, and `resolve` only of a finished conflict
    /// game (the whole k = 3 path is played on anvil: node_generation.conflicting_seat_*).
    function test_conflict_entry_points_refuse_other_requests() public {
        GenFixture memory f = _fixtures()[0];
        Setup memory s = _answeredWith(f, _claimOf(f));
        bondToken.mint(challenger, BOND);
        vm.startPrank(challenger);
        bondToken.approve(address(gen), BOND);
        vm.expectRevert(GenerationGame.NotConflict.selector);
        gen.challengeConflict(s.id, s.job, s.claim, s.defender, s.claim);
        vm.stopPrank();
        uint256 gameId = _toStep(f, s);
        vm.expectRevert(GenerationClaims.NotConflict.selector);
        genClaims.resolve(gameId, s.job, s.claim);
        // Another claim than the seat's: the seat's claim still stands.
        Claim memory other = _withOutput(f, new uint32[](1), "", f.steps);
        vm.expectRevert(GenerationClaims.Contested.selector);
        genClaims.resolveUncontested(s.id, s.job, other);
        vm.prank(address(0xBEEF));
        vm.expectRevert(GenerationGame.NotClaims.selector);
        gen.resolveFor(s.id, s.job, s.claim);
    }

    /// A generation request's conflict does not expire while a conflict game on it is open in the
    /// GenerationGame (DisputeGame.expireConflict counts both games' open games).
    function test_conflict_with_an_open_generation_game_does_not_expire() public {
        GenFixture[] memory fs = _fixtures();
        GenFixture memory f = fs[0];
        GenFixture memory liar = fs[1];
        assertEq(keccak256(f.input), keccak256(liar.input));
        assertTrue(liar.liar);
        bytes32 root = _manifest(f).stepModelRoot;
        address a = _nodeFor(root);
        address b = _server(root, "second-");
        RequestParams memory p = _params(2);
        p.modelRoot = root;
        (bytes32 id, Job memory job) = _request(p, f.input);
        _seat(id, job, [a, b], [_claimOf(f), _claimOf(liar)]);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Conflict));
        bondToken.mint(a, BOND);
        vm.startPrank(a);
        bondToken.approve(address(gen), BOND);
        gen.challengeConflict(id, job, _claimOf(liar), b, _claimOf(f));
        vm.stopPrank();
        vm.warp(coord.getRequest(id).deadline + WINDOW + 1);
        vm.expectRevert(DisputeGame.GamesOpen.selector);
        game.expireConflict(id, job);
    }

    /// A generation claim cannot be played as a single run in the DisputeGame (its steps are not
    /// a program's), nor refuted there by its step count.
    function test_disputeGame_refuses_generation_claims() public {
        GenFixture memory f = _fixtures()[0];
        Setup memory s = _answeredWith(f, _claimOf(f));
        bondToken.mint(challenger, BOND);
        vm.startPrank(challenger);
        bondToken.approve(address(game), BOND);
        vm.expectRevert(DisputeGame.GenerationClaim.selector);
        game.challenge(s.id, s.job, s.claim, s.defender);
        vm.stopPrank();
        vm.expectRevert(DisputeGame.GenerationClaim.selector);
        game.proveInputMismatch(s.id, s.job, s.claim, s.defender, f.input);
    }
}
