// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {MarketBase} from "./MarketBase.sol";
import {TestToken} from "../core/mocks/TestToken.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {DisputeGame} from "../../src/avs/dispute/DisputeGame.sol";
import {ProofMarket} from "../../src/avs/dispute/ProofMarket.sol";
import {RequestParams, Job, Claim, Status} from "../../src/avs/CoordinatorTypes.sol";

/// @notice Random bounties through their whole life: posts (random p and fee), deliveries,
///         arming, block and time jumps (including past the blockhash window), draws, attests,
///         refutations by the chosen verifier or an outsider, lost disputes, settlements,
///         resolutions, unarmed refunds, verifier registrations, exits, bond and credit
///         withdrawals. The handler is the consumer; it keeps ghost sums of live fees and counts
///         every payout of every bounty.
contract MarketHandler is Test {
    ProofMarket internal pm;
    Coordinator internal coord;
    DisputeGame internal game;
    TestToken internal pay;
    TestToken internal vbond;
    TestToken internal gameBond;
    address[] internal nodes;
    address[] public accounts; // verifiers (any ever registered), outsider, handler
    mapping(address => bool) internal known;
    uint256 internal price;
    uint64 internal moveWindow;

    bytes32[] public ids;
    mapping(bytes32 => Job) internal _jobs;
    mapping(bytes32 => Claim) internal _claims;
    mapping(bytes32 => uint256) public payouts;
    uint256 public liveFees;
    uint256 public violations;
    uint256 public toVerifier;
    uint256 public refunds;
    uint256 public penalties;

    constructor(
        ProofMarket pm_,
        Coordinator coord_,
        DisputeGame game_,
        TestToken pay_,
        TestToken vbond_,
        TestToken gameBond_,
        address[] memory nodes_,
        uint256 price_,
        uint64 moveWindow_
    ) {
        (pm, coord, game, pay, vbond, gameBond) = (pm_, coord_, game_, pay_, vbond_, gameBond_);
        (nodes, price, moveWindow) = (nodes_, price_, moveWindow_);
        accounts.push(address(this));
        accounts.push(makeAddr("outsider"));
        accounts.push(coord.treasury()); // forfeited verifier bonds
        pay.approve(address(coord), type(uint256).max);
        pay.approve(address(pm), type(uint256).max);
    }

    function idCount() external view returns (uint256) {
        return ids.length;
    }

    function accountCount() external view returns (uint256) {
        return accounts.length;
    }

    function addVerifier(address v) public {
        if (known[v]) return;
        known[v] = true;
        accounts.push(v);
    }

    // ------------------------------------------------------------ actions

    function post(uint256 pSeed, uint96 fee) public {
        fee = uint96(bound(fee, 1, 10 ether));
        uint64[3] memory ps = [uint64(1e18), 5e17, 2e17];
        RequestParams memory p;
        p.modelRoot = keccak256("fashion-mnist-cnn-int8");
        p.token = IERC20(address(pay));
        p.price = uint96(price);
        p.redundancy = 1;
        p.ttl = 1 hours;
        pay.mint(address(this), coord.cost(p.price, 1, coord.feeBips(), 0.1 ether) + fee);
        bytes32 id = coord.request(p, "", "");
        Job memory job = Job(
            address(this),
            p,
            bytes32(0),
            makeAddr("creator"),
            0.1 ether,
            coord.feeBips(),
            coord.challengeWindow(),
            uint32(block.timestamp),
            0
        );
        pm.post(id, job, ps[pSeed % 3], fee, 20 minutes);
        ids.push(id);
        _jobs[id] = job;
        liveFees += fee;
    }

    function deliver(uint256 i, uint256 node) public {
        if (ids.length == 0) return;
        bytes32 id = ids[i % ids.length];
        Claim memory c;
        c.output = hex"01";
        c.outputRoot = bytes32(bytes1(0x01));
        c.traceRoot = keccak256(abi.encode("trace", id));
        c.steps = 12;
        // Unassigned k = 1: the node takes the seat by commit, then reveals.
        address op = nodes[node % nodes.length];
        bytes32 salt = keccak256(abi.encode(op, id));
        bytes32 commitment = coord.commitmentOf(id, op, coord.hashClaim(c), salt);
        vm.prank(op);
        try coord.commit(id, _jobs[id], commitment) {} catch { return; }
        vm.prank(op);
        coord.reveal(id, _jobs[id], 0, c, salt);
        _claims[id] = c;
    }

    function arm(uint256 i) public {
        if (ids.length == 0) return;
        try pm.arm(ids[i % ids.length]) {} catch {}
    }

    /// Posts, delivers and arms in one step (the common path).
    function postAnswered(uint256 pSeed, uint96 fee, uint256 node) external {
        post(pSeed, fee);
        deliver(ids.length - 1, node);
        arm(ids.length - 1);
    }

    /// Draws bounty i, first jumping to its draw block plus `late` blocks when `jump` (late past
    /// 256 exercises the fail-safe).
    function draw(uint256 i, bool jump, uint256 late) external {
        if (ids.length == 0) return;
        bytes32 id = ids[i % ids.length];
        ProofMarket.Bounty memory b = pm.getBounty(id);
        uint256 target = b.armBlock + pm.DRAW_DELAY() + 1 + bound(late, 0, 300);
        if (jump && b.state == ProofMarket.State.Armed && block.number < target) vm.roll(target);
        _observe(id, abi.encodeCall(ProofMarket.draw, (id)), address(this));
    }

    function attest(uint256 i) external {
        if (ids.length == 0) return;
        bytes32 id = ids[i % ids.length];
        address v = pm.getBounty(id).verifier;
        if (v == address(0)) return;
        vm.prank(v);
        try pm.attest(id) {} catch {}
    }

    function resolve(uint256 i) external {
        if (ids.length == 0) return;
        bytes32 id = ids[i % ids.length];
        _observe(id, abi.encodeCall(ProofMarket.resolve, (id)), address(this));
    }

    function refundUnarmed(uint256 i) external {
        if (ids.length == 0) return;
        bytes32 id = ids[i % ids.length];
        _observe(id, abi.encodeCall(ProofMarket.refundUnarmed, (id)), address(this));
    }

    /// The chosen verifier (or an outsider) opens a game; the defender either times out (claim
    /// refuted) or bisects and the challenger times out (claim survives).
    function dispute(uint256 i, bool byVerifier, bool defenderAnswers) external {
        if (ids.length == 0) return;
        bytes32 id = ids[i % ids.length];
        Claim memory c = _claims[id];
        if (c.steps == 0) return;
        address defender = coord.getRequest(id).seat0;
        address who = byVerifier ? pm.getBounty(id).verifier : makeAddr("outsider");
        if (who == address(0)) return;
        gameBond.mint(who, 5 ether);
        vm.startPrank(who);
        gameBond.approve(address(game), 5 ether);
        uint256 gameId;
        try game.challenge(id, _jobs[id], c, defender) returns (uint256 g) {
            gameId = g;
        } catch {
            vm.stopPrank();
            return;
        }
        vm.stopPrank();
        if (defenderAnswers) {
            vm.prank(defender);
            game.bisect(gameId, keccak256("mid"));
        }
        vm.warp(block.timestamp + moveWindow + 1);
        game.timeout(gameId, _jobs[id]);
    }

    function settle(uint256 i) external {
        if (ids.length == 0) return;
        bytes32 id = ids[i % ids.length];
        try coord.settle(id, _jobs[id], _claims[id]) {} catch {}
    }

    function roll(uint256 blocks) external {
        vm.roll(block.number + bound(blocks, 1, 400));
    }

    function warp(uint256 secs) external {
        vm.warp(block.timestamp + bound(secs, 1, 40 minutes));
    }

    function withdraw(uint256 a, bool bondToken) external {
        address who = accounts[a % accounts.length];
        vm.prank(who);
        try pm.withdraw(IERC20(address(bondToken ? vbond : pay))) {} catch {}
    }

    function exitVerifier(uint256 a) external {
        address who = accounts[a % accounts.length];
        vm.prank(who);
        try pm.exit() {} catch {}
    }

    function withdrawBond(uint256 a) external {
        address who = accounts[a % accounts.length];
        vm.prank(who);
        try pm.withdrawBond() {} catch {}
    }

    function registerVerifier(uint256 seed, uint96 bond) external {
        bond = uint96(bound(bond, 1 ether, 20 ether));
        address v = makeAddr(string.concat("v", vm.toString(seed % 16)));
        vbond.mint(v, bond);
        vm.startPrank(v);
        vbond.approve(address(pm), bond);
        try pm.register(bond) {
            addVerifier(v);
        } catch {}
        vm.stopPrank();
    }

    // ------------------------------------------------------------ observation

    /// Runs `data` on the market and, when it moved bounty `id`'s fee out of escrow, counts one
    /// payout and checks the fee was credited exactly once.
    function _observe(bytes32 id, bytes memory data, address from) internal {
        uint256 before = _payCredits();
        uint256 consumerBefore = pm.credits(address(this), IERC20(address(pay)));
        uint256 bondBefore = pm.credits(coord.treasury(), IERC20(address(vbond)));
        ProofMarket.State st = pm.getBounty(id).state;
        vm.prank(from);
        (bool ok,) = address(pm).call(data);
        if (!ok) return;
        if (pm.credits(coord.treasury(), IERC20(address(vbond))) > bondBefore) ++penalties;
        uint256 moved = _payCredits() - before;
        if (moved == 0) return;
        uint256 fee = pm.getBounty(id).fee;
        ++payouts[id];
        if (pm.credits(address(this), IERC20(address(pay))) > consumerBefore) ++refunds;
        else ++toVerifier;
        if (moved != fee || st == ProofMarket.State.Closed) ++violations;
        liveFees -= fee;
    }

    function _payCredits() internal view returns (uint256 sum) {
        for (uint256 i = 0; i < accounts.length; ++i) {
            sum += pm.credits(accounts[i], IERC20(address(pay)));
        }
    }

    /// Withdrawn pay credits leave the market: keep the ghost figure comparable.
    function payCredits() external view returns (uint256) {
        return _payCredits();
    }
}

