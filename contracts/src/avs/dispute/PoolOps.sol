// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Operand, OpCtx} from "./DisputeTypes.sol";
import {OpMath} from "./OpMath.sol";

/// @notice max_pool, average_pool, global_average_pool (docs/ops.md §9-11, src/core/kernels/ref_pool.cpp).
library PoolOps {
    using OpMath for Operand;

    function element(OpCtx memory c, Operand[] memory ins, uint256 o)
        external
        pure
        returns (int256 v, bool missing)
    {
        if (c.kind == 9) v = globalAverage(c, ins[0], o);
        else v = window(c, ins[0], o);
        missing = OpMath.anyMissing(ins);
    }

    function window(OpCtx memory c, Operand memory x, uint256 o) internal pure returns (int256) {
        uint256[] memory oc = OpMath.unravel(c.outShape, o);
        uint256[] memory xi = new uint256[](4);
        xi[0] = oc[0];
        xi[1] = oc[1];
        int256 mx = -128;
        int256 sum = 0;
        int256 cnt = 0;
        for (uint256 i = 0; i < c.kernel[0]; ++i) {
            int256 ih = int256(oc[2] * c.stride[0]) - int256(uint256(c.pads[0])) + int256(i * c.dilation[0]);
            if (ih < 0 || ih >= int256(uint256(x.shape[2]))) continue;
            xi[2] = uint256(ih);
            for (uint256 j = 0; j < c.kernel[1]; ++j) {
                int256 iw =
                    int256(oc[3] * c.stride[1]) - int256(uint256(c.pads[1])) + int256(j * c.dilation[1]);
                if (iw < 0 || iw >= int256(uint256(x.shape[3]))) continue;
                xi[3] = uint256(iw);
                int256 v = x.atC(xi);
                if (v > mx) mx = v;
                sum += v - x.zeroPoint;
                ++cnt;
            }
        }
        if (c.kind == 7) return OpMath.clamp(mx, c.actMin, c.actMax);
        int256 avg = cnt == 0 ? int256(0) : OpMath.divRoundAway(sum, cnt);
        return OpMath.clamp(avg + x.zeroPoint, c.actMin, c.actMax);
    }

    function globalAverage(OpCtx memory c, Operand memory x, uint256 o) internal pure returns (int256) {
        uint256 plane = uint256(x.shape[2]) * x.shape[3];
        int256 sum = 0;
        for (uint256 i = 0; i < plane; ++i) {
            sum += x.get(o * plane + i) - x.zeroPoint;
        }
        return OpMath.clamp(OpMath.divRoundAway(sum, int256(plane)) + x.zeroPoint, c.actMin, c.actMax);
    }
}
