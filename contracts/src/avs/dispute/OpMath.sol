// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Operand, OpCtx} from "./DisputeTypes.sol";

/// @notice The integer primitives of docs/ops.md (src/core/kernels/fixedpoint.hpp, nonlinear.hpp)
/// and element access to opened operands (src/core/kernels/operand.hpp). Values travel as int256;
/// every int32 wrap or truncation of the C++ rules is explicit here.
library OpMath {
    /// A requantization step past the op's last (the record's validation prevents it).
    error RequantIndex(uint256 i);

    int256 internal constant INT32_MIN = -2147483648;
    int256 internal constant INT32_MAX = 2147483647;
    /// iexp(0) = 22167^2 + 257578233: exp(0) in the units of iexp (nonlinear.hpp kExpOne, docs/ops.md §21).
    int256 internal constant EXP_ONE = 748954122;

    /// gemmlowp SaturatingRoundingDoublingHighMul.
    function srdhm(int256 a, int256 b) internal pure returns (int256) {
        if (a == b && a == INT32_MIN) return INT32_MAX;
        int256 ab = a * b;
        int256 nudge = ab >= 0 ? int256(1 << 30) : 1 - int256(1 << 30);
        return (ab + nudge) / int256(1 << 31);
    }

    /// gemmlowp RoundingDivideByPOT, 0 <= e <= 31.
    function rdbpot(int256 x, uint256 e) internal pure returns (int256) {
        int256 mask = int256((uint256(1) << e) - 1);
        int256 rem = x & mask;
        int256 threshold = (mask >> 1) + (x < 0 ? int256(1) : int256(0));
        return (x >> e) + (rem > threshold ? int256(1) : int256(0));
    }

    function requant(int256 x, int32 m, int32 s) internal pure returns (int256) {
        if (s < 0) {
            int256 v = x * int256(1 << uint256(int256(-s)));
            if (v > INT32_MAX) v = INT32_MAX;
            if (v < INT32_MIN) v = INT32_MIN;
            return srdhm(v, m);
        }
        return rdbpot(srdhm(x, m), uint256(int256(s)));
    }

    function wrap32(int256 v) internal pure returns (int256) {
        return int256(int32(v));
    }

    function clamp(int256 v, int256 lo, int256 hi) internal pure returns (int256) {
        return v < lo ? lo : (v > hi ? hi : v);
    }

    /// clamp(requant(acc, rq[c]) + zo) with the op's activation bounds (rq per tensor or channel).
    function finish(OpCtx memory c, int256 acc, uint256 channel) internal pure returns (int256) {
        uint256 i = c.rq.length == 8 ? 0 : channel;
        return clamp(requantAt(acc, c, i) + c.outZeroPoint, c.actMin, c.actMax);
    }

    /// requant(x, rq[i]) with the op's i-th requantization step.
    function requantAt(int256 x, OpCtx memory c, uint256 i) internal pure returns (int256) {
        (int32 m, int32 s) = rqAt(c, i);
        return requant(x, m, s);
    }

    /// The op's i-th requantization step (multiplier, shift). Reverts past the last one.
    function rqAt(OpCtx memory c, uint256 i) internal pure returns (int32 m, int32 s) {
        bytes memory rq = c.rq;
        if (8 * i + 8 > rq.length) revert RequantIndex(i);
        uint256 w;
        assembly {
            w := mload(add(add(rq, 32), mul(i, 8)))
        }
        m = int32(uint32(le32(w, 0)));
        s = int32(uint32(le32(w, 4)));
    }

    /// The little-endian 32-bit value at byte `offset` of the big-endian word `w` (memory order).
    function le32(uint256 w, uint256 offset) internal pure returns (uint256) {
        uint256 sh = 248 - 8 * offset;
        return uint256(uint8(w >> sh)) | (uint256(uint8(w >> (sh - 8))) << 8) | (uint256(uint8(w >> (sh - 16))) << 16)
            | (uint256(uint8(w >> (sh - 24))) << 24);
    }

    /// a / b rounded to nearest, ties away from zero (b > 0).
    function divRoundAway(int256 a, int256 b) internal pure returns (int256) {
        return a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b);
    }

    function isqrt(uint256 v) internal pure returns (uint256) {
        if (v < 2) return v;
        uint256 x = v;
        uint256 y = x / 2 + (x & 1);
        while (y < x) {
            x = y;
            y = (x + v / x) / 2;
        }
        return x;
    }

    /// I-BERT i-exp of q <= 0 in Q14 (src/core/kernels/nonlinear.hpp iexp_q14).
    function iexp(int256 q) internal pure returns (int256) {
        int256 z = (-q) / 11356;
        if (z >= 31) return 0;
        int256 p = q + z * 11356;
        return ((p + 22167) * (p + 22167) + 257578233) >> uint256(z);
    }

    function ierf(int256 s) internal pure returns (int256) {
        if (s == 0) return 0;
        int256 a = s < 0 ? -s : s;
        int256 t = (a < 28983 ? a : int256(28983)) - 28983;
        int256 l = ((((t * t) >> 14) * -4732) >> 14) + 16384;
        return s < 0 ? -l : l;
    }

    function igelu(int256 q) internal pure returns (int256) {
        int256 s = (q * 46341) >> 16;
        return wrap32((q * (16384 + ierf(s))) >> 15);
    }

    /// I-SiLU of q in Q14 (nonlinear.hpp isilu_q14, docs/ops.md §21): q * sigmoid(q) with
    /// e = iexp(-|q|), trunc(q * (q >= 0 ? E1 : e) / (E1 + e)); int256 `/` truncates toward zero.
    function isilu(int256 q) internal pure returns (int256) {
        int256 e = iexp(q < 0 ? q : -q);
        return wrap32(q * (q >= 0 ? EXP_ONE : e) / (EXP_ONE + e));
    }

    // ---- shapes ----

    function count(uint32[] memory shape) internal pure returns (uint256 n) {
        n = 1;
        for (uint256 i = 0; i < shape.length; ++i) {
            n *= shape[i];
        }
    }

    // Index arithmetic below is unchecked: validated shapes have at most 2^30 elements.

    function unravel(uint32[] memory shape, uint256 flat) internal pure returns (uint256[] memory c) {
        c = new uint256[](shape.length);
        unchecked {
            for (uint256 i = shape.length; i > 0; --i) {
                c[i - 1] = flat % shape[i - 1];
                flat /= shape[i - 1];
            }
        }
    }

    function ravel(uint32[] memory shape, uint256[] memory c) internal pure returns (uint256 flat) {
        unchecked {
            for (uint256 i = 0; i < shape.length; ++i) {
                flat = flat * shape[i] + c[i];
            }
        }
    }

    // ---- element access ----

    /// The opened chunk `c` of `o` as a word; sets `missing` and returns 0 when it was not opened.
    /// Tries the last chunk found first (rules read mostly sequentially), then scans the opened
    /// indices; in assembly because it runs once per element read.
    function chunkWord(Operand memory o, uint256 c) internal pure returns (uint256 word) {
        bool found;
        assembly ("memory-safe") {
            let idx := mload(add(o, 0x60))
            let chunks := mload(add(o, 0x80))
            let n := mload(idx)
            let h := mload(add(o, 0xa0))
            if lt(h, n) {
                if eq(mload(add(idx, shl(5, add(h, 1)))), c) {
                    word := mload(add(chunks, shl(5, add(h, 1))))
                    found := 1
                }
            }
            if iszero(found) {
                for { let j := 0 } lt(j, n) { j := add(j, 1) } {
                    if eq(mload(add(idx, shl(5, add(j, 1)))), c) {
                        word := mload(add(chunks, shl(5, add(j, 1))))
                        found := 1
                        mstore(add(o, 0xa0), j)
                        break
                    }
                }
            }
        }
        if (!found) o.missing = true;
    }

    /// Element `flat` of `o` as a signed value; 0 and `missing` when its chunk was not opened.
    function get(Operand memory o, uint256 flat) internal pure returns (int256) {
        unchecked {
            bool int8Type = o.dtype == 1;
            uint256 b = int8Type ? flat : flat * 4;
            uint256 word = chunkWord(o, b >> 5);
            uint256 sh = 248 - 8 * (b & 31);
            if (int8Type) return int256(int8(uint8(word >> sh)));
            uint256 u = ((word >> sh) & 0xff) | (((word >> (sh - 8)) & 0xff) << 8)
                | (((word >> (sh - 16)) & 0xff) << 16) | (((word >> (sh - 24)) & 0xff) << 24);
            return int256(int32(uint32(u)));
        }
    }

    /// sum_{i < len} (x[xs + i] - zx) * (w[ws + i] - zw) over two int8 operands read as contiguous
    /// runs, exactly (callers wrap to int32 once: wrapping each term gives the same value mod 2^32).
    function dot8(Operand memory x, uint256 xs, Operand memory w, uint256 ws, uint256 len)
        internal
        pure
        returns (int256 acc)
    {
        unchecked {
            int256 zx = x.zeroPoint;
            int256 zw = w.zeroPoint;
            uint256 k = 0;
            while (k < len) {
                uint256 xb = xs + k;
                uint256 wb = ws + k;
                uint256 seg = 32 - (xb & 31);
                if (32 - (wb & 31) < seg) seg = 32 - (wb & 31);
                if (len - k < seg) seg = len - k;
                uint256 xw = chunkWord(x, xb >> 5) << (8 * (xb & 31));
                uint256 ww = chunkWord(w, wb >> 5) << (8 * (wb & 31));
                for (uint256 i = 0; i < seg; ++i) {
                    acc += (int256(int8(uint8(xw >> 248))) - zx) * (int256(int8(uint8(ww >> 248))) - zw);
                    xw <<= 8;
                    ww <<= 8;
                }
                k += seg;
            }
        }
    }

    function atC(Operand memory o, uint256[] memory coords) internal pure returns (int256) {
        return get(o, ravel(o.shape, coords));
    }

    function anyMissing(Operand[] memory ins) internal pure returns (bool) {
        for (uint256 i = 0; i < ins.length; ++i) {
            if (ins[i].missing) return true;
        }
        return false;
    }
}
