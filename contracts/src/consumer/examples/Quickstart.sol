// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {SigilClient, ICoordinator, IERC20, Claim} from "sigil/consumer/SigilClient.sol";

/// @notice Asks a Sigil model to classify inputs and keeps each answer. Fund it with
///         `coordinator.deposit(address(quickstart), token, amount)`: requests spend that credit.
contract Quickstart is SigilClient {
    address public immutable owner = msg.sender;
    bytes32 public immutable model;
    IERC20 public immutable token;
    mapping(bytes32 requestId => bytes output) public answerOf;

    constructor(ICoordinator coordinator_, bytes32 model_, IERC20 token_) SigilClient(coordinator_) {
        (model, token) = (model_, token_);
    }

    /// @notice Asks `node` (a registered operator serving the model) to classify `input`.
    function classify(bytes calldata input, address node) external returns (bytes32) {
        require(msg.sender == owner, "owner only");
        return _requestInference(_defaults(model, token, node), input, "");
    }

    /// @notice Sends what is left of the credit (refunds included) to `to`.
    function withdraw(address to) external returns (uint256) {
        require(msg.sender == owner, "owner only");
        return _withdrawCredits(token, to);
    }

    /// @dev Reached only from the Coordinator, for a request this contract made (SigilClient).
    function _onResult(bytes32 requestId, bytes calldata output, Claim calldata) internal override {
        answerOf[requestId] = output;
    }
}
