// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {MarketBase} from "./MarketBase.sol";
import {FeeOnTransferToken} from "../core/mocks/FeeOnTransferToken.sol";
import {ReentrantToken} from "../core/mocks/ReentrantToken.sol";
import {RequestParams, Job, Claim, Status} from "../../src/avs/CoordinatorTypes.sol";
import {ProofMarket} from "../../src/avs/dispute/ProofMarket.sol";
import {DisputeGame} from "../../src/avs/dispute/DisputeGame.sol";

/// @notice Every path and refusal of the ProofMarket on the real Coordinator and DisputeGame.
contract ProofMarketTest is MarketBase {
    address internal v1;
    address internal v2;

    function setUp() public override {
        super.setUp();
        v1 = _registerVerifier("verifier1", 2 ether);
        v2 = _registerVerifier("verifier2", 3 ether);
        vm.roll(block.number + 1);
    }

    // ------------------------------------------------------------ posting and its refusals

    function test_post_escrowsFee() public {
        (bytes32 id,) = _posted(FULL);
        ProofMarket.Bounty memory b = pm.getBounty(id);
        assertEq(uint8(b.state), uint8(ProofMarket.State.Posted));
        assertEq(b.consumer, alice);
        assertEq(b.fee, FEE);
        assertEq(address(b.token), address(pay));
        assertEq(pay.balanceOf(address(pm)), FEE);
    }

    function test_post_refusals() public {
        (bytes32 id, Job memory job) = _request(_params(1), "");
        pay.mint(alice, 10 ether);
        vm.prank(alice);
        pay.approve(address(pm), type(uint256).max);

        Job memory wrong = _job(_params(1), "");
        wrong.params.price += 1;
        vm.prank(alice);
        vm.expectRevert(ProofMarket.JobMismatch.selector);
        pm.post(id, wrong, FULL, FEE, VERIFY_WINDOW);

        vm.expectRevert(ProofMarket.NotConsumer.selector);
        pm.post(id, job, FULL, FEE, VERIFY_WINDOW);

        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.InvalidProbability.selector, uint64(0)));
        pm.post(id, job, 0, FEE, VERIFY_WINDOW);
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.InvalidProbability.selector, uint64(1e18 + 1)));
        pm.post(id, job, 1e18 + 1, FEE, VERIFY_WINDOW);
        vm.expectRevert(ProofMarket.ZeroFee.selector);
        pm.post(id, job, FULL, 0, VERIFY_WINDOW);
        uint32 low = pm.MIN_VERIFY_WINDOW() - 1;
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.InvalidVerifyWindow.selector, low));
        pm.post(id, job, FULL, FEE, low);
        uint32 high = pm.MAX_VERIFY_WINDOW() + 1;
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.InvalidVerifyWindow.selector, high));
        pm.post(id, job, FULL, FEE, high);
        // The request's 1 h challenge window cannot hold the draw and a 45 min verifier window.
        uint32 w = 45 minutes;
        vm.expectRevert(
            abi.encodeWithSelector(
                ProofMarket.ChallengeWindowTooShort.selector, WINDOW, uint256(w) + pm.DRAW_SECONDS()
            )
        );
        pm.post(id, job, FULL, FEE, w);
        pm.post(id, job, FULL, FEE, VERIFY_WINDOW);
        vm.expectRevert(ProofMarket.BountyExists.selector);
        pm.post(id, job, FULL, FEE, VERIFY_WINDOW);
        vm.stopPrank();

        // Answered requests take no new bounty.
        (bytes32 id2, Job memory job2) = _request(_params(1), "");
        vm.prank(nodes[0]);
        coord.deliver(id2, job2, _claim(1));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.RequestNotOpen.selector, Status.Answered));
        pm.post(id2, job2, FULL, FEE, VERIFY_WINDOW);
    }

    /// p * (price + S_min) > price, at the boundary: price 1, S_min 5 -> p > 1/6.
    function test_post_honestyRuleBoundary() public {
        (bytes32 id, Job memory job) = _request(_params(1), "");
        pay.mint(alice, FEE);
        vm.startPrank(alice);
        pay.approve(address(pm), FEE);
        uint64 atBound = 166_666_666_666_666_666; // p (1 + 5) < 1
        vm.expectRevert(
            abi.encodeWithSelector(
                ProofMarket.HonestyNotEnforced.selector, atBound, uint256(PRICE), MIN_SLASH
            )
        );
        pm.post(id, job, atBound, FEE, VERIFY_WINDOW);
        pm.post(id, job, atBound + 1, FEE, VERIFY_WINDOW);
        vm.stopPrank();
        assertFalse(pm.honest(1e17, PRICE));
        assertTrue(pm.honest(1e18, PRICE));
        // Exactly equal is refused: p (price + S) == price gives the operator no strict preference.
        assertFalse(pm.honest(5e17, 5 ether)); // 0.5 x (5 + 5) == 5
    }

    /// Fuzz: every accepted (p, price) satisfies the rule, every refused one violates it.
    function testFuzz_honestyRule(uint64 pWad, uint96 price) public view {
        pWad = uint64(bound(pWad, 1, 1e18));
        bool ok = pm.honest(pWad, price);
        assertEq(ok, uint256(pWad) * (uint256(price) + MIN_SLASH) > uint256(price) * 1e18);
        if (ok) {
            // The operator's expected loss from lying exceeds the most it can save (its price).
            assertGt((uint256(pWad) * (uint256(price) + MIN_SLASH)) / 1e18 + 1, price);
        }
    }

    // ------------------------------------------------------------ arm and draw

    function test_arm_refusals() public {
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.WrongState.selector, ProofMarket.State.None));
        pm.arm(keccak256("none"));
        (bytes32 id, Job memory job) = _posted(FULL);
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.NotAnswered.selector, Status.Open));
        pm.arm(id);
        vm.prank(nodes[0]);
        coord.deliver(id, job, _claim(1));
        vm.warp(block.timestamp + WINDOW);
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.NotAnswered.selector, Status.Answered));
        pm.arm(id);
    }

    function test_arm_bindsAnswer_andOnlyOnce() public {
        (bytes32 id,, Claim memory c) = _armed(FULL);
        ProofMarket.Bounty memory b = pm.getBounty(id);
        assertEq(b.claimHash, coord.hashClaim(c));
        assertEq(b.armBlock, block.number);
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.WrongState.selector, ProofMarket.State.Armed));
        pm.arm(id);
    }

    function test_draw_tooEarly() public {
        (bytes32 id,,) = _armed(FULL);
        uint64 drawBlock = uint64(block.number) + pm.DRAW_DELAY();
        vm.roll(drawBlock);
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.DrawTooEarly.selector, drawBlock));
        pm.draw(id);
        vm.roll(drawBlock + 1);
        pm.draw(id);
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.WrongState.selector, ProofMarket.State.Assigned));
        pm.draw(id);
    }

    function test_draw_fullCheckAssignsVerifier() public {
        (bytes32 id,,, address v) = _assigned();
        ProofMarket.Bounty memory b = pm.getBounty(id);
        assertEq(uint8(b.state), uint8(ProofMarket.State.Assigned));
        assertTrue(v == v1 || v == v2);
        assertEq(b.deadline, block.timestamp + VERIFY_WINDOW);
        assertEq(pm.getVerifier(v).open, 1);
    }

    /// The draw decides by keccak(prevrandao, id) mod 1e18 < p, prevrandao being the RANDAO value
    /// of the block it is called in (after armBlock + 96): a not-selected draw refunds the consumer.
    function test_draw_notSelectedRefunds() public {
        uint64 p = 2e17;
        (bytes32 id,,) = _armed(p);
        // Pick the draw block's hash so that the outcome is "not selected".
        _drawRandao(id, _randaoWith(id, p, false));
        pm.draw(id);
        assertEq(uint8(pm.getBounty(id).state), uint8(ProofMarket.State.Closed));
        assertFalse(pm.getBounty(id).selected);
        assertEq(pm.credits(alice, _pay()), FEE);
    }

    /// Issue 15, attack 9: the block hash (which a builder grinds for free) decides nothing; two
    /// draws in blocks with the same RANDAO value and different hashes agree.
    function test_draw_blockHashHasNoSay() public {
        uint64 p = 2e17;
        (bytes32 id,,) = _armed(p);
        bytes32 r = _randaoWith(id, p, false);
        uint64 drawBlock = pm.getBounty(id).armBlock + pm.DRAW_DELAY();
        for (uint256 i = 0; i < 8; ++i) {
            uint256 snap = vm.snapshotState();
            vm.roll(drawBlock);
            vm.setBlockhash(drawBlock, keccak256(abi.encode("builder's choice", i)));
            _drawRandao(id, r);
            pm.draw(id);
            assertFalse(pm.getBounty(id).selected);
            vm.revertToState(snap);
        }
    }

    function test_draw_selectedBySampling() public {
        uint64 p = 2e17;
        (bytes32 id,,) = _armed(p);
        _drawRandao(id, _randaoWith(id, p, true));
        pm.draw(id);
        assertTrue(pm.getBounty(id).selected);
        assertEq(uint8(pm.getBounty(id).state), uint8(ProofMarket.State.Assigned));
    }

    /// A draw not called within DRAW_WINDOW blocks of the draw block counts as selected (even
    /// where the RANDAO value would have said no) and re-arms for the verifier's choice.
    function test_draw_failSafeLateDrawSelects() public {
        uint64 p = 2e17;
        (bytes32 id,,) = _armed(p);
        uint64 drawBlock = uint64(block.number) + pm.DRAW_DELAY();
        vm.prevrandao(_randaoWith(id, p, false)); // would not be selected
        vm.roll(drawBlock + pm.DRAW_WINDOW() + 1);
        pm.draw(id);
        ProofMarket.Bounty memory b = pm.getBounty(id);
        assertTrue(b.selected);
        assertEq(uint8(b.state), uint8(ProofMarket.State.Armed));
        assertEq(b.armBlock, block.number);
        // Withholding again only re-arms again; selection stays.
        vm.roll(block.number + 400);
        pm.draw(id);
        assertTrue(pm.getBounty(id).selected);
        assertEq(pm.getBounty(id).armBlock, block.number);
        vm.roll(block.number + pm.DRAW_DELAY() + 1);
        pm.draw(id);
        assertEq(uint8(pm.getBounty(id).state), uint8(ProofMarket.State.Assigned));
        assertTrue(pm.getBounty(id).verifier != address(0));
    }

    function test_draw_requestNoLongerVerifiableRefunds() public {
        (bytes32 id,,) = _armed(FULL);
        vm.roll(block.number + pm.DRAW_DELAY() + 1);
        vm.warp(block.timestamp + WINDOW);
        pm.draw(id);
        assertEq(uint8(pm.getBounty(id).state), uint8(ProofMarket.State.Closed));
        assertEq(pm.credits(alice, _pay()), FEE);
    }

    /// The deadline is cut at the end of the challenge window.
    function test_draw_deadlineCappedByChallengeWindow() public {
        (bytes32 id,,) = _armed(FULL);
        vm.roll(block.number + pm.DRAW_DELAY() + 1);
        vm.warp(block.timestamp + WINDOW - 5 minutes);
        pm.draw(id);
        assertEq(pm.getBounty(id).deadline, coord.getRequest(id).finalAt);
    }

    function test_draw_noEligibleVerifierRefunds() public {
        vm.prank(v1);
        pm.exit();
        vm.prank(v2);
        pm.exit();
        vm.roll(block.number + 1);
        (bytes32 id,,) = _armed(FULL);
        vm.roll(block.number + pm.DRAW_DELAY() + 1);
        pm.draw(id);
        assertEq(uint8(pm.getBounty(id).state), uint8(ProofMarket.State.Closed));
        assertTrue(pm.getBounty(id).selected);
        assertEq(pm.credits(alice, _pay()), FEE);
    }

    /// Verifiers registered after arming take no part in that draw (their weight would be set
    /// knowing the seed).
    function test_draw_latecomersExcluded() public {
        vm.prank(v1);
        pm.exit();
        vm.prank(v2);
        pm.exit();
        vm.roll(block.number + 1);
        (bytes32 id,,) = _armed(FULL);
        vm.roll(block.number + 1);
        _registerVerifier("late", 50 ether);
        vm.roll(block.number + pm.DRAW_DELAY() + 1);
        pm.draw(id);
        assertEq(pm.getBounty(id).verifier, address(0));
        assertEq(uint8(pm.getBounty(id).state), uint8(ProofMarket.State.Closed));
    }

    /// Operators seated on the request are never chosen, even with almost all the weight.
    function test_draw_seatedOperatorsExcluded() public {
        // k = 3: three seated operators, each also a heavy verifier.
        for (uint256 i = 0; i < 3; ++i) {
            _registerVerifierAt(nodes[i], 1_000 ether);
        }
        vm.roll(block.number + 1);
        for (uint256 round = 0; round < 8; ++round) {
            (bytes32 id, Job memory job) = _request(_params(3), "");
            _post(id, job, FULL, FEE, VERIFY_WINDOW);
            Claim memory c = _claim(1);
            for (uint256 i = 0; i < 3; ++i) {
                _commit(id, job, nodes[i], c);
            }
            for (uint256 i = 0; i < 3; ++i) {
                _reveal(id, job, uint8(i), nodes[i], c);
            }
            pm.arm(id);
            vm.roll(block.number + pm.DRAW_DELAY() + 1);
            pm.draw(id);
            address v = pm.getBounty(id).verifier;
            assertTrue(v == v1 || v == v2, "a seated operator was chosen");
        }
        // nodes[3] is not seated: with its weight it is the likely choice of a k = 1 request by
        // nodes[0].
        _registerVerifierAt(nodes[3], 1_000 ether);
        vm.roll(block.number + 1);
        (bytes32 id1,,) = _armed(FULL);
        assertEq(pm.pick(id1, uint64(block.number), 0), v1);
        address chosen;
        for (uint256 r = 0; r < 16 && chosen != nodes[3]; ++r) {
            chosen = pm.pick(id1, uint64(block.number), uint256(keccak256(abi.encode(r))));
            assertTrue(chosen != nodes[0], "seated deliverer chosen");
        }
        assertEq(chosen, nodes[3]);
    }

    // ------------------------------------------------------------ attest and resolve

    function test_attest_thenPaidOnceFinal() public {
        (bytes32 id, Job memory job, Claim memory c, address v) = _assigned();
        address other = v == v1 ? v2 : v1;
        vm.prank(other);
        vm.expectRevert(ProofMarket.NotVerifier.selector);
        pm.attest(id);
        vm.prank(v);
        pm.attest(id);
        assertEq(uint8(pm.getBounty(id).state), uint8(ProofMarket.State.Attested));
        vm.prank(v);
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.WrongState.selector, ProofMarket.State.Attested));
        pm.attest(id);
        // Not final yet.
        vm.expectRevert(ProofMarket.NotResolvable.selector);
        pm.resolve(id);
        vm.warp(coord.getRequest(id).finalAt);
        pm.resolve(id);
        assertEq(pm.credits(v, _pay()), FEE);
        assertEq(pm.getVerifier(v).open, 0);
        // No second payout.
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.WrongState.selector, ProofMarket.State.Closed));
        pm.resolve(id);
        coord.settle(id, job, c);
        vm.prank(v);
        pm.withdraw(_pay());
        assertEq(pay.balanceOf(v), FEE);
        assertEq(pay.balanceOf(address(pm)), 0);
        vm.prank(v);
        vm.expectRevert(ProofMarket.NothingToWithdraw.selector);
        pm.withdraw(_pay());
    }

    function test_attest_afterSettlementPaysToo() public {
        (bytes32 id, Job memory job, Claim memory c, address v) = _assigned();
        vm.prank(v);
        pm.attest(id);
        vm.warp(coord.getRequest(id).finalAt);
        coord.settle(id, job, c);
        pm.resolve(id);
        assertEq(pm.credits(v, _pay()), FEE);
    }

    function test_attest_tooLate() public {
        (bytes32 id,,, address v) = _assigned();
        vm.warp(pm.getBounty(id).deadline + 1);
        vm.prank(v);
        vm.expectRevert(ProofMarket.TooLate.selector);
        pm.attest(id);
    }

    function test_attest_refusedOnceRefuted() public {
        (bytes32 id, Job memory job, Claim memory c, address v) = _assignedWindow(40 minutes);
        _refuteByTimeout(id, job, c, nodes[0], challenger);
        vm.prank(v);
        vm.expectRevert(ProofMarket.ClaimChanged.selector);
        pm.attest(id);
    }

    /// The chosen verifier wins the game against the claim: the fee is its, exactly once.
    function test_refutedByVerifier_paysFee() public {
        (bytes32 id, Job memory job, Claim memory c, address v) = _assigned();
        _refuteByTimeout(id, job, c, nodes[0], v);
        assertEq(game.refutedBy(id), v);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Refuted));
        pm.resolve(id);
        assertEq(pm.credits(v, _pay()), FEE);
        assertEq(pm.credits(alice, _pay()), 0);
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.WrongState.selector, ProofMarket.State.Closed));
        pm.resolve(id);
    }

    /// Someone else refuted a claim the verifier attested: the verifier loses its whole bond to
    /// the consumer, the fee is refunded.
    /// An assigned bounty (p = 1) on a k = 1 request with inline input whose answer (by
    /// nodes[0]) claims another input root: provably wrong at once (proveInputMismatch).
    function _assignedOnWrongInput() internal returns (bytes32 id, Job memory job, Claim memory c, address v) {
        c = _claim(1);
        c.inputRoot = keccak256("not the tensor root of img");
        return _assignedOn("img", c, VERIFY_WINDOW);
    }

    /// A claim the verifier attested is proven wrong: its whole bond goes to the treasury (not to
    /// the consumer, who may be its ally), it is ejected, the fee goes back to the consumer.
    function test_falseAttestation_forfeitsBond() public {
        (bytes32 id, Job memory job, Claim memory c, address v) = _assignedOnWrongInput();
        vm.prank(v);
        pm.attest(id);
        uint96 bond = pm.getVerifier(v).bond;
        vm.prank(challenger);
        game.proveInputMismatch(id, job, c, nodes[0], "img");
        assertEq(game.refutedBy(id), challenger);
        assertTrue(game.refutedByProof(id));
        pm.resolve(id);
        assertEq(pm.getVerifier(v).bond, 0);
        assertEq(pm.credits(treasury, IERC20(address(vbond))), bond);
        assertEq(pm.credits(alice, IERC20(address(vbond))), 0);
        assertEq(pm.credits(alice, _pay()), FEE);
        assertEq(pm.credits(v, _pay()), 0);
        assertEq(pm.getVerifier(v).exitAt, block.number, "ejected");
    }

    /// Issue attack 2: operator, consumer and challenger collude against an honest verifier that
    /// attested a correct claim: the challenger opens a game, the operator lets it time out. The
    /// claim is refuted, but not proven wrong, so the verifier keeps its bond and its seat.
    function test_thrownGame_doesNotTakeTheAttestingVerifiersBond() public {
        (bytes32 id, Job memory job, Claim memory c, address v) = _assigned();
        vm.prank(v);
        pm.attest(id);
        uint96 bond = pm.getVerifier(v).bond;
        _refuteByTimeout(id, job, c, nodes[0], challenger);
        assertEq(game.refutedBy(id), challenger);
        assertFalse(game.refutedByProof(id));
        pm.resolve(id);
        assertEq(pm.getVerifier(v).bond, bond, "honest verifier keeps its bond");
        assertEq(pm.getVerifier(v).exitAt, 0, "and its seat");
        assertEq(pm.credits(alice, IERC20(address(vbond))), 0, "the coalition gets no bond");
        assertEq(pm.credits(alice, _pay()), FEE);
    }

    /// Neither attest nor dispute by the deadline: 20% of the registered bond to the treasury,
    /// ejected, fee refunded; later draws never choose it.
    function test_missedWindow_penaltyAndEjection() public {
        (bytes32 id,,, address v) = _assigned();
        vm.expectRevert(ProofMarket.NotResolvable.selector);
        pm.resolve(id);
        vm.warp(pm.getBounty(id).deadline + 1);
        uint96 weight = pm.getVerifier(v).weight;
        pm.resolve(id);
        uint256 penalty = (uint256(weight) * pm.MISS_PENALTY_BIPS()) / 10_000;
        assertEq(pm.getVerifier(v).bond, weight - penalty);
        assertEq(pm.credits(treasury, IERC20(address(vbond))), penalty);
        assertEq(pm.credits(alice, _pay()), FEE);
        assertEq(pm.getVerifier(v).exitAt, block.number);
        vm.roll(block.number + 1);
        address other = v == v1 ? v2 : v1;
        for (uint256 r = 0; r < 8; ++r) {
            (bytes32 id2,,,) = _assignedAgain();
            assertEq(pm.getBounty(id2).verifier, other, "ejected verifier chosen");
        }
    }

    function _assignedAgain() internal returns (bytes32 id, Job memory job, Claim memory c, address v) {
        return _assigned();
    }

    /// Missed window on a claim someone else refuted: still the miss penalty.
    function test_missedWindow_refutedByOther() public {
        (bytes32 id, Job memory job, Claim memory c, address v) = _assigned();
        vm.warp(pm.getBounty(id).deadline + 1);
        _refuteByTimeout(id, job, c, nodes[0], challenger);
        uint96 weight = pm.getVerifier(v).weight;
        pm.resolve(id);
        assertEq(pm.getVerifier(v).bond, weight - (uint256(weight) * pm.MISS_PENALTY_BIPS()) / 10_000);
        assertEq(pm.credits(alice, _pay()), FEE);
    }

    /// Refuted by someone else within the verifier's window: refund, no penalty.
    function test_refutedByOtherInWindow_refundNoPenalty() public {
        (bytes32 id, Job memory job, Claim memory c, address v) = _assignedWindow(40 minutes);
        _refuteByTimeout(id, job, c, nodes[0], challenger);
        assertLe(block.timestamp, pm.getBounty(id).deadline);
        uint96 bond = pm.getVerifier(v).bond;
        pm.resolve(id);
        assertEq(pm.getVerifier(v).bond, bond);
        assertEq(pm.credits(alice, _pay()), FEE);
        assertEq(pm.getVerifier(v).exitAt, 0, "not ejected");
    }

    function _assignedWindow(uint32 window)
        internal
        returns (bytes32 id, Job memory job, Claim memory c, address v)
    {
        return _assignedOn("", _claim(1), window);
    }

    /// The verifier disputed and lost (the claim was honest): no fee, no bounty penalty (its game
    /// bond went to the defender).
    function test_disputedAndLost_refundNoPenalty() public {
        (bytes32 id, Job memory job, Claim memory c, address v) = _assigned();
        _loseDispute(id, job, c, nodes[0], v);
        assertTrue(pm.disputedBy(id, v));
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Answered));
        vm.expectRevert(ProofMarket.NotResolvable.selector);
        pm.resolve(id);
        vm.warp(coord.getRequest(id).finalAt);
        uint96 bond = pm.getVerifier(v).bond;
        pm.resolve(id);
        assertEq(pm.getVerifier(v).bond, bond);
        assertEq(pm.credits(alice, _pay()), FEE);
        assertEq(pm.credits(v, _pay()), 0);
    }

    function test_resolve_wrongState() public {
        (bytes32 id,,) = _armed(FULL);
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.WrongState.selector, ProofMarket.State.Armed));
        pm.resolve(id);
    }

    // ------------------------------------------------------------ unarmed refunds

    function test_refundUnarmed() public {
        (bytes32 id, Job memory job) = _posted(FULL);
        vm.expectRevert(ProofMarket.StillLive.selector);
        pm.refundUnarmed(id);
        vm.warp(block.timestamp + job.params.ttl + 1);
        coord.refundExpired(id, job);
        pm.refundUnarmed(id);
        assertEq(pm.credits(alice, _pay()), FEE);
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.WrongState.selector, ProofMarket.State.Closed));
        pm.refundUnarmed(id);
    }

    function test_refundUnarmed_answeredButWindowOver() public {
        (bytes32 id, Job memory job) = _posted(FULL);
        vm.prank(nodes[0]);
        coord.deliver(id, job, _claim(1));
        vm.expectRevert(ProofMarket.StillLive.selector);
        pm.refundUnarmed(id);
        vm.warp(block.timestamp + WINDOW);
        pm.refundUnarmed(id);
        assertEq(pm.credits(alice, _pay()), FEE);
    }

    // ------------------------------------------------------------ verifier registry

    function test_register_refusals() public {
        vm.prank(v1);
        vm.expectRevert(ProofMarket.AlreadyRegistered.selector);
        pm.register(2 ether);
        address x = makeAddr("small");
        vm.prank(x);
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.BondTooSmall.selector, uint256(1), MIN_BOND));
        pm.register(1);
        uint256 room = pm.MAX_VERIFIERS() - pm.verifiers().length;
        for (uint256 i = 0; i < room; ++i) {
            _registerVerifier(string.concat("filler", vm.toString(i)), 1 ether);
        }
        address y = makeAddr("oneTooMany");
        vm.prank(y);
        vm.expectRevert(ProofMarket.TooManyVerifiers.selector);
        pm.register(1 ether);
    }

    function test_register_feeOnTransferBondRefused() public {
        FeeOnTransferToken fot = new FeeOnTransferToken(100);
        ProofMarket m = new ProofMarket(coord, game, IERC20(address(fot)), MIN_BOND, MIN_SLASH);
        fot.mint(v1, 2 ether);
        vm.startPrank(v1);
        fot.approve(address(m), 2 ether);
        vm.expectRevert(ProofMarket.UnsupportedToken.selector);
        m.register(2 ether);
        vm.stopPrank();
    }

    function test_constructor_refusals() public {
        vm.expectRevert(ProofMarket.ZeroAddress.selector);
        new ProofMarket(coord, DisputeGame(address(0)), vbond, MIN_BOND, MIN_SLASH);
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.BondTooSmall.selector, uint256(0), uint256(1)));
        new ProofMarket(coord, game, vbond, 0, MIN_SLASH);
    }

    function test_exitAndWithdrawBond() public {
        address x = makeAddr("stranger");
        vm.prank(x);
        vm.expectRevert(ProofMarket.NotRegistered.selector);
        pm.exit();
        vm.prank(v1);
        vm.expectRevert(ProofMarket.NotExiting.selector);
        pm.withdrawBond();
        vm.prank(v1);
        pm.exit();
        vm.prank(v1);
        vm.expectRevert(ProofMarket.AlreadyExiting.selector);
        pm.exit();
        uint64 availableAt = uint64(block.number) + pm.DRAW_DELAY() + pm.DRAW_WINDOW() + 1;
        vm.prank(v1);
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.ExitPending.selector, availableAt));
        pm.withdrawBond();
        vm.roll(availableAt);
        vm.prank(v1);
        pm.withdrawBond();
        assertEq(vbond.balanceOf(v1), 2 ether);
        assertEq(pm.verifiers().length, 1);
        assertEq(pm.verifiers()[0], v2);
        vm.prank(v1);
        vm.expectRevert(ProofMarket.NotRegistered.selector);
        pm.withdrawBond();
    }

    /// An exiting verifier chosen by a draw armed before its exit keeps its bond locked until the
    /// assignment is closed.
    function test_withdrawBond_blockedByOpenAssignment() public {
        (bytes32 id,,, address v) = _assigned();
        vm.prank(v);
        pm.exit();
        vm.roll(block.number + pm.DRAW_DELAY() + pm.DRAW_WINDOW() + 1);
        vm.prank(v);
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.OpenAssignments.selector, uint32(1)));
        pm.withdrawBond();
        vm.warp(pm.getBounty(id).deadline + 1);
        pm.resolve(id);
        vm.prank(v);
        pm.withdrawBond();
        uint256 w = pm.getVerifier(v).weight; // deleted: 0
        assertEq(w, 0);
    }

    /// Removing a verifier keeps the order of the others, so a pending draw's choice among the
    /// eligible does not move.
    function test_removalKeepsOrder() public {
        address v3 = _registerVerifier("verifier3", 4 ether);
        address v4 = _registerVerifier("verifier4", 5 ether);
        vm.prank(v1);
        pm.exit();
        vm.roll(block.number + 1);
        (bytes32 id,,) = _armed(FULL);
        uint64 armBlock = uint64(block.number);
        address[] memory before = new address[](20);
        for (uint256 r = 0; r < 20; ++r) {
            before[r] = pm.pick(id, armBlock, uint256(keccak256(abi.encode("r", r))));
        }
        vm.roll(block.number + pm.DRAW_DELAY() + pm.DRAW_WINDOW() + 1);
        vm.prank(v1);
        pm.withdrawBond();
        address[] memory list = pm.verifiers();
        assertEq(list.length, 3);
        assertEq(list[0], v2);
        assertEq(list[1], v3);
        assertEq(list[2], v4);
        for (uint256 r = 0; r < 20; ++r) {
            assertEq(pm.pick(id, armBlock, uint256(keccak256(abi.encode("r", r)))), before[r]);
        }
    }

    // ------------------------------------------------------------ reentrancy

    /// A hostile bond token re-entering during its transfers gets ReentrancyGuardReentrantCall
    /// on every entry point.
    function test_reentrantToken_refused() public {
        ReentrantToken rt = new ReentrantToken();
        ProofMarket m = new ProofMarket(coord, game, IERC20(address(rt)), MIN_BOND, MIN_SLASH);
        bytes[5] memory calls = [
            abi.encodeCall(ProofMarket.withdrawBond, ()),
            abi.encodeCall(ProofMarket.withdraw, (IERC20(address(rt)))),
            abi.encodeCall(ProofMarket.register, (uint96(1 ether))),
            abi.encodeCall(ProofMarket.exit, ()),
            abi.encodeCall(ProofMarket.resolve, (bytes32(0)))
        ];
        for (uint256 i = 0; i < calls.length; ++i) {
            address who = makeAddr(string.concat("hostile", vm.toString(i)));
            rt.mint(who, 2 ether);
            vm.prank(who);
            rt.approve(address(m), 2 ether);
            rt.arm(address(m), calls[i]);
            vm.prank(who);
            m.register(2 ether);
            assertTrue(rt.attempted());
            assertFalse(rt.reentrySucceeded());
            assertEq(bytes4(rt.revertData()), ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        }
        // And on the way out (withdrawBond's transfer).
        address w = makeAddr("hostile0");
        vm.prank(w);
        m.exit();
        vm.roll(block.number + m.DRAW_DELAY() + m.DRAW_WINDOW() + 1);
        rt.arm(address(m), abi.encodeCall(ProofMarket.withdrawBond, ()));
        vm.prank(w);
        m.withdrawBond();
        assertFalse(rt.reentrySucceeded());
        assertEq(rt.balanceOf(w), 2 ether);
    }
}
