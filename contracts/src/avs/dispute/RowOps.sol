// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Operand, OpCtx} from "./DisputeTypes.sol";
import {OpMath} from "./OpMath.sol";

/// @notice softmax, layer_norm, causal_softmax and rms_norm over the last axis (docs/ops.md §16,
/// 18-20; src/core/kernels/ref_rows.cpp).
library RowOps {
    using OpMath for Operand;

    function element(OpCtx memory c, Operand[] memory ins, uint256 o)
        external
        pure
        returns (int256 v, bool missing)
    {
        uint8 k = c.kind;
        if (k == 14) v = softmax(c, ins[0], o);
        else if (k == 18) v = causalSoftmax(c, ins, o);
        else if (k == 16) v = layerNorm(c, ins, o);
        else v = rmsNorm(c, ins, o);
        missing = OpMath.anyMissing(ins);
    }

    /// §16: softmax over the whole last-axis row of `o`.
    function softmax(OpCtx memory c, Operand memory x, uint256 o) internal pure returns (int256) {
        uint256 len = x.shape[x.shape.length - 1];
        return softmaxPrefix(c, x, o / len * len, len, o);
    }

    /// §19: query i = row mod Q of a [.., Q, K] input sees keys j < L_i = clamp(i + off + 1, 1, K),
    /// off = the offset operand's value when there is one, else K - Q (rules.hpp causal_visible).
    /// The offset is read first; a masked element is then -128 and reads nothing else, a visible one
    /// reads only the L_i visible keys of its row.
    function causalSoftmax(OpCtx memory c, Operand[] memory ins, uint256 o) internal pure returns (int256) {
        Operand memory x = ins[0];
        uint256 r = x.shape.length;
        uint256 keys = x.shape[r - 1];
        uint256 queries = x.shape[r - 2];
        uint256 row = o / keys;
        int256 off = ins.length == 2 ? ins[1].get(0) : int256(keys - queries);
        int256 l = int256(row % queries) + off + 1;
        uint256 visible = l < 1 ? 1 : (l > int256(keys) ? keys : uint256(l));
        if (o - row * keys >= visible) return -128;
        return softmaxPrefix(c, x, row * keys, visible, o);
    }

    /// §16 over the first `len` elements of the row starting at `base` (`o` is one of them).
    function softmaxPrefix(OpCtx memory c, Operand memory x, uint256 base, uint256 len, uint256 o)
        internal
        pure
        returns (int256)
    {
        int256 mx = -128;
        for (uint256 j = 0; j < len; ++j) {
            int256 v = x.get(base + j);
            if (v > mx) mx = v;
        }
        int256 sum = 0;
        int256 mine = 0;
        for (uint256 j = 0; j < len; ++j) {
            int256 e = OpMath.iexp(OpMath.requantAt(x.get(base + j) - mx, c, 0));
            sum += e;
            if (base + j == o) mine = e;
        }
        int256 r = (mine * 256 + sum / 2) / sum - 128;
        return r > 127 ? int256(127) : r;
    }

    /// §18: acc = (gamma_j - zg) * n_j + beta_j, wrapping.
    function layerNorm(OpCtx memory c, Operand[] memory ins, uint256 o) internal pure returns (int256) {
        uint256 d = ins[0].shape[ins[0].shape.length - 1];
        uint256 me = o % d;
        int256 n = normalized(c, ins[0], o - me, d, me, true);
        int256 acc = OpMath.wrap32(OpMath.wrap32((ins[1].get(me) - ins[1].zeroPoint) * n) + ins[2].get(me));
        return OpMath.finish(c, acc, 0);
    }

    /// §20: acc = (gamma_j - zg) * n_j, wrapping (no mean, no bias).
    function rmsNorm(OpCtx memory c, Operand[] memory ins, uint256 o) internal pure returns (int256) {
        uint256 d = ins[0].shape[ins[0].shape.length - 1];
        uint256 me = o % d;
        int256 n = normalized(c, ins[0], o - me, d, me, false);
        return OpMath.finish(c, OpMath.wrap32((ins[1].get(me) - ins[1].zeroPoint) * n), 0);
    }

    /// n_me = round_away(y_me * 2^14 / sigma) of the norms (§18, §20), as int32.
    function normalized(OpCtx memory c, Operand memory x, uint256 base, uint256 d, uint256 me, bool centre)
        internal
        pure
        returns (int256)
    {
        (int256 yMe, uint256 sigma) = normStats(x, base, d, me, c.epsilon, centre);
        return OpMath.wrap32(OpMath.divRoundAway(yMe * 16384, int256(sigma)));
    }

    /// y_me = D * d_me - S and sigma = max(isqrt(sum y^2 / D + epsilon), 1) over the row at `base`;
    /// S is the row sum of x - zx when `centre` (layer_norm), else 0 and not read (rms_norm).
    function normStats(Operand memory x, uint256 base, uint256 d, uint256 me, int32 epsilon, bool centre)
        internal
        pure
        returns (int256 yMe, uint256 sigma)
    {
        int256 s = 0;
        if (centre) {
            for (uint256 j = 0; j < d; ++j) {
                s += x.get(base + j) - x.zeroPoint;
            }
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
