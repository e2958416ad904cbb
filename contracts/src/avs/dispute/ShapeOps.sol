// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {Operand, OpCtx} from "./DisputeTypes.sol";
import {OpMath} from "./OpMath.sol";

/// @notice reshape, transpose, concat, gather and cache_write (docs/ops.md §12-15, §22;
/// src/core/kernels/ref_shape.cpp).
library ShapeOps {
    using OpMath for Operand;

    function element(OpCtx memory c, Operand[] memory ins, uint256 o)
        external
        pure
        returns (int256 v, bool missing)
    {
        uint8 k = c.kind;
        if (k == 10) v = ins[0].get(o);
        else if (k == 11) v = transpose(c, ins[0], o);
        else if (k == 12) v = concat(c, ins, o);
        else if (k == 13) v = gather(c, ins, o);
        else v = cacheWrite(c, ins, o);
        missing = OpMath.anyMissing(ins);
    }

    function transpose(OpCtx memory c, Operand memory x, uint256 o) internal pure returns (int256) {
        uint256[] memory oc = OpMath.unravel(c.outShape, o);
        uint256[] memory ic = new uint256[](oc.length);
        for (uint256 i = 0; i < oc.length; ++i) {
            ic[c.perm[i]] = oc[i];
        }
        return x.atC(ic);
    }

    function concat(OpCtx memory c, Operand[] memory ins, uint256 o) internal pure returns (int256) {
        uint256[] memory oc = OpMath.unravel(c.outShape, o);
        uint256 ax = uint256(int256(c.axis));
        uint256 k = 0;
        while (oc[ax] >= ins[k].shape[ax]) {
            oc[ax] -= ins[k].shape[ax];
            ++k;
        }
        return ins[k].atC(oc);
    }

    function gather(OpCtx memory c, Operand[] memory ins, uint256 o) internal pure returns (int256) {
        Operand memory data = ins[0];
        Operand memory idx = ins[1];
        uint256 ax = uint256(int256(c.axis));
        uint256[] memory oc = OpMath.unravel(c.outShape, o);
        uint256 ir = idx.shape.length;
        uint256[] memory ic = new uint256[](ir);
        for (uint256 i = 0; i < ir; ++i) {
            ic[i] = oc[ax + i];
        }
        int256 s = int256(uint256(data.shape[ax]));
        int256 v = idx.atC(ic);
        uint256 wrapped = uint256(((v % s) + s) % s);
        uint256[] memory dc = new uint256[](data.shape.length);
        for (uint256 i = 0; i < ax; ++i) {
            dc[i] = oc[i];
        }
        dc[ax] = wrapped;
        for (uint256 i = ax + 1; i < dc.length; ++i) {
            dc[i] = oc[i - 1 + ir];
        }
        return data.atC(dc);
    }

    /// §22: the cache element at `o`, or the row's element (axis coordinate 0) when `o`'s coordinate
    /// along the axis is p = ((pos mod s) + s) mod s. Reads pos, then exactly one of the two.
    function cacheWrite(OpCtx memory c, Operand[] memory ins, uint256 o) internal pure returns (int256) {
        uint256 ax = uint256(int256(c.axis));
        uint32[] memory shape = c.outShape;
        uint256 inner = 1;
        for (uint256 i = ax + 1; i < shape.length; ++i) {
            inner *= shape[i];
        }
        uint256 s = shape[ax];
        int256 v = ins[1].get(0);
        uint256 p = uint256(((v % int256(s)) + int256(s)) % int256(s));
        if ((o / inner) % s != p) return ins[0].get(o);
        return ins[2].get(o / (inner * s) * inner + o % inner);
    }
}
