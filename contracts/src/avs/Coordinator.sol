// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {CoordinatorAdmin} from "./CoordinatorAdmin.sol";
import {SlashLib} from "./SlashLib.sol";
import {TensorRootLib} from "./dispute/TensorRootLib.sol";
import {ModelRegistry} from "./ModelRegistry.sol";
import {OperatorRegistry} from "./OperatorRegistry.sol";
import {IAllocationManager} from "../interfaces/IAllocationManager.sol";
import {IRewardsCoordinator} from "../interfaces/IRewardsCoordinator.sol";
import {IStrategyManager} from "../interfaces/IStrategyManager.sol";
import {OperatorSet} from "../interfaces/OperatorSet.sol";
import {ISigilConsumer} from "../consumer/ISigilConsumer.sol";
import {RequestParams, Job, Claim, SubscriptionTerms, Status} from "./CoordinatorTypes.sol";

/// @title Coordinator
/// @notice Sigil's AVS: escrowed model requests, delivery (k = 1) or commit-reveal (k > 1),
///         callbacks, settlement with fee splits, subscriptions, and the slashing hook of the
///         proof market.
/// @dev Escrow: a request locks cost(job) = k * (price + fee) + royalty, fee = price * feeBips / 1e4,
///      taken from the consumer's credit and/or pulled at request time. It leaves only once, by
///      settle (node prices + fees + royalty + refund of unearned seats), refundExpired or a
///      refuting slash (full refund). Credits (`credits`) are pull payments. Invariant, per token:
///      balance == sum of cost of live requests + sum of unused subscription funds + sum of credits.
///      Request ids are keccak(chainid, coordinator, consumer, nonce) with a global nonce, so they
///      never repeat across chains, deployments or consumers.
///
///      Seat rule ("a node does not win merely by racing"): with k = 1 and an assigned node, only
///      that node may deliver until createdAt + commitWindow; after that (or with no assignment)
///      the first valid delivery wins. With k > 1 the first k committers within the commit window
///      take the seats (a seat is reserved for the assigned node until the window ends); nobody may
///      reveal before the commit phase closes (k commits, or the window ended), so no claim can be
///      seen before every seat is committed; a commit is keccak(requestId, operator, claimHash,
///      salt) and so cannot be replayed by another operator. The answer forms when every seated
///      node has revealed: all equal -> Answered; otherwise Conflict, left to the dispute game.
///      Every node holds at most one seat per request.
contract Coordinator is CoordinatorAdmin, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Per-request state (one storage slot; the consumer is in the hashed job).
    /// @param seat0 The node in seat 0 (for k = 1, the deliverer).
    struct Request {
        address seat0;
        uint32 deadline;
        uint32 finalAt;
        Status status;
        uint8 commits;
        uint8 revealedMask;
        uint8 k;
    }

    /// @notice Per-subscription state (the terms are hashed).
    struct Subscription {
        address consumer;
        uint32 nextAt;
        uint32 period;
        uint16 remaining;
        bytes32 termsHash;
    }

    uint8 public constant MAX_REDUNDANCY = 8;
    /// @notice Gas kept back beyond the callback's limit so the caller cannot starve the callback.
    uint256 public constant CALLBACK_RESERVE = 10_000;
    /// @notice Upper bound of the gas a correction callback gets (the request's callbackGasLimit
    ///         when lower), so a consumer cannot make the slash that refutes its answer too costly
    ///         to send.
    uint256 public constant MAX_CORRECTION_GAS = 200_000;
    /// @notice Upper bound of a request's callbackGasLimit: a larger one could make the delivery
    ///         or the settlement of an afterWindow request impossible to send in one block.
    uint32 public constant MAX_CALLBACK_GAS = 5_000_000;
    /// @notice Fraction (1e18 = all) of its allocation a seated node loses when it never reveals
    ///         the claim it committed: withholding an answer kills the request, so it is not free.
    uint256 public constant WITHHELD_REVEAL_WAD = 0.01e18;

    /// @notice Global request counter (the nonce in request ids).
    uint256 public nonce;
    uint256 public subscriptionCount;
    mapping(bytes32 id => Request) internal _requests;
    mapping(bytes32 id => bytes32) public jobHash;
    mapping(bytes32 id => mapping(uint256 seat => address)) internal _seats;
    /// @notice A node's commit, replaced by its claim hash on reveal (k = 1: the claim hash).
    mapping(bytes32 id => mapping(address operator => bytes32)) public entryOf;
    /// @notice The agreed claim hash (k > 1 and resolved conflicts; k = 1 uses seat 0's entry).
    mapping(bytes32 id => bytes32) internal _answer;
    mapping(bytes32 id => mapping(address operator => bool)) public slashed;
    mapping(uint256 => Subscription) public subscriptions;
    /// @notice Pull balances: refunds, royalties, fees, slashed stake (treasury), fallback node
    ///         payments.
    mapping(address account => mapping(IERC20 token => uint256)) public credits;
    /// @dev Open claims of each operator plus one once it has had any (openClaims), so that the
    ///      slot is never cleared and later claims pay a warm write rather than a new slot.
    mapping(address operator => uint256) internal _claims;
    /// @dev A generation request's maxTokens, read from its inline spec at request time (0 for
    ///      other requests): its price then buys maxTokens tokens, and settlement pays each node
    ///      price * generated / maxTokens, refunding the rest.
    mapping(bytes32 id => uint256) internal _maxTokens;

    event Requested(bytes32 indexed id, address indexed consumer, Job job, bytes input, string inputURI);
    event Delivered(bytes32 indexed id, address indexed operator, bytes32 claimHash, Claim claim);
    event Committed(bytes32 indexed id, address indexed operator, uint8 seat, bytes32 commitment);
    event Revealed(bytes32 indexed id, address indexed operator, bytes32 claimHash, Claim claim);
    event Answered(bytes32 indexed id, bytes32 claimHash, uint32 finalAt);
    event ConflictRecorded(bytes32 indexed id);
    event CallbackResult(bytes32 indexed id, bool success);
    event CorrectionResult(bytes32 indexed id, bool success);
    event Settled(bytes32 indexed id, uint256 nodesPaid, uint256 refund);
    event NodePaid(
        bytes32 indexed id, address indexed operator, IERC20 token, uint256 amount, bool viaRewards
    );
    event Expired(bytes32 indexed id, uint256 refund);
    event DisputeOpened(bytes32 indexed id);
    event DisputeClosed(bytes32 indexed id);
    event ConflictResolved(bytes32 indexed id, bytes32 claimHash);
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
    error NotServing();
    error InputRootMismatch();
    error AlreadyAnswered();
    error SeatsFull();
    error CommitPhaseOpen();
    error CommitPhaseClosed();
    error NoSeat();
    error AlreadyRevealed();
    error RevealMismatch();
    error WrongClaim();
    error InsufficientGas();
    error NothingToWithdraw();
    error NotConsumer();
    error NoIntervals();
    error Overflow();
    error CallbackGasTooHigh(uint32 limit);
    error TooFewSeats();
    error OutputNotCommitted();

    constructor(
        address initialOwner,
        IAllocationManager am,
        IStrategyManager sm,
        IRewardsCoordinator rc,
        ModelRegistry models_,
        OperatorRegistry operators_,
        uint32 setId,
        address treasury_
    ) CoordinatorAdmin(initialOwner, am, sm, rc, models_, operators_, setId, treasury_) {}

    // ---------------------------------------------------------------- requests

    /// @notice Requests `p` on `input` (inline bytes; may be empty with p.inputRoot and `inputURI`),
    ///         escrowing cost(job) from the caller's credit first, then by transferFrom.
    /// @return id The request id.
    function request(RequestParams calldata p, bytes calldata input, string calldata inputURI)
        public
        nonReentrant
        returns (bytes32 id)
    {
        _checkParams(p);
        (address creator, uint96 royalty, bool usable) = models.terms(p.modelRoot, p.token);
        if (!usable) revert ModelNotUsable(p.modelRoot);
        Job memory job = Job(
            msg.sender,
            p,
            input.length == 0 ? bytes32(0) : keccak256(input),
            creator,
            royalty,
            feeBips,
            challengeWindow,
            uint32(block.timestamp),
            0
        );
        _escrow(msg.sender, p.token, cost(job.params.price, job.params.redundancy, job.feeBips, royalty));
        id = _open(job);
        // "SIGILGEN" || abi.encode(GenerationSpec): maxTokens is the tuple head's third word.
        if (input.length > 135 && bytes8(input) == "SIGILGEN") _maxTokens[id] = uint32(bytes4(input[132:136]));
        emit Requested(id, msg.sender, job, input, inputURI);
    }

    /// @notice `request` with `p.assigned` chosen by a router of `routerRegistry`: `assignment` =
    ///         abi.encode(nonce, deadline, signature) of the router over (caller, hash of `p`,
    ///         p.assigned, this contract). The registry spends the nonce, so an assignment serves
    ///         one request only; the node's exclusive window is `p.commitWindow`.
    function requestRouted(
        RequestParams calldata p,
        bytes calldata input,
        string calldata inputURI,
        bytes calldata assignment
    ) external returns (bytes32 id) {
        if (p.assigned == address(0)) revert NotAssigned();
        id = request(p, input, inputURI);
        routerRegistry.consume(msg.sender, keccak256(abi.encode(p)), p.assigned, id, assignment);
    }

    /// @notice Total escrow of a request: k * (price + price * feeBips / 1e4) + royalty.
    function cost(uint96 price, uint8 k, uint16 bips, uint96 royalty) public pure returns (uint256) {
        return uint256(k) * (uint256(price) + _fee(price, bips)) + royalty;
    }

    /// @notice Total escrow of `job`.
    function jobCost(Job calldata job) internal pure returns (uint256) {
        return cost(job.params.price, job.params.redundancy, job.feeBips, job.royalty);
    }

    /// @notice The hash every later call checks its `job` argument against.
    function hashJob(Job calldata job) internal pure returns (bytes32) {
        return keccak256(abi.encode(job));
    }

    /// @notice The hash binding every field of a claim.
    function hashClaim(Claim calldata c) public pure returns (bytes32) {
        return keccak256(abi.encode(keccak256(c.output), c.outputRoot, c.traceRoot, c.steps, c.inputRoot));
    }

    /// @notice A commitment to `claimHash` by `operator` for request `id`.
    function commitmentOf(bytes32 id, address operator, bytes32 claimHash, bytes32 salt)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(id, operator, claimHash, salt));
    }

    // ---------------------------------------------------------------- k = 1

    /// @notice Delivers the answer of a k = 1 request in one step: the assigned node only, while
    ///         the seat is free (any other node commits and reveals). With finality at once, calls
    ///         the consumer back (state is final before the call).
    function deliver(bytes32 id, Job calldata job, Claim calldata claim) external nonReentrant {
        Request storage r = _requests[id];
        _checkLive(r, id, job);
        if (r.k != 1) revert InvalidRedundancy();
        RequestParams calldata p = job.params;
        // Only the assigned node answers in one step: nobody else can deliver, so nobody can take
        // its claim from the mempool and deliver it first. Every other node takes the seat by
        // commit and then reveals.
        if (p.assigned != msg.sender) revert NotAssigned();
        if (r.commits != 0) revert SeatsFull();
        _checkNode(p, claim);
        bytes32 h = hashClaim(claim);
        _takeClaim(msg.sender);
        r.seat0 = msg.sender;
        entryOf[id][msg.sender] = h;
        uint32 finalAt = uint32(block.timestamp) + job.challengeWindow;
        r.commits = 1;
        r.revealedMask = 1;
        r.finalAt = finalAt;
        r.status = Status.Answered;
        emit Delivered(id, msg.sender, h, claim);
        emit Answered(id, h, finalAt);
        if (!p.afterWindow) _callback(job.consumer, id, p.callbackGasLimit, claim);
    }

    // ---------------------------------------------------------------- k > 1

    /// @notice Takes a seat with `commitment` = commitmentOf(id, sender, claimHash, salt). k > 1:
    ///         the first k committers within the commit window. k = 1: the first committer before
    ///         the deadline. Either way a seat stays reserved for the assigned node until the
    ///         window ends.
    function commit(bytes32 id, Job calldata job, bytes32 commitment) external nonReentrant {
        Request storage r = _requests[id];
        _checkLive(r, id, job);
        RequestParams calldata p = job.params;
        bool window = block.timestamp <= uint256(job.createdAt) + p.commitWindow;
        if (!window && r.k > 1) revert CommitPhaseClosed();
        uint8 n = r.commits;
        if (n >= r.k) revert SeatsFull();
        if (entryOf[id][msg.sender] != bytes32(0)) revert AlreadyAnswered();
        if (
            window && n == r.k - 1 && p.assigned != address(0) && p.assigned != msg.sender
                && !_seated(id, p.assigned, n)
        ) {
            revert NotAssigned();
        }
        operators.checkSeat(msg.sender, p.modelRoot, p.token, p.price);
        _takeClaim(msg.sender);
        if (n == 0) r.seat0 = msg.sender;
        else _seats[id][n] = msg.sender;
        entryOf[id][msg.sender] = commitment;
        r.commits = n + 1;
        emit Committed(id, msg.sender, n, commitment);
    }

    /// @notice Reveals the claim behind the sender's commit at `seat`, once the commit phase is
    ///         closed. The last reveal forms the answer (callback at once when all agree and
    ///         finality is immediate) or records a conflict.
    function reveal(bytes32 id, Job calldata job, uint8 seat, Claim calldata claim, bytes32 salt)
        external
        nonReentrant
    {
        Request storage r = _requests[id];
        _checkLive(r, id, job);
        RequestParams calldata p = job.params;
        // All k seats or no answer: a request is never answered by fewer nodes than it paid for.
        if (r.commits < r.k) {
            if (block.timestamp <= uint256(job.createdAt) + p.commitWindow) revert CommitPhaseOpen();
            revert TooFewSeats();
        }
        if (seat >= r.commits || seatOf(id, seat) != msg.sender) revert NoSeat();
        uint8 bit = uint8(1 << seat);
        if (r.revealedMask & bit != 0) revert AlreadyRevealed();
        _checkClaim(p, claim);
        bytes32 h = hashClaim(claim);
        if (commitmentOf(id, msg.sender, h, salt) != entryOf[id][msg.sender]) revert RevealMismatch();
        entryOf[id][msg.sender] = h;
        uint8 mask = r.revealedMask | bit;
        r.revealedMask = mask;
        emit Revealed(id, msg.sender, h, claim);
        if (mask != uint8((uint256(1) << r.commits) - 1)) return;
        if (!_allAgree(id, r.commits, h)) {
            r.status = Status.Conflict;
            emit ConflictRecorded(id);
            return;
        }
        _answered(r, id, job, h, claim);
    }

    // ---------------------------------------------------------------- settlement

    /// @notice Pays out an answered request once its challenge window has passed: each seated node
    ///         whose claim is the answer gets `price` through the RewardsCoordinator (its
    ///         delegators share it), plus a fee per paid node to the treasury, the royalty to the
    ///         creator, the rest back to the consumer. A generation request's price is for its
    ///         maxTokens: a node gets price * generated / maxTokens (the tokens of the answer).
    ///         With finality after the window, calls the consumer back with `claim`. `claim` must
    ///         be the answer. Anyone may call.
    function settle(bytes32 id, Job calldata job, Claim calldata claim) external nonReentrant {
        Request storage r = _requests[id];
        _checkJob(id, job);
        if (r.status != Status.Answered) revert WrongStatus(r.status);
        if (block.timestamp < r.finalAt) revert NotDue();
        RequestParams calldata p = job.params;
        bytes32 answer = answerOf(id);
        if (hashClaim(claim) != answer) revert WrongClaim();
        r.status = Status.Settled;
        uint96 price = claim.steps >> 63 == 0 ? p.price : _tokenPrice(id, p.price, claim.output);
        uint256 paid;
        for (uint256 i = 0; i < r.commits; ++i) {
            address op = seatOf(id, i);
            if (slashed[id][op]) continue;
            --_claims[op];
            if (entryOf[id][op] != answer) continue;
            _payNode(id, op, p.token, price);
            ++paid;
        }
        uint256 refund = jobCost(job) - paid * (uint256(price) + _fee(price, job.feeBips)) - job.royalty;
        _credit(treasury, p.token, paid * _fee(price, job.feeBips));
        _credit(job.creator, p.token, job.royalty);
        _credit(job.consumer, p.token, refund);
        emit Settled(id, paid, refund);
        if (p.afterWindow) _callback(job.consumer, id, p.callbackGasLimit, claim);
    }

    /// @notice Refunds a request still open after its deadline, or a k > 1 request whose commit
    ///         window closed with fewer than k seats (anyone may call), and records a fault against
    ///         the assigned node if it took no seat and, when all k seats were taken, against every
    ///         seated node that never revealed, which also loses WITHHELD_REVEAL_WAD of its
    ///         allocation (to the treasury). The proof market also ends here a conflict that
    ///         nobody resolved (DisputeGame.expireConflict): the seats' claims are released unpaid.
    function refundExpired(bytes32 id, Job calldata job) external nonReentrant {
        Request storage r = _requests[id];
        _checkJob(id, job);
        if (r.status != Status.Open && (r.status != Status.Conflict || msg.sender != proofMarket)) {
            revert WrongStatus(r.status);
        }
        RequestParams calldata p = job.params;
        bool seatsMissing = r.k > 1 && r.commits < r.k;
        if (
            block.timestamp <= r.deadline
                && !(seatsMissing && block.timestamp > uint256(job.createdAt) + p.commitWindow)
        ) revert NotDue();
        r.status = Status.Refunded;
        uint256 refund = jobCost(job);
        _credit(job.consumer, p.token, refund);
        emit Expired(id, refund);
        address assigned = p.assigned;
        for (uint256 i = 0; i < r.commits; ++i) {
            address op = seatOf(id, i);
            if (!slashed[id][op]) --_claims[op];
            if (op == assigned) assigned = address(0);
            if (!seatsMissing && r.revealedMask & (1 << i) == 0) {
                operators.recordFault(op, id);
                emit OperatorSlashed(id, op, WITHHELD_REVEAL_WAD, false);
                _slash(op, WITHHELD_REVEAL_WAD);
            }
        }
        if (assigned != address(0)) operators.recordFault(assigned, id);
    }

    // ---------------------------------------------------------------- proof market hooks

    /// @notice Holds settlement of an answered request while a challenge opened within its window
    ///         is played out (proof market only).
    function openDispute(bytes32 id) external onlyProofMarket {
        Request storage r = _requests[id];
        if (r.status != Status.Answered) revert WrongStatus(r.status);
        if (block.timestamp >= r.finalAt) revert NotDue();
        r.status = Status.Disputed;
        emit DisputeOpened(id);
    }

    /// @notice Releases a disputed request whose answer survived (proof market only).
    function closeDispute(bytes32 id) external onlyProofMarket {
        Request storage r = _requests[id];
        if (r.status != Status.Disputed) revert WrongStatus(r.status);
        r.status = Status.Answered;
        emit DisputeClosed(id);
    }

    /// @notice Ends a conflict with the claim the dispute game upheld (proof market only); the
    ///         claim must be one a non-slashed seated node revealed. Beating the other claims
    ///         proves only the steps they disagreed on, so the answer then has a challenge window
    ///         of its own, like any answer.
    function resolveConflict(bytes32 id, Job calldata job, Claim calldata claim)
        external
        nonReentrant
        onlyProofMarket
    {
        Request storage r = _requests[id];
        _checkJob(id, job);
        if (r.status != Status.Conflict) revert WrongStatus(r.status);
        bytes32 h = hashClaim(claim);
        bool found;
        for (uint256 i = 0; i < r.commits && !found; ++i) {
            address op = seatOf(id, i);
            found = entryOf[id][op] == h && !slashed[id][op];
        }
        if (!found) revert WrongClaim();
        emit ConflictResolved(id, h);
        _answered(r, id, job, h, claim);
    }

    /// @notice Slashes `operator`, seated on unsettled request `id`, by `wad` of its allocation in
    ///         every strategy of Sigil's set (proof market only). The slashed shares are cleared at
    ///         once to this contract (the set's redistribution recipient) and the tokens that
    ///         arrive (returned per strategy) are all credited to the treasury:
    ///         no party to a request, which the operator itself may be under other addresses,
    ///         receives any part of a slash, so no coalition can turn one into income. A slash the
    ///         core refuses because the operator is no longer slashable takes nothing and still
    ///         refutes. When the operator's claim is the request's answer, the answer is refuted and
    ///         the whole escrow credited back to the consumer. Other seated nodes of a refuted
    ///         request (that agreed on the same wrong claim) stay slashable through this entry
    ///         point; the escrow is refunded only once. A refuted answer that was called back at
    ///         once is followed, after the slash, by `onSigilCorrection(id, claimHash, Refuted)`
    ///         with min(callbackGasLimit, MAX_CORRECTION_GAS) gas; its outcome is
    ///         `CorrectionResult` and changes nothing else.
    function slashOperator(bytes32 id, Job calldata job, address operator, uint256 wad)
        external
        nonReentrant
        onlyProofMarket
        returns (uint256[] memory amounts)
    {
        Request storage r = _requests[id];
        _checkJob(id, job);
        Status s = r.status;
        // s in {Answered, Conflict, Disputed, Refuted}, as one bit test.
        uint256 slashable = (1 << uint8(Status.Answered)) | (1 << uint8(Status.Conflict))
            | (1 << uint8(Status.Disputed)) | (1 << uint8(Status.Refuted));
        if ((1 << uint8(s)) & slashable == 0) revert WrongStatus(s);
        bytes32 entry = entryOf[id][operator];
        if (entry == bytes32(0) || slashed[id][operator]) revert NoSeat();
        slashed[id][operator] = true;
        --_claims[operator];
        bool refuted = (s == Status.Answered || s == Status.Disputed) && entry == answerOf(id);
        if (refuted) {
            r.status = Status.Refuted;
            _credit(job.consumer, job.params.token, jobCost(job));
        }
        emit OperatorSlashed(id, operator, wad, refuted);
        amounts = _slash(operator, wad);
        if (refuted && !job.params.afterWindow) {
            _correct(job.consumer, id, job.params.callbackGasLimit, entry);
        }
    }

    /// @notice Records `operator`'s off-chain signed claim `claimHash` (checked by the proof
    ///         market's OffchainClaims) as the answer of a new k = 1 request of the job hashed
    ///         `jobHash_`, open to challenges until `finalAt` (proof market only).
    function adoptClaim(bytes32 jobHash_, address operator, bytes32 claimHash, uint32 finalAt)
        external
        onlyProofMarket
        returns (bytes32 id)
    {
        id = keccak256(abi.encode(block.chainid, address(this), msg.sender, nonce++));
        _requests[id] = Request(operator, finalAt, finalAt, Status.Answered, 1, 1, 1);
        _takeClaim(operator);
        jobHash[id] = jobHash_;
        entryOf[id][operator] = claimHash;
        emit Answered(id, claimHash, finalAt);
    }

    // ---------------------------------------------------------------- subscriptions

    /// @notice Subscribes to `intervals` requests of `p`, one per `period` seconds starting now,
    ///         funding them all up front at today's royalty and fee.
    function subscribe(
        RequestParams calldata p,
        bytes calldata input,
        string calldata inputURI,
        uint32 period,
        uint16 intervals
    ) external nonReentrant returns (uint256 subId) {
        if (intervals == 0 || period == 0) revert NoIntervals();
        SubscriptionTerms memory t = _subscriptionTerms(p, input, period);
        _escrow(msg.sender, p.token, uint256(intervals) * cost(p.price, p.redundancy, t.feeBips, t.royalty));
        subId = ++subscriptionCount;
        subscriptions[subId] =
            Subscription(msg.sender, uint32(block.timestamp), period, intervals, keccak256(abi.encode(t)));
        emit Subscribed(subId, msg.sender, t, intervals, input, inputURI);
    }

    /// @notice Opens the next interval's request of subscription `subId` once due (anyone may
    ///         call); its escrow comes from the subscription's funds.
    function trigger(uint256 subId, SubscriptionTerms calldata t) external nonReentrant returns (bytes32 id) {
        Subscription storage s = _subscription(subId, t);
        if (s.remaining == 0) revert NoIntervals();
        if (block.timestamp < s.nextAt) revert NotDue();
        uint16 left = s.remaining - 1;
        s.remaining = left;
        s.nextAt += s.period;
        Job memory job = Job(
            s.consumer,
            t.params,
            t.inputHash,
            t.creator,
            t.royalty,
            t.feeBips,
            challengeWindow,
            uint32(block.timestamp),
            subId
        );
        id = _open(job);
        emit Requested(id, s.consumer, job, "", "");
        emit SubscriptionTriggered(subId, id, left);
    }

    /// @notice Cancels a subscription (its consumer only), crediting back unused intervals.
    function cancelSubscription(uint256 subId, SubscriptionTerms calldata t) external nonReentrant {
        Subscription storage s = _subscription(subId, t);
        if (msg.sender != s.consumer) revert NotConsumer();
        uint256 refund =
            uint256(s.remaining) * cost(t.params.price, t.params.redundancy, t.feeBips, t.royalty);
        s.remaining = 0;
        _credit(s.consumer, t.params.token, refund);
        emit SubscriptionCancelled(subId, refund);
    }

    // ---------------------------------------------------------------- credits

    /// @notice Adds `amount` of `token` to `account`'s credit (prefunding future requests).
    function deposit(address account, IERC20 token, uint256 amount) external nonReentrant {
        _pull(token, amount);
        _credit(account, token, amount);
    }

    /// @notice Sends the caller's whole credit in `token` to `to`.
    function withdraw(IERC20 token, address to) external nonReentrant returns (uint256 amount) {
        amount = credits[msg.sender][token];
        if (amount == 0) revert NothingToWithdraw();
        credits[msg.sender][token] = 0;
        emit Withdrawn(msg.sender, token, to, amount);
        token.safeTransfer(to, amount);
    }

    // ---------------------------------------------------------------- views

    /// @notice Request state: seat 0, deadline, finalAt, status, commits, revealed mask, k.
    function getRequest(bytes32 id) external view returns (Request memory) {
        return _requests[id];
    }

    /// @notice The node in `seat` of request `id` (0 when empty).
    function seatOf(bytes32 id, uint256 seat) public view returns (address) {
        return seat == 0 ? _requests[id].seat0 : _seats[id][seat];
    }

    /// @notice Claims of `operator` (seats, deliveries, adopted claims) that can still be disputed:
    ///         taken at delivery / commit / adoption, released when the request settles, expires
    ///         or the operator is slashed on it. The registrar refuses to let an operator with open
    ///         claims leave Sigil's set, so it stays slashable until every claim of it is final.
    function openClaims(address operator) external view returns (uint256) {
        uint256 v = _claims[operator];
        return v == 0 ? 0 : v - 1;
    }

    /// @notice The agreed claim hash of `id` (0 before an answer).
    function answerOf(bytes32 id) public view returns (bytes32) {
        bytes32 a = _answer[id];
        if (a != bytes32(0) || _requests[id].k != 1) return a;
        address op = _requests[id].seat0;
        return op == address(0) ? bytes32(0) : entryOf[id][op];
    }

    // ---------------------------------------------------------------- internals

    function _checkParams(RequestParams calldata p) internal view {
        if (p.redundancy == 0 || p.redundancy > MAX_REDUNDANCY) revert InvalidRedundancy();
        if (p.ttl == 0 || p.commitWindow > p.ttl || block.timestamp + p.ttl > type(uint32).max) {
            revert InvalidWindow();
        }
        if (p.redundancy > 1 && p.commitWindow == 0) revert InvalidWindow();
        if (p.callbackGasLimit > MAX_CALLBACK_GAS) revert CallbackGasTooHigh(p.callbackGasLimit);
    }

    function _open(Job memory job) internal returns (bytes32 id) {
        id = keccak256(abi.encode(block.chainid, address(this), job.consumer, nonce++));
        _requests[id] =
            Request(address(0), job.createdAt + job.params.ttl, 0, Status.Open, 0, 0, job.params.redundancy);
        jobHash[id] = keccak256(abi.encode(job));
    }

    function _escrow(address from, IERC20 token, uint256 amount) internal {
        if (amount > type(uint128).max) revert Overflow();
        uint256 credit = credits[from][token];
        if (credit == 0) return _pull(token, amount);
        uint256 used = credit < amount ? credit : amount;
        credits[from][token] = credit - used;
        if (amount > used) _pull(token, amount - used);
    }

    /// @dev Pulls exactly `amount`; fee-on-transfer and rebasing-down tokens are refused.
    function _pull(IERC20 token, uint256 amount) internal {
        if (amount == 0) return;
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        if (token.balanceOf(address(this)) - before != amount) revert UnsupportedToken();
    }

    function _credit(address account, IERC20 token, uint256 amount) internal {
        if (amount == 0) return;
        credits[account][token] += amount;
        emit Credited(account, token, amount);
    }

    function _checkJob(bytes32 id, Job calldata job) internal view {
        if (jobHash[id] != hashJob(job)) revert JobMismatch();
    }

    function _checkLive(Request storage r, bytes32 id, Job calldata job) internal view {
        if (r.status != Status.Open) revert WrongStatus(r.status);
        if (block.timestamp > r.deadline) revert PastDeadline();
        _checkJob(id, job);
    }

    function _checkNode(RequestParams calldata p, Claim calldata claim) internal view {
        operators.checkSeat(msg.sender, p.modelRoot, p.token, p.price);
        _checkClaim(p, claim);
    }

    /// A delivered or revealed claim names the request's inputRoot (when it has one) and carries
    /// its output bytes, which must be the tensor its outputRoot commits: what the consumer is
    /// handed is then always what a dispute judges, and two claims with the same roots can differ
    /// only in the output's length (which DisputeGame.proveShape settles).
    function _checkClaim(RequestParams calldata p, Claim calldata claim) internal pure {
        if (p.inputRoot != bytes32(0) && claim.inputRoot != p.inputRoot) revert InputRootMismatch();
        if (claim.output.length == 0 || TensorRootLib.tensorRoot(claim.output) != claim.outputRoot) {
            revert OutputNotCommitted();
        }
    }

    function _takeClaim(address op) internal {
        uint256 v = _claims[op];
        _claims[op] = v == 0 ? 2 : v + 1;
    }

    function _seated(bytes32 id, address op, uint8 n) internal view returns (bool) {
        for (uint256 i = 0; i < n; ++i) {
            if (seatOf(id, i) == op) return true;
        }
        return false;
    }

    function _allAgree(bytes32 id, uint8 n, bytes32 h) internal view returns (bool) {
        for (uint256 i = 0; i < n; ++i) {
            if (entryOf[id][seatOf(id, i)] != h) return false;
        }
        return true;
    }

    /// @dev Pays a node through the RewardsCoordinator; if that refuses (node left the set, reward
    ///      token cap), credits the node instead, so settlement never blocks.
    function _payNode(bytes32 id, address op, IERC20 token, uint256 amount) internal {
        if (amount == 0) return;
        token.forceApprove(address(rewards), amount);
        try rewards.fundOperator(
            OperatorSet(address(this), operatorSetId), op, rewardStrategy, token, amount
        ) {
            emit NodePaid(id, op, token, amount, true);
        } catch {
            token.forceApprove(address(rewards), 0);
            _credit(op, token, amount);
            emit NodePaid(id, op, token, amount, false);
        }
    }

    /// @dev Calls the consumer with at most `gasLimit` gas, copying no return data. Reverts when
    ///      less than the limit would reach the callee (a node cannot starve the callback).
    function _callback(address consumer, bytes32 id, uint32 gasLimit, Claim calldata claim) internal {
        if (gasLimit == 0) return;
        emit CallbackResult(
            id, _call(consumer, gasLimit, abi.encodeCall(ISigilConsumer.onSigilResult, (id, claim)))
        );
    }

    /// @dev The correction of an answer called back at once (no call when the request asked for
    ///      no callback), with at most MAX_CORRECTION_GAS.
    function _correct(address consumer, bytes32 id, uint32 gasLimit, bytes32 claimHash) internal {
        if (gasLimit == 0) return;
        uint256 g = gasLimit < MAX_CORRECTION_GAS ? gasLimit : MAX_CORRECTION_GAS;
        bytes memory data = abi.encodeCall(ISigilConsumer.onSigilCorrection, (id, claimHash, Status.Refuted));
        emit CorrectionResult(id, _call(consumer, g, data));
    }

    /// @dev Calls `to` with exactly `gasLimit` gas, copying no return data; reverts when less than
    ///      that would reach the callee.
    function _call(address to, uint256 gasLimit, bytes memory data) internal returns (bool ok) {
        if (gasleft() < (gasLimit * 64) / 63 + CALLBACK_RESERVE) revert InsufficientGas();
        assembly ("memory-safe") {
            ok := call(gasLimit, to, 0, add(data, 32), mload(data), 0, 0)
        }
    }

    /// @dev The slash and the clearing of its shares run in SlashLib (delegatecall); every token
    ///      that actually arrives goes to the treasury.
    function _slash(address operator, uint256 wad) internal returns (uint256[] memory amounts) {
        IERC20[] memory tokens;
        (tokens, amounts) = SlashLib.slash(allocationManager, strategyManager, operatorSetId, operator, wad);
        for (uint256 i = 0; i < amounts.length; ++i) {
            _credit(treasury, tokens[i], amounts[i]);
        }
    }

    function _subscriptionTerms(RequestParams calldata p, bytes calldata input, uint32 period)
        internal
        view
        returns (SubscriptionTerms memory t)
    {
        _checkParams(p);
        (address creator, uint96 royalty, bool usable) = models.terms(p.modelRoot, p.token);
        if (!usable) revert ModelNotUsable(p.modelRoot);
        t = SubscriptionTerms(
            p, input.length == 0 ? bytes32(0) : keccak256(input), creator, royalty, feeBips, period
        );
    }

    function _subscription(uint256 subId, SubscriptionTerms calldata t)
        internal
        view
        returns (Subscription storage s)
    {
        s = subscriptions[subId];
        if (s.termsHash != keccak256(abi.encode(t))) revert JobMismatch();
    }

    /// @dev Makes `h` the answer of `id`, open to challenges for the job's window; with finality
    ///      at once, calls the consumer back.
    function _answered(Request storage r, bytes32 id, Job calldata job, bytes32 h, Claim calldata claim) internal {
        _answer[id] = h;
        uint32 finalAt = uint32(block.timestamp) + job.challengeWindow;
        r.finalAt = finalAt;
        r.status = Status.Answered;
        emit Answered(id, h, finalAt);
        if (!job.params.afterWindow) _callback(job.consumer, id, job.params.callbackGasLimit, claim);
    }

    /// @dev The pay of a generation answer with `output` = abi.encode(uint32[] tokens, bytes text):
    ///      price * min(tokens, maxTokens) / maxTokens (the whole price for a request without a
    ///      maxTokens, or an output whose token count cannot be read).
    function _tokenPrice(bytes32 id, uint96 price, bytes calldata output) internal view returns (uint96) {
        uint256 maxTokens = _maxTokens[id];
        uint256 used = maxTokens;
        if (output.length >= 64) {
            uint256 head = uint256(bytes32(output[:32]));
            if (head <= output.length - 32) used = uint256(bytes32(output[head:head + 32]));
        }
        if (used >= maxTokens) return price;
        return uint96(uint256(price) * used / maxTokens);
    }

    function _fee(uint96 price, uint16 bips) internal pure returns (uint256) {
        return (uint256(price) * bips) / BIPS;
    }
}
