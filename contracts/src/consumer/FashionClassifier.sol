// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Coordinator} from "../avs/Coordinator.sol";
import {RequestParams, Claim, SubscriptionTerms, Status} from "../avs/CoordinatorTypes.sol";
import {SigilConsumer} from "./SigilConsumer.sol";
import {ProofMarket} from "../avs/dispute/ProofMarket.sol";

/// @title FashionClassifier
/// @notice Example consumer: classifies Fashion-MNIST items (28x28 int8 images, 784 bytes) with a
///         Sigil model and stores one label per item. Classes 0..9: T-shirt/top, Trouser,
///         Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot.
///         Output format: either 10 int8 logits (the label is the index of the largest, the lowest
///         index on ties) or a single label byte 0..9. Any other output is recorded as invalid.
///         A label whose answer is later refuted (correction callback) is withdrawn: `labelOf`
///         reverts NoLabel again until the item is classified anew.
contract FashionClassifier is SigilConsumer {
    uint8 public constant NUM_CLASSES = 10;
    uint256 public constant IMAGE_BYTES = 784;

    address public immutable owner;
    IERC20 public immutable token;
    /// @notice Request template (input and assignment vary per call).
    RequestParams internal _template;

    /// @notice An item's label and the request it came from, in one slot.
    /// @param labelPlusOne label + 1 (0 = none).
    /// @param from The low 248 bits of the request id that delivered it.
    struct Label {
        uint8 labelPlusOne;
        uint248 from;
    }

    mapping(uint256 item => Label) internal _label;
    mapping(bytes32 requestId => uint256) public itemOf;

    event ClassificationRequested(uint256 indexed item, bytes32 indexed requestId);
    event Classified(uint256 indexed item, bytes32 indexed requestId, uint8 label);
    event InvalidOutput(bytes32 indexed requestId, uint256 length);
    event ClassificationRefuted(uint256 indexed item, bytes32 indexed requestId);

    error NotOwner();
    error BadImage(uint256 length);
    error NoLabel(uint256 item);

    constructor(Coordinator coordinator_, RequestParams memory template) SigilConsumer(coordinator_) {
        owner = msg.sender;
        token = template.token;
        _template = template;
        _approvePayments(template.token, type(uint256).max);
    }

    /// @notice Asks for the class of `item` from its 784-byte image (owner only).
    function classify(uint256 item, bytes calldata image, address assigned) external returns (bytes32 id) {
        if (msg.sender != owner) revert NotOwner();
        if (image.length != IMAGE_BYTES) revert BadImage(image.length);
        RequestParams memory p = _template;
        p.assigned = assigned;
        id = _requestInference(p, image, "");
        itemOf[id] = item;
        emit ClassificationRequested(item, id);
    }

    /// @notice `classify` with a verification bounty on the answer (owner only): a verifier drawn
    ///         from `market` re-executes it with probability `pWad` and earns `fee` (paid from
    ///         this contract's tokens). See SigilConsumer._requestInferenceWithBounty.
    function classifyVerified(
        uint256 item,
        bytes calldata image,
        ProofMarket market,
        uint64 pWad,
        uint96 fee,
        uint32 verifyWindow
    ) external returns (bytes32 id) {
        if (msg.sender != owner) revert NotOwner();
        if (image.length != IMAGE_BYTES) revert BadImage(image.length);
        id = _requestInferenceWithBounty(_template, image, "", market, pWad, fee, verifyWindow);
        itemOf[id] = item;
        emit ClassificationRequested(item, id);
    }

    /// @notice Subscribes to periodic classification of the image behind `inputRoot`/`uri`
    ///         (owner only).
    function subscribe(bytes32 inputRoot, string calldata uri, uint32 period, uint16 intervals)
        external
        returns (uint256)
    {
        if (msg.sender != owner) revert NotOwner();
        RequestParams memory p = _template;
        p.inputRoot = inputRoot;
        return _subscribe(p, "", uri, period, intervals);
    }

    /// @notice Cancels a subscription (owner only).
    function cancel(uint256 subId, SubscriptionTerms calldata terms) external {
        if (msg.sender != owner) revert NotOwner();
        _cancelSubscription(subId, terms);
    }

    /// @notice Withdraws refunds credited at the Coordinator (owner only).
    function withdrawCredits(address to) external returns (uint256) {
        if (msg.sender != owner) revert NotOwner();
        return _withdrawCredits(token, to);
    }

    /// @notice The label of `item` (reverts NoLabel before one arrived).
    function labelOf(uint256 item) external view returns (uint8) {
        uint8 l = _label[item].labelPlusOne;
        if (l == 0) revert NoLabel(item);
        return l - 1;
    }

    /// @notice Decodes an output: 1 byte label, or the argmax of 10 int8 logits.
    function decode(bytes calldata output) public pure returns (bool ok, uint8 label) {
        if (output.length == 1) return (uint8(output[0]) < NUM_CLASSES, uint8(output[0]));
        if (output.length != NUM_CLASSES) return (false, 0);
        int8 best = int8(uint8(output[0]));
        for (uint8 i = 1; i < NUM_CLASSES; ++i) {
            int8 v = int8(uint8(output[i]));
            if (v > best) (best, label) = (v, i);
        }
        ok = true;
    }

    function _onResult(bytes32 requestId, bytes calldata output, Claim calldata) internal override {
        (bool ok, uint8 label) = decode(output);
        if (!ok) {
            emit InvalidOutput(requestId, output.length);
            return;
        }
        uint256 item = itemOf[requestId];
        _label[item] = Label(label + 1, uint248(uint256(requestId)));
        emit Classified(item, requestId, label);
    }

    /// Withdraws the label the refuted answer set, unless a later answer replaced it.
    function _onCorrection(bytes32 requestId, bytes32 claimHash, Status status) internal override {
        super._onCorrection(requestId, claimHash, status);
        uint256 item = itemOf[requestId];
        if (_label[item].from != uint248(uint256(requestId))) return;
        delete _label[item];
        emit ClassificationRefuted(item, requestId);
    }
}
