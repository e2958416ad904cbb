// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {SigilClient, ICoordinator, IERC20, Claim} from "sigil/consumer/SigilClient.sol";
import {GenerationSpec} from "sigil/avs/dispute/GenerationLib.sol";
import {Status, RequestParams} from "sigil/avs/CoordinatorTypes.sol";
import {SigilRequests} from "sigil/consumer/SigilRequests.sol";

/// @notice An on-chain text oracle: the owner asks a verifiable language model to complete
///         prompts, and the oracle keeps each completion for any contract to read. An answer is
///         usable at once (`answerOf`) and withdrawn if it is ever refuted: the operator that
///         altered any token of it is slashed, the escrow comes back, and `onSigilCorrection`
///         clears the text. Prompts are token ids of the model's vocabulary (`sigil lm encode`).
///         Fund it with `coordinator.deposit(address(oracle), token, amount)`.
contract TextOracle is SigilClient {
    address public immutable owner = msg.sender;
    /// @notice The language model: its lmRoot and its decode-step program's modelRoot.
    bytes32 public immutable lmRoot;
    bytes32 public immutable stepModel;
    IERC20 public immutable token;

    struct Answer {
        bytes text;
        uint32 tokens;
        bool refuted;
    }

    mapping(bytes32 requestId => Answer) public answers;

    event Asked(bytes32 indexed requestId, uint32[] prompt);
    event Completed(bytes32 indexed requestId, bytes text);
    event Withdrawn(bytes32 indexed requestId);

    constructor(ICoordinator coordinator_, bytes32 lmRoot_, bytes32 stepModel_, IERC20 token_)
        SigilClient(coordinator_)
    {
        (lmRoot, stepModel, token) = (lmRoot_, stepModel_, token_);
    }

    /// @notice Asks `node` (an operator serving the model) to complete `prompt` greedily with at
    ///         most `maxTokens` tokens, ending early at any of `stop`, at the node's quote per
    ///         token.
    function ask(uint32[] calldata prompt, uint32 maxTokens, uint32[] calldata stop, address node)
        external
        returns (bytes32 id)
    {
        require(msg.sender == owner, "owner only");
        id = _ask(_defaults(stepModel, token, node), _spec(prompt, maxTokens, stop), maxTokens);
    }

    /// @notice As `ask`, answered by `k` operators that must agree (commit and reveal within
    ///         `commitWindow` seconds), at `price` per token each, sampling with `temperatureMilli` (0:
    ///         greedy) among the `topK` most likely tokens, drawn from `seed`: every operator draws
    ///         the same tokens.
    function askRedundant(
        uint32[] calldata prompt,
        uint32 maxTokens,
        uint32[] calldata stop,
        uint96 price,
        uint8 k,
        uint32 commitWindow,
        uint32 temperatureMilli,
        uint32 topK,
        bytes32 seed
    ) external returns (bytes32 id) {
        require(msg.sender == owner, "owner only");
        RequestParams memory p = SigilRequests.defaultsAt(stepModel, token, price);
        p.redundancy = k;
        p.commitWindow = commitWindow;
        GenerationSpec memory spec = _spec(prompt, maxTokens, stop);
        (spec.temperatureMilli, spec.topK, spec.seed) = (temperatureMilli, topK, seed);
        id = _ask(p, spec, maxTokens);
    }

    function _spec(uint32[] calldata prompt, uint32 maxTokens, uint32[] calldata stop)
        internal
        view
        returns (GenerationSpec memory spec)
    {
        spec.lmRoot = lmRoot;
        spec.prompt = prompt;
        spec.maxTokens = maxTokens;
        spec.stop = stop;
        spec.topPMicro = 1_000_000;
    }

    function _ask(RequestParams memory p, GenerationSpec memory spec, uint32 maxTokens) internal returns (bytes32 id) {
        // A completion's price buys its maxTokens: the node's quote is per token, and settlement
        // pays for the tokens generated and credits the rest back.
        p.price *= maxTokens;
        // Storing the text costs about 20k gas per 32 bytes; a token is a few bytes.
        p.callbackGasLimit = 120_000 + 6_000 * maxTokens;
        id = _requestCompletion(p, spec);
        emit Asked(id, spec.prompt);
    }

    /// @notice The completion of `requestId` (empty until answered, and after a refutation).
    function answerOf(bytes32 requestId) external view returns (bytes memory) {
        return answers[requestId].text;
    }

    /// @notice Sends what is left of the credit (refunds included) to `to`.
    function withdraw(address to) external returns (uint256) {
        require(msg.sender == owner, "owner only");
        return _withdrawCredits(token, to);
    }

    function _onResult(bytes32 requestId, bytes calldata output, Claim calldata) internal override {
        (uint32[] memory tokens, bytes memory text) = _completion(output);
        answers[requestId] = Answer(text, uint32(tokens.length), false);
        emit Completed(requestId, text);
    }

    function _onCorrection(bytes32 requestId, bytes32 claimHash, Status status) internal override {
        super._onCorrection(requestId, claimHash, status);
        delete answers[requestId].text;
        answers[requestId].refuted = true;
        emit Withdrawn(requestId);
    }
}
