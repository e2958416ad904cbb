// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {MarketBase} from "./MarketBase.sol";
import {RequestParams, Job, Claim, Status} from "../../src/avs/CoordinatorTypes.sol";
import {SlashTerms} from "../../src/avs/dispute/SlashTerms.sol";
import {RecordingConsumer} from "../avs/mocks/Consumers.sol";

/// @notice The slash fraction (SlashTerms): min(1e18, max(slashWad, ceil(V * 1e18 / stake))), V the
///         larger of the request's price per seat and the value its consumer declared before any
///         seat was taken, stake the defender's slashable stake in Sigil's set.
contract ValueAtRiskTest is MarketBase {
    function _jobPriced(uint96 price) internal returns (bytes32 id, Job memory job) {
        RequestParams memory p = _params(1);
        p.price = price;
        (id, job) = _request(p, "");
    }

    function test_smallValueKeepsSlashWad() public {
        (bytes32 id, Job memory job) = _jobPriced(PRICE);
        assertEq(game.terms().slashableStake(nodes[0]), STAKE);
        assertEq(game.terms().slashWadFor(id, job, nodes[0]), SLASH_WAD);
    }

    function test_valueAboveSlashWadScalesUp() public {
        (bytes32 id, Job memory job) = _jobPriced(80 ether);
        assertEq(game.terms().slashWadFor(id, job, nodes[0]), 0.8e18);
        (id, job) = _jobPriced(80 ether + 1);
        assertEq(game.terms().slashWadFor(id, job, nodes[0]), 0.8e18 + 1, "rounded up");
    }

    function test_valueAboveStakeCapsAtAll() public {
        (bytes32 id, Job memory job) = _jobPriced(150 ether);
        assertEq(game.terms().slashWadFor(id, job, nodes[0]), 1e18);
    }

    function test_noSlashableStakeKeepsSlashWad() public {
        (bytes32 id, Job memory job) = _jobPriced(80 ether);
        address stranger = makeAddr("unstaked");
        assertEq(game.terms().slashableStake(stranger), 0);
        assertEq(game.terms().slashWadFor(id, job, stranger), SLASH_WAD);
    }

    /// The fraction is the least >= slashWad that takes V, capped at 1e18.
    function testFuzz_slashWadFor(uint96 price) public {
        price = uint96(bound(price, 1, 1_000 ether));
        (bytes32 id, Job memory job) = _jobPriced(price);
        uint256 wad = game.terms().slashWadFor(id, job, nodes[0]);
        assertGe(wad, SLASH_WAD);
        assertLe(wad, 1e18);
        if (wad < 1e18) assertGe(wad * STAKE, uint256(price) * 1e18, "takes at least V");
        if (wad > SLASH_WAD) assertLt((wad - 1) * STAKE, uint256(price) * 1e18, "least such fraction");
    }

    /// End to end: a defender of an 80-token request that loses is slashed 80% of its stake.
    function test_lostGameSlashesValueAtRisk() public {
        (bytes32 id, Job memory job) = _jobPriced(80 ether);
        Claim memory c = _claim(1);
        vm.prank(nodes[0]);
        coord.deliver(id, job, c);
        _refuteByTimeout(id, job, c, nodes[0], challenger);
        assertEq(uint8(coord.getRequest(id).status), uint8(Status.Refuted));
        assertEq(game.terms().slashableStake(nodes[0]), STAKE - 80 ether);
        assertEq(game.refutedBy(id), challenger);
    }

    function _declare(bytes32 id, Job memory job, uint256 value) internal {
        SlashTerms t = game.terms();
        vm.prank(alice);
        t.declareValue(id, job, value);
    }

    function test_declaredValueRaisesTheSlash() public {
        (bytes32 id, Job memory job) = _jobPriced(PRICE);
        _declare(id, job, 80 ether);
        assertEq(game.terms().declaredValue(id), 80 ether);
        assertEq(game.terms().valueAtRisk(id, job), 80 ether);
        assertEq(game.terms().slashWadFor(id, job, nodes[0]), 0.8e18);
    }

    /// A declared value below the price leaves the price as V.
    function test_priceAboveDeclaredValueStands() public {
        (bytes32 id, Job memory job) = _jobPriced(80 ether);
        _declare(id, job, 1 ether);
        assertEq(game.terms().valueAtRisk(id, job), 80 ether);
        assertEq(game.terms().slashWadFor(id, job, nodes[0]), 0.8e18);
    }

    function test_declareRefusals() public {
        (bytes32 id, Job memory job) = _jobPriced(PRICE);
        SlashTerms t = game.terms();
        vm.expectRevert(SlashTerms.NotConsumer.selector);
        t.declareValue(id, job, 1 ether);
        Job memory other = abi.decode(abi.encode(job), (Job)); // a copy, not an alias
        other.params.price = PRICE + 1;
        vm.prank(alice);
        vm.expectRevert(SlashTerms.JobMismatch.selector);
        t.declareValue(id, other, 1 ether);
        vm.startPrank(alice);
        vm.expectRevert(SlashTerms.InvalidValue.selector);
        t.declareValue(id, job, 0);
        vm.expectRevert(SlashTerms.InvalidValue.selector);
        t.declareValue(id, job, uint256(type(uint128).max) + 1);
        t.declareValue(id, job, 2 ether);
        vm.expectRevert(SlashTerms.AlreadyDeclared.selector);
        t.declareValue(id, job, 3 ether);
        vm.stopPrank();
        assertEq(t.declaredValue(id), 2 ether);
    }

    /// Fixed before any operator takes a seat: not after a delivery, nor after a k > 1 commit.
    function test_declareAfterASeatIsTakenRefused() public {
        (bytes32 id, Job memory job) = _jobPriced(PRICE);
        vm.prank(nodes[0]);
        coord.deliver(id, job, _claim(1));
        SlashTerms t = game.terms();
        vm.prank(alice);
        vm.expectRevert(SlashTerms.SeatTaken.selector);
        t.declareValue(id, job, 80 ether);

        (bytes32 id3, Job memory job3) = _request(_params(3), "");
        _commit(id3, job3, nodes[1], _claim(1));
        vm.prank(alice);
        vm.expectRevert(SlashTerms.SeatTaken.selector);
        t.declareValue(id3, job3, 80 ether);
    }

    /// End to end: a defender of a request declared at 80 tokens that loses is slashed 80% of its stake.
    function test_lostGameSlashesDeclaredValue() public {
        (bytes32 id, Job memory job) = _jobPriced(PRICE);
        _declare(id, job, 80 ether);
        Claim memory c = _claim(1);
        vm.prank(nodes[0]);
        coord.deliver(id, job, c);
        _refuteByTimeout(id, job, c, nodes[0], challenger);
        assertEq(game.terms().slashableStake(nodes[0]), STAKE - 80 ether);
    }

    /// A consumer contract declares its value in the request's own transaction (SigilConsumer).
    function test_consumerContractDeclaresInTheRequestTransaction() public {
        RecordingConsumer c = new RecordingConsumer(coord);
        pay.mint(address(c), _cost(1));
        c.approve(address(pay));
        RequestParams memory p = _params(1);
        bytes32 id = c.requestAtRisk(p, "img", 80 ether);
        assertEq(game.terms().declaredValue(id), 80 ether);
        Job memory job = _jobFor(address(c), p, "img");
        assertEq(coord.jobHash(id), keccak256(abi.encode(job)));
        assertEq(game.terms().slashWadFor(id, job, nodes[0]), 0.8e18);
    }
}
