// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {AvsBase} from "./AvsBase.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {RequestParams, Job, Claim, SubscriptionTerms, Status} from "../../src/avs/CoordinatorTypes.sol";

/// @notice Recurring requests: up-front funding, periods, intervals, cancellation with refund.
contract SubscriptionsTest is AvsBase {
    bytes internal constant INPUT = hex"0a0b";
    uint32 internal constant PERIOD = 1 days;

    function _subscribe(uint16 n) internal returns (uint256 subId, SubscriptionTerms memory t) {
        RequestParams memory p = _params(1);
        _fund(alice, uint256(n) * _cost(1));
        t = SubscriptionTerms(p, keccak256(INPUT), creator, ROYALTY, FEE_BIPS, PERIOD);
        vm.prank(alice);
        subId = coord.subscribe(p, INPUT, "", PERIOD, n);
    }

    function _jobOf(SubscriptionTerms memory t, uint256 subId) internal view returns (Job memory) {
        return Job(
            alice,
            t.params,
            t.inputHash,
            t.creator,
            t.royalty,
            t.feeBips,
            WINDOW,
            uint32(block.timestamp),
            subId
        );
    }

    function test_subscribe_fundsUpFront() public {
        (uint256 subId,) = _subscribe(3);
        assertEq(pay.balanceOf(address(coord)), 3 * _cost(1));
        (address consumer, uint32 nextAt, uint32 period, uint16 remaining,) = coord.subscriptions(subId);
        assertEq(consumer, alice);
        assertEq(nextAt, block.timestamp);
        assertEq(period, PERIOD);
        assertEq(remaining, 3);
    }

    function test_subscribe_reverts() public {
        RequestParams memory p = _params(1);
        _fund(alice, 10 * _cost(1));
        vm.startPrank(alice);
        vm.expectRevert(Coordinator.NoIntervals.selector);
        coord.subscribe(p, INPUT, "", PERIOD, 0);
        vm.expectRevert(Coordinator.NoIntervals.selector);
        coord.subscribe(p, INPUT, "", 0, 1);
        p.modelRoot = bytes32(uint256(5));
        vm.expectRevert(abi.encodeWithSelector(Coordinator.ModelNotUsable.selector, bytes32(uint256(5))));
        coord.subscribe(p, INPUT, "", PERIOD, 1);
        vm.stopPrank();
    }

    function test_trigger_periodsAndIntervals() public {
        (uint256 subId, SubscriptionTerms memory t) = _subscribe(2);
        Job memory job = _jobOf(t, subId);
        bytes32 id = coord.trigger(subId, t);
        assertEq(coord.jobHash(id), keccak256(abi.encode(job)));
        assertEq(coord.getRequest(id).k, 1);
        vm.expectRevert(Coordinator.NotDue.selector);
        coord.trigger(subId, t);
        vm.prank(nodes[0]);
        coord.deliver(id, job, _claim(1));
        vm.warp(block.timestamp + PERIOD);
        bytes32 id2 = coord.trigger(subId, t);
        assertTrue(id2 != id);
        vm.warp(block.timestamp + PERIOD);
        vm.expectRevert(Coordinator.NoIntervals.selector);
        coord.trigger(subId, t);
        vm.warp(block.timestamp + WINDOW);
        coord.settle(id, job, _claim(1));
        assertEq(pay.balanceOf(address(coord)), 2 * _cost(1) - PRICE);
    }

    function test_trigger_wrongTermsRefused() public {
        (uint256 subId, SubscriptionTerms memory t) = _subscribe(2);
        t.royalty = 0;
        vm.expectRevert(Coordinator.JobMismatch.selector);
        coord.trigger(subId, t);
    }

    function test_cancel_refundsUnusedIntervals(uint16 n, uint16 used) public {
        n = uint16(bound(n, 1, 20));
        used = uint16(bound(used, 0, n));
        (uint256 subId, SubscriptionTerms memory t) = _subscribe(n);
        for (uint256 i = 0; i < used; ++i) {
            coord.trigger(subId, t);
            vm.warp(block.timestamp + PERIOD);
        }
        vm.expectRevert(Coordinator.NotConsumer.selector);
        coord.cancelSubscription(subId, t);
        vm.prank(alice);
        coord.cancelSubscription(subId, t);
        assertEq(coord.credits(alice, _pay()), uint256(n - used) * _cost(1));
        vm.expectRevert(Coordinator.NoIntervals.selector);
        coord.trigger(subId, t);
        vm.prank(alice);
        coord.cancelSubscription(subId, t);
        assertEq(coord.credits(alice, _pay()), uint256(n - used) * _cost(1));
    }

    function test_subscriptionRequestExpiresToCredit() public {
        (uint256 subId, SubscriptionTerms memory t) = _subscribe(1);
        Job memory job = _jobOf(t, subId);
        bytes32 id = coord.trigger(subId, t);
        vm.warp(block.timestamp + 1 hours + 1);
        coord.refundExpired(id, job);
        assertEq(coord.credits(alice, _pay()), _cost(1));
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Refunded));
    }
}
