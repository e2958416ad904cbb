// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Operand, OpCtx} from "./DisputeTypes.sol";
import {OpMath} from "./OpMath.sol";

/// @notice softmax and layer_norm over the last axis (docs/ops.md §16, 18; src/core/kernels/ref_rows.cpp).
library RowOps {
    using OpMath for Operand;

    function element(OpCtx memory c, Operand[] memory ins, uint256 o)
        external
        pure
        returns (int256 v, bool missing)
    {
        if (c.kind == 14) v = softmax(c, ins[0], o);
        else v = layerNorm(c, ins, o);
        missing = OpMath.anyMissing(ins);
    }

    function softmax(OpCtx memory c, Operand memory x, uint256 o) internal pure returns (int256) {
        uint256 len = x.shape[x.shape.length - 1];
        uint256 base = o / len * len;
        int256 mx = -128;
        for (uint256 j = 0; j < len; ++j) {
            int256 v = x.get(base + j);
            if (v > mx) mx = v;
        }
        int256 sum = 0;
        int256 mine = 0;
        for (uint256 j = 0; j < len; ++j) {
            int256 e = OpMath.iexp(OpMath.requant(x.get(base + j) - mx, c.rqMul[0], c.rqShift[0]));
            sum += e;
            if (base + j == o) mine = e;
        }
        int256 r = (mine * 256 + sum / 2) / sum - 128;
        return r > 127 ? int256(127) : r;
    }

    function layerNorm(OpCtx memory c, Operand[] memory ins, uint256 o) internal pure returns (int256) {
        uint256 d = ins[0].shape[ins[0].shape.length - 1];
        uint256 me = o % d;
        (int256 yMe, uint256 sigma) = normStats(ins[0], o - me, d, me, c.epsilon);
        int256 n = OpMath.wrap32(OpMath.divRoundAway(yMe * 16384, int256(sigma)));
        int256 acc = OpMath.wrap32(OpMath.wrap32((ins[1].get(me) - ins[1].zeroPoint) * n) + ins[2].get(me));
        return OpMath.finish(c, acc, 0);
    }

    /// y_me = D * d_me - S and sigma = max(isqrt(sum y^2 / D + epsilon), 1) over the row at `base`.
    function normStats(Operand memory x, uint256 base, uint256 d, uint256 me, int32 epsilon)
        internal
        pure
        returns (int256 yMe, uint256 sigma)
    {
        int256 s = 0;
        for (uint256 j = 0; j < d; ++j) {
            s += x.get(base + j) - x.zeroPoint;
        }
        int256 sq = 0;
        for (uint256 j = 0; j < d; ++j) {
            int256 y = int256(d) * (x.get(base + j) - x.zeroPoint) - s;
            sq += y * y;
            if (j == me) yMe = y;
        }
        sigma = OpMath.isqrt(uint256(sq / int256(d)) + uint256(int256(epsilon)));
        if (sigma < 1) sigma = 1;
    }
}
