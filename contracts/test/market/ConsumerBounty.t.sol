// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {MarketBase} from "./MarketBase.sol";
import {RecordingConsumer} from "../avs/mocks/Consumers.sol";
import {RequestParams, Job, Claim, Status} from "../../src/avs/CoordinatorTypes.sol";
import {ProofMarket} from "../../src/avs/dispute/ProofMarket.sol";
import {FashionClassifier} from "../../src/consumer/FashionClassifier.sol";
import {SigilConsumer} from "../../src/consumer/SigilConsumer.sol";

/// @notice A consumer contract attaches a bounty in its request's own transaction
///         (SigilConsumer._requestInferenceWithBounty), so no operator can answer first.
contract ConsumerBountyTest is MarketBase {
    RecordingConsumer internal c;
    address internal v1;

    function setUp() public override {
        super.setUp();
        v1 = _registerVerifier("verifier1", 2 ether);
        vm.roll(block.number + 1);
        c = new RecordingConsumer(coord);
        pay.mint(address(c), _cost(1) + FEE);
        c.approve(address(pay));
    }

    function test_requestAndBountyInOneTransaction() public {
        RequestParams memory p = _params(1);
        bytes32 id = c.requestWithBounty(p, "img", pm, FULL, FEE, VERIFY_WINDOW);
        Job memory job = _jobFor(address(c), p, "img");
        assertEq(coord.jobHash(id), keccak256(abi.encode(job)));
        ProofMarket.Bounty memory b = pm.getBounty(id);
        assertEq(uint8(b.state), uint8(ProofMarket.State.Posted));
        assertEq(b.consumer, address(c));
        assertEq(b.fee, FEE);
        assertEq(b.pWad, FULL);
        assertEq(b.verifyWindow, VERIFY_WINDOW);
        assertEq(pay.balanceOf(address(pm)), FEE);
        assertEq(pay.balanceOf(address(c)), 0);
        // The approval was exactly the fee: nothing left for the market to pull later.
        assertEq(pay.allowance(address(c), address(pm)), 0);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Open));
    }

    /// Terms the market refuses revert the request too: no escrow taken, no request opened.
    function test_refusedTermsRevertTheRequest() public {
        RequestParams memory p = _params(1);
        uint256 before = pay.balanceOf(address(c));
        vm.expectRevert(ProofMarket.ZeroFee.selector);
        c.requestWithBounty(p, "img", pm, FULL, 0, VERIFY_WINDOW);
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.InvalidVerifyWindow.selector, uint32(1)));
        c.requestWithBounty(p, "img", pm, FULL, FEE, 1);
        vm.expectRevert(abi.encodeWithSelector(ProofMarket.InvalidProbability.selector, uint64(0)));
        c.requestWithBounty(p, "img", pm, 0, FEE, VERIFY_WINDOW);
        assertEq(pay.balanceOf(address(c)), before);
        assertEq(pay.balanceOf(address(pm)), 0);
    }

    /// The example consumer's verified classification: owner only, then the whole bounty path
    /// (arm, draw, attest, resolve) pays the verifier.
    function test_fashionClassifierVerifiedClassification() public {
        FashionClassifier fc = new FashionClassifier(coord, _params(1));
        pay.mint(address(fc), _cost(1) + FEE);
        bytes memory image = new bytes(fc.IMAGE_BYTES());
        vm.prank(alice);
        vm.expectRevert(FashionClassifier.NotOwner.selector);
        fc.classifyVerified(1, image, pm, FULL, FEE, VERIFY_WINDOW);
        vm.expectRevert(abi.encodeWithSelector(FashionClassifier.BadImage.selector, uint256(3)));
        fc.classifyVerified(1, "img", pm, FULL, FEE, VERIFY_WINDOW);

        bytes32 id = fc.classifyVerified(7, image, pm, FULL, FEE, VERIFY_WINDOW);
        assertEq(fc.itemOf(id), 7);
        Job memory job = _jobFor(address(fc), _params(1), image);
        Claim memory cl = _claim(1);
        assertEq(_deliverAndDraw(id, job, nodes[0], cl), v1);
        vm.prank(v1);
        pm.attest(id);
        vm.warp(coord.getRequest(id).finalAt);
        pm.resolve(id);
        assertEq(pm.credits(v1, _pay()), FEE);
        assertEq(fc.labelOf(7), 1);
    }
}
