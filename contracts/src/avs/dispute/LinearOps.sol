// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Operand, OpCtx} from "./DisputeTypes.sol";
import {OpMath} from "./OpMath.sol";

/// @notice fully_connected, matmul and conv2d (docs/ops.md §2-4, src/core/kernels/ref_linear.cpp).
library LinearOps {
    using OpMath for Operand;

    function element(OpCtx memory c, Operand[] memory ins, uint256 o)
        external
        pure
        returns (int256 v, bool missing)
    {
        if (c.kind == 1) v = fullyConnected(c, ins, o);
        else if (c.kind == 2) v = matmul(c, ins, o);
        else v = conv2d(c, ins, o);
        missing = OpMath.anyMissing(ins);
    }

    function fullyConnected(OpCtx memory c, Operand[] memory ins, uint256 o) internal pure returns (int256) {
        Operand memory x = ins[0];
        Operand memory w = ins[1];
        uint256 nOut = c.outShape[1];
        uint256 kLen = x.shape[1];
        uint256 m = o / nOut;
        uint256 n = o % nOut;
        int256 acc = ins.length == 3 ? ins[2].get(n) : int256(0);
        acc = OpMath.wrap32(acc + OpMath.dot8(x, m * kLen, w, n * kLen, kLen));
        return OpMath.finish(c, acc, n);
    }

    function matmul(OpCtx memory c, Operand[] memory ins, uint256 o) internal pure returns (int256) {
        Operand memory a = ins[0];
        Operand memory b = ins[1];
        uint256 r = c.outShape.length;
        uint256 mLen = c.outShape[r - 2];
        uint256 nLen = c.outShape[r - 1];
        uint256 kLen = a.shape[r - 1];
        uint256 batch = o / (mLen * nLen);
        uint256 aBase = batch * mLen * kLen + (o / nLen % mLen) * kLen;
        uint256 bBase = batch * kLen * nLen + o % nLen;
        int256 acc = 0;
        unchecked {
            for (uint256 k = 0; k < kLen; ++k) {
                acc += (a.get(aBase + k) - a.zeroPoint) * (b.get(bBase + k * nLen) - b.zeroPoint);
            }
        }
        return OpMath.finish(c, OpMath.wrap32(acc), 0);
    }

    function conv2d(OpCtx memory c, Operand[] memory ins, uint256 o) internal pure returns (int256) {
        uint256[] memory oc = OpMath.unravel(c.outShape, o); // n, oc, oh, ow
        uint256 cg = ins[1].shape[1];
        uint256 c0 = oc[1] / (c.outShape[1] / c.groups) * cg;
        int256 acc = ins.length == 3 ? ins[2].get(oc[1]) : int256(0);
        uint256[] memory xi = new uint256[](4);
        uint256[] memory wi = new uint256[](4);
        xi[0] = oc[0];
        wi[0] = oc[1];
        unchecked {
            for (uint256 ci = 0; ci < cg; ++ci) {
                xi[1] = c0 + ci;
                wi[1] = ci;
                for (uint256 i = 0; i < ins[1].shape[2]; ++i) {
                    int256 ih =
                        int256(oc[2] * c.stride[0]) - int256(uint256(c.pads[0])) + int256(i * c.dilation[0]);
                    if (ih < 0 || ih >= int256(uint256(ins[0].shape[2]))) continue;
                    xi[2] = uint256(ih);
                    wi[2] = i;
                    acc = convRow(c, ins[0], ins[1], xi, wi, oc[3], acc);
                }
            }
        }
        return OpMath.finish(c, OpMath.wrap32(acc), oc[1]);
    }

    /// Adds the taps of one kernel row (xi[0..2], wi[0..2] set) to acc.
    function convRow(
        OpCtx memory c,
        Operand memory x,
        Operand memory w,
        uint256[] memory xi,
        uint256[] memory wi,
        uint256 ow,
        int256 acc
    ) internal pure returns (int256) {
        unchecked {
            for (uint256 j = 0; j < w.shape[3]; ++j) {
                int256 iw = int256(ow * c.stride[1]) - int256(uint256(c.pads[1])) + int256(j * c.dilation[1]);
                if (iw < 0 || iw >= int256(uint256(x.shape[3]))) continue;
                xi[3] = uint256(iw);
                wi[3] = j;
                acc += (x.atC(xi) - x.zeroPoint) * (w.atC(wi) - w.zeroPoint);
            }
        }
        return acc;
    }
}
