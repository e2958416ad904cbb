// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IAllocationManager} from "../../src/interfaces/IAllocationManager.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AvsBase} from "./AvsBase.sol";
import {OperatorRegistry} from "../../src/avs/OperatorRegistry.sol";
import {IStrategy} from "../../src/interfaces/IStrategy.sol";

/// @notice Sigil's registrar against the real AllocationManager.
contract OperatorRegistryTest is AvsBase {
    function test_register_recordsMetadataAndServices() public view {
        OperatorRegistry.OperatorView memory v = registry.getOperator(nodes[0]);
        assertTrue(v.active);
        assertEq(v.metadata.endpoint, "https://node.example");
        assertEq(v.metadata.region, "eu-west");
        assertEq(v.metadata.hardwareClass, 1);
        assertEq(v.metadata.capacity, 4);
        assertEq(v.services.length, 1);
        assertEq(v.services[0].modelRoot, MODEL);
        assertEq(v.services[0].price, PRICE);
        (bool served, uint96 price) = registry.quote(nodes[0], MODEL, _pay());
        assertTrue(served);
        assertEq(price, PRICE);
        assertEq(registry.operatorCount(), 4);
    }

    function test_register_requiresMinimumSlashableStake(uint256 stake) public {
        stake = bound(stake, 1, 10 ether - 1);
        address op = makeAddr("small");
        _registerOperator(op, 0);
        _deposit(op, 0, stake);
        _allocate(op, _set(), 0, uint64(WAD));
        vm.roll(block.number + 1);
        bytes memory data = _regData(PRICE);
        vm.prank(op);
        vm.expectRevert(
            abi.encodeWithSelector(
                OperatorRegistry.InsufficientStake.selector, strategies[0], stake, 10 ether
            )
        );
        am.registerForOperatorSets(op, IAllocationManager.RegisterParams(address(coord), _ids(SET_ID), data));
        assertFalse(registry.isActive(op));
    }

    function test_register_pendingDeallocationNotCounted() public {
        address op = makeAddr("leaving");
        _registerOperator(op, 0);
        _deposit(op, 0, STAKE);
        _allocate(op, _set(), 0, uint64(WAD));
        vm.roll(block.number + 1);
        vm.prank(owner);
        registry.setStakeHorizon(DEALLOCATION_DELAY + 5);
        _allocate(op, _set(), 0, uint64(WAD / 20));
        bytes memory data = _regData(PRICE);
        vm.prank(op);
        vm.expectRevert(
            abi.encodeWithSelector(
                OperatorRegistry.InsufficientStake.selector, strategies[0], STAKE / 20, 10 ether
            )
        );
        am.registerForOperatorSets(op, IAllocationManager.RegisterParams(address(coord), _ids(SET_ID), data));
    }

    /// Deployment invariant: the stake horizon reaches past the core's deallocation delay, from the
    /// start and after every change, so a queued deallocation always counts against a seat.
    function test_stakeHorizon_beyondTheDeallocationDelay() public {
        assertEq(registry.stakeHorizon(), am.DEALLOCATION_DELAY() + 1);
        vm.startPrank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                OperatorRegistry.HorizonTooShort.selector, DEALLOCATION_DELAY, DEALLOCATION_DELAY
            )
        );
        registry.setStakeHorizon(DEALLOCATION_DELAY);
        registry.setStakeHorizon(DEALLOCATION_DELAY + 1);
        vm.stopPrank();
        vm.prank(alice);
        vm.expectRevert();
        registry.setStakeHorizon(DEALLOCATION_DELAY + 2);
    }

    function test_registrarCalls_onlyFromAllocationManager() public {
        vm.expectRevert(OperatorRegistry.NotAllocationManager.selector);
        registry.registerOperator(alice, address(coord), _ids(SET_ID), "");
        vm.expectRevert(OperatorRegistry.NotAllocationManager.selector);
        registry.deregisterOperator(nodes[0], address(coord), _ids(SET_ID));
        vm.startPrank(address(am));
        vm.expectRevert(abi.encodeWithSelector(OperatorRegistry.WrongAVS.selector, alice));
        registry.registerOperator(alice, alice, _ids(SET_ID), "");
        vm.expectRevert(abi.encodeWithSelector(OperatorRegistry.WrongOperatorSet.selector, uint32(3)));
        registry.registerOperator(alice, address(coord), _ids(3), "");
        vm.stopPrank();
    }

    function test_deregister_dropsServices() public {
        vm.prank(nodes[0]);
        am.deregisterFromOperatorSets(
            IAllocationManager.DeregisterParams(nodes[0], address(coord), _ids(SET_ID))
        );
        assertFalse(registry.isActive(nodes[0]));
        (bool served,) = registry.quote(nodes[0], MODEL, _pay());
        assertFalse(served);
        assertEq(registry.getOperator(nodes[0]).services.length, 0);
        assertEq(registry.operatorCount(), 3);
        assertTrue(am.isOperatorSlashable(nodes[0], _set()));
    }

    function test_eject_byOwner() public {
        vm.expectRevert();
        registry.eject(nodes[1]);
        vm.prank(owner);
        registry.eject(nodes[1]);
        assertFalse(registry.isActive(nodes[1]));
        assertFalse(am.isMemberOfOperatorSet(nodes[1], _set()));
    }

    function test_services_updateAndRemove() public {
        bytes32 other = keccak256("other");
        vm.startPrank(nodes[0]);
        registry.setService(OperatorRegistry.Service(other, _pay(), 5));
        registry.setService(OperatorRegistry.Service(MODEL, _pay(), 2 ether));
        (bool served, uint96 price) = registry.quote(nodes[0], MODEL, _pay());
        assertTrue(served);
        assertEq(price, 2 ether);
        assertEq(registry.getOperator(nodes[0]).services.length, 2);
        registry.removeService(MODEL, _pay());
        (served,) = registry.quote(nodes[0], MODEL, _pay());
        assertFalse(served);
        vm.expectRevert(OperatorRegistry.UnknownService.selector);
        registry.removeService(MODEL, _pay());
        registry.updateMetadata(OperatorRegistry.Metadata("https://b", "us", 2, 8));
        vm.stopPrank();
        assertEq(registry.getOperator(nodes[0]).metadata.endpoint, "https://b");
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(OperatorRegistry.NotActive.selector, alice));
        registry.setService(OperatorRegistry.Service(other, _pay(), 5));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(OperatorRegistry.NotActive.selector, alice));
        registry.updateMetadata(OperatorRegistry.Metadata("", "", 0, 0));
    }

    function test_pagedViews(uint256 offset, uint256 limit) public view {
        offset = bound(offset, 0, 6);
        limit = bound(limit, 0, 6);
        OperatorRegistry.OperatorView[] memory page = registry.getOperators(offset, limit);
        uint256 expected = offset >= 4 ? 0 : (4 - offset < limit ? 4 - offset : limit);
        assertEq(page.length, expected);
        for (uint256 i = 0; i < page.length; ++i) {
            assertEq(page[i].operator, nodes[offset + i]);
        }
    }

    function test_recordFault_onlyAVS() public {
        vm.expectRevert(OperatorRegistry.NotAVS.selector);
        registry.recordFault(nodes[0], bytes32(0));
    }

    function test_admin() public {
        vm.startPrank(owner);
        vm.expectRevert(OperatorRegistry.AlreadyInitialized.selector);
        registry.initialize(alice, 1);
        registry.setMinimumStake(strategies[1], 5);
        assertEq(registry.getStakeStrategies().length, 2);
        registry.setMinimumStake(strategies[1], 0);
        IStrategy[] memory s = registry.getStakeStrategies();
        assertEq(s.length, 1);
        assertEq(address(s[0]), address(strategies[0]));
        vm.stopPrank();
        OperatorRegistry fresh = new OperatorRegistry(owner, am);
        vm.prank(owner);
        vm.expectRevert(OperatorRegistry.ZeroAddress.selector);
        fresh.initialize(address(0), 1);
    }

    function test_unusedToken_notServed() public view {
        (bool served,) = registry.quote(nodes[0], MODEL, IERC20(address(rewardToken)));
        assertFalse(served);
    }
}
