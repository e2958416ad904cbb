// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IAllocationManager} from "../../src/interfaces/IAllocationManager.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IStrategy} from "../../src/interfaces/IStrategy.sol";
import {OperatorSet} from "../../src/interfaces/OperatorSet.sol";
import {CoreBase} from "../core/CoreBase.sol";
import {TestToken} from "../core/mocks/TestToken.sol";
import {ModelRegistry} from "../../src/avs/ModelRegistry.sol";
import {OperatorRegistry} from "../../src/avs/OperatorRegistry.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {RequestParams, Job, Claim} from "../../src/avs/CoordinatorTypes.sol";
import {MerkleLib} from "../../src/avs/dispute/MerkleLib.sol";

/// @notice The real restaking core plus Sigil's registries and Coordinator, with staked operators.
abstract contract AvsBase is CoreBase {
    uint32 internal constant SET_ID = 7;
    bytes32 internal constant MODEL = keccak256("fashion-mnist-cnn-int8");
    uint96 internal constant PRICE = 1 ether;
    uint96 internal constant ROYALTY = 0.1 ether;
    uint16 internal constant FEE_BIPS = 500;
    uint32 internal constant WINDOW = 1 hours;
    uint256 internal constant STAKE = 100 ether;

    address internal treasury = makeAddr("treasury");
    address internal creator = makeAddr("creator");
    address internal market = makeAddr("proofMarket");
    address internal alice = makeAddr("alice");
    ModelRegistry internal models;
    OperatorRegistry internal registry;
    Coordinator internal coord;
    TestToken internal pay;
    address[] internal nodes;

    function setUp() public virtual override {
        super.setUp();
        vm.warp(1_700_000_000);
        pay = new TestToken("PAY");
        models = new ModelRegistry(owner);
        registry = new OperatorRegistry(owner, am);
        coord = new Coordinator(owner, am, sm, rc, models, registry, SET_ID, treasury);
        IStrategy[] memory strats = new IStrategy[](3);
        for (uint256 i = 0; i < 3; ++i) {
            strats[i] = strategies[i];
        }
        vm.startPrank(owner);
        registry.initialize(address(coord), SET_ID);
        registry.setMinimumStake(strategies[0], 10 ether);
        coord.initializeAVS("ipfs://sigil", strats, strategies[0]);
        coord.setFeeBips(FEE_BIPS);
        coord.setChallengeWindow(WINDOW);
        models.setProofMarket(market);
        vm.stopPrank();
        _installProofMarket();
        uint32[] memory shape = new uint32[](1);
        shape[0] = 10;
        vm.startPrank(creator);
        _commitModel(MODEL);
        models.registerModel(MODEL, "ipfs://model", shape, shape, true);
        models.setRoyalty(MODEL, _pay(), ROYALTY);
        vm.stopPrank();
        for (uint256 i = 0; i < 4; ++i) {
            nodes.push(_stakedNode(string.concat("node", vm.toString(i)), STAKE, PRICE));
        }
    }

    /// @dev Names the Coordinator's proof market (set once): a plain address here, the real
    ///      DisputeGame in DisputeBase.
    function _installProofMarket() internal virtual {
        vm.prank(owner);
        coord.setProofMarket(market);
    }

    /// @dev The caller (pranked) commits to registering `root` and a block passes.
    function _commitModel(bytes32 root) internal {
        models.commitModel(models.registrationCommitment(root, creator));
        vm.roll(block.number + 1);
    }

    function _pay() internal view returns (IERC20) {
        return IERC20(address(pay));
    }

    /// @dev A k = 1 request on input 0x01 that nodes[0] answered with claim 1.
    function _answered() internal returns (bytes32 id, Job memory job) {
        (id, job) = _request(_params(1), hex"01");
        vm.prank(nodes[0]);
        coord.deliver(id, job, _claim(1));
    }

    function _set() internal view returns (OperatorSet memory) {
        return OperatorSet(address(coord), SET_ID);
    }

    /// @dev An operator with `stake` of strategy 0 delegated to itself, fully allocated to
    ///      Sigil's set, registered with one service (MODEL, PAY, price).
    function _stakedNode(string memory name, uint256 stake, uint96 price) internal returns (address op) {
        op = makeAddr(name);
        _registerOperator(op, 0);
        _deposit(op, 0, stake);
        _allocate(op, _set(), 0, uint64(WAD));
        vm.roll(block.number + 1);
        vm.prank(op);
        am.registerForOperatorSets(
            op, IAllocationManager.RegisterParams(address(coord), _ids(SET_ID), _regData(price))
        );
    }

    function _regData(uint96 price) internal view returns (bytes memory) {
        OperatorRegistry.Service[] memory s = new OperatorRegistry.Service[](1);
        s[0] = OperatorRegistry.Service(MODEL, _pay(), price);
        return abi.encode(OperatorRegistry.Metadata("https://node.example", "eu-west", 1, 4), s);
    }

    function _params(uint8 k) internal view returns (RequestParams memory p) {
        p.modelRoot = MODEL;
        p.token = _pay();
        p.price = PRICE;
        p.redundancy = k;
        p.callbackGasLimit = 100_000;
        p.ttl = 1 hours;
        p.commitWindow = k > 1 ? 10 minutes : 0;
        // A k = 1 request is delivered in one step only by its assigned node; the tests' usual
        // deliverer is nodes[0]. Others take the seat by commit and reveal (_deliver).
        if (k == 1) p.assigned = nodes[0];
    }

    function _job(RequestParams memory p, bytes memory input) internal view returns (Job memory) {
        return _jobFor(alice, p, input);
    }

    function _jobFor(address consumer, RequestParams memory p, bytes memory input)
        internal
        view
        returns (Job memory)
    {
        return Job(
            consumer,
            p,
            input.length == 0 ? bytes32(0) : keccak256(input),
            creator,
            ROYALTY,
            FEE_BIPS,
            WINDOW,
            uint32(block.timestamp),
            0
        );
    }

    function _cost(uint8 k) internal pure returns (uint256) {
        return uint256(k) * (PRICE + (uint256(PRICE) * FEE_BIPS) / 10_000) + ROYALTY;
    }

    function _fund(address who, uint256 amount) internal {
        pay.mint(who, amount);
        vm.prank(who);
        pay.approve(address(coord), type(uint256).max);
    }

    /// @dev alice requests `p`; returns the id and the job as emitted.
    function _request(RequestParams memory p, bytes memory input)
        internal
        returns (bytes32 id, Job memory job)
    {
        _fund(alice, coord.cost(p.price, p.redundancy, FEE_BIPS, ROYALTY));
        job = _job(p, input);
        vm.prank(alice);
        id = coord.request(p, input, "");
    }

    /// @dev A claim whose output is the one byte `label`, with its tensor root (a one-chunk tensor's
    ///      root is the chunk: the byte, zero-padded).
    function _claim(uint8 label) internal pure returns (Claim memory c) {
        c.output = abi.encodePacked(label);
        c.outputRoot = bytes32(bytes1(label));
        c.traceRoot = keccak256(abi.encodePacked("trace", label));
        c.steps = 12;
    }

    /// @dev The tensor root of `data` (docs/commitments.md §tensor root): the padded Merkle tree
    ///      over its zero-padded 32-byte chunks.
    function _tensorRoot(bytes memory data) internal pure returns (bytes32) {
        bytes32[] memory leaves = new bytes32[]((data.length + 31) / 32);
        for (uint256 i = 0; i < data.length; ++i) {
            leaves[i / 32] |= bytes32(data[i]) >> (8 * (i % 32));
        }
        return MerkleLib.rootOf(leaves);
    }

    /// @dev `c` with output bytes `output` and their root, as the Coordinator accepts them.
    function _withOutput(Claim memory c, bytes memory output) internal pure returns (Claim memory) {
        c.output = output;
        c.outputRoot = _tensorRoot(output);
        return c;
    }

    /// @dev ops[i] commits claims[i] (seat i), then every seat reveals, in seat order.
    function _seat(bytes32 id, Job memory job, address[2] memory ops, Claim[2] memory claims) internal {
        for (uint8 i = 0; i < 2; ++i) {
            _commit(id, job, ops[i], claims[i]);
        }
        for (uint8 i = 0; i < 2; ++i) {
            _reveal(id, job, i, ops[i], claims[i]);
        }
    }

    function _seat(bytes32 id, Job memory job, address[3] memory ops, Claim[3] memory claims) internal {
        for (uint8 i = 0; i < 3; ++i) {
            _commit(id, job, ops[i], claims[i]);
        }
        for (uint8 i = 0; i < 3; ++i) {
            _reveal(id, job, i, ops[i], claims[i]);
        }
    }

    /// @dev `op` answers k = 1 request `id` with `c`: in one step when it is the assigned node,
    ///      otherwise by taking the seat with a commitment and revealing.
    function _deliver(bytes32 id, Job memory job, address op, Claim memory c) internal {
        if (job.params.assigned == op) {
            vm.prank(op);
            coord.deliver(id, job, c);
            return;
        }
        _commit(id, job, op, c);
        _reveal(id, job, 0, op, c);
    }

    function _commit(bytes32 id, Job memory job, address op, Claim memory c) internal {
        bytes32 salt = keccak256(abi.encode(op, "salt"));
        bytes32 commitment = coord.commitmentOf(id, op, coord.hashClaim(c), salt);
        vm.prank(op);
        coord.commit(id, job, commitment);
    }

    function _reveal(bytes32 id, Job memory job, uint8 seat, address op, Claim memory c) internal {
        bytes32 salt = keccak256(abi.encode(op, "salt"));
        vm.prank(op);
        coord.reveal(id, job, seat, c, salt);
    }
}
