// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Vm} from "forge-std/Vm.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AvsBase} from "../avs/AvsBase.sol";
import {TestToken} from "../core/mocks/TestToken.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {RouterRegistry} from "../../src/avs/RouterRegistry.sol";
import {RequestParams, Job, Claim, SubscriptionTerms, Status} from "../../src/avs/CoordinatorTypes.sol";
import {ICoordinator} from "../../src/consumer/ICoordinator.sol";
import {ISigilConsumer} from "../../src/consumer/ISigilConsumer.sol";
import {SigilClient} from "../../src/consumer/SigilClient.sol";
import {SigilRequests} from "../../src/consumer/SigilRequests.sol";
import {SigilIntervalClient} from "../../src/consumer/SigilIntervalClient.sol";
import {IHarness, ClientHarness, ConsumerHarness, HookOff, intervalInput} from "./mocks/Harnesses.sol";

/// @notice The request helpers (defaults from a node's listed price, escrow, routed requests,
///         subscription terms, intervals with a per-interval input hook) on the real system,
///         once per consumer base (SigilClientHelpersTest, SigilConsumerHelpersTest).
abstract contract HelpersTest is AvsBase {
    IHarness internal h;
    uint256 internal constant ROUTER_KEY = 0xB0A7;

    function _deploy() internal virtual returns (IHarness);

    function setUp() public override {
        super.setUp();
        h = _deploy();
        pay.mint(address(h), 100 ether);
        h.approve(_pay());
    }

    /// The Requested event of the last request in `logs`: its job and input.
    function _requested(Vm.Log[] memory logs) internal pure returns (Job memory job, bytes memory input) {
        for (uint256 i = logs.length; i > 0; --i) {
            if (logs[i - 1].topics[0] == Coordinator.Requested.selector) {
                (job, input,) = abi.decode(logs[i - 1].data, (Job, bytes, string));
                return (job, input);
            }
        }
        revert("no Requested event");
    }

    /// `fireInterval` of either harness (both bases expose the same function).
    function _fire(uint256 sid) internal returns (bytes32) {
        return SigilIntervalClient(address(h)).fireInterval(sid);
    }

    function test_defaults_takeTheNodesListedPrice() public {
        RequestParams memory p = h.defaults(MODEL, _pay(), nodes[0]);
        assertEq(p.modelRoot, MODEL);
        assertEq(p.inputRoot, bytes32(0));
        assertEq(address(p.token), address(pay));
        assertEq(p.price, PRICE);
        assertEq(p.redundancy, 1);
        assertFalse(p.afterWindow);
        assertEq(p.callbackGasLimit, SigilRequests.DEFAULT_CALLBACK_GAS);
        assertEq(p.ttl, SigilRequests.DEFAULT_TTL);
        assertEq(p.commitWindow, SigilRequests.DEFAULT_EXCLUSIVE_WINDOW);
        assertEq(p.assigned, nodes[0]);

        address dear = _stakedNode("dear", STAKE, 3 ether);
        assertEq(h.defaults(MODEL, _pay(), dear).price, 3 ether);
    }

    function test_defaults_refuseANodeThatDoesNotServe() public {
        vm.expectRevert(abi.encodeWithSelector(SigilRequests.NotServed.selector, alice, MODEL, _pay()));
        h.defaults(MODEL, _pay(), alice);
        bytes32 other = keccak256("other-model");
        vm.expectRevert(abi.encodeWithSelector(SigilRequests.NotServed.selector, nodes[0], other, _pay()));
        h.defaults(other, _pay(), nodes[0]);
        IERC20 otherToken = IERC20(address(new TestToken("OTHER")));
        vm.expectRevert(abi.encodeWithSelector(SigilRequests.NotServed.selector, nodes[0], MODEL, otherToken));
        h.defaults(MODEL, otherToken, nodes[0]);
    }

    /// Defaults make a request the assigned node answers, escrowing exactly escrowOf.
    function test_defaults_requestDeliverAndCallback() public {
        RequestParams memory p = h.defaults(MODEL, _pay(), nodes[1]);
        uint256 escrow = h.escrowOf(p);
        assertEq(escrow, _cost(1));
        uint256 before = pay.balanceOf(address(h));
        bytes32 id = h.request(p, "img");
        assertEq(before - pay.balanceOf(address(h)), escrow);
        Job memory job = _jobFor(address(h), p, "img");
        // Only the assigned node, during its window.
        vm.prank(nodes[0]);
        vm.expectRevert(Coordinator.NotAssigned.selector);
        coord.deliver(id, job, _claim(3));
        Claim memory c = _withOutput(_claim(0), hex"000102030405060708f9");
        vm.prank(nodes[1]);
        coord.deliver(id, job, c);
        assertEq(h.outputOf(id), c.output);
    }

    /// Without an assigned node any node listing a price <= the request's takes the seat by
    /// commit and reveal.
    function test_defaultsAt_unassignedRequest() public {
        RequestParams memory p = SigilRequests.defaultsAt(MODEL, _pay(), PRICE);
        assertEq(p.assigned, address(0));
        assertEq(p.commitWindow, 0);
        assertEq(p.price, PRICE);
        assertEq(p.redundancy, 1);
        assertEq(p.callbackGasLimit, SigilRequests.DEFAULT_CALLBACK_GAS);
        assertEq(p.ttl, SigilRequests.DEFAULT_TTL);
        bytes32 id = h.request(p, "img");
        Job memory job = _jobFor(address(h), p, "img");
        _deliver(id, job, nodes[3], _claim(5));
        assertEq(coord.seatOf(id, 0), nodes[3]);
        assertEq(h.outputOf(id), _claim(5).output);
    }

    function test_escrowOf_followsTheRoyaltyInForce() public {
        RequestParams memory p = h.defaults(MODEL, _pay(), nodes[0]);
        vm.prank(creator);
        models.setRoyalty(MODEL, _pay(), 0.02 ether); // a decrease applies at once
        assertEq(h.escrowOf(p), _cost(1) - ROYALTY + 0.02 ether);
        uint256 before = pay.balanceOf(address(h));
        h.request(p, "img");
        assertEq(before - pay.balanceOf(address(h)), h.escrowOf(p));
        p.modelRoot = keccak256("unknown");
        vm.expectRevert(abi.encodeWithSelector(ICoordinator.ModelNotUsable.selector, p.modelRoot));
        h.escrowOf(p);
    }

    // ------------------------------------------------------------------ routed

    function _routers() internal returns (RouterRegistry routers) {
        TestToken bond = new TestToken("BOND");
        routers = new RouterRegistry(owner, IERC20(address(bond)), 5 ether, 1 days);
        vm.startPrank(owner);
        routers.setCoordinator(address(coord));
        coord.setRouterRegistry(routers);
        vm.stopPrank();
        address router = vm.addr(ROUTER_KEY);
        bond.mint(router, 5 ether);
        vm.startPrank(router);
        bond.approve(address(routers), type(uint256).max);
        routers.register("http://router", 5 ether);
        vm.stopPrank();
    }

    function _assignment(RouterRegistry routers, address consumer, RequestParams memory p, uint256 n)
        internal
        view
        returns (bytes memory)
    {
        uint256 deadline = block.timestamp + 60;
        bytes32 digest = routers.assignmentDigest(
            consumer, SigilRequests.paramsHash(p), p.assigned, address(coord), n, deadline
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ROUTER_KEY, digest);
        return abi.encode(n, deadline, abi.encodePacked(r, s, v));
    }

    /// The consumer contract presents a router's assignment signed for it; the assigned node
    /// answers and the contract gets the callback.
    function test_requestRouted_withAnAssignmentForThisContract() public {
        RouterRegistry routers = _routers();
        RequestParams memory p = h.defaults(MODEL, _pay(), nodes[2]);
        bytes32 id = h.requestRouted(p, "in", _assignment(routers, address(h), p, 1));
        assertTrue(routers.nonceUsed(vm.addr(ROUTER_KEY), 1));
        Claim memory c = _claim(7);
        vm.prank(nodes[2]);
        coord.deliver(id, _jobFor(address(h), p, "in"), c);
        assertEq(h.outputOf(id), c.output);
    }

    function test_requestRouted_refusesAnAssignmentForAnotherConsumer() public {
        RouterRegistry routers = _routers();
        RequestParams memory p = h.defaults(MODEL, _pay(), nodes[2]);
        bytes memory forAlice = _assignment(routers, alice, p, 1);
        vm.expectPartialRevert(RouterRegistry.NotActiveRouter.selector);
        h.requestRouted(p, "in", forAlice);
        // Nor for other parameters than those signed.
        bytes memory a = _assignment(routers, address(h), p, 2);
        p.price += 1;
        vm.expectPartialRevert(RouterRegistry.NotActiveRouter.selector);
        h.requestRouted(p, "in", a);
    }

    // ------------------------------------------------------------------ subscriptions

    function test_subscriptionTerms_areTheOnesTheCoordinatorHashed() public {
        RequestParams memory p = h.defaults(MODEL, _pay(), nodes[0]);
        (uint256 subId, SubscriptionTerms memory t) = h.subscribe(p, "in", 1 days, 3);
        (,,,, bytes32 termsHash) = coord.subscriptions(subId);
        assertEq(termsHash, keccak256(abi.encode(t)));
        coord.trigger(subId, t);
        h.cancel(subId, t);
        assertEq(coord.credits(address(h), _pay()), 2 * _cost(1));
        assertEq(h.withdraw(_pay(), address(this)), 2 * _cost(1));
    }

    // ------------------------------------------------------------------ intervals

    /// Each interval's request carries the input the hook computed for it.
    function test_intervals_freshInputEachPeriod() public {
        h.useHook(true);
        RequestParams memory p = h.defaults(MODEL, _pay(), nodes[0]);
        uint256 sid = h.startIntervals(p, 1 days, 3);
        assertEq(sid, 1);
        bytes[3] memory inputs;
        bytes32[3] memory ids;
        for (uint16 i = 0; i < 3; ++i) {
            vm.recordLogs();
            vm.expectEmit(address(h));
            emit SigilRequests.IntervalRequested(
                sid, i, keccak256(abi.encode(block.chainid, address(coord), address(h), coord.nonce()))
            );
            ids[i] = _fire(sid);
            (Job memory job, bytes memory input) = _requested(vm.getRecordedLogs());
            assertEq(input, intervalInput(sid, i));
            assertEq(keccak256(abi.encode(job.params)), keccak256(abi.encode(p)));
            inputs[i] = input;
            // Not due again before the period has passed.
            uint32 nextAt = uint32(block.timestamp) + 1 days;
            if (i < 2) {
                vm.expectRevert(abi.encodeWithSelector(SigilRequests.IntervalNotDue.selector, sid, nextAt));
                _fire(sid);
            }
            Claim memory c = _claim(uint8(i));
            vm.prank(nodes[0]);
            coord.deliver(ids[i], job, c);
            assertEq(h.outputOf(ids[i]), c.output);
            vm.warp(block.timestamp + 1 days);
        }
        assertTrue(keccak256(inputs[0]) != keccak256(inputs[1]));
        assertTrue(keccak256(inputs[1]) != keccak256(inputs[2]));
        vm.expectRevert(abi.encodeWithSelector(SigilRequests.IntervalsOver.selector, sid));
        _fire(sid);
        SigilRequests.Interval memory it = SigilIntervalClient(address(h)).intervalOf(sid);
        assertEq(it.remaining, 0);
        assertEq(it.next, 3);
        assertEq(it.period, 1 days);
    }

    /// Missed intervals are caught up one call each, never more than scheduled.
    function test_intervals_catchUpButNeverExceedTheCount() public {
        h.useHook(true);
        uint256 sid = h.startIntervals(h.defaults(MODEL, _pay(), nodes[0]), 1 hours, 2);
        vm.warp(block.timestamp + 30 days);
        // Anyone may make a due request: the schedule bounds what it spends.
        vm.prank(alice);
        _fire(sid);
        _fire(sid);
        vm.expectRevert(abi.encodeWithSelector(SigilRequests.IntervalsOver.selector, sid));
        _fire(sid);
        assertEq(coord.nonce(), 2);
    }

    function test_intervals_stopAndRefusals() public {
        RequestParams memory p = h.defaults(MODEL, _pay(), nodes[0]);
        vm.expectRevert(SigilRequests.NoIntervals.selector);
        h.startIntervals(p, 0, 3);
        vm.expectRevert(SigilRequests.NoIntervals.selector);
        h.startIntervals(p, 1 days, 0);
        vm.expectRevert(abi.encodeWithSelector(SigilRequests.IntervalsOver.selector, 9));
        _fire(9);

        uint256 sid = h.startIntervals(p, 1 days, 5);
        // A reverting input hook requests nothing and leaves the interval unspent.
        vm.expectRevert(HookOff.selector);
        _fire(sid);
        assertEq(SigilIntervalClient(address(h)).intervalOf(sid).remaining, 5);
        h.useHook(true);
        _fire(sid);
        vm.expectEmit(address(h));
        emit SigilRequests.IntervalsStopped(sid, 4);
        assertEq(h.stop(sid), 4);
        vm.warp(block.timestamp + 1 days);
        vm.expectRevert(abi.encodeWithSelector(SigilRequests.IntervalsOver.selector, sid));
        _fire(sid);
    }

    /// The schedules live at the ERC-7201 slot of "sigil.consumer.intervals".
    function test_intervals_namespacedSlot() public {
        bytes32 slot = keccak256(abi.encode(uint256(keccak256("sigil.consumer.intervals")) - 1))
            & ~bytes32(uint256(0xff));
        assertEq(SigilRequests.INTERVALS_SLOT, slot);
        h.startIntervals(h.defaults(MODEL, _pay(), nodes[0]), 1 days, 1);
        h.startIntervals(h.defaults(MODEL, _pay(), nodes[0]), 1 days, 1);
        assertEq(uint256(vm.load(address(h), slot)), 2);
    }

    function test_onlyTheCoordinatorCallsBack() public {
        vm.expectRevert(SigilClient.OnlyCoordinator.selector);
        ISigilConsumer(address(h)).onSigilResult(bytes32(0), _claim(1));
        vm.expectRevert(SigilClient.OnlyCoordinator.selector);
        ISigilConsumer(address(h)).onSigilCorrection(bytes32(0), bytes32(0), Status.Refuted);
    }
}

contract SigilClientHelpersTest is HelpersTest {
    function _deploy() internal override returns (IHarness) {
        return new ClientHarness(ICoordinator(address(coord)));
    }
}

contract SigilConsumerHelpersTest is HelpersTest {
    function _deploy() internal override returns (IHarness) {
        return new ConsumerHarness(coord);
    }
}
