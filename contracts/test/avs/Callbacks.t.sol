// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Vm} from "forge-std/Vm.sol";
import {RecordingConsumerBase} from "./RecordingConsumerBase.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {SigilClient} from "../../src/consumer/SigilClient.sol";
import {RequestParams, Job, Claim, Status} from "../../src/avs/CoordinatorTypes.sol";
import {RecordingConsumer} from "./mocks/Consumers.sol";
import {ReentrantToken} from "../core/mocks/ReentrantToken.sol";
import {FeeOnTransferToken} from "../core/mocks/FeeOnTransferToken.sol";

/// @notice Hostile consumers and tokens: callbacks that revert, burn gas, return huge data or
///         re-enter; tokens that re-enter or take a fee.
contract CallbacksTest is RecordingConsumerBase {
    function _deliverWith(RecordingConsumer.Mode mode, bool afterWindow)
        internal
        returns (bytes32 id, Job memory job)
    {
        c.setMode(mode);
        RequestParams memory p = _params(1);
        p.afterWindow = afterWindow;
        job = _jobFor(address(c), p, INPUT);
        id = c.request(p, INPUT);
        vm.prank(nodes[0]);
        vm.recordLogs();
        coord.deliver(id, job, _claim(1));
    }

    function _settle(bytes32 id, Job memory job) internal {
        vm.warp(block.timestamp + WINDOW);
        coord.settle(id, job, _claim(1));
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Settled));
    }

    function test_revertingCallbackDoesNotBlock() public {
        (bytes32 id, Job memory job) = _deliverWith(RecordingConsumer.Mode.Revert, false);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Answered));
        assertFalse(_callbackOk());
        _settle(id, job);
    }

    function test_revertingCallbackAtSettle() public {
        (bytes32 id, Job memory job) = _deliverWith(RecordingConsumer.Mode.Revert, true);
        vm.warp(block.timestamp + WINDOW);
        vm.recordLogs();
        coord.settle(id, job, _claim(1));
        assertFalse(_callbackOk());
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Settled));
    }

    function test_gasBurningCallbackDoesNotBlock() public {
        (bytes32 id, Job memory job) = _deliverWith(RecordingConsumer.Mode.BurnGas, false);
        assertFalse(_callbackOk());
        _settle(id, job);
    }

    function test_returnBombIsNotCopied() public {
        uint256 g = gasleft();
        (bytes32 id, Job memory job) = _deliverWith(RecordingConsumer.Mode.ReturnBomb, false);
        assertLt(g - gasleft(), 400_000);
        assertTrue(_callbackOk());
        _settle(id, job);
    }

    function test_recordingCallbackSucceeds() public {
        _deliverWith(RecordingConsumer.Mode.Record, false);
        assertTrue(_callbackOk());
        assertEq(c.calls(), 1);
    }

    function test_callbackReentryIsRefused() public {
        RequestParams memory p = _params(1);
        Job memory other = _jobFor(address(c), p, INPUT);
        bytes32 otherId = c.request(p, INPUT);
        c.setReentry(abi.encodeCall(Coordinator.deliver, (otherId, other, _claim(1))));
        (bytes32 id, Job memory job) = _deliverWith(RecordingConsumer.Mode.Reenter, false);
        assertFalse(c.reentryOk());
        assertEq(uint8(coord.getRequest(otherId).status), uint8(Status.Open));
        c.setReentry(abi.encodeCall(Coordinator.withdraw, (_pay(), address(c))));
        (id, job) = _deliverWith(RecordingConsumer.Mode.Reenter, false);
        assertFalse(c.reentryOk());
        c.setReentry(abi.encodeCall(Coordinator.settle, (id, job, _claim(1))));
        (bytes32 id3, Job memory job3) = _deliverWith(RecordingConsumer.Mode.Reenter, true);
        vm.warp(block.timestamp + WINDOW);
        coord.settle(id3, job3, _claim(1));
        assertFalse(c.reentryOk());
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Answered));
    }

    function test_onlyCoordinatorCallsBack() public {
        vm.expectRevert(SigilClient.OnlyCoordinator.selector);
        c.onSigilResult(bytes32(0), _claim(1));
    }

    function test_reentrantTokenCannotReenter() public {
        ReentrantToken t = new ReentrantToken();
        vm.prank(creator);
        models.setRoyalty(MODEL, IERC20(address(t)), 0);
        RequestParams memory p = _params(1);
        p.token = IERC20(address(t));
        t.mint(alice, 100 ether);
        vm.prank(alice);
        t.approve(address(coord), type(uint256).max);
        vm.prank(alice);
        coord.request(p, INPUT, "");
        t.arm(address(coord), abi.encodeCall(Coordinator.withdraw, (IERC20(address(t)), address(t))));
        vm.prank(alice);
        coord.request(p, INPUT, "");
        assertTrue(t.attempted());
        assertFalse(t.reentrySucceeded());
        assertEq(bytes4(t.revertData()), ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        assertEq(t.balanceOf(address(coord)), 2 * (PRICE + (uint256(PRICE) * FEE_BIPS) / 10_000));
    }

    function test_feeOnTransferTokenRefused() public {
        FeeOnTransferToken t = new FeeOnTransferToken(100);
        RequestParams memory p = _params(1);
        p.token = IERC20(address(t));
        vm.prank(creator); // MODEL is licensed: usable in a token once it has a royalty there
        models.setRoyalty(MODEL, p.token, ROYALTY);
        t.mint(alice, 100 ether);
        vm.prank(alice);
        t.approve(address(coord), type(uint256).max);
        vm.prank(alice);
        vm.expectRevert(Coordinator.UnsupportedToken.selector);
        coord.request(p, INPUT, "");
    }

    function _callbackOk() internal returns (bool) {
        bytes32 sig = keccak256("CallbackResult(bytes32,bool)");
        (bool found, bool ok) = (false, false);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] == sig) (found, ok) = (true, abi.decode(logs[i].data, (bool)));
        }
        assertTrue(found, "no CallbackResult");
        return ok;
    }
}
