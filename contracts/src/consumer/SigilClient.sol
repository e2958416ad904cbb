// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {RequestParams, Claim, SubscriptionTerms, Status} from "../avs/CoordinatorTypes.sol";
import {ICoordinator} from "./ICoordinator.sol";
import {ISigilConsumer} from "./ISigilConsumer.sol";
import {SigilRequests} from "./SigilRequests.sol";
import {GenerationLib, GenerationSpec} from "../avs/dispute/GenerationLib.sol";

/// @title SigilClient
/// @notice Base for consumer contracts, compiled against ICoordinator only (no Coordinator, no
///         proof market in the build). SigilConsumer is this base plus the proof-market helpers
///         (value at risk, verification bounty). Inherit it, request with `_requestInference` or
///         `_requestCompletion` (parameters from `_defaults`),
///         override `_onResult`; SigilIntervalClient adds requests on a schedule with an input
///         computed for each interval. examples/Quickstart.sol is the smallest complete consumer.
///         Funding: a request's escrow comes from this contract's credit at the Coordinator first
///         (anyone can add to it with `coordinator.deposit(address(this), token, amount)`), then
///         by transferFrom of tokens this contract holds and approved (`_approvePayments`).
///         Refunds are credited back and spent by later requests, or withdrawn with
///         `_withdrawCredits`.
/// @dev Invariants relied on: the Coordinator calls `onSigilResult` / `onSigilCorrection` only
///      for requests whose job names this contract as consumer (the job is hashed at request time
///      and checked at every delivery), so every id arriving here is one this contract requested
///      (directly, routed, by a subscription it opened or by an interval schedule it started); and the only
///      caller accepted is `coordinator`. Callbacks run inside the Coordinator's reentrancy guard,
///      so `_onResult` cannot make a new request.
abstract contract SigilClient is ISigilConsumer {
    using SafeERC20 for IERC20;

    /// @notice The only caller of `onSigilResult` and `onSigilCorrection`.
    ICoordinator public immutable coordinator;

    /// @notice The corrected status of a request whose at-once answer was corrected (None: never).
    mapping(bytes32 requestId => Status) public corrected;

    event ResultCorrected(bytes32 indexed requestId, bytes32 claimHash, Status status);

    error OnlyCoordinator();

    constructor(ICoordinator coordinator_) {
        coordinator = coordinator_;
    }

    /// @inheritdoc ISigilConsumer
    function onSigilResult(bytes32 requestId, Claim calldata claim) external {
        if (msg.sender != address(coordinator)) revert OnlyCoordinator();
        _onResult(requestId, claim.output, claim);
    }

    /// @inheritdoc ISigilConsumer
    function onSigilCorrection(bytes32 requestId, bytes32 claimHash, Status status) external {
        if (msg.sender != address(coordinator)) revert OnlyCoordinator();
        _onCorrection(requestId, claimHash, status);
    }

    /// @notice Handles the answer of `requestId`; `output` is `claim.output`.
    function _onResult(bytes32 requestId, bytes calldata output, Claim calldata claim) internal virtual;

    /// @notice Handles a correction of an answer delivered at once (the proof market refuted it;
    ///         the escrow is already credited back). The default records it as `ResultCorrected`
    ///         and `corrected(requestId)`; override to undo what `_onResult` did. Keep it within
    ///         min(callbackGasLimit, MAX_CORRECTION_GAS) gas.
    function _onCorrection(bytes32 requestId, bytes32 claimHash, Status status) internal virtual {
        corrected[requestId] = status;
        emit ResultCorrected(requestId, claimHash, status);
    }

    // ------------------------------------------------------------------ requests

    /// @notice Requests one model operation; returns its id.
    function _requestInference(RequestParams memory p, bytes memory input, string memory inputURI)
        internal
        returns (bytes32)
    {
        return coordinator.request(p, input, inputURI);
    }

    /// @notice Requests a text completion: `spec` names the language model (its lmRoot), the prompt
    ///         as token ids, the limits and the sampling; `p.modelRoot` must be the model's
    ///         decode-step program (the lmRoot's stepModelRoot). The answer's output is
    ///         abi.encode(uint32[] tokens, bytes text) (`_completion`); any wrong token is refuted
    ///         and slashed in the GenerationGame. `p.price` buys spec.maxTokens tokens: settlement
    ///         pays each node p.price * generated / maxTokens and credits the rest back.
    function _requestCompletion(RequestParams memory p, GenerationSpec memory spec) internal returns (bytes32) {
        return coordinator.request(p, GenerationLib.encodeSpec(spec), "");
    }

    /// @notice The tokens and text of a completion's output.
    function _completion(bytes calldata output) internal pure returns (uint32[] memory tokens, bytes memory text) {
        return abi.decode(output, (uint32[], bytes));
    }

    /// @notice Requests with a router's signed assignment: `p.assigned` is the node the router
    ///         chose and `assignment` its abi.encode(nonce, deadline, signature). The router must
    ///         have signed for this contract as consumer and for exactly `p`
    ///         (SigilRequests.paramsHash), so ask it (POST /route) with the parameters this
    ///         contract will send.
    function _requestRouted(
        RequestParams memory p,
        bytes memory input,
        string memory inputURI,
        bytes memory assignment
    ) internal returns (bytes32) {
        return coordinator.requestRouted(p, input, inputURI, assignment);
    }

    /// @notice Default parameters for a k = 1 request of `modelRoot` in `token` assigned to `node`
    ///         at its listed price (SigilRequests.defaults).
    function _defaults(bytes32 modelRoot, IERC20 token, address node)
        internal
        view
        returns (RequestParams memory)
    {
        return SigilRequests.defaults(coordinator, modelRoot, token, node);
    }

    /// @notice What a request of `p` made now locks in escrow (price, fee and royalty).
    function _escrowOf(RequestParams memory p) internal view returns (uint256) {
        return SigilRequests.escrowOf(coordinator, p);
    }

    // ------------------------------------------------------------------ subscriptions

    /// @notice Subscribes to `intervals` requests on the same input, one every `period` seconds,
    ///         funded now. `_subscriptionTerms` (same transaction) gives the terms `trigger` and
    ///         `_cancelSubscription` take.
    function _subscribe(
        RequestParams memory p,
        bytes memory input,
        string memory inputURI,
        uint32 period,
        uint16 intervals
    ) internal returns (uint256) {
        return coordinator.subscribe(p, input, inputURI, period, intervals);
    }

    /// @notice The terms a subscription of (p, input, period) made in this block is bound to.
    function _subscriptionTerms(RequestParams memory p, bytes memory input, uint32 period)
        internal
        view
        returns (SubscriptionTerms memory)
    {
        return SigilRequests.subscriptionTerms(coordinator, p, input, period);
    }

    /// @notice Cancels a subscription; unused intervals are credited back to this contract.
    function _cancelSubscription(uint256 subId, SubscriptionTerms memory terms) internal {
        coordinator.cancelSubscription(subId, terms);
    }

    // ------------------------------------------------------------------ funds

    /// @notice Lets the Coordinator pull up to `amount` of `token` from this contract.
    function _approvePayments(IERC20 token, uint256 amount) internal {
        token.forceApprove(address(coordinator), amount);
    }

    /// @notice Withdraws this contract's credit in `token` at the Coordinator to `to`.
    function _withdrawCredits(IERC20 token, address to) internal returns (uint256) {
        return coordinator.withdraw(token, to);
    }
}