/// @notice The market, its handler and the accounting checks (shared by the campaign and the
///         scripted pass).
abstract contract MarketInvariantBase is MarketBase {
    MarketHandler internal handler;

    function setUp() public virtual override {
        super.setUp();
        handler = new MarketHandler(pm, coord, game, pay, vbond, bondToken, nodes, PRICE, MOVE_WINDOW);
        for (uint256 i = 0; i < 3; ++i) {
            address v = _registerVerifier(string.concat("v", vm.toString(i)), uint96((i + 1) * 1 ether));
            handler.addVerifier(v);
        }
        vm.roll(block.number + 1);
    }

    /// Payment token held == fees of live bounties + unwithdrawn credits.
    function _checkPayBalance() internal view {
        assertEq(pay.balanceOf(address(pm)), handler.liveFees() + handler.payCredits());
    }

    /// Bond token held == remaining bonds of registered verifiers + unwithdrawn bond credits.
    function _checkBondBalance() internal view {
        uint256 sum;
        uint256 n = handler.accountCount();
        for (uint256 i = 0; i < n; ++i) {
            address a = handler.accounts(i);
            sum += pm.getVerifier(a).bond + pm.credits(a, IERC20(address(vbond)));
        }
        assertEq(vbond.balanceOf(address(pm)), sum);
    }

    /// Every bounty's fee left escrow at most once, for exactly its amount, and exactly when
    /// the bounty is closed.
    function _checkPaidAtMostOnce() internal view {
        assertEq(handler.violations(), 0);
        uint256 n = handler.idCount();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = handler.ids(i);
            uint256 paid = handler.payouts(id);
            assertLe(paid, 1, "paid twice");
            assertEq(paid == 1, pm.getBounty(id).state == ProofMarket.State.Closed, "closed iff paid");
        }
    }
}

