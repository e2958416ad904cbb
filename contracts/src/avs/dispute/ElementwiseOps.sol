// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Operand, OpCtx} from "./DisputeTypes.sol";
import {OpMath} from "./OpMath.sol";

/// @notice add, mul, clip, requantize, gelu and silu (docs/ops.md §5-8, 17, 21;
/// src/core/kernels/ref_elementwise.cpp).
library ElementwiseOps {
    using OpMath for Operand;

    function element(OpCtx memory c, Operand[] memory ins, uint256 o)
        external
        pure
        returns (int256 v, bool missing)
    {
        uint8 k = c.kind;
        if (k == 4 || k == 5) v = binary(c, ins, o);
        else if (k == 6) v = OpMath.clamp(ins[0].get(o), c.actMin, c.actMax);
        else if (k == 17) v = OpMath.finish(c, ins[0].get(o) - ins[0].zeroPoint, 0);
        else v = nonlinear(c, ins, o);
        missing = OpMath.anyMissing(ins);
    }

    /// Flat index into a broadcast operand of shape `s` for output coordinates `oc` (numpy rules).
    function broadcastIndex(uint32[] memory s, uint256[] memory oc) internal pure returns (uint256 flat) {
        uint256 skip = oc.length - s.length;
        for (uint256 i = 0; i < s.length; ++i) {
            flat = flat * s[i] + (s[i] == 1 ? 0 : oc[skip + i]);
        }
    }

    function binary(OpCtx memory c, Operand[] memory ins, uint256 o) internal pure returns (int256) {
        uint256[] memory oc = OpMath.unravel(c.outShape, o);
        int256 a = ins[0].get(broadcastIndex(ins[0].shape, oc)) - ins[0].zeroPoint;
        int256 b = ins[1].get(broadcastIndex(ins[1].shape, oc)) - ins[1].zeroPoint;
        if (c.kind == 5) return OpMath.finish(c, a * b, 0);
        int256 sa = OpMath.requantAt(a * (1 << 20), c, 0);
        int256 sb = OpMath.requantAt(b * (1 << 20), c, 1);
        int256 s = OpMath.requantAt(OpMath.wrap32(sa + sb), c, 2);
        return OpMath.clamp(s + c.outZeroPoint, c.actMin, c.actMax);
    }

    /// gelu (§17) and silu (§21): q = requant(x - zx, r0) in Q14, the i-GELU or i-SiLU of q, then
    /// clamp(requant(g, r1) + zo).
    function nonlinear(OpCtx memory c, Operand[] memory ins, uint256 o) internal pure returns (int256) {
        int256 q = OpMath.requantAt(ins[0].get(o) - ins[0].zeroPoint, c, 0);
        int256 f = c.kind == 15 ? OpMath.igelu(q) : OpMath.isilu(q);
        int256 g = OpMath.requantAt(f, c, 1);
        return OpMath.clamp(g + c.outZeroPoint, c.actMin, c.actMax);
    }
}
