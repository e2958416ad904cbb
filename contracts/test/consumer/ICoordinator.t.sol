// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {AvsBase} from "../avs/AvsBase.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {ModelRegistry} from "../../src/avs/ModelRegistry.sol";
import {OperatorRegistry} from "../../src/avs/OperatorRegistry.sol";
import {RequestParams, Job, Claim, SubscriptionTerms, Status} from "../../src/avs/CoordinatorTypes.sol";
import {ICoordinator, IModelTerms, IOperatorQuotes} from "../../src/consumer/ICoordinator.sol";

/// @notice ICoordinator declares exactly the Coordinator's signatures: every function selector,
///         event topic and error selector of the interface equals the Coordinator's, the listed
///         functions are all of the interface's (its ERC-165 id is their XOR), and calls through
///         the interface decode the Coordinator's answers.
contract ICoordinatorTest is AvsBase {
    /// Every function of ICoordinator with the Coordinator's selector of the same name (public
    /// variables' getters are read from the deployed instance's type: `coord.x.selector`).
    function _pairs() internal view returns (bytes4[2][] memory p) {
        p = new bytes4[2][](29);
        p[0] = [ICoordinator.request.selector, Coordinator.request.selector];
        p[1] = [ICoordinator.requestRouted.selector, Coordinator.requestRouted.selector];
        p[2] = [ICoordinator.cost.selector, Coordinator.cost.selector];
        p[3] = [ICoordinator.hashClaim.selector, Coordinator.hashClaim.selector];
        p[4] = [ICoordinator.settle.selector, Coordinator.settle.selector];
        p[5] = [ICoordinator.refundExpired.selector, Coordinator.refundExpired.selector];
        p[6] = [ICoordinator.subscribe.selector, Coordinator.subscribe.selector];
        p[7] = [ICoordinator.trigger.selector, Coordinator.trigger.selector];
        p[8] = [ICoordinator.cancelSubscription.selector, Coordinator.cancelSubscription.selector];
        p[9] = [ICoordinator.deposit.selector, Coordinator.deposit.selector];
        p[10] = [ICoordinator.withdraw.selector, Coordinator.withdraw.selector];
        p[11] = [ICoordinator.credits.selector, coord.credits.selector];
        p[12] = [ICoordinator.getRequest.selector, Coordinator.getRequest.selector];
        p[13] = [ICoordinator.answerOf.selector, Coordinator.answerOf.selector];
        p[14] = [ICoordinator.jobHash.selector, coord.jobHash.selector];
        p[15] = [ICoordinator.seatOf.selector, Coordinator.seatOf.selector];
        p[16] = [ICoordinator.subscriptions.selector, coord.subscriptions.selector];
        p[17] = [ICoordinator.nonce.selector, coord.nonce.selector];
        p[18] = [ICoordinator.subscriptionCount.selector, coord.subscriptionCount.selector];
        p[19] = [ICoordinator.feeBips.selector, coord.feeBips.selector];
        p[20] = [ICoordinator.challengeWindow.selector, coord.challengeWindow.selector];
        p[21] = [ICoordinator.proofMarket.selector, coord.proofMarket.selector];
        p[22] = [ICoordinator.models.selector, coord.models.selector];
        p[23] = [ICoordinator.operators.selector, coord.operators.selector];
        p[24] = [ICoordinator.routerRegistry.selector, coord.routerRegistry.selector];
        p[25] = [ICoordinator.MAX_REDUNDANCY.selector, coord.MAX_REDUNDANCY.selector];
        p[26] = [ICoordinator.MAX_CALLBACK_GAS.selector, coord.MAX_CALLBACK_GAS.selector];
        p[27] = [ICoordinator.MAX_CORRECTION_GAS.selector, coord.MAX_CORRECTION_GAS.selector];
        p[28] = [ICoordinator.entryOf.selector, coord.entryOf.selector];
    }

    function test_functionSelectorsMatchTheCoordinator() public view {
        bytes4[2][] memory p = _pairs();
        bytes4 xor;
        for (uint256 i = 0; i < p.length; ++i) {
            assertEq(p[i][0], p[i][1]);
            xor ^= p[i][1];
        }
        // The pairs cover every function the interface declares.
        assertEq(xor, type(ICoordinator).interfaceId);
    }

    function test_eventTopicsMatchTheCoordinator() public pure {
        assertEq(ICoordinator.Requested.selector, Coordinator.Requested.selector);
        assertEq(ICoordinator.Delivered.selector, Coordinator.Delivered.selector);
        assertEq(ICoordinator.Revealed.selector, Coordinator.Revealed.selector);
        assertEq(ICoordinator.Answered.selector, Coordinator.Answered.selector);
        assertEq(ICoordinator.ConflictRecorded.selector, Coordinator.ConflictRecorded.selector);
        assertEq(ICoordinator.CallbackResult.selector, Coordinator.CallbackResult.selector);
        assertEq(ICoordinator.CorrectionResult.selector, Coordinator.CorrectionResult.selector);
        assertEq(ICoordinator.Settled.selector, Coordinator.Settled.selector);
        assertEq(ICoordinator.Expired.selector, Coordinator.Expired.selector);
        assertEq(ICoordinator.OperatorSlashed.selector, Coordinator.OperatorSlashed.selector);
        assertEq(ICoordinator.Credited.selector, Coordinator.Credited.selector);
        assertEq(ICoordinator.Withdrawn.selector, Coordinator.Withdrawn.selector);
        assertEq(ICoordinator.Subscribed.selector, Coordinator.Subscribed.selector);
        assertEq(ICoordinator.SubscriptionTriggered.selector, Coordinator.SubscriptionTriggered.selector);
        assertEq(ICoordinator.SubscriptionCancelled.selector, Coordinator.SubscriptionCancelled.selector);
    }

    function test_errorSelectorsMatchTheCoordinator() public pure {
        assertEq(ICoordinator.InvalidRedundancy.selector, Coordinator.InvalidRedundancy.selector);
        assertEq(ICoordinator.InvalidWindow.selector, Coordinator.InvalidWindow.selector);
        assertEq(ICoordinator.ModelNotUsable.selector, Coordinator.ModelNotUsable.selector);
        assertEq(ICoordinator.UnsupportedToken.selector, Coordinator.UnsupportedToken.selector);
        assertEq(ICoordinator.JobMismatch.selector, Coordinator.JobMismatch.selector);
        assertEq(ICoordinator.WrongStatus.selector, Coordinator.WrongStatus.selector);
        assertEq(ICoordinator.PastDeadline.selector, Coordinator.PastDeadline.selector);
        assertEq(ICoordinator.NotDue.selector, Coordinator.NotDue.selector);
        assertEq(ICoordinator.NotAssigned.selector, Coordinator.NotAssigned.selector);
        assertEq(ICoordinator.WrongClaim.selector, Coordinator.WrongClaim.selector);
        assertEq(ICoordinator.InsufficientGas.selector, Coordinator.InsufficientGas.selector);
        assertEq(ICoordinator.NothingToWithdraw.selector, Coordinator.NothingToWithdraw.selector);
        assertEq(ICoordinator.NotConsumer.selector, Coordinator.NotConsumer.selector);
        assertEq(ICoordinator.NoIntervals.selector, Coordinator.NoIntervals.selector);
        assertEq(ICoordinator.Overflow.selector, Coordinator.Overflow.selector);
        assertEq(ICoordinator.CallbackGasTooHigh.selector, Coordinator.CallbackGasTooHigh.selector);
        assertEq(ICoordinator.TooFewSeats.selector, Coordinator.TooFewSeats.selector);
    }

    function test_registryViewsMatch() public pure {
        assertEq(IModelTerms.terms.selector, ModelRegistry.terms.selector);
        assertEq(IModelTerms.royaltyOf.selector, ModelRegistry.royaltyOf.selector);
        assertEq(
            type(IModelTerms).interfaceId, ModelRegistry.terms.selector ^ ModelRegistry.royaltyOf.selector
        );
        assertEq(IOperatorQuotes.quote.selector, OperatorRegistry.quote.selector);
        assertEq(IOperatorQuotes.isActive.selector, OperatorRegistry.isActive.selector);
        assertEq(
            type(IOperatorQuotes).interfaceId,
            OperatorRegistry.quote.selector ^ OperatorRegistry.isActive.selector
        );
    }

    /// Calls through the interface decode what the deployed Coordinator returns.
    function test_callsThroughTheInterface() public {
        ICoordinator c = ICoordinator(address(coord));
        RequestParams memory p = _params(1);
        (bytes32 id, Job memory job) = _request(p, "in");
        _deliver(id, job, nodes[0], _claim(4));

        ICoordinator.Request memory r = c.getRequest(id);
        assertEq(r.seat0, nodes[0]);
        assertEq(r.deadline, coord.getRequest(id).deadline);
        assertEq(r.finalAt, block.timestamp + WINDOW);
        assertEq(uint8(r.status), uint8(Status.Answered));
        assertEq(r.commits, 1);
        assertEq(r.revealedMask, 1);
        assertEq(r.k, 1);
        assertEq(c.answerOf(id), c.hashClaim(_claim(4)));
        assertEq(c.entryOf(id, nodes[0]), c.answerOf(id));
        assertEq(c.jobHash(id), keccak256(abi.encode(job)));
        assertEq(c.seatOf(id, 0), nodes[0]);
        assertEq(c.nonce(), 1);
        assertEq(c.cost(PRICE, 1, FEE_BIPS, ROYALTY), _cost(1));
        assertEq(c.feeBips(), FEE_BIPS);
        assertEq(c.challengeWindow(), WINDOW);
        assertEq(c.proofMarket(), market);
        assertEq(address(c.models()), address(models));
        assertEq(address(c.operators()), address(registry));
        assertEq(c.routerRegistry(), address(0));
        assertEq(c.MAX_REDUNDANCY(), coord.MAX_REDUNDANCY());
        assertEq(c.MAX_CALLBACK_GAS(), coord.MAX_CALLBACK_GAS());
        assertEq(c.MAX_CORRECTION_GAS(), coord.MAX_CORRECTION_GAS());
        _checkRegistries(c);

        vm.warp(block.timestamp + WINDOW);
        c.settle(id, job, _claim(4));
        assertEq(uint8(c.getRequest(id).status), uint8(Status.Settled));
    }

    function _checkRegistries(ICoordinator c) internal view {
        (address creator_, uint96 royalty, bool usable) = c.models().terms(MODEL, _pay());
        assertEq(creator_, creator);
        assertEq(royalty, ROYALTY);
        assertTrue(usable);
        assertEq(c.models().royaltyOf(MODEL, _pay()), ROYALTY);
        (bool served, uint96 price) = c.operators().quote(nodes[0], MODEL, _pay());
        assertTrue(served);
        assertEq(price, PRICE);
        assertTrue(c.operators().isActive(nodes[0]));
    }

    /// Subscriptions and credits through the interface.
    function test_subscriptionsThroughTheInterface() public {
        ICoordinator c = ICoordinator(address(coord));
        RequestParams memory p = _params(1);
        _fund(alice, 2 * _cost(1));
        vm.prank(alice);
        uint256 subId = c.subscribe(p, "in", "", 1 days, 2);
        assertEq(c.subscriptionCount(), 1);
        (address consumer, uint32 nextAt, uint32 period, uint16 remaining, bytes32 termsHash) =
            c.subscriptions(subId);
        assertEq(consumer, alice);
        assertEq(nextAt, block.timestamp);
        assertEq(period, 1 days);
        assertEq(remaining, 2);
        SubscriptionTerms memory t = SubscriptionTerms(p, keccak256("in"), creator, ROYALTY, FEE_BIPS, 1 days);
        assertEq(termsHash, keccak256(abi.encode(t)));
        c.trigger(subId, t);
        vm.prank(alice);
        c.cancelSubscription(subId, t);
        assertEq(c.credits(alice, _pay()), _cost(1));
        vm.prank(alice);
        assertEq(c.withdraw(_pay(), alice), _cost(1));
    }
}
