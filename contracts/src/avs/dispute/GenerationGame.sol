// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Coordinator} from "../Coordinator.sol";
import {Job, Claim, Status} from "../CoordinatorTypes.sol";
import {MerkleLib} from "./MerkleLib.sol";
import {TensorRootLib} from "./TensorRootLib.sol";
import {SlashTerms} from "./SlashTerms.sol";
import {TraceGame} from "./TraceGame.sol";
import {OneStepVerifier} from "./OneStepVerifier.sol";
import {GenerationLib, GenerationSpec, LmManifest, StepOpening} from "./GenerationLib.sol";
import {GenerationClaims, IGenerationRefuter} from "./GenerationClaims.sol";

/// @title GenerationGame
/// @notice Disputes of generation claims: answers to requests whose inline input is a generation
///         spec (GenerationLib). Such a claim is `(output = abi.encode(uint32[] tokens, bytes
///         text), outputRoot = tensorRoot(output), traceRoot = generationRoot, steps =
///         GENERATION_FLAG | (n + m - 1), inputRoot = tensorRoot(input))`; generationRoot is the
///         Merkle root of the step leaves keccak256(S_N of step t || token t + 1).
///
///         At once, by anyone (no bond): `proveClaim` refutes a claim that breaks a rule needing no
///         execution (the request kind, the spec, the input root, the output's encoding, the token
///         count and stopping rules), `proveText` one whose text is not its tokens' texts.
///
///         A game (`challenge`, with a bond):
///         1. Descent of the generationRoot tree to one leaf t (the defender reveals a node's
///            children, the challenger picks one).
///         2. The defender opens step t (`revealStep`): leaf t's preimage, leaf t - 1's with its
///            path, and step t's inputs, proven to be the token leaf t - 1 carries (the prompt's
///            first at t = 0), the position t, and the caches step t - 1 wrote (the model's zero
///            caches at t = 0).
///         3. The challenger either proves the token after step t wrong (`proveToken`: the prompt's
///            next token, or the sampler on the logits row opened under S_N of step t, or the
///            claim's token list), or plays step t's run (`playStep`): the TraceGame from
///            S_0 = merkle_root([inputRoot, 0..]) to step t's S_N over the model's N steps.
///
///         Payouts are the DisputeGame's: a losing defender is slashed by the request's value at
///         risk (the DisputeGame's SlashTerms) and the challenger gets its bond back; a losing
///         challenger's bond goes to the defender.
/// @dev Invariants: every check a move makes uses only the job, the claim and data proven under
///      its commitments; a defender that cannot open what it committed times out and loses, and
///      an honest defender can always open (it computed every leaf). Refuting a claim at once
///      marks its operator lost here, which ends its games (`release`).
contract GenerationGame is TraceGame {
    using SafeERC20 for IERC20;

    struct Generation {
        bytes32 root; // the claim's generationRoot
        uint64 tokenSteps; // leaves of that root
        uint64 step; // t, once the descent reached it
        bytes32 state; // S_N of step t
        bytes32 inputRoot; // step t's inputRoot
        uint32 next; // the token leaf t binds
        bool played; // the game went on into step t's run
    }

    Coordinator public immutable coordinator;
    SlashTerms public immutable terms;
    /// @notice Where claims are refuted at once (created here, see GenerationClaims).
    GenerationClaims public immutable claims;

    mapping(uint256 gameId => Generation) internal _gens;
    /// @notice One game per (request, operator, challenger).
    mapping(bytes32 key => bool) public challenged;
    /// @notice Games ended by `release` (unplayed): neither side won, so `resolve` refuses them.
    mapping(uint256 gameId => bool) public released;

    event Challenged(
        uint256 indexed gameId,
        bytes32 indexed requestId,
        address indexed defender,
        address challenger,
        uint64 tokenSteps
    );
    event StepRevealed(uint256 indexed gameId, uint64 step, bytes32 state, bytes32 inputRoot, uint32 next);
    event StepPlayed(uint256 indexed gameId, uint64 step, uint64 opSteps);
    event ClaimRefuted(bytes32 indexed requestId, address indexed operator, address prover, string reason);

    error JobMismatch();
    error NotTheClaim();
    error NotGeneration();
    error AlreadyChallenged();
    error WindowClosed();
    error NotTheInput();
    error NotTheModel();
    error BadLeaf();
    error BadLogits();
    error DefenderNotLost();
    error NotClaims();
    error NotConflict();

    constructor(
        Coordinator coordinator_,
        SlashTerms terms_,
        IERC20 bondToken_,
        uint256 bond_,
        uint64 moveWindow_,
        OneStepVerifier verifier_
    ) TraceGame(verifier_, bondToken_, bond_, moveWindow_) {
        coordinator = coordinator_;
        terms = terms_;
        claims = new GenerationClaims(coordinator_, IGenerationRefuter(address(this)));
    }

    // ------------------------------------------------------------------ at once

    /// @notice GenerationClaims only: refutes `operator`'s claim on request `id` (a one-shot proof
    ///         it checked), slashing like a lost game.
    function refute(bytes32 id, Job calldata job, address operator, address prover, string calldata reason)
        external
        nonReentrant
    {
        if (msg.sender != address(claims)) revert NotClaims();
        lost[id][operator] = true;
        emit ClaimRefuted(id, operator, prover, reason);
        coordinator.slashOperator(id, job, operator, terms.slashWadFor(id, job, operator));
        _closeIfDone(id);
    }

    // ------------------------------------------------------------------ the game

    /// @notice Disputes generation claim `claim`, delivered or revealed by `operator` on answered
    ///         request `id`, within its challenge window. Takes `bond` of bondToken.
    function challenge(bytes32 id, Job calldata job, Claim calldata claim, address operator)
        external
        nonReentrant
        returns (uint256 gameId)
    {
        _checkJob(id, job);
        bytes32 h = coordinator.hashClaim(claim);
        if (coordinator.entryOf(id, operator) != h || coordinator.answerOf(id) != h) revert NotTheClaim();
        Coordinator.Request memory r = coordinator.getRequest(id);
        if (block.timestamp >= r.finalAt) revert WindowClosed();
        if (r.status != Status.Answered && r.status != Status.Disputed) revert WindowClosed();
        gameId = _open(id, job, claim, operator);
        if (r.status == Status.Answered) coordinator.openDispute(id);
    }

    /// @notice Opens the game of a k > 1 generation request whose reveals disagree: the sender,
    ///         seated with claim `mine`, challenges `operator`'s revealed `theirs`. The loser,
    ///         whoever it is, is slashed; `resolve` then ends the conflict with the winner's claim.
    function challengeConflict(
        bytes32 id,
        Job calldata job,
        Claim calldata theirs,
        address operator,
        Claim calldata mine
    ) external nonReentrant returns (uint256 gameId) {
        _checkJob(id, job);
        if (coordinator.getRequest(id).status != Status.Conflict) revert NotConflict();
        bytes32 theirHash = coordinator.hashClaim(theirs);
        bytes32 myHash = coordinator.hashClaim(mine);
        if (
            theirHash == myHash || coordinator.entryOf(id, operator) != theirHash
                || coordinator.entryOf(id, msg.sender) != myHash || coordinator.slashed(id, msg.sender)
                || lost[id][msg.sender]
        ) revert NotTheClaim();
        gameId = _open(id, job, theirs, operator);
        _games[gameId].conflict = true;
    }

    /// @notice GenerationClaims only (its `resolve` / `resolveUncontested` checked that no other
    ///         seated claim stands): ends the conflict of `id` with `claim`.
    function resolveFor(bytes32 id, Job calldata job, Claim calldata claim) external nonReentrant {
        if (msg.sender != address(claims)) revert NotClaims();
        coordinator.resolveConflict(id, job, claim);
    }

    /// Starts a game against `operator`'s generation claim and takes the sender's bond.
    function _open(bytes32 id, Job calldata job, Claim calldata claim, address operator)
        internal
        returns (uint256 gameId)
    {
        if (coordinator.slashed(id, operator) || lost[id][operator]) revert NotTheClaim();
        uint64 tokenSteps = claim.steps & ~GenerationLib.GENERATION_FLAG;
        if (claim.steps & GenerationLib.GENERATION_FLAG == 0 || tokenSteps == 0) revert NotGeneration();
        bytes32 key = keccak256(abi.encode(id, operator, msg.sender));
        if (challenged[key]) revert AlreadyChallenged();
        challenged[key] = true;
        gameId = ++gameCount;
        Game storage g = _games[gameId];
        g.requestId = id;
        g.defender = operator;
        g.challenger = msg.sender;
        g.modelRoot = job.params.modelRoot;
        g.node = claim.traceRoot;
        g.height = uint64(MerkleLib.depth(tokenSteps));
        g.phase = g.height == 0 ? Phase.StepReveal : Phase.Descend;
        g.defenderTurn = true;
        g.deadline = uint64(block.timestamp) + moveWindow;
        _gens[gameId] = Generation(claim.traceRoot, tokenSteps, 0, bytes32(0), bytes32(0), 0, false);
        ++openGames[id];
        emit Challenged(gameId, id, operator, msg.sender, tokenSteps);
        bondToken.safeTransferFrom(msg.sender, address(this), bond);
    }

    /// The generation tree's descent reached leaf t = index: the defender opens step t. (The
    /// inner descent of a played step ends at a chunk, as in every run.)
    function _bottom(uint256 gameId, Game storage g) internal override {
        if (_gens[gameId].played) return super._bottom(gameId, g);
        g.phase = Phase.StepReveal;
        g.defenderTurn = true;
    }

    /// @notice Defender: opens the disputed step t (see StepOpening). At a leaf past the last
    ///         step, the defender shows it is zero instead (`r` unused) and the challenger loses.
    function revealStep(
        uint256 gameId,
        Job calldata job,
        bytes calldata input,
        LmManifest calldata m,
        StepOpening calldata r
    ) external nonReentrant {
        Game storage g = _move(gameId, Phase.StepReveal, true);
        Generation storage gen = _gens[gameId];
        uint64 t = g.index;
        if (t >= gen.tokenSteps) {
            if (g.node != bytes32(0)) revert BadLeaf();
            _checkJob(g.requestId, job);
            return _challengerLoses(gameId, g, job, "leaf padding");
        }
        GenerationSpec memory s = _spec(job, input);
        if (keccak256(abi.encode(m)) != s.lmRoot || m.stepModelRoot != g.modelRoot) revert NotTheModel();
        if (keccak256(abi.encodePacked(r.state, r.next)) != g.node) revert BadLeaf();
        uint32 token = s.prompt[0];
        if (t > 0) {
            bytes32 prev = keccak256(abi.encodePacked(r.prevState, r.token));
            if (!MerkleLib.verify(gen.root, gen.tokenSteps, t - 1, prev, r.prevPath)) revert BadLeaf();
            token = r.token;
        }
        bytes32 inputRoot = GenerationLib.checkInputs(m, r, t, token);
        gen.step = t;
        gen.state = r.state;
        gen.inputRoot = inputRoot;
        gen.next = r.next;
        g.phase = Phase.StepDispute;
        g.defenderTurn = false;
        emit StepRevealed(gameId, t, r.state, inputRoot, r.next);
    }

    /// @notice Challenger: the token step t binds is not the one that follows: the prompt's next
    ///         token (t + 1 < n), or the sampler's draw from step t's logits row (`row`, the whole
    ///         row, proven as leaf logitsStep of step t's S_N by `logitsPath`; at temperature 0 it
    ///         may instead be abi.encode(GreedyWitness): a logit that beats the bound token's),
    ///         or the claim's token j = t + 1 - n is not it.
    function proveToken(
        uint256 gameId,
        Job calldata job,
        Claim calldata claim,
        bytes calldata input,
        LmManifest calldata m,
        bytes32[] calldata logitsPath,
        bytes calldata row
    ) external nonReentrant {
        Game storage g = _move(gameId, Phase.StepDispute, false);
        Generation storage gen = _gens[gameId];
        GenerationSpec memory s = _spec(job, input);
        if (keccak256(abi.encode(m)) != s.lmRoot) revert NotTheModel();
        if (_expectedToken(gen, s, m, logitsPath, row) != gen.next) return _defenderLoses(gameId, g, job, "token", true);
        if (_claimTokenDiffers(g, gen, claim, s.prompt.length)) return _defenderLoses(gameId, g, job, "claim token", true);
        revert NoMismatch();
    }

    /// Whether the defender's claim lists, as generated token t + 1 - n, another token than the
    /// one its leaf t binds.
    function _claimTokenDiffers(Game storage g, Generation storage gen, Claim calldata claim, uint256 n)
        internal
        view
        returns (bool)
    {
        if (gen.step + 1 < n) return false;
        if (coordinator.entryOf(g.requestId, g.defender) != coordinator.hashClaim(claim)) revert NotTheClaim();
        (bool ok, uint32[] memory tokens,) = claims.tryOutput(claim.output);
        uint256 j = gen.step + 1 - n;
        return ok && tokens.length > j && tokens[j] != gen.next;
    }

    /// The token after step t: the prompt's, or the sampler's draw from the opened logits row
    /// (`row` the whole row, or for a greedy step a GreedyWitness of two of its logits), the
    /// row's tensor root proven as leaf logitsStep of step t's S_N.
    function _expectedToken(
        Generation storage gen,
        GenerationSpec memory s,
        LmManifest calldata m,
        bytes32[] calldata logitsPath,
        bytes calldata row
    ) internal view returns (uint32 token) {
        uint256 n = s.prompt.length;
        if (gen.step + 1 < n) return s.prompt[gen.step + 1];
        bytes32 root;
        (root, token) = _draw(gen.next, uint64(gen.step + 1 - n), s, m, row);
        if (!MerkleLib.verify(gen.state, uint256(m.steps) + 1, m.logitsStep, root, logitsPath)) revert BadLogits();
    }

    /// The row's tensor root and the token drawn for generated token `j`.
    function _draw(uint32 next, uint64 j, GenerationSpec memory s, LmManifest calldata m, bytes calldata row)
        internal
        view
        returns (bytes32, uint32)
    {
        if (row.length == uint256(m.vocab) * m.logitsWidth) {
            return (TensorRootLib.tensorRoot(row), GenerationLib.sample(row, m, s, j));
        }
        if (s.temperatureMilli != 0) revert BadLogits();
        return GenerationLib.greedyWitness(row, m, next);
    }

    /// @notice Challenger: disputes step t's run itself: the game continues as a TraceGame over the
    ///         model's N steps from S_0 = merkle_root([inputRoot, 0, ..]) to step t's S_N.
    function playStep(uint256 gameId, Job calldata job, bytes calldata input, LmManifest calldata m) external {
        Game storage g = _move(gameId, Phase.StepDispute, false);
        Generation storage gen = _gens[gameId];
        GenerationSpec memory s = _spec(job, input);
        if (keccak256(abi.encode(m)) != s.lmRoot) revert NotTheModel();
        uint64 n = m.steps;
        if (n == 0) revert NotTheModel();
        gen.played = true;
        g.steps = n;
        g.lo = 0;
        g.hi = n;
        g.loState = initialState(gen.inputRoot, n);
        g.hiState = gen.state;
        g.index = 0;
        g.height = 0;
        g.node = bytes32(0);
        g.phase = n == 1 ? Phase.Reveal : Phase.Bisect;
        g.defenderTurn = true;
        emit StepPlayed(gameId, gen.step, n);
    }

    // ------------------------------------------------------------------ endings

    /// @notice Ends a game whose defender already lost on the same request (here, or slashed by
    ///         any game): the challenger gets its bond back.
    function release(uint256 gameId) external nonReentrant {
        Game storage g = _games[gameId];
        if (g.phase == Phase.None || g.phase == Phase.Done) revert WrongPhase(g.phase);
        bool challengerOut = g.conflict && (lost[g.requestId][g.challenger] || coordinator.slashed(g.requestId, g.challenger));
        if (!lost[g.requestId][g.defender] && !coordinator.slashed(g.requestId, g.defender) && !challengerOut) {
            revert DefenderNotLost();
        }
        released[gameId] = true;
        g.phase = Phase.Done;
        --openGames[g.requestId];
        emit Resolved(gameId, false, "released");
        bondToken.safeTransfer(g.challenger, bond);
        _closeIfDone(g.requestId);
    }

    function getGeneration(uint256 gameId) external view returns (Generation memory) {
        return _gens[gameId];
    }

    // ------------------------------------------------------------------ internals

    function _spec(Job calldata job, bytes calldata input) internal view returns (GenerationSpec memory) {
        if (keccak256(input) != job.inputHash || job.inputHash == bytes32(0)) revert NotTheInput();
        if (!GenerationLib.isGeneration(input)) revert NotGeneration();
        return abi.decode(input[8:], (GenerationSpec));
    }

    function _checkJob(bytes32 id, Job calldata job) internal view {
        if (coordinator.jobHash(id) != keccak256(abi.encode(job))) revert JobMismatch();
    }

    function _defenderLoses(uint256 gameId, Game storage g, Job calldata job, string memory reason, bool)
        internal
        override
    {
        bytes32 id = g.requestId;
        _checkJob(id, job);
        g.phase = Phase.Done;
        lost[id][g.defender] = true;
        --openGames[id];
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

    function _closeIfDone(bytes32 id) internal {
        if (openGames[id] == 0 && coordinator.getRequest(id).status == Status.Disputed) {
            coordinator.closeDispute(id);
        }
    }
}
