// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {IStrategy} from "../interfaces/IStrategy.sol";
import {OperatorSet} from "../interfaces/OperatorSet.sol";
import {PausableOwned} from "./PausableOwned.sol";
import {StrategyManager} from "./StrategyManager.sol";
import {AllocationManager} from "./AllocationManager.sol";
import {RewardsCoordinator} from "./RewardsCoordinator.sol";

/// @title DelegationManager
/// @notice Operators, delegation, and slashable queued withdrawals.
/// @dev Share model (EigenLayer after the slashing upgrade). For staker i in strategy s:
///        withdrawable_i = depositShares_i * depositScalingFactor_i * maxMagnitude(operator, s)
///      The product depositShares_i * depositScalingFactor_i is stored exactly as the staker's
///      "scaled shares" sc_i (`stakerScaledShares`); the factor itself is the view
///      `depositScalingFactor` = sc_i / depositShares_i. Undelegated stakers use maxMagnitude = 1e18.
///      A deposit of `a` shares adds floor(a * 1e18 / maxMagnitude) scaled shares, so it never
///      raises withdrawable shares by more than `a`.
///
///      Invariants:
///      - operatorScaledShares(op, s) == sum of sc_i over stakers delegated to op (exact integers).
///      - operatorShares(op, s) = floor(operatorScaledShares * maxMagnitude / 1e18)
///        >= sum_i floor(sc_i * maxMagnitude / 1e18) = sum of delegators' withdrawable shares.
///      - A slash from maxMagnitude m to m' removes floor(S*m) - floor(S*m') delegated shares plus
///        floor(Q*m) - floor(Q*m') queued shares, where Q = scaled shares queued by the operator's
///        delegators within the last `withdrawalDelayBlocks` blocks; so the strategy always holds
///        at least every staker's and every queued withdrawal's claim.
///      - A withdrawal queued at block b completes only after block b + withdrawalDelayBlocks and
///        pays floor(sc * maxMagnitudeAt(b + withdrawalDelayBlocks)), i.e. slashes up to and
///        including block b + delay hit it.
///      - Operators are delegated to themselves and cannot undelegate.
///      Pause bits: 0 register operator, 1 delegate, 2 undelegate, 3 queue, 4 complete.
contract DelegationManager is PausableOwned, ReentrancyGuard, EIP712 {
    using Checkpoints for Checkpoints.Trace256;
    using EnumerableSet for EnumerableSet.Bytes32Set;

    /// @notice A queued withdrawal. `scaledShares[i]` is in scaled units (see contract docs).
    struct Withdrawal {
        address staker;
        address delegatedTo;
        uint32 startBlock;
        uint256 nonce;
        IStrategy[] strategies;
        uint256[] scaledShares;
    }

    /// @notice Deposit shares to withdraw per strategy.
    struct QueuedWithdrawalParams {
        IStrategy[] strategies;
        uint256[] depositShares;
    }

    /// @notice A delegation approver's EIP-712 signature and its expiry (unix seconds).
    struct SignatureWithExpiry {
        bytes signature;
        uint256 expiry;
    }

    uint8 public constant PAUSED_REGISTER = 0;
    uint8 public constant PAUSED_DELEGATE = 1;
    uint8 public constant PAUSED_UNDELEGATE = 2;
    uint8 public constant PAUSED_QUEUE = 3;
    uint8 public constant PAUSED_COMPLETE = 4;
    uint256 internal constant WAD = 1e18;
    /// @notice EIP-712 type of a delegation approval.
    bytes32 public constant DELEGATION_APPROVAL_TYPEHASH = keccak256(
        "DelegationApproval(address approver,address staker,address operator,bytes32 salt,uint256 expiry)"
    );

    StrategyManager public immutable strategyManager;
    AllocationManager public immutable allocationManager;
    /// @notice Blocks a queued withdrawal stays slashable before it can complete; at least the
    ///         AllocationManager's DEALLOCATION_DELAY, so withdrawing never escapes a slash faster
    ///         than deallocating would.
    uint32 public immutable withdrawalDelayBlocks;
    /// @notice Notified before a staker's scaled shares under an operator change (set once).
    RewardsCoordinator public rewardsCoordinator;

    /// @notice Operator a staker delegates to (0 = none).
    mapping(address staker => address) public delegatedTo;
    /// @notice Registered operators.
    mapping(address => bool) public isOperator;
    /// @notice Address whose EIP-712 approval delegations to an operator need (0 = open).
    mapping(address operator => address) public delegationApprover;
    /// @notice depositShares * depositScalingFactor of a staker (see contract docs).
    mapping(address staker => mapping(IStrategy => uint256)) public stakerScaledShares;
    /// @notice Sum of delegators' scaled shares.
    mapping(address operator => mapping(IStrategy => uint256)) public operatorScaledShares;
    /// @notice Spent approval salts per approver.
    mapping(address approver => mapping(bytes32 => bool)) public delegationApproverSaltIsSpent;
    /// @notice Number of withdrawals a staker has queued (its next nonce).
    mapping(address => uint256) public cumulativeWithdrawalsQueued;

    mapping(address operator => mapping(IStrategy => Checkpoints.Trace256)) internal _cumulativeQueued;
    mapping(bytes32 => Withdrawal) internal _queued;
    mapping(address => EnumerableSet.Bytes32Set) internal _stakerRoots;

    event RewardsCoordinatorSet(address rewardsCoordinator);
    event OperatorRegistered(address indexed operator, address delegationApprover);
    event DelegationApproverUpdated(address indexed operator, address delegationApprover);
    event OperatorMetadataURIUpdated(address indexed operator, string metadataURI);
    event StakerDelegated(address indexed staker, address indexed operator);
    event StakerUndelegated(address indexed staker, address indexed operator);
    /// @notice A staker's scaled shares changed; `operator` (0 if none) holds `operatorScaled`.
    event ScaledSharesUpdated(
        address indexed staker,
        address indexed operator,
        IStrategy indexed strategy,
        uint256 stakerScaled,
        uint256 operatorScaled
    );
    event SlashingWithdrawalQueued(bytes32 indexed root, Withdrawal withdrawal);
    event SlashingWithdrawalCompleted(bytes32 indexed root, bool receiveAsTokens, uint256[] shares);
    event OperatorSharesSlashed(
        address indexed operator, IStrategy indexed strategy, uint256 delegatedShares, uint256 queuedShares
    );

    error AlreadyInitialized();
    error ZeroAddress();
    error OnlyStrategyManager();
    error OnlyAllocationManager();
    error AlreadyDelegated();
    error NotDelegated();
    error NotAnOperator();
    error OperatorsCannotUndelegate();
    error Unauthorized();
    error SignatureExpired();
    error SaltSpent();
    error InvalidSignature();
    error FullySlashed(address operator, IStrategy strategy);
    error InputArrayLengthMismatch();
    error EmptyWithdrawal();
    error InvalidDepositShares(uint256 requested, uint256 available);
    error WithdrawalNotQueued();
    error WithdrawerNotStaker();
    error WithdrawalDelayNotElapsed(uint256 completableAfterBlock);
    error WithdrawalDelayTooShort();

    constructor(address initialOwner, StrategyManager sm, AllocationManager am, uint32 withdrawalDelay)
        PausableOwned(initialOwner)
        EIP712("SigilDelegationManager", "1")
    {
        if (withdrawalDelay < am.DEALLOCATION_DELAY()) revert WithdrawalDelayTooShort();
        strategyManager = sm;
        allocationManager = am;
        withdrawalDelayBlocks = withdrawalDelay;
    }

    modifier onlyOperator() {
        if (!isOperator[msg.sender]) revert NotAnOperator();
        _;
    }

    /// @notice Wires the RewardsCoordinator; callable once by the owner.
    function setRewardsCoordinator(RewardsCoordinator rc) external onlyOwner {
        if (address(rewardsCoordinator) != address(0)) revert AlreadyInitialized();
        if (address(rc) == address(0)) revert ZeroAddress();
        rewardsCoordinator = rc;
        emit RewardsCoordinatorSet(address(rc));
    }

    // ---------------------------------------------------------------- operators

    /// @notice Registers the caller as an operator delegated to itself, with its allocation delay
    ///         (effective at once) and an optional delegation approver.
    function registerAsOperator(address approver, uint32 allocationDelay, string calldata metadataURI)
        external
        nonReentrant
        whenNotPaused(PAUSED_REGISTER)
    {
        if (delegatedTo[msg.sender] != address(0)) revert AlreadyDelegated();
        isOperator[msg.sender] = true;
        delegationApprover[msg.sender] = approver;
        emit OperatorRegistered(msg.sender, approver);
        emit OperatorMetadataURIUpdated(msg.sender, metadataURI);
        allocationManager.setAllocationDelay(msg.sender, allocationDelay);
        _delegate(msg.sender, msg.sender);
    }

    /// @notice Changes the caller's delegation approver (0 = anyone may delegate).
    function modifyDelegationApprover(address approver) external onlyOperator {
        delegationApprover[msg.sender] = approver;
        emit DelegationApproverUpdated(msg.sender, approver);
    }

    /// @notice Publishes the caller's metadata URI.
    function updateOperatorMetadataURI(string calldata metadataURI) external onlyOperator {
        emit OperatorMetadataURIUpdated(msg.sender, metadataURI);
    }

    // ---------------------------------------------------------------- delegation

    /// @notice Delegates all of the caller's shares to `operator`. If the operator has an approver
    ///         (and the caller is not it), `approval` must be the approver's EIP-712 signature over
    ///         (approver, staker, operator, salt, expiry), unexpired, with an unspent salt.
    ///         Reverts when the operator's max magnitude is 0 in a strategy the caller holds.
    function delegateTo(address operator, SignatureWithExpiry calldata approval, bytes32 salt)
        external
        nonReentrant
        whenNotPaused(PAUSED_DELEGATE)
    {
        if (delegatedTo[msg.sender] != address(0)) revert AlreadyDelegated();
        if (!isOperator[operator]) revert NotAnOperator();
        address approver = delegationApprover[operator];
        if (approver != address(0) && msg.sender != approver) {
            // Expiry is a coarse deadline chosen by the approver; a few seconds of skew are harmless.
            // forge-lint: disable-next-line(block-timestamp)
            if (approval.expiry < block.timestamp) revert SignatureExpired();
            if (delegationApproverSaltIsSpent[approver][salt]) revert SaltSpent();
            bytes32 digest =
                calculateDelegationApprovalDigestHash(msg.sender, operator, approver, salt, approval.expiry);
            if (!SignatureChecker.isValidSignatureNow(approver, digest, approval.signature)) {
                revert InvalidSignature();
            }
            delegationApproverSaltIsSpent[approver][salt] = true;
        }
        _delegate(msg.sender, operator);
    }

    /// @notice Undelegates `staker` (callable by the staker, its operator or the operator's
    ///         approver) and queues one withdrawal of all its deposit shares.
    /// @return root Root of the queued withdrawal (0 when the staker held nothing).
    function undelegate(address staker)
        external
        nonReentrant
        whenNotPaused(PAUSED_UNDELEGATE)
        returns (bytes32 root)
    {
        address operator = delegatedTo[staker];
        if (operator == address(0)) revert NotDelegated();
        if (isOperator[staker]) revert OperatorsCannotUndelegate();
        if (msg.sender != staker && msg.sender != operator && msg.sender != delegationApprover[operator]) {
            revert Unauthorized();
        }
        (IStrategy[] memory strategies, uint256[] memory shares) = strategyManager.getDeposits(staker);
        if (strategies.length > 0) root = _queueWithdrawal(staker, operator, strategies, shares);
        delegatedTo[staker] = address(0);
        emit StakerUndelegated(staker, operator);
    }

    // ---------------------------------------------------------------- withdrawals

    /// @notice Queues withdrawals of the caller's deposit shares. The shares leave the operator's
    ///         delegated shares at once but stay slashable until the withdrawal can complete.
    function queueWithdrawals(QueuedWithdrawalParams[] calldata params)
        external
        nonReentrant
        whenNotPaused(PAUSED_QUEUE)
        returns (bytes32[] memory roots)
    {
        roots = new bytes32[](params.length);
        address operator = delegatedTo[msg.sender];
        for (uint256 i = 0; i < params.length; ++i) {
            if (params[i].strategies.length != params[i].depositShares.length) {
                revert InputArrayLengthMismatch();
            }
            if (params[i].strategies.length == 0) revert EmptyWithdrawal();
            roots[i] = _queueWithdrawal(msg.sender, operator, params[i].strategies, params[i].depositShares);
        }
    }

    /// @notice Completes a queued withdrawal of the caller after its delay, paying the
    ///         slash-adjusted shares as tokens or redepositing them (joining the caller's current
    ///         delegation).
    function completeQueuedWithdrawal(Withdrawal calldata withdrawal, bool receiveAsTokens)
        external
        nonReentrant
        whenNotPaused(PAUSED_COMPLETE)
    {
        _completeWithdrawal(withdrawal, receiveAsTokens);
    }

    /// @notice Batch form of `completeQueuedWithdrawal`.
    function completeQueuedWithdrawals(Withdrawal[] calldata withdrawals, bool[] calldata receiveAsTokens)
        external
        nonReentrant
        whenNotPaused(PAUSED_COMPLETE)
    {
        if (withdrawals.length != receiveAsTokens.length) revert InputArrayLengthMismatch();
        for (uint256 i = 0; i < withdrawals.length; ++i) {
            _completeWithdrawal(withdrawals[i], receiveAsTokens[i]);
        }
    }

    // ---------------------------------------------------------------- core hooks

    /// @notice Credits a deposit to the staker's delegation. StrategyManager only.
    function increaseDelegatedShares(address staker, IStrategy strategy, uint256, uint256 addedShares)
        external
        nonReentrant
    {
        if (msg.sender != address(strategyManager)) revert OnlyStrategyManager();
        _increaseDelegation(staker, strategy, addedShares);
    }

    /// @notice Applies slash `slashId` of `operatorSet` on `operator` in `strategy` from
    ///         `prevMaxMagnitude` to `newMaxMagnitude` to delegated and slashable queued shares and
    ///         hands the slashed shares to the StrategyManager, which holds them until they are
    ///         cleared to the set's redistribution recipient (no tokens move here).
    ///         AllocationManager only.
    /// @return shares Shares slashed.
    function slashOperatorShares(
        address operator,
        OperatorSet calldata operatorSet,
        uint256 slashId,
        IStrategy strategy,
        uint256 prevMaxMagnitude,
        uint256 newMaxMagnitude
    ) external nonReentrant returns (uint256 shares) {
        if (msg.sender != address(allocationManager)) revert OnlyAllocationManager();
        uint256 delegated =
            _slashedPart(operatorScaledShares[operator][strategy], prevMaxMagnitude, newMaxMagnitude);
        uint256 queued =
            _slashedPart(slashableQueuedScaledShares(operator, strategy), prevMaxMagnitude, newMaxMagnitude);
        emit OperatorSharesSlashed(operator, strategy, delegated, queued);
        shares = delegated + queued;
        if (shares > 0) {
            strategyManager.increaseBurnOrRedistributableShares(operatorSet, slashId, strategy, shares);
        }
    }

    // ---------------------------------------------------------------- views

    /// @notice Operator's delegated shares: floor(operatorScaledShares * maxMagnitude / 1e18).
    function operatorShares(address operator, IStrategy strategy) public view returns (uint256) {
        return Math.mulDiv(
            operatorScaledShares[operator][strategy],
            allocationManager.getMaxMagnitude(operator, strategy),
            WAD
        );
    }

    /// @notice `operatorShares` for several strategies.
    function getOperatorShares(address operator, IStrategy[] calldata strategies)
        external
        view
        returns (uint256[] memory shares)
    {
        shares = new uint256[](strategies.length);
        for (uint256 i = 0; i < strategies.length; ++i) {
            shares[i] = operatorShares(operator, strategies[i]);
        }
    }

    /// @notice Shares `staker` could withdraw now, and its deposit shares.
    function getWithdrawableShares(address staker, IStrategy[] calldata strategies)
        external
        view
        returns (uint256[] memory withdrawable, uint256[] memory depositShares)
    {
        withdrawable = new uint256[](strategies.length);
        depositShares = new uint256[](strategies.length);
        for (uint256 i = 0; i < strategies.length; ++i) {
            withdrawable[i] = withdrawableShares(staker, strategies[i]);
            depositShares[i] = strategyManager.stakerDepositShares(staker, strategies[i]);
        }
    }

    /// @notice floor(stakerScaledShares * maxMagnitude(delegatedTo) / 1e18).
    function withdrawableShares(address staker, IStrategy strategy) public view returns (uint256) {
        return
            Math.mulDiv(stakerScaledShares[staker][strategy], _magnitude(delegatedTo[staker], strategy), WAD);
    }

    /// @notice Deposit scaling factor (WAD): scaled shares per deposit share (1e18 when none).
    function depositScalingFactor(address staker, IStrategy strategy) external view returns (uint256) {
        uint256 d = strategyManager.stakerDepositShares(staker, strategy);
        if (d == 0) return WAD;
        return Math.mulDiv(stakerScaledShares[staker][strategy], WAD, d);
    }

    /// @notice Scaled shares of `operator`'s delegators queued in the last `withdrawalDelayBlocks`
    ///         blocks (inclusive), which a slash now also hits.
    function slashableQueuedScaledShares(address operator, IStrategy strategy) public view returns (uint256) {
        Checkpoints.Trace256 storage h = _cumulativeQueued[operator][strategy];
        uint256 latest = h.latest();
        if (block.number <= withdrawalDelayBlocks) return latest;
        return latest - h.upperLookup(block.number - withdrawalDelayBlocks - 1);
    }

    /// @notice True for a queued withdrawal that has not completed.
    function pendingWithdrawals(bytes32 root) public view returns (bool) {
        return _queued[root].staker != address(0);
    }

    /// @notice A pending withdrawal and the shares it would pay now (final once its delay passed).
    function getQueuedWithdrawal(bytes32 root)
        external
        view
        returns (Withdrawal memory w, uint256[] memory shares)
    {
        w = _queued[root];
        shares = new uint256[](w.strategies.length);
        uint32 at = w.startBlock + withdrawalDelayBlocks;
        if (at > block.number) at = uint32(block.number);
        for (uint256 i = 0; i < shares.length; ++i) {
            uint256 m = w.delegatedTo == address(0)
                ? WAD
                : allocationManager.getMaxMagnitudeAtBlock(w.delegatedTo, w.strategies[i], at);
            shares[i] = Math.mulDiv(w.scaledShares[i], m, WAD);
        }
    }

    /// @notice Roots of `staker`'s pending withdrawals.
    function getQueuedWithdrawalRoots(address staker) external view returns (bytes32[] memory) {
        return _stakerRoots[staker].values();
    }

    /// @notice EIP-712 digest a delegation approver signs.
    function calculateDelegationApprovalDigestHash(
        address staker,
        address operator,
        address approver,
        bytes32 salt,
        uint256 expiry
    ) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(abi.encode(DELEGATION_APPROVAL_TYPEHASH, approver, staker, operator, salt, expiry))
        );
    }

    /// @notice The EIP-712 domain separator.
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ---------------------------------------------------------------- internals

    function _magnitude(address operator, IStrategy strategy) internal view returns (uint256) {
        return operator == address(0) ? WAD : allocationManager.getMaxMagnitude(operator, strategy);
    }

    function _slashedPart(uint256 scaled, uint256 prevMag, uint256 newMag) internal pure returns (uint256) {
        return Math.mulDiv(scaled, prevMag, WAD) - Math.mulDiv(scaled, newMag, WAD);
    }

    function _notifyRewards(address staker, address operator, IStrategy strategy, uint256 scaledBefore)
        internal
    {
        RewardsCoordinator rc = rewardsCoordinator;
        if (address(rc) != address(0)) rc.onScaledSharesChange(staker, operator, strategy, scaledBefore);
    }

    function _setScaled(
        address staker,
        address operator,
        IStrategy strategy,
        uint256 stakerScaled,
        uint256 opScaled
    ) internal {
        stakerScaledShares[staker][strategy] = stakerScaled;
        if (operator != address(0)) operatorScaledShares[operator][strategy] = opScaled;
        emit ScaledSharesUpdated(staker, operator, strategy, stakerScaled, opScaled);
    }

    function _delegate(address staker, address operator) internal {
        delegatedTo[staker] = operator;
        emit StakerDelegated(staker, operator);
        (IStrategy[] memory strategies,) = strategyManager.getDeposits(staker);
        for (uint256 i = 0; i < strategies.length; ++i) {
            IStrategy strategy = strategies[i];
            uint256 m = allocationManager.getMaxMagnitude(operator, strategy);
            if (m == 0) revert FullySlashed(operator, strategy);
            // Undelegated, withdrawable == scaled; keep withdrawable unchanged under magnitude m.
            uint256 scaled = Math.mulDiv(stakerScaledShares[staker][strategy], WAD, m);
            _notifyRewards(staker, operator, strategy, 0);
            _setScaled(staker, operator, strategy, scaled, operatorScaledShares[operator][strategy] + scaled);
        }
    }

    function _increaseDelegation(address staker, IStrategy strategy, uint256 added) internal {
        address operator = delegatedTo[staker];
        uint256 m = _magnitude(operator, strategy);
        if (m == 0) revert FullySlashed(operator, strategy);
        uint256 before = stakerScaledShares[staker][strategy];
        uint256 add = Math.mulDiv(added, WAD, m);
        if (operator != address(0)) _notifyRewards(staker, operator, strategy, before);
        _setScaled(staker, operator, strategy, before + add, operatorScaledShares[operator][strategy] + add);
    }

    function _queueWithdrawal(
        address staker,
        address operator,
        IStrategy[] memory strategies,
        uint256[] memory depositShares
    ) internal returns (bytes32 root) {
        uint256[] memory scaled = new uint256[](strategies.length);
        for (uint256 i = 0; i < strategies.length; ++i) {
            scaled[i] = _removeScaled(staker, operator, strategies[i], depositShares[i]);
        }
        Withdrawal memory w = Withdrawal({
            staker: staker,
            delegatedTo: operator,
            startBlock: uint32(block.number),
            nonce: cumulativeWithdrawalsQueued[staker]++,
            strategies: strategies,
            scaledShares: scaled
        });
        root = keccak256(abi.encode(w));
        _queued[root] = w;
        _stakerRoots[staker].add(root);
        emit SlashingWithdrawalQueued(root, w);
    }

    /// @dev Removes `x` deposit shares and the matching scaled shares (rounded down, all of them
    ///      when `x` is the whole deposit) from the staker and its operator.
    function _removeScaled(address staker, address operator, IStrategy strategy, uint256 x)
        internal
        returns (uint256 removed)
    {
        uint256 d = strategyManager.stakerDepositShares(staker, strategy);
        if (x == 0 || x > d) revert InvalidDepositShares(x, d);
        uint256 s = stakerScaledShares[staker][strategy];
        removed = x == d ? s : Math.mulDiv(s, x, d);
        uint256 opScaled;
        if (operator != address(0)) {
            _notifyRewards(staker, operator, strategy, s);
            opScaled = operatorScaledShares[operator][strategy] - removed;
            Checkpoints.Trace256 storage h = _cumulativeQueued[operator][strategy];
            h.push(block.number, h.latest() + removed);
        }
        _setScaled(staker, operator, strategy, s - removed, opScaled);
        strategyManager.removeDepositShares(staker, strategy, x);
    }

    function _completeWithdrawal(Withdrawal calldata w, bool receiveAsTokens) internal {
        bytes32 root = keccak256(abi.encode(w));
        if (!pendingWithdrawals(root)) revert WithdrawalNotQueued();
        if (msg.sender != w.staker) revert WithdrawerNotStaker();
        uint32 slashableUntil = w.startBlock + withdrawalDelayBlocks;
        if (block.number <= slashableUntil) revert WithdrawalDelayNotElapsed(slashableUntil);
        delete _queued[root];
        _stakerRoots[w.staker].remove(root);
        uint256[] memory shares = new uint256[](w.strategies.length);
        for (uint256 i = 0; i < w.strategies.length; ++i) {
            IStrategy strategy = w.strategies[i];
            uint256 m = w.delegatedTo == address(0)
                ? WAD
                : allocationManager.getMaxMagnitudeAtBlock(w.delegatedTo, strategy, slashableUntil);
            shares[i] = Math.mulDiv(w.scaledShares[i], m, WAD);
            if (shares[i] == 0) continue;
            if (receiveAsTokens) {
                strategyManager.withdrawSharesAsTokens(w.staker, strategy, shares[i]);
            } else {
                strategyManager.addShares(w.staker, strategy, shares[i]);
                _increaseDelegation(w.staker, strategy, shares[i]);
            }
        }
        emit SlashingWithdrawalCompleted(root, receiveAsTokens, shares);
    }
}
