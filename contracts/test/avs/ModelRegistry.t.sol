// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ModelRegistry} from "../../src/avs/ModelRegistry.sol";

contract ModelRegistryTest is Test {
    ModelRegistry internal reg;
    address internal owner = makeAddr("owner");
    address internal creator = makeAddr("creator");
    address internal market = makeAddr("market");
    bytes32 internal constant ROOT = keccak256("model");
    IERC20 internal constant TOKEN = IERC20(address(0xBEEF));

    function setUp() public {
        reg = new ModelRegistry(owner);
        vm.prank(owner);
        reg.setProofMarket(market);
        vm.startPrank(creator);
        _commit(ROOT);
        reg.registerModel(ROOT, "ipfs://m", _shape(784), _shape(10), false);
        vm.stopPrank();
    }

    function _commit(bytes32 root) internal {
        reg.commitModel(reg.registrationCommitment(root, creator));
        vm.roll(block.number + 1);
    }

    /// Issue 15: registering needs a commitment from an earlier block, so whoever learns a root
    /// from a pending registration cannot register it first.
    function test_register_frontRunnerCannotTakeTheRoot() public {
        bytes32 root = keccak256("new model");
        address eve = makeAddr("eve");
        vm.prank(creator);
        reg.commitModel(reg.registrationCommitment(root, creator));
        // Eve sees the registration pending and commits in the same block: too late.
        vm.startPrank(eve);
        reg.commitModel(reg.registrationCommitment(root, eve));
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotCommitted.selector, root));
        reg.registerModel(root, "", _shape(1), _shape(1), false);
        vm.stopPrank();
        vm.prank(creator);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotCommitted.selector, root));
        reg.registerModel(root, "", _shape(1), _shape(1), false); // same block as the commitment
        vm.roll(block.number + 1);
        vm.prank(creator);
        reg.registerModel(root, "", _shape(1), _shape(1), false);
        vm.prank(eve);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelExists.selector, root));
        reg.registerModel(root, "", _shape(1), _shape(1), false);
        assertEq(reg.getModel(root).creator, creator);
    }

    function _shape(uint32 n) internal pure returns (uint32[] memory s) {
        s = new uint32[](1);
        s[0] = n;
    }

    function test_register_storesModel() public view {
        ModelRegistry.Model memory m = reg.getModel(ROOT);
        assertEq(m.creator, creator);
        assertEq(m.metadataURI, "ipfs://m");
        assertEq(m.inputShape[0], 784);
        assertEq(m.outputShape[0], 10);
        assertEq(reg.modelCount(), 1);
        assertEq(reg.getModelRoots(0, 10)[0], ROOT);
        assertEq(reg.getModelRoots(1, 10).length, 0);
        assertEq(reg.getModelRoots(5, 10).length, 0);
    }

    function test_register_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelExists.selector, ROOT));
        reg.registerModel(ROOT, "", _shape(1), _shape(1), false);
        vm.expectRevert(ModelRegistry.ZeroRoot.selector);
        reg.registerModel(bytes32(0), "", _shape(1), _shape(1), false);
        vm.expectRevert(ModelRegistry.EmptyShape.selector);
        reg.registerModel(keccak256("x"), "", new uint32[](0), _shape(1), false);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownModel.selector, keccak256("y")));
        reg.getModel(keccak256("y"));
    }

    function test_terms_licenseAndRoyalty(uint96 royalty) public {
        (address c, uint96 r, bool usable) = reg.terms(ROOT, TOKEN);
        assertEq(c, creator);
        assertEq(r, 0);
        assertTrue(usable);
        vm.startPrank(creator);
        reg.setLicensed(ROOT, true);
        (,, usable) = reg.terms(ROOT, TOKEN);
        assertFalse(usable);
        reg.setRoyalty(ROOT, TOKEN, royalty);
        vm.stopPrank();
        // The model was usable unlicensed at no royalty: the increase waits ROYALTY_DELAY.
        (, r, usable) = reg.terms(ROOT, TOKEN);
        assertEq(r, 0);
        assertTrue(usable);
        vm.warp(block.timestamp + reg.ROYALTY_DELAY());
        (, r, usable) = reg.terms(ROOT, TOKEN);
        assertEq(r, royalty);
        assertTrue(usable);
        (,, usable) = reg.terms(keccak256("none"), TOKEN);
        assertFalse(usable);
    }

    /// Issue 15, attack 6: a creator cannot front-run requests with a higher royalty. An increase
    /// waits ROYALTY_DELAY; a decrease applies at once and cancels a pending increase.
    function test_royaltyIncreaseWaits_decreaseAppliesAtOnce() public {
        vm.prank(creator);
        reg.setRoyalty(ROOT, TOKEN, 5);
        assertEq(reg.royaltyOf(ROOT, TOKEN), 0, "first royalty of a model usable at no royalty waits");
        vm.warp(block.timestamp + reg.ROYALTY_DELAY());
        assertEq(reg.royaltyOf(ROOT, TOKEN), 5);
        vm.prank(creator);
        reg.setRoyalty(ROOT, TOKEN, 1000);
        (, uint96 r,) = reg.terms(ROOT, TOKEN);
        assertEq(r, 5, "the front-running increase is not in force");
        (uint96 next, uint40 due) = reg.pendingRoyalty(ROOT, TOKEN);
        assertEq(next, 1000);
        assertEq(due, block.timestamp + reg.ROYALTY_DELAY());
        vm.warp(block.timestamp + reg.ROYALTY_DELAY() - 1);
        assertEq(reg.royaltyOf(ROOT, TOKEN), 5);
        vm.prank(creator);
        reg.setRoyalty(ROOT, TOKEN, 3);
        assertEq(reg.royaltyOf(ROOT, TOKEN), 3, "a decrease applies at once");
        vm.warp(block.timestamp + reg.ROYALTY_DELAY());
        assertEq(reg.royaltyOf(ROOT, TOKEN), 3, "and cancels the pending increase");
    }

    /// A model that was always licensed is unusable in a token without a royalty: its first
    /// royalty there applies at once. Licensing later does not skip the delay.
    function test_firstRoyaltyOfAnAlwaysLicensedModelAppliesAtOnce() public {
        bytes32 root = keccak256("licensed");
        vm.startPrank(creator);
        _commit(root);
        reg.registerModel(root, "", _shape(1), _shape(1), true);
        reg.setRoyalty(root, TOKEN, 7);
        assertEq(reg.royaltyOf(root, TOKEN), 7);
        reg.setLicensed(ROOT, true); // ROOT was usable unlicensed
        reg.setRoyalty(ROOT, TOKEN, 7);
        vm.stopPrank();
        assertEq(reg.royaltyOf(ROOT, TOKEN), 0);
    }

    function test_onlyCreatorChangesTerms() public {
        vm.startPrank(makeAddr("eve"));
        vm.expectRevert(ModelRegistry.NotCreator.selector);
        reg.setRoyalty(ROOT, TOKEN, 1);
        vm.expectRevert(ModelRegistry.NotCreator.selector);
        reg.setLicensed(ROOT, true);
        vm.expectRevert(ModelRegistry.NotCreator.selector);
        reg.setMetadataURI(ROOT, "x");
        vm.expectRevert(ModelRegistry.NotCreator.selector);
        reg.transferCreator(ROOT, address(1));
        vm.stopPrank();
        vm.prank(creator);
        reg.setMetadataURI(ROOT, "ipfs://v2");
        assertEq(reg.getModel(ROOT).metadataURI, "ipfs://v2");
    }

    function test_twoStepCreatorTransfer() public {
        address bob = makeAddr("bob");
        vm.prank(creator);
        reg.transferCreator(ROOT, bob);
        assertEq(reg.getModel(ROOT).creator, creator);
        vm.prank(makeAddr("eve"));
        vm.expectRevert(ModelRegistry.NotPendingCreator.selector);
        reg.acceptCreator(ROOT);
        vm.prank(bob);
        reg.acceptCreator(ROOT);
        assertEq(reg.getModel(ROOT).creator, bob);
        assertEq(reg.getModel(ROOT).pendingCreator, address(0));
        vm.prank(creator);
        vm.expectRevert(ModelRegistry.NotCreator.selector);
        reg.setRoyalty(ROOT, TOKEN, 1);
        vm.prank(bob);
        vm.expectRevert(ModelRegistry.NotPendingCreator.selector);
        reg.acceptCreator(ROOT);
    }

    function test_evaluations_postAndRefute(uint32 score) public {
        score = uint32(bound(score, 0, 10_000));
        address evaluator = makeAddr("evaluator");
        vm.prank(evaluator);
        uint256 id = reg.postEvaluation(ROOT, keccak256("fmnist-test"), score, keccak256("preds"));
        ModelRegistry.Evaluation memory e = reg.getEvaluation(id);
        assertEq(e.evaluator, evaluator);
        assertEq(e.score, score);
        assertEq(uint8(e.status), uint8(ModelRegistry.EvalStatus.Posted));
        assertEq(reg.getEvaluationIds(ROOT)[0], id);
        vm.expectRevert(ModelRegistry.NotProofMarket.selector);
        reg.refuteEvaluation(id);
        vm.prank(market);
        reg.refuteEvaluation(id);
        assertEq(uint8(reg.getEvaluation(id).status), uint8(ModelRegistry.EvalStatus.Refuted));
        vm.prank(market);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotPosted.selector, id));
        reg.refuteEvaluation(id);
        vm.prank(market);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownEvaluation.selector, id + 1));
        reg.refuteEvaluation(id + 1);
    }

    function test_evaluations_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.InvalidScore.selector, uint32(10_001)));
        reg.postEvaluation(ROOT, keccak256("d"), 10_001, keccak256("p"));
        vm.expectRevert(ModelRegistry.ZeroRoot.selector);
        reg.postEvaluation(ROOT, bytes32(0), 1, keccak256("p"));
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownModel.selector, keccak256("z")));
        reg.postEvaluation(keccak256("z"), keccak256("d"), 1, keccak256("p"));
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownEvaluation.selector, 0));
        reg.getEvaluation(0);
    }

    function test_setProofMarket_onlyOwner() public {
        vm.expectRevert();
        reg.setProofMarket(address(1));
    }
}
