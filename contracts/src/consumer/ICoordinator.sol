// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {RequestParams, Job, Claim, SubscriptionTerms, Status} from "../avs/CoordinatorTypes.sol";

/// @title IModelTerms
/// @notice The part of the ModelRegistry a consumer reads: what one call of a model costs in
///         royalty, and whether the model can be used with a payment token.
interface IModelTerms {
    /// @return creator Royalty recipient.
    /// @return royalty Royalty per call, in `token`.
    /// @return usable False when the model is unknown, or licensed and `token` has no royalty set.
    function terms(bytes32 modelRoot, IERC20 token)
        external
        view
        returns (address creator, uint96 royalty, bool usable);

    /// @notice The royalty per call in force now.
    function royaltyOf(bytes32 modelRoot, IERC20 token) external view returns (uint96);
}

/// @title IOperatorQuotes
/// @notice The part of the OperatorRegistry a consumer reads: a node's listed price.
interface IOperatorQuotes {
    /// @notice Whether `operator` is active and serves `modelRoot` in `token`, and at what price.
    function quote(address operator, bytes32 modelRoot, IERC20 token)
        external
        view
        returns (bool served, uint96 price);

    /// @notice Whether `operator` is an active member of Sigil's operator set.
    function isActive(address operator) external view returns (bool);
}

/// @title ICoordinator
/// @notice The Coordinator as a consumer sees it: requests (plain and router-assigned),
///         subscriptions, credits, request state, and the events and errors of those paths. Every
///         declaration has the Coordinator's own signature (test/consumer/ICoordinator.t.sol
///         compares the selectors and event topics), so a consumer contract can be compiled
///         against this file alone instead of the Coordinator and its dependencies.
/// @dev Node-side entry points (deliver, commit, reveal) and the proof market's hooks are left
///      out; use `Coordinator` itself for those.
interface ICoordinator {
    /// @notice Per-request state as `getRequest` returns it (Coordinator.Request).
    struct Request {
        address seat0;
        uint32 deadline;
        uint32 finalAt;
        Status status;
        uint8 commits;
        uint8 revealedMask;
        uint8 k;
    }

    event Requested(bytes32 indexed id, address indexed consumer, Job job, bytes input, string inputURI);
    event Delivered(bytes32 indexed id, address indexed operator, bytes32 claimHash, Claim claim);
    event Revealed(bytes32 indexed id, address indexed operator, bytes32 claimHash, Claim claim);
    event Answered(bytes32 indexed id, bytes32 claimHash, uint32 finalAt);
    event ConflictRecorded(bytes32 indexed id);
    event CallbackResult(bytes32 indexed id, bool success);
    event CorrectionResult(bytes32 indexed id, bool success);
    event Settled(bytes32 indexed id, uint256 nodesPaid, uint256 refund);
    event Expired(bytes32 indexed id, uint256 refund);
    event OperatorSlashed(bytes32 indexed id, address indexed operator, uint256 wad, bool refuted);
    event Credited(address indexed account, IERC20 indexed token, uint256 amount);
    event Withdrawn(address indexed account, IERC20 indexed token, address to, uint256 amount);
    event Subscribed(
        uint256 indexed subId,
        address indexed consumer,
        SubscriptionTerms terms,
        uint16 intervals,
        bytes input,
        string inputURI
    );
    event SubscriptionTriggered(uint256 indexed subId, bytes32 indexed id, uint16 remaining);
    event SubscriptionCancelled(uint256 indexed subId, uint256 refund);

    error InvalidRedundancy();
    error InvalidWindow();
    error ModelNotUsable(bytes32 modelRoot);
    error UnsupportedToken();
    error JobMismatch();
    error WrongStatus(Status status);
    error PastDeadline();
    error NotDue();
    error NotAssigned();
    error WrongClaim();
    error InsufficientGas();
    error NothingToWithdraw();
    error NotConsumer();
    error NoIntervals();
    error Overflow();
    error CallbackGasTooHigh(uint32 limit);
    error TooFewSeats();

    // ------------------------------------------------------------------ requests

