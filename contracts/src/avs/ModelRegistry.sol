// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

/// @title ModelRegistry
/// @notice Models registered by their `modelRoot` (the Merkle commitment to the quantized program
///         and its weights), with creator, metadata, tensor shapes, royalties per call and
///         evaluation records.
/// @dev Invariants: a modelRoot is registered at most once and never deleted; only its creator
///      changes its terms; creatorship moves only by the two-step transfer; an evaluation record
///      only moves Posted -> Refuted, and only by the proof market; a royalty a request could
///      already be priced at never rises sooner than ROYALTY_DELAY after the creator raised it,
///      so a creator cannot front-run requests with a higher royalty; a model is registered only by
///      an account that committed to (modelRoot, itself) in an earlier block, so nobody who learns
///      a root from a pending registration can register it first.
contract ModelRegistry is Ownable2Step {
    /// @notice One registered model.
    /// @param creator Receives royalties and may change the model's terms.
    /// @param pendingCreator Nominee of a two-step creatorship transfer (0 when none).
    /// @param licensed When true, the model may only be used with tokens for which the creator set
    ///        a royalty (a paid license); when false, tokens without a royalty pay none.
    /// @param inputShape Dimensions of the input tensor (e.g. [1, 28, 28]).
    /// @param outputShape Dimensions of the output tensor (e.g. [10]).
    struct Model {
        address creator;
        bool licensed;
        address pendingCreator;
        string metadataURI;
        uint32[] inputShape;
        uint32[] outputShape;
    }

    /// @notice Life cycle of an evaluation record.
    enum EvalStatus {
        None,
        Posted,
        Refuted
    }

    /// @notice A claim "model scores `score` on dataset `datasetRoot`", with its per-sample
    ///         predictions committed in `predictionsRoot` so any wrong prediction can be disputed.
    /// @param score Accuracy or metric in basis points (10000 = 100%).
    struct Evaluation {
        bytes32 modelRoot;
        bytes32 datasetRoot;
        bytes32 predictionsRoot;
        address evaluator;
        uint32 score;
        uint40 postedAt;
        EvalStatus status;
    }

    /// @notice The royalty of one (model, token), in one slot: the royalty in force, a scheduled
    ///         increase (`next` from `nextAt` on; nextAt 0 = none), and whether it was ever set.
    struct Royalty {
        uint96 current;
        uint96 next;
        uint40 nextAt;
        bool set;
    }

    /// @notice How long a royalty increase waits before requests pay it (decreases apply at once).
    uint32 public constant ROYALTY_DELAY = 1 days;

    /// @notice The only address allowed to mark evaluations refuted.
    address public proofMarket;
    mapping(bytes32 modelRoot => Model) internal _models;
    mapping(bytes32 modelRoot => mapping(IERC20 token => Royalty)) internal _royalties;
    /// @notice Block of the first commitment keccak256(abi.encode(modelRoot, creator)) (0: none).
    mapping(bytes32 commitment => uint64 blockNumber) public registrationCommits;
    /// @dev Models that were ever unlicensed (usable in any token, at no royalty where none is set).
    mapping(bytes32 modelRoot => bool) internal _everUnlicensed;
    Evaluation[] internal _evaluations;
    mapping(bytes32 modelRoot => uint256[]) internal _evaluationsOf;
    bytes32[] internal _roots;

    event ProofMarketSet(address proofMarket);
    event RegistrationCommitted(bytes32 indexed commitment, address indexed committer);
    event ModelRegistered(
        bytes32 indexed modelRoot,
        address indexed creator,
        string metadataURI,
        uint32[] inputShape,
        uint32[] outputShape
    );
    event MetadataURIUpdated(bytes32 indexed modelRoot, string metadataURI);
    event LicenseSet(bytes32 indexed modelRoot, bool licensed);
    event RoyaltySet(bytes32 indexed modelRoot, IERC20 indexed token, uint96 royalty);
    event RoyaltyScheduled(bytes32 indexed modelRoot, IERC20 indexed token, uint96 royalty, uint40 effectiveAt);
    event CreatorTransferStarted(bytes32 indexed modelRoot, address indexed from, address indexed to);
    event CreatorTransferred(bytes32 indexed modelRoot, address indexed from, address indexed to);
    event EvaluationPosted(
        uint256 indexed id,
        bytes32 indexed modelRoot,
        bytes32 datasetRoot,
        uint32 score,
        bytes32 predictionsRoot,
        address evaluator
    );
    event EvaluationRefuted(uint256 indexed id);

    error ZeroRoot();
    error ModelExists(bytes32 modelRoot);
    error UnknownModel(bytes32 modelRoot);
    error NotCreator();
    error NotPendingCreator();
    error EmptyShape();
    error InvalidScore(uint32 score);
    error UnknownEvaluation(uint256 id);
    error NotProofMarket();
    error NotPosted(uint256 id);
    error NotCommitted(bytes32 modelRoot);

    constructor(address initialOwner) Ownable(initialOwner) {}

    modifier onlyCreator(bytes32 modelRoot) {
        if (_models[modelRoot].creator != msg.sender) revert NotCreator();
        _;
    }

    /// @notice Names the proof market (the only caller of `refuteEvaluation`).
    function setProofMarket(address market) external onlyOwner {
        proofMarket = market;
        emit ProofMarketSet(market);
    }

    /// @notice Commits to registering a model: `commitment` = registrationCommitment(modelRoot,
    ///         creator). The root stays secret until `registerModel`, which must come in a later
    ///         block; the first commitment's block is kept.
    function commitModel(bytes32 commitment) external {
        if (registrationCommits[commitment] != 0) return;
        registrationCommits[commitment] = uint64(block.number);
        emit RegistrationCommitted(commitment, msg.sender);
    }

    /// @notice The commitment `commitModel` takes for `creator` registering `modelRoot`.
    function registrationCommitment(bytes32 modelRoot, address creator) public pure returns (bytes32) {
        return keccak256(abi.encode(modelRoot, creator));
    }

    /// @notice Registers `modelRoot` with the caller as creator. The caller must have committed to
    ///         it (`commitModel`) in an earlier block: whoever sees this transaction pending and
    ///         learns the root cannot register it first, since its own commitment would be newer.
    /// @dev Reverts ZeroRoot, ModelExists, EmptyShape, NotCommitted.
    function registerModel(
        bytes32 modelRoot,
        string calldata metadataURI,
        uint32[] calldata inputShape,
        uint32[] calldata outputShape,
        bool licensed
    ) external {
        if (modelRoot == bytes32(0)) revert ZeroRoot();
        Model storage m = _models[modelRoot];
        if (m.creator != address(0)) revert ModelExists(modelRoot);
        if (inputShape.length == 0 || outputShape.length == 0) revert EmptyShape();
        uint64 committed = registrationCommits[registrationCommitment(modelRoot, msg.sender)];
        if (committed == 0 || committed >= block.number) revert NotCommitted(modelRoot);
        m.creator = msg.sender;
        m.licensed = licensed;
        if (!licensed) _everUnlicensed[modelRoot] = true;
        m.metadataURI = metadataURI;
        m.inputShape = inputShape;
        m.outputShape = outputShape;
        _roots.push(modelRoot);
        emit ModelRegistered(modelRoot, msg.sender, metadataURI, inputShape, outputShape);
        emit LicenseSet(modelRoot, licensed);
    }

    /// @notice Sets the royalty per call in `token` (creator only). A decrease applies to requests
    ///         made from now on; an increase only ROYALTY_DELAY later (`pendingRoyalty`), so no
    ///         request already on its way pays more than the royalty it was priced at. The first
    ///         royalty of a token in which the model was never usable (a model that was always
    ///         licensed) applies at once: no request can have been priced in it. Requests already
    ///         made keep the royalty they escrowed.
    function setRoyalty(bytes32 modelRoot, IERC20 token, uint96 royalty) external onlyCreator(modelRoot) {
        Royalty storage r = _royalties[modelRoot][token];
        uint96 current = _inForce(r);
        bool neverUsable = !r.set && !_everUnlicensed[modelRoot];
        if (royalty <= current || neverUsable) {
            _royalties[modelRoot][token] = Royalty(royalty, 0, 0, true);
            emit RoyaltySet(modelRoot, token, royalty);
            return;
        }
        // The royalty in force stays until the increase is due.
        uint40 due = uint40(block.timestamp) + ROYALTY_DELAY;
        _royalties[modelRoot][token] = Royalty(current, royalty, due, true);
        emit RoyaltyScheduled(modelRoot, token, royalty, due);
    }

    /// @notice The royalty per call of `modelRoot` in `token` that a request made now pays.
    function royaltyOf(bytes32 modelRoot, IERC20 token) external view returns (uint96) {
        return _inForce(_royalties[modelRoot][token]);
    }

    /// @notice The scheduled increase of the royalty of `modelRoot` in `token`, if any
    ///         (effectiveAt 0: none; once due it is the royalty in force).
    function pendingRoyalty(bytes32 modelRoot, IERC20 token) external view returns (uint96 royalty, uint40 effectiveAt) {
        Royalty storage r = _royalties[modelRoot][token];
        return (r.next, r.nextAt);
    }

    /// @notice Sets the license flag (creator only).
    function setLicensed(bytes32 modelRoot, bool licensed) external onlyCreator(modelRoot) {
        _models[modelRoot].licensed = licensed;
        if (!licensed) _everUnlicensed[modelRoot] = true;
        emit LicenseSet(modelRoot, licensed);
    }

    /// @notice Updates the metadata URI (creator only).
    function setMetadataURI(bytes32 modelRoot, string calldata uri) external onlyCreator(modelRoot) {
        _models[modelRoot].metadataURI = uri;
        emit MetadataURIUpdated(modelRoot, uri);
    }

    /// @notice Starts a creatorship transfer to `to` (creator only; 0 cancels).
    function transferCreator(bytes32 modelRoot, address to) external onlyCreator(modelRoot) {
        _models[modelRoot].pendingCreator = to;
        emit CreatorTransferStarted(modelRoot, msg.sender, to);
    }

    /// @notice Completes a creatorship transfer (the nominee only).
    function acceptCreator(bytes32 modelRoot) external {
        Model storage m = _models[modelRoot];
        if (m.pendingCreator != msg.sender || msg.sender == address(0)) revert NotPendingCreator();
        address from = m.creator;
        m.creator = msg.sender;
        m.pendingCreator = address(0);
        emit CreatorTransferred(modelRoot, from, msg.sender);
    }

    /// @notice Terms of one call of `modelRoot` paid in `token`.
    /// @return creator Royalty recipient.
    /// @return royalty Royalty per call.
    /// @return usable False when the model is unknown, or licensed and `token` has no royalty set.
    function terms(bytes32 modelRoot, IERC20 token)
        external
        view
        returns (address creator, uint96 royalty, bool usable)
    {
        Model storage m = _models[modelRoot];
        creator = m.creator;
        Royalty storage r = _royalties[modelRoot][token];
        royalty = _inForce(r);
        usable = creator != address(0) && (!m.licensed || r.set);
    }

    /// @notice The model record (reverts UnknownModel).
    function getModel(bytes32 modelRoot) external view returns (Model memory) {
        Model memory m = _models[modelRoot];
        if (m.creator == address(0)) revert UnknownModel(modelRoot);
        return m;
    }

    /// @notice Number of registered models.
    function modelCount() external view returns (uint256) {
        return _roots.length;
    }

    /// @notice Model roots in registration order, `limit` from `offset` (clamped to the end).
    function getModelRoots(uint256 offset, uint256 limit) external view returns (bytes32[] memory out) {
        uint256 n = _roots.length;
        uint256 end = offset >= n ? offset : (n - offset < limit ? n : offset + limit);
        out = new bytes32[](end - offset);
        for (uint256 i = offset; i < end; ++i) {
            out[i - offset] = _roots[i];
        }
    }

    // ---------------------------------------------------------------- evaluations

    /// @notice Posts an evaluation of a registered model; the caller is the evaluator.
    /// @return id Index of the record.
    function postEvaluation(bytes32 modelRoot, bytes32 datasetRoot, uint32 score, bytes32 predictionsRoot)
        external
        returns (uint256 id)
    {
        if (_models[modelRoot].creator == address(0)) revert UnknownModel(modelRoot);
        if (datasetRoot == bytes32(0) || predictionsRoot == bytes32(0)) revert ZeroRoot();
        if (score > 10_000) revert InvalidScore(score);
        id = _evaluations.length;
        _evaluations.push(
            Evaluation(
                modelRoot,
                datasetRoot,
                predictionsRoot,
                msg.sender,
                score,
                uint40(block.timestamp),
                EvalStatus.Posted
            )
        );
        _evaluationsOf[modelRoot].push(id);
        emit EvaluationPosted(id, modelRoot, datasetRoot, score, predictionsRoot, msg.sender);
    }

    function _inForce(Royalty storage r) internal view returns (uint96) {
        return r.nextAt != 0 && block.timestamp >= r.nextAt ? r.next : r.current;
    }

    /// @notice Marks a posted evaluation refuted (proof market only, after a won dispute).
    function refuteEvaluation(uint256 id) external {
        if (msg.sender != proofMarket) revert NotProofMarket();
        if (id >= _evaluations.length) revert UnknownEvaluation(id);
        Evaluation storage e = _evaluations[id];
        if (e.status != EvalStatus.Posted) revert NotPosted(id);
        e.status = EvalStatus.Refuted;
        emit EvaluationRefuted(id);
    }

    /// @notice One evaluation record (reverts UnknownEvaluation).
    function getEvaluation(uint256 id) external view returns (Evaluation memory) {
        if (id >= _evaluations.length) revert UnknownEvaluation(id);
        return _evaluations[id];
    }

    /// @notice Ids of the evaluations of `modelRoot`.
    function getEvaluationIds(bytes32 modelRoot) external view returns (uint256[] memory) {
        return _evaluationsOf[modelRoot];
    }
}
