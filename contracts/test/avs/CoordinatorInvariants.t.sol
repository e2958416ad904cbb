// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AvsBase} from "./AvsBase.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {OperatorRegistry} from "../../src/avs/OperatorRegistry.sol";
import {RewardsCoordinator} from "../../src/core/RewardsCoordinator.sol";
import {TestToken} from "../core/mocks/TestToken.sol";
import {RequestParams, Job, Claim, Status} from "../../src/avs/CoordinatorTypes.sol";

/// @notice Drives the Coordinator with random requests in two payment tokens (each with its own
///         price and royalty), deliveries, commits, reveals (right and wrong), time jumps,
///         settlements, expiries, slashes and withdrawals, keeping ghost accounting per token of
///         what it escrowed and observing forbidden successes.
contract CoordinatorHandler is Test {
    uint256 public constant TOKENS = 2;

    Coordinator internal coord;
    RewardsCoordinator internal rc;
    TestToken[TOKENS] internal tokens;
    uint96[TOKENS] internal prices;
    address[] internal nodes;
    address internal consumer;
    address internal market;
    address[] public accounts;

    bytes32[] public ids;
    mapping(bytes32 => Job) internal _jobs;
    mapping(bytes32 => uint8) public tokenIndexOf;
    mapping(bytes32 => mapping(address => uint8)) internal _label;
    mapping(bytes32 => bool) public settledOnce;

    // Ghost accounting, per token index.
    uint256[TOKENS] public escrowed;
    uint256[TOKENS] public pulledIn;
    uint256[TOKENS] public withdrawn;
    uint256[TOKENS] public rcBase;
    uint256[TOKENS] public settledCount;
    uint256 public violations;

    constructor(
        Coordinator c,
        TestToken[TOKENS] memory t,
        uint96[TOKENS] memory prices_,
        RewardsCoordinator r,
        address[] memory n,
        address consumer_,
        address market_,
        address[] memory acc
    ) {
        (coord, tokens, prices, rc) = (c, t, prices_, r);
        (nodes, consumer, market, accounts) = (n, consumer_, market_, acc);
        for (uint256 i = 0; i < TOKENS; ++i) {
            rcBase[i] = rc.totalFunded(IERC20(address(t[i])));
        }
    }

    function idCount() external view returns (uint256) {
        return ids.length;
    }

    function tokenAt(uint256 i) external view returns (IERC20) {
        return IERC20(address(tokens[i]));
    }

    function priceAt(uint256 i) external view returns (uint96) {
        return prices[i];
    }

    function request(uint8 tokenSeed, uint8 k, bool afterWindow, uint8 assignSeed, uint32 ttl) external {
        uint8 ti = uint8(tokenSeed % TOKENS);
        TestToken pay = tokens[ti];
        RequestParams memory p;
        p.modelRoot = keccak256("fashion-mnist-cnn-int8");
        p.token = IERC20(address(pay));
        p.price = prices[ti];
        p.redundancy = uint8(bound(k, 1, 3));
        p.afterWindow = afterWindow;
        p.callbackGasLimit = 0;
        p.ttl = uint32(bound(ttl, 20 minutes, 2 hours));
        p.commitWindow = p.redundancy > 1 ? 10 minutes : 5 minutes;
        p.assigned = assignSeed % 3 == 0 ? nodes[assignSeed % nodes.length] : address(0);
        (address creator, uint96 royalty,) = coord.models().terms(p.modelRoot, p.token);
        uint256 cost = coord.cost(p.price, p.redundancy, coord.feeBips(), royalty);
        pay.mint(consumer, cost);
        uint256 before = pay.balanceOf(consumer);
        uint256 otherBefore = _otherBalance(ti);
        vm.prank(consumer);
        bytes32 id = coord.request(p, hex"01", "");
        pulledIn[ti] += before - pay.balanceOf(consumer);
        // A request escrows in its own token only, and never reuses an id.
        if (_otherBalance(ti) != otherBefore) ++violations;
        if (_jobs[id].consumer != address(0)) ++violations;
        _jobs[id] = Job(
            consumer,
            p,
            keccak256(hex"01"),
            creator,
            royalty,
            coord.feeBips(),
            coord.challengeWindow(),
            uint32(block.timestamp),
            0
        );
        tokenIndexOf[id] = ti;
        ids.push(id);
        escrowed[ti] += cost;
    }

    function deliver(uint256 idSeed, uint8 nodeSeed, uint8 label) external {
        if (ids.length == 0) return;
        bytes32 id = _pick(idSeed);
        address op = _node(id, nodeSeed);
        vm.prank(op);
        try coord.deliver(id, _jobs[id], _claim(label % 2)) {
            _checkLiveOk(id);
        } catch {}
    }

    function commit(uint256 idSeed, uint8 nodeSeed, uint8 label) external {
        if (ids.length == 0) return;
        bytes32 id = _pick(idSeed);
        address op = _node(id, nodeSeed);
        label = label % 2;
        bytes32 c = coord.commitmentOf(id, op, coord.hashClaim(_claim(label)), _salt(op));
        vm.prank(op);
        try coord.commit(id, _jobs[id], c) {
            _checkLiveOk(id);
            _label[id][op] = label;
        } catch {}
    }

    function reveal(uint256 idSeed, uint8 seat, bool honest) external {
        if (ids.length == 0) return;
        bytes32 id = _pick(idSeed);
        seat = uint8(bound(seat, 0, 2));
        address op = coord.seatOf(id, seat);
        if (op == address(0)) return;
        uint8 label = honest ? _label[id][op] : 1 - _label[id][op];
        vm.prank(op);
        try coord.reveal(id, _jobs[id], seat, _claim(label), _salt(op)) {
            _checkLiveOk(id);
            if (!honest) ++violations;
        } catch {}
    }

    function warp(uint32 secs) external {
        vm.warp(block.timestamp + bound(secs, 1, 1 hours));
    }

    function settle(uint256 idSeed) external {
        if (ids.length == 0) return;
        bytes32 id = _pick(idSeed);
        bytes32 answer = coord.answerOf(id);
        Claim memory c = _claim(answer == coord.hashClaim(_claim(1)) ? 1 : 0);
        uint256 otherBefore = _otherBalance(tokenIndexOf[id]);
        try coord.settle(id, _jobs[id], c) {
            _leaveEscrow(id);
            // Settlement pays out in the request's token only.
            if (_otherBalance(tokenIndexOf[id]) != otherBefore) ++violations;
        } catch {}
    }

    function refundExpired(uint256 idSeed) external {
        if (ids.length == 0) return;
        bytes32 id = _pick(idSeed);
        uint256 otherBefore = _otherBalance(tokenIndexOf[id]);
        try coord.refundExpired(id, _jobs[id]) {
            _leaveEscrow(id);
            if (_otherBalance(tokenIndexOf[id]) != otherBefore) ++violations;
        } catch {}
    }

    function slash(uint256 idSeed, uint8 nodeSeed) external {
        if (ids.length == 0) return;
        bytes32 id = _pick(idSeed);
        address op = nodes[nodeSeed % nodes.length];
        bool wasRefuted = coord.getRequest(id).status == Status.Refuted;
        vm.prank(market);
        try coord.slashOperator(id, _jobs[id], op, 0.1e18) {
            if (!wasRefuted && coord.getRequest(id).status == Status.Refuted) {
                _leaveEscrow(id);
            }
        } catch {}
    }

    function withdraw(uint8 accountSeed, uint8 tokenSeed) external {
        address a = accounts[accountSeed % accounts.length];
        uint8 ti = uint8(tokenSeed % TOKENS);
        IERC20 t = IERC20(address(tokens[ti]));
        IERC20 other = IERC20(address(tokens[1 - ti]));
        uint256 amount = coord.credits(a, t);
        uint256 balBefore = t.balanceOf(address(coord));
        uint256 otherBal = other.balanceOf(address(coord));
        uint256 otherCredit = coord.credits(a, other);
        vm.prank(a);
        try coord.withdraw(t, a) {
            withdrawn[ti] += amount;
            // A withdrawal moves exactly the credit, in its own token only.
            if (balBefore - t.balanceOf(address(coord)) != amount) ++violations;
            if (other.balanceOf(address(coord)) != otherBal) ++violations;
            if (coord.credits(a, other) != otherCredit) ++violations;
        } catch {}
    }

    /// @dev Bookkeeping for a request whose escrow left (settled, refunded or refuted): it must
    ///      not have left before, in either token.
    function _leaveEscrow(bytes32 id) internal {
        if (settledOnce[id]) ++violations;
        settledOnce[id] = true;
        uint8 ti = tokenIndexOf[id];
        escrowed[ti] -= _jobCostOf(_jobs[id]);
        ++settledCount[ti];
    }

    function _jobCostOf(Job memory job) internal view returns (uint256) {
        return coord.cost(job.params.price, job.params.redundancy, job.feeBips, job.royalty);
    }

    function _otherBalance(uint8 ti) internal view returns (uint256) {
        return tokens[1 - ti].balanceOf(address(coord));
    }

    /// @dev A successful delivery, commit or reveal must happen by the deadline.
    function _checkLiveOk(bytes32 id) internal {
        if (block.timestamp > coord.getRequest(id).deadline) ++violations;
    }

    /// @dev Half the time the newest request, else any: actions pile onto one request, which
    ///      then more often gets from request to settlement within a run.
    function _pick(uint256 idSeed) internal view returns (bytes32) {
        if (idSeed % 2 == 0) return ids[ids.length - 1];
        return ids[(idSeed / 2) % ids.length];
    }

    /// @dev Half the time the request's assigned node (when it has one), else any node, so
    ///      assigned requests get answered as often as open ones.
    function _node(bytes32 id, uint8 nodeSeed) internal view returns (address) {
        address assigned = _jobs[id].params.assigned;
        if (assigned != address(0) && nodeSeed % 2 == 0) return assigned;
        return nodes[nodeSeed % nodes.length];
    }

    function _salt(address op) internal pure returns (bytes32) {
        return keccak256(abi.encode(op, "salt"));
    }

    function _claim(uint8 label) internal pure returns (Claim memory c) {
        c.output = abi.encodePacked(label);
        c.traceRoot = keccak256(abi.encodePacked("trace", label));
        c.steps = 12;
    }
}