    /// @notice Requests `p` on `input` (inline bytes; may be empty with p.inputRoot and
    ///         `inputURI`), escrowing cost(job) from the caller's credit first, then by transferFrom.
    function request(RequestParams calldata p, bytes calldata input, string calldata inputURI)
        external
        returns (bytes32 id);

    /// @notice `request` with `p.assigned` chosen by a router: `assignment` = abi.encode(nonce,
    ///         deadline, signature) of the router over (caller, keccak256(abi.encode(p)),
    ///         p.assigned, the Coordinator). The caller is the consumer the router signed for.
    function requestRouted(
        RequestParams calldata p,
        bytes calldata input,
        string calldata inputURI,
        bytes calldata assignment
    ) external returns (bytes32 id);

    /// @notice Total escrow of a request: k * (price + price * feeBips / 1e4) + royalty.
    function cost(uint96 price, uint8 k, uint16 bips, uint96 royalty) external pure returns (uint256);

    /// @notice The hash binding every field of a claim (the `claimHash` of events and corrections).
    function hashClaim(Claim calldata c) external pure returns (bytes32);

    /// @notice Pays out an answered request after its challenge window (anyone may call).
    function settle(bytes32 id, Job calldata job, Claim calldata claim) external;

    /// @notice Refunds a request still open after its deadline (anyone may call).
    function refundExpired(bytes32 id, Job calldata job) external;

    // ------------------------------------------------------------------ subscriptions

    /// @notice Subscribes to `intervals` requests of `p` on the same `input`, one per `period`
    ///         seconds from now, all funded now at today's royalty and fee.
    function subscribe(
        RequestParams calldata p,
        bytes calldata input,
        string calldata inputURI,
        uint32 period,
        uint16 intervals
    ) external returns (uint256 subId);

    /// @notice Opens the next interval's request of `subId` once due (anyone may call).
    function trigger(uint256 subId, SubscriptionTerms calldata t) external returns (bytes32 id);

    /// @notice Cancels a subscription (its consumer only); unused intervals are credited back.
    function cancelSubscription(uint256 subId, SubscriptionTerms calldata t) external;

    // ------------------------------------------------------------------ credits

    /// @notice Adds `amount` of `token`, pulled from the caller, to `account`'s credit.
    function deposit(address account, IERC20 token, uint256 amount) external;

    /// @notice Sends the caller's whole credit in `token` to `to`.
    function withdraw(IERC20 token, address to) external returns (uint256 amount);

    /// @notice Credit of `account` in `token` (spent first by its next request).
    function credits(address account, IERC20 token) external view returns (uint256);

    // ------------------------------------------------------------------ views

    /// @notice Request state: seat 0, deadline, finalAt, status, commits, revealed mask, k.
    function getRequest(bytes32 id) external view returns (Request memory);

    /// @notice The agreed claim hash of `id` (0 before an answer).
    function answerOf(bytes32 id) external view returns (bytes32);

    /// @notice keccak256(abi.encode(job)) of request `id`.
    function jobHash(bytes32 id) external view returns (bytes32);

    /// @notice `operator`'s commitment on request `id`, replaced by its claim hash once revealed or
    ///         delivered (0 when it holds no seat).
    function entryOf(bytes32 id, address operator) external view returns (bytes32);

    /// @notice The node in `seat` of request `id` (0 when empty).
    function seatOf(bytes32 id, uint256 seat) external view returns (address);

    /// @notice Subscription state (the terms are hashed).
    function subscriptions(uint256 subId)
        external
        view
        returns (address consumer, uint32 nextAt, uint32 period, uint16 remaining, bytes32 termsHash);

    function nonce() external view returns (uint256);
    function subscriptionCount() external view returns (uint256);
    function feeBips() external view returns (uint16);
    function challengeWindow() external view returns (uint32);
    function proofMarket() external view returns (address);
    function models() external view returns (IModelTerms);
    function operators() external view returns (IOperatorQuotes);
    function routerRegistry() external view returns (address);

    function MAX_REDUNDANCY() external view returns (uint8);
    function MAX_CALLBACK_GAS() external view returns (uint32);
    function MAX_CORRECTION_GAS() external view returns (uint256);
}
