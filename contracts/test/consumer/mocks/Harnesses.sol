// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Coordinator} from "../../../src/avs/Coordinator.sol";
import {RequestParams, Claim, SubscriptionTerms} from "../../../src/avs/CoordinatorTypes.sol";
import {ICoordinator} from "../../../src/consumer/ICoordinator.sol";
import {SigilIntervalClient} from "../../../src/consumer/SigilIntervalClient.sol";
import {SigilClient} from "../../../src/consumer/SigilClient.sol";
import {SigilIntervalConsumer} from "../../../src/consumer/SigilIntervalConsumer.sol";

/// @notice The helpers of a consumer base, exposed; both harnesses implement it, so one test
///         body runs against SigilClient and SigilConsumer (through their interval bases, whose
///         `fireInterval` and `intervalOf` are external already).
interface IHarness {
    function defaults(bytes32 model, IERC20 token, address node) external view returns (RequestParams memory);
    function escrowOf(RequestParams calldata p) external view returns (uint256);
    function request(RequestParams calldata p, bytes calldata input) external returns (bytes32);
    function requestRouted(RequestParams calldata p, bytes calldata input, bytes calldata assignment)
        external
        returns (bytes32);
    function subscribe(RequestParams calldata p, bytes calldata input, uint32 period, uint16 n)
        external
        returns (uint256, SubscriptionTerms memory);
    function cancel(uint256 subId, SubscriptionTerms calldata t) external;
    function startIntervals(RequestParams calldata p, uint32 period, uint16 n) external returns (uint256);
    function stop(uint256 scheduleId) external returns (uint16);
    function withdraw(IERC20 token, address to) external returns (uint256);
    function approve(IERC20 token) external;
    function useHook(bool on) external;
    function outputOf(bytes32 id) external view returns (bytes memory);
}

/// @notice The input every harness computes for an interval: fresh per index and time.
function intervalInput(uint256 scheduleId, uint16 index) view returns (bytes memory) {
    return abi.encodePacked("interval", scheduleId, index, uint64(block.timestamp));
}

/// @notice A harness's interval hook while switched off.
error HookOff();

/// @notice The harness body, on whichever base the concrete harness adds (SigilClient alone, or
///         SigilConsumer): every helper exposed, the interval hook switchable, answers stored.
abstract contract HarnessBody is SigilIntervalClient, IHarness {
    mapping(bytes32 => bytes) public outputOf;
    bool internal _hook;

    function defaults(bytes32 model, IERC20 token, address node)
        external
        view
        returns (RequestParams memory)
    {
        return _defaults(model, token, node);
    }

    function escrowOf(RequestParams calldata p) external view returns (uint256) {
        return _escrowOf(p);
    }

    function request(RequestParams calldata p, bytes calldata input) external returns (bytes32) {
        return _requestInference(p, input, "");
    }

    function requestRouted(RequestParams calldata p, bytes calldata input, bytes calldata assignment)
        external
        returns (bytes32)
    {
        return _requestRouted(p, input, "", assignment);
    }

    function subscribe(RequestParams calldata p, bytes calldata input, uint32 period, uint16 n)
        external
        returns (uint256 subId, SubscriptionTerms memory t)
    {
        subId = _subscribe(p, input, "", period, n);
        t = _subscriptionTerms(p, input, period);
    }

    function cancel(uint256 subId, SubscriptionTerms calldata t) external {
        _cancelSubscription(subId, t);
    }

    function startIntervals(RequestParams calldata p, uint32 period, uint16 n) external returns (uint256) {
        return _startIntervals(p, period, n);
    }

    function stop(uint256 scheduleId) external returns (uint16) {
        return _stopIntervals(scheduleId);
    }

    function withdraw(IERC20 token, address to) external returns (uint256) {
        return _withdrawCredits(token, to);
    }

    function approve(IERC20 token) external {
        _approvePayments(token, type(uint256).max);
    }

    function useHook(bool on) external {
        _hook = on;
    }

    function _intervalInput(uint256 scheduleId, uint16 index)
        internal
        override
        returns (bytes memory, string memory)
    {
        if (!_hook) revert HookOff();
        return (intervalInput(scheduleId, index), "");
    }

    function _onResult(bytes32 requestId, bytes calldata output, Claim calldata) internal override {
        outputOf[requestId] = output;
    }
}


contract ClientHarness is HarnessBody {
    constructor(ICoordinator c) SigilClient(c) {}
}

contract ConsumerHarness is SigilIntervalConsumer, HarnessBody {
    constructor(Coordinator c) SigilIntervalConsumer(c) {}
}
