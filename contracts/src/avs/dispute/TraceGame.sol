// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Job} from "../CoordinatorTypes.sol";
import {ElementProof, VerifyCode} from "./DisputeTypes.sol";
import {MerkleLib} from "./MerkleLib.sol";
import {OneStepVerifier} from "./OneStepVerifier.sol";
import {GameLib, OutputReveal} from "./GameLib.sol";

/// @title TraceGame
/// @notice The moves of a game over one run's execution states (docs/commitments.md §states), shared
///         by the DisputeGame (a claim is one run) and the GenerationGame (a claim is a sequence of
///         runs, one per token, and a game narrows it to one run first):
///
///         1. Bisection over S_0..S_N: the defender posts S_mid, the challenger agrees (lo = mid) or
///            disagrees (hi = mid), until hi = lo + 1 = k.
///         2. The defender reveals out_k with one Merkle path that proves "leaf k of S_{k-1} is 0"
///            and "leaf k of S_k is out_k", and op k's record under modelRoot; then binary descent of
///            out_k's chunk tree (the defender reveals a node's children, the challenger picks one)
///            down to one 32-byte chunk.
///         3. One step: the challenger proves an element of that chunk with an ElementProof against
///            the agreed S_{k-1} and modelRoot (OneStepVerifier); a differing value, or non-zero
///            padding, and the defender loses; otherwise the challenger loses at its deadline.
///
///         Every move has a deadline (`moveWindow`); whoever is due to move when it passes loses
///         (anyone may call `timeout`). What losing costs is the derived game's (`_defenderLoses`,
///         `_challengerLoses`).
/// @dev Invariants: a game's phase only moves forward; lo < hi always; only the party whose turn
///      it is can move, and nobody once the defender lost on the game's request.
abstract contract TraceGame is ReentrancyGuardTransient {
    enum Phase {
        None,
        Bisect, // defender posts S_mid, then challenger agrees or not
        Reveal, // defender reveals out_k, its state path and op k's record
        Descend, // defender reveals children, then challenger picks one
        OneStep, // challenger proves an element of the chunk
        Done,
        StepReveal, // generation games: the defender reveals the disputed token step (GenerationGame)
        StepDispute // generation games: the challenger proves the step's token wrong or plays its run
    }

    struct Game {
        bytes32 requestId;
        address defender;
        address challenger;
        bytes32 modelRoot;
        uint64 steps;
        uint64 lo;
        uint64 hi;
        uint64 deadline;
        bytes32 loState;
        bytes32 hiState;
        bytes32 pending; // S_mid posted by the defender, or hash of the revealed children
        bytes32 node; // current node of out_k's chunk tree (the chunk in OneStep)
        uint64 index; // index of `node` in its level
        uint64 height; // levels below `node`
        uint64 chunkCount;
        uint64 outputBytes;
        uint8 width; // bytes per output element
        Phase phase;
        bool defenderTurn;
        bool defenderWon;
        bool conflict; // a game between two seated operators of a k > 1 conflict
        bytes32 left;
        bytes32 right;
    }

    OneStepVerifier public immutable verifier;
    IERC20 public immutable bondToken;
    uint256 public immutable bond;
    uint64 public immutable moveWindow;

    uint256 public gameCount;
    mapping(uint256 gameId => Game) internal _games;
    /// @notice Unfinished games per request.
    mapping(bytes32 id => uint256) public openGames;
    /// @notice Whether `operator` already lost a game (or a one-shot proof) on request `id`.
    mapping(bytes32 id => mapping(address operator => bool)) public lost;

    event Bisected(uint256 indexed gameId, uint64 mid, bytes32 state);
    event Chosen(uint256 indexed gameId, bool agree, uint64 lo, uint64 hi);
    event OutputRevealed(uint256 indexed gameId, uint64 step, bytes32 outRoot, uint64 chunkCount);
    event ChildrenRevealed(uint256 indexed gameId, bytes32 left, bytes32 right);
    event Picked(uint256 indexed gameId, bool right, uint64 index, uint64 height);
    event Resolved(uint256 indexed gameId, bool defenderWon, string reason);

    error WrongPhase(Phase phase);
    error NotYourTurn();
    error TooLate();
    error NotExpired();
    error BadChildren();
    error WrongElement();
    error ProofRefused(uint8 code);
    error NoMismatch();
    error DefenderAlreadyLost();

    constructor(OneStepVerifier verifier_, IERC20 bondToken_, uint256 bond_, uint64 moveWindow_) {
        verifier = verifier_;
        bondToken = bondToken_;
        bond = bond_;
        moveWindow = moveWindow_;
    }

    /// @notice S_0 = merkle_root([inputRoot, 0, ..., 0]) over N + 1 leaves.
    function initialState(bytes32 inputRoot, uint64 steps) public pure returns (bytes32 node) {
        node = inputRoot;
        bytes32 zero;
        uint256 d = MerkleLib.depth(uint256(steps) + 1);
        for (uint256 i = 0; i < d; ++i) {
            node = MerkleLib.hashPair(node, zero);
            zero = MerkleLib.hashPair(zero, zero);
        }
    }

    // ------------------------------------------------------------------ bisection

    /// @notice Defender: S_mid for mid = (lo + hi) / 2.
    function bisect(uint256 gameId, bytes32 midState) external {
        Game storage g = _move(gameId, Phase.Bisect, true);
        g.pending = midState;
        g.defenderTurn = false;
        emit Bisected(gameId, (g.lo + g.hi) / 2, midState);
    }

    /// @notice Challenger: whether it agrees with the posted S_mid.
    function choose(uint256 gameId, bool agree) external {
        Game storage g = _move(gameId, Phase.Bisect, false);
        uint64 mid = (g.lo + g.hi) / 2;
        if (agree) {
            g.lo = mid;
            g.loState = g.pending;
        } else {
            g.hi = mid;
            g.hiState = g.pending;
        }
        if (g.hi - g.lo == 1) g.phase = Phase.Reveal;
        g.defenderTurn = true;
        emit Chosen(gameId, agree, g.lo, g.hi);
    }

    // ------------------------------------------------------------------ step k's output

    /// @notice Defender: out_k, its path in the state tree (the same siblings prove leaf k = 0
    ///         under S_{k-1} and leaf k = out_k under S_k), and op k's record with its proof under
    ///         modelRoot (leaf k-1 of the op table, which is leaf 1 of modelRoot).
    function revealOutput(uint256 gameId, OutputReveal calldata rv) external {
        Game storage g = _move(gameId, Phase.Reveal, true);
        (uint256 elems, uint8 width) = GameLib.checkReveal(g.modelRoot, g.steps, g.hi, g.loState, g.hiState, rv);
        g.width = width;
        g.outputBytes = uint64(elems * width);
        g.chunkCount = uint64((elems * width + 31) / 32);
        g.node = rv.outRoot;
        g.height = uint64(MerkleLib.depth(g.chunkCount));
        g.phase = g.height == 0 ? Phase.OneStep : Phase.Descend;
        g.defenderTurn = g.height != 0;
        emit OutputRevealed(gameId, g.hi, rv.outRoot, g.chunkCount);
    }

    // ------------------------------------------------------------------ descent

    /// @notice Defender: the two children of the current node.
    function descend(uint256 gameId, bytes32 left, bytes32 right) external {
        Game storage g = _move(gameId, Phase.Descend, true);
        if (MerkleLib.hashPair(left, right) != g.node) revert BadChildren();
        g.left = left;
        g.right = right;
        g.defenderTurn = false;
        emit ChildrenRevealed(gameId, left, right);
    }

    /// @notice Challenger: the child it disputes.
    function pick(uint256 gameId, bool right) external {
        Game storage g = _move(gameId, Phase.Descend, false);
        g.node = right ? g.right : g.left;
        g.index = g.index * 2 + (right ? 1 : 0);
        g.height -= 1;
        emit Picked(gameId, right, g.index, g.height);
        if (g.height == 0) {
            _bottom(gameId, g);
        } else {
            g.defenderTurn = true;
        }
    }

    // ------------------------------------------------------------------ one step

    /// @notice Challenger: an element of the disputed chunk recomputed from S_{k-1} and modelRoot.
    ///         Wins when the recomputed value differs from the defender's; reverts otherwise.
    function proveElement(uint256 gameId, Job calldata job, ElementProof calldata proof)
        external
        nonReentrant
    {
        Game storage g = _move(gameId, Phase.OneStep, false);
        if (proof.step != g.hi) revert WrongElement();
        uint256 byteOff = uint256(proof.element) * g.width;
        if (byteOff / 32 != g.index || uint256(proof.element) * g.width >= g.outputBytes) {
            revert WrongElement();
        }
        (uint8 code, int32 value) = verifier.recompute(g.modelRoot, g.loState, proof);
        if (code != VerifyCode.OK) revert ProofRefused(code);
        if (value == _elementOf(g.node, byteOff % 32, g.width)) revert NoMismatch();
        _defenderLoses(gameId, g, job, "element", true);
    }

    /// @notice Challenger: the disputed chunk has non-zero bytes past the end of the output (a
    ///         leaf beyond the last chunk, or padding of the last chunk).
    function provePadding(uint256 gameId, Job calldata job) external nonReentrant {
        Game storage g = _move(gameId, Phase.OneStep, false);
        uint256 start = uint256(g.index) * 32;
        uint256 used = g.outputBytes > start ? g.outputBytes - start : 0;
        if (used >= 32) revert NoMismatch();
        uint256 mask = used == 0 ? type(uint256).max : (uint256(1) << (8 * (32 - used))) - 1;
        if (uint256(g.node) & mask == 0) revert NoMismatch();
        _defenderLoses(gameId, g, job, "padding", true);
    }

    /// @notice Ends a game whose current mover missed its deadline: that party loses.
    function timeout(uint256 gameId, Job calldata job) external nonReentrant {
        Game storage g = _games[gameId];
        if (g.phase == Phase.None || g.phase == Phase.Done) revert WrongPhase(g.phase);
        if (block.timestamp <= g.deadline) revert NotExpired();
        if (g.defenderTurn) _defenderLoses(gameId, g, job, "timeout", false);
        else _challengerLoses(gameId, g, job, "timeout");
    }

    function getGame(uint256 gameId) external view returns (Game memory) {
        return _games[gameId];
    }

    // ------------------------------------------------------------------ internals

    function _move(uint256 gameId, Phase phase, bool byDefender) internal returns (Game storage g) {
        g = _games[gameId];
        if (g.phase != phase) revert WrongPhase(g.phase);
        if (g.defenderTurn != byDefender || msg.sender != (byDefender ? g.defender : g.challenger)) {
            revert NotYourTurn();
        }
        if (block.timestamp > g.deadline) revert TooLate();
        if (lost[g.requestId][g.defender]) revert DefenderAlreadyLost();
        g.deadline = uint64(block.timestamp) + moveWindow;
    }

    function _elementOf(bytes32 chunk, uint256 off, uint8 width) internal pure returns (int32) {
        uint256 w = uint256(chunk);
        if (width == 1) return int32(int8(uint8(w >> (248 - 8 * off))));
        uint256 u;
        for (uint256 i = 0; i < 4; ++i) {
            u |= ((w >> (248 - 8 * (off + i))) & 0xff) << (8 * i);
        }
        return int32(uint32(u));
    }

    /// The descent reached one node: in a run's output tree, the chunk the one step proves.
    function _bottom(uint256, Game storage g) internal virtual {
        g.phase = Phase.OneStep;
        g.defenderTurn = false;
    }

    function _defenderLoses(uint256 gameId, Game storage g, Job calldata job, string memory reason, bool byProof)
        internal
        virtual;

    function _challengerLoses(uint256 gameId, Game storage g, Job calldata job, string memory reason)
        internal
        virtual;
}
