// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {DisputeBase} from "./DisputeBase.sol";
import {Status, Claim, Job, RequestParams} from "../../src/avs/CoordinatorTypes.sol";
import {OutputReveal} from "../../src/avs/dispute/GameLib.sol";
import {DisputeGame} from "../../src/avs/dispute/DisputeGame.sol";
import {TraceGame} from "../../src/avs/dispute/TraceGame.sol";
import {ElementProof, VerifyCode} from "../../src/avs/dispute/DisputeTypes.sol";

/// @notice Whole games on the real Coordinator: a lying operator at a random op and element loses
///         and is slashed, an honest operator beats a lying challenger, whoever stops answering
///         loses, several challengers each play their own game.
contract DisputeGameTest is DisputeBase {
    string internal constant CHAIN16 = "../build/dispute/game_chain16.txt";

    /// Every lie (24 random steps and elements of a 16-op program) is caught and slashed.
    function test_lyingOperatorLosesAndIsSlashed_everyCorruptionPoint() public {
        bytes[] memory lines = _lines(CHAIN16);
        uint256 played;
        for (uint256 i = 0; i < lines.length; ++i) {
            Fixture memory f = _fixture(lines[i]);
            if (!f.defenderLies) continue;
            assertTrue(f.challengerWins, "C++ challenger did not win against a liar");
            uint256 snap = vm.snapshotState();
            Setup memory s = _answered(f);
            uint256 gameId = _challenge(s, challenger);
            assertEq(uint8(coord.getRequest(s.id).status), uint8(Status.Disputed));
            for (uint256 j = 0; j < f.moves.length; ++j) {
                _play(gameId, s, challenger, f.moves[j]);
            }
            TraceGame.Game memory g = game.getGame(gameId);
            assertEq(uint8(g.phase), uint8(TraceGame.Phase.Done));
            assertFalse(g.defenderWon);
            assertEq(g.hi, f.k, "bisection ended on another step");
            assertTrue(coord.slashed(s.id, s.defender));
            assertEq(uint8(coord.getRequest(s.id).status), uint8(Status.Refuted));
            assertEq(bondToken.balanceOf(challenger), BOND, "bond returned");
            assertEq(coord.credits(challenger, _tokenOf(0)), 0, "no part of a slash to the challenger");
            assertGt(coord.credits(treasury, _tokenOf(0)), 0, "the slash goes to the treasury");
            assertEq(coord.credits(alice, _pay()), _cost(1), "consumer refunded");
            assertEq(game.openGames(s.id), 0);
            vm.revertToState(snap);
            ++played;
        }
        assertEq(played, 24);
    }

    /// An honest operator keeps its stake and wins the challenger's bond; the request settles.
    function test_honestOperatorBeatsLyingChallenger() public {
        bytes[] memory lines = _lines(CHAIN16);
        uint256 played;
        for (uint256 i = 0; i < lines.length; ++i) {
            Fixture memory f = _fixture(lines[i]);
            if (f.defenderLies) continue;
            assertFalse(f.challengerWins);
            uint256 snap = vm.snapshotState();
            Setup memory s = _answered(f);
            uint256 gameId = _challenge(s, challenger);
            for (uint256 j = 0; j < f.moves.length; ++j) {
                _play(gameId, s, challenger, f.moves[j]);
            }
            // The challenger has nothing that wins; its deadline passes.
            vm.expectRevert(TraceGame.NotExpired.selector);
            game.timeout(gameId, s.job);
            vm.warp(block.timestamp + MOVE_WINDOW + 1);
            game.timeout(gameId, s.job);
            assertTrue(game.getGame(gameId).defenderWon);
            assertFalse(coord.slashed(s.id, s.defender));
            assertEq(bondToken.balanceOf(s.defender), BOND, "bond to the defender");
            assertEq(uint8(coord.getRequest(s.id).status), uint8(Status.Answered));
            vm.warp(block.timestamp + WINDOW);
            coord.settle(s.id, s.job, s.claim);
            assertEq(uint8(coord.getRequest(s.id).status), uint8(Status.Settled));
            vm.revertToState(snap);
            ++played;
        }
        assertEq(played, 24);
    }

    /// Cut a liar's game after every possible move: whoever was due to move loses by timeout.
    function test_timeoutLoses_atEveryMove() public {
        Fixture memory f = _fixture(_lines(CHAIN16)[0]);
        for (uint256 cut = 0; cut < f.moves.length; ++cut) {
            uint256 snap = vm.snapshotState();
            Setup memory s = _answered(f);
            uint256 gameId = _challenge(s, challenger);
            for (uint256 j = 0; j < cut; ++j) {
                _play(gameId, s, challenger, f.moves[j]);
            }
            bool defenderDue = f.moves[cut].byDefender;
            vm.warp(block.timestamp + MOVE_WINDOW + 1);
            // Too late to make the due move now.
            vm.expectRevert(TraceGame.TooLate.selector);
            _play(gameId, s, challenger, f.moves[cut]);
            game.timeout(gameId, s.job);
            assertEq(game.getGame(gameId).defenderWon, !defenderDue);
            assertEq(coord.slashed(s.id, s.defender), defenderDue);
            assertEq(bondToken.balanceOf(defenderDue ? challenger : s.defender), BOND);
            vm.revertToState(snap);
        }
    }

    /// Only the party whose turn it is may move, in the right phase.
    function test_onlyThePartyDueMoves() public {
        Fixture memory f = _fixture(_lines(CHAIN16)[0]);
        Setup memory s = _answered(f);
        uint256 gameId = _challenge(s, challenger);
        address stranger = makeAddr("stranger");
        vm.prank(stranger);
        vm.expectRevert(TraceGame.NotYourTurn.selector);
        game.bisect(gameId, bytes32(uint256(1)));
        vm.prank(challenger);
        vm.expectRevert(TraceGame.NotYourTurn.selector);
        game.bisect(gameId, bytes32(uint256(1)));
        vm.prank(s.defender);
        vm.expectRevert(TraceGame.NotYourTurn.selector);
        game.choose(gameId, true);
        vm.prank(s.defender);
        vm.expectRevert(abi.encodeWithSelector(TraceGame.WrongPhase.selector, TraceGame.Phase.Bisect));
        game.descend(gameId, bytes32(0), bytes32(0));
        vm.expectRevert(TraceGame.NotExpired.selector);
        game.timeout(gameId, s.job);
    }

    /// Several challengers against one claim: each has its own game; the claim stays disputed
    /// until all end. Against a liar the first win slashes it and the other game is released.
    function test_severalChallengers_liar() public {
        Fixture memory f = _fixture(_lines(CHAIN16)[0]);
        assertTrue(f.defenderLies);
        Setup memory s = _answered(f);
        address other = makeAddr("other");
        uint256 g1 = _challenge(s, challenger);
        uint256 g2 = _challenge(s, other);
        assertEq(game.openGames(s.id), 2);
        vm.expectRevert(DisputeGame.DefenderNotLost.selector);
        game.release(g2);
        vm.prank(other);
        vm.expectRevert(DisputeGame.AlreadyChallenged.selector);
        game.challenge(s.id, s.job, s.claim, s.defender);
        for (uint256 j = 0; j < f.moves.length; ++j) {
            _play(g1, s, challenger, f.moves[j]);
        }
        assertTrue(coord.slashed(s.id, s.defender));
        vm.prank(s.defender);
        vm.expectRevert(TraceGame.DefenderAlreadyLost.selector);
        game.bisect(g2, bytes32(0));
        game.release(g2);
        assertEq(bondToken.balanceOf(other), BOND);
        assertEq(game.openGames(s.id), 0);
        vm.expectRevert(abi.encodeWithSelector(TraceGame.WrongPhase.selector, TraceGame.Phase.Done));
        game.release(g2);
    }

    /// Against an honest operator both lying challengers lose; settlement waits for the last game.
    function test_severalChallengers_honest() public {
        Fixture memory f = _fixture(_lines(CHAIN16)[1]);
        assertFalse(f.defenderLies);
        Setup memory s = _answered(f);
        address other = makeAddr("other");
        uint256 g1 = _challenge(s, challenger);
        uint256 g2 = _challenge(s, other);
        for (uint256 j = 0; j < f.moves.length; ++j) {
            _play(g1, s, challenger, f.moves[j]);
        }
        vm.warp(block.timestamp + MOVE_WINDOW + 1);
        game.timeout(g1, s.job);
        assertEq(uint8(coord.getRequest(s.id).status), uint8(Status.Disputed), "other game still open");
        game.timeout(g2, s.job); // the defender was due in g2 and never moved: it loses that one
        assertTrue(coord.slashed(s.id, s.defender));
    }

    function test_challenge_refusals() public {
        Fixture memory f = _fixture(_lines(CHAIN16)[0]);
        Setup memory s = _answered(f);
        bondToken.mint(challenger, 10 * BOND);
        vm.startPrank(challenger);
        bondToken.approve(address(game), type(uint256).max);
        Claim memory wrong =
            Claim(s.claim.output, s.claim.outputRoot, keccak256("other"), s.claim.steps, s.claim.inputRoot);
        vm.expectRevert(DisputeGame.NotTheClaim.selector);
        game.challenge(s.id, s.job, wrong, s.defender);
        vm.expectRevert(DisputeGame.NotTheClaim.selector);
        game.challenge(s.id, s.job, s.claim, nodes[0]);
        s.job.createdAt += 1;
        vm.expectRevert(DisputeGame.JobMismatch.selector);
        game.challenge(s.id, s.job, s.claim, s.defender);
        s.job.createdAt -= 1;
        vm.warp(block.timestamp + WINDOW);
        vm.expectRevert(DisputeGame.WindowClosed.selector);
        game.challenge(s.id, s.job, s.claim, s.defender);
        vm.stopPrank();
    }

    /// A defender cannot reveal an output, record or children that do not match its commitments,
    /// and a challenger cannot win with a refused or misplaced element proof.
    function test_badMovesAreRefused() public {
        // The CNN with a lie in its first conv output (392 chunks, so the game descends).
        Fixture memory f = _fixture(_lines("../build/dispute/game_cnn.txt")[0]);
        assertTrue(f.defenderLies);
        Setup memory s = _answered(f);
        uint256 gameId = _challenge(s, challenger);
        uint256 j = 0;
        while (f.moves[j].kind != REVEAL) {
            _play(gameId, s, challenger, f.moves[j++]);
        }
        OutputReveal memory rv = abi.decode(f.moves[j].args, (OutputReveal));
        vm.startPrank(s.defender);
        bytes32 root = rv.outRoot;
        rv.outRoot = keccak256("other output");
        vm.expectRevert(DisputeGame.BadPath.selector);
        game.revealOutput(gameId, rv);
        rv.outRoot = root;
        rv.statePath[0] = keccak256("other sibling");
        vm.expectRevert(DisputeGame.BadPath.selector);
        game.revealOutput(gameId, rv);
        rv = abi.decode(f.moves[j].args, (OutputReveal));
        rv.opRecord[0] = 0x0e; // another op kind: no longer the committed record
        vm.expectRevert(DisputeGame.BadRecord.selector);
        game.revealOutput(gameId, rv);
        rv = abi.decode(f.moves[j].args, (OutputReveal));
        rv.opTablePath[0] = keccak256("other table");
        vm.expectRevert(DisputeGame.BadRecord.selector);
        game.revealOutput(gameId, rv);
        vm.stopPrank();
        _play(gameId, s, challenger, f.moves[j++]);
        ElementProof memory proof = abi.decode(f.moves[f.moves.length - 1].args, (ElementProof));
        assertEq(f.moves[j].kind, DESCEND);
        {
            vm.prank(s.defender);
            vm.expectRevert(TraceGame.BadChildren.selector);
            game.descend(gameId, keccak256("l"), keccak256("r"));
        }
        while (j + 1 < f.moves.length) {
            _play(gameId, s, challenger, f.moves[j++]);
        }
        vm.startPrank(challenger);
        proof.step += 1;
        vm.expectRevert(TraceGame.WrongElement.selector);
        game.proveElement(gameId, s.job, proof);
        proof.step -= 1;
        proof.element += 32; // the next chunk, not the disputed one
        vm.expectRevert(TraceGame.WrongElement.selector);
        game.proveElement(gameId, s.job, proof);
        proof.element -= 32;
        proof.operands[0].chunks[0].chunk ^= bytes32(uint256(1));
        vm.expectRevert(abi.encodeWithSelector(TraceGame.ProofRefused.selector, VerifyCode.BAD_OPENING));
        game.proveElement(gameId, s.job, proof);
        vm.expectRevert(TraceGame.NoMismatch.selector);
        game.provePadding(gameId, s.job);
        vm.stopPrank();
        _play(gameId, s, challenger, f.moves[j]);
        assertTrue(coord.slashed(s.id, s.defender));
    }

    /// A defender whose output chunk carries non-zero bytes past the output's end loses to
    /// provePadding. Built from the CNN game lying at its last step (10-byte output, one chunk):
    /// the states before step 8 are the honest ones, so the same bisection applies, and the lying
    /// S_8 is the revealed path with the padded chunk as leaf 8.
    function test_paddingLieLoses() public {
        Fixture memory f = _fixture(_lines("../build/dispute/game_cnn.txt")[7]);
        assertEq(f.k, 8);
        uint256 r = 0;
        while (f.moves[r].kind != REVEAL) ++r;
        OutputReveal memory rv = abi.decode(f.moves[r].args, (OutputReveal));
        rv.outRoot = bytes32(uint256(0xff)); // byte 31: padding of a 10-byte output
        bytes32 node = rv.outRoot;
        uint256 index = 8;
        for (uint256 i = 0; i < rv.statePath.length; ++i) {
            node = index & 1 == 1
                ? keccak256(abi.encode(rv.statePath[i], node))
                : keccak256(abi.encode(node, rv.statePath[i]));
            index >>= 1;
        }
        f.traceRoot = node;
        Setup memory s = _answered(f);
        uint256 gameId = _challenge(s, challenger);
        for (uint256 j = 0; j < r; ++j) {
            _play(gameId, s, challenger, f.moves[j]);
        }
        vm.prank(s.defender);
        game.revealOutput(gameId, rv);
        assertEq(uint8(game.getGame(gameId).phase), uint8(TraceGame.Phase.OneStep));
        vm.prank(challenger);
        game.provePadding(gameId, s.job);
        assertTrue(coord.slashed(s.id, s.defender));
        assertEq(bondToken.balanceOf(challenger), BOND);
    }

    /// A k = 2 request whose reveals disagree: operator `a` revealed `ca`, `b` revealed `cb`.
    function _conflict(Fixture memory f, Claim memory ca, Claim memory cb)
        internal
        returns (Setup memory s, address b)
    {
        s.defender = _nodeFor(f.modelRoot);
        b = _server(f.modelRoot, "second-");
        RequestParams memory p = _params(2);
        p.modelRoot = f.modelRoot;
        p.inputRoot = f.inputRoot;
        (s.id, s.job) = _request(p, "");
        _commit(s.id, s.job, s.defender, ca);
        _commit(s.id, s.job, b, cb);
        _reveal(s.id, s.job, 0, s.defender, ca);
        _reveal(s.id, s.job, 1, b, cb);
        assertEq(uint8(coord.getRequest(s.id).status), uint8(Status.Conflict));
        s.claim = ca;
    }

    function _claimOf(Fixture memory f) internal pure returns (Claim memory c) {
        c = Claim(hex"01", bytes32(bytes1(0x01)), f.traceRoot, f.steps, f.inputRoot);
    }

    /// Conflicting reveals: the honest operator challenges the liar, wins, the liar is slashed and
    /// the conflict resolves to the honest claim.
    function test_conflict_honestChallengerWins() public {
        bytes[] memory lines = _lines(CHAIN16);
        Fixture memory liar = _fixture(lines[0]);
        Fixture memory honest = _fixture(lines[1]); // the same scenario, honest defender
        assertTrue(liar.defenderLies && !honest.defenderLies);
        Claim memory bad = _claimOf(liar);
        Claim memory good = _claimOf(honest);
        (Setup memory s, address b) = _conflict(liar, bad, good);
        bondToken.mint(b, BOND);
        vm.startPrank(b);
        bondToken.approve(address(game), BOND);
        vm.expectRevert(DisputeGame.NotTheClaim.selector);
        game.challengeConflict(s.id, s.job, good, s.defender, bad);
        uint256 gameId = game.challengeConflict(s.id, s.job, bad, s.defender, good);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(TraceGame.WrongPhase.selector, TraceGame.Phase.Bisect));
        game.resolve(gameId, s.job, good);
        for (uint256 j = 0; j < liar.moves.length; ++j) {
            _play(gameId, s, b, liar.moves[j]);
        }
        assertTrue(coord.slashed(s.id, s.defender));
        assertFalse(coord.slashed(s.id, b));
        vm.expectRevert(DisputeGame.NotWinner.selector);
        game.resolve(gameId, s.job, bad);
        game.resolve(gameId, s.job, good);
        assertEq(uint8(coord.getRequest(s.id).status), uint8(Status.Answered));
        assertEq(coord.answerOf(s.id), coord.hashClaim(good));
    }

    /// Conflicting reveals: a lying operator challenges the honest one, cannot win, is slashed at
    /// its deadline, and the conflict resolves to the honest claim.
    function test_conflict_lyingChallengerIsSlashed() public {
        bytes[] memory lines = _lines(CHAIN16);
        Fixture memory liar = _fixture(lines[0]);
        Fixture memory honest = _fixture(lines[1]);
        Claim memory bad = _claimOf(liar);
        Claim memory good = _claimOf(honest);
        (Setup memory s, address b) = _conflict(honest, good, bad);
        bondToken.mint(b, BOND);
        vm.startPrank(b);
        bondToken.approve(address(game), BOND);
        uint256 gameId = game.challengeConflict(s.id, s.job, good, s.defender, bad);
        vm.stopPrank();
        for (uint256 j = 0; j < honest.moves.length; ++j) {
            _play(gameId, s, b, honest.moves[j]);
        }
        vm.warp(block.timestamp + MOVE_WINDOW + 1);
        game.timeout(gameId, s.job);
        assertTrue(coord.slashed(s.id, b));
        assertFalse(coord.slashed(s.id, s.defender));
        assertEq(bondToken.balanceOf(s.defender), BOND);
        game.resolve(gameId, s.job, good);
        assertEq(coord.answerOf(s.id), coord.hashClaim(good));
    }

    /// A k = 2 conflict whose seats challenge each other: s.defender revealed `bad` (the liar; its
    /// game `liars` against b), b revealed `good` (its game `honest` against the liar).
    function _crossConflict()
        internal
        returns (
            Fixture memory liar,
            Claim memory bad,
            Claim memory good,
            Setup memory s,
            address b,
            uint256 liars,
            uint256 honest
        )
    {
        bytes[] memory lines = _lines(CHAIN16);
        liar = _fixture(lines[0]);
        bad = _claimOf(liar);
        good = _claimOf(_fixture(lines[1]));
        (s, b) = _conflict(liar, bad, good);
        bondToken.mint(b, BOND);
        bondToken.mint(s.defender, BOND);
        vm.prank(b);
        bondToken.approve(address(game), BOND);
        vm.prank(s.defender);
        bondToken.approve(address(game), BOND);
        vm.prank(s.defender);
        liars = game.challengeConflict(s.id, s.job, good, b, bad);
        vm.prank(b);
        honest = game.challengeConflict(s.id, s.job, bad, s.defender, good);
    }

    /// Both seats of a conflict challenge each other; the liar loses the game it defends, so the
    /// game it opened can never be settled by play (it cannot be slashed twice): it is released,
    /// bonds go back, and that released game cannot resolve the conflict to the liar's claim.
    function test_conflict_gameOfALostChallengerIsReleasedAndResolvesNothing() public {
        (
            Fixture memory liar,
            Claim memory bad,
            Claim memory good,
            Setup memory s,
            address b,
            uint256 liars,
            uint256 honest
        ) = _crossConflict();
        vm.expectRevert(DisputeGame.DefenderNotLost.selector);
        game.release(liars);
        for (uint256 j = 0; j < liar.moves.length; ++j) {
            _play(honest, s, b, liar.moves[j]);
        }
        assertTrue(coord.slashed(s.id, s.defender));
        assertEq(game.openGames(s.id), 1);
        game.release(liars);
        assertTrue(game.released(liars));
        assertEq(game.openGames(s.id), 0);
        assertEq(bondToken.balanceOf(s.defender), BOND, "released: the challenger's bond back");
        vm.expectRevert(DisputeGame.Released.selector);
        game.resolve(liars, s.job, bad);
        vm.expectRevert(abi.encodeWithSelector(TraceGame.WrongPhase.selector, TraceGame.Phase.Done));
        game.release(liars);
        game.resolve(honest, s.job, good);
        assertEq(coord.answerOf(s.id), coord.hashClaim(good));
    }

    /// A winner of one conflict game that lost another on the same request cannot resolve with
    /// its claim.
    function test_conflict_winnerThatLostElsewhereCannotResolve() public {
        (, Claim memory bad,, Setup memory s, address b, uint256 liars, uint256 honest) = _crossConflict();
        // The honest seat misses its first move in the liar's game: the liar wins that one...
        vm.warp(block.timestamp + MOVE_WINDOW + 1);
        game.timeout(liars, s.job);
        assertTrue(coord.slashed(s.id, b));
        // ...and the liar, having won a game, still cannot resolve once it lost the other.
        game.timeout(honest, s.job); // the liar, defender there, was due to move as well
        assertTrue(coord.slashed(s.id, s.defender));
        vm.expectRevert(DisputeGame.NotWinner.selector);
        game.resolve(liars, s.job, bad);
    }

    /// k = 3 with three different claims: seat b's game against seat a ends (a never moves), but
    /// b's claim is only proven at the step where a and b first disagreed; seat c's claim still
    /// stands, so b cannot end the conflict. Once c beat b too, c's claim resolves it, and is open
    /// to outside challenges for a window of its own. (Two seats of one owner could otherwise play
    /// a game between themselves and make a lie final.)
    function test_conflict_gameWinnerCannotResolveWhileAThirdClaimStands() public {
        Fixture memory f = _fixture(_lines(CHAIN16)[1]);
        Claim memory ca = _claimOf(f);
        Claim memory cb = _claimOf(f);
        Claim memory cc = _claimOf(f);
        cb.traceRoot = keccak256("b's trace");
        cc.traceRoot = keccak256("c's trace");
        address a = _nodeFor(f.modelRoot);
        address b = _server(f.modelRoot, "second-");
        address c = _server(f.modelRoot, "third-");
        RequestParams memory p = _params(3);
        p.modelRoot = f.modelRoot;
        p.inputRoot = f.inputRoot;
        (bytes32 id, Job memory job) = _request(p, "");
        _commit(id, job, a, ca);
        _commit(id, job, b, cb);
        _commit(id, job, c, cc);
        _reveal(id, job, 0, a, ca);
        _reveal(id, job, 1, b, cb);
        _reveal(id, job, 2, c, cc);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Conflict));
        for (uint256 i = 0; i < 3; ++i) {
            address who = i == 0 ? b : c;
            bondToken.mint(who, BOND);
            vm.prank(who);
            bondToken.approve(address(game), BOND);
        }
        vm.prank(b);
        uint256 ab = game.challengeConflict(id, job, ca, a, cb);
        vm.warp(block.timestamp + MOVE_WINDOW + 1);
        game.timeout(ab, job);
        assertTrue(coord.slashed(id, a));
        vm.expectRevert(DisputeGame.Contested.selector);
        game.resolve(ab, job, cb);
        vm.expectRevert(DisputeGame.Contested.selector);
        game.resolveUncontested(id, job, cb);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Conflict));
        // c challenges b; b never moves and loses: now c's is the only claim left.
        vm.prank(c);
        uint256 bc = game.challengeConflict(id, job, cb, b, cc);
        vm.expectRevert(abi.encodeWithSelector(TraceGame.WrongPhase.selector, TraceGame.Phase.Bisect));
        game.resolve(bc, job, cc);
        vm.warp(block.timestamp + MOVE_WINDOW + 1);
        game.timeout(bc, job);
        assertTrue(coord.slashed(id, b));
        vm.expectRevert(DisputeGame.NotWinner.selector);
        game.resolve(ab, job, cb); // b has lost a game since
        game.resolve(bc, job, cc);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Answered));
        assertEq(coord.answerOf(id), coord.hashClaim(cc));
        // The surviving claim was never examined as a whole: it has a challenge window of its own,
        // in which anyone (here an outside challenger) can dispute it like any answer.
        assertEq(coord.getRequest(id).finalAt, block.timestamp + job.challengeWindow);
        address outsider = makeAddr("outsider");
        bondToken.mint(outsider, BOND);
        vm.startPrank(outsider);
        bondToken.approve(address(game), BOND);
        game.challenge(id, job, cc, c);
        vm.stopPrank();
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Disputed));
    }

    /// The S_0 the game starts from is the one-input state tree over N + 1 leaves.
    function testFuzz_initialState(bytes32 inputRoot, uint64 steps) public view {
        steps = uint64(bound(steps, 1, 3000));
        bytes32[] memory leaves = new bytes32[](uint256(steps) + 1);
        leaves[0] = inputRoot;
        assertEq(game.initialState(inputRoot, steps), _root(leaves));
    }

    function _root(bytes32[] memory leaves) internal pure returns (bytes32) {
        uint256 width = 1;
        while (width < leaves.length) width <<= 1;
        bytes32[] memory level = new bytes32[](width);
        for (uint256 i = 0; i < leaves.length; ++i) {
            level[i] = leaves[i];
        }
        for (; width > 1; width >>= 1) {
            for (uint256 i = 0; i < width / 2; ++i) {
                level[i] = keccak256(abi.encode(level[2 * i], level[2 * i + 1]));
            }
        }
        return level[0];
    }
}
