// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {RequestParams, SubscriptionTerms} from "../avs/CoordinatorTypes.sol";
import {ICoordinator} from "./ICoordinator.sol";

/// @title SigilRequests
/// @notice Request helpers shared by SigilConsumer and SigilClient, compiled against
///         ICoordinator only: default request parameters from a model root and a node's listed
///         price, the escrow a request locks, a subscription's terms, and consumer-side
///         intervals (a request every period on an input computed at that time).
/// @dev Intervals live at a fixed storage slot (ERC-7201 style, namespace
///      "sigil.consumer.intervals"), so adding them to a consumer moves none of its own storage.
library SigilRequests {
    /// @notice Gas the consumer's callback gets by default: enough to store an answer of a few
    ///         hundred bytes and emit an event. Raise it for heavier callbacks.
    uint32 internal constant DEFAULT_CALLBACK_GAS = 200_000;
    /// @notice Seconds from the request to its deadline (then anyone may refund it).
    uint32 internal constant DEFAULT_TTL = 1 hours;
    /// @notice Seconds during which only the assigned node may answer (then any serving node
    ///         may take the seat by commit and reveal).
    uint32 internal constant DEFAULT_EXCLUSIVE_WINDOW = 5 minutes;

    /// @dev keccak256(abi.encode(uint256(keccak256("sigil.consumer.intervals")) - 1)) & ~0xff
    bytes32 internal constant INTERVALS_SLOT =
        0x9352f2e80afc8bd3368429ab42d32f6bd90c88bf95fe27dd21a672afe48de400;

    /// @notice A consumer-side schedule: `remaining` more requests of `params`, the next one due
    ///         at `nextAt`, then one every `period` seconds.
    /// @param next Index of the next interval (0 for the first).
    struct Interval {
        RequestParams params;
        uint32 period;
        uint32 nextAt;
        uint16 remaining;
        uint16 next;
    }

    /// @custom:storage-location erc7201:sigil.consumer.intervals
    struct IntervalStore {
        uint256 count;
        mapping(uint256 id => Interval) intervals;
    }

    event IntervalsStarted(uint256 indexed scheduleId, uint32 period, uint16 count);
    event IntervalRequested(uint256 indexed scheduleId, uint16 indexed index, bytes32 requestId);
    event IntervalsStopped(uint256 indexed scheduleId, uint16 unused);

    /// @notice `node` does not serve (modelRoot, token) or is not an active operator.
    error NotServed(address node, bytes32 modelRoot, IERC20 token);
    /// @notice Zero period or zero intervals.
    error NoIntervals();
    /// @notice The next interval of `scheduleId` is not due until `nextAt`.
    error IntervalNotDue(uint256 scheduleId, uint32 nextAt);
    /// @notice Unknown schedule, or every interval used or stopped.
    error IntervalsOver(uint256 scheduleId);

    // ------------------------------------------------------------------ parameters

    /// @notice A k = 1 request of `modelRoot` paid in `token`, assigned to `node` at the price
    ///         `node` lists in the OperatorRegistry: the node answers alone for
    ///         DEFAULT_EXCLUSIVE_WINDOW, the callback (DEFAULT_CALLBACK_GAS) comes at delivery, the
    ///         deadline is DEFAULT_TTL away. Reverts NotServed unless the node serves the model in
    ///         `token`. The model's royalty is not a parameter: the Coordinator adds the one in
    ///         force at request time to the escrow (see `escrowOf`).
    function defaults(ICoordinator c, bytes32 modelRoot, IERC20 token, address node)
        internal
        view
        returns (RequestParams memory p)
    {
        (bool served, uint96 price) = c.operators().quote(node, modelRoot, token);
        if (!served) revert NotServed(node, modelRoot, token);
        p = defaultsAt(modelRoot, token, price);
        p.assigned = node;
        p.commitWindow = DEFAULT_EXCLUSIVE_WINDOW;
    }

    /// @notice A k = 1 request of `modelRoot` paid in `token` with no assigned node: any node that
    ///         lists a price <= `price` may take the seat (commit, then reveal).
    function defaultsAt(bytes32 modelRoot, IERC20 token, uint96 price)
        internal
        pure
        returns (RequestParams memory p)
    {
        p.modelRoot = modelRoot;
        p.token = token;
        p.price = price;
        p.redundancy = 1;
        p.callbackGasLimit = DEFAULT_CALLBACK_GAS;
        p.ttl = DEFAULT_TTL;
    }

    /// @notice What a request of `p` made now locks in escrow: k * (price + fee) + the model's
    ///         royalty in force (ModelRegistry.terms). Fund the consumer with at least this much
    ///         (credit at the Coordinator, or tokens it approved to the Coordinator).
    function escrowOf(ICoordinator c, RequestParams memory p) internal view returns (uint256) {
        (, uint96 royalty, bool usable) = c.models().terms(p.modelRoot, p.token);
        if (!usable) revert ICoordinator.ModelNotUsable(p.modelRoot);
        return c.cost(p.price, p.redundancy, c.feeBips(), royalty);
    }

    /// @notice The hash a router signs for `p` (its `paramsHash`; `p.assigned` is the node).
    function paramsHash(RequestParams memory p) internal pure returns (bytes32) {
        return keccak256(abi.encode(p));
    }

    /// @notice The terms `Coordinator.subscribe(p, input, _, period, _)` fixes when called in the
    ///         same block (royalty and fee may change later): what `trigger` and
    ///         `cancelSubscription` need back.
    function subscriptionTerms(ICoordinator c, RequestParams memory p, bytes memory input, uint32 period)
        internal
        view
        returns (SubscriptionTerms memory)
    {
        (address creator, uint96 royalty,) = c.models().terms(p.modelRoot, p.token);
        return SubscriptionTerms(
            p, input.length == 0 ? bytes32(0) : keccak256(input), creator, royalty, c.feeBips(), period
        );
    }

    // ------------------------------------------------------------------ intervals

    /// @notice Schedules `count` requests of `p`, the first due now, then one every `period`
    ///         seconds; returns the schedule id (1, 2, ...). Nothing is escrowed now: each
    ///         interval's request is paid when it is made, at the royalty and fee of that moment.
    function startIntervals(RequestParams memory p, uint32 period, uint16 count)
        internal
        returns (uint256 id)
    {
        if (period == 0 || count == 0) revert NoIntervals();
        IntervalStore storage s = _store();
        id = ++s.count;
        s.intervals[id] = Interval(p, period, uint32(block.timestamp), count, 0);
        emit IntervalsStarted(id, period, count);
    }

    /// @notice Spends the next due interval of `id`: returns its request parameters and index.
    ///         Reverts IntervalsOver when none is left and IntervalNotDue before its time. Each
    ///         interval is spent at most once, and the next becomes due `period` seconds after
    ///         this one was (missed intervals can be caught up one call each).
    function nextInterval(uint256 id) internal returns (RequestParams memory p, uint16 index) {
        Interval storage it = _store().intervals[id];
        if (it.remaining == 0) revert IntervalsOver(id);
        if (block.timestamp < it.nextAt) revert IntervalNotDue(id, it.nextAt);
        it.remaining -= 1;
        it.nextAt += it.period;
        index = it.next++;
        p = it.params;
    }

    /// @notice Drops the intervals of `id` not yet spent; returns how many.
    function stopIntervals(uint256 id) internal returns (uint16 unused) {
        Interval storage it = _store().intervals[id];
        unused = it.remaining;
        it.remaining = 0;
        emit IntervalsStopped(id, unused);
    }

    /// @notice Schedule `id` (all zero when unknown).
    function intervalOf(uint256 id) internal view returns (Interval memory) {
        return _store().intervals[id];
    }

    function _store() private pure returns (IntervalStore storage s) {
        bytes32 slot = INTERVALS_SLOT;
        assembly ("memory-safe") {
            s.slot := slot
        }
    }
}
