// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Coordinator} from "../Coordinator.sol";
import {RequestParams, Job, Claim} from "../CoordinatorTypes.sol";
import {SignedClaimLib} from "./SignedClaimLib.sol";
import {TensorRootLib} from "./TensorRootLib.sol";

/// @notice The DisputeGame entry point that records an adopted claim in the Coordinator.
interface IClaimAdopter {
    function adoptClaim(bytes32 jobHash, address operator, bytes32 claimHash, uint32 finalAt)
        external
        returns (bytes32 id);
}

/// @title OffchainClaims
/// @notice Brings on chain a claim a node signed for an off-chain job (its REST API, POST /jobs;
///         SignedClaimLib), so that it is disputed exactly like a delivered answer. `adopt` checks
///         the EIP-712 signature, that the signer is an active operator of Sigil's set, that the
///         claim is still within its `disputeUntil`, and that the given input bytes are the tensor
///         the claim commits to (inputRoot = tensorRoot(input)). The Coordinator then records the
///         claim as the answer of a new k = 1 request at no price: consumer = the sender, assigned
///         = the signer, no callback, answered now and final at `disputeUntil`. From there
///         DisputeGame's `challenge`, its one-shot proofs, timeouts and `settle` apply unchanged; a
///         refuted signer is slashed by the protocol minimum (the request has no price and no
///         declared value), its consumer share going to the sender.
///         DisputeGame creates this contract and forwards only its calls to the Coordinator.
/// @dev Invariants: a signed claim is adopted at most once (keyed by its EIP-712 digest, which
///      binds chain and Coordinator, so no replay across deployments); an adopted request's input
///      is the one its claim commits to, so `proveInputMismatch` can never refute an honest signer
///      with other bytes than those it was sent; the signer is never bound past its own
///      `disputeUntil` (challenges must open before it).
contract OffchainClaims {
    Coordinator public immutable coordinator;
    IClaimAdopter public immutable game;

    /// @notice The request a signed claim (by EIP-712 digest) was adopted as (0: not adopted).
    mapping(bytes32 digest => bytes32 id) public adopted;

    /// @notice The adopted claim, with everything a challenger needs to check and dispute it.
    event ClaimAdopted(
        bytes32 indexed id,
        address indexed operator,
        bytes32 indexed digest,
        Job job,
        Claim claim,
        bytes input
    );

    error DisputePeriodOver();
    error NotAnOperator(address signer);
    error InputNotCommitted();
    error AlreadyAdopted(bytes32 id);
    error ZeroSteps();

    constructor(Coordinator coordinator_, IClaimAdopter game_) {
        coordinator = coordinator_;
        game = game_;
    }

    /// @notice Adopts `claim` on `modelRoot`, signed (`sig`, 65 bytes r || s || v) by an operator
    ///         for disputes until `disputeUntil`, run on `input`. Returns the request id.
    function adopt(
        bytes32 modelRoot,
        Claim calldata claim,
        uint64 disputeUntil,
        bytes calldata input,
        bytes calldata sig
    ) external returns (bytes32 id) {
        if (disputeUntil <= block.timestamp || disputeUntil > type(uint32).max) {
            revert DisputePeriodOver();
        }
        if (claim.steps == 0) revert ZeroSteps();
        bytes32 d = SignedClaimLib.digest(modelRoot, claim, disputeUntil, block.chainid, address(coordinator));
        if (adopted[d] != bytes32(0)) revert AlreadyAdopted(adopted[d]);
        address signer = ECDSA.recover(d, sig);
        if (!coordinator.operators().isActive(signer)) revert NotAnOperator(signer);
        if (input.length == 0 || TensorRootLib.tensorRoot(input) != claim.inputRoot) {
            revert InputNotCommitted();
        }

        Job memory job = _job(modelRoot, claim.inputRoot, signer, uint32(disputeUntil), keccak256(input));
        id = game.adoptClaim(
            keccak256(abi.encode(job)), signer, coordinator.hashClaim(claim), uint32(disputeUntil)
        );
        adopted[d] = id;
        emit ClaimAdopted(id, signer, d, job, claim, input);
    }

    /// The adopted request's job: no price, royalty or fee, k = 1, assigned to the signer, no
    /// callback, created now with a challenge window (and ttl) up to `finalAt`.
    function _job(bytes32 modelRoot, bytes32 inputRoot, address signer, uint32 finalAt, bytes32 inputHash)
        internal
        view
        returns (Job memory job)
    {
        uint32 period = finalAt - uint32(block.timestamp);
        job.consumer = msg.sender;
        job.params = RequestParams(modelRoot, inputRoot, IERC20(address(0)), 0, 1, true, 0, period, 0, signer);
        job.inputHash = inputHash;
        job.challengeWindow = period;
        job.createdAt = uint32(block.timestamp);
    }
}
