// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Test} from "forge-std/Test.sol";
import {OpMath} from "../../src/avs/dispute/OpMath.sol";

/// Replays build/dispute/fixedpoint_vectors.txt (src/proof/fixedpoint_vectors_test.cpp): the
/// requantization, i-exp, i-GELU, rounding division, integer square root and i-SiLU (primitive 6,
/// present once the C++ test writes it) of OpMath must equal the C++ kernels on every vector,
/// rounding ties and saturation included.
contract FixedPointDifferentialTest is Test {
    string internal constant PATH = "../build/dispute/fixedpoint_vectors.txt";

    function checkNext() external view returns (bool more) {
        string memory line = vm.readLine(PATH);
        if (bytes(line).length == 0) return false;
        (uint8 fn, int256 a, int256 b, int256 c, int256 want) =
            abi.decode(vm.parseBytes(line), (uint8, int256, int256, int256, int256));
        int256 got;
        if (fn == 1) got = OpMath.requant(a, int32(b), int32(c));
        else if (fn == 2) got = OpMath.iexp(a);
        else if (fn == 3) got = OpMath.igelu(a);
        else if (fn == 4) got = OpMath.divRoundAway(a, b);
        else if (fn == 5) got = int256(OpMath.isqrt(uint256(a)));
        else if (fn == 6) got = OpMath.isilu(a);
        else revert(string.concat("unknown primitive ", vm.toString(fn)));
        assertEq(got, want, string.concat("primitive ", vm.toString(fn), " of ", vm.toString(a)));
        return true;
    }

    function test_primitives_match_cpp() public {
        vm.closeFile(PATH);
        uint256 n;
        while (this.checkNext()) ++n;
        assertGe(n, 5000, "too few vectors (run sigil_proof_tests first)");
    }
}
