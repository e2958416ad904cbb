// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Test} from "forge-std/Test.sol";
import {Operand, OpCtx} from "../../src/avs/dispute/DisputeTypes.sol";
import {OpRecordLib, OpRecord} from "../../src/avs/dispute/OpRecordLib.sol";
import {RowOps} from "../../src/avs/dispute/RowOps.sol";
import {ShapeOps} from "../../src/avs/dispute/ShapeOps.sol";

/// cache_write (kind 21) and causal_softmax's offset operand (kind 18), the decoding-with-a-cache
/// ops of docs/ops.md §19 and §22, against the worked examples (src/core/kernels/docs_examples_test.cpp)
/// and the edges the random differential vectors rarely reach: an offset far below zero or at the
/// int32 bounds, an int32 cache, positions at the int32 bounds, what each element reads, and the op
/// record rules of infer_shape.cpp / validate.cpp (OneStepDifferential replays C++ on random cases).
contract CacheOpsTest is Test {
    int32 internal constant RQ_MUL = 1717986918; // docs/ops.md §16: r = {1717986918, -11}
    int32 internal constant RQ_SHIFT = -11;

    // ---- operands and op contexts ----

    /// An operand of `dtype` (1 int8, 2 int32) holding `v` (int32 little-endian), every chunk opened.
    function operand(uint8 dtype, uint32[] memory shape, int256[] memory v)
        internal
        pure
        returns (Operand memory o)
    {
        uint256 w = dtype == 1 ? 1 : 4;
        bytes memory raw = new bytes(((v.length * w + 31) / 32) * 32);
        for (uint256 i = 0; i < v.length; ++i) {
            uint32 u = uint32(int32(v[i]));
            for (uint256 b = 0; b < w; ++b) {
                raw[i * w + b] = bytes1(uint8(u >> (8 * b)));
            }
        }
        uint256 n = raw.length / 32;
        o.dtype = dtype;
        o.shape = shape;
        o.idx = new uint64[](n);
        o.chunks = new bytes32[](n);
        for (uint256 c = 0; c < n; ++c) {
            bytes32 word;
            assembly ("memory-safe") {
                word := mload(add(add(raw, 32), mul(c, 32)))
            }
            o.idx[c] = uint64(c);
            o.chunks[c] = word;
        }
    }

    /// The same operand with no chunk opened.
    function unopened(Operand memory o) internal pure returns (Operand memory r) {
        r.dtype = o.dtype;
        r.shape = o.shape;
        r.idx = new uint64[](0);
        r.chunks = new bytes32[](0);
    }

    function s1(uint32 a) internal pure returns (uint32[] memory s) {
        s = new uint32[](1);
        s[0] = a;
    }

    function s2(uint32 a, uint32 b) internal pure returns (uint32[] memory s) {
        s = new uint32[](2);
        (s[0], s[1]) = (a, b);
    }

    function vals(int256 a) internal pure returns (int256[] memory v) {
        v = new int256[](1);
        v[0] = a;
    }

    function vals6(int256 a, int256 b, int256 c, int256 d, int256 e, int256 f)
        internal
        pure
        returns (int256[] memory v)
    {
        v = new int256[](6);
        (v[0], v[1], v[2], v[3], v[4], v[5]) = (a, b, c, d, e, f);
    }

    function softmaxCtx(uint32[] memory outShape, uint256 nIn) internal pure returns (OpCtx memory c) {
        c.kind = 18;
        c.inputCount = nIn;
        c.rq = abi.encodePacked(lei(RQ_MUL), lei(RQ_SHIFT));
        c.actMin = -128;
        c.actMax = 127;
        c.outShape = outShape;
        c.outZeroPoint = -128;
    }

    function cacheCtx(uint32[] memory outShape, int32 axis) internal pure returns (OpCtx memory c) {
        c.kind = 21;
        c.inputCount = 3;
        c.axis = axis;
        c.actMin = -128;
        c.actMax = 127;
        c.outShape = outShape;
    }

    /// x = [[10, 5, -3], [10, 5, -3]] as [Q=2, K=3] (docs/ops.md §19), with an offset operand when
    /// `withOffset`.
    function causal(bool withOffset, int256 offset) internal pure returns (int256[6] memory y) {
        Operand[] memory ins = new Operand[](withOffset ? 2 : 1);
        ins[0] = operand(1, s2(2, 3), vals6(10, 5, -3, 10, 5, -3));
        if (withOffset) ins[1] = operand(2, s1(1), vals(offset));
        OpCtx memory c = softmaxCtx(s2(2, 3), ins.length);
        for (uint256 o = 0; o < 6; ++o) {
            (int256 v, bool missing) = RowOps.element(c, ins, o);
            require(!missing, "read an unopened chunk");
            y[o] = v;
        }
    }

    function assertRow(int256[6] memory got, int256[6] memory want) internal pure {
        for (uint256 i = 0; i < 6; ++i) {
            assertEq(got[i], want[i], string.concat("element ", vm.toString(i)));
        }
    }

    // ---- causal_softmax (§19) ----

    function test_causal_softmax_without_offset_is_K_minus_Q() public pure {
        assertRow(causal(false, 0), [int256(32), -32, -128, 8, -46, -91]);
        assertRow(causal(true, 1), [int256(32), -32, -128, 8, -46, -91]); // K - Q = 1
    }

    function test_causal_softmax_offset_zero_docs_example() public pure {
        assertRow(causal(true, 0), [int256(127), -128, -128, 32, -32, -128]);
    }

    /// i + offset + 1 < 1: every query still sees key 0 (lower clamp), whatever the offset.
    function test_causal_softmax_offset_below_zero_sees_key_zero() public pure {
        int256[6] memory one = [int256(127), -128, -128, 127, -128, -128];
        assertRow(causal(true, -2), one);
        assertRow(causal(true, -5), one);
        assertRow(causal(true, type(int32).min), one);
        assertRow(causal(true, -1), one); // query 1: 1 - 1 + 1 = 1 key
    }

    /// i + offset + 1 > K: every key is visible (upper clamp), up to the int32 maximum.
    function test_causal_softmax_offset_past_keys_sees_all() public pure {
        int256[6] memory all = [int256(8), -46, -91, 8, -46, -91];
        assertRow(causal(true, 2), all);
        assertRow(causal(true, 1000), all);
        assertRow(causal(true, type(int32).max), all);
    }

    /// The offset is read first, even for a masked element (rules.hpp causal_visible).
    function test_causal_softmax_masked_element_reads_the_offset() public pure {
        Operand[] memory ins = new Operand[](2);
        ins[0] = unopened(operand(1, s2(2, 3), vals6(10, 5, -3, 10, 5, -3)));
        ins[1] = operand(2, s1(1), vals(0));
        // Element 1 (query 0, key 1) is masked at offset 0: it reads the offset alone.
        (int256 v, bool missing) = RowOps.element(softmaxCtx(s2(2, 3), 2), ins, 1);
        assertEq(v, -128);
        assertFalse(missing);
        ins[1] = unopened(ins[1]);
        ins[0] = operand(1, s2(2, 3), vals6(10, 5, -3, 10, 5, -3));
        (, missing) = RowOps.element(softmaxCtx(s2(2, 3), 2), ins, 1);
        assertTrue(missing, "a masked element must still read the offset");
    }

    // ---- cache_write (§22) ----

    /// cache = [[1, 2], [3, 4], [5, 6]], axis 0, row = [[7, 8]], pos = -2: y = [[1, 2], [7, 8], [5, 6]].
    function test_cache_write_docs_example() public pure {
        Operand[] memory ins = new Operand[](3);
        ins[0] = operand(1, s2(3, 2), vals6(1, 2, 3, 4, 5, 6));
        ins[1] = operand(2, s1(1), vals(-2));
        int256[] memory row = new int256[](2);
        (row[0], row[1]) = (7, 8);
        ins[2] = operand(1, s2(1, 2), row);
        int256[6] memory want = [int256(1), 2, 7, 8, 5, 6];
        for (uint256 o = 0; o < 6; ++o) {
            (int256 v, bool missing) = ShapeOps.element(cacheCtx(s2(3, 2), 0), ins, o);
            assertFalse(missing);
            assertEq(v, want[o]);
        }
    }

    /// An int32 cache written along its last axis; pos wraps (mod 3), down to the int32 minimum.
    function test_cache_write_int32_last_axis_wraps() public pure {
        int256[4] memory positions = [int256(5), type(int32).min, -3, type(int32).max];
        uint256[4] memory wantP = [uint256(2), 1, 0, 1]; // -2^31 = -715827883 * 3 + 1
        for (uint256 t = 0; t < 4; ++t) {
            Operand[] memory ins = new Operand[](3);
            ins[0] = operand(2, s2(2, 3), vals6(1, -2_000_000_000, 3, 4, 5, 2_000_000_000));
            ins[1] = operand(2, s1(1), vals(positions[t]));
            int256[] memory row = new int256[](2);
            (row[0], row[1]) = (70_000, -80_000);
            ins[2] = operand(2, s2(2, 1), row);
            int256[6] memory want = [int256(1), -2_000_000_000, 3, 4, 5, 2_000_000_000];
            want[wantP[t]] = 70_000;
            want[3 + wantP[t]] = -80_000;
            for (uint256 o = 0; o < 6; ++o) {
                (int256 v, bool missing) = ShapeOps.element(cacheCtx(s2(2, 3), 1), ins, o);
                assertFalse(missing);
                assertEq(v, want[o]);
            }
        }
    }

    /// An element reads pos and then one element: of the row at the written position, else of
    /// the cache; never the other operand.
    function test_cache_write_reads_one_operand() public pure {
        Operand[] memory ins = new Operand[](3);
        Operand memory cache = operand(1, s2(3, 2), vals6(1, 2, 3, 4, 5, 6));
        int256[] memory r = new int256[](2);
        (r[0], r[1]) = (7, 8);
        Operand memory row = operand(1, s2(1, 2), r);
        ins[1] = operand(2, s1(1), vals(1));
        for (uint256 o = 0; o < 6; ++o) {
            bool written = o / 2 == 1;
            ins[0] = written ? unopened(cache) : cache;
            ins[2] = written ? row : unopened(row);
            (, bool missing) = ShapeOps.element(cacheCtx(s2(3, 2), 0), ins, o);
            assertFalse(missing, "read the operand it does not depend on");
        }
        ins[0] = cache;
        ins[1] = unopened(ins[1]);
        ins[2] = row;
        (, bool m) = ShapeOps.element(cacheCtx(s2(3, 2), 0), ins, 0);
        assertTrue(m, "pos must be read");
    }

    // ---- op records (ir::decode_op_record: infer_shape.cpp, validate.cpp) ----

    struct D {
        uint8 dtype;
        uint8 kind;
        uint32[] shape;
        int32 zp;
        uint32 qAxis;
        int32[] scaleMul; // one scale per entry: (scaleMul[i], 0)
    }

    struct R {
        uint8 kind;
        int32 axis;
        int32[] rqMul;
        int32 actMin;
        int32 actMax;
        int32 epsilon;
        D[] ins;
        D out;
    }

    /// `v` as 4 little-endian bytes (the op record's u32 / i32).
    function le(uint256 v) internal pure returns (bytes4) {
        uint32 u = uint32(v);
        return bytes4((u >> 24) | ((u >> 8) & 0xff00) | ((u << 8) & 0xff0000) | (u << 24));
    }

    function lei(int32 v) internal pure returns (bytes4) {
        return le(uint32(v));
    }

    function encodeDesc(D memory d) internal pure returns (bytes memory b) {
        b = abi.encodePacked(d.dtype, d.kind, uint8(d.shape.length));
        for (uint256 i = 0; i < d.shape.length; ++i) {
            b = abi.encodePacked(b, le(d.shape[i]));
        }
        b = abi.encodePacked(b, lei(d.zp), le(d.qAxis), le(d.scaleMul.length));
        for (uint256 i = 0; i < d.scaleMul.length; ++i) {
            b = abi.encodePacked(b, lei(d.scaleMul[i]), le(0));
        }
    }

    /// An op record (src/core/ir/op_record.cpp): op, counts (1 step, 3 inputs, 0 weights), each
    /// operand a program input at position i, then the output.
    function encode(R memory r) internal pure returns (bytes memory b) {
        uint256 n = r.ins.length;
        b = abi.encodePacked(r.kind, uint8(n));
        for (uint256 i = 0; i <= n; ++i) {
            b = abi.encodePacked(b, le(i)); // tensor ids, output last
        }
        b = abi.encodePacked(b, le(0), le(0), le(1), le(1)); // kernel, stride
        b = abi.encodePacked(b, le(1), le(1), le(0), le(0), le(0), le(0)); // dilation, pads
        b = abi.encodePacked(b, le(1), lei(r.axis), uint8(0), le(r.rqMul.length)); // groups, axis, perm
        for (uint256 i = 0; i < r.rqMul.length; ++i) {
            b = abi.encodePacked(b, lei(r.rqMul[i]), lei(RQ_SHIFT));
        }
        b = abi.encodePacked(b, lei(r.actMin), lei(r.actMax), lei(r.epsilon));
        b = abi.encodePacked(b, le(1), le(3), le(0));
        for (uint256 i = 0; i < n; ++i) {
            b = abi.encodePacked(b, encodeDesc(r.ins[i]), le(i));
        }
        b = abi.encodePacked(b, encodeDesc(r.out));
    }

    function ok(R memory r) internal pure returns (bool good) {
        (good,) = OpRecordLib.decode(encode(r));
    }

    function i8(uint32[] memory shape, int32 zp, int32 scale) internal pure returns (D memory d) {
        d.dtype = 1;
        d.shape = shape;
        d.zp = zp;
        d.scaleMul = new int32[](1);
        d.scaleMul[0] = scale;
    }

    function i32(uint32[] memory shape) internal pure returns (D memory d) {
        d.dtype = 2;
        d.shape = shape;
        d.scaleMul = new int32[](0);
    }

    function base(uint8 kind, uint256 n) internal pure returns (R memory r) {
        r.kind = kind;
        r.rqMul = new int32[](0);
        r.actMin = -128;
        r.actMax = 127;
        r.ins = new D[](n);
    }

    /// cache [3, 2] int8 (zp 5, scale 1000), pos int32 [1], row [1, 2] at axis 0; output as the cache.
    function cacheRecord() internal pure returns (R memory r) {
        r = base(21, 3);
        r.ins[0] = i8(s2(3, 2), 5, 1000);
        r.ins[1] = i32(s1(1));
        r.ins[2] = i8(s2(1, 2), 5, 1000);
        r.out = i8(s2(3, 2), 5, 1000);
        r.out.kind = 2;
    }

    function test_record_cache_write_accepts() public pure {
        assertTrue(ok(cacheRecord()));
        // along axis 1, row [3, 1]
        R memory r = cacheRecord();
        r.axis = 1;
        r.ins[2].shape = s2(3, 1);
        assertTrue(ok(r));
        // an int32 cache, and an int32 output
        r = cacheRecord();
        r.ins[0] = i32(s2(3, 2));
        r.ins[2] = i32(s2(1, 2));
        r.out = i32(s2(3, 2));
        r.out.kind = 2;
        assertTrue(ok(r));
        // pos produced by an earlier step
        r = cacheRecord();
        r.ins[1].kind = 2;
        assertTrue(ok(r));
        // requant entries are not cache_write's attribute, and like gather's they are not checked
        r = cacheRecord();
        r.rqMul = new int32[](1);
        r.rqMul[0] = 5;
        assertTrue(ok(r));
    }

    function test_record_cache_write_refusals() public pure {
        R memory r;
        // attributes: only axis
        r = cacheRecord();
        r.actMin = -100;
        assertFalse(ok(r), "clamp set");
        r = cacheRecord();
        r.epsilon = 1;
        assertFalse(ok(r), "epsilon set");
        r = cacheRecord();
        r.axis = 2;
        assertFalse(ok(r), "axis past the rank");
        r = cacheRecord();
        r.axis = -1;
        assertFalse(ok(r), "negative axis");
        // arity
        r = cacheRecord();
        D[] memory two = new D[](2);
        (two[0], two[1]) = (r.ins[0], r.ins[1]);
        r.ins = two;
        assertFalse(ok(r), "two inputs");
        // pos: int32 [1]
        r = cacheRecord();
        r.ins[1] = i8(s1(1), 0, 1000);
        assertFalse(ok(r), "int8 pos");
        r = cacheRecord();
        r.ins[1].shape = s1(2);
        assertFalse(ok(r), "pos [2]");
        r = cacheRecord();
        r.ins[1].shape = s2(1, 1);
        assertFalse(ok(r), "pos [1, 1]");
        // row: the cache's shape with 1 at axis, its dtype and quantization
        r = cacheRecord();
        r.ins[2].shape = s2(1, 3);
        assertFalse(ok(r), "row width");
        r = cacheRecord();
        r.ins[2].shape = s2(3, 1);
        assertFalse(ok(r), "1 not at the axis");
        r = cacheRecord();
        r.ins[2].shape = s1(2);
        assertFalse(ok(r), "row rank");
        r = cacheRecord();
        r.ins[2].shape = s2(3, 2);
        assertFalse(ok(r), "row as large as the cache");
        r = cacheRecord();
        r.ins[2] = i32(s2(1, 2));
        assertFalse(ok(r), "row dtype");
        r = cacheRecord();
        r.ins[2].zp = 6;
        assertFalse(ok(r), "row zero point");
        r = cacheRecord();
        r.ins[2].scaleMul[0] = 1001;
        assertFalse(ok(r), "row scale");
        // output: the cache's dtype, shape and quantization, per tensor only
        r = cacheRecord();
        r.out.zp = 6;
        assertFalse(ok(r), "output quantization");
        r = cacheRecord();
        r.out.shape = s2(2, 3);
        assertFalse(ok(r), "output shape");
        r = cacheRecord();
        r.ins[0] = i32(s2(3, 2));
        r.ins[2] = i32(s2(1, 2));
        r.out = i8(s2(3, 2), 0, 1000);
        r.out.scaleMul = new int32[](0);
        r.out.kind = 2;
        assertFalse(ok(r), "int8 output of an int32 cache");
        r = cacheRecord();
        int32[] memory perChannel = new int32[](2);
        (perChannel[0], perChannel[1]) = (1000, 2000);
        (r.ins[0].scaleMul, r.ins[0].qAxis) = (perChannel, 1);
        (r.ins[2].scaleMul, r.ins[2].qAxis) = (perChannel, 1);
        (r.out.scaleMul, r.out.qAxis) = (perChannel, 1);
        assertFalse(ok(r), "per-channel cache");
        // kind 22 does not exist
        r = cacheRecord();
        r.kind = 22;
        assertFalse(ok(r), "kind 22");
    }

    /// x [2, 3] int8, optionally an offset; output zero point -128.
    function softmaxRecord(uint256 n) internal pure returns (R memory r) {
        r = base(18, n);
        r.rqMul = new int32[](1);
        r.rqMul[0] = RQ_MUL;
        r.ins[0] = i8(s2(2, 3), 0, 1000);
        if (n > 1) r.ins[1] = i32(s1(1));
        if (n > 2) r.ins[2] = i32(s1(1));
        r.out = i8(s2(2, 3), -128, 1 << 30);
        r.out.kind = 2;
    }

    function test_record_causal_softmax_offset() public pure {
        assertTrue(ok(softmaxRecord(1)));
        assertTrue(ok(softmaxRecord(2)));
        assertFalse(ok(softmaxRecord(3)), "three inputs");
        R memory r = softmaxRecord(2);
        r.ins[1] = i8(s1(1), 0, 1000);
        assertFalse(ok(r), "int8 offset");
        r = softmaxRecord(2);
        r.ins[1].shape = s1(2);
        assertFalse(ok(r), "offset [2]");
        r = softmaxRecord(2);
        r.ins[1].shape = s2(1, 1);
        assertFalse(ok(r), "offset [1, 1]");
        r = softmaxRecord(2);
        r.axis = 1;
        assertFalse(ok(r), "axis set");
        r = softmaxRecord(2);
        r.rqMul = new int32[](2);
        assertFalse(ok(r), "two requant steps");
        r = softmaxRecord(2);
        r.ins[0].shape = s2(4, 3);
        r.out.shape = s2(4, 3);
        assertFalse(ok(r), "Q > K");
        r = softmaxRecord(2);
        r.out.zp = -127;
        assertFalse(ok(r), "output zero point");
        r = softmaxRecord(2);
        r.ins[0] = i32(s2(2, 3));
        assertFalse(ok(r), "int32 x");
    }
}
