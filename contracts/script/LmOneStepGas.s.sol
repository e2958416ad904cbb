// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Script, console} from "forge-std/Script.sol";
import {Vm} from "forge-std/Vm.sol";
import {OneStepVerifier} from "../src/avs/dispute/OneStepVerifier.sol";
import {OneStepCase} from "../test/dispute/OneStepCase.sol";

/// The on-chain cost of one-step proofs of a language model's decode step: replays the honest
/// proofs written by bench/lm_one_step_vectors (one line per proof, under ../build/dispute/) through
/// OneStepVerifier.verify and prints, per op kind, the largest execution gas, the largest proof's
/// calldata bytes, and the intrinsic calldata gas of that proof (EIP-2028: 16 a non-zero byte, 4 a
/// zero byte). Every proof must be accepted. Run by bench/lm_one_step_gas.sh:
///   forge script script/LmOneStepGas.s.sol --sig "run(string)" ../build/dispute/FILE.txt
contract LmOneStepGas is Script {

    uint256 internal constant MAX_OP_KIND = 21; // ir::kMaxOpKind (src/core/ir/program.hpp)
    uint256[MAX_OP_KIND + 1] internal maxGas;
    uint256[MAX_OP_KIND + 1] internal maxBytes;
    uint256[MAX_OP_KIND + 1] internal maxCalldataGas;
    uint256[MAX_OP_KIND + 1] internal count;
    uint256[MAX_OP_KIND + 1] internal maxGasStep;
    // The latest step of each kind (for fully_connected: the LM head) and its largest proof.
    uint256[MAX_OP_KIND + 1] internal lastStep;
    uint256[MAX_OP_KIND + 1] internal lastStepGas;
    uint256[MAX_OP_KIND + 1] internal lastStepBytes;

    function run(string calldata path) external {
        OneStepVerifier verifier = new OneStepVerifier();
        LmOneStepMeter meter = new LmOneStepMeter();
        uint256 total = 0;
        while (true) {
            (bool more, uint256 k, uint256 used, uint256 size, uint256 cdGas, uint256 step) = meter.one(verifier, path);
            if (!more) break;
            ++count[k];
            ++total;
            if (used > maxGas[k]) {
                maxGas[k] = used;
                maxGasStep[k] = step;
            }
            if (step > lastStep[k]) (lastStep[k], lastStepGas[k], lastStepBytes[k]) = (step, 0, 0);
            if (step == lastStep[k] && used > lastStepGas[k]) (lastStepGas[k], lastStepBytes[k]) = (used, size);
            if (size > maxBytes[k]) {
                maxBytes[k] = size;
                maxCalldataGas[k] = cdGas;
            }
        }
        require(total > 0, "no proofs in the file");
        console.log("proofs", total);
        for (uint256 k = 1; k <= MAX_OP_KIND; ++k) {
            if (count[k] == 0) continue;
            console.log("op kind", k);
            console.log("  proofs", count[k]);
            console.log("  max execution gas", maxGas[k]);
            console.log("  at step", maxGasStep[k]);
            console.log("  max calldata bytes", maxBytes[k]);
            console.log("  its calldata gas", maxCalldataGas[k]);
            console.log("  last step of this kind", lastStep[k]);
            console.log("    its max execution gas", lastStepGas[k]);
            console.log("    its calldata bytes", lastStepBytes[k]);
        }
    }

}

/// Reads, verifies and measures one proof per call, in its own call frame so that each proof's
/// memory is released when the call returns (a script contract cannot call itself).
contract LmOneStepMeter {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));


    /// One line: verify its proof and measure it. External, so that each proof's memory is released
    /// when it returns (memory is never freed within a call).
    function one(OneStepVerifier verifier, string calldata path)
        external
        returns (bool more, uint256 kind, uint256 used, uint256 size, uint256 cdGas, uint256 step)
    {
        string memory line = vm.readLine(path);
        if (bytes(line).length == 0) return (false, 0, 0, 0, 0, 0);
        OneStepCase memory c = abi.decode(vm.parseBytes(line), (OneStepCase));
        bytes memory callData = abi.encodeCall(verifier.verify, (c.modelRoot, c.statePrev, c.proof, c.claimed));
        uint256 g = gasleft();
        uint8 code = verifier.verify(c.modelRoot, c.statePrev, c.proof, c.claimed);
        used = g - gasleft();
        require(code == 0, "an honest proof was refused");
        return (true, c.opKind, used, callData.length, calldataGas(callData), c.proof.step);
    }

    function calldataGas(bytes memory data) internal pure returns (uint256 gas) {
        for (uint256 i = 0; i < data.length; ++i) {
            gas += data[i] == 0 ? 4 : 16;
        }
    }
}
