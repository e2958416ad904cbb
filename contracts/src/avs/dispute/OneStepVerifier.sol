// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {ElementProof, TensorOpening, Operand, Desc, OpCtx, VerifyCode} from "./DisputeTypes.sol";
import {MerkleLib} from "./MerkleLib.sol";
import {OpRecordLib, OpRecord} from "./OpRecordLib.sol";
import {LinearOps} from "./LinearOps.sol";
import {ElementwiseOps} from "./ElementwiseOps.sol";
import {PoolOps} from "./PoolOps.sol";
import {ShapeOps} from "./ShapeOps.sol";
import {RowOps} from "./RowOps.sol";

/// @title OneStepVerifier
/// @notice Recomputes one output element of op k from opened operand chunks only, checking every
/// opening against S_{k-1} and modelRoot: the on-chain mirror of trace::recompute_element
/// (src/core/trace/verify.hpp, docs/commitments.md §one-step). The answer is a code (VerifyCode,
/// the C++ VerifyError + 1, 0 when the proof is accepted) and, when accepted, the element.
/// Stateless; the op rules live in per-family libraries to stay under the contract size limit.
contract OneStepVerifier {
    /// Recomputes element `p.element` of step `p.step`.
    function recompute(bytes32 modelRoot, bytes32 statePrev, ElementProof calldata p)
        public
        view
        returns (uint8 code, int32 value)
    {
        (bool ok, OpRecord memory rec) = OpRecordLib.decode(p.opRecord);
        if (!ok) return (VerifyCode.BAD_OP_RECORD, 0);
        if (p.step == 0 || p.step > rec.stepCount) return (VerifyCode.BAD_STEP, 0);
        if (p.opPath.length != MerkleLib.depth(rec.stepCount)) return (VerifyCode.OP_NOT_IN_MODEL, 0);
        bytes32 tableRoot = MerkleLib.rootFromProof(keccak256(p.opRecord), p.step - 1, p.opPath);
        if (!MerkleLib.verify(modelRoot, 2 + uint256(rec.weightCount), 1, tableRoot, p.opTablePath)) {
            return (VerifyCode.OP_NOT_IN_MODEL, 0);
        }
        if (p.element >= _count(rec.output.shape)) return (VerifyCode.ELEMENT_OUT_OF_RANGE, 0);
        // One opening per op input, then one of the requant entry when the record roots that list.
        bool rooted = rec.op.rqCount > OpRecordLib.INLINE_SCALES;
        if (p.operands.length != rec.operands.length + (rooted ? 1 : 0)) return (VerifyCode.OPERAND_COUNT, 0);
        Operand[] memory ins;
        (code, ins) = _openAll(modelRoot, statePrev, p, rec);
        if (code != VerifyCode.OK) return (code, 0);
        if (rooted) {
            code = _openRequant(p.operands[rec.operands.length], rec.op, p.element);
            if (code != VerifyCode.OK) return (code, 0);
        }
        (int256 v, bool missing) = _element(rec.op, ins, p.element);
        if (missing) return (VerifyCode.SLICE_NOT_OPENED, 0);
        return (VerifyCode.OK, int32(v));
    }

    /// recompute, then compares with `claimed` (VALUE_MISMATCH when they differ).
    function verify(bytes32 modelRoot, bytes32 statePrev, ElementProof calldata p, int32 claimed)
        external
        view
        returns (uint8 code)
    {
        int32 v;
        (code, v) = recompute(modelRoot, statePrev, p);
        if (code == VerifyCode.OK && v != claimed) code = VerifyCode.VALUE_MISMATCH;
    }

    /// Checks each opening's source and proofs and turns it into an Operand.
    function _openAll(bytes32 modelRoot, bytes32 statePrev, ElementProof calldata p, OpRecord memory rec)
        private
        pure
        returns (uint8 code, Operand[] memory ins)
    {
        uint256 n = rec.operands.length;
        ins = new Operand[](n);
        bytes32[2] memory roots = [modelRoot, statePrev];
        for (uint256 i = 0; i < n; ++i) {
            code = _openOne(p.operands[i], i, p.step, roots, rec);
            if (code != VerifyCode.OK) return (code, ins);
            ins[i] = _operand(p.operands[i], rec.operands[i]);
        }
    }

    function _openOne(
        TensorOpening calldata o,
        uint256 i,
        uint256 step,
        bytes32[2] memory roots,
        OpRecord memory rec
    ) private pure returns (uint8) {
        Desc memory d = rec.operands[i];
        uint8 want = d.kind == 0 ? 0 : (d.kind == 1 ? 2 : 1);
        if (o.source != want || o.position != rec.locators[i]) return VerifyCode.WRONG_SOURCE;
        if (o.source == 1 && o.position >= step) return VerifyCode.WRONG_SOURCE;
        uint256 size = _count(d.shape) * (d.dtype == 1 ? 1 : 4);
        if (!_checkOpening(o, size, roots[1], rec, roots[0])) return VerifyCode.BAD_OPENING;
        return VerifyCode.OK;
    }

    /// Checks the opening of the op's rooted requant list (source 3, position 0, no paths, the
    /// record's root, every chunk's proof) and sets c.rq to the one entry of the element's output
    /// channel (fully_connected: n of [M, N]; conv2d: oc of [N, OC, OH, OW]), which the op then
    /// applies as its only step (trace::recompute_element does the same).
    function _openRequant(TensorOpening calldata o, OpCtx memory c, uint256 e) private pure returns (uint8) {
        if (o.source != 3 || o.position != 0) return VerifyCode.WRONG_SOURCE;
        if (o.innerPath.length != 0 || o.outerPath.length != 0 || o.tensorRoot != c.rqRoot) {
            return VerifyCode.BAD_OPENING;
        }
        if (!_chunksOk(o, (c.rqCount * 8 + 31) / 32)) return VerifyCode.BAD_OPENING;
        uint32[] memory s = c.outShape;
        uint256 channel = c.kind == 3 ? (e / (uint256(s[2]) * s[3])) % s[1] : e % s[1];
        for (uint256 i = 0; i < o.chunks.length; ++i) {
            if (o.chunks[i].index != channel / 4) continue;
            // the entry's 8 bytes, at byte 8 * (channel % 4) of the chunk
            bytes memory entry = abi.encodePacked(bytes8(o.chunks[i].chunk << (64 * (channel % 4))));
            if (!OpRecordLib.validScales(entry, 0, 1)) return VerifyCode.BAD_OPENING;
            c.rq = entry;
            return VerifyCode.OK;
        }
        return VerifyCode.SLICE_NOT_OPENED;
    }

    function _count(uint32[] memory s) private pure returns (uint256 n) {
        n = 1;
        for (uint256 i = 0; i < s.length; ++i) {
            n *= s[i];
        }
    }

    function _checkOpening(
        TensorOpening calldata o,
        uint256 byteSize,
        bytes32 state,
        OpRecord memory rec,
        bytes32 modelRoot
    ) private pure returns (bool) {
        uint256 steps = rec.stepCount;
        if (o.source == 0) {
            if (o.position >= rec.inputCount) return false;
            if (o.innerPath.length != MerkleLib.depth(rec.inputCount)) return false;
            bytes32 inRoot = MerkleLib.rootFromProof(o.tensorRoot, o.position, o.innerPath);
            if (!MerkleLib.verify(state, steps + 1, 0, inRoot, o.outerPath)) return false;
        } else if (o.source == 1) {
            if (o.position == 0 || o.innerPath.length != 0) return false;
            if (!MerkleLib.verify(state, steps + 1, o.position, o.tensorRoot, o.outerPath)) return false;
        } else {
            uint256 w = rec.weightCount;
            if (o.position >= w || o.innerPath.length != 0) return false;
            if (!MerkleLib.verify(modelRoot, 2 + w, 2 + uint256(o.position), o.tensorRoot, o.outerPath)) {
                return false;
            }
        }
        return _chunksOk(o, (byteSize + 31) / 32);
    }

    /// Every chunk of `o` proven under its tensor root of `leaves` leaves.
    function _chunksOk(TensorOpening calldata o, uint256 leaves) private pure returns (bool) {
        for (uint256 i = 0; i < o.chunks.length; ++i) {
            if (!MerkleLib.verify(o.tensorRoot, leaves, o.chunks[i].index, o.chunks[i].chunk, o.chunks[i].siblings)) {
                return false;
            }
        }
        return true;
    }

    function _operand(TensorOpening calldata o, Desc memory d) private pure returns (Operand memory r) {
        uint256 m = o.chunks.length;
        r.dtype = d.dtype;
        r.shape = d.shape;
        r.zeroPoint = d.zeroPoint;
        r.idx = new uint64[](m);
        r.chunks = new bytes32[](m);
        for (uint256 i = 0; i < m; ++i) {
            r.idx[i] = o.chunks[i].index;
            r.chunks[i] = o.chunks[i].chunk;
        }
    }

    function _element(OpCtx memory c, Operand[] memory ins, uint256 e) private pure returns (int256, bool) {
        uint8 k = c.kind;
        if (k <= 3) return LinearOps.element(c, ins, e);
        if (k == 4 || k == 5 || k == 6 || k == 15 || k == 17 || k == 20) {
            return ElementwiseOps.element(c, ins, e);
        }
        if (k <= 9) return PoolOps.element(c, ins, e);
        if (k <= 13 || k == 21) return ShapeOps.element(c, ins, e);
        return RowOps.element(c, ins, e); // 14, 16, 18, 19
    }
}
