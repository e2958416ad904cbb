// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Test} from "forge-std/Test.sol";
import {GenerationLib, GenerationSpec, LmManifest} from "../../src/avs/dispute/GenerationLib.sol";

contract SamplerHarness {
    function sample(bytes calldata row, LmManifest calldata m, GenerationSpec calldata s, uint64 step)
        external
        pure
        returns (uint32)
    {
        return GenerationLib.sample(row, m, s, step);
    }
}

/// @notice GenerationLib.sample against the C++ sampler (src/runtime/lm/sampler.cpp) on 300
///         random rows written by src/runtime/lm/onchain_test.cpp: int8 and int32 logits, ties,
///         greedy, top-k and top-p draws.
contract GenerationSamplerTest is Test {
    string internal constant PATH = "../build/dispute/sampler_vectors.txt";

    struct Case {
        bytes row;
        uint8 width;
        int32 multiplier;
        int32 shift;
        uint32 temperatureMilli;
        uint32 topK;
        uint32 topPMicro;
        bytes32 seed;
        uint64 step;
        uint32 token;
    }

    function test_matches_the_cpp_sampler() public {
        SamplerHarness h = new SamplerHarness();
        uint256 n;
        while (true) {
            string memory line = vm.readLine(PATH);
            if (bytes(line).length == 0) break;
            Case memory c = abi.decode(vm.parseBytes(line), (Case));
            LmManifest memory m;
            m.vocab = uint32(c.row.length / c.width);
            m.logitsWidth = c.width;
            m.logitsMultiplier = c.multiplier;
            m.logitsShift = c.shift;
            GenerationSpec memory s;
            s.temperatureMilli = c.temperatureMilli;
            s.topK = c.topK;
            s.topPMicro = c.topPMicro;
            s.seed = c.seed;
            assertEq(h.sample(c.row, m, s, c.step), c.token, string.concat("case ", vm.toString(n)));
            ++n;
        }
        assertEq(n, 300, "run sigil_runtime_tests first");
    }
}
