// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Coordinator} from "../Coordinator.sol";
import {Job, Claim, Status} from "../CoordinatorTypes.sol";
import {TensorRootLib} from "./TensorRootLib.sol";
import {ConflictLib} from "./ConflictLib.sol";
import {GenerationLib, GenerationSpec, LmManifest} from "./GenerationLib.sol";
import {TraceGame} from "./TraceGame.sol";

interface IGenerationRefuter {
    function lost(bytes32 id, address operator) external view returns (bool);
    function released(uint256 gameId) external view returns (bool);
    function getGame(uint256 gameId) external view returns (TraceGame.Game memory);
    function refute(bytes32 id, Job calldata job, address operator, address prover, string calldata reason) external;
    function resolveFor(bytes32 id, Job calldata job, Claim calldata claim) external;
}

/// @title GenerationClaims
/// @notice The one-shot refutations of generation claims (no game, no bond; docs/generation.md
///         "On chain"), checked here and carried out by the GenerationGame that created this
///         contract (it lives apart to keep the game under EIP-170). Anyone may prove while the
///         claim can still be refuted: answered within its window, disputed, in a conflict, or
///         refuted with other seats that agreed on it.
contract GenerationClaims is ReentrancyGuardTransient {
    Coordinator public immutable coordinator;
    IGenerationRefuter public immutable game;

    error JobMismatch();
    error NotTheClaim();
    error NotTheInput();
    error NotTheModel();
    error NotGeneration();
    error ClaimNotOpen();
    error NoMismatch();
    error NotConflict();
    error Contested();

    constructor(Coordinator coordinator_, IGenerationRefuter game_) {
        coordinator = coordinator_;
        game = game_;
    }

    /// @notice Refutes `operator`'s claim on request `id` when it breaks a rule that needs no
    ///         execution (docs/generation.md "On chain"): a generation claim (flagged steps) on a
    ///         request that is not a generation request or the reverse; a spec that cannot be
    ///         served with `m` (the manifest its lmRoot names); an inputRoot that is not
    ///         tensorRoot(input); an output that is not abi.encode(uint32[], bytes); or tokens that
    ///         break the count and stopping rules. `input` is the request's inline input.
    function proveClaim(
        bytes32 id,
        Job calldata job,
        Claim calldata claim,
        address operator,
        bytes calldata input,
        LmManifest calldata m
    ) external nonReentrant {
        _checkRefutable(id, job, claim, operator);
        string memory fault = _claimFault(job, claim, input, m);
        if (bytes(fault).length == 0) revert NoMismatch();
        game.refute(id, job, operator, msg.sender, fault);
    }

    function _claimFault(Job calldata job, Claim calldata claim, bytes calldata input, LmManifest calldata m)
        internal
        view
        returns (string memory fault)
    {
        if (job.inputHash != bytes32(0) && keccak256(input) != job.inputHash) revert NotTheInput();
        bool flagged = claim.steps & GenerationLib.GENERATION_FLAG != 0;
        bool generation = job.inputHash != bytes32(0) && GenerationLib.isGeneration(input);
        if (flagged != generation) return "kind";
        if (!flagged) revert NotGeneration();
        (bool ok, GenerationSpec memory s) = _trySpec(input);
        if (!ok) return "spec encoding";
        // A manifest other than the one the spec names proves nothing about the request.
        if (keccak256(abi.encode(m)) != s.lmRoot) revert NotTheModel();
        fault = GenerationLib.specFault(s, m, job.params.modelRoot);
        if (bytes(fault).length != 0) return fault;
        if (TensorRootLib.tensorRoot(input) != claim.inputRoot) return "input root";
        uint32[] memory tokens;
        (ok, tokens,) = tryOutput(claim.output);
        if (!ok) return "output encoding";
        return GenerationLib.tokensFault(s, m, tokens, claim.steps & ~GenerationLib.GENERATION_FLAG);
    }

    /// @notice Refutes a generation claim whose text is not the concatenation of its tokens'
    ///         texts: `texts[j]` is the text of token j, proven under the manifest's vocabRoot by
    ///         `paths[j]`.
    function proveText(
        bytes32 id,
        Job calldata job,
        Claim calldata claim,
        address operator,
        bytes calldata input,
        LmManifest calldata m,
        bytes[] calldata texts,
        bytes32[][] calldata paths
    ) external nonReentrant {
        _checkRefutable(id, job, claim, operator);
        if (keccak256(abi.encode(m)) != _spec(job, input).lmRoot) revert NotTheModel();
        if (_textMatches(claim, m, texts, paths)) revert NoMismatch();
        game.refute(id, job, operator, msg.sender, "text");
    }

    function _textMatches(
        Claim calldata claim,
        LmManifest calldata m,
        bytes[] calldata texts,
        bytes32[][] calldata paths
    ) internal view returns (bool) {
        (bool ok, uint32[] memory tokens, bytes memory text) = tryOutput(claim.output);
        if (!ok) revert NotGeneration(); // proveClaim refutes it
        return GenerationLib.textMatches(text, tokens, m.vocabRoot, m.vocab, texts, paths);
    }

    /// @notice Ends the conflict of a finished conflict game with its winner's claim, once no other
    ///         seated claim stands (winning one game proves only the step the two sides first
    ///         disagreed on, so a third seat's different, unslashed claim keeps it Contested).
    function resolve(uint256 gameId, Job calldata job, Claim calldata winnerClaim) external nonReentrant {
        TraceGame.Game memory g = game.getGame(gameId);
        if (!g.conflict || game.released(gameId)) revert NotConflict();
        if (g.phase != TraceGame.Phase.Done) revert NotConflict();
        address winner = g.defenderWon ? g.defender : g.challenger;
        if (game.lost(g.requestId, winner) || coordinator.entryOf(g.requestId, winner) != coordinator.hashClaim(winnerClaim)) {
            revert NotTheClaim();
        }
        _resolveUncontested(g.requestId, job, winnerClaim);
    }

    /// @notice Ends a conflict in which every seated claim other than `claim` is slashed (e.g. by
    ///         a one-shot proof, which opens no game for `resolve`).
    function resolveUncontested(bytes32 id, Job calldata job, Claim calldata claim) external nonReentrant {
        _resolveUncontested(id, job, claim);
    }

    function _resolveUncontested(bytes32 id, Job calldata job, Claim calldata claim) internal {
        if (!ConflictLib.uncontested(coordinator, id, coordinator.hashClaim(claim))) revert Contested();
        game.resolveFor(id, job, claim);
    }

    /// @notice Decodes a generation request's inline input (reverts when it is not one).
    function decodeSpec(bytes calldata input) external pure returns (GenerationSpec memory) {
        if (!GenerationLib.isGeneration(input)) revert NotGeneration();
        return abi.decode(input[8:], (GenerationSpec));
    }

    /// @notice Decodes a generation claim's output: its tokens and text.
    function decodeOutput(bytes calldata output) external pure returns (uint32[] memory tokens, bytes memory text) {
        return abi.decode(output, (uint32[], bytes));
    }

    /// @notice decodeOutput, with ok = false instead of a revert when `output` is not one.
    function tryOutput(bytes calldata output) public view returns (bool ok, uint32[] memory tokens, bytes memory text) {
        try this.decodeOutput(output) returns (uint32[] memory t, bytes memory x) {
            return (true, t, x);
        } catch {
            return (false, tokens, text);
        }
    }

    function _trySpec(bytes calldata input) internal view returns (bool, GenerationSpec memory s) {
        try this.decodeSpec(input) returns (GenerationSpec memory d) {
            return (true, d);
        } catch {
            return (false, s);
        }
    }

    function _spec(Job calldata job, bytes calldata input) internal pure returns (GenerationSpec memory) {
        if (keccak256(input) != job.inputHash || job.inputHash == bytes32(0)) revert NotTheInput();
        if (!GenerationLib.isGeneration(input)) revert NotGeneration();
        return abi.decode(input[8:], (GenerationSpec));
    }

    /// `claim` is `operator`'s delivered or revealed claim on `id`, not yet slashed or lost, and
    /// the request can still refute it (as DisputeGame._checkRefutable).
    function _checkRefutable(bytes32 id, Job calldata job, Claim calldata claim, address operator) internal view {
        if (coordinator.jobHash(id) != keccak256(abi.encode(job))) revert JobMismatch();
        if (coordinator.entryOf(id, operator) != coordinator.hashClaim(claim)) revert NotTheClaim();
        if (coordinator.slashed(id, operator) || game.lost(id, operator)) revert NotTheClaim();
        Coordinator.Request memory r = coordinator.getRequest(id);
        bool open = r.status == Status.Conflict || r.status == Status.Disputed || r.status == Status.Refuted
            || (r.status == Status.Answered && block.timestamp < r.finalAt);
        if (!open) revert ClaimNotOpen();
    }
}
