// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {DisputeBase} from "../dispute/DisputeBase.sol";
import {TestToken} from "../core/mocks/TestToken.sol";
import {RequestParams, Job, Claim} from "../../src/avs/CoordinatorTypes.sol";
import {ProofMarket} from "../../src/avs/dispute/ProofMarket.sol";

/// @notice The real Coordinator, DisputeGame and restaking core with a ProofMarket over them,
///         bonded verifiers, and helpers for answered requests with a bounty.
abstract contract MarketBase is DisputeBase {
    uint256 internal constant MIN_BOND = 1 ether;
    /// slashWad (0.5) x the registry's minimum stake (10 ether).
    uint256 internal constant MIN_SLASH = 5 ether;
    uint96 internal constant FEE = 0.2 ether;
    uint32 internal constant VERIFY_WINDOW = 20 minutes;
    uint64 internal constant FULL = 1e18;

    ProofMarket internal pm;
    TestToken internal vbond;
    address[] internal verifierSet;

    function setUp() public virtual override {
        super.setUp();
        vbond = new TestToken("VBOND");
        pm = new ProofMarket(coord, game, vbond, MIN_BOND, MIN_SLASH);
    }

    function _registerVerifier(string memory name, uint96 bond) internal returns (address v) {
        v = makeAddr(name);
        _registerVerifierAt(v, bond);
    }

    function _registerVerifierAt(address v, uint96 bond) internal {
        vbond.mint(v, bond);
        vm.startPrank(v);
        vbond.approve(address(pm), bond);
        pm.register(bond);
        vm.stopPrank();
        verifierSet.push(v);
    }

    /// A claim whose game needs bisection (12 steps) for the defender `nodes[0]`.
    function _claimOf(uint8 label) internal pure returns (Claim memory c) {
        c = _claim(label);
    }

    /// alice requests (k = 1, MODEL) and posts a bounty with `pWad`.
    function _posted(uint64 pWad) internal returns (bytes32 id, Job memory job) {
        (id, job) = _request(_params(1), "");
        _post(id, job, pWad, FEE, VERIFY_WINDOW);
    }

    function _post(bytes32 id, Job memory job, uint64 pWad, uint96 fee, uint32 window) internal {
        pay.mint(alice, fee);
        vm.startPrank(alice);
        pay.approve(address(pm), fee);
        pm.post(id, job, pWad, fee, window);
        vm.stopPrank();
    }

    /// A posted bounty whose request `nodes[0]` answered with claim `label`, armed now.
    function _armed(uint64 pWad) internal returns (bytes32 id, Job memory job, Claim memory c) {
        (id, job) = _posted(pWad);
        c = _claim(1);
        vm.prank(nodes[0]);
        coord.deliver(id, job, c);
        pm.arm(id);
    }

    /// A RANDAO value for which the draw of `id` with `p` is (or is not) selected.
    function _randaoWith(bytes32 id, uint64 p, bool selected) internal pure returns (bytes32 h) {
        for (uint256 i = 0;; ++i) {
            h = keccak256(abi.encode("randao", i));
            bool sel = uint256(keccak256(abi.encode(h, id))) % 1e18 < p;
            if (sel == selected) return h;
        }
    }

    /// Moves to the first block after the draw block of armed bounty `id`, whose RANDAO is `h`.
    function _drawRandao(bytes32 id, bytes32 h) internal {
        uint64 drawBlock = pm.getBounty(id).armBlock + pm.DRAW_DELAY();
        vm.roll(drawBlock + 1);
        vm.prevrandao(h);
    }

    /// A bounty (p = 1, verifier window `window`) on a k = 1 request of `input`, answered by
    /// nodes[0] with `c`, armed and drawn: returns the chosen verifier.
    function _assignedOn(bytes memory input, Claim memory c, uint32 window)
        internal
        returns (bytes32 id, Job memory job, Claim memory, address v)
    {
        (id, job) = _request(_params(1), input);
        _post(id, job, FULL, FEE, window);
        v = _deliverAndDraw(id, job, nodes[0], c);
        return (id, job, c, v);
    }

    /// `op` delivers `c` on request `id` (with a posted full-check bounty), which is armed and
    /// drawn: returns the chosen verifier.
    function _deliverAndDraw(bytes32 id, Job memory job, address op, Claim memory c) internal returns (address) {
        vm.prank(op);
        coord.deliver(id, job, c);
        pm.arm(id);
        vm.roll(block.number + pm.DRAW_DELAY() + 1);
        pm.draw(id);
        return pm.getBounty(id).verifier;
    }

    /// An armed bounty drawn (p = 1): returns the chosen verifier.
    function _assigned() internal returns (bytes32 id, Job memory job, Claim memory c, address v) {
        (id, job, c) = _armed(FULL);
        vm.roll(block.number + pm.DRAW_DELAY() + 1);
        pm.draw(id);
        v = pm.getBounty(id).verifier;
        assertTrue(v != address(0), "no verifier chosen");
    }

    /// `who` opens a game against `defender`'s claim on `id`.
    function _dispute(bytes32 id, Job memory job, Claim memory c, address defender, address who)
        internal
        returns (uint256 gameId)
    {
        bondToken.mint(who, BOND);
        vm.startPrank(who);
        bondToken.approve(address(game), BOND);
        gameId = game.challenge(id, job, c, defender);
        vm.stopPrank();
    }

    /// The defender never bisects: it loses by timeout and its claim is refuted.
    function _refuteByTimeout(bytes32 id, Job memory job, Claim memory c, address defender, address who)
        internal
    {
        uint256 gameId = _dispute(id, job, c, defender, who);
        vm.warp(block.timestamp + MOVE_WINDOW + 1);
        game.timeout(gameId, job);
    }

    /// The defender bisects once, then `who` stops answering and loses by timeout.
    function _loseDispute(bytes32 id, Job memory job, Claim memory c, address defender, address who)
        internal
    {
        uint256 gameId = _dispute(id, job, c, defender, who);
        vm.prank(defender);
        game.bisect(gameId, keccak256("mid"));
        vm.warp(block.timestamp + MOVE_WINDOW + 1);
        game.timeout(gameId, job);
    }
}
