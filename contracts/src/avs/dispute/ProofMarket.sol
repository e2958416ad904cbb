// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Coordinator} from "../Coordinator.sol";
import {Job, Status} from "../CoordinatorTypes.sol";
import {DisputeGame} from "./DisputeGame.sol";

/// @title ProofMarket
/// @notice Verification bounties on requests. A consumer attaches a
///         bounty to its open request: a sampling probability p (wad; 1e18 = a full check), a
///         verifier fee escrowed in the request's payment token, and the verifier's window. Once
///         the request is answered anyone `arm`s the bounty; the draw reads the beacon chain's
///         RANDAO value (`block.prevrandao`) of the first block after the draw block (DRAW_DELAY
///         blocks after arming) in which anyone calls `draw`, so the randomness exists only after
///         the claim is posted. If the claim is selected, a verifier is chosen among registered, bonded
///         verifiers with probability proportional to bond (operators seated on the request
///         excluded). The verifier earns the fee by attesting within its window (paid once the
///         claim is final) or by refuting the claim in the DisputeGame (`refutedBy`).
///
///         Honesty rule (contracts/README.md §Proof market): a bounty is refused unless
///         p * (price + minSlash) > price, where price is what each seated operator is paid and
///         minSlash the least an operator loses when its claim is refuted. An operator that lies
///         saves at most its cost c <= price and, with probability at least p, loses its price
///         (the escrow is refunded) and at least minSlash of stake; honesty is its best response
///         whenever p * (price + minSlash) > c, which the rule guarantees for every c <= price.
///
///         Randomness: a block hash, which the builder of its block can grind for free, no longer
///         decides anything. RANDAO cannot be changed by a builder; its value for block B is
///         known one block ahead, and the proposer of a slot can only withhold its block
///         (forfeiting the block's reward and fees) to replace one value by another. A draw may
///         be called in the DRAW_WINDOW blocks after the draw block; everyone who wants a fair
///         draw (the consumer, every verifier hoping for the fee) calls it in the first of them,
///         and all calls in one block read the same value, so an operator can choose among the
///         window's blocks only when no other party's `draw` lands before its own.
///         Fail-safe: a draw not called within the window counts as selected (the selection is
///         never re-rolled), so an operator who withholds only forces its own check. The verifier
///         is then chosen from a fresh arming.
///
///         Verifier duties: a chosen verifier that neither attests nor disputes by its deadline
///         loses MISS_PENALTY_BIPS of its registered bond and its seat (it is ejected and draws
///         nothing armed later). A verifier that attests a claim that is then proven wrong (a
///         proof in the DisputeGame, `refutedByProof`) loses its whole remaining bond. A claim
///         refuted only because its defender let a game time out proves nothing about the claim
///         (the defender and the challenger may be one party throwing the game to take the
///         verifier's bond), so it costs an attesting verifier nothing but the fee, which goes back
///         to the consumer. Forfeited bonds go to the Coordinator's treasury, never to the
///         consumer, who may be the verifier's own ally. A missed window costs part of the bond,
///         not all of it, because it may be an outage rather than a lie; losing only the seat
///         would make idling free for a verifier an operator placed in the pool.
///
///         Seats: at most MAX_VERIFIERS verifiers are active at once. When they are, a newcomer
///         whose bond is larger than the smallest active one's takes its place (the smallest is
///         evicted: it exits as if it had called `exit`), so nobody can hold the pool with minimum
///         bonds. Exited verifiers stay listed until their bond is withdrawn, which anyone may
///         trigger once it is due (`withdrawBondOf`), so the list (at most MAX_LISTED) cannot be
///         jammed either.
/// @dev Accounting invariants (test/market/ProofMarketInvariants.t.sol), per token:
///      balance == sum of fees of live bounties + sum of remaining bonds + sum of credits; each
///      bounty leaves escrow exactly once (state Closed), through one of: refund to the consumer,
///      fee to the verifier. Credits are pull payments (`withdraw`).
///      Anti-grinding: a verifier's weight is its bond at registration and never changes; a draw
///      armed at block A counts only verifiers registered at or before A and not exiting at A;
///      removal (after the exit delay) preserves the registry's order. So once the seed is known
///      nobody can change the draw by registering, exiting, withdrawing or being penalized.
contract ProofMarket is ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Blocks between arming and the block whose hash decides the draw.
    uint64 public constant DRAW_DELAY = 96;
    /// @notice Blocks after the draw block in which `draw` reads RANDAO; a later draw counts as
    ///         selected and re-arms (fail-safe).
    uint64 public constant DRAW_WINDOW = 64;
    /// @notice Seconds the draw is expected to take (DRAW_DELAY blocks of 12 s); the request's
    ///         challenge window must cover it plus the verifier's window.
    uint32 public constant DRAW_SECONDS = 1152;
    uint32 public constant MIN_VERIFY_WINDOW = 10 minutes;
    uint32 public constant MAX_VERIFY_WINDOW = 7 days;
    uint256 public constant MAX_VERIFIERS = 64;
    /// @notice Most verifiers listed at once, exiting ones included (bounds the draw's loop).
    uint256 public constant MAX_LISTED = 128;
    uint16 public constant MISS_PENALTY_BIPS = 2_000;
    uint256 internal constant WAD = 1e18;
    uint256 internal constant BIPS = 10_000;

    enum State {
        None,
        Posted, // escrowed, waiting for the request's answer
        Armed, // answer bound, waiting for the draw block
        Assigned, // selected, verifier chosen, window running
        Attested, // verifier attested; paid once the claim is final
        Closed // fee left escrow (refund or payout)
    }

    struct Bounty {
        address consumer;
        uint96 fee;
        IERC20 token;
        uint64 pWad;
        uint32 verifyWindow;
        address verifier;
        uint64 armBlock;
        uint32 deadline;
        State state;
        bool selected;
        bytes32 claimHash;
    }

    /// @dev The draw reads only the first slot (weight, since, exitAt) of each verifier.
    struct Verifier {
        uint96 weight; // bond at registration: the draw weight, never changes
        uint64 since; // registration block
        uint64 exitAt; // block of exit request or ejection (0 = active)
        uint96 bond; // remaining bond
        uint32 open; // assignments not yet closed
        bool registered;
    }

    Coordinator public immutable coordinator;
    DisputeGame public immutable game;
    IERC20 public immutable bondToken;
    uint256 public immutable minBond;
    /// @notice S_min: the least an operator loses when its claim is refuted, in payment-token
    ///         units (slashWad times the registry's minimum slashable stake, stake and payment
    ///         tokens valued at par in this deployment).
    uint256 public immutable minSlash;

    mapping(bytes32 id => Bounty) internal _bounties;
    mapping(address => Verifier) internal _verifiers;
    address[] internal _verifierList;
    /// @notice Registered verifiers not exiting (draw-eligible from their registration on).
    uint256 public activeVerifiers;
    mapping(address account => mapping(IERC20 token => uint256)) public credits;

    event BountyPosted(
        bytes32 indexed id,
        address indexed consumer,
        IERC20 token,
        uint96 fee,
        uint64 pWad,
        uint32 verifyWindow
    );
    event BountyArmed(bytes32 indexed id, bytes32 claimHash, uint64 armBlock, uint64 drawBlock);
    event BountyRearmed(bytes32 indexed id, uint64 armBlock, uint64 drawBlock);
    event BountyDrawn(bytes32 indexed id, bool selected, address verifier, uint32 deadline);
    event BountyAttested(bytes32 indexed id, address indexed verifier);
    event BountyClosed(bytes32 indexed id, address indexed paidTo, uint256 fee, bool toVerifier);
    event VerifierRegistered(address indexed verifier, uint256 bond);
    event VerifierExiting(address indexed verifier, uint64 exitAt);
    event VerifierPenalized(address indexed verifier, bytes32 indexed id, uint256 amount, bool ejected);
    event VerifierWithdrawn(address indexed verifier, uint256 bond);
    event VerifierEvicted(address indexed verifier, address indexed by);
    event Credited(address indexed account, IERC20 indexed token, uint256 amount);
    event Withdrawn(address indexed account, IERC20 indexed token, uint256 amount);

    error JobMismatch();
    error NotConsumer();
    error RequestNotOpen(Status status);
    error BountyExists();
    error InvalidProbability(uint64 pWad);
    error ZeroFee();
    error InvalidVerifyWindow(uint32 window);
    error ChallengeWindowTooShort(uint32 window, uint256 needed);
    error HonestyNotEnforced(uint64 pWad, uint256 price, uint256 minSlash);
    error UnsupportedToken();
    error WrongState(State state);
    error NotAnswered(Status status);
    error DrawTooEarly(uint64 drawBlock);
    error NotVerifier();
    error TooLate();
    error ClaimChanged();
    error NotResolvable();
    error StillLive();
    error AlreadyRegistered();
    error NotRegistered();
    error BondTooSmall(uint256 bond, uint256 minBond);
    error TooManyVerifiers();
    error AlreadyExiting();
    error NotExiting();
    error ExitPending(uint64 availableAt);
    error OpenAssignments(uint32 open);
    error NothingToWithdraw();
    error ZeroAddress();

    constructor(
        Coordinator coordinator_,
        DisputeGame game_,
        IERC20 bondToken_,
        uint256 minBond_,
        uint256 minSlash_
    ) {
        if (address(coordinator_) == address(0) || address(game_) == address(0)) {
            revert ZeroAddress();
        }
        if (address(bondToken_) == address(0)) revert ZeroAddress();
        if (minBond_ == 0) revert BondTooSmall(0, 1);
        coordinator = coordinator_;
        game = game_;
        bondToken = bondToken_;
        minBond = minBond_;
        minSlash = minSlash_;
    }

    // ---------------------------------------------------------------- consumers

    /// @notice Attaches a bounty to open request `id` (its consumer only): sampling probability
    ///         `pWad` in (0, 1e18], `fee` (> 0, pulled in the request's payment token) and the
    ///         verifier's window. Refuses terms under which lying could pay (`honest`).
    function post(bytes32 id, Job calldata job, uint64 pWad, uint96 fee, uint32 verifyWindow)
        external
        nonReentrant
    {
        if (coordinator.jobHash(id) != keccak256(abi.encode(job))) revert JobMismatch();
        if (msg.sender != job.consumer) revert NotConsumer();
        Status s = coordinator.getRequest(id).status;
        if (s != Status.Open) revert RequestNotOpen(s);
        Bounty storage b = _bounties[id];
        if (b.state != State.None) revert BountyExists();
        checkTerms(job.params.price, job.challengeWindow, pWad, fee, verifyWindow);
        IERC20 token = job.params.token;
        b.consumer = msg.sender;
        b.fee = fee;
        b.token = token;
        b.pWad = pWad;
        b.verifyWindow = verifyWindow;
        b.state = State.Posted;
        emit BountyPosted(id, msg.sender, token, fee, pWad, verifyWindow);
        _pull(token, fee);
    }

    /// @notice Reverts with the reason the terms are refused, if any. `price` is each seated
    ///         operator's pay, `challengeWindow` the request's.
    function checkTerms(uint96 price, uint32 challengeWindow, uint64 pWad, uint96 fee, uint32 verifyWindow)
        public
        view
    {
        if (pWad == 0 || pWad > WAD) revert InvalidProbability(pWad);
        if (fee == 0) revert ZeroFee();
        if (verifyWindow < MIN_VERIFY_WINDOW || verifyWindow > MAX_VERIFY_WINDOW) {
            revert InvalidVerifyWindow(verifyWindow);
        }
        uint256 needed = uint256(verifyWindow) + DRAW_SECONDS;
        if (challengeWindow < needed) revert ChallengeWindowTooShort(challengeWindow, needed);
        if (!honest(pWad, price)) revert HonestyNotEnforced(pWad, price, minSlash);
    }

    /// @notice The honesty rule: p * (price + minSlash) > price (p in wad).
    function honest(uint64 pWad, uint256 price) public view returns (bool) {
        return uint256(pWad) * (price + minSlash) > price * WAD;
    }

    /// @notice Refunds a bounty that was never armed once its request can no longer be verified
    ///         (expired, settled, refuted, or its challenge window over). Anyone may call.
    function refundUnarmed(bytes32 id) external nonReentrant {
        Bounty storage b = _bounties[id];
        if (b.state != State.Posted) revert WrongState(b.state);
        Coordinator.Request memory r = coordinator.getRequest(id);
        if (r.status == Status.Open || _verifiable(r)) revert StillLive();
        _close(id, b, b.consumer, false);
    }

    // ---------------------------------------------------------------- the draw

    /// @notice Binds a posted bounty to its request's answer and fixes the draw block
    ///         (block.number + DRAW_DELAY). Anyone may call, within the challenge window.
    function arm(bytes32 id) external nonReentrant {
        Bounty storage b = _bounties[id];
        if (b.state != State.Posted) revert WrongState(b.state);
        Coordinator.Request memory r = coordinator.getRequest(id);
        if (!_verifiable(r)) revert NotAnswered(r.status);
        bytes32 answer = coordinator.answerOf(id);
        b.claimHash = answer;
        b.armBlock = uint64(block.number);
        b.state = State.Armed;
        emit BountyArmed(id, answer, uint64(block.number), uint64(block.number) + DRAW_DELAY);
    }

    /// @notice Draws an armed bounty once its draw block is past (anyone may call). Not selected:
    ///         the fee is refunded. Selected: a verifier is chosen by bond weight and its window
    ///         starts. A draw later than DRAW_WINDOW counts as selected and re-arms for the verifier's
    ///         choice. A request no longer verifiable refunds the bounty.
    function draw(bytes32 id) external nonReentrant {
        Bounty storage b = _bounties[id];
        if (b.state != State.Armed) revert WrongState(b.state);
        uint64 drawBlock = b.armBlock + DRAW_DELAY;
        if (block.number <= drawBlock) revert DrawTooEarly(drawBlock);
        Coordinator.Request memory r = coordinator.getRequest(id);
        if (!_verifiable(r) || coordinator.answerOf(id) != b.claimHash) {
            emit BountyDrawn(id, false, address(0), 0);
            return _close(id, b, b.consumer, false);
        }
        if (block.number > drawBlock + DRAW_WINDOW) {
            b.selected = true;
            b.armBlock = uint64(block.number);
            emit BountyRearmed(id, uint64(block.number), uint64(block.number) + DRAW_DELAY);
            return;
        }
        uint256 seed = uint256(keccak256(abi.encode(block.prevrandao, id)));
        if (!b.selected && seed % WAD >= b.pWad) {
            emit BountyDrawn(id, false, address(0), 0);
            return _close(id, b, b.consumer, false);
        }
        b.selected = true;
        address v = _pick(id, b.armBlock, uint256(keccak256(abi.encode(seed, "verifier"))));
        if (v == address(0)) {
            emit BountyDrawn(id, true, address(0), 0);
            return _close(id, b, b.consumer, false);
        }
        uint256 end = block.timestamp + b.verifyWindow;
        uint32 deadline = uint32(end < r.finalAt ? end : r.finalAt);
        b.verifier = v;
        b.deadline = deadline;
        b.state = State.Assigned;
        ++_verifiers[v].open;
        emit BountyDrawn(id, true, v, deadline);
    }

    // ---------------------------------------------------------------- verifiers

    /// @notice The chosen verifier: the claim is correct (it re-executed it). Within the window,
    ///         while the claim is the unrefuted answer. Paid by `resolve` once the claim is final.
    function attest(bytes32 id) external nonReentrant {
        Bounty storage b = _bounties[id];
        if (b.state != State.Assigned) revert WrongState(b.state);
        if (msg.sender != b.verifier) revert NotVerifier();
        if (block.timestamp > b.deadline) revert TooLate();
        Status s = coordinator.getRequest(id).status;
        if ((s != Status.Answered && s != Status.Disputed) || coordinator.answerOf(id) != b.claimHash) {
            revert ClaimChanged();
        }
        b.state = State.Attested;
        emit BountyAttested(id, msg.sender);
    }

    /// @notice Ends an assigned or attested bounty once its outcome is known (anyone may call):
    ///         the verifier refuted the claim (DisputeGame.refutedBy): fee to the verifier; the claim
    ///         is final: fee to an attesting verifier, else refund; the claim was refuted by someone
    ///         else: refund, and an attesting verifier forfeits its bond; the verifier's deadline
    ///         passed with neither an attestation nor a dispute by it: refund and miss penalty.
    function resolve(bytes32 id) external nonReentrant {
        Bounty storage b = _bounties[id];
        State st = b.state;
        if (st != State.Assigned && st != State.Attested) revert WrongState(st);
        address v = b.verifier;
        if (game.refutedBy(id) == v) return _close(id, b, v, true);
        Coordinator.Request memory r = coordinator.getRequest(id);
        bool attested = st == State.Attested;
        bool missed = !attested && block.timestamp > b.deadline && !disputedBy(id, v);
        if (r.status == Status.Refuted) {
            // Only a proof shows the attested claim wrong; a thrown game (a defender timeout)
            // does not, and an honest verifier never loses its bond to one.
            if (attested && game.refutedByProof(id)) _penalize(id, v, _verifiers[v].bond);
            else if (missed) _penalize(id, v, _missPenalty(v));
            return _close(id, b, b.consumer, false);
        }
        bool final_ =
            r.status == Status.Settled || (r.status == Status.Answered && block.timestamp >= r.finalAt);
        if (final_ && attested) return _close(id, b, v, true);
        if (missed) {
            _penalize(id, v, _missPenalty(v));
            return _close(id, b, b.consumer, false);
        }
        if (final_) return _close(id, b, b.consumer, false); // disputed and lost
        revert NotResolvable();
    }

    /// @notice Registers the caller as a verifier with `bond` of bondToken (>= minBond). The bond
    ///         is its draw weight from this block on. With MAX_VERIFIERS active, the bond must be
    ///         larger than the smallest active bond, whose verifier is evicted (it exits).
    function register(uint96 bond) external nonReentrant {
        Verifier storage v = _verifiers[msg.sender];
        if (v.registered) revert AlreadyRegistered();
        if (bond < minBond) revert BondTooSmall(bond, minBond);
        if (_verifierList.length >= MAX_LISTED) revert TooManyVerifiers();
        if (activeVerifiers >= MAX_VERIFIERS) _evictSmallest(bond);
        _verifiers[msg.sender] = Verifier(bond, uint64(block.number), 0, bond, 0, true);
        _verifierList.push(msg.sender);
        ++activeVerifiers;
        emit VerifierRegistered(msg.sender, bond);
        uint256 before = bondToken.balanceOf(address(this));
        bondToken.safeTransferFrom(msg.sender, address(this), bond);
        if (bondToken.balanceOf(address(this)) - before != bond) revert UnsupportedToken();
    }

    /// @notice Leaves the verifier pool: no draw armed after this block counts the caller; the
    ///         bond can be withdrawn once every draw that could still choose it is past.
    function exit() external nonReentrant {
        Verifier storage v = _verifiers[msg.sender];
        if (!v.registered) revert NotRegistered();
        if (v.exitAt != 0) revert AlreadyExiting();
        _exit(msg.sender, v);
    }

    /// @notice Returns an exited verifier's remaining bond once no draw can choose it any more
    ///         (exit block + DRAW_DELAY + DRAW_WINDOW) and none of its assignments is open.
    function withdrawBond() external {
        withdrawBondOf(msg.sender);
    }

    /// @notice `withdrawBond` for verifier `a`, callable by anyone: the bond goes to `a`. Lets
    ///         anyone clear an exited verifier from the list once its bond is due.
    function withdrawBondOf(address a) public nonReentrant {
        Verifier storage v = _verifiers[a];
        if (!v.registered) revert NotRegistered();
        if (v.exitAt == 0) revert NotExiting();
        uint64 availableAt = v.exitAt + DRAW_DELAY + DRAW_WINDOW + 1;
        if (block.number < availableAt) revert ExitPending(availableAt);
        if (v.open != 0) revert OpenAssignments(v.open);
        uint256 bond = v.bond;
        delete _verifiers[a];
        _removeInOrder(a);
        emit VerifierWithdrawn(a, bond);
        if (bond != 0) bondToken.safeTransfer(a, bond);
    }

    /// @notice Sends the caller's whole credit in `token`.
    function withdraw(IERC20 token) external nonReentrant returns (uint256 amount) {
        amount = credits[msg.sender][token];
        if (amount == 0) revert NothingToWithdraw();
        credits[msg.sender][token] = 0;
        emit Withdrawn(msg.sender, token, amount);
        token.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- views

    function getBounty(bytes32 id) external view returns (Bounty memory) {
        return _bounties[id];
    }

    function getVerifier(address v) external view returns (Verifier memory) {
        return _verifiers[v];
    }

    function verifiers() external view returns (address[] memory) {
        return _verifierList;
    }

    /// @notice Whether `v` opened a DisputeGame against a claim seated on request `id`.
    function disputedBy(bytes32 id, address v) public view returns (bool) {
        uint256 n = coordinator.getRequest(id).commits;
        for (uint256 i = 0; i < n; ++i) {
            if (game.challenged(keccak256(abi.encode(id, coordinator.seatOf(id, i), v)))) return true;
        }
        return false;
    }

    /// @notice The verifier a draw armed at `armBlock` on request `id` would choose for random
    ///         value `rnd` (0 when none is eligible).
    function pick(bytes32 id, uint64 armBlock, uint256 rnd) external view returns (address) {
        return _pick(id, armBlock, rnd);
    }

    // ---------------------------------------------------------------- internals

    /// Answered or disputed, challenge window still open.
    function _verifiable(Coordinator.Request memory r) internal view returns (bool) {
        return (r.status == Status.Answered || r.status == Status.Disputed) && block.timestamp < r.finalAt;
    }

    /// Bond-weighted choice among verifiers registered at or before `armBlock`, not exiting at
    /// `armBlock`, and not seated on request `id`.
    function _pick(bytes32 id, uint64 armBlock, uint256 rnd) internal view returns (address) {
        Coordinator.Request memory r = coordinator.getRequest(id);
        address[] memory seats = new address[](r.commits);
        for (uint256 i = 0; i < seats.length; ++i) {
            seats[i] = coordinator.seatOf(id, i);
        }
        uint256 n = _verifierList.length;
        uint256[] memory w = new uint256[](n);
        uint256 total;
        for (uint256 i = 0; i < n; ++i) {
            address a = _verifierList[i];
            Verifier storage v = _verifiers[a];
            if (v.since > armBlock || (v.exitAt != 0 && v.exitAt <= armBlock) || _isSeat(seats, a)) continue;
            w[i] = v.weight;
            total += v.weight;
        }
        if (total == 0) return address(0);
        uint256 x = rnd % total;
        for (uint256 i = 0; i < n; ++i) {
            if (x < w[i]) return _verifierList[i];
            x -= w[i];
        }
        return address(0); // unreachable: x < total
    }

    function _isSeat(address[] memory seats, address a) internal pure returns (bool) {
        for (uint256 i = 0; i < seats.length; ++i) {
            if (seats[i] == a) return true;
        }
        return false;
    }

    function _missPenalty(address v) internal view returns (uint256) {
        Verifier storage x = _verifiers[v];
        uint256 p = (uint256(x.weight) * MISS_PENALTY_BIPS) / BIPS;
        return p < x.bond ? p : x.bond;
    }

    /// Takes `amount` of `v`'s bond for the treasury and ejects `v` from later draws.
    function _penalize(bytes32 id, address v, uint256 amount) internal {
        Verifier storage x = _verifiers[v];
        x.bond -= uint96(amount);
        bool ejected = x.exitAt == 0;
        if (ejected) _exit(v, x);
        emit VerifierPenalized(v, id, amount, ejected);
        _credit(coordinator.treasury(), bondToken, amount);
    }

    /// `a` leaves the draw from this block on (exit, eviction or ejection).
    function _exit(address a, Verifier storage v) internal {
        v.exitAt = uint64(block.number);
        --activeVerifiers;
        emit VerifierExiting(a, uint64(block.number));
    }

    /// Evicts the active verifier with the smallest weight (the first listed among equals), which
    /// must be smaller than `bond`.
    function _evictSmallest(uint96 bond) internal {
        address smallest;
        uint96 least = type(uint96).max;
        for (uint256 i = 0; i < _verifierList.length; ++i) {
            address a = _verifierList[i];
            Verifier storage x = _verifiers[a];
            if (x.exitAt == 0 && x.weight < least) {
                least = x.weight;
                smallest = a;
            }
        }
        if (bond <= least) revert TooManyVerifiers();
        _exit(smallest, _verifiers[smallest]);
        emit VerifierEvicted(smallest, msg.sender);
    }

    /// The fee leaves escrow: to `to` (the verifier when `toVerifier`, else the consumer).
    function _close(bytes32 id, Bounty storage b, address to, bool toVerifier) internal {
        State st = b.state;
        b.state = State.Closed;
        if (st == State.Assigned || st == State.Attested) --_verifiers[b.verifier].open;
        emit BountyClosed(id, to, b.fee, toVerifier);
        _credit(to, b.token, b.fee);
    }

    function _credit(address account, IERC20 token, uint256 amount) internal {
        if (amount == 0) return;
        credits[account][token] += amount;
        emit Credited(account, token, amount);
    }

    /// Pulls exactly `amount`; fee-on-transfer and rebasing-down tokens are refused.
    function _pull(IERC20 token, uint256 amount) internal {
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        if (token.balanceOf(address(this)) - before != amount) revert UnsupportedToken();
    }

    /// Removes `a`, keeping the others' order (so no draw's outcome changes).
    function _removeInOrder(address a) internal {
        uint256 n = _verifierList.length;
        uint256 i;
        while (_verifierList[i] != a) ++i;
        for (; i + 1 < n; ++i) {
            _verifierList[i] = _verifierList[i + 1];
        }
        _verifierList.pop();
    }
}
