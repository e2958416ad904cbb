// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

/// @notice Calldata shapes of one-step proofs (docs/commitments.md §openings, src/core/trace/verify.hpp).

/// One 32-byte chunk of a tensor and its siblings up to the tensor root.
struct ChunkProof {
    uint64 index;
    bytes32 chunk;
    bytes32[] siblings;
}

/// Chunks of one tensor with the path from its root to S_{k-1} or modelRoot.
/// source: 0 program input (leaf `position` of inputRoot, leaf 0 of S), 1 step output (leaf
/// `position` of S), 2 weight (leaf 2 + position of modelRoot), 3 the op's rooted requant list
/// (position 0, no paths; tensorRoot is the record's rqRoot).
struct TensorOpening {
    uint8 source;
    uint64 position;
    bytes32 tensorRoot;
    bytes32[] innerPath;
    bytes32[] outerPath;
    ChunkProof[] chunks;
}

/// Everything needed to recompute output element `element` of step `step` (1-based).
struct ElementProof {
    uint64 step;
    uint64 element;
    bytes opRecord;
    bytes32[] opPath;
    bytes32[] opTablePath;
    TensorOpening[] operands;
}

/// A tensor descriptor decoded from an op record.
struct Desc {
    uint8 dtype; // 1 int8, 2 int32
    uint8 kind; // 0 input, 1 constant, 2 activation
    uint32[] shape;
    int32 zeroPoint;
    uint32 quantAxis;
    uint256 scaleCount;
    bytes32 quantHash; // keccak of (zero point, axis, scales or their count and root) for equality checks
}

/// The attributes of an op (src/core/ir/program.hpp OpAttrs) and its output descriptor: what the
/// per-family rules read.
struct OpCtx {
    uint8 kind;
    uint256 inputCount;
    uint32[2] kernel;
    uint32[2] stride;
    uint32[2] dilation;
    uint32[4] pads;
    uint32 groups;
    int32 axis;
    uint32[] perm;
    /// The requantization steps as the record has them: 8 bytes each, multiplier then shift, both
    /// little-endian int32 (OpMath.rqAt reads step i). A list of more than 4 steps is committed by
    /// its root instead (rqRoot; rq then holds only the step the verifier opened for its element).
    bytes rq;
    uint256 rqCount;
    bytes32 rqRoot;
    int32 actMin;
    int32 actMax;
    int32 epsilon;
    uint32[] outShape;
    int32 outZeroPoint;
}

/// An opened operand: its descriptor fields and the opened chunks (sparse).
struct Operand {
    uint8 dtype;
    uint32[] shape;
    int32 zeroPoint;
    uint64[] idx;
    bytes32[] chunks;
    uint256 hint; // position of the last chunk found
    bool missing; // a read hit a chunk no opening supplied
}

/// Why a proof was refused, in the order verify_element checks (VerifyError + 1; 0 = accepted).
library VerifyCode {
    uint8 internal constant OK = 0;
    uint8 internal constant BAD_OP_RECORD = 1;
    uint8 internal constant OP_NOT_IN_MODEL = 2;
    uint8 internal constant BAD_STEP = 3;
    uint8 internal constant ELEMENT_OUT_OF_RANGE = 4;
    uint8 internal constant OPERAND_COUNT = 5;
    uint8 internal constant WRONG_SOURCE = 6;
    uint8 internal constant BAD_OPENING = 7;
    uint8 internal constant SLICE_NOT_OPENED = 8;
    uint8 internal constant VALUE_MISMATCH = 9;
}
