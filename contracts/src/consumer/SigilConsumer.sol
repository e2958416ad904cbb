// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Coordinator} from "../avs/Coordinator.sol";
import {RequestParams, Job, Claim, SubscriptionTerms, Status} from "../avs/CoordinatorTypes.sol";
import {DisputeGame} from "../avs/dispute/DisputeGame.sol";
import {ProofMarket} from "../avs/dispute/ProofMarket.sol";
import {ISigilConsumer} from "./ISigilConsumer.sol";
import {ICoordinator} from "./ICoordinator.sol";
import {SigilRequests} from "./SigilRequests.sol";

/// @title SigilConsumer
/// @notice Base contract for contracts that ask Sigil for model operations. Inherit it, call
///         `_requestInference` or `_subscribe`, and override `_onResult` (and `_onCorrection` when
///         results are used at once, before their challenge window ends). Payments are escrowed
///         by the Coordinator from this contract's credit there first, then by transferFrom, so
///         the contract must hold the tokens and approve the Coordinator (`_approvePayments`).
///         Refunds and slash compensation are credited to this contract at the Coordinator and
///         used by later requests, or withdrawn with `_withdrawCredits`.
/// @dev Callbacks arrive inside the Coordinator's reentrancy guard: `_onResult` cannot make new
///      requests; record what is needed and request from a later transaction.
abstract contract SigilConsumer is ISigilConsumer {
    using SafeERC20 for IERC20;

    /// @notice The only caller of `onSigilResult`.
    Coordinator public immutable coordinator;

    /// @notice The corrected status of a request whose at-once answer was corrected (None: never).
    mapping(bytes32 requestId => Status) public corrected;

    event ResultCorrected(bytes32 indexed requestId, bytes32 claimHash, Status status);

    error OnlyCoordinator();

    constructor(Coordinator coordinator_) {
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

    /// @notice Handles a correction of an answer delivered at once (see
    ///         ISigilConsumer.onSigilCorrection). The default records it as `ResultCorrected` and
    ///         `corrected(requestId)`; override to undo what `_onResult` did. Keep it within
    ///         min(callbackGasLimit, MAX_CORRECTION_GAS) gas.
    function _onCorrection(bytes32 requestId, bytes32 claimHash, Status status) internal virtual {
        corrected[requestId] = status;
        emit ResultCorrected(requestId, claimHash, status);
    }

    /// @notice Requests one model operation; returns its id.
    function _requestInference(RequestParams memory p, bytes memory input, string memory inputURI)
        internal
        returns (bytes32)
    {
        return coordinator.request(p, input, inputURI);
    }

    /// @notice Requests one model operation and, in the same transaction (so before any operator
    ///         can take a seat), declares `valueAtRisk`: a refuted operator loses at least that
    ///         much stake (SlashTerms; contracts/README.md §Value at risk). Needs the Coordinator's
    ///         proof market to be a DisputeGame.
    function _requestInferenceAtRisk(
        RequestParams memory p,
        bytes memory input,
        string memory inputURI,
        uint256 valueAtRisk
    ) internal returns (bytes32 id) {
        id = coordinator.request(p, input, inputURI);
        DisputeGame(coordinator.proofMarket()).terms().declareValue(id, _jobOf(p, input), valueAtRisk);
    }

    /// @notice Requests one model operation and, in the same transaction (so while the request is
    ///         still open, as `ProofMarket.post` requires), attaches a verification bounty: the
    ///         answer is re-executed with probability `pWad` (1e18: always) by a verifier drawn
    ///         from `market`, which earns `fee` (in `p.token`, pulled from this contract) by
    ///         attesting or by winning the dispute. The market refuses terms under which lying
    ///         could pay, and then the whole request reverts.
    function _requestInferenceWithBounty(
        RequestParams memory p,
        bytes memory input,
        string memory inputURI,
        ProofMarket market,
        uint64 pWad,
        uint96 fee,
        uint32 verifyWindow
    ) internal returns (bytes32 id) {
        id = coordinator.request(p, input, inputURI);
        p.token.forceApprove(address(market), fee);
        market.post(id, _jobOf(p, input), pWad, fee, verifyWindow);
    }

    /// @notice The job exactly as the Coordinator hashed it for a request this contract made in
    ///         this transaction (every field is fixed within the block).
    function _jobOf(RequestParams memory p, bytes memory input) internal view returns (Job memory) {
        (address creator, uint96 royalty,) = coordinator.models().terms(p.modelRoot, p.token);
        return Job(
            address(this),
            p,
            input.length == 0 ? bytes32(0) : keccak256(input),
            creator,
            royalty,
            coordinator.feeBips(),
            coordinator.challengeWindow(),
            uint32(block.timestamp),
            0
        );
    }

    /// @notice Subscribes to `intervals` requests, one every `period` seconds, funded now.
    function _subscribe(
        RequestParams memory p,
        bytes memory input,
        string memory inputURI,
        uint32 period,
        uint16 intervals
    ) internal returns (uint256) {
        return coordinator.subscribe(p, input, inputURI, period, intervals);
    }

    /// @notice Cancels a subscription; unused intervals are credited back to this contract.
    function _cancelSubscription(uint256 subId, SubscriptionTerms memory terms) internal {
        coordinator.cancelSubscription(subId, terms);
    }

    /// @notice Lets the Coordinator pull up to `amount` of `token` from this contract.
    function _approvePayments(IERC20 token, uint256 amount) internal {
        token.forceApprove(address(coordinator), amount);
    }

    /// @notice Withdraws this contract's credit in `token` at the Coordinator to `to`.
    function _withdrawCredits(IERC20 token, address to) internal returns (uint256) {
        return coordinator.withdraw(token, to);
    }

    // ------------------------------------------------------------------ helpers (SigilRequests)
    // The same helpers as SigilClient's; interval schedules are in SigilIntervalConsumer.

    /// @notice Default parameters for a k = 1 request of `modelRoot` in `token` assigned to `node`
    ///         at its listed price (SigilRequests.defaults): exclusive window, callback gas and
    ///         deadline at the library's defaults; the model's royalty is added by the Coordinator.
    function _defaults(bytes32 modelRoot, IERC20 token, address node)
        internal
        view
        returns (RequestParams memory)
    {
        return SigilRequests.defaults(_sigil(), modelRoot, token, node);
    }

    /// @notice What a request of `p` made now locks in escrow (price, fee and royalty).
    function _escrowOf(RequestParams memory p) internal view returns (uint256) {
        return SigilRequests.escrowOf(_sigil(), p);
    }

    /// @notice Requests with a router's signed assignment: `p.assigned` is the node the router
    ///         chose and `assignment` its abi.encode(nonce, deadline, signature), signed for this
    ///         contract as consumer and for exactly `p` (SigilRequests.paramsHash).
    function _requestRouted(
        RequestParams memory p,
        bytes memory input,
        string memory inputURI,
        bytes memory assignment
    ) internal returns (bytes32) {
        return coordinator.requestRouted(p, input, inputURI, assignment);
    }

    /// @notice The terms a subscription of (p, input, period) made in this block is bound to:
    ///         what `trigger` and `_cancelSubscription` take back.
    function _subscriptionTerms(RequestParams memory p, bytes memory input, uint32 period)
        internal
        view
        returns (SubscriptionTerms memory)
    {
        return SigilRequests.subscriptionTerms(_sigil(), p, input, period);
    }

    function _sigil() private view returns (ICoordinator) {
        return ICoordinator(address(coordinator));
    }
}
