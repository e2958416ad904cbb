// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {AvsBase} from "./AvsBase.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {CoordinatorAdmin} from "../../src/avs/CoordinatorAdmin.sol";
import {RequestParams, Job, Claim, Status} from "../../src/avs/CoordinatorTypes.sol";

/// @notice The proof market's surface: disputes, conflict resolution, slashing with redistribution.
contract CoordinatorHooksTest is AvsBase {
    bytes internal constant INPUT = hex"01";

    function test_slash_refutesAnswerRefundsAndSendsStakeToTreasury() public {
        (bytes32 id, Job memory job) = _answered();
        uint256 slashableBefore = _slashable(_set(), nodes[0], strategies[0]);
        vm.prank(market);
        uint256[] memory amounts = coord.slashOperator(id, job, nodes[0], 0.5e18);
        uint256 idx = _indexOf0();
        assertEq(amounts[idx], STAKE / 2);
        assertEq(_slashable(_set(), nodes[0], strategies[0]), slashableBefore / 2);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Refuted));
        assertEq(coord.credits(alice, _pay()), _cost(1));
        // Every slashed token goes to the treasury: none to the consumer or the prover.
        assertEq(coord.credits(alice, _tokenOf(0)), 0);
        assertEq(coord.credits(market, _tokenOf(0)), 0);
        assertEq(coord.credits(treasury, _tokenOf(0)), STAKE / 2);
        assertEq(tokens[0].balanceOf(address(coord)), STAKE / 2);
        assertEq(coord.openClaims(nodes[0]), 0);
        assertTrue(coord.slashed(id, nodes[0]));
        vm.warp(block.timestamp + WINDOW);
        vm.expectRevert(abi.encodeWithSelector(Coordinator.WrongStatus.selector, Status.Refuted));
        coord.settle(id, job, _claim(1));
        vm.prank(market);
        vm.expectRevert(Coordinator.NoSeat.selector);
        coord.slashOperator(id, job, nodes[0], 0.5e18);
    }

    function test_slash_colludingNodesAllSlashable_refundOnce() public {
        (bytes32 id, Job memory job) = _request(_params(3), INPUT);
        Claim memory wrong = _claim(6);
        for (uint8 i = 0; i < 3; ++i) {
            _commit(id, job, nodes[i], wrong);
        }
        for (uint8 i = 0; i < 3; ++i) {
            _reveal(id, job, i, nodes[i], wrong);
        }
        vm.startPrank(market);
        coord.slashOperator(id, job, nodes[0], 0.5e18);
        coord.slashOperator(id, job, nodes[1], 0.5e18);
        coord.slashOperator(id, job, nodes[2], 0.5e18);
        vm.expectRevert(Coordinator.NoSeat.selector);
        coord.slashOperator(id, job, nodes[3], 0.5e18);
        vm.stopPrank();
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Refuted));
        assertEq(coord.credits(alice, _pay()), _cost(3));
        assertEq(coord.credits(alice, _tokenOf(0)), 0);
        assertEq(coord.credits(treasury, _tokenOf(0)), 3 * STAKE / 2);
        assertEq(pay.balanceOf(address(coord)), _cost(3));
    }

    function test_slash_onlyProofMarket() public {
        (bytes32 id, Job memory job) = _answered();
        vm.expectRevert(CoordinatorAdmin.NotProofMarket.selector);
        coord.slashOperator(id, job, nodes[0], 0.5e18);
        vm.expectRevert(CoordinatorAdmin.NotProofMarket.selector);
        coord.openDispute(id);
        vm.expectRevert(CoordinatorAdmin.NotProofMarket.selector);
        coord.closeDispute(id);
    }

    function test_slash_unseatedOrSettledRefused() public {
        (bytes32 id, Job memory job) = _answered();
        vm.prank(market);
        vm.expectRevert(Coordinator.NoSeat.selector);
        coord.slashOperator(id, job, nodes[1], 0.5e18);
        vm.warp(block.timestamp + WINDOW);
        coord.settle(id, job, _claim(1));
        vm.prank(market);
        vm.expectRevert(abi.encodeWithSelector(Coordinator.WrongStatus.selector, Status.Settled));
        coord.slashOperator(id, job, nodes[0], 0.5e18);
    }

    function test_slash_openRequestRefused() public {
        (bytes32 id, Job memory job) = _request(_params(1), INPUT);
        vm.prank(market);
        vm.expectRevert(abi.encodeWithSelector(Coordinator.WrongStatus.selector, Status.Open));
        coord.slashOperator(id, job, nodes[0], 0.5e18);
    }

    function test_dispute_blocksSettlementUntilClosed() public {
        (bytes32 id, Job memory job) = _answered();
        vm.prank(market);
        coord.openDispute(id);
        vm.warp(block.timestamp + WINDOW);
        vm.expectRevert(abi.encodeWithSelector(Coordinator.WrongStatus.selector, Status.Disputed));
        coord.settle(id, job, _claim(1));
        vm.prank(market);
        coord.closeDispute(id);
        coord.settle(id, job, _claim(1));
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Settled));
    }

    function test_dispute_onlyWithinWindow() public {
        (bytes32 id,) = _answered();
        vm.warp(block.timestamp + WINDOW);
        vm.prank(market);
        vm.expectRevert(Coordinator.NotDue.selector);
        coord.openDispute(id);
        vm.prank(market);
        vm.expectRevert(abi.encodeWithSelector(Coordinator.WrongStatus.selector, Status.Answered));
        coord.closeDispute(id);
    }

    function test_dispute_thenSlashRefutes() public {
        (bytes32 id, Job memory job) = _answered();
        vm.startPrank(market);
        coord.openDispute(id);
        coord.slashOperator(id, job, nodes[0], 1e18);
        vm.stopPrank();
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Refuted));
        assertEq(_slashable(_set(), nodes[0], strategies[0]), 0);
    }

    function test_slash_fuzzWad(uint256 wad) public {
        wad = bound(wad, 1, 1e18);
        (bytes32 id, Job memory job) = _answered();
        vm.prank(market);
        uint256[] memory amounts = coord.slashOperator(id, job, nodes[0], wad);
        uint256 got = amounts[_indexOf0()];
        assertLe(got, STAKE);
        assertEq(coord.credits(treasury, _tokenOf(0)), got);
        assertEq(tokens[0].balanceOf(address(coord)), got);
    }

    /// @dev Position of strategies[0] among the set's strategies sorted by address (CoreBase sorts).
    function _indexOf0() internal pure returns (uint256) {
        return 0;
    }
}