contract ProofMarketInvariantsTest is MarketInvariantBase {
    function setUp() public override {
        super.setUp();
        targetContract(address(handler));
        bytes4[] memory sel = new bytes4[](17);
        sel[0] = MarketHandler.post.selector;
        sel[1] = MarketHandler.deliver.selector;
        sel[2] = MarketHandler.arm.selector;
        sel[3] = MarketHandler.draw.selector;
        sel[4] = MarketHandler.attest.selector;
        sel[5] = MarketHandler.resolve.selector;
        sel[6] = MarketHandler.refundUnarmed.selector;
        sel[7] = MarketHandler.dispute.selector;
        sel[8] = MarketHandler.settle.selector;
        sel[9] = MarketHandler.roll.selector;
        sel[10] = MarketHandler.warp.selector;
        sel[11] = MarketHandler.withdraw.selector;
        sel[12] = MarketHandler.exitVerifier.selector;
        sel[13] = MarketHandler.withdrawBond.selector;
        sel[14] = MarketHandler.registerVerifier.selector;
        sel[15] = MarketHandler.postAnswered.selector;
        sel[16] = MarketHandler.postAnswered.selector;
        targetSelector(FuzzSelector(address(handler), sel));
    }

    function invariant_payBalanceIsLiveFeesPlusCredits() public view {
        _checkPayBalance();
    }

    function invariant_bondBalanceIsBondsPlusCredits() public view {
        _checkBondBalance();
    }

    function invariant_eachBountyPaidAtMostOnce() public view {
        _checkPaidAtMostOnce();
    }
}

/// @notice One scripted pass through the handler's outcomes (so the campaign's actions are known
///         to reach payouts, refunds and penalties).
contract MarketHandlerScriptTest is MarketInvariantBase {
    function test_handlerReachesOutcomes() public {
        for (uint256 i = 0; i < 6; ++i) {
            handler.post(0, 1 ether);
            handler.deliver(i, i);
            handler.arm(i);
        }
        handler.roll(97);
        for (uint256 i = 0; i < 6; ++i) {
            handler.draw(i, false, 0);
        }
        handler.attest(0);
        handler.dispute(1, true, false); // verifier refutes
        handler.dispute(2, false, false); // outsider refutes
        handler.warp(40 minutes);
        for (uint256 i = 0; i < 6; ++i) {
            handler.resolve(i);
        }
        assertGt(handler.toVerifier(), 0, "no fee to a verifier");
        assertGt(handler.refunds(), 0, "no refund");
        assertGt(handler.penalties(), 0, "no penalty");
        _checkPayBalance();
        _checkBondBalance();
        _checkPaidAtMostOnce();
    }
}
