// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Vm} from "forge-std/Vm.sol";
import {console} from "forge-std/console.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {MarketBase} from "./MarketBase.sol";
import {TensorRootHarness} from "../dispute/ClaimIntegrity.t.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {CoordinatorAdmin} from "../../src/avs/CoordinatorAdmin.sol";
import {Job, Claim, Status} from "../../src/avs/CoordinatorTypes.sol";
import {DisputeGame} from "../../src/avs/dispute/DisputeGame.sol";
import {TraceGame} from "../../src/avs/dispute/TraceGame.sol";
import {OffchainClaims} from "../../src/avs/dispute/OffchainClaims.sol";
import {SignedClaimHarness} from "../dispute/SignedClaim.t.sol";

/// @notice Off-chain signed claims brought on chain (OffchainClaims.adopt) become answered k = 1
///         requests at no price that DisputeGame disputes like any delivered answer.
contract OffchainClaimsTest is MarketBase {
    OffchainClaims internal oc;
    TensorRootHarness internal roots;
    SignedClaimHarness internal digests;
    uint256 internal nodeKey;
    bytes internal constant INPUT = "an input tensor of some bytes, longer than one chunk of 32";

    function setUp() public override {
        super.setUp();
        oc = game.offchainClaims();
        roots = new TensorRootHarness();
        digests = new SignedClaimHarness();
        (, nodeKey) = makeAddrAndKey("node0");
    }

    /// A 12-step claim on INPUT (its inputRoot the input's tensor root).
    function _signedClaim(uint8 label) internal view returns (Claim memory c) {
        c = _claim(label);
        c.inputRoot = roots.root(INPUT);
    }

    function _sign(uint256 key, Claim memory c, uint64 until) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(key, digests.digest(MODEL, c, until, block.chainid, address(coord)));
        return abi.encodePacked(r, s, v);
    }

    /// alice adopts node0's signed claim; returns the request id and the job as emitted.
    function _adopt(Claim memory c, uint64 until) internal returns (bytes32 id, Job memory job) {
        bytes memory sig = _sign(nodeKey, c, until);
        vm.recordLogs();
        vm.prank(alice);
        id = oc.adopt(MODEL, c, until, INPUT, sig);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] == OffchainClaims.ClaimAdopted.selector) {
                assertEq(logs[i].topics[1], id);
                assertEq(address(uint160(uint256(logs[i].topics[2]))), nodes[0]);
                (job,,) = abi.decode(logs[i].data, (Job, Claim, bytes));
                return (id, job);
            }
        }
        revert("no ClaimAdopted");
    }

    function test_adoptedClaimIsAnAnsweredRequestOfItsSigner() public {
        Claim memory c = _signedClaim(1);
        uint64 until = uint64(block.timestamp + 1 days);
        (bytes32 id, Job memory job) = _adopt(c, until);
        Coordinator.Request memory r = coord.getRequest(id);
        assertEq(uint8(r.status), uint8(Status.Answered));
        assertEq(r.seat0, nodes[0]);
        assertEq(r.k, 1);
        assertEq(r.finalAt, until);
        assertEq(coord.answerOf(id), coord.hashClaim(c));
        assertEq(coord.jobHash(id), keccak256(abi.encode(job)));
        assertEq(job.consumer, alice);
        assertEq(job.params.assigned, nodes[0]);
        assertEq(job.params.price, 0);
        assertEq(job.params.inputRoot, c.inputRoot);
        assertEq(job.inputHash, keccak256(INPUT));
        assertTrue(job.params.afterWindow);
        assertEq(job.params.callbackGasLimit, 0);
        bytes32 d = digests.digest(MODEL, c, until, block.chainid, address(coord));
        assertEq(oc.adopted(d), id);
    }

    function test_wrongAdoptedClaimIsRefutedAndItsSignerSlashed() public {
        Claim memory c = _signedClaim(1);
        (bytes32 id, Job memory job) = _adopt(c, uint64(block.timestamp + 1 days));
        uint256 before = game.terms().slashableStake(nodes[0]);
        _refuteByTimeout(id, job, c, nodes[0], challenger);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Refuted));
        assertTrue(coord.slashed(id, nodes[0]));
        // No price and no declared value: the protocol minimum.
        assertEq(game.terms().slashableStake(nodes[0]), before - (before * SLASH_WAD) / 1e18);
        assertEq(game.refutedBy(id), challenger);
        // The slashed stake goes to the treasury: neither the adopter nor the challenger (either may
        // be the signer itself) gets any of it, so adopting first gains nothing.
        IERC20 t = strategies[0].underlyingToken();
        assertEq(coord.credits(alice, t), 0);
        assertEq(coord.credits(challenger, t), 0);
        assertEq(coord.credits(treasury, t), before - game.terms().slashableStake(nodes[0]));
    }

    function test_honestAdoptedClaimSurvivesAndSettlesForNothing() public {
        Claim memory c = _signedClaim(1);
        uint64 until = uint64(block.timestamp + 1 days);
        (bytes32 id, Job memory job) = _adopt(c, until);
        uint256 before = game.terms().slashableStake(nodes[0]);
        _loseDispute(id, job, c, nodes[0], challenger);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Answered));
        assertEq(bondToken.balanceOf(nodes[0]), BOND);
        vm.expectRevert(Coordinator.NotDue.selector);
        coord.settle(id, job, c);
        vm.warp(until);
        coord.settle(id, job, c);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Settled));
        assertEq(game.terms().slashableStake(nodes[0]), before);
    }

    /// Challenges open only before the claim's disputeUntil.
    function test_challengeAfterDisputeUntilRefused() public {
        Claim memory c = _signedClaim(1);
        uint64 until = uint64(block.timestamp + 1 hours);
        (bytes32 id, Job memory job) = _adopt(c, until);
        vm.warp(until);
        bondToken.mint(challenger, BOND);
        vm.startPrank(challenger);
        bondToken.approve(address(game), BOND);
        vm.expectRevert(DisputeGame.WindowClosed.selector);
        game.challenge(id, job, c, nodes[0]);
        vm.stopPrank();
    }

    /// The adopted input is the one the claim commits to, so an honest signer can never lose the
    /// input-root proof with other bytes.
    function test_inputProofCannotRefuteAnAdoptedClaim() public {
        Claim memory c = _signedClaim(1);
        (bytes32 id, Job memory job) = _adopt(c, uint64(block.timestamp + 1 days));
        vm.expectRevert(TraceGame.NoMismatch.selector);
        game.proveInputMismatch(id, job, c, nodes[0], INPUT);
        vm.expectRevert(DisputeGame.NotTheInput.selector);
        game.proveInputMismatch(id, job, c, nodes[0], "other bytes");
    }

    function test_sameSignedClaimAdoptedOnce() public {
        Claim memory c = _signedClaim(1);
        uint64 until = uint64(block.timestamp + 1 days);
        (bytes32 id,) = _adopt(c, until);
        bytes memory sig = _sign(nodeKey, c, until);
        vm.expectRevert(abi.encodeWithSelector(OffchainClaims.AlreadyAdopted.selector, id));
        oc.adopt(MODEL, c, until, INPUT, sig);
        // Another disputeUntil is another signed claim.
        sig = _sign(nodeKey, c, until + 1);
        oc.adopt(MODEL, c, until + 1, INPUT, sig);
    }

    function test_refusals() public {
        Claim memory c = _signedClaim(1);
        uint64 until = uint64(block.timestamp + 1 days);
        bytes memory sig = _sign(nodeKey, c, until);

        uint64 nowT = uint64(block.timestamp);
        bytes memory nowSig = _sign(nodeKey, c, nowT);
        vm.expectRevert(OffchainClaims.DisputePeriodOver.selector);
        oc.adopt(MODEL, c, nowT, INPUT, nowSig);
        uint64 far = uint64(type(uint32).max) + 1;
        bytes memory farSig = _sign(nodeKey, c, far);
        vm.expectRevert(OffchainClaims.DisputePeriodOver.selector);
        oc.adopt(MODEL, c, far, INPUT, farSig);

        (address stranger, uint256 strangerKey) = makeAddrAndKey("stranger");
        bytes memory strangerSig = _sign(strangerKey, c, until);
        vm.expectRevert(abi.encodeWithSelector(OffchainClaims.NotAnOperator.selector, stranger));
        oc.adopt(MODEL, c, until, INPUT, strangerSig);

        // The signature binds every field: another claim recovers another (unregistered) signer.
        Claim memory other = _signedClaim(2);
        vm.expectRevert();
        oc.adopt(MODEL, other, until, INPUT, sig);
    }

    function test_inputAndStepsRefusals() public {
        Claim memory c = _signedClaim(1);
        uint64 until = uint64(block.timestamp + 1 days);
        bytes memory sig = _sign(nodeKey, c, until);
        vm.expectRevert(OffchainClaims.InputNotCommitted.selector);
        oc.adopt(MODEL, c, until, "not the input", sig);
        Claim memory empty = _signedClaim(1);
        empty.inputRoot = bytes32(0);
        sig = _sign(nodeKey, empty, until);
        vm.expectRevert(OffchainClaims.InputNotCommitted.selector);
        oc.adopt(MODEL, empty, until, "", sig);

        Claim memory zero = _signedClaim(1);
        zero.steps = 0;
        sig = _sign(nodeKey, zero, until);
        vm.expectRevert(OffchainClaims.ZeroSteps.selector);
        oc.adopt(MODEL, zero, until, INPUT, sig);

        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureLength.selector, 64));
        oc.adopt(MODEL, c, until, INPUT, new bytes(64));
    }

    /// Only OffchainClaims records claims through the game, and only the game in the Coordinator.
    function test_adoptionHooksAreGuarded() public {
        vm.expectRevert(DisputeGame.NotOffchainClaims.selector);
        game.adoptClaim(bytes32(uint256(1)), nodes[0], bytes32(uint256(2)), uint32(block.timestamp + 1));
        vm.expectRevert(CoordinatorAdmin.NotProofMarket.selector);
        coord.adoptClaim(bytes32(uint256(1)), nodes[0], bytes32(uint256(2)), uint32(block.timestamp + 1));
    }

    /// An operator that left the set cannot be made to answer for a new adoption.
    function test_ejectedOperatorsClaimNotAdopted() public {
        Claim memory c = _signedClaim(1);
        uint64 until = uint64(block.timestamp + 1 days);
        bytes memory sig = _sign(nodeKey, c, until);
        vm.prank(owner);
        registry.eject(nodes[0]);
        vm.expectRevert(abi.encodeWithSelector(OffchainClaims.NotAnOperator.selector, nodes[0]));
        oc.adopt(MODEL, c, until, INPUT, sig);
    }

    /// Execution gas of one adoption (784-byte input, as a Fashion-MNIST image), printed for
    /// contracts/README.md.
    function test_gas_adopt() public {
        bytes memory input = new bytes(784);
        for (uint256 i = 0; i < input.length; ++i) {
            input[i] = bytes1(uint8(i * 7));
        }
        Claim memory c = _claim(1);
        c.inputRoot = roots.root(input);
        uint64 until = uint64(block.timestamp + 1 days);
        bytes memory sig = _sign(nodeKey, c, until);
        uint256 g = gasleft();
        oc.adopt(MODEL, c, until, input, sig);
        g -= gasleft();
        console.log("adopt (784-byte input)", g);
        assertLt(g, 300_000);
    }
}
