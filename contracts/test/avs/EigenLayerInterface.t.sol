// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Test} from "forge-std/Test.sol";
import {IAllocationManager} from "../../src/interfaces/IAllocationManager.sol";
import {IAVSRegistrar} from "../../src/interfaces/IAVSRegistrar.sol";
import {IPermissionController} from "../../src/interfaces/IPermissionController.sol";
import {IStrategy} from "../../src/interfaces/IStrategy.sol";
import {IStrategyManager} from "../../src/interfaces/IStrategyManager.sol";
import {RewardsCoordinator} from "../../src/core/RewardsCoordinator.sol";

/// @notice Every function the AVS (SlashLib, OperatorRegistry, SlashTerms) calls on the restaking
///         core, and every callback the core makes into the AVS's registrar, exists in Sigil's
///         embedded core with EigenLayer's signature and selector. Checked from the compiled
///         artifacts: the core contract's ABI (methodIdentifiers in contracts/out), the callee's
///         and the caller's runtime bytecode (the selector as a PUSH4 in the dispatcher and at the
///         call site), and the Solidity interfaces the AVS is compiled against. The table's
///         selectors are EigenLayer's (each equals `cast sig` of its signature).
contract EigenLayerInterfaceTest is Test {
    struct Entry {
        string callee; // artifact name of Sigil's core contract that serves the call
        string caller; // artifact name of the AVS contract that makes the call
        string signature;
        bytes4 selector;
    }

    function _table() internal pure returns (Entry[] memory t) {
        t = new Entry[](17);
        // AVS setup (SlashLib.setupAVS, run by the Coordinator)
        t[0] = Entry("AllocationManager", "SlashLib", "updateAVSMetadataURI(address,string)", 0xa9821821);
        t[1] = Entry("AllocationManager", "SlashLib", "setAVSRegistrar(address,address)", 0xd3d96ff4);
        t[2] = Entry(
            "AllocationManager",
            "SlashLib",
            "createRedistributingOperatorSets(address,(uint32,address[],address)[],address[])",
            0xd1a83f54
        );
        t[3] = Entry("AllocationManager", "SlashLib", "permissionController()", 0x4657e26a);
        t[4] = Entry(
            "PermissionController", "SlashLib", "setAppointee(address,address,address,bytes4)", 0x950d806e
        );
        // slashing (SlashLib.slash)
        t[5] = Entry(
            "AllocationManager", "SlashLib", "getStrategiesInOperatorSet((address,uint32))", 0x4177a87c
        );
        t[6] = Entry(
            "AllocationManager",
            "SlashLib",
            "slashOperator(address,(address,uint32,address[],uint256[],string))",
            0x36352057
        );
        t[7] = Entry(
            "StrategyManager",
            "SlashLib",
            "clearBurnOrRedistributableSharesByStrategy((address,uint32),uint256,address)",
            0x2d44def6
        );
        t[8] = Entry("Strategy", "SlashLib", "underlyingToken()", 0x2495a599);
        // ejection and stake checks (OperatorRegistry, SlashTerms)
        t[9] = Entry(
            "AllocationManager",
            "OperatorRegistry",
            "deregisterFromOperatorSets((address,address,uint32[]))",
            0x6e3492b5
        );
        t[10] = Entry(
            "AllocationManager",
            "OperatorRegistry",
            "getMinimumSlashableStake((address,uint32),address[],address[],uint32)",
            0x2bab2c4a
        );
        t[11] = Entry(
            "AllocationManager",
            "SlashTerms",
            "getMinimumSlashableStake((address,uint32),address[],address[],uint32)",
            0x2bab2c4a
        );
        t[12] = Entry("AllocationManager", "OperatorRegistry", "DEALLOCATION_DELAY()", 0x2981eb77);
        // callbacks of the core into the registrar (the OperatorRegistry serves them; the core calls)
        t[13] = Entry(
            "OperatorRegistry",
            "AllocationManager",
            "registerOperator(address,address,uint32[],bytes)",
            0xc63fd502
        );
        t[14] = Entry(
            "OperatorRegistry",
            "AllocationManager",
            "deregisterOperator(address,address,uint32[])",
            0x303ca956
        );
        t[15] = Entry("OperatorRegistry", "AllocationManager", "supportsAVS(address)", 0xb5265787);
        // operator and staker entry points (the CLI)
        t[16] = Entry("StrategyManager", "", "depositIntoStrategy(address,address,uint256)", 0xe7a050aa);
    }

    function test_tableSelectorsAreTheSignatureHashes() public pure {
        Entry[] memory t = _table();
        for (uint256 i = 0; i < t.length; ++i) {
            assertEq(bytes4(keccak256(bytes(t[i].signature))), t[i].selector, t[i].signature);
        }
    }

    function test_coreArtifactsExposeEveryCallWithEigenLayerSelector() public view {
        Entry[] memory t = _table();
        for (uint256 i = 0; i < t.length; ++i) {
            assertTrue(
                _inAbi(t[i].callee, t[i].signature), string.concat(t[i].callee, " lacks ", t[i].signature)
            );
            assertTrue(
                _hasPush4(vm.getDeployedCode(_path(t[i].callee)), t[i].selector),
                string.concat(t[i].callee, " does not dispatch ", t[i].signature)
            );
            if (bytes(t[i].caller).length != 0) {
                assertTrue(
                    _hasPush4(vm.getDeployedCode(_path(t[i].caller)), t[i].selector),
                    string.concat(t[i].caller, " does not call ", t[i].signature)
                );
            }
        }
    }

    /// The Solidity interfaces the AVS is compiled against carry the same selectors.
    function test_interfacesCarryEigenLayerSelectors() public pure {
        assertEq(IAllocationManager.updateAVSMetadataURI.selector, bytes4(0xa9821821));
        assertEq(IAllocationManager.setAVSRegistrar.selector, bytes4(0xd3d96ff4));
        assertEq(IAllocationManager.createRedistributingOperatorSets.selector, bytes4(0xd1a83f54));
        assertEq(IAllocationManager.createOperatorSets.selector, bytes4(0x3dff8e7d));
        assertEq(IAllocationManager.deregisterFromOperatorSets.selector, bytes4(0x6e3492b5));
        assertEq(IAllocationManager.registerForOperatorSets.selector, bytes4(0xadc2e3d9));
        assertEq(IAllocationManager.slashOperator.selector, bytes4(0x36352057));
        assertEq(IAllocationManager.getMinimumSlashableStake.selector, bytes4(0x2bab2c4a));
        assertEq(IAllocationManager.getStrategiesInOperatorSet.selector, bytes4(0x4177a87c));
        assertEq(IAllocationManager.permissionController.selector, bytes4(0x4657e26a));
        assertEq(IStrategyManager.clearBurnOrRedistributableSharesByStrategy.selector, bytes4(0x2d44def6));
        assertEq(IStrategyManager.clearBurnOrRedistributableShares.selector, bytes4(0x88c10299));
        assertEq(IStrategyManager.depositIntoStrategy.selector, bytes4(0xe7a050aa));
        assertEq(IStrategy.underlyingToken.selector, bytes4(0x2495a599));
        assertEq(IPermissionController.setAppointee.selector, bytes4(0x950d806e));
        assertEq(IPermissionController.canCall.selector, bytes4(0xdf595cb8));
        assertEq(IAVSRegistrar.registerOperator.selector, bytes4(0xc63fd502));
        assertEq(IAVSRegistrar.deregisterOperator.selector, bytes4(0x303ca956));
        assertEq(IAVSRegistrar.supportsAVS.selector, bytes4(0xb5265787));
        // the embedded RewardsCoordinator's operator-directed submissions (EigenLayer's entry point)
        assertEq(
            RewardsCoordinator.createOperatorDirectedOperatorSetRewardsSubmission.selector, bytes4(0x0ca29899)
        );
        assertEq(RewardsCoordinator.setOperatorSetSplit.selector, bytes4(0xf74e8eac));
        assertEq(RewardsCoordinator.getOperatorSetSplit.selector, bytes4(0x9de4b35f));
    }

    /// The core's former, non-EigenLayer forms are gone.
    function test_formerFormsAreGone() public view {
        assertFalse(_inAbi("AllocationManager", "getSlashableStake((address,uint32),address,address[])"));
        assertFalse(_inAbi("AllocationManager", "updateAVSMetadataURI(string)"));
        assertFalse(_inAbi("AllocationManager", "setAVSRegistrar(address)"));
        assertFalse(_inAbi("AllocationManager", "createOperatorSets((uint32,address[],address,address)[])"));
        assertFalse(_inAbi("AllocationManager", "deregisterFromOperatorSets(address,address,uint32[])"));
        assertFalse(_inAbi("AllocationManager", "registerForOperatorSets(address,address,uint32[],bytes)"));
        assertFalse(_inAbi("StrategyManager", "depositIntoStrategy(address,uint256)"));
    }

    function _path(string memory name) internal pure returns (string memory) {
        return string.concat(name, ".sol:", name);
    }

    function _inAbi(string memory name, string memory signature) internal view returns (bool) {
        string memory json = vm.readFile(string.concat("out/", name, ".sol/", name, ".json"));
        string[] memory sigs = vm.parseJsonKeys(json, ".methodIdentifiers");
        for (uint256 i = 0; i < sigs.length; ++i) {
            if (keccak256(bytes(sigs[i])) == keccak256(bytes(signature))) return true;
        }
        return false;
    }

    /// True when `code` holds PUSH4 `selector` (0x63 followed by the four bytes).
    function _hasPush4(bytes memory code, bytes4 selector) internal pure returns (bool) {
        for (uint256 i = 0; i + 4 < code.length; ++i) {
            if (
                code[i] == 0x63 && code[i + 1] == selector[0] && code[i + 2] == selector[1]
                    && code[i + 3] == selector[2] && code[i + 4] == selector[3]
            ) return true;
        }
        return false;
    }
}
