// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title RouterRegistry
/// @notice Routers register here with a slashable bond and sign EIP-712 assignments ("request
///         `paramsHash` of `consumer` at `coordinator` goes to `node`"). The Coordinator calls
///         `consume` when a consumer presents one: the signer must be an active router, the
///         assignment unexpired, its nonce unused; the nonce is then spent.
/// @dev Stake: a bond in one ERC20 (`bondToken`), at least `minBond`, withdrawable only
///      `unbondingDelay` seconds after the router stops routing, and slashable by `slasher` until
///      then. A bond rather than an allocation in the restaking core because the core allows one
///      registrar per AVS (the OperatorRegistry, which admits only Sigil's node set) and routers
///      are few, so a dedicated bond keeps both sets independent; the bond token can be an LST.
///      Invariants: bondToken.balanceOf(this) >= sum of bonds; a router signs for at most one
///      request per nonce; an assignment only verifies for the coordinator, chain and registry it
///      names (EIP-712 domain + `coordinator` field) and for the exact request parameters, consumer
///      and node it was signed for.
contract RouterRegistry is Ownable2Step, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice A router's record.
    /// @param bond Slashable tokens held.
    /// @param unbondingAt 0 while active; otherwise the time the bond becomes withdrawable.
    /// @param endpoint Where its REST API (`POST /route`) is served.
    struct Router {
        uint256 bond;
        uint64 unbondingAt;
        string endpoint;
    }

    bytes32 public constant ASSIGNMENT_TYPEHASH = keccak256(
        "Assignment(address consumer,bytes32 paramsHash,address node,address coordinator,uint256 nonce,uint256 deadline)"
    );
    /// @notice Upper bound of the unbonding delay.
    uint64 public constant MAX_UNBONDING_DELAY = 60 days;

    IERC20 public immutable bondToken;
    /// @notice The only caller of `consume` (set once).
    address public coordinator;
    address public slasher;
    uint256 public minBond;
    uint64 public unbondingDelay;
    mapping(address router => Router) internal _routers;
    /// @notice Spent nonces (a router may sign assignments in any order).
    mapping(address router => mapping(uint256 nonce => bool)) public nonceUsed;

    event CoordinatorSet(address coordinator);
    event SlasherSet(address slasher);
    event MinBondSet(uint256 minBond);
    event UnbondingDelaySet(uint64 delay);
    event RouterRegistered(address indexed router, string endpoint);
    event EndpointUpdated(address indexed router, string endpoint);
    event Bonded(address indexed router, uint256 amount, uint256 bond);
    event UnbondingStarted(address indexed router, uint64 withdrawableAt);
    event Withdrawn(address indexed router, address to, uint256 amount);
    event RouterSlashed(address indexed router, uint256 amount, address recipient);
    event AssignmentUsed(
        address indexed router,
        bytes32 indexed requestId,
        address indexed node,
        address consumer,
        uint256 nonce
    );
    event NonceCancelled(address indexed router, uint256 nonce);

    error ZeroAddress();
    error AlreadyInitialized();
    error NotCoordinator();
    error NotSlasher();
    error AlreadyRegistered();
    error NotRegistered();
    error BondTooLow(uint256 bond, uint256 required);
    error Unbonding();
    error NotUnbonding();
    error TooEarly(uint64 withdrawableAt);
    error DelayTooLong(uint64 delay);
    error Expired(uint256 deadline);
    error NonceUsed(address router, uint256 nonce);
    error NotActiveRouter(address signer);
    error UnsupportedToken();

    constructor(address initialOwner, IERC20 token, uint256 minBond_, uint64 delay)
        Ownable(initialOwner)
        EIP712("SigilRouterRegistry", "1")
    {
        if (address(token) == address(0)) revert ZeroAddress();
        if (delay > MAX_UNBONDING_DELAY) revert DelayTooLong(delay);
        bondToken = token;
        minBond = minBond_;
        unbondingDelay = delay;
        emit MinBondSet(minBond_);
        emit UnbondingDelaySet(delay);
    }

    // ---------------------------------------------------------------- owner

    /// @notice Names the Coordinator that may consume assignments; callable once.
    function setCoordinator(address c) external onlyOwner {
        if (coordinator != address(0)) revert AlreadyInitialized();
        if (c == address(0)) revert ZeroAddress();
        coordinator = c;
        emit CoordinatorSet(c);
    }

    /// @notice Names who may slash bonds (e.g. the proof market or governance).
    function setSlasher(address s) external onlyOwner {
        slasher = s;
        emit SlasherSet(s);
    }

    /// @notice Minimum bond of an active router; applies to every later `consume`.
    function setMinBond(uint256 amount) external onlyOwner {
        minBond = amount;
        emit MinBondSet(amount);
    }

    /// @notice Delay between `startUnbonding` and `withdraw` of later unbondings.
    function setUnbondingDelay(uint64 delay) external onlyOwner {
        if (delay > MAX_UNBONDING_DELAY) revert DelayTooLong(delay);
        unbondingDelay = delay;
        emit UnbondingDelaySet(delay);
    }

    // ---------------------------------------------------------------- routers

    /// @notice Registers the caller as a router with `amount` of bond (at least `minBond`).
    function register(string calldata endpoint, uint256 amount) external nonReentrant {
        Router storage r = _routers[msg.sender];
        if (r.bond != 0 || r.unbondingAt != 0) revert AlreadyRegistered();
        if (amount < minBond || amount == 0) revert BondTooLow(amount, minBond);
        r.endpoint = endpoint;
        emit RouterRegistered(msg.sender, endpoint);
        _bond(r, amount);
    }

    /// @notice Adds `amount` to the caller's bond (active routers only).
    function addBond(uint256 amount) external nonReentrant {
        Router storage r = _active(msg.sender);
        _bond(r, amount);
    }

    function updateEndpoint(string calldata endpoint) external {
        Router storage r = _active(msg.sender);
        r.endpoint = endpoint;
        emit EndpointUpdated(msg.sender, endpoint);
    }

    /// @notice Stops routing: assignments of the caller no longer verify, and the bond becomes
    ///         withdrawable after `unbondingDelay` (slashable until then).
    function startUnbonding() external {
        Router storage r = _active(msg.sender);
        uint64 readyAt = uint64(block.timestamp) + unbondingDelay;
        r.unbondingAt = readyAt;
        emit UnbondingStarted(msg.sender, readyAt);
    }

    /// @notice Withdraws the whole bond after the unbonding delay and forgets the router.
    function withdraw(address to) external nonReentrant {
        Router storage r = _routers[msg.sender];
        uint64 readyAt = r.unbondingAt;
        if (readyAt == 0) revert NotUnbonding();
        if (block.timestamp < readyAt) revert TooEarly(readyAt);
        uint256 amount = r.bond;
        delete _routers[msg.sender];
        emit Withdrawn(msg.sender, to, amount);
        bondToken.safeTransfer(to, amount);
    }

    /// @notice Spends `nonce` without using it (revokes an assignment the router signed).
    function cancelNonce(uint256 nonce) external {
        if (nonceUsed[msg.sender][nonce]) revert NonceUsed(msg.sender, nonce);
        nonceUsed[msg.sender][nonce] = true;
        emit NonceCancelled(msg.sender, nonce);
    }

    /// @notice Takes up to `amount` of `router`'s bond to `recipient` (slasher only), also during
    ///         unbonding. A router left below `minBond` stops verifying until it adds bond.
    function slash(address router, uint256 amount, address recipient)
        external
        nonReentrant
        returns (uint256 taken)
    {
        if (msg.sender != slasher || msg.sender == address(0)) revert NotSlasher();
        if (recipient == address(0)) revert ZeroAddress();
        Router storage r = _routers[router];
        if (r.bond == 0) revert NotRegistered();
        taken = amount < r.bond ? amount : r.bond;
        r.bond -= taken;
        emit RouterSlashed(router, taken, recipient);
        bondToken.safeTransfer(recipient, taken);
    }

    // ---------------------------------------------------------------- coordinator

    /// @notice Verifies and spends an assignment for request `requestId` (Coordinator only).
    /// @param consumer The requester; must be the one the router signed for.
    /// @param paramsHash keccak256(abi.encode(RequestParams)) of the request, which includes the
    ///        assigned node.
    /// @param node The assigned node (RequestParams.assigned).
    /// @param assignment abi.encode(uint256 nonce, uint256 deadline, bytes signature).
    /// @return router The signer.
    function consume(
        address consumer,
        bytes32 paramsHash,
        address node,
        bytes32 requestId,
        bytes calldata assignment
    ) external returns (address router) {
        if (msg.sender != coordinator || msg.sender == address(0)) revert NotCoordinator();
        (uint256 nonce, uint256 deadline, bytes memory sig) =
            abi.decode(assignment, (uint256, uint256, bytes));
        if (block.timestamp > deadline) revert Expired(deadline);
        router = ECDSA.recover(assignmentDigest(consumer, paramsHash, node, msg.sender, nonce, deadline), sig);
        if (!isActive(router)) revert NotActiveRouter(router);
        if (nonceUsed[router][nonce]) revert NonceUsed(router, nonce);
        nonceUsed[router][nonce] = true;
        emit AssignmentUsed(router, requestId, node, consumer, nonce);
    }

    // ---------------------------------------------------------------- views

    /// @notice The EIP-712 digest a router signs for an assignment.
    function assignmentDigest(
        address consumer,
        bytes32 paramsHash,
        address node,
        address coordinator_,
        uint256 nonce,
        uint256 deadline
    ) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(ASSIGNMENT_TYPEHASH, consumer, paramsHash, node, coordinator_, nonce, deadline)
            )
        );
    }

    /// @notice True when `router` may sign assignments: registered, not unbonding, bond >= minBond.
    function isActive(address router) public view returns (bool) {
        Router storage r = _routers[router];
        return r.bond != 0 && r.unbondingAt == 0 && r.bond >= minBond;
    }

    function getRouter(address router) external view returns (Router memory) {
        return _routers[router];
    }

    /// @notice The EIP-712 domain separator (chain id and this contract).
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ---------------------------------------------------------------- internals

    function _active(address router) internal view returns (Router storage r) {
        r = _routers[router];
        if (r.bond == 0 && r.unbondingAt == 0) revert NotRegistered();
        if (r.unbondingAt != 0) revert Unbonding();
    }

    /// @dev Pulls exactly `amount`; fee-on-transfer tokens are refused.
    function _bond(Router storage r, uint256 amount) internal {
        uint256 before = bondToken.balanceOf(address(this));
        bondToken.safeTransferFrom(msg.sender, address(this), amount);
        if (bondToken.balanceOf(address(this)) - before != amount) revert UnsupportedToken();
        r.bond += amount;
        emit Bonded(msg.sender, amount, r.bond);
    }
}
