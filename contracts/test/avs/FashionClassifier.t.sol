// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {AvsBase} from "./AvsBase.sol";
import {FashionClassifier} from "../../src/consumer/FashionClassifier.sol";
import {SigilClient} from "../../src/consumer/SigilClient.sol";
import {RequestParams, Job, Claim, SubscriptionTerms} from "../../src/avs/CoordinatorTypes.sol";

/// @notice The example consumer end to end on the real core.
contract FashionClassifierTest is AvsBase {
    FashionClassifier internal fc;
    bytes internal image;

    function setUp() public override {
        super.setUp();
        fc = new FashionClassifier(coord, _params(1));
        pay.mint(address(fc), 100 ether);
        image = new bytes(784);
        for (uint256 i = 0; i < 784; ++i) {
            image[i] = bytes1(uint8(i * 7));
        }
    }

    function _classify(uint256 item, bytes memory output) internal returns (bytes32 id) {
        Job memory job = _jobFor(address(fc), _params(1), image);
        id = fc.classify(item, image, nodes[0]);
        Claim memory c = _withOutput(_claim(0), output);
        vm.prank(nodes[0]);
        coord.deliver(id, job, c);
    }

    function test_labelFromLogits() public {
        bytes memory logits = hex"f001107f80007f050607";
        _classify(42, logits);
        assertEq(fc.labelOf(42), 3);
    }

    function test_labelByte() public {
        _classify(1, hex"09");
        assertEq(fc.labelOf(1), 9);
    }

    function test_invalidOutputStoresNothing() public {
        _classify(1, hex"0a");
        vm.expectRevert(abi.encodeWithSelector(FashionClassifier.NoLabel.selector, 1));
        fc.labelOf(1);
        _classify(2, hex"0102");
        vm.expectRevert(abi.encodeWithSelector(FashionClassifier.NoLabel.selector, 2));
        fc.labelOf(2);
    }

    function test_decode_argmaxFuzz(bytes10 raw) public view {
        bytes memory out = abi.encodePacked(raw);
        (bool ok, uint8 label) = fc.decode(out);
        assertTrue(ok);
        for (uint256 i = 0; i < 10; ++i) {
            int8 v = int8(uint8(out[i]));
            int8 best = int8(uint8(out[label]));
            assertTrue(v < best || (v == best && i >= label));
        }
    }

    function test_onlyOwnerAndWellFormedImage() public {
        vm.prank(alice);
        vm.expectRevert(FashionClassifier.NotOwner.selector);
        fc.classify(1, image, address(0));
        vm.expectRevert(abi.encodeWithSelector(FashionClassifier.BadImage.selector, 3));
        fc.classify(1, hex"010203", address(0));
        vm.expectRevert(SigilClient.OnlyCoordinator.selector);
        fc.onSigilResult(bytes32(0), _claim(1));
    }

    function test_subscribeCancelAndWithdraw() public {
        bytes32 root = keccak256("image-root");
        uint256 subId = fc.subscribe(root, "ipfs://img", 1 days, 4);
        RequestParams memory p = _params(1);
        p.inputRoot = root;
        SubscriptionTerms memory t = SubscriptionTerms(p, bytes32(0), creator, ROYALTY, FEE_BIPS, 1 days);
        coord.trigger(subId, t);
        fc.cancel(subId, t);
        assertEq(coord.credits(address(fc), _pay()), 3 * _cost(1));
        uint256 before = pay.balanceOf(address(this));
        fc.withdrawCredits(address(this));
        assertEq(pay.balanceOf(address(this)) - before, 3 * _cost(1));
    }
}
