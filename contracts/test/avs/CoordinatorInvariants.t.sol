// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AvsBase} from "./AvsBase.sol";
import {Coordinator} from "../../src/avs/Coordinator.sol";
import {RewardsCoordinator} from "../../src/core/RewardsCoordinator.sol";
import {TestToken} from "../core/mocks/TestToken.sol";
import {RequestParams, Job, Claim, Status} from "../../src/avs/CoordinatorTypes.sol";

/// @notice Drives the Coordinator with random requests, deliveries, commits, reveals (right and
///         wrong), time jumps, settlements, expiries, slashes and withdrawals, keeping ghost
///         accounting of what it escrowed and observing forbidden successes.
contract CoordinatorHandler is Test {
    Coordinator internal coord;
    TestToken internal pay;
    RewardsCoordinator internal rc;
    address[] internal nodes;
    address internal consumer;
    address internal market;
    address[] public accounts;

    bytes32[] public ids;
    mapping(bytes32 => Job) internal _jobs;
    mapping(bytes32 => mapping(address => uint8)) internal _label;
    mapping(bytes32 => bool) public settledOnce;

    uint256 public escrowed;
    uint256 public pulledIn;
    uint256 public withdrawn;
    uint256 public rcBase;
    uint256 public violations;

    constructor(
        Coordinator c,
        TestToken p,
        RewardsCoordinator r,
        address[] memory n,
        address consumer_,
        address market_,
        address[] memory acc
    ) {
        (coord, pay, rc, nodes, consumer, market, accounts) = (c, p, r, n, consumer_, market_, acc);
        rcBase = rc.totalFunded(IERC20(address(pay)));
    }

    function idCount() external view returns (uint256) {
        return ids.length;
    }

    function request(uint8 k, bool afterWindow, uint8 assignSeed, uint32 ttl) external {
        RequestParams memory p;
        p.modelRoot = keccak256("fashion-mnist-cnn-int8");
        p.token = IERC20(address(pay));
        p.price = 1 ether;
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
        vm.prank(consumer);
        bytes32 id = coord.request(p, hex"01", "");
        pulledIn += before - pay.balanceOf(consumer);
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
        ids.push(id);
        escrowed += cost;
    }

    function deliver(uint256 idSeed, uint8 nodeSeed, uint8 label) external {
        if (ids.length == 0) return;
        bytes32 id = ids[idSeed % ids.length];
        address op = nodes[nodeSeed % nodes.length];
        vm.prank(op);
        try coord.deliver(id, _jobs[id], _claim(label % 2)) {
            _checkLiveOk(id);
        } catch {}
    }

    function commit(uint256 idSeed, uint8 nodeSeed, uint8 label) external {
        if (ids.length == 0) return;
        bytes32 id = ids[idSeed % ids.length];
        address op = nodes[nodeSeed % nodes.length];
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
        bytes32 id = ids[idSeed % ids.length];
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
        bytes32 id = ids[idSeed % ids.length];
        bytes32 answer = coord.answerOf(id);
        Claim memory c = _claim(answer == coord.hashClaim(_claim(1)) ? 1 : 0);
        try coord.settle(id, _jobs[id], c) {
            if (settledOnce[id]) ++violations;
            settledOnce[id] = true;
            escrowed -= coord.jobCost(_jobs[id]);
        } catch {}
    }

    function refundExpired(uint256 idSeed) external {
        if (ids.length == 0) return;
        bytes32 id = ids[idSeed % ids.length];
        try coord.refundExpired(id, _jobs[id]) {
            if (settledOnce[id]) ++violations;
            settledOnce[id] = true;
            escrowed -= coord.jobCost(_jobs[id]);
        } catch {}
    }

    function slash(uint256 idSeed, uint8 nodeSeed) external {
        if (ids.length == 0) return;
        bytes32 id = ids[idSeed % ids.length];
        address op = nodes[nodeSeed % nodes.length];
        bool wasRefuted = coord.getRequest(id).status == Status.Refuted;
        vm.prank(market);
        try coord.slashOperator(id, _jobs[id], op, 0.1e18, market) {
            if (!wasRefuted && coord.getRequest(id).status == Status.Refuted) {
                if (settledOnce[id]) ++violations;
                settledOnce[id] = true;
                escrowed -= coord.jobCost(_jobs[id]);
            }
        } catch {}
    }

    function withdraw(uint8 accountSeed) external {
        address a = accounts[accountSeed % accounts.length];
        uint256 amount = coord.credits(a, IERC20(address(pay)));
        vm.prank(a);
        try coord.withdraw(IERC20(address(pay)), a) {
            withdrawn += amount;
        } catch {}
    }

    /// @dev A successful delivery, commit or reveal must happen by the deadline.
    function _checkLiveOk(bytes32 id) internal {
        if (block.timestamp > coord.getRequest(id).deadline) ++violations;
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

/// @notice Escrow conservation, single settlement, deadlines, commit binding, one seat per node.
/// forge-config: default.invariant.runs = 24
/// forge-config: default.invariant.depth = 40
contract CoordinatorInvariantTest is AvsBase {
    CoordinatorHandler internal h;
    address[] internal accounts;

    function setUp() public override {
        super.setUp();
        accounts.push(alice);
        accounts.push(treasury);
        accounts.push(creator);
        accounts.push(market);
        for (uint256 i = 0; i < nodes.length; ++i) {
            accounts.push(nodes[i]);
        }
        h = new CoordinatorHandler(coord, pay, rc, nodes, alice, market, accounts);
        vm.prank(alice);
        pay.approve(address(coord), type(uint256).max);
        targetContract(address(h));
    }

    /// @dev Per token: tokens pulled in == node payments (rewards) + credits (fees, royalties,
    ///      refunds; unwithdrawn) + withdrawn credits + escrow of live requests; and the balance
    ///      holds exactly the live escrow plus unwithdrawn credits.
    function invariant_escrowConservation() public view {
        uint256 credits;
        for (uint256 i = 0; i < accounts.length; ++i) {
            credits += coord.credits(accounts[i], _pay());
        }
        uint256 live;
        uint256 n = h.idCount();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = h.ids(i);
            Status s = coord.getRequest(id).status;
            if (s == Status.Open || s == Status.Answered || s == Status.Conflict || s == Status.Disputed) {
                live += _costOf(id);
            }
        }
        assertEq(live, h.escrowed());
        assertEq(pay.balanceOf(address(coord)), live + credits);
        uint256 paidNodes = rc.totalFunded(_pay()) - h.rcBase();
        assertEq(h.pulledIn(), paidNodes + credits + h.withdrawn() + live);
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

    function _costOf(bytes32 id) internal view returns (uint256) {
        // All requests of the handler use price 1 ether and the base royalty/fee.
        return coord.cost(1 ether, coord.getRequest(id).k, FEE_BIPS, ROYALTY);
    }
}
