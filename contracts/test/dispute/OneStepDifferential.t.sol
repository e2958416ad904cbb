// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Test, console} from "forge-std/Test.sol";
import {OneStepVerifier} from "../../src/avs/dispute/OneStepVerifier.sol";
import {OneStepCase} from "./OneStepCase.sol";

/// Replays the vectors written by the C++ test `one_step_vectors.generate_and_write`
/// (src/proof/one_step_vectors_test.cpp, at build/dispute/one_step_vectors.txt): thousands of random
/// op instances with honest and corrupted element proofs. The Solidity verifier must take exactly
/// the decision of trace::verify_element and recompute exactly its value on every one.
contract OneStepDifferentialTest is Test {
    string internal constant PATH = "../build/dispute/one_step_vectors.txt";
    OneStepVerifier internal verifier;


    uint256 internal constant MAX_OP_KIND = 21; // ir::kMaxOpKind (src/core/ir/program.hpp)
    uint256[MAX_OP_KIND + 1] internal maxGas; // per op kind, honest proofs
    uint256[MAX_OP_KIND + 1] internal honestCount;

    function setUp() public {
        verifier = new OneStepVerifier();
    }

    /// Checks one line; returns false at the end of the file. External so that each case's memory
    /// is released when it returns. Only the measured `verify` call is metered: replaying every
    /// vector metered (reading, decoding, recompute and verify, ~230k gas a case) would pass the
    /// test's 2^30 gas limit.
    function checkNext() external returns (bool more, uint8 kind, bool honest, uint256 gasUsed) {
        vm.pauseGasMetering();
        string memory line = vm.readLine(PATH);
        if (bytes(line).length == 0) {
            vm.resumeGasMetering();
            return (false, 0, false, 0);
        }
        OneStepCase memory c = abi.decode(vm.parseBytes(line), (OneStepCase));
        (uint8 code, int32 got) = verifier.recompute(c.modelRoot, c.statePrev, c.proof);
        assertEq(code, c.recomputeCode, "recompute decision differs from C++");
        assertEq(got, c.value, "recomputed value differs from C++");
        vm.resumeGasMetering();
        uint256 g = gasleft();
        uint8 vc = verifier.verify(c.modelRoot, c.statePrev, c.proof, c.claimed);
        gasUsed = g - gasleft();
        assertEq(vc, c.verifyCode, "verify decision differs from C++");
        return (true, c.opKind, c.verifyCode == 0, gasUsed);
    }

    function test_matches_cpp_verify_element_on_every_vector() public {
        uint256 n = 0;
        uint256 accepted = 0;
        while (true) {
            (bool more, uint8 kind, bool honest, uint256 gasUsed) = this.checkNext();
            if (!more) break;
            ++n;
            if (honest) {
                ++accepted;
                ++honestCount[kind];
                if (gasUsed > maxGas[kind]) maxGas[kind] = gasUsed;
            }
        }
        assertGe(n, 2000, "too few vectors (run sigil_proof_tests first)");
        assertGt(accepted, 0);
        assertLt(accepted, n);
        console.log("vectors", n, "accepted", accepted);
        for (uint256 k = 1; k <= MAX_OP_KIND; ++k) {
            console.log("op kind", k, "max one-step gas", maxGas[k]);
            assertGt(honestCount[k], 0, "an op kind has no accepted vector");
        }
    }
}