/// @notice Escrow conservation per payment token, single settlement across tokens, deadlines,
///         commit binding, one seat per node.
/// forge-config: default.invariant.runs = 24
/// forge-config: default.invariant.depth = 40
contract CoordinatorInvariantTest is AvsBase {
    uint96 internal constant PRICE2 = 2 ether;
    uint96 internal constant ROYALTY2 = 0.25 ether;

    CoordinatorHandler internal h;
    TestToken internal pay2;
    address[] internal accounts;

    function setUp() public override {
        super.setUp();
        // A second payment token with its own royalty and node price: the model's creator sets
        // the royalty in it and every node adds it as a served (model, token).
        pay2 = new TestToken("PAY2");
        vm.prank(creator);
        models.setRoyalty(MODEL, IERC20(address(pay2)), ROYALTY2);
        for (uint256 i = 0; i < nodes.length; ++i) {
            vm.prank(nodes[i]);
            registry.setService(OperatorRegistry.Service(MODEL, IERC20(address(pay2)), PRICE2));
        }
        accounts.push(alice);
        accounts.push(treasury);
        accounts.push(creator);
        accounts.push(market);
        for (uint256 i = 0; i < nodes.length; ++i) {
            accounts.push(nodes[i]);
        }
        h = new CoordinatorHandler(coord, [pay, pay2], [PRICE, PRICE2], rc, nodes, alice, market, accounts);
        vm.startPrank(alice);
        pay.approve(address(coord), type(uint256).max);
        pay2.approve(address(coord), type(uint256).max);
        vm.stopPrank();
        targetContract(address(h));
    }

    /// @dev For each token separately: tokens pulled in == node payments (rewards) + credits
    ///      (fees, royalties, refunds; unwithdrawn) + withdrawn credits + escrow of live requests
    ///      in that token; and the Coordinator's balance in it holds exactly that token's live
    ///      escrow plus its unwithdrawn credits.
    function invariant_escrowConservation() public view {
        for (uint256 t = 0; t < h.TOKENS(); ++t) {
            _checkToken(t);
        }
    }

    /// @dev No request leaves escrow twice (settle, expiry refund or refutation, in either
    ///      token): per token, the requests the handler saw leave escrow are exactly those in
    ///      a final status, and each id belongs to one token.
    function invariant_singleSettlementAcrossTokens() public view {
        uint256[2] memory done;
        uint256 n = h.idCount();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = h.ids(i);
            Status s = coord.getRequest(id).status;
            bool isFinal = s == Status.Settled || s == Status.Refunded || s == Status.Refuted;
            assertEq(isFinal, h.settledOnce(id));
            if (isFinal) ++done[h.tokenIndexOf(id)];
        }
        assertEq(done[0], h.settledCount(0));
        assertEq(done[1], h.settledCount(1));
    }

    function _checkToken(uint256 t) internal view {
        IERC20 token = h.tokenAt(t);
        uint256 credits;
        for (uint256 i = 0; i < accounts.length; ++i) {
            credits += coord.credits(accounts[i], token);
        }
        uint256 live;
        uint256 n = h.idCount();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = h.ids(i);
            if (h.tokenIndexOf(id) != t) continue;
            Status s = coord.getRequest(id).status;
            if (s == Status.Open || s == Status.Answered || s == Status.Conflict || s == Status.Disputed) {
                live += _costOf(id, t);
            }
        }
        assertEq(live, h.escrowed(t));
        assertEq(token.balanceOf(address(coord)), live + credits);
        uint256 paidNodes = rc.totalFunded(token) - h.rcBase(t);
        assertEq(h.pulledIn(t), paidNodes + credits + h.withdrawn(t) + live);
    }

    function invariant_noForbiddenSuccess() public view {
        assertEq(h.violations(), 0);
    }

    function invariant_oneSeatPerNodeAndSeatsBounded() public view {
        uint256 n = h.idCount();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = h.ids(i);
            Coordinator.Request memory r = coord.getRequest(id);
            assertLe(r.commits, r.k);
            for (uint256 a = 0; a < r.commits; ++a) {
                address op = coord.seatOf(id, a);
                assertTrue(coord.entryOf(id, op) != bytes32(0));
                for (uint256 b = a + 1; b < r.commits; ++b) {
                    assertTrue(coord.seatOf(id, b) != op);
                }
            }
        }
    }

    function _costOf(bytes32 id, uint256 t) internal view returns (uint256) {
        // Requests in token 0 use PRICE and ROYALTY, in token 1 PRICE2 and ROYALTY2; both the
        // base fee.
        uint96 royalty = t == 0 ? ROYALTY : ROYALTY2;
        return coord.cost(h.priceAt(t), coord.getRequest(id).k, FEE_BIPS, royalty);
    }
}
