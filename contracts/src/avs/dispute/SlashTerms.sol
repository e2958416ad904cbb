// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Coordinator} from "../Coordinator.sol";
import {Job, Status} from "../CoordinatorTypes.sol";
import {IAllocationManager} from "../../interfaces/IAllocationManager.sol";
import {OperatorSet} from "../../interfaces/OperatorSet.sol";

/// @title SlashTerms
/// @notice How much a refuted operator loses (contracts/README.md §Value at risk). The value at
///         risk V of a request is the larger of the price paid to each seat and the value its
///         consumer declared before any operator took a seat (`declareValue`); a slash takes
///         min(1e18, max(slashWad, ceil(V * 1e18 / stake))) of the operator's allocation, stake
///         being its slashable stake in Sigil's set summed over the set's strategies. DisputeGame
///         creates one in its constructor (it lives apart to keep DisputeGame under EIP-170).
/// @dev Invariant: a request's declared value is set at most once, by its consumer, while the
///      request is open and no seat is taken, so every operator that takes a seat knows the
///      slash it risks. V <= 2^128, so V * 1e18 cannot overflow.
contract SlashTerms {
    Coordinator public immutable coordinator;
    uint256 public immutable slashWad;

    /// @notice The value at risk `id`'s consumer declared (0: none, the price stands).
    mapping(bytes32 id => uint256) public declaredValue;

    event ValueDeclared(bytes32 indexed id, address indexed consumer, uint256 value);

    error JobMismatch();
    error NotConsumer();
    error SeatTaken();
    error AlreadyDeclared();
    error InvalidValue();

    constructor(Coordinator coordinator_, uint256 slashWad_) {
        coordinator = coordinator_;
        slashWad = slashWad_ < 1e18 ? slashWad_ : 1e18;
    }

    /// @notice Declares the value at risk of the sender's request `id`: once, while the request is
    ///         open and before any operator has delivered or committed.
    function declareValue(bytes32 id, Job calldata job, uint256 value) external {
        if (coordinator.jobHash(id) != keccak256(abi.encode(job))) revert JobMismatch();
        if (msg.sender != job.consumer) revert NotConsumer();
        Coordinator.Request memory r = coordinator.getRequest(id);
        if (r.status != Status.Open || r.commits != 0) revert SeatTaken();
        if (declaredValue[id] != 0) revert AlreadyDeclared();
        if (value == 0 || value > type(uint128).max) revert InvalidValue();
        declaredValue[id] = value;
        emit ValueDeclared(id, msg.sender, value);
    }

    /// @notice V of request `id`: max(price per seat, declared value).
    function valueAtRisk(bytes32 id, Job calldata job) public view returns (uint256 v) {
        v = declaredValue[id];
        if (job.params.price > v) v = job.params.price;
    }

    /// @notice The slash fraction for `operator` refuted on request `id` of `job`.
    function slashWadFor(bytes32 id, Job calldata job, address operator) external view returns (uint256 wad) {
        wad = slashWad;
        uint256 stake = slashableStake(operator);
        if (stake == 0) return wad;
        uint256 atRisk = (valueAtRisk(id, job) * 1e18 + stake - 1) / stake;
        if (atRisk > wad) wad = atRisk < 1e18 ? atRisk : 1e18;
    }

    /// @notice `operator`'s slashable stake in Sigil's set now, summed over the set's strategies.
    function slashableStake(address operator) public view returns (uint256 total) {
        IAllocationManager am = coordinator.allocationManager();
        OperatorSet memory set = OperatorSet(address(coordinator), coordinator.operatorSetId());
        address[] memory ops = new address[](1);
        ops[0] = operator;
        uint256[] memory s = am.getMinimumSlashableStake(
            set, ops, am.getStrategiesInOperatorSet(set), uint32(block.number)
        )[0];
        for (uint256 i = 0; i < s.length; ++i) {
            total += s[i];
        }
    }
}
