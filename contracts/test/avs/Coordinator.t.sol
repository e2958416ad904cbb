// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IAllocationManager} from "../../src/interfaces/IAllocationManager.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IStrategy} from "../../src/interfaces/IStrategy.sol";
import {AvsBase} from "./AvsBase.sol";
import {OperatorRegistry} from "../../src/avs/OperatorRegistry.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {CoordinatorAdmin} from "../../src/avs/CoordinatorAdmin.sol";
import {RequestParams, Job, Claim, Status} from "../../src/avs/CoordinatorTypes.sol";
import {RecordingConsumer} from "./mocks/Consumers.sol";

/// @notice Requests, k = 1 delivery, settlement, expiry and configuration.
contract CoordinatorTest is AvsBase {
    bytes internal constant INPUT = hex"0102030405060708";

    function test_request_escrowsAndEmits() public {
        (bytes32 id, Job memory job) = _request(_params(1), INPUT);
        assertEq(pay.balanceOf(address(coord)), _cost(1));
        assertEq(pay.balanceOf(alice), 0);
        assertEq(coord.jobHash(id), keccak256(abi.encode(job)));
        Coordinator.Request memory r = coord.getRequest(id);
        assertEq(r.seat0, address(0));
        assertEq(uint8(r.status), uint8(Status.Open));
        assertEq(r.deadline, block.timestamp + 1 hours);
        assertEq(id, keccak256(abi.encode(block.chainid, address(coord), alice, uint256(0))));
        assertEq(coord.nonce(), 1);
    }

    function test_request_idsDifferPerChainAndNonce() public {
        (bytes32 a,) = _request(_params(1), INPUT);
        (bytes32 b,) = _request(_params(1), INPUT);
        assertTrue(a != b);
        vm.chainId(999);
        (bytes32 c,) = _request(_params(1), INPUT);
        assertEq(c, keccak256(abi.encode(uint256(999), address(coord), alice, uint256(2))));
    }

    function test_request_usesCreditFirst() public {
        pay.mint(address(this), 10 ether);
        pay.approve(address(coord), type(uint256).max);
        coord.deposit(alice, _pay(), 0.5 ether);
        assertEq(coord.credits(alice, _pay()), 0.5 ether);
        _fund(alice, _cost(1) - 0.5 ether);
        vm.prank(alice);
        coord.request(_params(1), INPUT, "");
        assertEq(coord.credits(alice, _pay()), 0);
        assertEq(pay.balanceOf(alice), 0);
        coord.deposit(alice, _pay(), 5 ether);
        vm.prank(alice);
        coord.request(_params(1), INPUT, "");
        assertEq(coord.credits(alice, _pay()), 5 ether - _cost(1));
    }

    function test_request_reverts() public {
        _fund(alice, 100 ether);
        RequestParams memory p = _params(1);
        p.redundancy = 0;
        _expectRequestRevert(p, abi.encodeWithSelector(Coordinator.InvalidRedundancy.selector));
        p.redundancy = 9;
        _expectRequestRevert(p, abi.encodeWithSelector(Coordinator.InvalidRedundancy.selector));
        p = _params(1);
        p.ttl = 0;
        _expectRequestRevert(p, abi.encodeWithSelector(Coordinator.InvalidWindow.selector));
        p = _params(1);
        p.commitWindow = 2 hours;
        _expectRequestRevert(p, abi.encodeWithSelector(Coordinator.InvalidWindow.selector));
        p = _params(3);
        p.commitWindow = 0;
        _expectRequestRevert(p, abi.encodeWithSelector(Coordinator.InvalidWindow.selector));
        p = _params(1);
        p.modelRoot = bytes32(uint256(1));
        _expectRequestRevert(
            p, abi.encodeWithSelector(Coordinator.ModelNotUsable.selector, bytes32(uint256(1)))
        );
    }

    function test_request_licensedModelRefusesUnpricedToken() public {
        vm.prank(creator);
        models.setLicensed(MODEL, true);
        _fund(alice, 100 ether);
        RequestParams memory p = _params(1);
        p.token = IERC20(address(rewardToken));
        _expectRequestRevert(p, abi.encodeWithSelector(Coordinator.ModelNotUsable.selector, MODEL));
        p.token = _pay();
        vm.prank(alice);
        coord.request(p, INPUT, "");
    }

    function test_request_withoutAllowanceReverts() public {
        pay.mint(alice, 100 ether);
        vm.prank(alice);
        vm.expectRevert();
        coord.request(_params(1), INPUT, "");
    }

    function _expectRequestRevert(RequestParams memory p, bytes memory err) internal {
        vm.prank(alice);
        vm.expectRevert(err);
        coord.request(p, INPUT, "");
    }

    // ---------------------------------------------------------------- deliver

    function test_deliver_answersAndCallsBack() public {
        RecordingConsumer c = _consumer();
        (bytes32 id, Job memory job) = _consumerRequest(c, _params(1));
        Claim memory cl = _claim(3);
        vm.prank(nodes[0]);
        coord.deliver(id, job, cl);
        Coordinator.Request memory r = coord.getRequest(id);
        assertEq(uint8(r.status), uint8(Status.Answered));
        assertEq(r.finalAt, block.timestamp + WINDOW);
        assertEq(coord.seatOf(id, 0), nodes[0]);
        assertEq(coord.answerOf(id), coord.hashClaim(cl));
        assertEq(c.calls(), 1);
        assertEq(c.lastId(), id);
        assertEq(c.lastOutput(), cl.output);
    }

    function test_deliver_afterWindowDefersCallbackToSettle() public {
        RecordingConsumer c = _consumer();
        RequestParams memory p = _params(1);
        p.afterWindow = true;
        (bytes32 id, Job memory job) = _consumerRequest(c, p);
        Claim memory cl = _claim(4);
        vm.prank(nodes[0]);
        coord.deliver(id, job, cl);
        assertEq(c.calls(), 0);
        vm.warp(block.timestamp + WINDOW);
        vm.expectRevert(Coordinator.WrongClaim.selector);
        coord.settle(id, job, _claim(5));
        coord.settle(id, job, cl);
        assertEq(c.calls(), 1);
        assertEq(c.lastOutput(), cl.output);
    }

    function test_deliver_reverts() public {
        (bytes32 id, Job memory job) = _request(_params(1), INPUT);
        Claim memory cl = _claim(1);
        address stranger = makeAddr("stranger");
        vm.prank(stranger);
        vm.expectRevert(Coordinator.NotAssigned.selector);
        coord.deliver(id, job, cl);
        Job memory bad = _copy(job);
        bad.royalty = 0;
        vm.prank(nodes[0]);
        vm.expectRevert(Coordinator.JobMismatch.selector);
        coord.deliver(id, bad, cl);
        vm.prank(nodes[0]);
        vm.expectRevert(abi.encodeWithSelector(Coordinator.WrongStatus.selector, Status.None));
        coord.deliver(bytes32(uint256(1)), job, cl);
        vm.prank(nodes[0]);
        coord.deliver(id, job, cl);
        vm.prank(nodes[1]);
        vm.expectRevert(abi.encodeWithSelector(Coordinator.WrongStatus.selector, Status.Answered));
        coord.deliver(id, job, cl);
    }

    function test_deliver_assignedMustServe() public {
        RequestParams memory p = _params(1);
        p.assigned = makeAddr("stranger");
        (bytes32 id, Job memory job) = _request(p, INPUT);
        vm.prank(p.assigned);
        vm.expectRevert(Coordinator.NotServing.selector);
        coord.deliver(id, job, _claim(1));
    }

    function test_deliver_refusesPricierNode() public {
        address pricey = _stakedNode("pricey", STAKE, PRICE + 1);
        RequestParams memory p = _params(1);
        p.assigned = pricey;
        (bytes32 id, Job memory job) = _request(p, INPUT);
        vm.prank(pricey);
        vm.expectRevert(Coordinator.NotServing.selector);
        coord.deliver(id, job, _claim(1));
        vm.prank(pricey);
        vm.expectRevert(Coordinator.NotServing.selector);
        coord.commit(id, job, keccak256("c"));
    }

    function test_deliver_inputRootMustMatch() public {
        RequestParams memory p = _params(1);
        p.inputRoot = keccak256("input-root");
        (bytes32 id, Job memory job) = _request(p, "");
        Claim memory cl = _claim(1);
        vm.prank(nodes[0]);
        vm.expectRevert(Coordinator.InputRootMismatch.selector);
        coord.deliver(id, job, cl);
        cl.inputRoot = p.inputRoot;
        vm.prank(nodes[0]);
        coord.deliver(id, job, cl);
    }

    function test_deliver_afterDeadlineRefused(uint32 late) public {
        late = uint32(bound(late, 1, 365 days));
        (bytes32 id, Job memory job) = _request(_params(1), INPUT);
        vm.warp(block.timestamp + 1 hours + late);
        vm.prank(nodes[0]);
        vm.expectRevert(Coordinator.PastDeadline.selector);
        coord.deliver(id, job, _claim(1));
    }

    /// Only the assigned node delivers in one step. Any other node commits (after the assigned
    /// node's window) and reveals; the assigned node's own late delivery then finds the seat taken.
    function test_k1_othersCommitAndRevealAfterTheWindow() public {
        RequestParams memory p = _params(1);
        p.assigned = nodes[2];
        p.commitWindow = 5 minutes;
        (bytes32 id, Job memory job) = _request(p, INPUT);
        Claim memory c = _claim(1);
        vm.prank(nodes[0]);
        vm.expectRevert(Coordinator.NotAssigned.selector);
        coord.deliver(id, job, c);
        vm.prank(nodes[0]);
        vm.expectRevert(Coordinator.NotAssigned.selector);
        coord.commit(id, job, keccak256("c"));
        vm.warp(block.timestamp + 5 minutes + 1);
        vm.prank(nodes[0]);
        vm.expectRevert(Coordinator.NotAssigned.selector);
        coord.deliver(id, job, c);
        _commit(id, job, nodes[0], c);
        vm.prank(nodes[2]);
        vm.expectRevert(Coordinator.SeatsFull.selector);
        coord.deliver(id, job, c);
        _reveal(id, job, 0, nodes[0], c);
        assertEq(coord.seatOf(id, 0), nodes[0]);
        assertEq(coord.answerOf(id), coord.hashClaim(c));
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Answered));
    }

    /// Attack (#15, k = 1 copying): a node that sees another's answer in the mempool cannot
    /// deliver it first. The answer is only ever public in the reveal, when the seat is taken.
    function test_attack_k1AnswerCannotBeCopiedFromTheMempool() public {
        RequestParams memory p = _params(1);
        p.assigned = address(0);
        (bytes32 id, Job memory job) = _request(p, INPUT);
        Claim memory c = _claim(1);
        bytes32 salt = keccak256(abi.encode(nodes[0], "salt"));
        _commit(id, job, nodes[0], c);
        // The copier sees the commitment (a hash) and then the reveal with claim and salt.
        vm.prank(nodes[1]);
        vm.expectRevert(Coordinator.NotAssigned.selector);
        coord.deliver(id, job, c);
        bytes32 copied = coord.commitmentOf(id, nodes[1], coord.hashClaim(c), salt);
        vm.prank(nodes[1]);
        vm.expectRevert(Coordinator.SeatsFull.selector);
        coord.commit(id, job, copied);
        vm.prank(nodes[1]);
        vm.expectRevert(Coordinator.NoSeat.selector);
        coord.reveal(id, job, 0, c, salt);
        _reveal(id, job, 0, nodes[0], c);
        vm.warp(block.timestamp + WINDOW);
        coord.settle(id, job, c);
        assertEq(rc.accrued(nodes[1], _pay()), 0);
        assertGt(rc.accrued(nodes[0], _pay()), 0);
    }

    /// A node that takes the seat and never reveals is slashed WITHHELD_REVEAL_WAD of its
    /// allocation (to the treasury) and faulted; the consumer gets its escrow back.
    function test_withheldRevealIsSlashed() public {
        RequestParams memory p = _params(1);
        p.assigned = address(0);
        (bytes32 id, Job memory job) = _request(p, INPUT);
        _commit(id, job, nodes[1], _claim(1));
        vm.warp(block.timestamp + 1 hours + 1);
        vm.expectEmit(address(coord));
        emit Coordinator.OperatorSlashed(id, nodes[1], coord.WITHHELD_REVEAL_WAD(), false);
        coord.refundExpired(id, job);
        assertEq(registry.faults(nodes[1]), 1);
        assertEq(coord.credits(alice, _pay()), _cost(1));
        uint256 taken = (STAKE * coord.WITHHELD_REVEAL_WAD()) / 1e18;
        assertEq(coord.credits(treasury, _tokenOf(0)), taken);
        assertEq(_slashable(_set(), nodes[1], strategies[0]), STAKE - taken);
        assertEq(coord.openClaims(nodes[1]), 0);
    }

    function test_deliver_assignedMayDeliverInWindow() public {
        RequestParams memory p = _params(1);
        p.assigned = nodes[2];
        p.commitWindow = 5 minutes;
        (bytes32 id, Job memory job) = _request(p, INPUT);
        vm.prank(nodes[2]);
        coord.deliver(id, job, _claim(1));
    }

    function test_deliver_starvedCallbackGasReverts() public {
        RecordingConsumer c = _consumer();
        RequestParams memory p = _params(1);
        p.callbackGasLimit = 500_000;
        (bytes32 id, Job memory job) = _consumerRequest(c, p);
        vm.prank(nodes[0]);
        vm.expectRevert(Coordinator.InsufficientGas.selector);
        coord.deliver{gas: 400_000}(id, job, _claim(1));
        vm.prank(nodes[0]);
        coord.deliver{gas: 700_000}(id, job, _claim(1));
        assertEq(c.calls(), 1);
    }

    // ---------------------------------------------------------------- settle

    function test_settle_splitsFees() public {
        (bytes32 id, Job memory job) = _request(_params(1), INPUT);
        vm.prank(nodes[0]);
        coord.deliver(id, job, _claim(1));
        vm.expectRevert(Coordinator.NotDue.selector);
        coord.settle(id, job, _claim(1));
        vm.warp(block.timestamp + WINDOW);
        uint256 before = rc.totalFunded(_pay());
        coord.settle(id, job, _claim(1));
        assertEq(rc.totalFunded(_pay()) - before, PRICE);
        assertApproxEqAbs(rc.claimable(nodes[0], _pay(), _one(strategies[0])), PRICE, 2);
        assertEq(coord.credits(treasury, _pay()), (uint256(PRICE) * FEE_BIPS) / 10_000);
        assertEq(coord.credits(creator, _pay()), ROYALTY);
        assertEq(coord.credits(alice, _pay()), 0);
        assertEq(pay.balanceOf(address(coord)), _cost(1) - PRICE);
        vm.expectRevert(abi.encodeWithSelector(Coordinator.WrongStatus.selector, Status.Settled));
        coord.settle(id, job, _claim(1));
        vm.prank(creator);
        coord.withdraw(_pay(), creator);
        assertEq(pay.balanceOf(creator), ROYALTY);
        vm.prank(creator);
        vm.expectRevert(Coordinator.NothingToWithdraw.selector);
        coord.withdraw(_pay(), creator);
    }

    function test_settle_delegatorsShareNodePrice() public {
        address staker = makeAddr("staker");
        _deposit(staker, 0, STAKE);
        _delegate(staker, nodes[0]);
        (bytes32 id, Job memory job) = _request(_params(1), INPUT);
        vm.prank(nodes[0]);
        coord.deliver(id, job, _claim(1));
        vm.warp(block.timestamp + WINDOW);
        coord.settle(id, job, _claim(1));
        uint256 commission = (uint256(PRICE) * 1_000) / 10_000;
        assertEq(rc.accrued(nodes[0], _pay()), commission);
        assertApproxEqAbs(rc.claimable(staker, _pay(), _one(strategies[0])), (PRICE - commission) / 2, 2);
    }

    /// Issue attack 4a: a node cannot leave Sigil's set (which would end its slashability after
    /// the core's deallocation delay) while a claim of it can still be disputed; once the claim
    /// is final it can.
    function test_nodeWithAnOpenClaimCannotLeave() public {
        (bytes32 id, Job memory job) = _request(_params(1), INPUT);
        vm.prank(nodes[0]);
        coord.deliver(id, job, _claim(1));
        assertEq(coord.openClaims(nodes[0]), 1);
        vm.prank(nodes[0]);
        vm.expectRevert(abi.encodeWithSelector(OperatorRegistry.ClaimsOpen.selector, nodes[0], 1));
        am.deregisterFromOperatorSets(
            IAllocationManager.DeregisterParams(nodes[0], address(coord), _ids(SET_ID))
        );
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(OperatorRegistry.ClaimsOpen.selector, nodes[0], 1));
        registry.eject(nodes[0]);
        vm.warp(block.timestamp + WINDOW);
        coord.settle(id, job, _claim(1));
        assertEq(coord.openClaims(nodes[0]), 0);
        assertEq(pay.allowance(address(coord), address(rc)), 0);
        vm.prank(nodes[0]);
        am.deregisterFromOperatorSets(
            IAllocationManager.DeregisterParams(nodes[0], address(coord), _ids(SET_ID))
        );
        assertFalse(registry.isActive(nodes[0]));
    }

    function test_settle_reverts() public {
        (bytes32 id, Job memory job) = _request(_params(1), INPUT);
        vm.expectRevert(abi.encodeWithSelector(Coordinator.WrongStatus.selector, Status.Open));
        coord.settle(id, job, _claim(1));
        Job memory bad = _copy(job);
        bad.feeBips = 0;
        vm.expectRevert(Coordinator.JobMismatch.selector);
        coord.settle(id, bad, _claim(1));
    }

    // ---------------------------------------------------------------- expiry

    function test_refundExpired_refundsAndFaultsAssigned() public {
        RequestParams memory p = _params(1);
        p.assigned = nodes[1];
        p.commitWindow = 10 minutes;
        (bytes32 id, Job memory job) = _request(p, INPUT);
        vm.expectRevert(Coordinator.NotDue.selector);
        coord.refundExpired(id, job);
        vm.warp(block.timestamp + 1 hours + 1);
        coord.refundExpired(id, job);
        assertEq(coord.credits(alice, _pay()), _cost(1));
        assertEq(registry.faults(nodes[1]), 1);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Refunded));
        vm.expectRevert(abi.encodeWithSelector(Coordinator.WrongStatus.selector, Status.Refunded));
        coord.refundExpired(id, job);
        vm.prank(alice);
        coord.withdraw(_pay(), alice);
        assertEq(pay.balanceOf(alice), _cost(1));
    }

    function test_refundExpired_answeredCannotExpire() public {
        (bytes32 id, Job memory job) = _request(_params(1), INPUT);
        vm.prank(nodes[0]);
        coord.deliver(id, job, _claim(1));
        vm.warp(block.timestamp + 2 hours);
        vm.expectRevert(abi.encodeWithSelector(Coordinator.WrongStatus.selector, Status.Answered));
        coord.refundExpired(id, job);
    }

    // ---------------------------------------------------------------- admin

    function test_admin_boundsAndAccess() public {
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(CoordinatorAdmin.InvalidBips.selector, uint16(2_001)));
        coord.setFeeBips(2_001);
        vm.expectRevert(abi.encodeWithSelector(CoordinatorAdmin.WindowTooLong.selector, uint32(31 days)));
        coord.setChallengeWindow(31 days);
        // The proof market is set once: the owner cannot repoint the slashing hooks.
        vm.expectRevert(CoordinatorAdmin.AlreadyInitialized.selector);
        coord.setProofMarket(alice);
        vm.expectRevert(CoordinatorAdmin.ZeroAddress.selector);
        coord.setTreasury(address(0));
        vm.expectRevert(CoordinatorAdmin.AlreadyInitialized.selector);
        coord.initializeAVS("x", new IStrategy[](0), strategies[0]);
        coord.setTreasury(alice);
        coord.setRewardStrategy(strategies[1]);
        vm.stopPrank();
        assertEq(coord.treasury(), alice);
        vm.prank(alice);
        vm.expectRevert();
        coord.setFeeBips(1);
    }

    function test_feeChangeAppliesToLaterRequestsOnly() public {
        (bytes32 id, Job memory job) = _request(_params(1), INPUT);
        vm.prank(owner);
        coord.setFeeBips(2_000);
        vm.prank(nodes[0]);
        coord.deliver(id, job, _claim(1));
        vm.warp(block.timestamp + WINDOW);
        coord.settle(id, job, _claim(1));
        assertEq(coord.credits(treasury, _pay()), (uint256(PRICE) * FEE_BIPS) / 10_000);
    }

    // ---------------------------------------------------------------- helpers

    function _copy(Job memory job) internal pure returns (Job memory) {
        return abi.decode(abi.encode(job), (Job));
    }

    function _consumer() internal returns (RecordingConsumer c) {
        c = new RecordingConsumer(coord);
        c.approve(address(pay));
        pay.mint(address(c), 100 ether);
    }

    function _consumerRequest(RecordingConsumer c, RequestParams memory p)
        internal
        returns (bytes32 id, Job memory job)
    {
        job = _jobFor(address(c), p, INPUT);
        id = c.request(p, INPUT);
    }
}
