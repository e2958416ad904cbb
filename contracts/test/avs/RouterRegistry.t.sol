// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {RouterRegistry} from "../../src/avs/RouterRegistry.sol";
import {TestToken} from "../core/mocks/TestToken.sol";
import {FeeOnTransferToken} from "../core/mocks/FeeOnTransferToken.sol";

contract RouterRegistryTest is Test {
    RouterRegistry internal reg;
    TestToken internal token;
    address internal owner = makeAddr("owner");
    address internal coordinator = makeAddr("coordinator");
    address internal slasher = makeAddr("slasher");
    uint256 internal routerKey = 0xA11CE;
    address internal router;
    uint256 internal constant BOND = 10 ether;
    uint64 internal constant DELAY = 7 days;

    function setUp() public {
        vm.warp(1_700_000_000);
        token = new TestToken("BOND");
        reg = new RouterRegistry(owner, IERC20(address(token)), BOND, DELAY);
        vm.startPrank(owner);
        reg.setCoordinator(coordinator);
        reg.setSlasher(slasher);
        vm.stopPrank();
        router = vm.addr(routerKey);
        _fund(router, 100 ether);
        vm.prank(router);
        reg.register("http://router:8600", BOND);
    }

    function _fund(address who, uint256 amount) internal {
        token.mint(who, amount);
        vm.prank(who);
        token.approve(address(reg), type(uint256).max);
    }

    function _assignment(
        uint256 key,
        address consumer,
        bytes32 ph,
        address node,
        uint256 nonce,
        uint256 deadline
    ) internal view returns (bytes memory) {
        bytes32 digest = reg.assignmentDigest(consumer, ph, node, coordinator, nonce, deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encode(nonce, deadline, abi.encodePacked(r, s, v));
    }

    function test_register_bonds_and_activates() public view {
        assertTrue(reg.isActive(router));
        assertEq(reg.getRouter(router).bond, BOND);
        assertEq(reg.getRouter(router).endpoint, "http://router:8600");
        assertEq(token.balanceOf(address(reg)), BOND);
    }

    function test_register_reverts() public {
        vm.prank(router);
        vm.expectRevert(RouterRegistry.AlreadyRegistered.selector);
        reg.register("x", BOND);
        address poor = makeAddr("poor");
        _fund(poor, BOND);
        vm.prank(poor);
        vm.expectRevert(abi.encodeWithSelector(RouterRegistry.BondTooLow.selector, BOND - 1, BOND));
        reg.register("x", BOND - 1);
    }

    function test_feeOnTransferBondRefused() public {
        FeeOnTransferToken fot = new FeeOnTransferToken(100);
        RouterRegistry r2 = new RouterRegistry(owner, IERC20(address(fot)), 1, DELAY);
        fot.mint(router, 10 ether);
        vm.startPrank(router);
        fot.approve(address(r2), type(uint256).max);
        vm.expectRevert(RouterRegistry.UnsupportedToken.selector);
        r2.register("x", 1 ether);
        vm.stopPrank();
    }

    function test_consume_verifies_and_spends_nonce() public {
        address consumer = makeAddr("consumer");
        address node = makeAddr("node");
        bytes32 ph = keccak256("params");
        bytes memory a = _assignment(routerKey, consumer, ph, node, 1, block.timestamp + 60);
        vm.prank(coordinator);
        vm.expectEmit(address(reg));
        emit RouterRegistry.AssignmentUsed(router, bytes32(uint256(5)), node, consumer, 1);
        assertEq(reg.consume(consumer, ph, node, bytes32(uint256(5)), a), router);
        assertTrue(reg.nonceUsed(router, 1));
        // Replay: the nonce is spent.
        vm.prank(coordinator);
        vm.expectRevert(abi.encodeWithSelector(RouterRegistry.NonceUsed.selector, router, 1));
        reg.consume(consumer, ph, node, bytes32(uint256(6)), a);
    }

    function test_consume_binds_every_field() public {
        address consumer = makeAddr("consumer");
        address node = makeAddr("node");
        bytes32 ph = keccak256("params");
        bytes memory a = _assignment(routerKey, consumer, ph, node, 2, block.timestamp + 60);
        // Another consumer, other params, another node: the signer recovers to someone else.
        vm.startPrank(coordinator);
        vm.expectPartialRevert(RouterRegistry.NotActiveRouter.selector);
        reg.consume(makeAddr("other"), ph, node, 0, a);
        vm.expectPartialRevert(RouterRegistry.NotActiveRouter.selector);
        reg.consume(consumer, keccak256("other params"), node, 0, a);
        vm.expectPartialRevert(RouterRegistry.NotActiveRouter.selector);
        reg.consume(consumer, ph, makeAddr("node2"), 0, a);
        vm.stopPrank();
        // Only the coordinator may consume (another coordinator's call fails too).
        vm.prank(makeAddr("otherCoordinator"));
        vm.expectRevert(RouterRegistry.NotCoordinator.selector);
        reg.consume(consumer, ph, node, 0, a);
        // An assignment signed for another coordinator address does not verify here.
        bytes32 digest =
            reg.assignmentDigest(consumer, ph, node, makeAddr("otherCoordinator"), 3, block.timestamp);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(routerKey, digest);
        vm.prank(coordinator);
        vm.expectPartialRevert(RouterRegistry.NotActiveRouter.selector);
        reg.consume(consumer, ph, node, 0, abi.encode(uint256(3), block.timestamp, abi.encodePacked(r, s, v)));
    }

    function test_consume_rejects_expired_and_unregistered() public {
        address consumer = makeAddr("consumer");
        bytes32 ph = keccak256("params");
        bytes memory a = _assignment(routerKey, consumer, ph, address(1), 4, block.timestamp);
        vm.warp(block.timestamp + 1);
        vm.prank(coordinator);
        vm.expectRevert(abi.encodeWithSelector(RouterRegistry.Expired.selector, block.timestamp - 1));
        reg.consume(consumer, ph, address(1), 0, a);
        // A key that never registered.
        bytes memory b = _assignment(0xB0B, consumer, ph, address(1), 4, block.timestamp);
        vm.prank(coordinator);
        vm.expectRevert(abi.encodeWithSelector(RouterRegistry.NotActiveRouter.selector, vm.addr(0xB0B)));
        reg.consume(consumer, ph, address(1), 0, b);
    }

    function test_unbonding_stops_assignments_and_delays_withdrawal() public {
        vm.prank(router);
        reg.startUnbonding();
        assertFalse(reg.isActive(router));
        bytes memory a = _assignment(routerKey, address(2), bytes32(0), address(1), 9, block.timestamp);
        vm.prank(coordinator);
        vm.expectRevert(abi.encodeWithSelector(RouterRegistry.NotActiveRouter.selector, router));
        reg.consume(address(2), bytes32(0), address(1), 0, a);
        vm.prank(router);
        vm.expectRevert(
            abi.encodeWithSelector(RouterRegistry.TooEarly.selector, uint64(block.timestamp + DELAY))
        );
        reg.withdraw(router);
        // Still slashable while unbonding.
        vm.prank(slasher);
        reg.slash(router, 1 ether, slasher);
        vm.warp(block.timestamp + DELAY);
        uint256 before = token.balanceOf(router);
        vm.prank(router);
        reg.withdraw(router);
        assertEq(token.balanceOf(router) - before, BOND - 1 ether);
        assertEq(reg.getRouter(router).bond, 0);
    }

    function test_slash_access_and_min_bond() public {
        vm.expectRevert(RouterRegistry.NotSlasher.selector);
        reg.slash(router, 1, address(this));
        vm.prank(slasher);
        assertEq(reg.slash(router, 1 ether, slasher), 1 ether);
        assertFalse(reg.isActive(router)); // below minBond
        vm.prank(router);
        reg.addBond(1 ether);
        assertTrue(reg.isActive(router));
        vm.prank(slasher);
        assertEq(reg.slash(router, 100 ether, slasher), BOND); // capped at the bond
        assertEq(token.balanceOf(slasher), BOND + 1 ether);
    }

    function test_cancelNonce() public {
        vm.prank(router);
        reg.cancelNonce(11);
        bytes memory a = _assignment(routerKey, address(2), bytes32(0), address(1), 11, block.timestamp);
        vm.prank(coordinator);
        vm.expectRevert(abi.encodeWithSelector(RouterRegistry.NonceUsed.selector, router, 11));
        reg.consume(address(2), bytes32(0), address(1), 0, a);
    }

    function test_owner_setters() public {
        vm.expectRevert();
        reg.setMinBond(1);
        vm.startPrank(owner);
        vm.expectRevert(RouterRegistry.AlreadyInitialized.selector);
        reg.setCoordinator(address(9));
        vm.expectRevert(abi.encodeWithSelector(RouterRegistry.DelayTooLong.selector, uint64(61 days)));
        reg.setUnbondingDelay(61 days);
        reg.setMinBond(1);
        vm.stopPrank();
        assertEq(reg.minBond(), 1);
    }

    /// Fuzz: a signature verifies only for the exact fields it was made over.
    function testFuzz_consume_only_exact_fields(
        address consumer,
        bytes32 ph,
        address node,
        uint256 nonce,
        bytes32 ph2
    ) public {
        vm.assume(ph2 != ph);
        uint256 deadline = block.timestamp + 1;
        bytes memory a = _assignment(routerKey, consumer, ph, node, nonce, deadline);
        vm.startPrank(coordinator);
        vm.expectPartialRevert(RouterRegistry.NotActiveRouter.selector);
        reg.consume(consumer, ph2, node, 0, a);
        assertEq(reg.consume(consumer, ph, node, 0, a), router);
        vm.stopPrank();
    }

    /// The C++ router's signature (src/router/assignment_test.cpp, the same bytes `cast wallet sign
    /// --data` prints) verifies here: both sides agree on the EIP-712 encoding.
    function test_crossImplementationSignature() public {
        vm.chainId(31337);
        address registryAt = address(0x5555555555555555555555555555555555555555);
        address coord = address(0x8888888888888888888888888888888888888888);
        deployCodeTo("RouterRegistry.sol:RouterRegistry", abi.encode(owner, address(token), 1, DELAY), registryAt);
        RouterRegistry r2 = RouterRegistry(registryAt);
        vm.prank(owner);
        r2.setCoordinator(coord);
        address signer = vm.addr(0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80);
        token.mint(signer, 1);
        vm.startPrank(signer);
        token.approve(registryAt, 1);
        r2.register("x", 1);
        vm.stopPrank();
        bytes memory sig =
            hex"bc3e828c89e7d21096fcff774fb324b8affb9c6881843c254381dff5d7a4c43120b75d78491da30589447cf87dbfe06503a1bfee23091ea7cc7e0ed30d94b0101c";
        vm.warp(1_700_000_300);
        vm.prank(coord);
        address got = r2.consume(
            address(0x6666666666666666666666666666666666666666),
            bytes32(0x7777777777777777777777777777777777777777777777777777777777777777),
            address(0x4444444444444444444444444444444444444444),
            bytes32(0),
            abi.encode(uint256(42), uint256(1_700_000_300), sig)
        );
        assertEq(got, signer);
    }
}
