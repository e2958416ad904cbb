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

    function _checkFunder(OperatorSet calldata set, IStrategy strategy) internal view {
        if (msg.sender != set.avs) revert OnlyAVS();
        if (!allocationManager.isOperatorSet(set)) revert InvalidOperatorSet();
        IStrategy[] memory strategies = allocationManager.getStrategiesInOperatorSet(set);
        for (uint256 i = 0; i < strategies.length; ++i) {
            if (strategies[i] == strategy) return;
        }
        revert StrategyNotInSet();
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
        uint256 totalScaled = delegationManager.operatorScaledShares(operator, strategy);
        uint256 commission =
            totalScaled == 0 ? amount : Math.mulDiv(amount, operatorCommissionBips(operator), MAX_BIPS);
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
        if (commission > 0) {
            accrued[operator][token] += commission;
            emit RewardsAccrued(operator, token, commission);
        }
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
