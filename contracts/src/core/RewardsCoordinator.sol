// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IStrategy} from "../interfaces/IStrategy.sol";
import {IRewardsCoordinator} from "../interfaces/IRewardsCoordinator.sol";
import {OperatorSet} from "../interfaces/OperatorSet.sol";
import {PausableOwned} from "./PausableOwned.sol";
import {DelegationManager} from "./DelegationManager.sol";
import {AllocationManager} from "./AllocationManager.sol";
import {OperatorSetLib} from "../interfaces/OperatorSet.sol";

/// @title RewardsCoordinator
/// @notice On-chain reward accounting, no off-chain root. A payment to an operator in strategy s
///         and token t is split into the operator's commission and a delegator part that raises
///         rewardPerScaledShare[operator][s][t] by part * 1e27 / operatorScaledShares. Delegators
///         earn scaledShares * (accumulator - checkpoint) / 1e27. Scaled shares are proportional
///         to withdrawable shares among one operator's delegators (all share one max magnitude),
///         so payments are pro rata to stake at funding time; slashing needs no update here.
/// @dev Invariants:
///      - The DelegationManager calls `onScaledSharesChange` before any delegator's scaled shares
///        under an operator change, so every accrual uses the shares held while it accrued.
///      - All divisions round down: per token, claimed + claimable <= funded; the remainder is
///        dust of at most (operators paid + delegators) wei per funding.
///      - At most MAX_REWARD_TOKENS tokens per (operator, strategy) (bounds the hook's gas).
///      - Commission changes apply COMMISSION_DELAY blocks after they are requested.
///      - Operator-directed submissions (EigenLayer's `createOperatorDirectedOperatorSetRewardsSubmission`)
///        are paid on-chain at once, without a Merkle root: each operator reward is split into the
///        operator's share (its per-set split, default 10%) and a staker part spread over the
///        submission's strategies by multiplier x the operator's shares in each, then credited to
///        the operator's delegators pro rata like any payment. Submissions are strictly
///        retroactive, day-aligned, sorted, made on behalf of the set's AVS (PermissionController)
///        and pull exactly their total; each one is recorded by hash and paid once.
///      Pause bits: 0 funding, 1 claiming, 2 commission changes.
contract RewardsCoordinator is IRewardsCoordinator, PausableOwned, ReentrancyGuard {
    using SafeERC20 for IERC20;

    struct Commission {
        bool isSet;
        uint16 bips;
        uint16 pendingBips;
        uint32 effectBlock;
    }

    uint8 public constant PAUSED_FUNDING = 0;
    uint8 public constant PAUSED_CLAIMS = 1;
    uint8 public constant PAUSED_COMMISSION = 2;
    uint16 public constant MAX_BIPS = 10_000;
    /// @notice Commission of operators that never set one (10%).
    uint16 public constant DEFAULT_COMMISSION_BIPS = 1_000;
    uint256 public constant PRECISION = 1e27;
    uint256 public constant MAX_REWARD_TOKENS = 8;
    /// @notice Granularity of operator-directed submissions (start and duration are multiples).
    uint32 public constant CALCULATION_INTERVAL_SECONDS = 1 days;
    /// @notice Longest window of one submission.
    uint32 public constant MAX_REWARDS_DURATION = 70 days;
    /// @notice Oldest start a submission may have, before now.
    uint32 public constant MAX_RETROACTIVE_LENGTH = 90 days;
    /// @notice Operator split of an operator set when the operator never set one (10%).
    uint16 public constant DEFAULT_OPERATOR_SPLIT_BIPS = 1_000;

    struct StrategyAndMultiplier {
        IStrategy strategy;
        uint96 multiplier;
    }

    struct OperatorReward {
        address operator;
        uint256 amount;
    }

    /// @notice EigenLayer's operator-directed rewards submission.
    struct OperatorDirectedRewardsSubmission {
        StrategyAndMultiplier[] strategiesAndMultipliers;
        IERC20 token;
        OperatorReward[] operatorRewards;
        uint32 startTimestamp;
        uint32 duration;
        string description;
    }

    struct Split {
        bool isSet;
        uint16 bips;
        uint16 pendingBips;
        uint32 effectBlock;
    }

    DelegationManager public immutable delegationManager;
    AllocationManager public immutable allocationManager;
    /// @notice Blocks before a commission change applies.
    uint32 public immutable COMMISSION_DELAY;

    /// @notice Accumulated delegator rewards per scaled share (scaled by PRECISION).
    mapping(address operator => mapping(IStrategy => mapping(IERC20 => uint256))) public rewardPerScaledShare;
    /// @notice Accumulator value up to which a staker has been credited.
    mapping(
        address staker => mapping(address operator => mapping(IStrategy => mapping(IERC20 => uint256)))
    ) public rewardCheckpoint;
    /// @notice Credited and unclaimed rewards.
    mapping(address account => mapping(IERC20 => uint256)) public accrued;
    /// @notice Tokens received from funders / paid out to claimers, per token.
    mapping(IERC20 => uint256) public totalFunded;
    mapping(IERC20 => uint256) public totalClaimed;
    mapping(address operator => mapping(IStrategy => IERC20[])) internal _rewardTokens;
    mapping(address operator => mapping(IStrategy => mapping(IERC20 => bool))) internal _isRewardToken;
    mapping(address operator => Commission) internal _commission;
    mapping(address operator => mapping(bytes32 setKey => Split)) internal _operatorSetSplit;
    /// @notice Submissions made per AVS (the nonce of the next one).
    mapping(address avs => uint256) public submissionNonce;
    /// @notice Hashes of operator-directed submissions already paid.
    mapping(bytes32 => bool) public isOperatorDirectedOperatorSetRewardsSubmissionHash;

    event OperatorCommissionSet(address indexed operator, uint16 bips, uint32 effectBlock);
    event RewardsFunded(
        address indexed avs, uint32 indexed operatorSetId, IStrategy strategy, IERC20 token, uint256 amount
    );
    event RewardsDistributed(
        address indexed operator,
        IStrategy indexed strategy,
        IERC20 indexed token,
        uint256 commission,
        uint256 delegatorPart
    );
    event OperatorDirectedOperatorSetRewardsSubmissionCreated(
        address indexed caller,
        bytes32 indexed submissionHash,
        OperatorSet operatorSet,
        uint256 submissionNonce,
        OperatorDirectedRewardsSubmission submission
    );
    event OperatorSetSplitBipsSet(
        address indexed operator, OperatorSet operatorSet, uint16 bips, uint32 effectBlock
    );
    event RewardsAccrued(address indexed account, IERC20 indexed token, uint256 amount);
    event RewardsClaimed(address indexed account, IERC20 indexed token, address recipient, uint256 amount);

    error OnlyDelegationManager();
    error NotAnOperator();
    error OnlyAVS();
    error InvalidOperatorSet();
    error StrategyNotInSet();
    error NotMemberOfSet();
    error ZeroAmount();
    error NothingReceived();
    error NoSlashableStake();
    error TooManyRewardTokens();
    error InvalidBips();
    error NothingToClaim();
    error InvalidPermissions();
    error InvalidDuration();
    error InvalidStartTimestamp();
    error SubmissionNotRetroactive();
    error StartTimestampTooFarInPast();
    error InputArrayLengthZero();
    error StrategiesNotInAscendingOrder();
    error OperatorsNotInAscendingOrder();
    error AmountIsZero();
    error AmountExceedsMax();
    error InvalidAmountReceived();

    constructor(address initialOwner, DelegationManager dm, AllocationManager am, uint32 commissionDelay)
        PausableOwned(initialOwner)
    {
        delegationManager = dm;
        allocationManager = am;
        COMMISSION_DELAY = commissionDelay;
    }

    // ---------------------------------------------------------------- funding

    /// @inheritdoc IRewardsCoordinator
    function fundOperatorSet(OperatorSet calldata set, IStrategy strategy, IERC20 token, uint256 amount)
        external
        nonReentrant
        whenNotPaused(PAUSED_FUNDING)
        returns (uint256 received)
    {
        _checkFunder(set, strategy);
        address[] memory members = allocationManager.getMembers(set);
        uint256[] memory weights = new uint256[](members.length);
        IStrategy[] memory one = new IStrategy[](1);
        one[0] = strategy;
        uint256[][] memory stake =
            allocationManager.getMinimumSlashableStake(set, members, one, uint32(block.number));
        uint256 total;
        for (uint256 i = 0; i < members.length; ++i) {
            weights[i] = stake[i][0];
            total += weights[i];
        }
        if (total == 0) revert NoSlashableStake();
        received = _pull(token, amount);
        emit RewardsFunded(set.avs, set.id, strategy, token, received);
        for (uint256 i = 0; i < members.length; ++i) {
            if (weights[i] > 0) {
                _distribute(members[i], strategy, token, Math.mulDiv(received, weights[i], total));
            }
        }
    }

    /// @inheritdoc IRewardsCoordinator
    function fundOperator(
        OperatorSet calldata set,
        address operator,
        IStrategy strategy,
        IERC20 token,
        uint256 amount
    ) external nonReentrant whenNotPaused(PAUSED_FUNDING) returns (uint256 received) {
        _checkFunder(set, strategy);
        if (!allocationManager.isMemberOfOperatorSet(operator, set)) revert NotMemberOfSet();
        received = _pull(token, amount);
        emit RewardsFunded(set.avs, set.id, strategy, token, received);
        _distribute(operator, strategy, token, received);
    }

    // ---------------------------------------------------------------- operator-directed (EigenLayer)

    /// @notice Pays `submissions` of `operatorSet` (on behalf of its AVS): for each, pulls the sum of
    ///         its operator rewards in `token` from the caller and credits every operator and its
    ///         delegators at once (no root, no activation delay). Strictly retroactive: start and
    ///         duration multiples of CALCULATION_INTERVAL_SECONDS, start + duration < now, start >=
    ///         now - MAX_RETROACTIVE_LENGTH; strategies strictly ascending and in the set, multipliers
    ///         and amounts > 0, operators strictly ascending (each paid once).
    function createOperatorDirectedOperatorSetRewardsSubmission(
        OperatorSet calldata operatorSet,
        OperatorDirectedRewardsSubmission[] calldata submissions
    ) external nonReentrant whenNotPaused(PAUSED_FUNDING) {
        if (!allocationManager.permissionController()
                .canCall(operatorSet.avs, msg.sender, address(this), msg.sig)) {
            revert InvalidPermissions();
        }
        if (!allocationManager.isOperatorSet(operatorSet)) revert InvalidOperatorSet();
        for (uint256 i = 0; i < submissions.length; ++i) {
            OperatorDirectedRewardsSubmission calldata sub = submissions[i];
            uint256 total = _validate(operatorSet, sub);
            uint256 nonce = submissionNonce[operatorSet.avs]++;
            bytes32 h = keccak256(abi.encode(operatorSet.avs, nonce, sub));
            isOperatorDirectedOperatorSetRewardsSubmissionHash[h] = true;
            if (_pull(sub.token, total) != total) revert InvalidAmountReceived();
            emit OperatorDirectedOperatorSetRewardsSubmissionCreated(msg.sender, h, operatorSet, nonce, sub);
            for (uint256 j = 0; j < sub.operatorRewards.length; ++j) {
                _payOperatorDirected(operatorSet, sub, sub.operatorRewards[j]);
            }
        }
    }

    /// @notice Sets `operator`'s split of rewards from `operatorSet` (its share before stakers), in
    ///         bips, applying after COMMISSION_DELAY blocks (on behalf of the operator).
    function setOperatorSetSplit(address operator, OperatorSet calldata operatorSet, uint16 split)
        external
        whenNotPaused(PAUSED_COMMISSION)
    {
        if (!allocationManager.permissionController().canCall(operator, msg.sender, address(this), msg.sig)) {
            revert InvalidPermissions();
        }
        if (!delegationManager.isOperator(operator)) revert NotAnOperator();
        if (split > MAX_BIPS) revert InvalidBips();
        bytes32 key = OperatorSetLib.key(operatorSet);
        uint32 effectBlock = uint32(block.number) + COMMISSION_DELAY;
        _operatorSetSplit[operator][key] =
            Split(true, getOperatorSetSplit(operator, operatorSet), split, effectBlock);
        emit OperatorSetSplitBipsSet(operator, operatorSet, split, effectBlock);
    }

    /// @notice `operator`'s split of rewards from `operatorSet` in force now (default 10%).
    function getOperatorSetSplit(address operator, OperatorSet calldata operatorSet)
        public
        view
        returns (uint16)
    {
        Split memory s = _operatorSetSplit[operator][OperatorSetLib.key(operatorSet)];
        if (!s.isSet) return DEFAULT_OPERATOR_SPLIT_BIPS;
        return block.number >= s.effectBlock ? s.pendingBips : s.bips;
    }

    // ---------------------------------------------------------------- commission

    /// @notice Sets the caller's (an operator's) commission in bips, applying after COMMISSION_DELAY.
    function setOperatorCommission(uint16 bips) external whenNotPaused(PAUSED_COMMISSION) {
        if (!delegationManager.isOperator(msg.sender)) revert NotAnOperator();
        if (bips > MAX_BIPS) revert InvalidBips();
        uint16 current = operatorCommissionBips(msg.sender);
        uint32 effectBlock = uint32(block.number) + COMMISSION_DELAY;
        _commission[msg.sender] = Commission(true, current, bips, effectBlock);
        emit OperatorCommissionSet(msg.sender, bips, effectBlock);
    }

    /// @notice Commission in force now.
    function operatorCommissionBips(address operator) public view returns (uint16) {
        Commission memory c = _commission[operator];
        if (!c.isSet) return DEFAULT_COMMISSION_BIPS;
        if (block.number >= c.effectBlock) return c.pendingBips;
        return c.bips;
    }

    // ---------------------------------------------------------------- delegator accounting

    /// @notice Credits `staker`'s rewards under `operator` in `strategy` for all tokens, using the
    ///         scaled shares it held until now. DelegationManager only, before the shares change.
    function onScaledSharesChange(address staker, address operator, IStrategy strategy, uint256 scaledBefore)
        external
    {
        if (msg.sender != address(delegationManager)) revert OnlyDelegationManager();
        IERC20[] storage tokens = _rewardTokens[operator][strategy];
        for (uint256 i = 0; i < tokens.length; ++i) {
            _credit(staker, operator, strategy, tokens[i], scaledBefore);
        }
    }

    /// @notice Credits the caller's rewards in `token` under its current operator for
    ///         `strategies`, then transfers everything it has accrued in `token` to `recipient`.
    function claim(IERC20 token, IStrategy[] calldata strategies, address recipient)
        external
        nonReentrant
        whenNotPaused(PAUSED_CLAIMS)
        returns (uint256 amount)
    {
        address operator = delegationManager.delegatedTo(msg.sender);
        if (operator != address(0)) {
            for (uint256 i = 0; i < strategies.length; ++i) {
                uint256 scaled = delegationManager.stakerScaledShares(msg.sender, strategies[i]);
                _credit(msg.sender, operator, strategies[i], token, scaled);
            }
        }
        amount = accrued[msg.sender][token];
        if (amount == 0) revert NothingToClaim();
        accrued[msg.sender][token] = 0;
        totalClaimed[token] += amount;
        emit RewardsClaimed(msg.sender, token, recipient, amount);
        token.safeTransfer(recipient, amount);
    }

    /// @notice What `account` could claim in `token` now via `claim(token, strategies, ...)`.
    function claimable(address account, IERC20 token, IStrategy[] calldata strategies)
        external
        view
        returns (uint256 amount)
    {
        amount = accrued[account][token];
        address operator = delegationManager.delegatedTo(account);
        if (operator == address(0)) return amount;
        for (uint256 i = 0; i < strategies.length; ++i) {
            amount += _owed(
                account,
                operator,
                strategies[i],
                token,
                delegationManager.stakerScaledShares(account, strategies[i])
            );
        }
    }

    /// @notice Tokens that have paid delegators of `operator` in `strategy`.
    function getRewardTokens(address operator, IStrategy strategy) external view returns (IERC20[] memory) {
        return _rewardTokens[operator][strategy];
    }

    // ---------------------------------------------------------------- internals

    /// @return total Sum of the operator rewards (each > 0, bounded so the sum cannot overflow).
    function _validate(OperatorSet calldata operatorSet, OperatorDirectedRewardsSubmission calldata sub)
        internal
        view
        returns (uint256 total)
    {
        if (
            sub.duration == 0 || sub.duration > MAX_REWARDS_DURATION
                || sub.duration % CALCULATION_INTERVAL_SECONDS != 0
        ) {
            revert InvalidDuration();
        }
        if (sub.startTimestamp % CALCULATION_INTERVAL_SECONDS != 0) revert InvalidStartTimestamp();
        if (uint256(sub.startTimestamp) + sub.duration >= block.timestamp) revert SubmissionNotRetroactive();
        if (uint256(sub.startTimestamp) + MAX_RETROACTIVE_LENGTH < block.timestamp) {
            revert StartTimestampTooFarInPast();
        }
        StrategyAndMultiplier[] calldata sm = sub.strategiesAndMultipliers;
        if (sm.length == 0 || sub.operatorRewards.length == 0) revert InputArrayLengthZero();
        for (uint256 i = 0; i < sm.length; ++i) {
            if (i > 0 && address(sm[i].strategy) <= address(sm[i - 1].strategy)) {
                revert StrategiesNotInAscendingOrder();
            }
            if (sm[i].multiplier == 0) revert AmountIsZero();
            _checkStrategyInSet(operatorSet, sm[i].strategy);
        }
        for (uint256 i = 0; i < sub.operatorRewards.length; ++i) {
            OperatorReward calldata r = sub.operatorRewards[i];
            if (i > 0 && r.operator <= sub.operatorRewards[i - 1].operator) {
                revert OperatorsNotInAscendingOrder();
            }
            if (r.amount == 0) revert AmountIsZero();
            if (r.amount > type(uint128).max) revert AmountExceedsMax();
            total += r.amount;
        }
    }

    /// @dev The operator's split to the operator; the rest over the strategies by multiplier x the
    ///      operator's shares (all to the operator when it has none).
    function _payOperatorDirected(
        OperatorSet calldata operatorSet,
        OperatorDirectedRewardsSubmission calldata sub,
        OperatorReward calldata r
    ) internal {
        uint256 operatorPart = Math.mulDiv(r.amount, getOperatorSetSplit(r.operator, operatorSet), MAX_BIPS);
        uint256 stakerPart = r.amount - operatorPart;
        StrategyAndMultiplier[] calldata sm = sub.strategiesAndMultipliers;
        uint256[] memory weights = new uint256[](sm.length);
        uint256 totalWeight;
        for (uint256 i = 0; i < sm.length; ++i) {
            if (delegationManager.operatorScaledShares(r.operator, sm[i].strategy) == 0) continue;
            weights[i] = delegationManager.operatorShares(r.operator, sm[i].strategy) * sm[i].multiplier;
            totalWeight += weights[i];
        }
        if (totalWeight == 0) {
            operatorPart = r.amount;
            stakerPart = 0;
        }
        uint256 paid;
        for (uint256 i = 0; i < sm.length && stakerPart > 0; ++i) {
            if (weights[i] == 0) continue;
            uint256 part = Math.mulDiv(stakerPart, weights[i], totalWeight);
            paid += part;
            _distributeWithCommission(r.operator, sm[i].strategy, sub.token, part, 0);
        }
        // Rounding dust of the staker part goes to the operator.
        _accrue(r.operator, sub.token, operatorPart + stakerPart - paid);
    }

    function _checkStrategyInSet(OperatorSet calldata set, IStrategy strategy) internal view {
        IStrategy[] memory strategies = allocationManager.getStrategiesInOperatorSet(set);
        for (uint256 i = 0; i < strategies.length; ++i) {
            if (strategies[i] == strategy) return;
        }
        revert StrategyNotInSet();
    }

    function _accrue(address account, IERC20 token, uint256 amount) internal {
        if (amount == 0) return;
        accrued[account][token] += amount;
        emit RewardsAccrued(account, token, amount);
    }

    function _checkFunder(OperatorSet calldata set, IStrategy strategy) internal view {
        if (msg.sender != set.avs) revert OnlyAVS();
        if (!allocationManager.isOperatorSet(set)) revert InvalidOperatorSet();
        _checkStrategyInSet(set, strategy);
    }

    function _pull(IERC20 token, uint256 amount) internal returns (uint256 received) {
        if (amount == 0) revert ZeroAmount();
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        received = token.balanceOf(address(this)) - before;
        if (received == 0) revert NothingReceived();
        totalFunded[token] += received;
    }

    function _distribute(address operator, IStrategy strategy, IERC20 token, uint256 amount) internal {
        _distributeWithCommission(operator, strategy, token, amount, operatorCommissionBips(operator));
    }

    /// @dev `bips` of `amount` to the operator, the rest to its delegators in `strategy` (all to
    ///      the operator when it has no delegated shares there).
    function _distributeWithCommission(
        address operator,
        IStrategy strategy,
        IERC20 token,
        uint256 amount,
        uint256 bips
    ) internal {
        uint256 totalScaled = delegationManager.operatorScaledShares(operator, strategy);
        uint256 commission = totalScaled == 0 ? amount : Math.mulDiv(amount, bips, MAX_BIPS);
        uint256 part = amount - commission;
        if (part > 0) {
            if (!_isRewardToken[operator][strategy][token]) {
                if (_rewardTokens[operator][strategy].length >= MAX_REWARD_TOKENS) {
                    revert TooManyRewardTokens();
                }
                _isRewardToken[operator][strategy][token] = true;
                _rewardTokens[operator][strategy].push(token);
            }
            rewardPerScaledShare[operator][strategy][token] += Math.mulDiv(part, PRECISION, totalScaled);
        }
        _accrue(operator, token, commission);
        emit RewardsDistributed(operator, strategy, token, commission, part);
    }

    function _owed(address staker, address operator, IStrategy strategy, IERC20 token, uint256 scaled)
        internal
        view
        returns (uint256)
    {
        uint256 acc = rewardPerScaledShare[operator][strategy][token];
        return Math.mulDiv(scaled, acc - rewardCheckpoint[staker][operator][strategy][token], PRECISION);
    }

    function _credit(address staker, address operator, IStrategy strategy, IERC20 token, uint256 scaled)
        internal
    {
        uint256 owed = _owed(staker, operator, strategy, token, scaled);
        rewardCheckpoint[staker][operator][strategy][token] = rewardPerScaledShare[operator][strategy][token];
        if (owed > 0) {
            accrued[staker][token] += owed;
            emit RewardsAccrued(staker, token, owed);
        }
    }
}
