// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {DoubleEndedQueue} from "@openzeppelin/contracts/utils/structs/DoubleEndedQueue.sol";
import {IStrategy} from "../interfaces/IStrategy.sol";
import {IAVSRegistrar} from "../interfaces/IAVSRegistrar.sol";
import {IAllocationManager} from "../interfaces/IAllocationManager.sol";
import {IPermissionController} from "../interfaces/IPermissionController.sol";
import {OperatorSet, OperatorSetLib} from "../interfaces/OperatorSet.sol";
import {PausableOwned} from "./PausableOwned.sol";
import {DelegationManager} from "./DelegationManager.sol";

/// @title AllocationManager
/// @notice AVSs and their operator sets; operator registration; magnitude allocations; slashing.
/// @dev Magnitudes are WAD fractions of an operator's stake per strategy.
///      Invariants, per (operator, strategy):
///      - maxMagnitude starts at 1e18 and only decreases (only slashing lowers it); its history
///        is checkpointed by block.
///      - encumberedMagnitude <= maxMagnitude.
///      - encumberedMagnitude == sum over sets of (current allocation + pending increase), where a
///        deallocation counts in "current" until its effect block.
///      - An allocation increase takes effect at block + allocationDelay; a decrease of an
///        allocation to a set the operator is slashable by takes effect at
///        block + DEALLOCATION_DELAY + 1 and stays slashable until then; otherwise at once.
///      - A slash of wad w removes ceil(current * w / 1e18) <= current magnitude from the
///        allocation and from maxMagnitude; a pending deallocation shrinks in proportion; pending
///        increases are not slashable. Nobody is slashed beyond what they allocated.
///      - A deregistered operator stays slashable by the set for DEALLOCATION_DELAY blocks.
///      - A slash moves no tokens: the shares it takes are handed to the StrategyManager under
///        (set, slashId, strategy) and released to the set's redistribution recipient (fixed at
///        creation) by anyone later. slashIds of a set are 1, 2, ... and never reused.
///      - Every call on behalf of an AVS or an operator passes PermissionController.canCall.
///      Pause bits: 0 modify allocations, 1 register, 2 deregister, 3 slash.
contract AllocationManager is IAllocationManager, PausableOwned, ReentrancyGuard {
    using OperatorSetLib for OperatorSet;
    using Checkpoints for Checkpoints.Trace256;
    using EnumerableSet for EnumerableSet.AddressSet;
    using EnumerableSet for EnumerableSet.Bytes32Set;
    using DoubleEndedQueue for DoubleEndedQueue.Bytes32Deque;

    /// @notice An operator's allocation to one (set, strategy).
    struct Allocation {
        uint64 currentMagnitude;
        int128 pendingDiff;
        uint32 effectBlock;
    }

    /// @notice New magnitudes of an operator for strategies of one set.
    struct AllocateParams {
        OperatorSet operatorSet;
        IStrategy[] strategies;
        uint64[] newMagnitudes;
    }

    struct SetInfo {
        bool exists;
        address slasher;
        address redistributionRecipient;
        bool redistributing;
        uint256 slashCount;
        EnumerableSet.AddressSet strategies;
        EnumerableSet.AddressSet members;
    }

    struct Registration {
        bool registered;
        uint32 slashableUntil;
    }

    struct AllocationDelayInfo {
        bool isSet;
        uint32 delay;
        uint32 pendingDelay;
        uint32 effectBlock;
    }

    uint8 public constant PAUSED_MODIFY_ALLOCATIONS = 0;
    uint8 public constant PAUSED_REGISTER = 1;
    uint8 public constant PAUSED_DEREGISTER = 2;
    uint8 public constant PAUSED_SLASH = 3;
    uint64 internal constant WAD = 1e18;

    /// @notice Blocks a deallocation (or a deregistration) stays slashable.
    uint32 public immutable DEALLOCATION_DELAY;
    /// @notice Blocks before an operator's new allocation delay applies.
    uint32 public immutable ALLOCATION_CONFIGURATION_DELAY;
    /// @notice Who may call on behalf of an AVS or an operator.
    IPermissionController public immutable permissionController;

    /// @notice The DelegationManager (set once by the owner).
    DelegationManager public delegationManager;
    /// @notice Addresses that published AVS metadata.
    mapping(address => bool) public isAVS;
    mapping(address avs => IAVSRegistrar) internal _registrar;
    mapping(bytes32 setKey => SetInfo) internal _sets;
    mapping(address operator => mapping(bytes32 setKey => Registration)) internal _registration;
    mapping(address operator => mapping(bytes32 setKey => mapping(IStrategy => Allocation))) internal
        _allocations;
    mapping(address operator => mapping(IStrategy => uint64)) internal _encumbered;
    mapping(address operator => mapping(IStrategy => Checkpoints.Trace256)) internal _magnitudeLost;
    mapping(address operator => mapping(IStrategy => DoubleEndedQueue.Bytes32Deque)) internal
        _deallocationQueue;
    mapping(address operator => mapping(IStrategy => EnumerableSet.Bytes32Set)) internal _allocatedSets;
    mapping(address operator => AllocationDelayInfo) internal _allocationDelay;

    event DelegationManagerSet(address delegationManager);
    event AVSMetadataURIUpdated(address indexed avs, string metadataURI);
    event AVSRegistrarSet(address indexed avs, IAVSRegistrar registrar);
    event OperatorSetCreated(OperatorSet operatorSet, address slasher, address redistributionRecipient);
    event StrategyAddedToOperatorSet(OperatorSet operatorSet, IStrategy strategy);
    event StrategyRemovedFromOperatorSet(OperatorSet operatorSet, IStrategy strategy);
    event SlasherUpdated(OperatorSet operatorSet, address slasher);
    event OperatorAddedToOperatorSet(address indexed operator, OperatorSet operatorSet);
    event OperatorRemovedFromOperatorSet(
        address indexed operator, OperatorSet operatorSet, uint32 slashableUntil
    );
    event AllocationDelaySet(address indexed operator, uint32 delay, uint32 effectBlock);
    event AllocationUpdated(
        address indexed operator,
        OperatorSet operatorSet,
        IStrategy indexed strategy,
        uint64 magnitude,
        uint32 effectBlock
    );
    event EncumberedMagnitudeUpdated(
        address indexed operator, IStrategy indexed strategy, uint64 encumberedMagnitude
    );
    event MaxMagnitudeUpdated(address indexed operator, IStrategy indexed strategy, uint64 maxMagnitude);
    event OperatorSlashed(
        address indexed operator,
        OperatorSet operatorSet,
        IStrategy[] strategies,
        uint256[] wadsSlashed,
        string description,
        uint256 slashId
    );

    error AlreadyInitialized();
    error ZeroAddress();
    error OnlyDelegationManager();
    error NotAnOperator();
    error Unauthorized();
    error NotAVS();
    error InvalidOperatorSet();
    error OperatorSetExists();
    error StrategyAlreadyInSet(IStrategy strategy);
    error StrategyNotInSet(IStrategy strategy);
    error AlreadyMemberOfSet(uint32 operatorSetId);
    error NotMemberOfSet(uint32 operatorSetId);
    error UninitializedAllocationDelay();
    error InputArrayLengthMismatch();
    error ModificationAlreadyPending();
    error SameMagnitude();
    error InsufficientMagnitude(uint64 requested, uint64 available);
    error OnlySlasher();
    error OperatorNotSlashable();
    error StrategiesNotAscending();
    error InvalidWad(uint256 wad);
    error InvalidPermissions();
    error InvalidAVSRegistrar();
    error FutureBlockInPast();

    constructor(
        address initialOwner,
        IPermissionController permissionController_,
        uint32 deallocationDelay,
        uint32 allocationConfigurationDelay
    ) PausableOwned(initialOwner) {
        if (address(permissionController_) == address(0)) revert ZeroAddress();
        permissionController = permissionController_;
        DEALLOCATION_DELAY = deallocationDelay;
        ALLOCATION_CONFIGURATION_DELAY = allocationConfigurationDelay;
    }

    /// @notice Wires the DelegationManager; callable once by the owner.
    function setDelegationManager(DelegationManager dm) external onlyOwner {
        if (address(delegationManager) != address(0)) revert AlreadyInitialized();
        if (address(dm) == address(0)) revert ZeroAddress();
        delegationManager = dm;
        emit DelegationManagerSet(address(dm));
    }

    // ---------------------------------------------------------------- AVS side

    /// @dev Reverts InvalidPermissions unless the caller may call this function for `account`.
    function _checkCanCall(address account) internal view {
        if (!permissionController.canCall(account, msg.sender, address(this), msg.sig)) {
            revert InvalidPermissions();
        }
    }

    /// @inheritdoc IAllocationManager
    function updateAVSMetadataURI(address avs, string calldata metadataURI) external {
        _checkCanCall(avs);
        isAVS[avs] = true;
        emit AVSMetadataURIUpdated(avs, metadataURI);
    }

    /// @inheritdoc IAllocationManager
    function setAVSRegistrar(address avs, IAVSRegistrar registrar) external {
        _checkCanCall(avs);
        if (!registrar.supportsAVS(avs)) revert InvalidAVSRegistrar();
        _registrar[avs] = registrar;
        emit AVSRegistrarSet(avs, registrar);
    }

    /// @inheritdoc IAllocationManager
    function createOperatorSets(address avs, CreateSetParams[] calldata params) external {
        _createSets(avs, params, new address[](0));
    }

    /// @inheritdoc IAllocationManager
    function createRedistributingOperatorSets(
        address avs,
        CreateSetParams[] calldata params,
        address[] calldata redistributionRecipients
    ) external {
        if (params.length != redistributionRecipients.length) {
            revert InputArrayLengthMismatch();
        }
        _createSets(avs, params, redistributionRecipients);
    }

    /// @dev `recipients` empty: burning sets; else one non-zero recipient per set.
    function _createSets(address avs, CreateSetParams[] calldata params, address[] memory recipients)
        internal
    {
        _checkCanCall(avs);
        if (!isAVS[avs]) revert NotAVS();
        for (uint256 i = 0; i < params.length; ++i) {
            OperatorSet memory set = OperatorSet(avs, params[i].operatorSetId);
            SetInfo storage info = _sets[set.key()];
            if (info.exists) revert OperatorSetExists();
            info.exists = true;
            info.slasher = params[i].slasher == address(0) ? avs : params[i].slasher;
            if (recipients.length != 0) {
                if (recipients[i] == address(0)) revert ZeroAddress();
                info.redistributionRecipient = recipients[i];
                info.redistributing = true;
            }
            emit OperatorSetCreated(set, info.slasher, info.redistributionRecipient);
            _addStrategies(set, info, params[i].strategies);
        }
    }

    /// @inheritdoc IAllocationManager
    function addStrategiesToOperatorSet(address avs, uint32 operatorSetId, IStrategy[] calldata strategies)
        external
    {
        _checkCanCall(avs);
        OperatorSet memory set = OperatorSet(avs, operatorSetId);
        _addStrategies(set, _existingSet(set), strategies);
    }

    /// @inheritdoc IAllocationManager
    function removeStrategiesFromOperatorSet(
        address avs,
        uint32 operatorSetId,
        IStrategy[] calldata strategies
    ) external {
        _checkCanCall(avs);
        OperatorSet memory set = OperatorSet(avs, operatorSetId);
        SetInfo storage info = _existingSet(set);
        for (uint256 i = 0; i < strategies.length; ++i) {
            if (!info.strategies.remove(address(strategies[i]))) revert StrategyNotInSet(strategies[i]);
            emit StrategyRemovedFromOperatorSet(set, strategies[i]);
        }
    }

    /// @notice Names the slasher of a set of `operatorSet.avs` (takes effect at once).
    function updateSlasher(OperatorSet calldata operatorSet, address slasher) external {
        _checkCanCall(operatorSet.avs);
        if (slasher == address(0)) revert ZeroAddress();
        _existingSet(operatorSet).slasher = slasher;
        emit SlasherUpdated(operatorSet, slasher);
    }

    // ---------------------------------------------------------------- operator side

    /// @notice Sets an operator's allocation delay. From the DelegationManager (at operator
    ///         registration) it applies at once; from the operator itself it applies after
    ///         ALLOCATION_CONFIGURATION_DELAY blocks.
    function setAllocationDelay(address operator, uint32 delay) external {
        if (msg.sender == address(delegationManager)) {
            _allocationDelay[operator] = AllocationDelayInfo(true, delay, 0, 0);
            emit AllocationDelaySet(operator, delay, uint32(block.number));
            return;
        }
        if (msg.sender != operator) revert Unauthorized();
        if (!delegationManager.isOperator(operator)) revert NotAnOperator();
        (bool isSet, uint32 current) = getAllocationDelay(operator);
        uint32 effectBlock = uint32(block.number) + ALLOCATION_CONFIGURATION_DELAY;
        _allocationDelay[operator] = AllocationDelayInfo(isSet, current, delay, effectBlock);
        emit AllocationDelaySet(operator, delay, effectBlock);
    }

    /// @inheritdoc IAllocationManager
    function registerForOperatorSets(address operator, RegisterParams calldata params)
        external
        nonReentrant
        whenNotPaused(PAUSED_REGISTER)
    {
        _checkCanCall(operator);
        if (!delegationManager.isOperator(operator)) revert NotAnOperator();
        address avs = params.avs;
        uint32[] calldata operatorSetIds = params.operatorSetIds;
        for (uint256 i = 0; i < operatorSetIds.length; ++i) {
            OperatorSet memory set = OperatorSet(avs, operatorSetIds[i]);
            SetInfo storage info = _existingSet(set);
            Registration storage reg = _registration[operator][set.key()];
            if (reg.registered) revert AlreadyMemberOfSet(operatorSetIds[i]);
            reg.registered = true;
            info.members.add(operator);
            emit OperatorAddedToOperatorSet(operator, set);
        }
        getAVSRegistrar(avs).registerOperator(operator, avs, operatorSetIds, params.data);
    }

    /// @inheritdoc IAllocationManager
    /// @dev Callable on behalf of the operator or of the AVS (the AVS's registrar only as an
    ///      appointee of the AVS); the registrar is always called back.
    function deregisterFromOperatorSets(DeregisterParams calldata params)
        external
        nonReentrant
        whenNotPaused(PAUSED_DEREGISTER)
    {
        address operator = params.operator;
        address avs = params.avs;
        uint32[] calldata operatorSetIds = params.operatorSetIds;
        if (!permissionController.canCall(operator, msg.sender, address(this), msg.sig)) _checkCanCall(avs);
        uint32 slashableUntil = uint32(block.number) + DEALLOCATION_DELAY;
        for (uint256 i = 0; i < operatorSetIds.length; ++i) {
            OperatorSet memory set = OperatorSet(avs, operatorSetIds[i]);
            SetInfo storage info = _existingSet(set);
            Registration storage reg = _registration[operator][set.key()];
            if (!reg.registered) revert NotMemberOfSet(operatorSetIds[i]);
            reg.registered = false;
            reg.slashableUntil = slashableUntil;
            info.members.remove(operator);
            emit OperatorRemovedFromOperatorSet(operator, set, slashableUntil);
        }
        getAVSRegistrar(avs).deregisterOperator(operator, avs, operatorSetIds);
    }

    /// @notice Sets the caller's allocations. Each (set, strategy) may have one pending change;
    ///         increases need the strategy in the set and free magnitude (max - encumbered) and
    ///         apply after the caller's allocation delay; decreases apply after
    ///         DEALLOCATION_DELAY + 1 blocks while the caller is slashable by the set in that
    ///         strategy, else at once.
    function modifyAllocations(address operator, AllocateParams[] calldata params)
        external
        nonReentrant
        whenNotPaused(PAUSED_MODIFY_ALLOCATIONS)
    {
        _checkCanCall(operator);
        (bool isSet, uint32 delay) = getAllocationDelay(operator);
        if (!isSet) revert UninitializedAllocationDelay();
        for (uint256 i = 0; i < params.length; ++i) {
            if (params[i].strategies.length != params[i].newMagnitudes.length) {
                revert InputArrayLengthMismatch();
            }
            OperatorSet memory set = params[i].operatorSet;
            SetInfo storage info = _existingSet(set);
            bool slashable = isOperatorSlashable(operator, set);
            for (uint256 j = 0; j < params[i].strategies.length; ++j) {
                IStrategy strategy = params[i].strategies[j];
                _clearDeallocationQueue(operator, strategy, type(uint256).max);
                bool inSet = info.strategies.contains(address(strategy));
                _modify(operator, set, strategy, params[i].newMagnitudes[j], delay, slashable, inSet);
            }
        }
    }

    /// @notice Applies up to `numToClear[i]` matured deallocations of `operator` in `strategies[i]`
    ///         (frees their magnitude in storage). Anyone may call.
    function clearDeallocationQueue(
        address operator,
        IStrategy[] calldata strategies,
        uint256[] calldata numToClear
    ) external nonReentrant {
        if (strategies.length != numToClear.length) {
            revert InputArrayLengthMismatch();
        }
        for (uint256 i = 0; i < strategies.length; ++i) {
            _clearDeallocationQueue(operator, strategies[i], numToClear[i]);
        }
    }

    // ---------------------------------------------------------------- slashing

    /// @inheritdoc IAllocationManager
    function slashOperator(address avs, SlashingParams calldata params)
        external
        nonReentrant
        whenNotPaused(PAUSED_SLASH)
        returns (uint256 slashId, uint256[] memory shares)
    {
        OperatorSet memory set = OperatorSet(avs, params.operatorSetId);
        SetInfo storage info = _existingSet(set);
        if (msg.sender != info.slasher) revert OnlySlasher();
        if (!isOperatorSlashable(params.operator, set)) revert OperatorNotSlashable();
        if (params.strategies.length != params.wadsToSlash.length) revert InputArrayLengthMismatch();
        slashId = ++info.slashCount;
        shares = new uint256[](params.strategies.length);
        for (uint256 i = 0; i < params.strategies.length; ++i) {
            IStrategy strategy = params.strategies[i];
            if (i > 0 && address(strategy) <= address(params.strategies[i - 1])) {
                revert StrategiesNotAscending();
            }
            if (!info.strategies.contains(address(strategy))) revert StrategyNotInSet(strategy);
            uint256 wad = params.wadsToSlash[i];
            if (wad == 0 || wad > WAD) revert InvalidWad(wad);
            shares[i] = _slash(params.operator, set, slashId, strategy, wad);
        }
        emit OperatorSlashed(
            params.operator, set, params.strategies, params.wadsToSlash, params.description, slashId
        );
    }

    // ---------------------------------------------------------------- views

    /// @notice The registrar called for `avs` (the AVS itself until one is named).
    function getAVSRegistrar(address avs) public view returns (IAVSRegistrar) {
        IAVSRegistrar r = _registrar[avs];
        return address(r) == address(0) ? IAVSRegistrar(avs) : r;
    }

    /// @inheritdoc IAllocationManager
    function isOperatorSet(OperatorSet calldata set) external view returns (bool) {
        return _sets[set.key()].exists;
    }

    /// @inheritdoc IAllocationManager
    function isMemberOfOperatorSet(address operator, OperatorSet calldata set) external view returns (bool) {
        return _registration[operator][set.key()].registered;
    }

    /// @notice True while registered, and for the deallocation delay after deregistration.
    function isOperatorSlashable(address operator, OperatorSet memory set) public view returns (bool) {
        Registration memory reg = _registration[operator][set.key()];
        return reg.registered || block.number <= reg.slashableUntil;
    }

    /// @notice Block until which a deregistered operator stays slashable (0 if never deregistered).
    function getSlashableUntil(address operator, OperatorSet calldata set) external view returns (uint32) {
        return _registration[operator][set.key()].slashableUntil;
    }

    /// @inheritdoc IAllocationManager
    function getMembers(OperatorSet calldata set) external view returns (address[] memory) {
        return _sets[set.key()].members.values();
    }

    /// @notice Number of registered members of `set`.
    function getMemberCount(OperatorSet calldata set) external view returns (uint256) {
        return _sets[set.key()].members.length();
    }

    /// @inheritdoc IAllocationManager
    function getStrategiesInOperatorSet(OperatorSet calldata set)
        external
        view
        returns (IStrategy[] memory out)
    {
        address[] memory raw = _sets[set.key()].strategies.values();
        assembly ("memory-safe") {
            out := raw
        }
    }

    /// @inheritdoc IAllocationManager
    function getRedistributionRecipient(OperatorSet calldata set) external view returns (address) {
        return _sets[set.key()].redistributionRecipient;
    }

    /// @notice True when `set` was created redistributing (its recipient is then fixed).
    function isRedistributingOperatorSet(OperatorSet calldata set) external view returns (bool) {
        return _sets[set.key()].redistributing;
    }

    /// @notice The slasher of `set`.
    function getSlasher(OperatorSet calldata set) external view returns (address) {
        return _sets[set.key()].slasher;
    }

    /// @notice Number of slashes of `set` so far (the last slashId).
    function getSlashCount(OperatorSet calldata set) external view returns (uint256) {
        return _sets[set.key()].slashCount;
    }

    /// @notice Current allocation delay of `operator` and whether one was ever set.
    function getAllocationDelay(address operator) public view returns (bool isSet, uint32 delay) {
        AllocationDelayInfo memory info = _allocationDelay[operator];
        if (info.effectBlock != 0 && block.number >= info.effectBlock) return (true, info.pendingDelay);
        return (info.isSet, info.delay);
    }

    /// @notice Current max magnitude (1e18 minus everything slashed).
    function getMaxMagnitude(address operator, IStrategy strategy) public view returns (uint64) {
        return WAD - uint64(_magnitudeLost[operator][strategy].latest());
    }

    /// @notice Max magnitude at the end of block `blockNumber`.
    function getMaxMagnitudeAtBlock(address operator, IStrategy strategy, uint32 blockNumber)
        external
        view
        returns (uint64)
    {
        return WAD - uint64(_magnitudeLost[operator][strategy].upperLookup(blockNumber));
    }

    /// @notice Encumbered magnitude now (matured deallocations not yet cleared are excluded).
    function getEncumberedMagnitude(address operator, IStrategy strategy) public view returns (uint64 enc) {
        enc = _encumbered[operator][strategy];
        DoubleEndedQueue.Bytes32Deque storage q = _deallocationQueue[operator][strategy];
        uint256 n = q.length();
        for (uint256 i = 0; i < n; ++i) {
            Allocation memory a = _allocations[operator][q.at(i)][strategy];
            if (a.pendingDiff >= 0) continue;
            if (block.number < a.effectBlock) break;
            enc -= uint64(uint128(-a.pendingDiff));
        }
    }

    /// @notice Magnitude the operator can still allocate: max - encumbered.
    function getAllocatableMagnitude(address operator, IStrategy strategy) external view returns (uint64) {
        return getMaxMagnitude(operator, strategy) - getEncumberedMagnitude(operator, strategy);
    }

    /// @notice The allocation as of now (pending changes past their effect block applied).
    function getAllocation(address operator, OperatorSet memory set, IStrategy strategy)
        public
        view
        returns (Allocation memory a)
    {
        a = _allocations[operator][set.key()][strategy];
        if (a.effectBlock != 0 && block.number >= a.effectBlock) {
            a.currentMagnitude = _applyDiff(a.currentMagnitude, a.pendingDiff);
            a.pendingDiff = 0;
            a.effectBlock = 0;
        }
    }

    /// @notice Sets `operator` ever allocated to in `strategy`.
    function getAllocatedSets(address operator, IStrategy strategy)
        external
        view
        returns (OperatorSet[] memory sets)
    {
        bytes32[] memory keys = _allocatedSets[operator][strategy].values();
        sets = new OperatorSet[](keys.length);
        for (uint256 i = 0; i < keys.length; ++i) {
            sets[i] = OperatorSetLib.decode(keys[i]);
        }
    }

    /// @notice Entries in the deallocation queue of (operator, strategy), including matured ones.
    function getDeallocationQueueLength(address operator, IStrategy strategy)
        external
        view
        returns (uint256)
    {
        return _deallocationQueue[operator][strategy].length();
    }

    /// @inheritdoc IAllocationManager
    function getMinimumSlashableStake(
        OperatorSet calldata set,
        address[] calldata operators,
        IStrategy[] calldata strategies,
        uint32 futureBlock
    ) external view returns (uint256[][] memory stake) {
        if (futureBlock < block.number) revert FutureBlockInPast();
        stake = new uint256[][](operators.length);
        for (uint256 i = 0; i < operators.length; ++i) {
            stake[i] = new uint256[](strategies.length);
            Registration memory reg = _registration[operators[i]][set.key()];
            if (!reg.registered && futureBlock > reg.slashableUntil) continue;
            for (uint256 j = 0; j < strategies.length; ++j) {
                Allocation memory a = getAllocation(operators[i], set, strategies[j]);
                uint64 mag = a.currentMagnitude;
                if (a.pendingDiff < 0 && a.effectBlock <= futureBlock) {
                    mag -= uint64(uint128(-a.pendingDiff));
                }
                stake[i][j] = _stake(operators[i], set, strategies[j], mag);
            }
        }
    }

    // ---------------------------------------------------------------- internals

    function _existingSet(OperatorSet memory set) internal view returns (SetInfo storage info) {
        info = _sets[set.key()];
        if (!info.exists) revert InvalidOperatorSet();
    }

    function _addStrategies(OperatorSet memory set, SetInfo storage info, IStrategy[] calldata strategies)
        internal
    {
        for (uint256 i = 0; i < strategies.length; ++i) {
            if (!info.strategies.add(address(strategies[i]))) revert StrategyAlreadyInSet(strategies[i]);
            emit StrategyAddedToOperatorSet(set, strategies[i]);
        }
    }

    function _stake(address operator, OperatorSet memory set, IStrategy strategy, uint64 mag)
        internal
        view
        returns (uint256)
    {
        if (mag == 0 || !_sets[set.key()].strategies.contains(address(strategy))) return 0;
        uint64 max = getMaxMagnitude(operator, strategy);
        return Math.mulDiv(delegationManager.operatorShares(operator, strategy), mag, max);
    }

    function _applyDiff(uint64 current, int128 diff) internal pure returns (uint64) {
        return SafeCast.toUint64(SafeCast.toUint256(int256(diff) + int256(uint256(current))));
    }

    /// @dev Loads an allocation, applying (in storage) a pending change whose effect block passed.
    function _settle(address operator, bytes32 key, IStrategy strategy)
        internal
        returns (Allocation storage a)
    {
        a = _allocations[operator][key][strategy];
        if (a.effectBlock == 0 || block.number < a.effectBlock) return a;
        if (a.pendingDiff < 0) {
            uint64 enc = _encumbered[operator][strategy] - uint64(uint128(-a.pendingDiff));
            _encumbered[operator][strategy] = enc;
            emit EncumberedMagnitudeUpdated(operator, strategy, enc);
        }
        a.currentMagnitude = _applyDiff(a.currentMagnitude, a.pendingDiff);
        a.pendingDiff = 0;
        a.effectBlock = 0;
    }

    function _clearDeallocationQueue(address operator, IStrategy strategy, uint256 max) internal {
        DoubleEndedQueue.Bytes32Deque storage q = _deallocationQueue[operator][strategy];
        for (uint256 n = 0; n < max && !q.empty(); ++n) {
            bytes32 key = q.front();
            Allocation storage a = _allocations[operator][key][strategy];
            if (a.pendingDiff < 0) {
                if (block.number < a.effectBlock) return;
                _settle(operator, key, strategy);
            }
            q.popFront();
        }
    }

    function _modify(
        address operator,
        OperatorSet memory set,
        IStrategy strategy,
        uint64 newMagnitude,
        uint32 delay,
        bool slashable,
        bool inSet
    ) internal {
        bytes32 key = set.key();
        Allocation storage a = _settle(operator, key, strategy);
        if (a.pendingDiff != 0) revert ModificationAlreadyPending();
        uint64 current = a.currentMagnitude;
        if (newMagnitude == current) revert SameMagnitude();
        uint32 effectBlock;
        if (newMagnitude > current) {
            if (!inSet) revert StrategyNotInSet(strategy);
            effectBlock = _increase(operator, strategy, a, newMagnitude - current, delay);
        } else {
            // A strategy removed from the set can no longer be slashed by it: deallocate at once.
            effectBlock = _decrease(operator, key, strategy, a, current - newMagnitude, slashable && inSet);
        }
        _allocatedSets[operator][strategy].add(key);
        emit AllocationUpdated(operator, set, strategy, newMagnitude, effectBlock);
    }

    function _increase(address operator, IStrategy strategy, Allocation storage a, uint64 diff, uint32 delay)
        internal
        returns (uint32 effectBlock)
    {
        uint64 enc = _encumbered[operator][strategy];
        uint64 free = getMaxMagnitude(operator, strategy) - enc;
        if (diff > free) revert InsufficientMagnitude(diff, free);
        _setEncumbered(operator, strategy, enc + diff);
        a.pendingDiff = int128(uint128(diff));
        effectBlock = uint32(block.number) + delay;
        a.effectBlock = effectBlock;
    }

    function _decrease(
        address operator,
        bytes32 key,
        IStrategy strategy,
        Allocation storage a,
        uint64 diff,
        bool slashable
    ) internal returns (uint32 effectBlock) {
        if (slashable) {
            a.pendingDiff = -int128(uint128(diff));
            effectBlock = uint32(block.number) + DEALLOCATION_DELAY + 1;
            a.effectBlock = effectBlock;
            _deallocationQueue[operator][strategy].pushBack(key);
        } else {
            _setEncumbered(operator, strategy, _encumbered[operator][strategy] - diff);
            a.currentMagnitude -= diff;
            effectBlock = uint32(block.number);
        }
    }

    function _setEncumbered(address operator, IStrategy strategy, uint64 enc) internal {
        _encumbered[operator][strategy] = enc;
        emit EncumberedMagnitudeUpdated(operator, strategy, enc);
    }

    function _slash(
        address operator,
        OperatorSet memory set,
        uint256 slashId,
        IStrategy strategy,
        uint256 wad
    ) internal returns (uint256 shares) {
        Allocation storage a = _settle(operator, set.key(), strategy);
        if (a.currentMagnitude == 0) return 0;
        uint64 slashed = uint64(Math.mulDiv(a.currentMagnitude, wad, WAD, Math.Rounding.Ceil));
        uint64 prevMax = getMaxMagnitude(operator, strategy);
        uint64 newMax = prevMax - slashed;
        a.currentMagnitude -= slashed;
        if (a.pendingDiff < 0) {
            uint64 dec = uint64(uint128(-a.pendingDiff));
            dec -= uint64(Math.mulDiv(dec, wad, WAD, Math.Rounding.Ceil));
            a.pendingDiff = -int128(uint128(dec));
            if (dec == 0) a.effectBlock = 0;
        }
        uint64 enc = _encumbered[operator][strategy] - slashed;
        _encumbered[operator][strategy] = enc;
        _magnitudeLost[operator][strategy].push(block.number, WAD - newMax);
        emit AllocationUpdated(operator, set, strategy, a.currentMagnitude, a.effectBlock);
        emit EncumberedMagnitudeUpdated(operator, strategy, enc);
        emit MaxMagnitudeUpdated(operator, strategy, newMax);
        shares = delegationManager.slashOperatorShares(operator, set, slashId, strategy, prevMax, newMax);
    }
}
