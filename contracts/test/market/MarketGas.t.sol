// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {console} from "forge-std/console.sol";
import {MarketBase} from "./MarketBase.sol";
import {Job, Claim} from "../../src/avs/CoordinatorTypes.sol";

/// @notice Transaction gas of each ProofMarket call: every top-level call is its own transaction
///         (isolate mode), so accounts and slots start cold, and `vm.lastCallGas().gasTotalUsed` is
///         the whole transaction (21,000 base, calldata, cold accesses, execution, net of refunds).
///         `forge test --match-contract MarketGasTest -vv` prints the figures for the README.
/// forge-config: default.isolate = true
contract MarketGasTest is MarketBase {
    uint64 internal delay;

    function _g() internal view returns (uint256) {
        return vm.lastCallGas().gasTotalUsed;
    }

    function _verifiers(uint256 n) internal {
        for (uint256 i = 0; i < n; ++i) {
            _registerVerifier(string.concat("gasv", vm.toString(i)), uint96((i + 1) * 1 ether));
        }
        vm.roll(block.number + 1);
    }

    function _flow(uint256 n) internal returns (uint256[6] memory g) {
        _verifiers(n);
        (bytes32 id, Job memory job) = _request(_params(1), "");
        pay.mint(alice, FEE);
        vm.startPrank(alice);
        pay.approve(address(pm), FEE);
        pm.post(id, job, FULL, FEE, VERIFY_WINDOW);
        g[0] = _g();
        vm.stopPrank();
        Claim memory c = _claim(1);
        vm.prank(nodes[0]);
        coord.deliver(id, job, c);
        pm.arm(id);
        g[1] = _g();
        vm.roll(block.number + 97);
        pm.draw(id);
        g[2] = _g();
        address v = pm.getBounty(id).verifier;
        vm.prank(v);
        pm.attest(id);
        g[3] = _g();
        vm.warp(coord.getRequest(id).finalAt);
        pm.resolve(id);
        g[4] = _g();
        vm.prank(v);
        pm.withdraw(_pay());
        g[5] = _g();
    }

    function test_gas_flow_4verifiers() public {
        uint256[6] memory g = _flow(4);
        console.log("post", g[0]);
        console.log("arm", g[1]);
        console.log("draw (selected, 4 verifiers)", g[2]);
        console.log("attest", g[3]);
        console.log("resolve (fee to verifier)", g[4]);
        console.log("withdraw", g[5]);
        assertLt(g[2], 150_000);
    }

    function test_gas_draw_64verifiers() public {
        uint256[6] memory g = _flow(pm.MAX_VERIFIERS());
        console.log("draw (selected, 64 verifiers)", g[2]);
        assertLt(g[2], 600_000);
    }

    function test_gas_draw_notSelected() public {
        _verifiers(4);
        (bytes32 id, Job memory job) = _request(_params(1), "");
        _post(id, job, 2e17, FEE, VERIFY_WINDOW);
        vm.prank(nodes[0]);
        coord.deliver(id, job, _claim(1));
        pm.arm(id);
        _drawRandao(id, _randaoWith(id, 2e17, false));
        pm.draw(id);
        console.log("draw (not selected, refund)", _g());
    }

    function test_gas_register_and_refute_resolve() public {
        vbond.mint(address(this), 2 ether);
        vbond.approve(address(pm), 2 ether);
        pm.register(2 ether);
        console.log("register", _g());
        vm.roll(block.number + 1);
        (bytes32 id, Job memory job, Claim memory c, address v) = _assigned();
        _refuteByTimeout(id, job, c, nodes[0], v);
        pm.resolve(id);
        console.log("resolve (refuted by the verifier)", _g());
    }

    function test_gas_resolve_missed() public {
        _verifiers(4);
        (bytes32 id,,,) = _assigned();
        vm.warp(pm.getBounty(id).deadline + 1);
        pm.resolve(id);
        console.log("resolve (missed window: penalty, ejection, refund)", _g());
    }
}
