// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Desc, OpCtx} from "./DisputeTypes.sol";
import {OpMath} from "./OpMath.sol";

/// A decoded op record (src/core/ir/op_record.hpp).
struct OpRecord {
    OpCtx op;
    uint32 stepCount;
    uint32 inputCount;
    uint32 weightCount;
    Desc[] operands;
    uint32[] locators;
    Desc output;
}

/// @notice Decodes an op record and checks its op against its descriptors exactly as
/// ir::decode_op_record does (every refusal is one answer: bad_op_record).
library OpRecordLib {
    uint256 internal constant MAX_ELEMENTS = 1 << 30;
    uint256 internal constant MAX_OPS = 1 << 20;
    uint256 internal constant MAX_TENSORS = 1 << 20;
    uint256 internal constant MAX_RANK = 6;
    uint256 internal constant MAX_PAD = 1 << 16;
    uint256 internal constant MAX_STRIDE = 1 << 16;
    uint256 internal constant MAX_NORM_ROW = 1 << 14;

    // Attribute groups an op kind may set (check_unused in src/core/ir/infer_shape.cpp).
    uint256 internal constant A_KERNEL = 1;
    uint256 internal constant A_STRIDE = 2;
    uint256 internal constant A_DILATION = 4;
    uint256 internal constant A_PADS = 8;
    uint256 internal constant A_GROUPS = 16;
    uint256 internal constant A_AXIS = 32;
    uint256 internal constant A_PERM = 64;
    uint256 internal constant A_ACT = 128;
    uint256 internal constant A_EPS = 256;

    struct Reader {
        bytes b;
        uint256 pos;
        bool bad;
    }

    function u8(Reader memory r) private pure returns (uint256 v) {
        if (r.pos + 1 > r.b.length) {
            r.bad = true;
            return 0;
        }
        v = uint8(r.b[r.pos]);
        r.pos += 1;
    }

    function u32(Reader memory r) private pure returns (uint32) {
        uint256 p = r.pos;
        if (p + 4 > r.b.length) {
            r.bad = true;
            r.pos = r.b.length;
            return 0;
        }
        bytes memory b = r.b;
        uint256 w;
        assembly {
            w := mload(add(add(b, 32), p)) // the 4 bytes at p lead the word; the rest is not used
        }
        r.pos = p + 4;
        return uint32(OpMath.le32(w, 0));
    }

    /// A copy of `len` bytes of `b` from `start` (in bounds: the caller checked).
    function slice(bytes memory b, uint256 start, uint256 len) private pure returns (bytes memory out) {
        out = new bytes(len);
        assembly {
            mcopy(add(out, 32), add(add(b, 32), start), len)
        }
    }

    function i32(Reader memory r) private pure returns (int32) {
        return int32(u32(r));
    }

    /// Scale lists longer than this are committed by their root in op records (ir::kInlineScales).
    uint256 internal constant INLINE_SCALES = 4;

    /// A scale list as an op record has it (ir::read_compact_list): a count, then the entries
    /// (`start`: their offset) when there are at most INLINE_SCALES, else the list's root.
    function readList(Reader memory r) private pure returns (uint256 n, uint256 start, bytes32 root, bool rooted) {
        n = u32(r);
        if (n > MAX_ELEMENTS) {
            r.bad = true;
            return (0, r.pos, root, false);
        }
        start = r.pos;
        if (n > INLINE_SCALES) {
            if (r.pos + 32 > r.b.length) {
                r.bad = true;
                return (0, start, root, false);
            }
            bytes memory b = r.b;
            assembly {
                root := mload(add(add(b, 32), start))
            }
            r.pos = start + 32;
            return (n, start, root, true);
        }
        if (n * 8 > r.b.length - r.pos) {
            r.bad = true;
            return (0, start, root, false);
        }
        if (!validScales(r.b, start, n)) r.bad = true;
        r.pos = start + 8 * n;
    }

    /// ir's valid QScale (multiplier >= 0, shift in [-31, 31]) on each of the `n` (multiplier, shift)
    /// pairs of `b` from `start`, both little-endian int32 (in bounds: the caller checked with
    /// count()): the multiplier's sign
    /// bit (byte 3) clear, and the shift (bytes 4-7) in [-31, 31], i.e. 0x000000_00..1f or
    /// 0xffffff_e1..ff. One word read a pair.
    function validScales(bytes memory b, uint256 start, uint256 n) internal pure returns (bool ok) {
        assembly {
            ok := 1
            let p := add(add(b, 32), start)
            let end := add(p, mul(n, 8))
            for {} lt(p, end) { p := add(p, 8) } {
                let w := mload(p)
                if gt(byte(3, w), 0x7f) { ok := 0 }
                let lo := byte(4, w)
                switch or(or(shl(16, byte(7, w)), shl(8, byte(6, w))), byte(5, w))
                case 0 { if gt(lo, 31) { ok := 0 } }
                case 0xffffff { if lt(lo, 0xe1) { ok := 0 } }
                default { ok := 0 }
            }
        }
    }

    function readDesc(Reader memory r) private pure returns (Desc memory d) {
        d.dtype = uint8(u8(r));
        d.kind = uint8(u8(r));
        uint256 rank = u8(r);
        if (rank == 0 || rank > MAX_RANK) {
            r.bad = true;
            rank = 0;
        }
        d.shape = new uint32[](rank);
        for (uint256 i = 0; i < rank; ++i) {
            d.shape[i] = u32(r);
        }
        d.zeroPoint = i32(r);
        d.quantAxis = u32(r);
        (uint256 n, uint256 start, bytes32 root, bool rooted) = readList(r);
        d.scaleCount = n;
        // Tagged, so that an inline list and a rooted one never hash alike.
        d.quantHash = rooted
            ? keccak256(abi.encodePacked(uint8(1), d.zeroPoint, d.quantAxis, uint32(n), root))
            : keccak256(abi.encodePacked(uint8(0), d.zeroPoint, d.quantAxis, slice(r.b, start, 8 * n)));
        // validate_tensor (kind checked by the caller).
        if (d.dtype != 1 && d.dtype != 2) r.bad = true;
        uint256 elems = 1;
        for (uint256 i = 0; i < rank; ++i) {
            if (d.shape[i] == 0) r.bad = true;
            elems *= d.shape[i];
            if (elems > MAX_ELEMENTS) {
                r.bad = true;
                elems = 1;
            }
        }
        if (d.dtype == 1 ? (d.zeroPoint < -128 || d.zeroPoint > 127) : d.zeroPoint != 0) r.bad = true;
        if (n > 1) {
            if (d.quantAxis >= rank || n != d.shape[d.quantAxis]) r.bad = true;
        } else if (d.quantAxis != 0) {
            r.bad = true;
        }
    }

    function readOp(Reader memory r) private pure returns (OpCtx memory c) {
        uint256 kind = u8(r);
        if (kind == 0 || kind > 21) r.bad = true; // ir::kMaxOpKind
        c.kind = uint8(kind);
        uint256 nIn = u8(r);
        if (nIn == 0 || nIn > 64) r.bad = true;
        c.inputCount = nIn;
        r.pos += 4 * nIn + 4; // tensor ids of the program (replaced by the record's descriptors)
        if (r.pos > r.b.length) {
            r.bad = true;
            r.pos = r.b.length;
        }
        for (uint256 i = 0; i < 2; ++i) {
            c.kernel[i] = u32(r);
        }
        for (uint256 i = 0; i < 2; ++i) {
            c.stride[i] = u32(r);
        }
        for (uint256 i = 0; i < 2; ++i) {
            c.dilation[i] = u32(r);
        }
        for (uint256 i = 0; i < 4; ++i) {
            c.pads[i] = u32(r);
        }
        c.groups = u32(r);
        c.axis = i32(r);
        uint256 nPerm = u8(r);
        if (nPerm > MAX_RANK) {
            r.bad = true;
            nPerm = 0;
        }
        c.perm = new uint32[](nPerm);
        for (uint256 i = 0; i < nPerm; ++i) {
            c.perm[i] = u32(r);
        }
        (uint256 nRq, uint256 rqStart, bytes32 rqRoot, bool rooted) = readList(r);
        c.rqCount = nRq;
        if (rooted) c.rqRoot = rqRoot;
        else c.rq = slice(r.b, rqStart, 8 * nRq);
        c.actMin = i32(r);
        c.actMax = i32(r);
        c.epsilon = i32(r);
    }

    /// Decodes `b`; `ok` is false when ir::decode_op_record would refuse it.
    function decode(bytes calldata b) external pure returns (bool ok, OpRecord memory rec) {
        Reader memory r = Reader(b, 0, false);
        rec.op = readOp(r);
        if (r.bad) return (false, rec);
        rec.stepCount = u32(r);
        rec.inputCount = u32(r);
        rec.weightCount = u32(r);
        if (rec.stepCount == 0 || rec.stepCount > MAX_OPS) return (false, rec);
        if (rec.inputCount > MAX_TENSORS || rec.weightCount > MAX_TENSORS) return (false, rec);
        uint256 n = rec.op.inputCount;
        rec.operands = new Desc[](n);
        rec.locators = new uint32[](n);
        for (uint256 i = 0; i < n; ++i) {
            Desc memory d = readDesc(r);
            uint32 loc = u32(r);
            if (r.bad || d.kind > 2) return (false, rec);
            uint256 bound = d.kind == 0 ? rec.inputCount : (d.kind == 1 ? rec.weightCount : rec.stepCount);
            if (d.kind == 2 ? (loc == 0 || loc > bound) : loc >= bound) return (false, rec);
            rec.operands[i] = d;
            rec.locators[i] = loc;
        }
        rec.output = readDesc(r);
        if (r.bad || r.pos != b.length || rec.output.kind != 2) return (false, rec);
        rec.op.outShape = rec.output.shape;
        rec.op.outZeroPoint = rec.output.zeroPoint;
        ok = checkTypes(rec);
    }

    // ---- validate_op_types ----

    function allowed(uint256 kind) private pure returns (uint256) {
        if (kind == 3) return A_STRIDE | A_DILATION | A_PADS | A_GROUPS | A_ACT;
        if (kind == 7 || kind == 8) return A_KERNEL | A_STRIDE | A_DILATION | A_PADS | A_ACT;
        if (kind == 16 || kind == 19) return A_ACT | A_EPS;
        if (kind == 11) return A_PERM;
        if (kind == 12 || kind == 13 || kind == 21) return A_AXIS;
        if (kind == 10 || kind == 14 || kind == 18) return 0;
        return A_ACT;
    }

    function unusedOk(OpCtx memory c) private pure returns (bool) {
        uint256 a = allowed(c.kind);
        if (a & A_KERNEL == 0 && (c.kernel[0] != 0 || c.kernel[1] != 0)) return false;
        if (a & A_STRIDE == 0 && (c.stride[0] != 1 || c.stride[1] != 1)) return false;
        if (a & A_DILATION == 0 && (c.dilation[0] != 1 || c.dilation[1] != 1)) return false;
        if (a & A_PADS == 0 && (c.pads[0] != 0 || c.pads[1] != 0 || c.pads[2] != 0 || c.pads[3] != 0)) {
            return false;
        }
        if (a & A_GROUPS == 0 && c.groups != 1) return false;
        if (a & A_AXIS == 0 && c.axis != 0) return false;
        if (a & A_PERM == 0 && c.perm.length != 0) return false;
        if (a & A_ACT == 0 && (c.actMin != -128 || c.actMax != 127)) return false;
        if (a & A_EPS == 0 && c.epsilon != 0) return false;
        return true;
    }

    function clampOk(OpCtx memory c) private pure returns (bool) {
        return c.actMin >= -128 && c.actMax <= 127 && c.actMin <= c.actMax;
    }

    function rqOk(OpCtx memory c, uint256 a, uint256 b) private pure returns (bool) {
        uint256 n = c.rqCount;
        return n == a || (b != 0 && n == b);
    }

    function same(uint32[] memory a, uint32[] memory b) private pure returns (bool) {
        if (a.length != b.length) return false;
        for (uint256 i = 0; i < a.length; ++i) {
            if (a[i] != b[i]) return false;
        }
        return true;
    }

    function windowOut(uint256 inDim, uint256 k, uint256 stride, uint256 dil, uint256 pa, uint256 pb)
        private
        pure
        returns (bool, uint32)
    {
        if (
            k == 0 || stride == 0 || dil == 0 || stride > MAX_STRIDE || dil > MAX_STRIDE || pa > MAX_PAD
                || pb > MAX_PAD
        ) {
            return (false, 0);
        }
        uint256 extent = dil * (k - 1) + 1;
        uint256 padded = inDim + pa + pb;
        if (padded < extent) return (false, 0);
        return (true, uint32((padded - extent) / stride + 1));
    }

    function checkTypes(OpRecord memory rec) private pure returns (bool) {
        OpCtx memory c = rec.op;
        if (!unusedOk(c)) return false;
        (bool ok, uint32[] memory shape) = inferShape(rec);
        if (!ok) return false;
        Desc memory first = rec.operands[0];
        uint256 k = c.kind;
        bool keepsDtype = k == 10 || k == 11 || k == 12 || k == 13 || k == 21; // validate.cpp keeps_dtype
        bool keepsQuant = keepsDtype || k == 6 || k == 7 || k == 8 || k == 9;
        // fully_connected alone may also write int32 (wide logits, docs/ops.md §2)
        bool wide = k == 1 && rec.output.dtype == 2;
        if (rec.output.dtype != (keepsDtype ? first.dtype : (wide ? 2 : 1))) return false;
        if (!same(rec.output.shape, shape)) return false;
        if (keepsQuant && rec.output.quantHash != first.quantHash) return false;
        if (keepsDtype && first.scaleCount > 1) return false;
        if ((k == 14 || k == 18) && rec.output.zeroPoint != -128) return false;
        return true;
    }

    function inferShape(OpRecord memory rec) private pure returns (bool, uint32[] memory out) {
        uint256 k = rec.op.kind;
        if (k == 1 || k == 3) return linearShape(rec);
        if (k == 2) return matmulShape(rec);
        if (k == 4 || k == 5) return broadcastShape(rec, k == 4 ? 3 : 1);
        if (k >= 6 && k <= 9) return unaryShape(rec);
        if (k == 10) {
            if (rec.op.inputCount != 1) return (false, out);
            return (countOf(rec.output.shape) == countOf(rec.operands[0].shape), rec.output.shape);
        }
        if (k == 11) return transposeShape(rec);
        if (k == 12) return concatShape(rec);
        if (k == 13) return gatherShape(rec);
        if (k == 16 || k == 19) return normShape(rec);
        if (k == 21) return cacheWriteShape(rec);
        OpCtx memory c = rec.op;
        if (k == 18) {
            // causal_softmax: rank >= 2, [.., Q, K] with Q <= K, then an optional offset, an int32
            // [1] (docs/ops.md §19)
            if (c.inputCount != 1 && !(c.inputCount == 2 && isScalar32(rec.operands[1]))) {
                return (false, out);
            }
            uint32[] memory x = rec.operands[0].shape;
            if (x.length < 2 || x[x.length - 2] > x[x.length - 1]) return (false, out);
        } else if (c.inputCount != 1) {
            return (false, out);
        }
        // softmax (14), gelu (15), requantize (17), causal_softmax (18), silu (20)
        if (rec.operands[0].dtype != 1) return (false, out);
        if (!rqOk(c, k == 15 || k == 20 ? 2 : 1, 0) || !clampOk(c)) return (false, out);
        return (true, rec.operands[0].shape);
    }

    function countOf(uint32[] memory s) private pure returns (uint256 n) {
        n = 1;
        for (uint256 i = 0; i < s.length; ++i) {
            n *= s[i];
        }
    }

    function biasOk(OpRecord memory rec, uint256 n) private pure returns (bool) {
        if (rec.op.inputCount != 3) return true;
        Desc memory b = rec.operands[2];
        return b.kind == 1 && b.dtype == 2 && b.shape.length == 1 && b.shape[0] == n;
    }

    function linearShape(OpRecord memory rec) private pure returns (bool, uint32[] memory out) {
        OpCtx memory c = rec.op;
        if (c.inputCount < 2 || c.inputCount > 3) return (false, out);
        Desc memory x = rec.operands[0];
        Desc memory w = rec.operands[1];
        if (x.dtype != 1 || w.dtype != 1 || w.kind != 1) return (false, out);
        if (c.kind == 1) {
            if (x.shape.length != 2 || w.shape.length != 2 || x.shape[1] != w.shape[1]) return (false, out);
            uint32 n = w.shape[0];
            // an int32 output may clamp anywhere in int32 (c.actMin/actMax are int32)
            bool clampFits = rec.output.dtype == 2 ? c.actMin <= c.actMax : clampOk(c);
            if (!biasOk(rec, n) || !rqOk(c, 1, n) || !clampFits) return (false, out);
            out = new uint32[](2);
            out[0] = x.shape[0];
            out[1] = n;
            return (true, out);
        }
        if (x.shape.length != 4 || w.shape.length != 4) return (false, out);
        uint32 oc = w.shape[0];
        {
            uint32 g = c.groups;
            if (g == 0 || x.shape[1] % g != 0 || oc % g != 0) return (false, out);
            if (w.shape[1] != x.shape[1] / g) return (false, out);
        }
        if (!biasOk(rec, oc) || !rqOk(c, 1, oc) || !clampOk(c)) return (false, out);
        out = new uint32[](4);
        out[0] = x.shape[0];
        out[1] = oc;
        bool okH;
        bool okW;
        (okH, out[2]) = windowOut(x.shape[2], w.shape[2], c.stride[0], c.dilation[0], c.pads[0], c.pads[2]);
        (okW, out[3]) = windowOut(x.shape[3], w.shape[3], c.stride[1], c.dilation[1], c.pads[1], c.pads[3]);
        return (okH && okW, out);
    }

    function matmulShape(OpRecord memory rec) private pure returns (bool, uint32[] memory out) {
        OpCtx memory c = rec.op;
        if (c.inputCount != 2) return (false, out);
        Desc memory a = rec.operands[0];
        Desc memory b = rec.operands[1];
        if (a.dtype != 1 || b.dtype != 1) return (false, out);
        uint256 r = a.shape.length;
        if (r < 2 || b.shape.length != r || a.shape[r - 1] != b.shape[r - 2]) return (false, out);
        for (uint256 i = 0; i + 2 < r; ++i) {
            if (a.shape[i] != b.shape[i]) return (false, out);
        }
        if (!rqOk(c, 1, 0) || !clampOk(c)) return (false, out);
        out = new uint32[](r);
        for (uint256 i = 0; i < r; ++i) {
            out[i] = a.shape[i];
        }
        out[r - 1] = b.shape[r - 1];
        return (true, out);
    }

    function broadcastShape(OpRecord memory rec, uint256 nRq)
        private
        pure
        returns (bool, uint32[] memory out)
    {
        OpCtx memory c = rec.op;
        if (c.inputCount != 2) return (false, out);
        uint32[] memory a = rec.operands[0].shape;
        uint32[] memory b = rec.operands[1].shape;
        if (rec.operands[0].dtype != 1 || rec.operands[1].dtype != 1) return (false, out);
        if (!rqOk(c, nRq, 0) || !clampOk(c)) return (false, out);
        uint256 r = a.length > b.length ? a.length : b.length;
        out = new uint32[](r);
        for (uint256 i = 0; i < r; ++i) {
            uint32 da = i < r - a.length ? 1 : a[i - (r - a.length)];
            uint32 db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da != db && da != 1 && db != 1) return (false, out);
            out[i] = da > db ? da : db;
        }
        return (true, out);
    }

    function unaryShape(OpRecord memory rec) private pure returns (bool, uint32[] memory out) {
        OpCtx memory c = rec.op;
        if (c.inputCount != 1 || rec.operands[0].dtype != 1 || c.rqCount != 0 || !clampOk(c)) {
            return (false, out);
        }
        uint32[] memory x = rec.operands[0].shape;
        if (c.kind == 6) return (true, x);
        if (x.length != 4) return (false, out);
        out = new uint32[](4);
        (out[0], out[1], out[2], out[3]) = (x[0], x[1], 1, 1);
        if (c.kind == 9) return (true, out);
        if (c.kind == 8 && (c.dilation[0] != 1 || c.dilation[1] != 1)) return (false, out);
        bool okH;
        bool okW;
        (okH, out[2]) = windowOut(x[2], c.kernel[0], c.stride[0], c.dilation[0], c.pads[0], c.pads[2]);
        (okW, out[3]) = windowOut(x[3], c.kernel[1], c.stride[1], c.dilation[1], c.pads[1], c.pads[3]);
        return (okH && okW, out);
    }

    function transposeShape(OpRecord memory rec) private pure returns (bool, uint32[] memory out) {
        OpCtx memory c = rec.op;
        if (c.inputCount != 1) return (false, out);
        uint32[] memory x = rec.operands[0].shape;
        uint256 n = c.perm.length;
        if (n != x.length) return (false, out);
        bool[] memory seen = new bool[](n);
        out = new uint32[](n);
        for (uint256 i = 0; i < n; ++i) {
            uint256 p = c.perm[i];
            if (p >= n || seen[p]) return (false, out);
            seen[p] = true;
            out[i] = x[p];
        }
        return (true, out);
    }

    function concatShape(OpRecord memory rec) private pure returns (bool, uint32[] memory out) {
        OpCtx memory c = rec.op;
        Desc memory first = rec.operands[0];
        uint256 r = first.shape.length;
        if (c.axis < 0 || uint256(int256(c.axis)) >= r) return (false, out);
        uint256 ax = uint256(int256(c.axis));
        out = new uint32[](r);
        for (uint256 d = 0; d < r; ++d) {
            out[d] = d == ax ? 0 : first.shape[d];
        }
        uint256 total = 0;
        for (uint256 i = 0; i < c.inputCount; ++i) {
            Desc memory t = rec.operands[i];
            if (t.dtype != first.dtype || t.quantHash != first.quantHash || t.shape.length != r) {
                return (false, out);
            }
            for (uint256 d = 0; d < r; ++d) {
                if (d != ax && t.shape[d] != first.shape[d]) return (false, out);
            }
            total += t.shape[ax];
            out[ax] = uint32(total);
            if (countOf(out) > MAX_ELEMENTS) return (false, out);
        }
        return (true, out);
    }

    function gatherShape(OpRecord memory rec) private pure returns (bool, uint32[] memory out) {
        OpCtx memory c = rec.op;
        if (c.inputCount != 2) return (false, out);
        uint32[] memory data = rec.operands[0].shape;
        uint32[] memory idx = rec.operands[1].shape;
        if (rec.operands[1].dtype != 2) return (false, out);
        if (c.axis < 0 || uint256(int256(c.axis)) >= data.length) return (false, out);
        uint256 ax = uint256(int256(c.axis));
        uint256 r = data.length - 1 + idx.length;
        if (r > MAX_RANK) return (false, out);
        out = new uint32[](r);
        for (uint256 i = 0; i < ax; ++i) {
            out[i] = data[i];
        }
        for (uint256 i = 0; i < idx.length; ++i) {
            out[ax + i] = idx[i];
        }
        for (uint256 i = ax + 1; i < data.length; ++i) {
            out[i - 1 + idx.length] = data[i];
        }
        uint256 n = 1;
        for (uint256 i = 0; i < r; ++i) {
            n *= out[i];
            if (n > MAX_ELEMENTS) return (false, out);
        }
        return (true, out);
    }

    /// An int32 of shape [1] (causal_softmax's offset, cache_write's pos).
    function isScalar32(Desc memory d) private pure returns (bool) {
        return d.dtype == 2 && d.shape.length == 1 && d.shape[0] == 1;
    }

    /// cache_write (21: cache, pos int32 [1], row of the cache's shape with 1 at `axis`, the
    /// cache's dtype and quantization; docs/ops.md §22). The output is the cache's shape.
    function cacheWriteShape(OpRecord memory rec) private pure returns (bool, uint32[] memory out) {
        OpCtx memory c = rec.op;
        if (c.inputCount != 3) return (false, out);
        Desc memory cache = rec.operands[0];
        Desc memory row = rec.operands[2];
        uint256 r = cache.shape.length;
        if (c.axis < 0 || uint256(int256(c.axis)) >= r) return (false, out);
        if (!isScalar32(rec.operands[1]) || row.dtype != cache.dtype || row.shape.length != r) {
            return (false, out);
        }
        uint256 ax = uint256(int256(c.axis));
        for (uint256 d = 0; d < r; ++d) {
            if (row.shape[d] != (d == ax ? 1 : cache.shape[d])) return (false, out);
        }
        if (row.quantHash != cache.quantHash) return (false, out);
        return (true, cache.shape);
    }

    /// layer_norm (16: x, gamma, beta) and rms_norm (19: x, gamma; no beta).
    function normShape(OpRecord memory rec) private pure returns (bool, uint32[] memory out) {
        OpCtx memory c = rec.op;
        bool beta = c.kind == 16;
        if (c.inputCount != (beta ? 3 : 2)) return (false, out);
        Desc memory x = rec.operands[0];
        Desc memory g = rec.operands[1];
        if (x.dtype != 1 || g.dtype != 1 || g.kind != 1) return (false, out);
        uint32 d = x.shape[x.shape.length - 1];
        if (d > MAX_NORM_ROW || g.shape.length != 1 || g.shape[0] != d) return (false, out);
        if (beta) {
            Desc memory b = rec.operands[2];
            if (b.kind != 1 || b.dtype != 2 || b.shape.length != 1 || b.shape[0] != d) return (false, out);
        }
        if (c.epsilon < 0 || !rqOk(c, 1, 0) || !clampOk(c)) return (false, out);
        return (true, x.shape);
    }
}
