// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Coordinator} from "../Coordinator.sol";
import {Job, Claim, Status} from "../CoordinatorTypes.sol";
import {MerkleLib} from "./MerkleLib.sol";
import {OneStepVerifier} from "./OneStepVerifier.sol";
import {GameLib} from "./GameLib.sol";
import {TraceGame} from "./TraceGame.sol";
import {GenerationLib} from "./GenerationLib.sol";
import {TensorRootLib} from "./TensorRootLib.sol";
import {ConflictLib} from "./ConflictLib.sol";
import {SlashTerms} from "./SlashTerms.sol";
import {OffchainClaims, IClaimAdopter} from "./OffchainClaims.sol";

/// @title DisputeGame
/// @notice The interactive fraud proof of docs/commitments.md, played between a claim's operator (the
///         defender) and one challenger per game; several challengers of one claim each get their
///         own game, and the claim settles only when every game has ended.
///
///         1. Bisection over the execution states S_0..S_N (docs/commitments.md §states). S_0 is
///            computed here from the claim's inputRoot; S_N is the claim's traceRoot. The defender
///            posts S_mid, the challenger agrees (lo = mid) or disagrees (hi = mid), until
///            hi = lo + 1 = k: both agree on S_{k-1} and disagree on S_k.
///         2. The defender reveals out_k with one Merkle path that proves both "leaf k of S_{k-1}
///            is 0" and "leaf k of S_k is out_k" (so S_k is S_{k-1} with step k's output added and
///            nothing else changed), and op k's record under modelRoot (whose step count must be
///            N). Then binary descent of out_k's chunk tree: the defender reveals a node's two
///            children, the challenger picks the one it disputes, down to one 32-byte chunk.
///         3. One step: the challenger proves one element of that chunk with an ElementProof
///            against the agreed S_{k-1} and modelRoot (OneStepVerifier). A differing value, or
///            non-zero padding in the chunk, and the defender loses; otherwise the challenger
///            cannot move and loses at its deadline.
///
///         Every move has a deadline (`moveWindow`); whoever is due to move when it passes loses
///         (anyone may call `timeout`). Outcomes go through the Coordinator's proof-market hooks:
///         a losing defender is slashed by the request's value at risk, at least `terms.slashWad()` of its
///         allocation (SlashTerms; Coordinator.slashOperator:
///         the consumer gets its escrow back and its share of the slashed stake, the challenger the
///         rest) and the challenger's bond is returned; a losing challenger's bond goes to the
///         defender. Once a defender lost on a request, its other games there end with bonds
///         returned (`release`); so does a conflict game whose challenger lost elsewhere, and a
///         released game resolves no conflict.
///
///         Conflicts (k > 1 reveals that disagree): a seated operator challenges another's claim
///         with `challengeConflict`; the game is the same, the loser (defender or challenger) is
///         slashed, and `resolve` ends the conflict with the winner's claim.
///
///         Claim endpoints (docs/commitments.md §claims): `proveInputMismatch` and
///         `proveOutputMismatch` refute at once a claim whose inputRoot is not the commitment of the
///         request's inline input, or whose output bytes are not the tensor its outputRoot commits;
///         `proveFinalOutput` ends a game that reached k = N when out_N, opened under the claim's
///         S_N, is not its outputRoot.
/// @dev Invariants: a game's phase only moves forward; lo < hi always; only the party whose turn
///      it is can move; every bond is paid out exactly once (to its challenger or the defender).
contract DisputeGame is TraceGame, IClaimAdopter {
    using SafeERC20 for IERC20;

    Coordinator public immutable coordinator;
    /// @notice The value-at-risk slash terms (created here, see SlashTerms).
    SlashTerms public immutable terms;
    /// @notice Where off-chain signed claims are brought on chain (created here, see OffchainClaims).
    OffchainClaims public immutable offchainClaims;

    /// @notice One game per (request, operator, challenger).
    mapping(bytes32 key => bool) public challenged;
    /// @notice The challenger whose game first refuted request `id`'s answer (0 if none); the
    ///         ProofMarket pays a chosen verifier's fee on it.
    mapping(bytes32 id => address) public refutedBy;
    /// @notice Games ended by `release` (unplayed): neither side won, so `resolve` refuses them.
    mapping(uint256 gameId => bool) public released;
    /// @notice Whether the refutation of request `id`'s answer (`refutedBy`) was a proof (a
    ///         one-step proof, padding, final output or a one-shot proof) rather than a defender's
    ///         timeout. A timeout can be thrown by a defender colluding with its challenger, so the
    ///         ProofMarket forfeits an attesting verifier's bond only on a proof.
    mapping(bytes32 id => bool) public refutedByProof;

    event Challenged(
        uint256 indexed gameId,
        bytes32 indexed requestId,
        address indexed defender,
        address challenger,
        uint64 steps
    );
    /// @notice A claim lost a one-shot proof (no game): its inline input or output bytes are not
    ///         the ones its commitments name.
    event ClaimRefuted(bytes32 indexed requestId, address indexed operator, address prover, string reason);

    error JobMismatch();
    error NotTheClaim();
    error AlreadyChallenged();
    error WindowClosed();
    error BadState();
    error BadPath();
    error BadRecord();
    error DefenderNotLost();
    error ZeroSteps();
    error NotConflict();
    error NotWinner();
    error NoInlineInput();
    error NotTheInput();
    error NoOutputBytes();
    error NotFinalOutput();
    error ClaimNotOpen();
    error Contested();
    error Released();
    error NotOffchainClaims();
    error GamesOpen();
    /// A generation claim (GenerationLib.GENERATION_FLAG in its steps) is disputed in the GenerationGame.
    error GenerationClaim();

    constructor(
        Coordinator coordinator_,
        OneStepVerifier verifier_,
        IERC20 bondToken_,
        uint256 bond_,
        uint256 slashWad_,
        uint64 moveWindow_
    ) TraceGame(verifier_, bondToken_, bond_, moveWindow_) {
        coordinator = coordinator_;
        terms = new SlashTerms(coordinator_, slashWad_);
        offchainClaims = new OffchainClaims(coordinator_, this);
    }

    // ------------------------------------------------------------------ opening

    /// @notice Disputes `claim`, delivered or revealed by `operator` on answered request `id`,
    ///         within its challenge window. Takes `bond` of bondToken from the sender.
    function challenge(bytes32 id, Job calldata job, Claim calldata claim, address operator)
        external
        nonReentrant
        returns (uint256 gameId)
    {
        if (coordinator.jobHash(id) != keccak256(abi.encode(job))) revert JobMismatch();
        if (coordinator.entryOf(id, operator) != coordinator.hashClaim(claim)) revert NotTheClaim();
        if (coordinator.slashed(id, operator) || lost[id][operator]) revert NotTheClaim();
        if (claim.steps == 0) revert ZeroSteps();
        bytes32 key = keccak256(abi.encode(id, operator, msg.sender));
        if (challenged[key]) revert AlreadyChallenged();
        challenged[key] = true;
        Coordinator.Request memory r = coordinator.getRequest(id);
        if (block.timestamp >= r.finalAt) revert WindowClosed();
        if (r.status != Status.Answered && r.status != Status.Disputed) revert WindowClosed();
        if (coordinator.answerOf(id) != coordinator.hashClaim(claim)) revert NotTheClaim();

        gameId = _start(id, job, claim, operator);

        bondToken.safeTransferFrom(msg.sender, address(this), bond);
        if (r.status == Status.Answered) coordinator.openDispute(id);
    }

    /// @notice Opens the game of a k > 1 request whose reveals disagree: the sender, seated with
    ///         claim `mine`, challenges `operator`'s revealed `theirs` (same input, different
    ///         claim). The loser, whoever it is, is slashed (both are operators that committed to a
    ///         claim); `resolve` then ends the conflict with the winner's claim. Takes `bond`.
    function challengeConflict(
        bytes32 id,
        Job calldata job,
        Claim calldata theirs,
        address operator,
        Claim calldata mine
    ) external nonReentrant returns (uint256 gameId) {
        if (coordinator.jobHash(id) != keccak256(abi.encode(job))) revert JobMismatch();
        if (coordinator.getRequest(id).status != Status.Conflict) revert NotConflict();
        bytes32 theirHash = coordinator.hashClaim(theirs);
        bytes32 myHash = coordinator.hashClaim(mine);
        if (coordinator.entryOf(id, operator) != theirHash || coordinator.entryOf(id, msg.sender) != myHash) {
            revert NotTheClaim();
        }
        // Claims with different step counts are played on `theirs`: a wrong N cannot reveal a
        // record of the model (its op table fixes N), a right one cannot lose to a wrong one.
        if (theirHash == myHash || theirs.inputRoot != mine.inputRoot) revert NotTheClaim();
        if (coordinator.slashed(id, operator) || coordinator.slashed(id, msg.sender)) revert NotTheClaim();
        if (lost[id][operator] || lost[id][msg.sender]) revert NotTheClaim();
        if (theirs.steps == 0) revert ZeroSteps();
        bytes32 key = keccak256(abi.encode(id, operator, msg.sender));
        if (challenged[key]) revert AlreadyChallenged();
        challenged[key] = true;
        gameId = _start(id, job, theirs, operator);
        _games[gameId].conflict = true;
        bondToken.safeTransferFrom(msg.sender, address(this), bond);
    }

    /// @notice Ends the conflict of a finished conflict game with its winner's claim
    ///         (Coordinator.resolveConflict; the claim must be the winner's reveal), once no other
    ///         claim is left standing: winning one game proves only the step the two sides first
    ///         disagreed on, so a third seat's different, unslashed claim keeps it `Contested`.
    function resolve(uint256 gameId, Job calldata job, Claim calldata winnerClaim) external nonReentrant {
        Game storage g = _games[gameId];
        if (!g.conflict) revert NotConflict();
        if (g.phase != Phase.Done) revert WrongPhase(g.phase);
        if (released[gameId]) revert Released();
        address winner = g.defenderWon ? g.defender : g.challenger;
        // A winner that lost another game on the request has no claim left to resolve with.
        if (
            lost[g.requestId][winner]
                || coordinator.entryOf(g.requestId, winner) != coordinator.hashClaim(winnerClaim)
        ) {
            revert NotWinner();
        }
        _resolveUncontested(g.requestId, job, winnerClaim);
    }

    function _start(bytes32 id, Job calldata job, Claim calldata claim, address operator)
        internal
        returns (uint256 gameId)
    {
        if (claim.steps & GenerationLib.GENERATION_FLAG != 0) revert GenerationClaim();
        gameId = ++gameCount;
        Game storage g = _games[gameId];
        g.requestId = id;
        g.defender = operator;
        g.challenger = msg.sender;
        g.modelRoot = job.params.modelRoot;
        g.steps = claim.steps;
        g.hi = claim.steps;
        g.loState = initialState(claim.inputRoot, claim.steps);
        g.hiState = claim.traceRoot;
        g.phase = claim.steps == 1 ? Phase.Reveal : Phase.Bisect;
        g.defenderTurn = true;
        g.deadline = uint64(block.timestamp) + moveWindow;
        ++openGames[id];
        emit Challenged(gameId, id, operator, msg.sender, claim.steps);
    }

    /// @notice OffchainClaims only: records an adopted signed claim in the Coordinator.
    function adoptClaim(bytes32 jobHash, address operator, bytes32 claimHash, uint32 finalAt)
        external
        returns (bytes32)
    {
        if (msg.sender != address(offchainClaims)) revert NotOffchainClaims();
        return coordinator.adoptClaim(jobHash, operator, claimHash, finalAt);
    }

    // ------------------------------------------------------------------ claim endpoints

    /// @notice Refutes at once a claim whose inputRoot is not the commitment of the request's
    ///         inline input (docs/commitments.md §claims: inline bytes are the program's single
    ///         input, so inputRoot = tensorRoot(input)). `input` must hash to the job's inputHash.
    ///         Anyone may prove it while the claim can still be refuted (answered within its
    ///         window, disputed, or in a conflict); the prover gets the challenger's share of the
    ///         slash. No bond: the check is complete on chain.
    function proveInputMismatch(
        bytes32 id,
        Job calldata job,
        Claim calldata claim,
        address operator,
        bytes calldata input
    ) external nonReentrant {
        _checkRefutable(id, job, claim, operator);
        if (job.inputHash == bytes32(0)) revert NoInlineInput();
        if (keccak256(input) != job.inputHash) revert NotTheInput();
        if (TensorRootLib.tensorRoot(input) == claim.inputRoot) revert NoMismatch();
        _refute(id, job, operator, "input root");
    }

    /// @notice Refutes at once a claim whose output bytes (what the consumer was handed) are not
    ///         the tensor whose root the claim commits as outputRoot. Same conditions as
    ///         `proveInputMismatch`.
    function proveOutputMismatch(bytes32 id, Job calldata job, Claim calldata claim, address operator)
        external
        nonReentrant
    {
        _checkRefutable(id, job, claim, operator);
        if (claim.output.length == 0) revert NoOutputBytes();
        if (TensorRootLib.tensorRoot(claim.output) == claim.outputRoot) revert NoMismatch();
        _refute(id, job, operator, "output root");
    }

    /// @notice Refutes at once a claim whose shape is not the model's: `opRecord` is the record of
    ///         the model's last op (leaf N - 1 of its op table, proven under the job's modelRoot by
    ///         `opPath` and `opTablePath`), and the claim's step count is not that N, or its output
    ///         bytes are not as long as that op's output tensor (trailing zero bytes dropped or
    ///         added leave outputRoot unchanged, so only the length shows them). Same conditions
    ///         as `proveInputMismatch`.
    function proveShape(
        bytes32 id,
        Job calldata job,
        Claim calldata claim,
        address operator,
        bytes calldata opRecord,
        bytes32[] calldata opPath,
        bytes32[] calldata opTablePath
    ) external nonReentrant {
        _checkRefutable(id, job, claim, operator);
        (uint32 n, uint256 elems, uint8 width) =
            GameLib.checkRecord(job.params.modelRoot, 0, opRecord, opPath, opTablePath);
        if (claim.steps != n) return _refute(id, job, operator, "steps");
        if (claim.output.length == elems * width) revert NoMismatch();
        _refute(id, job, operator, "output length");
    }

    /// @notice Challenger of a game whose bisection ended on the last step (k = N) against the
    ///         claim's own S_N: wins when out_N, as the defender revealed it under S_N, is not the
    ///         claim's outputRoot. Callable after `revealOutput` and before the first `pick` (the
    ///         current node is then out_N itself), within the move deadline.
    function proveFinalOutput(uint256 gameId, Job calldata job, Claim calldata claim) external nonReentrant {
        Game storage g = _games[gameId];
        if (g.phase != Phase.Descend && g.phase != Phase.OneStep) revert WrongPhase(g.phase);
        if (msg.sender != g.challenger) revert NotYourTurn();
        if (block.timestamp > g.deadline) revert TooLate();
        if (lost[g.requestId][g.defender]) revert DefenderAlreadyLost();
        // hi = N means the challenger never disagreed, so hiState is still the claim's S_N; with no
        // pick yet, the current node is the revealed out_N.
        if (g.hi != g.steps || g.height != MerkleLib.depth(g.chunkCount)) revert NotFinalOutput();
        if (coordinator.entryOf(g.requestId, g.defender) != coordinator.hashClaim(claim)) {
            revert NotTheClaim();
        }
        if (g.node == claim.outputRoot) revert NoMismatch();
        _defenderLoses(gameId, g, job, "final output", true);
    }

    /// @notice Ends a conflict that nobody resolved (anyone may call): once the request's deadline
    ///         plus its challenge window has passed and no game on it is open, the Coordinator
    ///         credits the whole escrow back to the consumer and releases the seats' claims unpaid.
    ///         Every lie is provable (a game, or a one-shot proof), so an honest seat resolves its
    ///         conflict before then; this bounds the life of one that nobody plays. Every seat
    ///         still standing gets a fault in the OperatorRegistry: it let its conflict expire, or
    ///         (an agreement-checked request, which no game can judge) it disagreed.
    function expireConflict(bytes32 id, Job calldata job) external nonReentrant {
        if (coordinator.jobHash(id) != keccak256(abi.encode(job))) revert JobMismatch();
        Coordinator.Request memory r = coordinator.getRequest(id);
        if (r.status != Status.Conflict) revert NotConflict();
        if (block.timestamp <= uint256(r.deadline) + job.challengeWindow) revert NotExpired();
        // A generation request's conflict games are the GenerationGame's.
        address gen = coordinator.generationGame();
        if (openGames[id] != 0 || (gen != address(0) && TraceGame(gen).openGames(id) != 0)) revert GamesOpen();
        coordinator.refundExpired(id, job);
        coordinator.operators().recordExpiredConflict(id, r.commits);
    }

    /// @notice Ends a conflict in which every seated claim other than `claim` has been slashed
    ///         (e.g. by a one-shot proof, which opens no game for `resolve`) with `claim`. As with
    ///         `resolve`, the Coordinator makes it final at once.
    function resolveUncontested(bytes32 id, Job calldata job, Claim calldata claim) external nonReentrant {
        _resolveUncontested(id, job, claim);
    }

    function _resolveUncontested(bytes32 id, Job calldata job, Claim calldata claim) internal {
        if (!ConflictLib.uncontested(coordinator, id, coordinator.hashClaim(claim))) revert Contested();
        coordinator.resolveConflict(id, job, claim);
    }

    /// `claim` is `operator`'s delivered or revealed claim on `id`, not yet slashed, and the
    /// request can still refute it.
    function _checkRefutable(bytes32 id, Job calldata job, Claim calldata claim, address operator)
        internal
        view
    {
        if (coordinator.jobHash(id) != keccak256(abi.encode(job))) revert JobMismatch();
        if (coordinator.entryOf(id, operator) != coordinator.hashClaim(claim)) revert NotTheClaim();
        if (coordinator.slashed(id, operator) || lost[id][operator]) revert NotTheClaim();
        if (claim.steps & GenerationLib.GENERATION_FLAG != 0) revert GenerationClaim();
        Coordinator.Request memory r = coordinator.getRequest(id);
        // Refuted: other seats that agreed on the same refuted claim stay slashable.
        bool open = r.status == Status.Conflict || r.status == Status.Disputed || r.status == Status.Refuted
            || (r.status == Status.Answered && block.timestamp < r.finalAt);
        if (!open) revert ClaimNotOpen();
    }

    /// Slashes by value at risk, like a lost game; the prover is recorded as the one that refuted
    /// the answer unless the request is a conflict (there the claim is one of several reveals).
    function _refute(bytes32 id, Job calldata job, address operator, string memory reason) internal {
        lost[id][operator] = true;
        if (coordinator.getRequest(id).status != Status.Conflict) _recordRefutation(id, msg.sender, true);
        emit ClaimRefuted(id, operator, msg.sender, reason);
        coordinator.slashOperator(id, job, operator, terms.slashWadFor(id, job, operator));
        _closeIfDone(id);
    }

    // ------------------------------------------------------------------ endings

    /// @notice Ends a game whose defender already lost another game on the same request: the
    ///         challenger gets its bond back.
    function release(uint256 gameId) external nonReentrant {
        Game storage g = _games[gameId];
        if (g.phase == Phase.None || g.phase == Phase.Done) revert WrongPhase(g.phase);
        // A conflict game also ends unplayed once its challenger (a seated operator) lost
        // elsewhere: it cannot be slashed twice, so its loss here could never be settled.
        if (!lost[g.requestId][g.defender] && !(g.conflict && lost[g.requestId][g.challenger])) {
            revert DefenderNotLost();
        }
        released[gameId] = true;
        g.phase = Phase.Done;
        --openGames[g.requestId];
        emit Resolved(gameId, false, "released");
        bondToken.safeTransfer(g.challenger, bond);
        _closeIfDone(g.requestId);
    }

    function _defenderLoses(uint256 gameId, Game storage g, Job calldata job, string memory reason, bool byProof)
        internal
        override
    {
        bytes32 id = g.requestId;
        if (coordinator.jobHash(id) != keccak256(abi.encode(job))) revert JobMismatch();
        g.phase = Phase.Done;
        lost[id][g.defender] = true;
        --openGames[id];
        // Not a conflict game's: there the defender's claim is one of several reveals, not the answer.
        if (!g.conflict) _recordRefutation(id, g.challenger, byProof);
        emit Resolved(gameId, false, reason);
        bondToken.safeTransfer(g.challenger, bond);
        coordinator.slashOperator(id, job, g.defender, terms.slashWadFor(id, job, g.defender));
        _closeIfDone(id);
    }

    /// The losing challenger's bond goes to the defender; in a conflict game the challenger is a
    /// seated operator and is slashed too.
    function _challengerLoses(uint256 gameId, Game storage g, Job calldata job, string memory reason)
        internal
        override
    {
        bytes32 id = g.requestId;
        g.phase = Phase.Done;
        g.defenderWon = true;
        --openGames[id];
        emit Resolved(gameId, true, reason);
        bondToken.safeTransfer(g.defender, bond);
        if (g.conflict && !lost[id][g.challenger]) {
            lost[id][g.challenger] = true;
            coordinator.slashOperator(id, job, g.challenger, terms.slashWadFor(id, job, g.challenger));
        }
        _closeIfDone(id);
    }

    /// Records the first refutation of request `id`'s answer: by whom, and whether by a proof.
    function _recordRefutation(bytes32 id, address by, bool byProof) internal {
        if (refutedBy[id] != address(0)) return;
        refutedBy[id] = by;
        refutedByProof[id] = byProof;
    }

    /// Every game that ends, whatever its kind or outcome, releases a request whose answer was
    /// held by a challenge once no game on it is left open (the answer survived every one: a
    /// refuted answer is no longer Disputed).
    function _closeIfDone(bytes32 id) internal {
        if (openGames[id] == 0 && coordinator.getRequest(id).status == Status.Disputed) {
            coordinator.closeDispute(id);
        }
    }
}
