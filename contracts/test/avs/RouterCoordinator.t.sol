// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AvsBase} from "./AvsBase.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {CoordinatorAdmin} from "../../src/avs/CoordinatorAdmin.sol";
import {RouterRegistry} from "../../src/avs/RouterRegistry.sol";
import {RequestParams, Job, Claim, Status} from "../../src/avs/CoordinatorTypes.sol";
import {TestToken} from "../core/mocks/TestToken.sol";

/// @notice Requests carrying a registered router's signed assignment: the assigned node's
///         exclusive window, then open to all; no replay, no reuse for another request.
contract RouterCoordinatorTest is AvsBase {
    RouterRegistry internal routers;
    TestToken internal bond;
    uint256 internal constant ROUTER_KEY = 0xB0A7;
    address internal router;

    function setUp() public override {
        super.setUp();
        bond = new TestToken("BOND");
        routers = new RouterRegistry(owner, IERC20(address(bond)), 5 ether, 1 days);
        vm.startPrank(owner);
        routers.setCoordinator(address(coord));
        coord.setRouterRegistry(routers);
        vm.stopPrank();
        router = vm.addr(ROUTER_KEY);
        bond.mint(router, 5 ether);
        vm.startPrank(router);
        bond.approve(address(routers), type(uint256).max);
        routers.register("http://router", 5 ether);
        vm.stopPrank();
    }

    function _routedParams(address node) internal view returns (RequestParams memory p) {
        p = _params(1);
        p.commitWindow = 5 minutes;
        p.assigned = node;
    }

    function _sign(uint256 key, address consumer, RequestParams memory p, uint256 nonce, uint256 deadline)
        internal
        view
        returns (bytes memory)
    {
        bytes32 digest = routers.assignmentDigest(
            consumer, keccak256(abi.encode(p)), p.assigned, address(coord), nonce, deadline
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encode(nonce, deadline, abi.encodePacked(r, s, v));
    }

    /// @dev A memory struct assignment aliases; tests that vary one field need a real copy.
    function _copy(RequestParams memory p) internal pure returns (RequestParams memory) {
        return abi.decode(abi.encode(p), (RequestParams));
    }

    function _routed(RequestParams memory p, bytes memory assignment)
        internal
        returns (bytes32 id, Job memory job)
    {
        _fund(alice, _cost(1));
        job = _job(p, "in");
        vm.prank(alice);
        id = coord.requestRouted(p, "in", "", assignment);
    }

    function test_assigned_node_has_exclusive_window_then_open() public {
        RequestParams memory p = _routedParams(nodes[1]);
        (bytes32 id, Job memory job) = _routed(p, _sign(ROUTER_KEY, alice, p, 1, block.timestamp + 60));
        assertTrue(routers.nonceUsed(router, 1));
        vm.prank(nodes[0]);
        vm.expectRevert(Coordinator.NotAssigned.selector);
        coord.deliver(id, job, _claim(1));
        // After the window anyone serving the model may take the seat (commit, then reveal).
        vm.warp(block.timestamp + 5 minutes + 1);
        _deliver(id, job, nodes[0], _claim(1));
        assertEq(coord.seatOf(id, 0), nodes[0]);
    }

    function test_assigned_node_delivers_inside_window() public {
        RequestParams memory p = _routedParams(nodes[2]);
        (bytes32 id, Job memory job) = _routed(p, _sign(ROUTER_KEY, alice, p, 2, block.timestamp));
        vm.prank(nodes[2]);
        coord.deliver(id, job, _claim(3));
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Answered));
    }

    function test_assignment_cannot_be_replayed() public {
        RequestParams memory p = _routedParams(nodes[1]);
        bytes memory a = _sign(ROUTER_KEY, alice, p, 3, block.timestamp + 60);
        _routed(p, a);
        _fund(alice, _cost(1));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(RouterRegistry.NonceUsed.selector, router, 3));
        coord.requestRouted(p, "in", "", a);
    }

    function test_assignment_cannot_serve_another_request() public {
        RequestParams memory p = _routedParams(nodes[1]);
        bytes memory a = _sign(ROUTER_KEY, alice, p, 4, block.timestamp + 60);
        _fund(alice, 10 * _cost(1));
        // Another node, another price, another window, another consumer: all refused.
        RequestParams memory q = _copy(p);
        q.assigned = nodes[2];
        vm.prank(alice);
        vm.expectPartialRevert(RouterRegistry.NotActiveRouter.selector);
        coord.requestRouted(q, "in", "", a);
        q = _copy(p);
        q.commitWindow = 30 minutes;
        vm.prank(alice);
        vm.expectPartialRevert(RouterRegistry.NotActiveRouter.selector);
        coord.requestRouted(q, "in", "", a);
        q = _copy(p);
        q.price = PRICE + 1;
        vm.prank(alice);
        vm.expectPartialRevert(RouterRegistry.NotActiveRouter.selector);
        coord.requestRouted(q, "in", "", a);
        address bob = makeAddr("bob");
        _fund(bob, _cost(1));
        vm.prank(bob);
        vm.expectPartialRevert(RouterRegistry.NotActiveRouter.selector);
        coord.requestRouted(p, "in", "", a);
        // The original still works once.
        vm.prank(alice);
        coord.requestRouted(p, "in", "", a);
    }

    function test_unregistered_or_expired_router_refused() public {
        RequestParams memory p = _routedParams(nodes[1]);
        _fund(alice, 2 * _cost(1));
        bytes memory bad = _sign(0xBAD, alice, p, 1, block.timestamp);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(RouterRegistry.NotActiveRouter.selector, vm.addr(0xBAD)));
        coord.requestRouted(p, "in", "", bad);
        bytes memory a = _sign(ROUTER_KEY, alice, p, 5, block.timestamp - 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(RouterRegistry.Expired.selector, block.timestamp - 1));
        coord.requestRouted(p, "in", "", a);
    }

    function test_routed_request_needs_assigned_node() public {
        RequestParams memory p = _routedParams(address(0));
        _fund(alice, _cost(1));
        bytes memory a = _sign(ROUTER_KEY, alice, p, 6, block.timestamp);
        vm.prank(alice);
        vm.expectRevert(Coordinator.NotAssigned.selector);
        coord.requestRouted(p, "in", "", a);
    }

    function test_escrow_is_returned_when_assignment_fails() public {
        RequestParams memory p = _routedParams(nodes[1]);
        _fund(alice, _cost(1));
        uint256 before = pay.balanceOf(alice);
        bytes memory bad = _sign(0xBAD, alice, p, 1, block.timestamp);
        vm.prank(alice);
        vm.expectPartialRevert(RouterRegistry.NotActiveRouter.selector);
        coord.requestRouted(p, "in", "", bad);
        assertEq(pay.balanceOf(alice), before);
        assertEq(coord.nonce(), 0);
    }

    function test_setRouterRegistry_onlyOwner() public {
        vm.expectRevert();
        coord.setRouterRegistry(RouterRegistry(address(0)));
        vm.prank(owner);
        vm.expectEmit(address(coord));
        emit CoordinatorAdmin.RouterRegistrySet(RouterRegistry(address(1)));
        coord.setRouterRegistry(RouterRegistry(address(1)));
    }

    /// The node Coordinator.sol must stay deployable (EIP-170).
    function test_coordinator_fits_eip170() public view {
        assertLe(address(coord).code.length, 24_576);
    }
}
