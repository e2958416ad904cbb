// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice What a consumer asks for. Amounts are in `token` units.
/// @param modelRoot Model to run (registered in the ModelRegistry).
/// @param inputRoot Commitment (Merkle root) to the input tensor; 0 when the input is inline and
///        its root is left to the claim (a dispute checks the claim's inputRoot against the input).
/// @param token Payment token.
/// @param price Paid to each accepted node (through the RewardsCoordinator). A node accepts the
///        request only when its listed price for (model, token) is <= `price`.
/// @param redundancy k, the number of nodes that must agree (1..MAX_REDUNDANCY).
/// @param afterWindow False: callback at delivery; true: callback only once the challenge window
///        has passed (at settlement).
/// @param callbackGasLimit Gas given to the consumer's callback (0 = no callback).
/// @param ttl Seconds from the request to its deadline.
/// @param commitWindow Seconds from the request: with k > 1 the commit phase; with k = 1 and an
///        assigned node, that node's exclusive window.
/// @param assigned Optional node given an exclusive window (k = 1) or a reserved seat (k > 1).
struct RequestParams {
    bytes32 modelRoot;
    bytes32 inputRoot;
    IERC20 token;
    uint96 price;
    uint8 redundancy;
    bool afterWindow;
    uint32 callbackGasLimit;
    uint32 ttl;
    uint32 commitWindow;
    address assigned;
}

/// @notice A request as fixed at creation. Only its hash is stored; every later call passes it
///         back (it is emitted in full in `Requested`).
/// @param consumer The requester: receives the callback and every refund.
/// @param inputHash keccak256 of the inline input bytes (0 when none).
/// @param creator, royalty Model royalty recipient and amount per call, fixed at request time.
/// @param feeBips Protocol fee on each node's price, fixed at request time.
/// @param challengeWindow Seconds after the answer during which it can be disputed.
struct Job {
    address consumer;
    RequestParams params;
    bytes32 inputHash;
    address creator;
    uint96 royalty;
    uint16 feeBips;
    uint32 challengeWindow;
    uint32 createdAt;
    uint256 subscriptionId;
}

/// @notice An answer. `claimHash` binds all fields; the dispute game works on
///         (inputRoot, traceRoot = S_N, steps = N) and the output's commitment.
/// @param output Output bytes (e.g. 10 int8 logits); may be empty when `outputRoot` is used.
/// @param outputRoot Merkle root of the output tensor.
/// @param traceRoot Execution state root S_N after the last step.
/// @param steps Number of program steps N.
/// @param inputRoot Merkle root of the input tensor.
struct Claim {
    bytes output;
    bytes32 outputRoot;
    bytes32 traceRoot;
    uint64 steps;
    bytes32 inputRoot;
}

/// @notice Terms of a subscription; only its hash is stored.
/// @param params Template of every interval's request.
/// @param period Seconds between intervals.
struct SubscriptionTerms {
    RequestParams params;
    bytes32 inputHash;
    address creator;
    uint96 royalty;
    uint16 feeBips;
    uint32 period;
}

/// @notice Life cycle of a request.
/// Open: awaiting delivery / commits / reveals. Answered: agreed claim, challenge window running.
/// Conflict: reveals disagree, waiting for the dispute game. Disputed: answer challenged.
/// Settled: paid out. Refunded: deadline missed, escrow returned. Refuted: answer slashed, escrow
/// returned.
enum Status {
    None,
    Open,
    Answered,
    Conflict,
    Disputed,
    Settled,
    Refunded,
    Refuted
}
