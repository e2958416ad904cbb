// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Vm} from "forge-std/Vm.sol";
import {RecordingConsumerBase} from "./RecordingConsumerBase.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {FashionClassifier} from "../../src/consumer/FashionClassifier.sol";
import {SigilClient} from "../../src/consumer/SigilClient.sol";
import {RequestParams, Job, Claim, Status} from "../../src/avs/CoordinatorTypes.sol";
import {RecordingConsumer} from "./mocks/Consumers.sol";

/// @notice Correction callbacks: an answer called back at once and later refuted is followed by
///         `onSigilCorrection`; hostile correction hooks (reverting, gas-burning, return-bomb,
///         re-entering) change nothing but `CorrectionResult`, and never block the slash.
contract CorrectionsTest is RecordingConsumerBase {
    function _delivered(RequestParams memory p) internal returns (bytes32 id, Job memory job) {
        job = _jobFor(address(c), p, INPUT);
        id = c.request(p, INPUT);
        vm.prank(nodes[0]);
        coord.deliver(id, job, _claim(1));
    }

    function _refute(bytes32 id, Job memory job) internal {
        vm.recordLogs();
        vm.prank(market);
        coord.slashOperator(id, job, nodes[0], 0.5e18);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Refuted));
    }

    /// (found, success) of the CorrectionResult in the recorded logs.
    function _correction() internal returns (bool found, bool ok) {
        bytes32 sig = keccak256("CorrectionResult(bytes32,bool)");
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] == sig) {
                assertFalse(found, "two corrections");
                (found, ok) = (true, abi.decode(logs[i].data, (bool)));
            }
        }
    }

    function test_refutedAtOnceAnswerIsCorrected() public {
        (bytes32 id, Job memory job) = _delivered(_params(1));
        assertEq(c.calls(), 1);
        _refute(id, job);
        (bool found, bool ok) = _correction();
        assertTrue(found && ok);
        assertEq(c.corrections(), 1);
        assertEq(c.lastCorrectedClaim(), coord.hashClaim(_claim(1)));
        assertEq(uint8(c.corrected(id)), uint8(Status.Refuted));
        assertEq(coord.credits(address(c), _pay()), _cost(1), "escrow back");
    }

    function test_noCorrectionAfterWindowFinality() public {
        RequestParams memory p = _params(1);
        p.afterWindow = true;
        (bytes32 id, Job memory job) = _delivered(p);
        assertEq(c.calls(), 0);
        _refute(id, job);
        (bool found,) = _correction();
        assertFalse(found);
        assertEq(c.corrections(), 0);
    }

    function test_noCorrectionWithoutCallback() public {
        RequestParams memory p = _params(1);
        p.callbackGasLimit = 0;
        (bytes32 id, Job memory job) = _delivered(p);
        _refute(id, job);
        (bool found,) = _correction();
        assertFalse(found);
    }

    function test_revertingCorrectionDoesNotBlockTheSlash() public {
        c.setCorrectionMode(RecordingConsumer.Mode.Revert);
        (bytes32 id, Job memory job) = _delivered(_params(1));
        _refute(id, job);
        (bool found, bool ok) = _correction();
        assertTrue(found);
        assertFalse(ok);
        assertTrue(coord.slashed(id, nodes[0]));
        assertEq(coord.credits(address(c), _pay()), _cost(1));
    }

    /// Gas of refuting `id` (the slash and its correction), state restored afterwards.
    function _refuteGas(bytes32 id, Job memory job) internal returns (uint256 used) {
        uint256 snap = vm.snapshotState();
        vm.prank(market);
        uint256 g = gasleft();
        coord.slashOperator(id, job, nodes[0], 0.5e18);
        used = g - gasleft();
        vm.revertToState(snap);
    }

    /// A hook that burns all its gas gets min(callbackGasLimit, MAX_CORRECTION_GAS), so a consumer
    /// asking for a 5M-gas callback cannot make refuting its answer cost 5M.
    function test_gasBurningCorrectionIsCapped() public {
        RequestParams memory p = _params(1);
        p.callbackGasLimit = 5_000_000;
        (bytes32 id, Job memory job) = _delivered(p);
        c.setCorrectionMode(RecordingConsumer.Mode.Revert);
        uint256 cheap = _refuteGas(id, job);
        c.setCorrectionMode(RecordingConsumer.Mode.BurnGas);
        uint256 burnt = _refuteGas(id, job) - cheap;
        assertGt(burnt, coord.MAX_CORRECTION_GAS() - 10_000, "the hook got its budget");
        assertLt(burnt, coord.MAX_CORRECTION_GAS() + 10_000, "and no more");
        _refute(id, job);
        (bool found, bool ok) = _correction();
        assertTrue(found);
        assertFalse(ok);
        assertTrue(coord.slashed(id, nodes[0]));
    }

    function test_correctionGetsTheConsumersLimitWhenLower() public {
        RequestParams memory p = _params(1);
        p.callbackGasLimit = 150_000; // enough for the recording hook's four fresh slots
        (bytes32 id, Job memory job) = _delivered(p);
        _refute(id, job);
        assertEq(c.corrections(), 1);
        assertLt(c.correctionGas(), 150_000);
        assertGt(c.correctionGas(), 145_000);
    }

    function test_returnBombCorrectionIsNotCopied() public {
        c.setCorrectionMode(RecordingConsumer.Mode.ReturnBomb);
        (bytes32 id, Job memory job) = _delivered(_params(1));
        uint256 g = gasleft();
        _refute(id, job);
        assertLt(g - gasleft(), 600_000);
        (bool found, bool ok) = _correction();
        assertTrue(found && ok);
    }

    function test_correctionReentryIsRefused() public {
        c.setCorrectionMode(RecordingConsumer.Mode.Reenter);
        (bytes32 id, Job memory job) = _delivered(_params(1));
        c.setReentry(abi.encodeCall(Coordinator.withdraw, (_pay(), address(c))));
        _refute(id, job);
        assertFalse(c.reentryOk());
        assertEq(coord.credits(address(c), _pay()), _cost(1), "credit still there");
    }

    /// The caller of the slash cannot starve the hook: too little gas reverts the whole slash.
    function test_starvedCorrectionReverts() public {
        (bytes32 id, Job memory job) = _delivered(_params(1));
        c.setCorrectionMode(RecordingConsumer.Mode.Revert); // the hook itself needs almost nothing
        uint256 used = _refuteGas(id, job);
        vm.prank(market);
        vm.expectRevert(Coordinator.InsufficientGas.selector);
        coord.slashOperator{gas: used - 5_000}(id, job, nodes[0], 0.5e18);
        assertFalse(coord.slashed(id, nodes[0]));
    }

    /// k = 3, all agree (at-once callback at the last reveal), all refuted: one correction only.
    function test_redundantAgreeingSeatsCorrectedOnce() public {
        RequestParams memory p = _params(3);
        Job memory job = _jobFor(address(c), p, INPUT);
        bytes32 id = c.request(p, INPUT);
        for (uint8 i = 0; i < 3; ++i) {
            _commit(id, job, nodes[i], _claim(1));
        }
        for (uint8 i = 0; i < 3; ++i) {
            _reveal(id, job, i, nodes[i], _claim(1));
        }
        assertEq(c.calls(), 1);
        vm.recordLogs();
        vm.startPrank(market);
        for (uint8 i = 0; i < 3; ++i) {
            coord.slashOperator(id, job, nodes[i], 0.5e18);
        }
        vm.stopPrank();
        (bool found, bool ok) = _correction();
        assertTrue(found && ok);
        assertEq(c.corrections(), 1);
    }

    function test_onlyCoordinatorCorrects() public {
        vm.expectRevert(SigilClient.OnlyCoordinator.selector);
        c.onSigilCorrection(bytes32(0), bytes32(0), Status.Refuted);
    }

    // ------------------------------------------------------------------ the example consumer

    function _classifier() internal returns (FashionClassifier fc, bytes memory image) {
        fc = new FashionClassifier(coord, _params(1));
        pay.mint(address(fc), 100 ether);
        image = new bytes(784);
        for (uint256 i = 0; i < 784; ++i) {
            image[i] = bytes1(uint8(i * 3));
        }
    }

    function _classify(FashionClassifier fc, bytes memory image, uint256 item, bytes memory output)
        internal
        returns (bytes32 id, Job memory job, Claim memory cl)
    {
        job = _jobFor(address(fc), _params(1), image);
        id = fc.classify(item, image, nodes[0]);
        cl = _withOutput(_claim(0), output);
        vm.prank(nodes[0]);
        coord.deliver(id, job, cl);
    }

    function test_fashionClassifierWithdrawsARefutedLabel() public {
        (FashionClassifier fc, bytes memory image) = _classifier();
        (bytes32 id, Job memory job,) = _classify(fc, image, 7, hex"03");
        assertEq(fc.labelOf(7), 3);
        vm.expectEmit(address(fc));
        emit FashionClassifier.ClassificationRefuted(7, id);
        vm.prank(market);
        coord.slashOperator(id, job, nodes[0], 0.5e18);
        vm.expectRevert(abi.encodeWithSelector(FashionClassifier.NoLabel.selector, 7));
        fc.labelOf(7);
        assertEq(uint8(fc.corrected(id)), uint8(Status.Refuted));
    }

    /// A refuted older answer does not withdraw the label a later answer set.
    function test_fashionClassifierKeepsANewerLabel() public {
        (FashionClassifier fc, bytes memory image) = _classifier();
        (bytes32 oldId, Job memory oldJob,) = _classify(fc, image, 7, hex"03");
        _classify(fc, image, 7, hex"05");
        vm.prank(market);
        coord.slashOperator(oldId, oldJob, nodes[0], 0.5e18);
        assertEq(fc.labelOf(7), 5);
        assertEq(uint8(fc.corrected(oldId)), uint8(Status.Refuted));
    }
}
