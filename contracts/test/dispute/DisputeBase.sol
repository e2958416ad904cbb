// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {IAllocationManager} from "../../src/interfaces/IAllocationManager.sol";
import {AvsBase} from "../avs/AvsBase.sol";
import {TestToken} from "../core/mocks/TestToken.sol";
import {OperatorRegistry} from "../../src/avs/OperatorRegistry.sol";
import {RequestParams, Job, Claim} from "../../src/avs/CoordinatorTypes.sol";
import {OutputReveal} from "../../src/avs/dispute/GameLib.sol";
import {DisputeGame} from "../../src/avs/dispute/DisputeGame.sol";
import {TraceGame} from "../../src/avs/dispute/TraceGame.sol";
import {OneStepVerifier} from "../../src/avs/dispute/OneStepVerifier.sol";
import {ElementProof} from "../../src/avs/dispute/DisputeTypes.sol";

/// @notice The real Coordinator with DisputeGame as its proof market, and replay of games whose
///         moves were computed by the C++ game side (src/proof/game_test.cpp writes them to
///         build/dispute/game_*.txt: every answer comes from a trace, none is written here).
abstract contract DisputeBase is AvsBase {
    uint256 internal constant BOND = 5 ether;
    uint256 internal constant SLASH_WAD = 0.5e18;
    uint64 internal constant MOVE_WINDOW = 30 minutes;

    struct Move {
        uint8 kind;
        bool byDefender;
        bytes args;
    }

    struct Fixture {
        bytes32 modelRoot;
        bytes32 inputRoot;
        uint64 steps;
        bytes32 traceRoot;
        bool defenderLies;
        uint64 k;
        bool challengerWins;
        Move[] moves;
    }

    /// A request answered by `defender` with the fixture's claim.
    struct Setup {
        bytes32 id;
        Job job;
        Claim claim;
        address defender;
    }

    uint8 internal constant BISECT = 1;
    uint8 internal constant CHOOSE = 2;
    uint8 internal constant REVEAL = 3;
    uint8 internal constant DESCEND = 4;
    uint8 internal constant PICK = 5;
    uint8 internal constant PROVE_ELEMENT = 6;
    uint8 internal constant PROVE_PADDING = 7;
    uint8 internal constant ATTEMPT = 8;

    DisputeGame internal game;
    OneStepVerifier internal verifier;
    TestToken internal bondToken;
    address internal challenger = makeAddr("challenger");
    mapping(bytes32 root => address) internal servingNode;
    uint256[9] internal gasOf; // last gas per move kind
    uint256 internal totalGas;
    uint256 internal txCount;

    function _installProofMarket() internal virtual override {
        verifier = new OneStepVerifier();
        bondToken = new TestToken("BOND");
        game = new DisputeGame(coord, verifier, bondToken, BOND, SLASH_WAD, MOVE_WINDOW);
        vm.prank(owner);
        coord.setProofMarket(address(game));
    }

    function _lines(string memory path) internal returns (bytes[] memory out) {
        vm.closeFile(path);
        bytes[] memory buf = new bytes[](64);
        uint256 n;
        while (true) {
            string memory line = vm.readLine(path);
            if (bytes(line).length == 0) break;
            buf[n++] = vm.parseBytes(line);
        }
        out = new bytes[](n);
        for (uint256 i = 0; i < n; ++i) {
            out[i] = buf[i];
        }
        assertGt(n, 0, "no fixtures: run sigil_proof_tests first");
    }

    function _fixture(bytes memory line) internal pure returns (Fixture memory) {
        return abi.decode(line, (Fixture));
    }

    /// A node staked and serving `root` (one per model root).
    function _nodeFor(bytes32 root) internal returns (address op) {
        op = servingNode[root];
        if (op != address(0)) return op;
        op = _server(root, "server-");
        uint32[] memory shape = new uint32[](1);
        shape[0] = 1;
        vm.startPrank(creator);
        _commitModel(root);
        models.registerModel(root, "ipfs://fixture", shape, shape, true);
        models.setRoyalty(root, _pay(), ROYALTY);
        vm.stopPrank();
        servingNode[root] = op;
    }

    /// Another staked node serving `root` (the model must be registered).
    function _server(bytes32 root, string memory prefix) internal returns (address op) {
        op = makeAddr(string.concat(prefix, vm.toString(root)));
        _registerOperator(op, 0);
        _deposit(op, 0, STAKE);
        _allocate(op, _set(), 0, uint64(WAD));
        vm.roll(block.number + 1);
        OperatorRegistry.Service[] memory s = new OperatorRegistry.Service[](1);
        s[0] = OperatorRegistry.Service(root, _pay(), PRICE);
        bytes memory data = abi.encode(OperatorRegistry.Metadata("https://node.example", "eu-west", 1, 4), s);
        vm.prank(op);
        am.registerForOperatorSets(op, IAllocationManager.RegisterParams(address(coord), _ids(SET_ID), data));
    }

    /// A k = 1 request answered by the model's node with the fixture's claim.
    function _answered(Fixture memory f) internal returns (Setup memory s) {
        s.defender = _nodeFor(f.modelRoot);
        RequestParams memory p = _params(1);
        p.modelRoot = f.modelRoot;
        p.inputRoot = f.inputRoot;
        p.assigned = s.defender;
        (s.id, s.job) = _request(p, "");
        s.claim.output = hex"01";
        s.claim.outputRoot = bytes32(bytes1(0x01)); // its tensor root
        s.claim.traceRoot = f.traceRoot;
        s.claim.steps = f.steps;
        s.claim.inputRoot = f.inputRoot;
        vm.prank(s.defender);
        coord.deliver(s.id, s.job, s.claim);
    }

    function _challenge(Setup memory s, address who) internal returns (uint256 gameId) {
        bondToken.mint(who, BOND);
        vm.startPrank(who);
        bondToken.approve(address(game), BOND);
        uint256 g0 = gasleft();
        gameId = game.challenge(s.id, s.job, s.claim, s.defender);
        _account(0, g0 - gasleft());
        vm.stopPrank();
    }

    function _account(uint8 kind, uint256 used) internal {
        gasOf[kind] = used;
        totalGas += used;
        ++txCount;
    }

    /// Sends move `m` of game `gameId` as its party. The arguments are decoded before the gas
    /// measurement, which covers the call only (execution gas, without the 21,000 base and the
    /// calldata bytes; `_calldataGas` gives those).
    function _play(uint256 gameId, Setup memory s, address chal, Move memory m) internal {
        vm.startPrank(m.byDefender ? s.defender : chal);
        uint256 used;
        if (m.kind == BISECT) {
            bytes32 st = abi.decode(m.args, (bytes32));
            used = gasleft();
            game.bisect(gameId, st);
        } else if (m.kind == CHOOSE) {
            bool agree = abi.decode(m.args, (bool));
            used = gasleft();
            game.choose(gameId, agree);
        } else if (m.kind == REVEAL) {
            OutputReveal memory rv = abi.decode(m.args, (OutputReveal));
            used = gasleft();
            game.revealOutput(gameId, rv);
        } else if (m.kind == DESCEND) {
            (bytes32 l, bytes32 r) = abi.decode(m.args, (bytes32, bytes32));
            used = gasleft();
            game.descend(gameId, l, r);
        } else if (m.kind == PICK) {
            bool right = abi.decode(m.args, (bool));
            used = gasleft();
            game.pick(gameId, right);
        } else if (m.kind == PROVE_ELEMENT) {
            ElementProof memory proof = abi.decode(m.args, (ElementProof));
            used = gasleft();
            game.proveElement(gameId, s.job, proof);
        } else if (m.kind == PROVE_PADDING) {
            used = gasleft();
            game.provePadding(gameId, s.job);
        } else {
            ElementProof memory proof = abi.decode(m.args, (ElementProof));
            vm.expectRevert(TraceGame.NoMismatch.selector);
            game.proveElement(gameId, s.job, proof);
        }
        if (m.kind != ATTEMPT) _account(m.kind, used - gasleft());
        vm.stopPrank();
    }

    /// Intrinsic gas of a transaction carrying `data`: 21,000 + 16 per non-zero byte + 4 per zero
    /// byte (EIP-2028).
    function _calldataGas(bytes memory data) internal pure returns (uint256 g) {
        g = 21_000;
        for (uint256 i = 0; i < data.length; ++i) {
            g += data[i] == 0 ? 4 : 16;
        }
    }
}
