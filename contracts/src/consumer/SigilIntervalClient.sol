// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {RequestParams} from "../avs/CoordinatorTypes.sol";
import {SigilClient} from "./SigilClient.sol";
import {SigilRequests} from "./SigilRequests.sol";

/// @title SigilIntervalClient
/// @notice SigilClient with interval schedules: a request every period, each on an input
///         computed when it is made by the `_intervalInput` hook (a Coordinator subscription
///         repeats one input, fixed by its hash in the subscription's terms). Start a schedule
///         with `_startIntervals`; anyone calls `fireInterval` when an interval is due. A
///         contract built on it passes the Coordinator to SigilClient's constructor
///         (`constructor(ICoordinator c) SigilClient(c) {}`); SigilIntervalConsumer is the same
///         on SigilConsumer.
/// @dev Each interval's request is an ordinary request of this contract, paid from its credit or
///      tokens at the royalty and fee of that moment. `fireInterval` is open to anyone because
///      what it can spend is bounded by the schedules this contract started: at most one request
///      per interval, never before the interval is due, never more than `count` per schedule.
///      Override it to restrict callers.
abstract contract SigilIntervalClient is SigilClient {
    /// @notice Makes the due request of schedule `scheduleId` (anyone may call); returns its id.
    ///         Reverts SigilRequests.IntervalsOver / IntervalNotDue when none is due.
    function fireInterval(uint256 scheduleId) external virtual returns (bytes32) {
        return _fireInterval(scheduleId);
    }

    /// @notice Schedule `scheduleId`: parameters, period, next due time, intervals left, next index.
    function intervalOf(uint256 scheduleId) external view returns (SigilRequests.Interval memory) {
        return SigilRequests.intervalOf(scheduleId);
    }

    /// @notice The input of interval `index` (0, 1, ...) of `scheduleId`: inline bytes, or empty
    ///         bytes and a URI when the schedule's parameters carry an inputRoot. Runs after the
    ///         interval is spent and before its request is made.
    function _intervalInput(uint256 scheduleId, uint16 index)
        internal
        virtual
        returns (bytes memory input, string memory inputURI);

    /// @notice Schedules `count` requests of `p`, the first due now, then one every `period`
    ///         seconds; returns the schedule id (1, 2, ...).
    function _startIntervals(RequestParams memory p, uint32 period, uint16 count) internal returns (uint256) {
        return SigilRequests.startIntervals(p, period, count);
    }

    /// @notice Spends the due interval of `scheduleId` and requests on `_intervalInput`'s input.
    function _fireInterval(uint256 scheduleId) internal returns (bytes32 requestId) {
        (RequestParams memory p, uint16 index) = SigilRequests.nextInterval(scheduleId);
        (bytes memory input, string memory inputURI) = _intervalInput(scheduleId, index);
        requestId = coordinator.request(p, input, inputURI);
        emit SigilRequests.IntervalRequested(scheduleId, index, requestId);
    }

    /// @notice Drops the unspent intervals of `scheduleId`; returns how many.
    function _stopIntervals(uint256 scheduleId) internal returns (uint16) {
        return SigilRequests.stopIntervals(scheduleId);
    }
}
