// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {AvsBase} from "./AvsBase.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {RequestParams, Job, Claim, Status} from "../../src/avs/CoordinatorTypes.sol";

/// @notice k > 1: seats, commit-reveal, agreement, conflicts, silent nodes.
contract CoordinatorRedundancyTest is AvsBase {
    bytes internal constant INPUT = hex"aabbccdd";

    function _open3() internal returns (bytes32 id, Job memory job) {
        (id, job) = _request(_params(3), INPUT);
    }

    function test_threeAgree_answerAndSettle() public {
        (bytes32 id, Job memory job) = _open3();
        Claim memory c = _claim(7);
        for (uint8 i = 0; i < 3; ++i) {
            _commit(id, job, nodes[i], c);
        }
        for (uint8 i = 0; i < 3; ++i) {
            _reveal(id, job, i, nodes[i], c);
        }
        Coordinator.Request memory r = coord.getRequest(id);
        assertEq(uint8(r.status), uint8(Status.Answered));
        assertEq(r.revealedMask, 7);
        assertEq(coord.answerOf(id), coord.hashClaim(c));
        vm.warp(block.timestamp + WINDOW);
        coord.settle(id, job, c);
        assertEq(coord.credits(treasury, _pay()), 3 * (uint256(PRICE) * FEE_BIPS) / 10_000);
        assertEq(coord.credits(alice, _pay()), 0);
        assertEq(pay.balanceOf(address(coord)), _cost(3) - 3 * PRICE);
    }

    function test_firstKCommittersTakeSeats() public {
        (bytes32 id, Job memory job) = _open3();
        Claim memory c = _claim(1);
        for (uint8 i = 0; i < 3; ++i) {
            _commit(id, job, nodes[i], c);
        }
        bytes32 commitment = coord.commitmentOf(id, nodes[3], coord.hashClaim(c), keccak256("s"));
        vm.prank(nodes[3]);
        vm.expectRevert(Coordinator.SeatsFull.selector);
        coord.commit(id, job, commitment);
    }

    function test_commit_oneSeatPerNode() public {
        (bytes32 id, Job memory job) = _open3();
        _commit(id, job, nodes[0], _claim(1));
        vm.prank(nodes[0]);
        vm.expectRevert(Coordinator.AlreadyAnswered.selector);
        coord.commit(id, job, keccak256("other"));
    }

    function test_commit_afterWindowRefused() public {
        (bytes32 id, Job memory job) = _open3();
        vm.warp(block.timestamp + 10 minutes + 1);
        vm.prank(nodes[0]);
        vm.expectRevert(Coordinator.CommitPhaseClosed.selector);
        coord.commit(id, job, keccak256("c"));
    }

    function test_commit_strangerRefused() public {
        (bytes32 id, Job memory job) = _open3();
        vm.prank(makeAddr("stranger"));
        vm.expectRevert(Coordinator.NotServing.selector);
        coord.commit(id, job, keccak256("c"));
    }

    function test_assignedKeepsLastSeatDuringWindow() public {
        RequestParams memory p = _params(3);
        p.assigned = nodes[3];
        (bytes32 id, Job memory job) = _request(p, INPUT);
        Claim memory c = _claim(2);
        _commit(id, job, nodes[0], c);
        _commit(id, job, nodes[1], c);
        vm.prank(nodes[2]);
        vm.expectRevert(Coordinator.NotAssigned.selector);
        coord.commit(id, job, keccak256("c"));
        _commit(id, job, nodes[3], c);
        assertEq(coord.seatOf(id, 2), nodes[3]);
    }

    function test_assignedAlreadySeatedFreesNothing() public {
        RequestParams memory p = _params(3);
        p.assigned = nodes[0];
        (bytes32 id, Job memory job) = _request(p, INPUT);
        Claim memory c = _claim(2);
        _commit(id, job, nodes[0], c);
        _commit(id, job, nodes[1], c);
        _commit(id, job, nodes[2], c);
        assertEq(coord.getRequest(id).commits, 3);
    }

    function test_revealBeforeCommitPhaseClosesRefused() public {
        (bytes32 id, Job memory job) = _open3();
        Claim memory c = _claim(1);
        _commit(id, job, nodes[0], c);
        _commit(id, job, nodes[1], c);
        bytes32 salt = keccak256(abi.encode(nodes[0], "salt"));
        vm.prank(nodes[0]);
        vm.expectRevert(Coordinator.CommitPhaseOpen.selector);
        coord.reveal(id, job, 0, c, salt);
        _commit(id, job, nodes[2], c);
        _reveal(id, job, 0, nodes[0], c);
        _reveal(id, job, 1, nodes[1], c);
        _reveal(id, job, 2, nodes[2], c);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Answered));
    }

    /// Issue 15: a request is never answered by fewer seats than it paid for. With two of three
    /// seats taken when the commit window closes, nobody can reveal; anyone refunds the request at
    /// once, and the seated nodes, which did nothing wrong, get no fault.
    function test_fewerThanKSeats_noAnswer_refundedAtOnce() public {
        (bytes32 id, Job memory job) = _open3();
        Claim memory c = _claim(1);
        _commit(id, job, nodes[0], c);
        _commit(id, job, nodes[1], c);
        vm.expectRevert(Coordinator.NotDue.selector);
        coord.refundExpired(id, job);
        vm.warp(block.timestamp + 10 minutes + 1);
        bytes32 salt = keccak256(abi.encode(nodes[0], "salt"));
        vm.prank(nodes[0]);
        vm.expectRevert(Coordinator.TooFewSeats.selector);
        coord.reveal(id, job, 0, c, salt);
        coord.refundExpired(id, job);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Refunded));
        assertEq(coord.credits(alice, _pay()), _cost(3));
        assertEq(registry.faults(nodes[0]), 0);
        assertEq(registry.faults(nodes[1]), 0);
        assertEq(coord.openClaims(nodes[0]), 0);
    }

    function test_reveal_mustMatchCommit(bytes32 salt, uint8 label) public {
        (bytes32 id, Job memory job) = _open3();
        Claim memory c = _claim(1);
        for (uint8 i = 0; i < 3; ++i) {
            _commit(id, job, nodes[i], c);
        }
        vm.assume(label != 1);
        vm.assume(salt != keccak256(abi.encode(nodes[0], "salt")));
        Claim memory other = _claim(label);
        bytes32 goodSalt = keccak256(abi.encode(nodes[0], "salt"));
        vm.startPrank(nodes[0]);
        vm.expectRevert(Coordinator.RevealMismatch.selector);
        coord.reveal(id, job, 0, other, goodSalt);
        vm.expectRevert(Coordinator.RevealMismatch.selector);
        coord.reveal(id, job, 0, c, salt);
        vm.stopPrank();
    }

    function test_copiedCommitCannotBeRevealed() public {
        (bytes32 id, Job memory job) = _open3();
        Claim memory c = _claim(4);
        bytes32 salt = keccak256(abi.encode(nodes[0], "salt"));
        bytes32 commitment = coord.commitmentOf(id, nodes[0], coord.hashClaim(c), salt);
        vm.prank(nodes[0]);
        coord.commit(id, job, commitment);
        vm.prank(nodes[1]);
        coord.commit(id, job, commitment);
        _commit(id, job, nodes[2], c);
        vm.prank(nodes[1]);
        vm.expectRevert(Coordinator.RevealMismatch.selector);
        coord.reveal(id, job, 1, c, salt);
    }

    function test_reveal_wrongSeatOrTwice() public {
        (bytes32 id, Job memory job) = _open3();
        Claim memory c = _claim(1);
        for (uint8 i = 0; i < 3; ++i) {
            _commit(id, job, nodes[i], c);
        }
        bytes32 salt = keccak256(abi.encode(nodes[0], "salt"));
        vm.prank(nodes[0]);
        vm.expectRevert(Coordinator.NoSeat.selector);
        coord.reveal(id, job, 1, c, salt);
        vm.prank(nodes[0]);
        vm.expectRevert(Coordinator.NoSeat.selector);
        coord.reveal(id, job, 5, c, salt);
        _reveal(id, job, 0, nodes[0], c);
        vm.prank(nodes[0]);
        vm.expectRevert(Coordinator.AlreadyRevealed.selector);
        coord.reveal(id, job, 0, c, salt);
    }

    function test_disagreementIsConflict_resolvedByMarket() public {
        (bytes32 id, Job memory job) = _open3();
        Claim memory good = _claim(1);
        Claim memory bad = _claim(2);
        _commit(id, job, nodes[0], good);
        _commit(id, job, nodes[1], bad);
        _commit(id, job, nodes[2], good);
        _reveal(id, job, 0, nodes[0], good);
        _reveal(id, job, 1, nodes[1], bad);
        _reveal(id, job, 2, nodes[2], good);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Conflict));
        vm.warp(block.timestamp + 2 hours);
        vm.expectRevert(abi.encodeWithSelector(Coordinator.WrongStatus.selector, Status.Conflict));
        coord.settle(id, job, good);
        vm.expectRevert(abi.encodeWithSelector(Coordinator.WrongStatus.selector, Status.Conflict));
        coord.refundExpired(id, job);
        vm.expectRevert();
        coord.resolveConflict(id, job, good);
        vm.startPrank(market);
        coord.slashOperator(id, job, nodes[1], 0.5e18);
        vm.expectRevert(Coordinator.WrongClaim.selector);
        coord.resolveConflict(id, job, bad);
        vm.expectRevert(Coordinator.WrongClaim.selector);
        coord.resolveConflict(id, job, _claim(9));
        coord.resolveConflict(id, job, good);
        vm.stopPrank();
        // The resolved answer has a challenge window of its own before it settles.
        Coordinator.Request memory r = coord.getRequest(id);
        assertEq(uint8(r.status), uint8(Status.Answered));
        assertEq(r.finalAt, block.timestamp + job.challengeWindow);
        vm.expectRevert(Coordinator.NotDue.selector);
        coord.settle(id, job, good);
        vm.warp(r.finalAt);
        coord.settle(id, job, good);
        uint256 perNode = PRICE + (uint256(PRICE) * FEE_BIPS) / 10_000;
        assertEq(coord.credits(alice, _pay()), perNode);
        assertEq(coord.credits(treasury, _pay()), 2 * (uint256(PRICE) * FEE_BIPS) / 10_000);
    }

    function test_silentNodesFaultedOnExpiry() public {
        RequestParams memory p = _params(3);
        p.assigned = nodes[3];
        (bytes32 id, Job memory job) = _request(p, INPUT);
        Claim memory c = _claim(1);
        _commit(id, job, nodes[0], c);
        _commit(id, job, nodes[1], c);
        vm.warp(block.timestamp + 1 hours + 1); // the commit window closed with two seats
        coord.refundExpired(id, job);
        assertEq(registry.faults(nodes[0]), 0);
        assertEq(registry.faults(nodes[1]), 0);
        assertEq(registry.faults(nodes[3]), 1, "the assigned node took no seat");
        assertEq(coord.credits(alice, _pay()), _cost(3));
    }

    /// All k seats taken, one never reveals: at the deadline it is faulted, the others are not.
    function test_silentSeatFaultedOnExpiry() public {
        (bytes32 id, Job memory job) = _open3();
        Claim memory c = _claim(1);
        _commit(id, job, nodes[0], c);
        _commit(id, job, nodes[1], c);
        _commit(id, job, nodes[2], c);
        _reveal(id, job, 0, nodes[0], c);
        _reveal(id, job, 1, nodes[1], c);
        vm.warp(block.timestamp + 1 hours + 1);
        coord.refundExpired(id, job);
        assertEq(registry.faults(nodes[0]), 0);
        assertEq(registry.faults(nodes[1]), 0);
        assertEq(registry.faults(nodes[2]), 1);
        assertEq(coord.credits(alice, _pay()), _cost(3));
        // Only the silent seat loses stake: WITHHELD_REVEAL_WAD of its allocation, to the treasury.
        uint256 taken = (STAKE * coord.WITHHELD_REVEAL_WAD()) / 1e18;
        assertEq(_slashable(_set(), nodes[0], strategies[0]), STAKE);
        assertEq(_slashable(_set(), nodes[1], strategies[0]), STAKE);
        assertEq(_slashable(_set(), nodes[2], strategies[0]), STAKE - taken);
        assertEq(coord.credits(treasury, _tokenOf(0)), taken);
    }

    function test_cost_fuzz(uint96 price, uint8 k, uint16 bips, uint96 royalty) public view {
        k = uint8(bound(k, 1, 8));
        bips = uint16(bound(bips, 0, 2_000));
        uint256 fee = (uint256(price) * bips) / 10_000;
        assertEq(coord.cost(price, k, bips, royalty), uint256(k) * (price + fee) + royalty);
    }
}
