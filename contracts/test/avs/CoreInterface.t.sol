// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {AvsBase} from "./AvsBase.sol";
import {IAllocationManager} from "../../src/interfaces/IAllocationManager.sol";
import {IStrategy} from "../../src/interfaces/IStrategy.sol";
import {IStrategyManager} from "../../src/interfaces/IStrategyManager.sol";
import {AllocationManager} from "../../src/core/AllocationManager.sol";
import {CoordinatorAdmin} from "../../src/avs/CoordinatorAdmin.sol";
import {OperatorRegistry} from "../../src/avs/OperatorRegistry.sol";
import {Job, Status} from "../../src/avs/CoordinatorTypes.sol";

/// @notice The AVS on the core's EigenLayer interface: its setup (metadata, registrar, a
///         redistributing set, the registrar appointed to eject) and slashing as slashOperator
///         then clearBurnOrRedistributableSharesByStrategy, paying out only what arrives.
contract CoreInterfaceTest is AvsBase {
    function test_initializeAVS_configuresTheCore() public view {
        assertTrue(am.isAVS(address(coord)));
        assertEq(address(am.getAVSRegistrar(address(coord))), address(registry));
        assertTrue(am.isRedistributingOperatorSet(_set()));
        assertEq(am.getRedistributionRecipient(_set()), address(coord));
        assertEq(am.getSlasher(_set()), address(coord));
        assertEq(am.getStrategiesInOperatorSet(_set()).length, 3);
        assertTrue(
            pc.canCall(address(coord), address(registry), address(am), am.deregisterFromOperatorSets.selector)
        );
        assertFalse(pc.canCall(address(coord), address(registry), address(am), am.slashOperator.selector));
        assertTrue(registry.supportsAVS(address(coord)));
        assertFalse(registry.supportsAVS(alice));
    }

    function test_initializeAVS_onlyOwnerOnce() public {
        vm.prank(alice);
        vm.expectRevert();
        coord.initializeAVS("x", new IStrategy[](0), strategies[0]);
        vm.prank(owner);
        vm.expectRevert(CoordinatorAdmin.AlreadyInitialized.selector);
        coord.initializeAVS("x", new IStrategy[](0), strategies[0]);
    }

    /// Only the registry's appointment lets it eject; without it the core refuses.
    function test_eject_needsTheAppointment() public {
        vm.prank(address(coord));
        pc.removeAppointee(
            address(coord), address(registry), address(am), am.deregisterFromOperatorSets.selector
        );
        vm.prank(owner);
        vm.expectRevert(AllocationManager.InvalidPermissions.selector);
        registry.eject(nodes[1]);
    }

    function test_slash_clearsEverySlashedShareAndCreditsWhatArrived() public {
        (bytes32 id, Job memory job) = _answered();
        uint256 before = tokens[0].balanceOf(address(coord));
        vm.prank(market);
        uint256[] memory amounts = coord.slashOperator(id, job, nodes[0], 0.25e18);
        uint256 arrived = tokens[0].balanceOf(address(coord)) - before;
        assertEq(arrived, STAKE / 4);
        uint256 sum;
        for (uint256 i = 0; i < amounts.length; ++i) {
            sum += amounts[i];
        }
        assertEq(sum, arrived, "strategies without allocation yield 0");
        assertEq(coord.credits(treasury, _tokenOf(0)), arrived);
        (IStrategy[] memory pending,) = sm.getBurnOrRedistributableShares(_set(), 1);
        assertEq(pending.length, 0, "nothing left to clear");
    }

    /// The core refuses the slash as OperatorNotSlashable: the claim is still refuted (consumer
    /// refunded), nothing is taken or credited.
    function test_slash_operatorNotSlashable_stillRefutes() public {
        (bytes32 id, Job memory job) = _answered();
        vm.mockCallRevert(
            address(am),
            abi.encodeWithSelector(IAllocationManager.slashOperator.selector),
            abi.encodeWithSelector(AllocationManager.OperatorNotSlashable.selector)
        );
        vm.prank(market);
        uint256[] memory amounts = coord.slashOperator(id, job, nodes[0], 0.5e18);
        for (uint256 i = 0; i < amounts.length; ++i) {
            assertEq(amounts[i], 0);
        }
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Refuted));
        assertEq(coord.credits(alice, _pay()), _cost(1));
        assertEq(coord.credits(treasury, _tokenOf(0)), 0);
    }

    /// Any other refusal of the slash reverts: it cannot end a game.
    function test_slash_otherCoreRefusalReverts() public {
        (bytes32 id, Job memory job) = _answered();
        vm.mockCallRevert(
            address(am),
            abi.encodeWithSelector(IAllocationManager.slashOperator.selector),
            abi.encodeWithSelector(AllocationManager.OnlySlasher.selector)
        );
        vm.prank(market);
        vm.expectRevert(AllocationManager.OnlySlasher.selector);
        coord.slashOperator(id, job, nodes[0], 0.5e18);
    }

    /// No gas limit lets a refutation succeed with the slash's shares left uncleared (their tokens
    /// would reach no one's credit): the call either credits everything slashed or reverts.
    function test_slash_noGasLimitSkipsTheClear() public {
        (bytes32 id, Job memory job) = _answered();
        bytes memory data = abi.encodeCall(coord.slashOperator, (id, job, nodes[0], 0.5e18));
        uint256 succeeded;
        for (uint256 g = 150_000; g < 1_000_000; g += 2_500) {
            uint256 snap = vm.snapshotState();
            vm.prank(market);
            (bool ok,) = address(coord).call{gas: g}(data);
            if (ok) {
                ++succeeded;
                (IStrategy[] memory pending,) = sm.getBurnOrRedistributableShares(_set(), 1);
                assertEq(pending.length, 0, "cleared");
                assertEq(coord.credits(treasury, _tokenOf(0)), STAKE / 2, "credited");
            }
            vm.revertToState(snap);
        }
        assertGt(succeeded, 0);
    }

    /// A clear that fails credits nothing for its strategy; the refutation still stands.
    function test_slash_failedClear_stillRefutesCreditsNothing() public {
        (bytes32 id, Job memory job) = _answered();
        vm.mockCallRevert(
            address(sm),
            abi.encodeWithSelector(IStrategyManager.clearBurnOrRedistributableSharesByStrategy.selector),
            ""
        );
        vm.prank(market);
        uint256[] memory amounts = coord.slashOperator(id, job, nodes[0], 0.5e18);
        for (uint256 i = 0; i < amounts.length; ++i) {
            assertEq(amounts[i], 0);
        }
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Refuted));
        assertEq(coord.credits(treasury, _tokenOf(0)), 0);
        (IStrategy[] memory pending,) = sm.getBurnOrRedistributableShares(_set(), 1);
        assertEq(pending.length, 1, "shares stay clearable");
    }
}
