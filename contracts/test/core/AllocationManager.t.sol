// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IStrategy} from "../../src/interfaces/IStrategy.sol";
import {IAVSRegistrar} from "../../src/interfaces/IAVSRegistrar.sol";
import {IAllocationManager} from "../../src/interfaces/IAllocationManager.sol";
import {OperatorSet} from "../../src/interfaces/OperatorSet.sol";
import {AllocationManager} from "../../src/core/AllocationManager.sol";
import {DelegationManager} from "../../src/core/DelegationManager.sol";
import {StrategyManager} from "../../src/core/StrategyManager.sol";
import {PausableOwned} from "../../src/core/PausableOwned.sol";
import {CoreBase} from "./CoreBase.sol";
import {TestRegistrar} from "./mocks/TestRegistrar.sol";

contract AllocationManagerTest is CoreBase {
    address internal op = makeAddr("operator");
    address internal alice = makeAddr("alice");
    address internal avs = makeAddr("avs");
    address internal slasher = makeAddr("slasher");
    address internal recipient = makeAddr("recipient");
    OperatorSet internal set;
    TestRegistrar internal registrar;

    function setUp() public override {
        super.setUp();
        set = OperatorSet(avs, 7);
        registrar = _createSet(avs, 7, slasher, address(0));
        _registerOperator(op, 10);
        _deposit(op, 0, 100e18);
        _deposit(op, 1, 100e18);
        _deposit(op, 2, 100e18);
    }

    function _allocNow(uint256 idx, uint64 mag) internal {
        _allocate(op, set, idx, mag);
        vm.roll(block.number + 10);
    }

    // ------------------------------------------------------------ AVS configuration

    function test_avsConfiguration() public {
        assertTrue(am.isOperatorSet(set));
        assertEq(am.getSlasher(set), slasher);
        assertEq(am.getRedistributionRecipient(set), address(0));
        assertFalse(am.isRedistributingOperatorSet(set));
        assertEq(am.getStrategiesInOperatorSet(set).length, 3);
        assertEq(address(am.getAVSRegistrar(avs)), address(registrar));
        assertEq(address(am.getAVSRegistrar(alice)), alice);
        vm.startPrank(avs);
        am.updateSlasher(set, alice);
        am.removeStrategiesFromOperatorSet(avs, 7, _one(strategies[2]));
        vm.stopPrank();
        assertEq(am.getSlasher(set), alice);
        assertEq(am.getStrategiesInOperatorSet(set).length, 2);
        vm.prank(avs);
        am.addStrategiesToOperatorSet(avs, 7, _one(strategies[2]));
        assertEq(am.getStrategiesInOperatorSet(set).length, 3);
    }

    function test_redistributingSet_recipientFixed() public {
        _createSet(avs, 9, slasher, recipient);
        OperatorSet memory s9 = OperatorSet(avs, 9);
        assertTrue(am.isRedistributingOperatorSet(s9));
        assertEq(am.getRedistributionRecipient(s9), recipient);
        IAllocationManager.CreateSetParams[] memory p = new IAllocationManager.CreateSetParams[](1);
        p[0].operatorSetId = 10;
        vm.startPrank(avs);
        vm.expectRevert(AllocationManager.InputArrayLengthMismatch.selector);
        am.createRedistributingOperatorSets(avs, p, new address[](0));
        vm.expectRevert(AllocationManager.ZeroAddress.selector);
        am.createRedistributingOperatorSets(avs, p, new address[](1));
        vm.stopPrank();
    }

    function test_avsConfiguration_reverts() public {
        IAllocationManager.CreateSetParams[] memory p = new IAllocationManager.CreateSetParams[](1);
        p[0].operatorSetId = 7;
        vm.startPrank(alice);
        vm.expectRevert(AllocationManager.NotAVS.selector);
        am.createOperatorSets(alice, p);
        vm.expectRevert(AllocationManager.InvalidOperatorSet.selector);
        am.addStrategiesToOperatorSet(alice, 7, _one(strategies[0]));
        vm.stopPrank();
        vm.startPrank(avs);
        vm.expectRevert(AllocationManager.OperatorSetExists.selector);
        am.createOperatorSets(avs, p);
        vm.expectRevert(
            abi.encodeWithSelector(AllocationManager.StrategyAlreadyInSet.selector, strategies[0])
        );
        am.addStrategiesToOperatorSet(avs, 7, _one(strategies[0]));
        am.removeStrategiesFromOperatorSet(avs, 7, _one(strategies[0]));
        vm.expectRevert(abi.encodeWithSelector(AllocationManager.StrategyNotInSet.selector, strategies[0]));
        am.removeStrategiesFromOperatorSet(avs, 7, _one(strategies[0]));
        vm.expectRevert(AllocationManager.ZeroAddress.selector);
        am.updateSlasher(set, address(0));
        vm.stopPrank();
    }

    /// Every AVS-side entry point acts for `avs` only when the caller is `avs` or its appointee.
    function test_avsCalls_requirePermission() public {
        IAllocationManager.CreateSetParams[] memory p = new IAllocationManager.CreateSetParams[](1);
        p[0].operatorSetId = 11;
        vm.startPrank(alice);
        vm.expectRevert(AllocationManager.InvalidPermissions.selector);
        am.updateAVSMetadataURI(avs, "x");
        vm.expectRevert(AllocationManager.InvalidPermissions.selector);
        am.setAVSRegistrar(avs, registrar);
        vm.expectRevert(AllocationManager.InvalidPermissions.selector);
        am.createOperatorSets(avs, p);
        vm.expectRevert(AllocationManager.InvalidPermissions.selector);
        am.createRedistributingOperatorSets(avs, p, new address[](1));
        vm.expectRevert(AllocationManager.InvalidPermissions.selector);
        am.addStrategiesToOperatorSet(avs, 7, _one(strategies[0]));
        vm.expectRevert(AllocationManager.InvalidPermissions.selector);
        am.removeStrategiesFromOperatorSet(avs, 7, _one(strategies[0]));
        vm.expectRevert(AllocationManager.InvalidPermissions.selector);
        am.updateSlasher(set, alice);
        vm.stopPrank();
        // An appointee for one selector may call that function only.
        vm.prank(avs);
        pc.setAppointee(avs, alice, address(am), am.updateAVSMetadataURI.selector);
        vm.startPrank(alice);
        am.updateAVSMetadataURI(avs, "y");
        vm.expectRevert(AllocationManager.InvalidPermissions.selector);
        am.createOperatorSets(avs, p);
        vm.stopPrank();
    }

    function test_setAVSRegistrar_requiresSupportsAVS() public {
        NoAvsRegistrar bad = new NoAvsRegistrar();
        vm.prank(avs);
        vm.expectRevert(AllocationManager.InvalidAVSRegistrar.selector);
        am.setAVSRegistrar(avs, bad);
    }

    function test_createSet_defaultSlasherIsAVS() public {
        _createSet(avs, 8, address(0), address(0));
        assertEq(am.getSlasher(OperatorSet(avs, 8)), avs);
    }

    function test_setDelegationManager_once() public {
        vm.prank(owner);
        vm.expectRevert(AllocationManager.AlreadyInitialized.selector);
        am.setDelegationManager(dm);
    }

    // ------------------------------------------------------------ allocation delay

    function test_setAllocationDelay_delayed() public {
        vm.prank(op);
        am.setAllocationDelay(op, 3);
        (, uint32 d) = am.getAllocationDelay(op);
        assertEq(d, 10);
        vm.roll(block.number + CONFIG_DELAY);
        (, d) = am.getAllocationDelay(op);
        assertEq(d, 3);
    }

    function test_setAllocationDelay_reverts() public {
        vm.prank(alice);
        vm.expectRevert(AllocationManager.Unauthorized.selector);
        am.setAllocationDelay(op, 1);
        vm.prank(alice);
        vm.expectRevert(AllocationManager.NotAnOperator.selector);
        am.setAllocationDelay(alice, 1);
    }

    // ------------------------------------------------------------ registration

    function test_register_callsRegistrar() public {
        vm.prank(op);
        am.registerForOperatorSets(op, IAllocationManager.RegisterParams(avs, _ids(7), "endpoint"));
        assertTrue(am.isMemberOfOperatorSet(op, set));
        assertTrue(am.isOperatorSlashable(op, set));
        assertEq(am.getMembers(set)[0], op);
        assertEq(am.getMemberCount(set), 1);
        assertEq(registrar.registrations(), 1);
        assertEq(registrar.lastData(), "endpoint");
    }

    function test_register_reverts() public {
        vm.prank(alice);
        vm.expectRevert(AllocationManager.InvalidPermissions.selector);
        am.registerForOperatorSets(op, IAllocationManager.RegisterParams(avs, _ids(7), ""));
        vm.prank(alice);
        vm.expectRevert(AllocationManager.NotAnOperator.selector);
        am.registerForOperatorSets(alice, IAllocationManager.RegisterParams(avs, _ids(7), ""));
        vm.prank(op);
        vm.expectRevert(AllocationManager.InvalidOperatorSet.selector);
        am.registerForOperatorSets(op, IAllocationManager.RegisterParams(avs, _ids(99), ""));
        registrar.deny(op, true);
        vm.prank(op);
        vm.expectRevert(abi.encodeWithSelector(TestRegistrar.Refused.selector, op));
        am.registerForOperatorSets(op, IAllocationManager.RegisterParams(avs, _ids(7), ""));
        assertFalse(am.isMemberOfOperatorSet(op, set));
        registrar.deny(op, false);
        _registerForSet(op, avs, 7);
        vm.prank(op);
        vm.expectRevert(abi.encodeWithSelector(AllocationManager.AlreadyMemberOfSet.selector, 7));
        am.registerForOperatorSets(op, IAllocationManager.RegisterParams(avs, _ids(7), ""));
        vm.prank(owner);
        am.setPausedFlags(1 << 1);
        vm.prank(op);
        vm.expectRevert(abi.encodeWithSelector(PausableOwned.FunctionPaused.selector, 1));
        am.registerForOperatorSets(op, IAllocationManager.RegisterParams(avs, _ids(7), ""));
    }

    function test_deregister_slashableForDeallocationDelay() public {
        _registerForSet(op, avs, 7);
        vm.prank(op);
        am.deregisterFromOperatorSets(IAllocationManager.DeregisterParams(op, avs, _ids(7)));
        assertEq(registrar.deregistrations(), 1);
        assertFalse(am.isMemberOfOperatorSet(op, set));
        assertTrue(am.isOperatorSlashable(op, set));
        assertEq(am.getSlashableUntil(op, set), block.number + DEALLOCATION_DELAY);
        vm.roll(block.number + DEALLOCATION_DELAY);
        assertTrue(am.isOperatorSlashable(op, set));
        vm.roll(block.number + 1);
        assertFalse(am.isOperatorSlashable(op, set));
    }

    function test_deregister_byAVSAndRegistrar() public {
        _registerForSet(op, avs, 7);
        vm.prank(avs);
        am.deregisterFromOperatorSets(IAllocationManager.DeregisterParams(op, avs, _ids(7)));
        assertEq(registrar.deregistrations(), 1);
        _registerForSet(op, avs, 7);
        // The registrar may eject only as an appointee of the AVS, and is still called back.
        vm.prank(address(registrar));
        vm.expectRevert(AllocationManager.InvalidPermissions.selector);
        am.deregisterFromOperatorSets(IAllocationManager.DeregisterParams(op, avs, _ids(7)));
        vm.prank(avs);
        pc.setAppointee(avs, address(registrar), address(am), am.deregisterFromOperatorSets.selector);
        vm.prank(address(registrar));
        am.deregisterFromOperatorSets(IAllocationManager.DeregisterParams(op, avs, _ids(7)));
        assertEq(registrar.deregistrations(), 2, "registrar called back when it ejects");
        assertFalse(am.isMemberOfOperatorSet(op, set));
        // An operator's appointee may deregister it.
        _registerForSet(op, avs, 7);
        vm.prank(op);
        pc.setAppointee(op, alice, address(am), am.deregisterFromOperatorSets.selector);
        vm.prank(alice);
        am.deregisterFromOperatorSets(IAllocationManager.DeregisterParams(op, avs, _ids(7)));
        assertEq(registrar.deregistrations(), 3);
    }

    function test_deregister_reverts() public {
        vm.prank(alice);
        vm.expectRevert(AllocationManager.InvalidPermissions.selector);
        am.deregisterFromOperatorSets(IAllocationManager.DeregisterParams(op, avs, _ids(7)));
        vm.prank(op);
        vm.expectRevert(abi.encodeWithSelector(AllocationManager.NotMemberOfSet.selector, 7));
        am.deregisterFromOperatorSets(IAllocationManager.DeregisterParams(op, avs, _ids(7)));
        vm.prank(owner);
        am.setPausedFlags(1 << 2);
        vm.prank(op);
        vm.expectRevert(abi.encodeWithSelector(PausableOwned.FunctionPaused.selector, 2));
        am.deregisterFromOperatorSets(IAllocationManager.DeregisterParams(op, avs, _ids(7)));
    }

    // ------------------------------------------------------------ allocations

    function test_allocate_takesEffectAfterDelay() public {
        _registerForSet(op, avs, 7);
        _allocate(op, set, 0, 4e17);
        assertEq(am.getEncumberedMagnitude(op, strategies[0]), 4e17);
        assertEq(am.getAllocatableMagnitude(op, strategies[0]), 6e17);
        assertEq(am.getAllocation(op, set, strategies[0]).currentMagnitude, 0);
        assertEq(_slashable(set, op, strategies[0]), 0);
        vm.roll(block.number + 9);
        assertEq(am.getAllocation(op, set, strategies[0]).currentMagnitude, 0);
        vm.roll(block.number + 1);
        assertEq(am.getAllocation(op, set, strategies[0]).currentMagnitude, 4e17);
        assertEq(_slashable(set, op, strategies[0]), 40e18);
        assertEq(am.getAllocatedSets(op, strategies[0]).length, 1);
    }

    function test_deallocate_slashableUntilDelay() public {
        _registerForSet(op, avs, 7);
        _allocNow(0, 5e17);
        _allocate(op, set, 0, 2e17);
        assertEq(am.getDeallocationQueueLength(op, strategies[0]), 1);
        assertEq(am.getAllocation(op, set, strategies[0]).currentMagnitude, 5e17);
        address[] memory ops = new address[](1);
        ops[0] = op;
        uint256[][] memory minStake = am.getMinimumSlashableStake(
            set, ops, _one(strategies[0]), uint32(block.number + DEALLOCATION_DELAY + 1)
        );
        assertEq(minStake[0][0], 20e18);
        minStake = am.getMinimumSlashableStake(
            set, ops, _one(strategies[0]), uint32(block.number + DEALLOCATION_DELAY)
        );
        assertEq(minStake[0][0], 50e18);
        vm.roll(block.number + DEALLOCATION_DELAY);
        assertEq(am.getEncumberedMagnitude(op, strategies[0]), 5e17);
        vm.roll(block.number + 1);
        assertEq(am.getAllocation(op, set, strategies[0]).currentMagnitude, 2e17);
        assertEq(am.getEncumberedMagnitude(op, strategies[0]), 2e17);
        IStrategy[] memory s = _one(strategies[0]);
        am.clearDeallocationQueue(op, s, _oneU(1));
        assertEq(am.getDeallocationQueueLength(op, strategies[0]), 0);
        assertEq(am.getEncumberedMagnitude(op, strategies[0]), 2e17);
    }

    function test_deallocate_immediateWhenNotSlashable() public {
        _allocNow(0, 5e17);
        _allocate(op, set, 0, 1e17);
        assertEq(am.getAllocation(op, set, strategies[0]).currentMagnitude, 1e17);
        assertEq(am.getEncumberedMagnitude(op, strategies[0]), 1e17);
        assertEq(am.getDeallocationQueueLength(op, strategies[0]), 0);
    }

    function test_modifyAllocations_reverts() public {
        AllocationManager.AllocateParams[] memory p = new AllocationManager.AllocateParams[](1);
        p[0].operatorSet = set;
        p[0].strategies = _one(strategies[0]);
        p[0].newMagnitudes = new uint64[](1);
        p[0].newMagnitudes[0] = 1;
        vm.prank(alice);
        vm.expectRevert(AllocationManager.InvalidPermissions.selector);
        am.modifyAllocations(op, p);
        vm.prank(alice);
        vm.expectRevert(AllocationManager.UninitializedAllocationDelay.selector);
        am.modifyAllocations(alice, p);
        p[0].newMagnitudes = new uint64[](0);
        vm.prank(op);
        vm.expectRevert(AllocationManager.InputArrayLengthMismatch.selector);
        am.modifyAllocations(op, p);
        p[0].newMagnitudes = new uint64[](1);
        p[0].operatorSet = OperatorSet(avs, 99);
        vm.prank(op);
        vm.expectRevert(AllocationManager.InvalidOperatorSet.selector);
        am.modifyAllocations(op, p);
        p[0].operatorSet = set;
        vm.prank(op);
        vm.expectRevert(AllocationManager.SameMagnitude.selector);
        am.modifyAllocations(op, p);
        p[0].newMagnitudes[0] = uint64(WAD) + 1;
        vm.prank(op);
        vm.expectRevert(
            abi.encodeWithSelector(AllocationManager.InsufficientMagnitude.selector, WAD + 1, WAD)
        );
        am.modifyAllocations(op, p);
        p[0].newMagnitudes[0] = 1;
        vm.prank(op);
        am.modifyAllocations(op, p);
        p[0].newMagnitudes[0] = 2;
        vm.prank(op);
        vm.expectRevert(AllocationManager.ModificationAlreadyPending.selector);
        am.modifyAllocations(op, p);
        vm.prank(avs);
        am.removeStrategiesFromOperatorSet(avs, 7, _one(strategies[0]));
        vm.roll(block.number + 10);
        vm.prank(op);
        vm.expectRevert(abi.encodeWithSelector(AllocationManager.StrategyNotInSet.selector, strategies[0]));
        am.modifyAllocations(op, p);
        vm.prank(owner);
        am.setPausedFlags(1);
        vm.prank(op);
        vm.expectRevert(abi.encodeWithSelector(PausableOwned.FunctionPaused.selector, 0));
        am.modifyAllocations(op, p);
        vm.expectRevert(AllocationManager.InputArrayLengthMismatch.selector);
        am.clearDeallocationQueue(op, _one(strategies[0]), new uint256[](0));
    }

    function test_removedStrategy_canOnlyBeDeallocatedAtOnce() public {
        _registerForSet(op, avs, 7);
        _allocNow(0, 5e17);
        vm.prank(avs);
        am.removeStrategiesFromOperatorSet(avs, 7, _one(strategies[0]));
        assertEq(_slashable(set, op, strategies[0]), 0);
        _allocate(op, set, 0, 1e17);
        assertEq(am.getAllocation(op, set, strategies[0]).currentMagnitude, 1e17);
        assertEq(am.getEncumberedMagnitude(op, strategies[0]), 1e17);
    }

    function test_setDelegationManager_zeroAddress() public {
        AllocationManager fresh = new AllocationManager(owner, pc, 1, 1);
        vm.prank(owner);
        vm.expectRevert(AllocationManager.ZeroAddress.selector);
        fresh.setDelegationManager(DelegationManager(address(0)));
    }

    function test_allocations_acrossSetsBoundedByMax() public {
        _createSet(avs, 8, slasher, address(0));
        _allocNow(0, 7e17);
        _allocate(op, OperatorSet(avs, 8), 0, 3e17);
        assertEq(am.getEncumberedMagnitude(op, strategies[0]), WAD);
        vm.roll(block.number + 10);
        AllocationManager.AllocateParams[] memory p = new AllocationManager.AllocateParams[](1);
        p[0].operatorSet = set;
        p[0].strategies = _one(strategies[0]);
        p[0].newMagnitudes = new uint64[](1);
        p[0].newMagnitudes[0] = 7e17 + 1;
        vm.prank(op);
        vm.expectRevert(abi.encodeWithSelector(AllocationManager.InsufficientMagnitude.selector, 1, 0));
        am.modifyAllocations(op, p);
    }

    // ------------------------------------------------------------ slashing

    function _slashParams(uint256 wad) internal view returns (IAllocationManager.SlashingParams memory p) {
        p.operator = op;
        p.operatorSetId = 7;
        p.strategies = _one(strategies[0]);
        p.wadsToSlash = _oneU(wad);
    }

    function test_slash_reducesMagnitudesAndShares() public {
        _registerForSet(op, avs, 7);
        _allocNow(0, 5e17);
        uint256 out = _slash(slasher, set, op, 0, 5e17);
        // 50% of a 50% allocation = 25% of the stake
        assertEq(out, 25e18);
        assertEq(am.getMaxMagnitude(op, strategies[0]), 75e16);
        assertEq(am.getAllocation(op, set, strategies[0]).currentMagnitude, 25e16);
        assertEq(am.getEncumberedMagnitude(op, strategies[0]), 25e16);
        assertEq(dm.operatorShares(op, strategies[0]), 75e18);
        assertEq(tokens[0].balanceOf(sm.BURN_ADDRESS()), 25e18);
        assertEq(am.getSlashCount(set), 1);
        assertEq(am.getMaxMagnitudeAtBlock(op, strategies[0], uint32(block.number - 1)), WAD);
    }

    function test_slash_redistributesToRecipient() public {
        _createSet(avs, 9, slasher, recipient);
        OperatorSet memory s9 = OperatorSet(avs, 9);
        _registerForSet(op, avs, 9);
        _allocate(op, s9, 0, uint64(WAD));
        vm.roll(block.number + 10);
        _slash(slasher, s9, op, 0, 1e17);
        assertEq(tokens[0].balanceOf(recipient), 10e18);
    }

    /// slashOperator moves no tokens; the shares wait under (set, slashId, strategy) until anyone
    /// clears them, once, to the set's fixed recipient.
    function test_slash_movesNoTokens_clearOnceToRecipient() public {
        _createSet(avs, 9, slasher, recipient);
        OperatorSet memory s9 = OperatorSet(avs, 9);
        _registerForSet(op, avs, 9);
        _allocate(op, s9, 0, uint64(WAD));
        _allocate(op, s9, 1, uint64(WAD));
        vm.roll(block.number + 10);
        IAllocationManager.SlashingParams memory p = _slashParams(2e17);
        p.operatorSetId = 9;
        p.strategies = new IStrategy[](3);
        p.wadsToSlash = new uint256[](3);
        for (uint256 i = 0; i < 3; ++i) {
            p.strategies[i] = strategies[i];
            p.wadsToSlash[i] = 2e17;
        }
        uint256 held = tokens[0].balanceOf(address(strategies[0]));
        vm.prank(slasher);
        (uint256 id, uint256[] memory shares) = am.slashOperator(avs, p);
        assertEq(id, 1);
        assertEq(shares[0], 20e18);
        assertEq(shares[1], 20e18);
        assertEq(shares[2], 0, "no allocation: skipped");
        assertEq(tokens[0].balanceOf(address(strategies[0])), held, "no token moved");
        (IStrategy[] memory pending, uint256[] memory pendingShares) =
            sm.getBurnOrRedistributableShares(s9, 1);
        assertEq(pending.length, 2);
        assertEq(pendingShares[0], 20e18);
        // Anyone clears; a second clear, a skipped strategy and an unknown slash pay nothing.
        vm.prank(alice);
        assertEq(sm.clearBurnOrRedistributableSharesByStrategy(s9, 1, strategies[0]), 20e18);
        assertEq(tokens[0].balanceOf(recipient), 20e18);
        assertEq(sm.clearBurnOrRedistributableSharesByStrategy(s9, 1, strategies[0]), 0);
        assertEq(sm.clearBurnOrRedistributableSharesByStrategy(s9, 1, strategies[2]), 0);
        assertEq(sm.clearBurnOrRedistributableSharesByStrategy(s9, 2, strategies[1]), 0);
        uint256[] memory out = sm.clearBurnOrRedistributableShares(s9, 1);
        assertEq(out.length, 1);
        assertEq(out[0], 20e18);
        assertEq(tokens[1].balanceOf(recipient), 20e18);
        assertEq(sm.clearBurnOrRedistributableShares(s9, 1).length, 0);
    }

    function test_increaseBurnOrRedistributableShares_onlyDelegationManager() public {
        vm.prank(alice);
        vm.expectRevert(StrategyManager.OnlyDelegationManager.selector);
        sm.increaseBurnOrRedistributableShares(set, 1, strategies[0], 1);
    }

    function test_slash_threeStrategies() public {
        _registerForSet(op, avs, 7);
        for (uint256 i = 0; i < 3; ++i) {
            _allocate(op, set, i, 5e17);
        }
        vm.roll(block.number + 10);
        IAllocationManager.SlashingParams memory p;
        p.operator = op;
        p.operatorSetId = 7;
        p.strategies = new IStrategy[](3);
        p.wadsToSlash = new uint256[](3);
        for (uint256 i = 0; i < 3; ++i) {
            p.strategies[i] = strategies[i];
            p.wadsToSlash[i] = (i + 1) * 1e17;
        }
        vm.prank(slasher);
        (uint256 id, uint256[] memory shares) = am.slashOperator(avs, p);
        assertEq(id, 1);
        assertEq(shares[0], 5e18);
        assertEq(shares[1], 10e18);
        assertEq(shares[2], 15e18);
    }

    function test_slash_pendingDeallocationShrinksProportionally() public {
        _registerForSet(op, avs, 7);
        _allocNow(0, 8e17);
        _allocate(op, set, 0, 2e17); // pending decrease of 6e17
        _slash(slasher, set, op, 0, 5e17);
        AllocationManager.Allocation memory a = am.getAllocation(op, set, strategies[0]);
        assertEq(a.currentMagnitude, 4e17);
        assertEq(a.pendingDiff, -3e17);
        assertEq(am.getEncumberedMagnitude(op, strategies[0]), 4e17);
        vm.roll(block.number + DEALLOCATION_DELAY + 1);
        assertEq(am.getAllocation(op, set, strategies[0]).currentMagnitude, 1e17);
        assertEq(am.getEncumberedMagnitude(op, strategies[0]), 1e17);
        assertEq(am.getMaxMagnitude(op, strategies[0]), 6e17);
    }

    function test_slash_pendingIncreaseNotSlashable() public {
        _registerForSet(op, avs, 7);
        _allocate(op, set, 0, 5e17);
        assertEq(_slash(slasher, set, op, 0, WAD), 0);
        assertEq(am.getMaxMagnitude(op, strategies[0]), WAD);
        assertEq(am.getSlashCount(set), 1);
    }

    function test_slash_reverts() public {
        IAllocationManager.SlashingParams memory p = _slashParams(1);
        vm.prank(alice);
        vm.expectRevert(AllocationManager.OnlySlasher.selector);
        am.slashOperator(avs, p);
        vm.prank(slasher);
        vm.expectRevert(AllocationManager.OperatorNotSlashable.selector);
        am.slashOperator(avs, p);
        _registerForSet(op, avs, 7);
        p.wadsToSlash = new uint256[](0);
        vm.prank(slasher);
        vm.expectRevert(AllocationManager.InputArrayLengthMismatch.selector);
        am.slashOperator(avs, p);
        p.wadsToSlash = _oneU(0);
        vm.prank(slasher);
        vm.expectRevert(abi.encodeWithSelector(AllocationManager.InvalidWad.selector, 0));
        am.slashOperator(avs, p);
        p.wadsToSlash = _oneU(WAD + 1);
        vm.prank(slasher);
        vm.expectRevert(abi.encodeWithSelector(AllocationManager.InvalidWad.selector, WAD + 1));
        am.slashOperator(avs, p);
        p.strategies = new IStrategy[](2);
        p.strategies[0] = strategies[1];
        p.strategies[1] = strategies[0];
        p.wadsToSlash = new uint256[](2);
        p.wadsToSlash[0] = 1;
        p.wadsToSlash[1] = 1;
        vm.prank(slasher);
        vm.expectRevert(AllocationManager.StrategiesNotAscending.selector);
        am.slashOperator(avs, p);
        p.strategies[1] = strategies[1];
        vm.prank(slasher);
        vm.expectRevert(AllocationManager.StrategiesNotAscending.selector);
        am.slashOperator(avs, p);
        vm.prank(avs);
        am.removeStrategiesFromOperatorSet(avs, 7, _one(strategies[0]));
        p = _slashParams(1);
        vm.prank(slasher);
        vm.expectRevert(abi.encodeWithSelector(AllocationManager.StrategyNotInSet.selector, strategies[0]));
        am.slashOperator(avs, p);
        vm.prank(slasher);
        vm.expectRevert(AllocationManager.InvalidOperatorSet.selector);
        am.slashOperator(alice, p);
        vm.prank(owner);
        am.setPausedFlags(1 << 3);
        vm.prank(slasher);
        vm.expectRevert(abi.encodeWithSelector(PausableOwned.FunctionPaused.selector, 3));
        am.slashOperator(avs, p);
    }

    function test_views_futureBlockInPast() public {
        vm.expectRevert(AllocationManager.FutureBlockInPast.selector);
        am.getMinimumSlashableStake(set, new address[](0), new IStrategy[](0), uint32(block.number - 1));
    }

    function test_minimumSlashableStake_zeroAfterDeregistrationWindow() public {
        _registerForSet(op, avs, 7);
        _allocNow(0, 5e17);
        vm.prank(op);
        am.deregisterFromOperatorSets(IAllocationManager.DeregisterParams(op, avs, _ids(7)));
        address[] memory ops = new address[](1);
        ops[0] = op;
        uint256 until = block.number + DEALLOCATION_DELAY;
        assertEq(am.getMinimumSlashableStake(set, ops, _one(strategies[0]), uint32(until))[0][0], 50e18);
        assertEq(am.getMinimumSlashableStake(set, ops, _one(strategies[0]), uint32(until + 1))[0][0], 0);
        vm.roll(until + 1);
        assertEq(_slashable(set, op, strategies[0]), 0);
    }

    function testFuzz_slash_roundsUpAndKeepsBounds(uint64 alloc, uint64 wad1, uint64 wad2) public {
        uint64 a = uint64(bound(alloc, 1, WAD));
        uint256 w1 = bound(wad1, 1, WAD);
        uint256 w2 = bound(wad2, 1, WAD);
        _registerForSet(op, avs, 7);
        _allocNow(1, a);
        uint256 sharesBefore = dm.operatorShares(op, strategies[1]);
        _slash(slasher, set, op, 1, w1);
        uint64 expectedSlash = uint64(Math.mulDiv(a, w1, WAD, Math.Rounding.Ceil));
        assertEq(am.getMaxMagnitude(op, strategies[1]), WAD - expectedSlash);
        uint64 cur = am.getAllocation(op, set, strategies[1]).currentMagnitude;
        assertEq(cur, a - expectedSlash);
        if (cur > 0) _slash(slasher, set, op, 1, w2);
        uint64 maxMag = am.getMaxMagnitude(op, strategies[1]);
        assertLe(am.getEncumberedMagnitude(op, strategies[1]), maxMag);
        // never slashed beyond the allocation
        assertGe(maxMag, WAD - a);
        uint256 lost = sharesBefore - dm.operatorShares(op, strategies[1]);
        assertLe(lost, Math.mulDiv(sharesBefore, a, WAD, Math.Rounding.Ceil) + 1);
    }
}

/// A registrar that supports no AVS.
contract NoAvsRegistrar is TestRegistrar {
    function supportsAVS(address) external pure override returns (bool) {
        return false;
    }
}
