// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {EnumerableMap} from "@openzeppelin/contracts/utils/structs/EnumerableMap.sol";
import {IStrategy} from "../interfaces/IStrategy.sol";
import {IStrategyManager} from "../interfaces/IStrategyManager.sol";
import {OperatorSet, OperatorSetLib} from "../interfaces/OperatorSet.sol";
import {PausableOwned} from "./PausableOwned.sol";
import {Strategy} from "./Strategy.sol";
import {DelegationManager} from "./DelegationManager.sol";

/// @title StrategyManager
/// @notice Entry point for deposits; keeps each staker's deposit shares per strategy and its
///         bounded strategy list, moves tokens out of strategies for the DelegationManager
///         (withdrawals), and holds slashed shares until anyone clears them to the slashed set's
///         redistribution recipient (or burns them).
/// @dev Invariants:
///      - A staker's strategy list holds exactly the strategies with nonzero deposit shares, and
///        has at most MAX_STAKER_STRATEGY_LIST_LENGTH entries.
///      - Deposits credit the strategy's balance delta, so fee-on-transfer tokens mint shares only
///        for what arrived.
///      - Every state-changing function is nonReentrant (malicious tokens cannot re-enter).
///      - Shares of a slash are recorded once per (set, slashId, strategy) by the DelegationManager
///        and released at most once: clearing deletes the record before any token moves, and the
///        tokens go only to the recipient the AllocationManager holds for the set (fixed at the
///        set's creation) or to BURN_ADDRESS. Until cleared they stay in the strategy's
///        totalShares, so no staker's withdrawal can take them.
///      Pause bits: 0 = deposits.
contract StrategyManager is IStrategyManager, PausableOwned, ReentrancyGuard {
    using SafeERC20 for IERC20;
    using EnumerableMap for EnumerableMap.AddressToUintMap;
    using OperatorSetLib for OperatorSet;

    /// @notice Pause bit of `depositIntoStrategy`.
    uint8 public constant PAUSED_DEPOSITS = 0;
    /// @notice Most strategies one staker may hold deposit shares in.
    uint256 public constant MAX_STAKER_STRATEGY_LIST_LENGTH = 32;
    /// @notice Where burned tokens are sent (no known key).
    address public constant BURN_ADDRESS = 0x00000000000000000000000000000000000E16E4;

    /// @notice The DelegationManager (set once by the owner).
    DelegationManager public delegationManager;
    /// @notice Strategies accepted for deposits.
    mapping(IStrategy => bool) public strategyIsWhitelisted;
    /// @notice Deposit shares of a staker in a strategy.
    mapping(address staker => mapping(IStrategy => uint256)) public stakerDepositShares;
    mapping(address staker => IStrategy[]) internal _stakerStrategyList;
    /// @dev Slashed shares not yet cleared, per set key, slashId and strategy.
    mapping(bytes32 setKey => mapping(uint256 slashId => EnumerableMap.AddressToUintMap)) internal
        _burnOrRedistributable;

    event DelegationManagerSet(address delegationManager);
    event StrategyWhitelisted(IStrategy indexed strategy, bool whitelisted);
    event Deposit(address indexed staker, IStrategy indexed strategy, uint256 amount, uint256 shares);
    event DepositSharesAdded(address indexed staker, IStrategy indexed strategy, uint256 shares);
    event DepositSharesRemoved(address indexed staker, IStrategy indexed strategy, uint256 shares);
    event SharesWithdrawnAsTokens(
        address indexed recipient, IStrategy indexed strategy, uint256 shares, uint256 amount
    );
    event BurnOrRedistributableSharesIncreased(
        OperatorSet operatorSet, uint256 slashId, IStrategy strategy, uint256 shares
    );
    event BurnOrRedistributableSharesDecreased(
        OperatorSet operatorSet, uint256 slashId, IStrategy strategy, uint256 shares
    );
    event SharesSlashed(
        IStrategy indexed strategy, address indexed recipient, uint256 shares, uint256 amount
    );

    error AlreadyInitialized();
    error ZeroAddress();
    error OnlyDelegationManager();
    error StrategyNotWhitelisted(IStrategy strategy);
    error WrongStrategyManager(IStrategy strategy);
    error ZeroAmount();
    error OnlyUnderlyingToken();
    error NothingReceived();
    error MaxStrategiesExceeded();
    error InsufficientDepositShares(uint256 requested, uint256 available);

    constructor(address initialOwner) PausableOwned(initialOwner) {}

    modifier onlyDelegationManager() {
        if (msg.sender != address(delegationManager)) revert OnlyDelegationManager();
        _;
    }

    /// @notice Wires the DelegationManager; callable once by the owner.
    function setDelegationManager(DelegationManager dm) external onlyOwner {
        if (address(delegationManager) != address(0)) revert AlreadyInitialized();
        if (address(dm) == address(0)) revert ZeroAddress();
        delegationManager = dm;
        emit DelegationManagerSet(address(dm));
    }

    /// @notice Accepts (or stops accepting) deposits into `strategies`. Removing a strategy does not
    ///         touch existing shares; they stay withdrawable and slashable.
    function setStrategyWhitelisted(IStrategy[] calldata strategies, bool whitelisted) external onlyOwner {
        for (uint256 i = 0; i < strategies.length; ++i) {
            if (Strategy(address(strategies[i])).strategyManager() != address(this)) {
                revert WrongStrategyManager(strategies[i]);
            }
            strategyIsWhitelisted[strategies[i]] = whitelisted;
            emit StrategyWhitelisted(strategies[i], whitelisted);
        }
    }

    /// @inheritdoc IStrategyManager
    /// @dev `token` must be the strategy's underlying token (OnlyUnderlyingToken). The shares join
    ///      the caller's delegation (if any).
    function depositIntoStrategy(IStrategy strategy, IERC20 token, uint256 amount)
        external
        nonReentrant
        whenNotPaused(PAUSED_DEPOSITS)
        returns (uint256 shares)
    {
        if (!strategyIsWhitelisted[strategy]) revert StrategyNotWhitelisted(strategy);
        if (amount == 0) revert ZeroAmount();
        if (token != strategy.underlyingToken()) revert OnlyUnderlyingToken();
        uint256 before = token.balanceOf(address(strategy));
        token.safeTransferFrom(msg.sender, address(strategy), amount);
        uint256 received = token.balanceOf(address(strategy)) - before;
        if (received == 0) revert NothingReceived();
        shares = Strategy(address(strategy)).deposit(received);
        uint256 prev = _addShares(msg.sender, strategy, shares);
        emit Deposit(msg.sender, strategy, received, shares);
        delegationManager.increaseDelegatedShares(msg.sender, strategy, prev, shares);
    }

    /// @notice Credits deposit shares (a withdrawal completed as shares). DelegationManager only.
    /// @return prevDepositShares Deposit shares before the credit.
    function addShares(address staker, IStrategy strategy, uint256 shares)
        external
        nonReentrant
        onlyDelegationManager
        returns (uint256 prevDepositShares)
    {
        prevDepositShares = _addShares(staker, strategy, shares);
    }

    /// @notice Debits deposit shares (a queued withdrawal). DelegationManager only.
    /// @return remaining Deposit shares left.
    function removeDepositShares(address staker, IStrategy strategy, uint256 shares)
        external
        nonReentrant
        onlyDelegationManager
        returns (uint256 remaining)
    {
        uint256 current = stakerDepositShares[staker][strategy];
        if (shares == 0 || shares > current) revert InsufficientDepositShares(shares, current);
        remaining = current - shares;
        stakerDepositShares[staker][strategy] = remaining;
        if (remaining == 0) _removeStrategy(staker, strategy);
        emit DepositSharesRemoved(staker, strategy, shares);
    }

    /// @notice Burns `shares` of `strategy` and sends the tokens to `recipient`. DelegationManager only.
    function withdrawSharesAsTokens(address recipient, IStrategy strategy, uint256 shares)
        external
        nonReentrant
        onlyDelegationManager
        returns (uint256 amount)
    {
        amount = Strategy(address(strategy)).withdraw(recipient, shares);
        emit SharesWithdrawnAsTokens(recipient, strategy, shares, amount);
    }

    /// @notice Records `shares` of `strategy` taken by slash `slashId` of `operatorSet`, to be
    ///         cleared later. DelegationManager only.
    function increaseBurnOrRedistributableShares(
        OperatorSet calldata operatorSet,
        uint256 slashId,
        IStrategy strategy,
        uint256 shares
    ) external nonReentrant onlyDelegationManager {
        EnumerableMap.AddressToUintMap storage m = _burnOrRedistributable[operatorSet.key()][slashId];
        (, uint256 current) = m.tryGet(address(strategy));
        m.set(address(strategy), current + shares);
        emit BurnOrRedistributableSharesIncreased(operatorSet, slashId, strategy, shares);
    }

    /// @inheritdoc IStrategyManager
    function clearBurnOrRedistributableSharesByStrategy(
        OperatorSet calldata operatorSet,
        uint256 slashId,
        IStrategy strategy
    ) external nonReentrant returns (uint256 amount) {
        return _clear(operatorSet, slashId, strategy);
    }

    /// @inheritdoc IStrategyManager
    function clearBurnOrRedistributableShares(OperatorSet calldata operatorSet, uint256 slashId)
        external
        nonReentrant
        returns (uint256[] memory amounts)
    {
        address[] memory strategies = _burnOrRedistributable[operatorSet.key()][slashId].keys();
        amounts = new uint256[](strategies.length);
        for (uint256 i = 0; i < strategies.length; ++i) {
            amounts[i] = _clear(operatorSet, slashId, IStrategy(strategies[i]));
        }
    }

    /// @notice Slashed shares of slash `slashId` of `operatorSet` not yet cleared, per strategy.
    function getBurnOrRedistributableShares(OperatorSet calldata operatorSet, uint256 slashId)
        external
        view
        returns (IStrategy[] memory strategies, uint256[] memory shares)
    {
        EnumerableMap.AddressToUintMap storage m = _burnOrRedistributable[operatorSet.key()][slashId];
        uint256 n = m.length();
        strategies = new IStrategy[](n);
        shares = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            (address s, uint256 v) = m.at(i);
            strategies[i] = IStrategy(s);
            shares[i] = v;
        }
    }

    /// @dev Deletes the record, then withdraws its shares from the strategy to the set's
    ///      redistribution recipient (BURN_ADDRESS for a burning set).
    function _clear(OperatorSet calldata operatorSet, uint256 slashId, IStrategy strategy)
        internal
        returns (uint256 amount)
    {
        EnumerableMap.AddressToUintMap storage m = _burnOrRedistributable[operatorSet.key()][slashId];
        (bool pending, uint256 shares) = m.tryGet(address(strategy));
        if (!pending) return 0;
        m.remove(address(strategy));
        address recipient = delegationManager.allocationManager().getRedistributionRecipient(operatorSet);
        address to = recipient == address(0) ? BURN_ADDRESS : recipient;
        emit BurnOrRedistributableSharesDecreased(operatorSet, slashId, strategy, shares);
        amount = Strategy(address(strategy)).withdraw(to, shares);
        emit SharesSlashed(strategy, to, shares, amount);
    }

    /// @notice Strategies and deposit shares of `staker`.
    function getDeposits(address staker)
        external
        view
        returns (IStrategy[] memory strategies, uint256[] memory shares)
    {
        strategies = _stakerStrategyList[staker];
        shares = new uint256[](strategies.length);
        for (uint256 i = 0; i < strategies.length; ++i) {
            shares[i] = stakerDepositShares[staker][strategies[i]];
        }
    }

    /// @notice Number of strategies `staker` holds deposit shares in.
    function stakerStrategyListLength(address staker) external view returns (uint256) {
        return _stakerStrategyList[staker].length;
    }

    function _addShares(address staker, IStrategy strategy, uint256 shares) internal returns (uint256 prev) {
        if (shares == 0) revert ZeroAmount();
        prev = stakerDepositShares[staker][strategy];
        if (prev == 0) {
            if (_stakerStrategyList[staker].length >= MAX_STAKER_STRATEGY_LIST_LENGTH) {
                revert MaxStrategiesExceeded();
            }
            _stakerStrategyList[staker].push(strategy);
        }
        stakerDepositShares[staker][strategy] = prev + shares;
        emit DepositSharesAdded(staker, strategy, shares);
    }

    function _removeStrategy(address staker, IStrategy strategy) internal {
        IStrategy[] storage list = _stakerStrategyList[staker];
        uint256 n = list.length;
        for (uint256 i = 0; i < n; ++i) {
            if (list[i] == strategy) {
                list[i] = list[n - 1];
                list.pop();
                return;
            }
        }
    }
}
