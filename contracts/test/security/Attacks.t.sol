// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IAllocationManager} from "../../src/interfaces/IAllocationManager.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {MarketBase} from "../market/MarketBase.sol";
import {Status, Claim, Job, RequestParams} from "../../src/avs/CoordinatorTypes.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {OperatorRegistry} from "../../src/avs/OperatorRegistry.sol";
import {DisputeGame} from "../../src/avs/dispute/DisputeGame.sol";
import {TraceGame} from "../../src/avs/dispute/TraceGame.sol";
import {ProofMarket} from "../../src/avs/dispute/ProofMarket.sol";
import {SlashTerms} from "../../src/avs/dispute/SlashTerms.sol";
import {GameLib, OutputReveal} from "../../src/avs/dispute/GameLib.sol";
import {AllocationManager} from "../../src/core/AllocationManager.sol";
import {OperatorSet} from "../../src/interfaces/OperatorSet.sol";

/// @notice The economic attacks of contracts/README.md §Threat model, each played as the
///         coalition that would profit from it (operator, consumer, challenger, prover, verifier
///         and creator may all be one person with several addresses). Each test asserts the
///         coalition's net position in every token is <= 0, that the honest parties keep their
///         stake and bonds, and that nothing is left locked.
contract AttacksTest is MarketBase {
    string internal constant CNN = "../build/dispute/game_cnn.txt";

    address internal liar = makeAddr("liar");
    address internal delegator = makeAddr("delegator");
    address internal mallory = makeAddr("mallory"); // the liar's challenger / prover
    address internal outsider = makeAddr("outsider");

    // ------------------------------------------------------------------ accounting

    /// What `a` holds of `t`: wallet, credits at the Coordinator and the ProofMarket, and (for a
    /// stake token) its withdrawable stake in the strategy.
    function _worth(address a, IERC20 t) internal view returns (uint256 w) {
        w = t.balanceOf(a) + coord.credits(a, t) + pm.credits(a, t);
        for (uint256 i = 0; i < 3; ++i) {
            if (address(tokens[i]) == address(t)) {
                w += strategies[i].sharesToUnderlying(dm.withdrawableShares(a, strategies[i]));
            }
        }
    }

    function _worth(address[] memory who, IERC20 t) internal view returns (uint256 w) {
        for (uint256 i = 0; i < who.length; ++i) {
            w += _worth(who[i], t);
        }
    }

    function _tokensOfInterest() internal view returns (IERC20[] memory ts) {
        ts = new IERC20[](4);
        ts[0] = _pay();
        ts[1] = _tokenOf(0);
        ts[2] = IERC20(address(bondToken));
        ts[3] = IERC20(address(vbond));
    }

    function _snapshot(address[] memory who) internal view returns (uint256[] memory w) {
        IERC20[] memory ts = _tokensOfInterest();
        w = new uint256[](ts.length);
        for (uint256 i = 0; i < ts.length; ++i) {
            w[i] = _worth(who, ts[i]);
        }
    }

    /// Asserts the coalition `who` is no richer in any token than at `before`.
    function _assertNoProfit(address[] memory who, uint256[] memory before) internal view {
        IERC20[] memory ts = _tokensOfInterest();
        for (uint256 i = 0; i < ts.length; ++i) {
            assertLe(_worth(who, ts[i]), before[i], "the coalition profits in a token");
        }
    }

    function _coalition3(address a, address b, address c) internal pure returns (address[] memory w) {
        w = new address[](3);
        (w[0], w[1], w[2]) = (a, b, c);
    }

    /// `liar`: an operator with 10 of its own stake and 90 delegated by an honest `delegator`,
    /// all allocated to Sigil's set, serving MODEL.
    function _liarWithDelegator() internal {
        _registerOperator(liar, 0);
        _deposit(liar, 0, 10 ether);
        _deposit(delegator, 0, 90 ether);
        _delegate(delegator, liar);
        _allocate(liar, _set(), 0, uint64(WAD));
        vm.roll(block.number + 1);
        vm.prank(liar);
        am.registerForOperatorSets(
            liar, IAllocationManager.RegisterParams(address(coord), _ids(SET_ID), _regData(PRICE))
        );
    }

    /// Funds the coalition before its snapshot, so nothing is minted to it afterwards: alice's
    /// escrow and bounty fees, mallory's game bond.
    function _fundCoalition() internal {
        _fund(alice, 10 ether);
        vm.prank(alice);
        pay.approve(address(pm), type(uint256).max);
        bondToken.mint(mallory, BOND);
        vm.prank(mallory);
        bondToken.approve(address(game), BOND);
    }

    /// alice requests `p` from her own funds (no mint).
    function _aliceRequests(RequestParams memory p, bytes memory input)
        internal
        returns (bytes32 id, Job memory job)
    {
        job = _job(p, input);
        vm.prank(alice);
        id = coord.request(p, input, "");
    }

    /// mallory challenges `op`'s claim and `op` lets the game time out.
    function _thrownGame(bytes32 id, Job memory job, Claim memory c, address op) internal {
        vm.prank(mallory);
        uint256 gameId = game.challenge(id, job, c, op);
        vm.warp(block.timestamp + MOVE_WINDOW + 1);
        game.timeout(gameId, job);
    }

    // ------------------------------------------------------------------ attack 1

    /// The liar's own consumer declares the largest value at risk, the liar delivers a lie, its
    /// own challenger refutes it by a thrown game: the whole allocation is slashed, delegated stake
    /// included, and none of it reaches the coalition.
    function test_attack1_redistributionToColludersPaysNothing() public {
        _liarWithDelegator();
        _fundCoalition();
        address[] memory coalition = _coalition3(liar, alice, mallory);
        uint256[] memory before = _snapshot(coalition);
        uint256 delegatorBefore = _worth(delegator, _tokenOf(0));

        RequestParams memory p = _params(1);
        p.assigned = liar;
        (bytes32 id, Job memory job) = _aliceRequests(p, "");
        SlashTerms terms = game.terms();
        vm.prank(alice);
        terms.declareValue(id, job, type(uint128).max);
        Claim memory lie = _claim(9);
        _deliver(id, job, liar, lie);
        _thrownGame(id, job, lie, liar);

        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Refuted));
        assertEq(_slashable(_set(), liar, strategies[0]), 0, "whole allocation slashed");
        // The escrow came back (alice paid it, so that is no gain), the bond came back, and every
        // slashed token went to the treasury.
        assertEq(coord.credits(treasury, _tokenOf(0)), 100 ether);
        _assertNoProfit(coalition, before);
        assertLt(_worth(coalition, _tokenOf(0)), before[1], "the liar lost its own stake");
        assertEq(_worth(delegator, _tokenOf(0)), delegatorBefore - 90 ether);
    }

    /// A liar that refutes itself first with a one-shot proof recovers nothing of its slash.
    function test_attack1_selfRefutationRecoversNothing() public {
        _liarWithDelegator();
        _fundCoalition();
        address[] memory coalition = _coalition3(liar, alice, mallory);
        uint256[] memory before = _snapshot(coalition);
        RequestParams memory p = _params(1);
        p.assigned = liar;
        (bytes32 id, Job memory job) = _aliceRequests(p, "img");
        Claim memory lie = _claim(9);
        lie.inputRoot = keccak256("not the input");
        _deliver(id, job, liar, lie);
        vm.prank(liar);
        game.proveInputMismatch(id, job, lie, liar, "img");
        assertTrue(coord.slashed(id, liar));
        assertEq(coord.credits(liar, _tokenOf(0)), 0);
        _assertNoProfit(coalition, before);
        assertLt(_worth(coalition, _tokenOf(0)), before[1]);
    }

    // ------------------------------------------------------------------ attack 2

    /// Operator, consumer and challenger throw a game against an honest verifier's attestation:
    /// the verifier keeps its bond and seat; the coalition gains nothing in any token.
    function test_attack2_thrownGameStealsNoVerifierBond() public {
        address v = _registerVerifier("honest-verifier", 2 ether);
        vm.roll(block.number + 1);
        address op = nodes[0];
        _fundCoalition();
        address[] memory coalition = _coalition3(op, alice, mallory);
        uint256[] memory before = _snapshot(coalition);
        (bytes32 id, Job memory job) = _aliceRequests(_params(1), "");
        vm.prank(alice);
        pm.post(id, job, FULL, FEE, VERIFY_WINDOW);
        Claim memory c = _claim(1);
        assertEq(_deliverAndDraw(id, job, op, c), v);
        vm.prank(v);
        pm.attest(id);
        _thrownGame(id, job, c, op);
        pm.resolve(id);
        assertEq(pm.getVerifier(v).bond, 2 ether, "honest verifier keeps its bond");
        assertEq(pm.getVerifier(v).exitAt, 0, "and its seat");
        _assertNoProfit(coalition, before);
    }

    // ------------------------------------------------------------------ attack 3 and 7

    // The CNN fixture's model and the record of its last op (from its game that reached k = N).
    bytes32 internal cnnModel;
    bytes32 internal cnnInput;
    uint64 internal cnnSteps;
    bytes32 internal cnnTrace;
    uint256 internal cnnOutBytes;
    bytes internal lastRecord;
    bytes32[] internal lastOpPath;
    bytes32[] internal lastTablePath;

    function _loadCnn() internal {
        Fixture memory f = _fixture(_lines(CNN)[7]);
        assertEq(f.k, f.steps);
        uint256 j;
        while (f.moves[j].kind != REVEAL) ++j;
        OutputReveal memory rv = abi.decode(f.moves[j].args, (OutputReveal));
        (cnnModel, cnnInput, cnnSteps, cnnTrace) = (f.modelRoot, f.inputRoot, f.steps, f.traceRoot);
        (lastRecord, lastOpPath, lastTablePath) = (rv.opRecord, rv.opPath, rv.opTablePath);
        (, uint256 elems, uint8 width) =
            GameLib.checkRecord(cnnModel, cnnSteps, lastRecord, lastOpPath, lastTablePath);
        cnnOutBytes = elems * width;
    }

    function _proveShape(bytes32 id, Job memory job, Claim memory c, address op) internal {
        game.proveShape(id, job, c, op, lastRecord, lastOpPath, lastTablePath);
    }

    /// A k = 2 request on the CNN model with seats `a` (claim ca) and `b` (claim cb) revealed.
    function _conflictOn(Claim memory ca, Claim memory cb)
        internal
        returns (bytes32 id, Job memory job, address a, address b)
    {
        a = _nodeFor(cnnModel);
        b = _server(cnnModel, "seat-b-");
        RequestParams memory p = _params(2);
        p.modelRoot = cnnModel;
        p.inputRoot = cnnInput;
        (id, job) = _request(p, "");
        _seat(id, job, [a, b], [ca, cb]);
    }

    function _cnnClaim(bytes memory output) internal view returns (Claim memory c) {
        c = _withOutput(Claim("", 0, cnnTrace, cnnSteps, cnnInput), output);
    }

    /// Attack 3a/7: a seat reveals the honest roots with the output's trailing zero byte dropped
    /// (the same outputRoot): the honest seat cannot win a game on equal roots, but refutes the
    /// short claim at once by its length and resolves the conflict; it keeps its stake and pay.
    function test_attack3_truncatedOutputIsRefutedByLength() public {
        _loadCnn();
        bytes memory full = new bytes(cnnOutBytes);
        full[0] = 0x05; // the last byte stays 0
        bytes memory short_ = new bytes(cnnOutBytes - 1);
        short_[0] = 0x05;
        Claim memory honest = _cnnClaim(full);
        Claim memory cut = _cnnClaim(short_);
        assertEq(honest.outputRoot, cut.outputRoot, "same root");
        (bytes32 id, Job memory job, address a, address b) = _conflictOn(honest, cut);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Conflict));
        vm.expectRevert(TraceGame.NoMismatch.selector);
        _proveShape(id, job, honest, a);
        vm.prank(a);
        _proveShape(id, job, cut, b);
        assertTrue(coord.slashed(id, b));
        game.resolveUncontested(id, job, honest);
        vm.warp(block.timestamp + WINDOW);
        coord.settle(id, job, honest);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Settled));
        assertFalse(coord.slashed(id, a));
        assertEq(coord.openClaims(a), 0);
    }

    /// Attack 3b: a seat reveals another step count. The conflict is no longer locked: the one-shot
    /// proof refutes it by the model's own N, and a conflict game across step counts can be opened.
    function test_attack3_otherStepCountIsRefuted() public {
        _loadCnn();
        Claim memory honest = _cnnClaim(new bytes(cnnOutBytes));
        Claim memory other = _cnnClaim(new bytes(cnnOutBytes));
        other.steps = cnnSteps + 1;
        (bytes32 id, Job memory job, address a, address b) = _conflictOn(honest, other);
        _conflictGame(id, job, a, honest, b, other); // used to be refused both ways
        vm.prank(a);
        _proveShape(id, job, other, b);
        assertTrue(coord.slashed(id, b));
        game.resolveUncontested(id, job, honest);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Answered));
    }

    /// A conflict nobody plays ends after its deadline plus the challenge window: the consumer is
    /// refunded, no seat stays bound, and each seat gets a fault (it let the conflict expire, or
    /// disagreed where no game can judge).
    function test_unplayedConflictExpires() public {
        (bytes32 id, Job memory job) = _request(_params(2), "");
        _seat(id, job, [nodes[0], nodes[1]], [_claim(1), _claim(2)]);
        uint32 faults0 = registry.faults(nodes[0]);
        uint32 faults1 = registry.faults(nodes[1]);
        vm.expectRevert(OperatorRegistry.NotAVS.selector);
        registry.recordExpiredConflict(id, 2); // only the proof market records an expired conflict
        vm.expectRevert(TraceGame.NotExpired.selector);
        game.expireConflict(id, job);
        vm.warp(coord.getRequest(id).deadline + WINDOW + 1);
        vm.expectRevert(abi.encodeWithSelector(Coordinator.WrongStatus.selector, Status.Conflict));
        coord.refundExpired(id, job); // only through the game, which checks no game is open
        game.expireConflict(id, job);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Refunded));
        assertEq(coord.credits(alice, _pay()), _cost(2));
        assertEq(coord.openClaims(nodes[0]), 0);
        assertEq(coord.openClaims(nodes[1]), 0);
        assertEq(registry.faults(nodes[0]), faults0 + 1);
        assertEq(registry.faults(nodes[1]), faults1 + 1);
    }

    // ------------------------------------------------------------------ attack 4

    /// Attack 4b: an operator that deallocated (or withdrew) takes no new claim: the stake check
    /// runs at every delivery, over the registry's horizon.
    function test_attack4_deallocatedOperatorTakesNoClaim() public {
        // The registry's default horizon (the core's deallocation delay) is what catches it.
        address op = nodes[0];
        AllocationManager.AllocateParams[] memory p = new AllocationManager.AllocateParams[](1);
        p[0] = AllocationManager.AllocateParams(_set(), _one(strategies[0]), new uint64[](1));
        vm.prank(op);
        am.modifyAllocations(op, p);
        (bytes32 id, Job memory job) = _request(_params(1), "");
        vm.prank(op);
        vm.expectRevert(
            abi.encodeWithSelector(OperatorRegistry.InsufficientStake.selector, strategies[0], 0, 10 ether)
        );
        coord.deliver(id, job, _claim(1));
        // Past the assigned node's window another node takes the seat.
        vm.warp(block.timestamp + 1);
        _deliver(id, job, nodes[1], _claim(1));
    }

    /// Attack 4a, its end: a liar that deallocated after delivering and waited out the core's
    /// delay can no longer be slashed, but the game still ends, the consumer is refunded and the
    /// challenger gets its bond back (nothing stays Disputed).
    function test_attack4_unslashableLiarStillLosesTheGame() public {
        address op = nodes[0];
        (bytes32 id, Job memory job) = _request(_params(1), "");
        Claim memory lie = _claim(9);
        vm.prank(op);
        coord.deliver(id, job, lie);
        AllocationManager.AllocateParams[] memory p = new AllocationManager.AllocateParams[](1);
        p[0] = AllocationManager.AllocateParams(_set(), _one(strategies[0]), new uint64[](1));
        vm.prank(op);
        am.modifyAllocations(op, p);
        uint256 gameId = _dispute(id, job, lie, op, mallory);
        vm.roll(block.number + DEALLOCATION_DELAY + 2);
        vm.warp(block.timestamp + MOVE_WINDOW + 1);
        game.timeout(gameId, job);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Refuted));
        assertEq(coord.credits(alice, _pay()), _cost(1));
        assertEq(bondToken.balanceOf(mallory), BOND);
        assertEq(coord.openClaims(op), 0);
    }

    // ------------------------------------------------------------------ attack 5

    /// A conflict game left open while the resolved answer is challenged and survives: whichever
    /// game ends last releases the request, which then settles.
    function test_attack5_leftoverConflictGameDoesNotLockTheRequest() public {
        (bytes32 id, Job memory job) = _request(_params(3), "");
        Claim memory x = _claim(1);
        Claim memory y = _claim(2);
        _seat(id, job, [nodes[0], nodes[1], nodes[2]], [x, x, y]);
        uint256 g1 = _conflictGame(id, job, nodes[2], y, nodes[0], x); // C challenges A
        uint256 g2 = _conflictGame(id, job, nodes[0], x, nodes[2], y); // A challenges C
        vm.prank(nodes[0]);
        game.bisect(g1, keccak256("mid"));
        vm.warp(block.timestamp + MOVE_WINDOW + 1);
        game.timeout(g2, job); // C never bisected: slashed
        game.resolveUncontested(id, job, x);
        uint256 g3 = _dispute(id, job, x, nodes[0], outsider);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Disputed));
        vm.prank(nodes[0]);
        game.bisect(g3, keccak256("mid"));
        vm.warp(block.timestamp + MOVE_WINDOW + 1);
        game.timeout(g3, job); // the outsider stopped: the answer survives
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Disputed), "g1 still open");
        game.timeout(g1, job); // C, already slashed, stopped too
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Answered));
        vm.warp(coord.getRequest(id).finalAt);
        coord.settle(id, job, x);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Settled));
    }

    function _conflictGame(
        bytes32 id,
        Job memory job,
        address me,
        Claim memory mine,
        address them,
        Claim memory theirs
    ) internal returns (uint256 gameId) {
        bondToken.mint(me, BOND);
        vm.startPrank(me);
        bondToken.approve(address(game), BOND);
        gameId = game.challengeConflict(id, job, theirs, them, mine);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ attack 8

    /// One party fills every verifier seat with minimum bonds: a newcomer with a larger bond
    /// still gets in (the smallest is evicted); an equal bond does not.
    function test_attack8_registryCannotBeHeldWithMinimumBonds() public {
        uint256 max = pm.MAX_VERIFIERS();
        for (uint256 i = 0; i < max; ++i) {
            _registerVerifier(string.concat("sybil", vm.toString(i)), uint96(MIN_BOND));
        }
        address late = makeAddr("late");
        vbond.mint(late, 3 ether);
        vm.startPrank(late);
        vbond.approve(address(pm), 3 ether);
        vm.expectRevert(ProofMarket.TooManyVerifiers.selector);
        pm.register(uint96(MIN_BOND));
        pm.register(uint96(MIN_BOND) + 1);
        vm.stopPrank();
        assertEq(pm.activeVerifiers(), max);
        address evicted = makeAddr("sybil0");
        assertEq(pm.getVerifier(evicted).exitAt, block.number, "smallest evicted");
        // Anyone clears the evicted entry once its bond is due; the bond goes to its owner.
        vm.roll(block.number + pm.DRAW_DELAY() + pm.DRAW_WINDOW() + 1);
        vm.prank(outsider);
        pm.withdrawBondOf(evicted);
        assertEq(vbond.balanceOf(evicted), MIN_BOND);
        assertEq(pm.verifiers().length, max);
    }

    // ------------------------------------------------------------------ smaller ones

    /// An unbounded callbackGasLimit would make an afterWindow request unsettleable.
    function test_callbackGasLimitIsBounded() public {
        RequestParams memory p = _params(1);
        p.callbackGasLimit = coord.MAX_CALLBACK_GAS() + 1;
        _fund(alice, _cost(1));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Coordinator.CallbackGasTooHigh.selector, p.callbackGasLimit));
        coord.request(p, "", "");
    }

    /// An operator cannot make itself un-ejectable with a huge service list.
    function test_serviceListIsBounded() public {
        address op = nodes[0];
        vm.startPrank(op);
        for (uint256 i = 1; i < registry.MAX_SERVICES(); ++i) {
            registry.setService(OperatorRegistry.Service(bytes32(i), _pay(), PRICE));
        }
        vm.expectRevert(OperatorRegistry.TooManyServices.selector);
        registry.setService(OperatorRegistry.Service(bytes32(uint256(999)), _pay(), PRICE));
        // Repricing a listed service is still allowed.
        registry.setService(OperatorRegistry.Service(bytes32(uint256(1)), _pay(), PRICE / 2));
        vm.stopPrank();
    }
}
