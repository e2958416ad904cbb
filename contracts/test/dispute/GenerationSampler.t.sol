// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Test} from "forge-std/Test.sol";
import {GenerationLib, GenerationSpec, LmManifest} from "../../src/avs/dispute/GenerationLib.sol";
import {TensorRootLib} from "../../src/avs/dispute/TensorRootLib.sol";
import {RowProofs} from "./RowProofs.sol";

contract SamplerHarness {
    function sample(bytes calldata row, LmManifest calldata m, GenerationSpec calldata s, uint64 step)
        external
        pure
        returns (uint32)
    {
        return GenerationLib.sample(row, m, s, step);
    }

    /// The execution gas of a greedy step's two-logit proof, and the root it proves.
    function greedyWitness(bytes calldata proof, LmManifest calldata m, uint32 next)
        external
        view
        returns (uint256 gas, bytes32 root, uint32 winner)
    {
        uint256 g0 = gasleft();
        (root, winner) = GenerationLib.greedyWitness(proof, m, next);
        gas = g0 - gasleft();
    }

    /// The execution gas of what proveToken computes from a logits row (its tensor root, the
    /// draw), measured inside the call so the caller's memory does not count.
    function rootAndSample(bytes calldata row, LmManifest calldata m, GenerationSpec calldata s, uint64 step)
        external
        view
        returns (uint256 rootGas, uint256 drawGas)
    {
        uint256 g0 = gasleft();
        TensorRootLib.tensorRoot(row);
        rootGas = g0 - gasleft();
        g0 = gasleft();
        GenerationLib.sample(row, m, s, step);
        drawGas = g0 - gasleft();
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

    /// The cost of proveToken's row check and draw for a GPT-2-small vocabulary (50,257 int32
    /// logits), greedy and top-64 sampling, with the row's calldata (EIP-2028 prices).
    function test_gas_gpt2_small_vocabulary() public {
        _gasAt(50_257);
    }

    function rootOf(bytes calldata row) external pure returns (bytes32) {
        return TensorRootLib.tensorRoot(row);
    }

    /// A greedy step needs only two logits: the one the defender bound (here logit 7) and one
    /// that beats it (the argmax), each with its 13-hash path; both lead to the row's tensor root.
    function _greedyWitnessGas(SamplerHarness h, bytes memory row, LmManifest memory m) internal {
        uint32 best = RowProofs.argmax(row);
        bytes memory proof = RowProofs.witness(row, best, 7);
        (uint256 witnessGas, bytes32 root, uint32 winner) = h.greedyWitness(proof, m, 7);
        assertEq(root, this.rootOf(row));
        assertEq(winner, best);
        uint256 witnessCalldata;
        for (uint256 i = 0; i < proof.length; ++i) {
            witnessCalldata += proof[i] == 0 ? 4 : 16;
        }
        emit log_named_uint("greedy two-logit proof gas", witnessGas);
        emit log_named_uint("greedy two-logit proof calldata gas", witnessCalldata);
        assertLt(witnessGas + witnessCalldata, 300_000);
    }

    function _gasAt(uint256 v) internal {
        SamplerHarness h = new SamplerHarness();
        bytes memory row = new bytes(4 * v);
        for (uint256 i = 0; i < v; ++i) {
            // int32 logits of a GPT-2 head at the --logits int32 grid: |x| < 2^20.
            uint256 r = uint256(keccak256(abi.encode(i)));
            int32 x = int32(int256(r % (1 << 21)) - (1 << 20));
            uint32 u = uint32(x);
            row[4 * i] = bytes1(uint8(u));
            row[4 * i + 1] = bytes1(uint8(u >> 8));
            row[4 * i + 2] = bytes1(uint8(u >> 16));
            row[4 * i + 3] = bytes1(uint8(u >> 24));
        }
        uint256 calldataGas;
        for (uint256 i = 0; i < row.length; ++i) {
            calldataGas += row[i] == 0 ? 4 : 16;
        }
        LmManifest memory m;
        m.vocab = uint32(v);
        m.logitsWidth = 4;
        m.logitsMultiplier = 1 << 30;
        m.logitsShift = 14;
        GenerationSpec memory s;
        s.topPMicro = 1_000_000;
        (uint256 rootGas, uint256 greedy) = h.rootAndSample(row, m, s, 0);
        s.temperatureMilli = 1000;
        s.topK = 64;
        s.topPMicro = 900_000;
        (, uint256 sampled) = h.rootAndSample(row, m, s, 0);
        emit log_named_uint("row calldata gas (201,028 bytes)", calldataGas);
        emit log_named_uint("row root gas", rootGas);
        emit log_named_uint("greedy draw gas", greedy);
        emit log_named_uint("top-64 draw gas", sampled);
        uint256 sampled_ = sampled + rootGas;
        _greedyWitnessGas(h, row, m);
        // Inside a 30M block with the rest of proveToken (about 0.5M).
        assertLt(calldataGas + rootGas + greedy, 10_000_000);
        assertLt(calldataGas + sampled_, 25_000_000);
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
