// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {IAVSRegistrar} from "../interfaces/IAVSRegistrar.sol";
import {IAllocationManager} from "../interfaces/IAllocationManager.sol";
import {IStrategy} from "../interfaces/IStrategy.sol";
import {OperatorSet} from "../interfaces/OperatorSet.sol";

/// @notice The count of an operator's disputable claims, kept by Sigil's AVS (the Coordinator).
interface IOpenClaims {
    function openClaims(address operator) external view returns (uint256);
    function proofMarket() external view returns (address);
    function seatOf(bytes32 id, uint256 seat) external view returns (address);
    function slashed(bytes32 id, address operator) external view returns (bool);
}

/// @title OperatorRegistry
/// @notice Sigil's registrar on the restaking core: vets operators joining Sigil's operator set
///         (minimum slashable stake) and keeps what routers and nodes need about them: endpoint,
///         region, hardware class, capacity, and the models served with a price per call and
///         payment token. Also counts faults the Coordinator records.
/// @dev Invariants: an operator is `active` iff it is a member of Sigil's set in the
///      AllocationManager (both change in the same transaction, the core calling us after its own
///      update); services are only changed by their operator; faults only by the AVS and its proof market; an operator
///      with a claim that can still be disputed (Coordinator.openClaims) can neither leave the set
///      nor be ejected, so it stays slashable until every claim of it is final; an operator has
///      at most MAX_SERVICES services, which bounds the work of removing it.
contract OperatorRegistry is IAVSRegistrar, Ownable2Step {
    using EnumerableSet for EnumerableSet.AddressSet;
    using EnumerableSet for EnumerableSet.Bytes32Set;

    /// @notice Self-description of an operator.
    /// @param hardwareClass Free-form class id (e.g. 0 = CPU, 1 = GPU); routers filter on it.
    /// @param capacity Requests the operator accepts concurrently.
    struct Metadata {
        string endpoint;
        string region;
        uint16 hardwareClass;
        uint32 capacity;
    }

    /// @notice One model served for one payment token at `price` per call.
    struct Service {
        bytes32 modelRoot;
        IERC20 token;
        uint96 price;
    }

    /// @notice Everything a router needs about one operator.
    struct OperatorView {
        address operator;
        bool active;
        uint32 faults;
        Metadata metadata;
        Service[] services;
    }

    /// @notice Most (model, token) services one operator may list.
    uint256 public constant MAX_SERVICES = 32;

    IAllocationManager public immutable allocationManager;
    /// @notice Sigil's AVS address (the Coordinator) and its operator set id, set once.
    address public avs;
    uint32 public operatorSetId;
    /// @notice Minimum slashable shares per strategy, required over the next `stakeHorizon` blocks.
    mapping(IStrategy => uint256) public minSlashableShares;
    IStrategy[] internal _stakeStrategies;
    /// @notice Blocks ahead over which the minimum stake must hold (getMinimumSlashableStake).
    uint32 public stakeHorizon;

    EnumerableSet.AddressSet internal _operators;
    mapping(address => Metadata) internal _metadata;
    mapping(address => EnumerableSet.Bytes32Set) internal _serviceKeys;
    mapping(bytes32 key => Service) internal _services;
    /// @notice Deadline misses recorded by the AVS.
    mapping(address => uint32) public faults;

    event AVSSet(address avs, uint32 operatorSetId);
    event MinimumStakeSet(IStrategy indexed strategy, uint256 shares);
    event StakeHorizonSet(uint32 blocks);
    event OperatorRegistered(address indexed operator, Metadata metadata);
    event OperatorDeregistered(address indexed operator);
    event MetadataUpdated(address indexed operator, Metadata metadata);
    event ServiceSet(address indexed operator, bytes32 indexed modelRoot, IERC20 indexed token, uint96 price);
    event ServiceRemoved(address indexed operator, bytes32 indexed modelRoot, IERC20 indexed token);
    event FaultRecorded(address indexed operator, bytes32 indexed requestId, uint32 faults);

    error AlreadyInitialized();
    error ZeroAddress();
    error NotAllocationManager();
    error WrongAVS(address avs);
    error WrongOperatorSet(uint32 operatorSetId);
    error InsufficientStake(IStrategy strategy, uint256 stake, uint256 required);
    error NotActive(address operator);
    error UnknownService();
    error NotAVS();
    error TooManyStakeStrategies();
    error TooManyServices();
    error NotServing();
    error ClaimsOpen(address operator, uint256 claims);
    error HorizonTooShort(uint32 blocks, uint32 deallocationDelay);

    constructor(address initialOwner, IAllocationManager am) Ownable(initialOwner) {
        allocationManager = am;
        stakeHorizon = am.DEALLOCATION_DELAY() + 1;
    }

    // ---------------------------------------------------------------- owner

    /// @notice Names Sigil's AVS (the Coordinator) and its set; callable once.
    function initialize(address avs_, uint32 setId) external onlyOwner {
        if (avs != address(0)) revert AlreadyInitialized();
        if (avs_ == address(0)) revert ZeroAddress();
        avs = avs_;
        operatorSetId = setId;
        emit AVSSet(avs_, setId);
    }

    /// @notice Sets the minimum slashable shares of `strategy` (0 removes the requirement).
    function setMinimumStake(IStrategy strategy, uint256 shares) external onlyOwner {
        if (minSlashableShares[strategy] == 0 && shares != 0) {
            if (_stakeStrategies.length >= 8) revert TooManyStakeStrategies();
            _stakeStrategies.push(strategy);
        }
        minSlashableShares[strategy] = shares;
        if (shares == 0) _dropStakeStrategy(strategy);
        emit MinimumStakeSet(strategy, shares);
    }

    /// @notice Sets the number of blocks ahead over which the minimum stake must hold: more than
    ///         the core's DEALLOCATION_DELAY (DEALLOCATION_DELAY + 1 is the initial value), so
    ///         that every deallocation an operator has queued (it takes effect DEALLOCATION_DELAY
    ///         + 1 blocks after it is queued) already counts against its stake when it takes a
    ///         seat (HorizonTooShort).
    function setStakeHorizon(uint32 blocks) external onlyOwner {
        uint32 delay = allocationManager.DEALLOCATION_DELAY();
        if (blocks <= delay) revert HorizonTooShort(blocks, delay);
        stakeHorizon = blocks;
        emit StakeHorizonSet(blocks);
    }

    /// @notice Removes `operator` from Sigil's set (owner only); it stays slashable for the
    ///         core's deallocation delay. This contract calls the core as the AVS's appointee for
    ///         `deregisterFromOperatorSets` (named by the Coordinator in `initializeAVS`); the core
    ///         then calls back `deregisterOperator`, which refuses while claims are open.
    function eject(address operator) external onlyOwner {
        allocationManager.deregisterFromOperatorSets(
            IAllocationManager.DeregisterParams(operator, avs, _ids())
        );
    }

    // ---------------------------------------------------------------- registrar

    /// @inheritdoc IAVSRegistrar
    /// @dev `data` = abi.encode(Metadata, Service[]). Reverts InsufficientStake when the operator's
    ///      minimum slashable stake over the next `stakeHorizon` blocks is below the minimum of any
    ///      strategy with a configured minimum.
    function registerOperator(address operator, address avs_, uint32[] calldata ids, bytes calldata data)
        external
    {
        _checkCaller(avs_, ids);
        _checkStake(operator);
        (Metadata memory meta, Service[] memory services) = abi.decode(data, (Metadata, Service[]));
        _operators.add(operator);
        _metadata[operator] = meta;
        emit OperatorRegistered(operator, meta);
        for (uint256 i = 0; i < services.length; ++i) {
            _setService(operator, services[i]);
        }
    }

    /// @inheritdoc IAVSRegistrar
    /// @dev Reverts ClaimsOpen while a claim of `operator` can still be disputed: leaving would
    ///      start the core's countdown to the end of its slashability.
    function deregisterOperator(address operator, address avs_, uint32[] calldata ids) external {
        _checkCaller(avs_, ids);
        _checkNoOpenClaims(operator);
        _deactivate(operator);
    }

    /// @inheritdoc IAVSRegistrar
    function supportsAVS(address avs_) external view returns (bool) {
        return avs_ == avs && avs_ != address(0);
    }

    // ---------------------------------------------------------------- operator

    /// @notice Replaces the caller's metadata.
    function updateMetadata(Metadata calldata meta) external {
        _requireActive(msg.sender);
        _metadata[msg.sender] = meta;
        emit MetadataUpdated(msg.sender, meta);
    }

    /// @notice Adds or reprices one served (model, token).
    function setService(Service calldata s) external {
        _requireActive(msg.sender);
        _setService(msg.sender, s);
    }

    /// @notice Stops serving (model, token).
    function removeService(bytes32 modelRoot, IERC20 token) external {
        bytes32 key = _key(msg.sender, modelRoot, token);
        if (!_serviceKeys[msg.sender].remove(key)) revert UnknownService();
        delete _services[key];
        emit ServiceRemoved(msg.sender, modelRoot, token);
    }

    // ---------------------------------------------------------------- AVS

    /// @notice Records a missed deadline of `operator` on `requestId` (AVS only).
    function recordFault(address operator, bytes32 requestId) external {
        if (msg.sender != avs) revert NotAVS();
        _fault(operator, requestId);
    }

    /// @notice Records a fault of every seat of request `requestId` (its first `seats`) not slashed
    ///         on it, when its conflict expired unresolved (the AVS's proof market only): a seat
    ///         that let it expire, or that disagreed where no game can judge (agreement-checked
    ///         requests).
    function recordExpiredConflict(bytes32 requestId, uint256 seats) external {
        if (avs == address(0) || msg.sender != IOpenClaims(avs).proofMarket()) revert NotAVS();
        for (uint256 i = 0; i < seats; ++i) {
            address op = IOpenClaims(avs).seatOf(requestId, i);
            if (!IOpenClaims(avs).slashed(requestId, op)) _fault(op, requestId);
        }
    }

    function _fault(address operator, bytes32 requestId) internal {
        uint32 n = ++faults[operator];
        emit FaultRecorded(operator, requestId, n);
    }

    // ---------------------------------------------------------------- views

    /// @notice True while `operator` is a member of Sigil's set.
    function isActive(address operator) public view returns (bool) {
        return _operators.contains(operator);
    }

    /// @notice Reverts unless `operator` may take a seat on a request for `modelRoot` paid in
    ///         `token` at `maxPrice`: active and serving it at a listed price <= maxPrice
    ///         (NotServing), with its minimum slashable stake over the next `stakeHorizon` blocks
    ///         at least the configured minimum (InsufficientStake). Checked by the Coordinator at
    ///         every delivery and commit, so an operator that deallocated or withdrew its stake
    ///         takes no new claim, and a deallocation pending within the horizon counts already.
    function checkSeat(address operator, bytes32 modelRoot, IERC20 token, uint96 maxPrice) external view {
        (bool served, uint96 price) = quote(operator, modelRoot, token);
        if (!served || price > maxPrice) revert NotServing();
        _checkStake(operator);
    }

    /// @notice Whether `operator` is active and serves `modelRoot` in `token`, and at what price.
    function quote(address operator, bytes32 modelRoot, IERC20 token)
        public
        view
        returns (bool served, uint96 price)
    {
        bytes32 key = _key(operator, modelRoot, token);
        served = _operators.contains(operator) && _serviceKeys[operator].contains(key);
        price = _services[key].price;
    }

    /// @notice Number of active operators.
    function operatorCount() external view returns (uint256) {
        return _operators.length();
    }

    /// @notice Active operators with metadata, services and faults, `limit` from `offset`.
    function getOperators(uint256 offset, uint256 limit) external view returns (OperatorView[] memory out) {
        uint256 n = _operators.length();
        uint256 end = offset >= n ? offset : (n - offset < limit ? n : offset + limit);
        out = new OperatorView[](end - offset);
        for (uint256 i = offset; i < end; ++i) {
            out[i - offset] = getOperator(_operators.at(i));
        }
    }

    /// @notice One operator's record (inactive operators keep metadata, lose services on exit).
    function getOperator(address operator) public view returns (OperatorView memory v) {
        v.operator = operator;
        v.active = _operators.contains(operator);
        v.faults = faults[operator];
        v.metadata = _metadata[operator];
        EnumerableSet.Bytes32Set storage keys = _serviceKeys[operator];
        v.services = new Service[](keys.length());
        for (uint256 i = 0; i < v.services.length; ++i) {
            v.services[i] = _services[keys.at(i)];
        }
    }

    /// @notice Strategies with a configured minimum stake.
    function getStakeStrategies() external view returns (IStrategy[] memory) {
        return _stakeStrategies;
    }

    // ---------------------------------------------------------------- internals

    function _checkCaller(address avs_, uint32[] calldata ids) internal view {
        if (msg.sender != address(allocationManager)) revert NotAllocationManager();
        if (avs_ != avs || avs_ == address(0)) revert WrongAVS(avs_);
        for (uint256 i = 0; i < ids.length; ++i) {
            if (ids[i] != operatorSetId) revert WrongOperatorSet(ids[i]);
        }
    }

    function _checkStake(address operator) internal view {
        uint256 n = _stakeStrategies.length;
        if (n == 0) return;
        address[] memory ops = new address[](1);
        ops[0] = operator;
        uint256[][] memory stake = allocationManager.getMinimumSlashableStake(
            OperatorSet(avs, operatorSetId), ops, _stakeStrategies, uint32(block.number) + stakeHorizon
        );
        for (uint256 i = 0; i < n; ++i) {
            uint256 required = minSlashableShares[_stakeStrategies[i]];
            if (stake[0][i] < required) revert InsufficientStake(_stakeStrategies[i], stake[0][i], required);
        }
    }

    function _setService(address operator, Service memory s) internal {
        bytes32 key = _key(operator, s.modelRoot, s.token);
        if (_serviceKeys[operator].add(key) && _serviceKeys[operator].length() > MAX_SERVICES) {
            revert TooManyServices();
        }
        _services[key] = s;
        emit ServiceSet(operator, s.modelRoot, s.token, s.price);
    }

    function _deactivate(address operator) internal {
        if (!_operators.remove(operator)) return;
        EnumerableSet.Bytes32Set storage keys = _serviceKeys[operator];
        for (uint256 i = keys.length(); i > 0; --i) {
            bytes32 key = keys.at(i - 1);
            delete _services[key];
            keys.remove(key);
        }
        emit OperatorDeregistered(operator);
    }

    function _dropStakeStrategy(IStrategy strategy) internal {
        uint256 n = _stakeStrategies.length;
        for (uint256 i = 0; i < n; ++i) {
            if (_stakeStrategies[i] == strategy) {
                _stakeStrategies[i] = _stakeStrategies[n - 1];
                _stakeStrategies.pop();
                return;
            }
        }
    }

    function _checkNoOpenClaims(address operator) internal view {
        uint256 n = IOpenClaims(avs).openClaims(operator);
        if (n != 0) revert ClaimsOpen(operator, n);
    }

    function _requireActive(address operator) internal view {
        if (!_operators.contains(operator)) revert NotActive(operator);
    }

    function _ids() internal view returns (uint32[] memory ids) {
        ids = new uint32[](1);
        ids[0] = operatorSetId;
    }

    function _key(address operator, bytes32 modelRoot, IERC20 token) internal pure returns (bytes32) {
        return keccak256(abi.encode(operator, modelRoot, token));
    }
}
