// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {AvsBase} from "../avs/AvsBase.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {RequestParams, Job, Claim, Status} from "../../src/avs/CoordinatorTypes.sol";
import {ICoordinator} from "../../src/consumer/ICoordinator.sol";
import {SigilClient} from "../../src/consumer/SigilClient.sol";
import {SigilRequests} from "../../src/consumer/SigilRequests.sol";
import {Quickstart} from "../../src/consumer/examples/Quickstart.sol";

/// @notice The README's consumer quickstart on the whole system (restaking core, registries,
///         Coordinator, staked nodes): request, delivery by the assigned node, stored answer,
///         settlement; its checks; and the README printing exactly the tested source.
contract QuickstartTest is AvsBase {
    string internal constant SOURCE = "src/consumer/examples/Quickstart.sol";
    string internal constant README = "../README.md";

    Quickstart internal qs;
    bytes internal image;

    function setUp() public override {
        super.setUp();
        qs = new Quickstart(ICoordinator(address(coord)), MODEL, _pay());
        // Fund it as the README says: credit at the Coordinator for five requests.
        _fund(address(this), 5 * _cost(1));
        coord.deposit(address(qs), _pay(), 5 * _cost(1));
        image = new bytes(784);
        for (uint256 i = 0; i < 784; ++i) {
            image[i] = bytes1(uint8(i * 13));
        }
    }

    /// The parameters Quickstart requests with for `node` (SigilRequests defaults).
    function _expected(address node) internal view returns (RequestParams memory p) {
        p.modelRoot = MODEL;
        p.token = _pay();
        p.price = PRICE;
        p.redundancy = 1;
        p.callbackGasLimit = 200_000;
        p.ttl = 1 hours;
        p.commitWindow = 5 minutes;
        p.assigned = node;
    }

    function test_quickstart_classifyDeliverAndStore() public {
        bytes32 id = qs.classify(image, nodes[1]);
        assertEq(coord.credits(address(qs), _pay()), 4 * _cost(1));
        // The request is exactly the expected job (deliver checks its hash).
        Job memory job = _jobFor(address(qs), _expected(nodes[1]), image);
        assertEq(coord.jobHash(id), keccak256(abi.encode(job)));

        Claim memory c = _withOutput(_claim(0), hex"f001107f80007f050607");
        vm.expectEmit(address(coord));
        emit Coordinator.CallbackResult(id, true);
        vm.prank(nodes[1]);
        coord.deliver(id, job, c);
        assertEq(qs.answerOf(id), c.output);

        vm.warp(block.timestamp + WINDOW);
        coord.settle(id, job, c);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Settled));
        assertEq(coord.credits(creator, _pay()), ROYALTY);
    }

    /// An expired request's escrow comes back as credit, spent by the next request; the owner can
    /// withdraw what is left.
    function test_quickstart_refundIsCreditedAndWithdrawable() public {
        bytes32 id = qs.classify(image, nodes[0]);
        Job memory job = _jobFor(address(qs), _expected(nodes[0]), image);
        vm.warp(block.timestamp + 1 hours + 1);
        coord.refundExpired(id, job);
        assertEq(coord.credits(address(qs), _pay()), 5 * _cost(1));
        address to = makeAddr("to");
        assertEq(qs.withdraw(to), 5 * _cost(1));
        assertEq(pay.balanceOf(to), 5 * _cost(1));
        // No credit left and no allowance: the next request cannot be paid.
        vm.expectPartialRevert(IERC20Errors.ERC20InsufficientAllowance.selector);
        qs.classify(image, nodes[0]);
    }

    function test_quickstart_ownerOnly() public {
        vm.prank(alice);
        vm.expectRevert("owner only");
        qs.classify(image, nodes[0]);
        vm.prank(alice);
        vm.expectRevert("owner only");
        qs.withdraw(alice);
        assertEq(qs.owner(), address(this));
    }

    function test_quickstart_nodeMustServeTheModel() public {
        vm.expectRevert(abi.encodeWithSelector(SigilRequests.NotServed.selector, alice, MODEL, _pay()));
        qs.classify(image, alice);
    }

    /// Only the Coordinator calls back, and only for this contract's own requests: a forged
    /// callback reverts, and another consumer's answer never reaches it.
    function test_quickstart_callbacksOnlyFromTheCoordinatorForItsRequests() public {
        vm.expectRevert(SigilClient.OnlyCoordinator.selector);
        qs.onSigilResult(bytes32(0), _claim(1));
        vm.prank(alice);
        vm.expectRevert(SigilClient.OnlyCoordinator.selector);
        qs.onSigilCorrection(bytes32(0), bytes32(0), Status.Refuted);

        (bytes32 other, Job memory job) = _request(_params(1), image);
        _deliver(other, job, nodes[0], _claim(2));
        assertEq(qs.answerOf(other).length, 0);
    }

    // ------------------------------------------------------------------ the README

    /// The README's `## Consumer quickstart` section prints this contract's source byte for byte.
    function test_readmeQuickstartIsTheTestedSource() public view {
        assertEq(_readmeBlock(vm.readFile(README)), vm.readFile(SOURCE));
    }

    /// The code of the first ```solidity block of the `## Consumer quickstart` section.
    function _readmeBlock(string memory readme) internal pure returns (string memory) {
        bytes memory r = bytes(readme);
        uint256 section = _find(r, "\n## Consumer quickstart\n", 0);
        uint256 nextSection = _find(r, "\n## ", section + 1);
        uint256 open = _find(r, "\n```solidity\n", section) + 13;
        uint256 close = _find(r, "\n```\n", open) + 1;
        require(close < nextSection, "code block outside the section");
        bytes memory code = new bytes(close - open);
        for (uint256 i = 0; i < code.length; ++i) {
            code[i] = r[open + i];
        }
        return string(code);
    }

    function _find(bytes memory hay, bytes memory needle, uint256 from) internal pure returns (uint256) {
        for (uint256 i = from; i + needle.length <= hay.length; ++i) {
            uint256 j = 0;
            while (j < needle.length && hay[i + j] == needle[j]) {
                ++j;
            }
            if (j == needle.length) return i;
        }
        revert(string.concat("not found in README: ", string(needle)));
    }
}
