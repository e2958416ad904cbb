// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Coordinator} from "../avs/Coordinator.sol";
import {RequestParams, Job} from "../avs/CoordinatorTypes.sol";
import {DisputeGame} from "../avs/dispute/DisputeGame.sol";
import {ProofMarket} from "../avs/dispute/ProofMarket.sol";
import {ICoordinator} from "./ICoordinator.sol";
import {SigilClient} from "./SigilClient.sol";

/// @title SigilConsumer
/// @notice Base contract for contracts that ask Sigil for model operations: SigilClient (callbacks,
///         requests, subscriptions, credits and the request helpers), deployed with the
///         Coordinator, plus the proof-market helpers that need the DisputeGame and ProofMarket
///         in the build: a declared value at risk and a verification bounty attached to a request.
///         Inherit it, call `_requestInference` or `_subscribe`, and override `_onResult` (and
///         `_onCorrection` when results are used at once, before their challenge window ends).
/// @dev Callbacks arrive inside the Coordinator's reentrancy guard: `_onResult` cannot make new
///      requests; record what is needed and request from a later transaction.
abstract contract SigilConsumer is SigilClient {
    using SafeERC20 for IERC20;

    constructor(Coordinator coordinator_) SigilClient(ICoordinator(address(coordinator_))) {}

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
}
