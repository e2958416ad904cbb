// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {console} from "forge-std/console.sol";
import {Vm} from "forge-std/Vm.sol";
import {AvsBase} from "./AvsBase.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {LabelConsumer} from "./mocks/Consumers.sol";
import {FashionClassifier} from "../../src/consumer/FashionClassifier.sol";
import {RequestParams, Job, Claim, SubscriptionTerms} from "../../src/avs/CoordinatorTypes.sol";

/// @notice Transaction gas of the main flows as a node or consumer pays it: every top-level call
///         is its own transaction (isolate mode), so accounts and slots start cold. Numbers go to
///         the README's gas table; the assertion guards against regressions.
/// forge-config: default.isolate = true
contract AvsFlowGas is AvsBase {
    FashionClassifier internal fc;
    LabelConsumer internal lc;
    bytes internal image;
    bytes internal small = hex"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    function setUp() public override {
        super.setUp();
        fc = new FashionClassifier(coord, _params(1));
        pay.mint(address(fc), 1_000 ether);
        lc = new LabelConsumer(coord, address(pay));
        pay.mint(address(lc), 1_000 ether);
        image = new bytes(784);
        for (uint256 i = 0; i < 784; ++i) {
            image[i] = bytes1(uint8(i * 7 + 1));
        }
        // Warm the steady state: balances, counters and reward-token lists already non-zero.
        _flowK1(image, 1);
        (,, bytes32 id, Job memory job, Claim memory c) = _flowSmall();
        vm.warp(block.timestamp + WINDOW);
        coord.settle(id, job, c);
        vm.warp(block.timestamp + WINDOW);
    }

    /// @dev Each top-level call runs as its own transaction (isolate mode), so every account and
    ///      slot starts cold as on chain; nothing to do here.
    function _cool() internal {}

    /// @dev In isolate mode the last call's gasTotalUsed is the whole transaction's gas: intrinsic
    ///      21000, calldata, cold accesses and execution, net of refunds (test_gas_calibration: an
    ///      ERC20 approve from zero reads 46294, as on chain). `data` is unused, kept for the record.
    function _txGas(bytes memory data) internal view returns (uint256) {
        data;
        return vm.lastCallGas().gasTotalUsed;
    }

    function _flowK1(bytes memory input, uint8 label)
        internal
        returns (uint256 req, uint256 del, bytes32 id, Job memory job, Claim memory c)
    {
        job = _jobFor(address(fc), _params(1), input);
        bytes memory reqData = abi.encodeCall(FashionClassifier.classify, (label, input, nodes[0]));
        _cool();
        id = fc.classify(label, input, nodes[0]);
        req = _txGas(reqData);
        c = _withOutput(_claim(0), hex"01020304057f060708f0");
        c.inputRoot = keccak256(input);
        bytes memory delData = abi.encodeCall(Coordinator.deliver, (id, job, c));
        _cool();
        vm.prank(nodes[0]);
        coord.deliver(id, job, c);
        del = _txGas(delData);
    }

    function _flowSmall()
        internal
        returns (uint256 req, uint256 del, bytes32 id, Job memory job, Claim memory c)
    {
        RequestParams memory p = _params(1);
        p.assigned = nodes[1];
        job = _jobFor(address(lc), p, small);
        _cool();
        id = lc.request(p, small);
        req = _txGas(abi.encodeCall(LabelConsumer.request, (p, small)));
        c = _claim(7);
        c.inputRoot = keccak256(small);
        _cool();
        vm.prank(nodes[1]);
        coord.deliver(id, job, c);
        del = _txGas(abi.encodeCall(Coordinator.deliver, (id, job, c)));
        assertEq(lc.labelPlusOne(id), 8);
    }

    function test_gas_k1_requestDeliverCallback() public {
        (uint256 req, uint256 del, bytes32 id0, Job memory job0, Claim memory c0) = _flowSmall();
        console.log("request k=1, 32-byte input, via consumer", req);
        console.log("deliver k=1 with callback, the node's first claim ever", del);
        console.log("request + deliver, 32-byte input, first claim", req + del);
        // Every later claim of a node writes its (never cleared) open-claims slot warm.
        vm.warp(block.timestamp + WINDOW);
        coord.settle(id0, job0, c0);
        (req, del,,,) = _flowSmall();
        console.log("deliver k=1 with callback", del);
        console.log("request + deliver, 32-byte input", req + del);
        // 237,602 before the delivering node's live stake check (getMinimumSlashableStake, about
        // 30k) and its open-claims count (5k warm) were added (contracts/README.md §Threat model).
        assertLt(req + del, 290_000);
        (req, del,,,) = _flowK1(image, 3);
        console.log("request k=1, 784-byte image, via consumer", req);
        console.log("deliver k=1 with callback (784-byte image job)", del);
        console.log("request + deliver, 784-byte image", req + del);
    }

    /// An unassigned k = 1 request: the answering node takes the seat by commit and reveals
    ///      (a one-step delivery is the assigned node's alone, so no answer is copied from the
    ///      mempool).
    function test_gas_k1_unassignedCommitReveal() public {
        RequestParams memory p = _params(1);
        p.assigned = address(0);
        Job memory job = _jobFor(address(lc), p, small);
        uint256 req;
        bytes32 id = lc.request(p, small);
        req = _txGas(abi.encodeCall(LabelConsumer.request, (p, small)));
        Claim memory c = _claim(7);
        c.inputRoot = keccak256(small);
        bytes32 salt = keccak256(abi.encode(nodes[1], "salt"));
        bytes32 commitment = coord.commitmentOf(id, nodes[1], coord.hashClaim(c), salt);
        _cool();
        vm.prank(nodes[1]);
        coord.commit(id, job, commitment);
        uint256 com = _txGas(abi.encodeCall(Coordinator.commit, (id, job, commitment)));
        _cool();
        vm.prank(nodes[1]);
        coord.reveal(id, job, 0, c, salt);
        uint256 rev = _txGas(abi.encodeCall(Coordinator.reveal, (id, job, 0, c, salt)));
        assertEq(lc.labelPlusOne(id), 8);
        console.log("commit k=1 (unassigned)", com);
        console.log("reveal k=1 with callback (unassigned)", rev);
        console.log("request + commit + reveal, 32-byte input (unassigned)", req + com + rev);
    }

    function test_gas_k1_fromCredit() public {
        pay.mint(address(this), 100 ether);
        pay.approve(address(coord), type(uint256).max);
        coord.deposit(address(lc), _pay(), 50 ether);
        (uint256 req, uint256 del,,,) = _flowSmall();
        console.log("request k=1, 32-byte input, escrow from prepaid credit", req);
        console.log("request (credit) + deliver, 32-byte input", req + del);
    }

    function test_gas_calibration() public {
        pay.approve(address(coord), 5);
        console.log("calibration: ERC20 approve, lastCallGas.gasTotalUsed", vm.lastCallGas().gasTotalUsed);
    }

    function test_gas_settle_k1() public {
        (,, bytes32 id, Job memory job, Claim memory c) = _flowSmall();
        vm.warp(block.timestamp + WINDOW);
        _cool();
        coord.settle(id, job, c);
        console.log("settle k=1", _txGas(abi.encodeCall(Coordinator.settle, (id, job, c))));
    }

    function test_gas_commitReveal_k3() public {
        RequestParams memory p = _params(3);
        (bytes32 id, Job memory job) = _request(p, small);
        Claim memory c = _claim(5);
        for (uint8 i = 0; i < 3; ++i) {
            bytes32 commitment =
                coord.commitmentOf(id, nodes[i], coord.hashClaim(c), keccak256(abi.encode(nodes[i], "salt")));
            _cool();
            vm.prank(nodes[i]);
            coord.commit(id, job, commitment);
            console.log(
                "commit k=3, seat", i, _txGas(abi.encodeCall(Coordinator.commit, (id, job, commitment)))
            );
        }
        for (uint8 i = 0; i < 3; ++i) {
            bytes32 salt = keccak256(abi.encode(nodes[i], "salt"));
            _cool();
            vm.prank(nodes[i]);
            coord.reveal(id, job, i, c, salt);
            console.log(
                "reveal k=3, seat", i, _txGas(abi.encodeCall(Coordinator.reveal, (id, job, i, c, salt)))
            );
        }
        vm.warp(block.timestamp + WINDOW);
        _cool();
        coord.settle(id, job, c);
        console.log("settle k=3", _txGas(abi.encodeCall(Coordinator.settle, (id, job, c))));
    }

    function test_gas_subscriptionInterval() public {
        uint256 subId = fc.subscribe(keccak256("root"), "ipfs://img", 1 days, 3);
        RequestParams memory p = _params(1);
        p.inputRoot = keccak256("root");
        SubscriptionTerms memory t = SubscriptionTerms(p, bytes32(0), creator, ROYALTY, FEE_BIPS, 1 days);
        coord.trigger(subId, t);
        vm.warp(block.timestamp + 1 days);
        _cool();
        coord.trigger(subId, t);
        console.log("subscription interval trigger", _txGas(abi.encodeCall(Coordinator.trigger, (subId, t))));
    }

    /// The refuting slash of an answer called back at once, with the correction callback to a
    /// consumer using the SDK's default hook (one fresh slot, one event), against the same slash
    /// of an answer without a callback (same node, same state: each measured from one snapshot).
    function test_gas_slashWithCorrection() public {
        (,, bytes32 id, Job memory job,) = _flowSmall();
        RequestParams memory p = _params(1);
        p.callbackGasLimit = 0;
        p.assigned = nodes[1];
        Job memory job2 = _jobFor(address(lc), p, small);
        bytes32 id2 = lc.request(p, small);
        vm.prank(nodes[1]);
        coord.deliver(id2, job2, _claim(7));
        uint256 snap = vm.snapshotState();
        bytes memory data = abi.encodeCall(Coordinator.slashOperator, (id, job, nodes[1], 0.5e18));
        _cool();
        vm.prank(market);
        coord.slashOperator(id, job, nodes[1], 0.5e18);
        uint256 with_ = _txGas(data);
        assertEq(uint8(lc.corrected(id)), 7); // Status.Refuted
        vm.revertToState(snap);
        data = abi.encodeCall(Coordinator.slashOperator, (id2, job2, nodes[1], 0.5e18));
        _cool();
        vm.prank(market);
        coord.slashOperator(id2, job2, nodes[1], 0.5e18);
        uint256 without = _txGas(data);
        console.log("refuting slash, 3 strategies, with correction callback", with_);
        console.log("refuting slash, 3 strategies, no callback", without);
    }
}
