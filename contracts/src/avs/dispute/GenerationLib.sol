// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.27;

import {MerkleLib} from "./MerkleLib.sol";
import {OpMath} from "./OpMath.sol";

/// @notice What a generation request asks for (docs/generation.md "On chain"). The request's inline
///         input is `GENERATION_MAGIC || abi.encode(GenerationSpec)`.
/// @param lmRoot keccak256(abi.encode(LmManifest)) of the language model to run.
/// @param prompt Token ids, 1 .. context - 1 of them, each below the vocabulary size.
/// @param maxTokens Tokens to generate at most (>= 1).
/// @param stop Token ids that end the generation (kept as its last token); at most MAX_STOP.
/// @param temperatureMilli Temperature x 1000; 0 = greedy.
/// @param topK With a temperature: sample among the k most likely tokens, 1..MAX_TOP_K.
/// @param topPMicro Nucleus mass x 10^6 in [1, 10^6].
/// @param seed Seed of the draws.
struct GenerationSpec {
    bytes32 lmRoot;
    uint32[] prompt;
    uint32 maxTokens;
    uint32[] stop;
    uint32 temperatureMilli;
    uint32 topK;
    uint32 topPMicro;
    bytes32 seed;
}

/// @notice What a dispute needs to know about a language model's decode-step program, derived
///         from the program itself (src/runtime/lm/onchain.hpp `manifest_of`), so any node can
///         check a request's lmRoot before it serves it.
/// @param stepModelRoot modelRoot of the decode-step program (the request's modelRoot).
/// @param vocabRoot merkle_root(keccak256(text of token i)) over the vocabulary.
/// @param context C: positions a cache holds.
/// @param vocab V: the logits row length.
/// @param steps N: ops of the step program.
/// @param logitsStep The step (1-based op index) whose output is the logits row.
/// @param logitsWidth Bytes per logit: 1 (int8) or 4 (int32).
/// @param logitsMultiplier, logitsShift The logits' scale M * 2^-31 * 2^-shift.
/// @param cacheSteps Per cache: the step whose output is the cache the next step reads.
/// @param initialCaches Per cache: the tensorRoot of the cache step 0 reads (its zero point in
///        every element).
struct LmManifest {
    bytes32 stepModelRoot;
    bytes32 vocabRoot;
    uint32 context;
    uint32 vocab;
    uint64 steps;
    uint64 logitsStep;
    uint8 logitsWidth;
    int32 logitsMultiplier;
    int32 logitsShift;
    uint64[] cacheSteps;
    bytes32[] initialCaches;
}

/// @notice Two logits of a step's row with their paths in its tensor tree
///         (GenerationLib.greedyWitness).
struct GreedyWitness {
    uint32 other;
    bytes32 otherChunk;
    bytes32[] otherPath;
    bytes32 nextChunk;
    bytes32[] nextPath;
}

/// @notice The defender's opening of the disputed token step t (docs/generation.md "On chain").
/// @param state S_N of step t; `next` the token after it (leaf t = keccak256(state || next)).
/// @param prevState, token Leaf t - 1's preimage (t > 0): S_N of step t - 1 and the token step t
///        reads; `prevPath` proves that leaf under the claim's generationRoot. Unused at t = 0,
///        where step t reads the prompt's first token.
/// @param inputs The tensorRoots of step t's inputs: token, position, then the caches.
/// @param inputPath Proves merkle_root(inputs) as leaf 0 of `state` (N + 1 leaves).
/// @param cachePaths (t > 0) Proves inputs[2 + i] as leaf cacheSteps[i] of `prevState`.
struct StepOpening {
    bytes32 state;
    uint32 next;
    bytes32 prevState;
    uint32 token;
    bytes32[] prevPath;
    bytes32[] inputs;
    bytes32[] inputPath;
    bytes32[][] cachePaths;
}

/// @title GenerationLib
/// @notice The rules of a generation claim that need no game (docs/generation.md "On chain"), and
///         the sampler of docs/generation.md "Sampling" over a logits row in calldata. An external
///         library (it runs by DELEGATECALL) so the GenerationGame stays under EIP-170.
library GenerationLib {
    /// @notice First 8 bytes of a generation request's inline input.
    bytes8 internal constant GENERATION_MAGIC = "SIGILGEN";
    /// @notice Set in a generation claim's `steps`; the rest is the number of token steps.
    uint64 internal constant GENERATION_FLAG = uint64(1) << 63;
    uint256 internal constant MAX_STOP = 16;
    uint256 internal constant MAX_TOP_K = 64;

    /// @notice The inline input of a generation request for `s`.
    function encodeSpec(GenerationSpec memory s) internal pure returns (bytes memory) {
        return abi.encodePacked(GENERATION_MAGIC, abi.encode(s));
    }

    /// @notice Whether inline input `input` makes its request a generation request.
    function isGeneration(bytes calldata input) internal pure returns (bool) {
        return input.length >= 8 && bytes8(input[:8]) == GENERATION_MAGIC;
    }

    /// @notice Why `s` cannot be served with model `m` for a request of `modelRoot` ("" when it
    ///         can): the same rules as src/runtime/lm/onchain.cpp `check_spec`.
    function specFault(GenerationSpec memory s, LmManifest calldata m, bytes32 modelRoot)
        external
        pure
        returns (string memory)
    {
        if (m.stepModelRoot != modelRoot) return "model";
        if (m.vocabRoot == bytes32(0) || m.vocab == 0) return "vocabulary";
        if (s.prompt.length == 0 || s.prompt.length >= m.context) return "prompt length";
        for (uint256 i = 0; i < s.prompt.length; ++i) {
            if (s.prompt[i] >= m.vocab) return "prompt token";
        }
        if (s.maxTokens == 0) return "max tokens";
        if (s.stop.length > MAX_STOP) return "stop count";
        if (s.temperatureMilli > 1_000_000) return "temperature";
        if (s.topPMicro == 0 || s.topPMicro > 1_000_000) return "top p";
        if (s.temperatureMilli != 0 && (s.topK == 0 || s.topK > MAX_TOP_K)) return "top k";
        return "";
    }

    /// @notice Why generated `tokens` cannot be the whole answer to `s` ("" when they can): at
    ///         least one token, each in the vocabulary, no stop token but the last, at most
    ///         maxTokens and the context, and the last one ends it (a stop token, maxTokens, or a
    ///         full context). `tokenSteps` is the claim's step count, n + m - 1.
    function tokensFault(GenerationSpec memory s, LmManifest calldata m, uint32[] memory tokens, uint64 tokenSteps)
        external
        pure
        returns (string memory)
    {
        uint256 n = s.prompt.length;
        uint256 count = tokens.length;
        if (count == 0) return "no tokens";
        if (tokenSteps != n + count - 1) return "steps";
        if (count > s.maxTokens || n + count > m.context) return "too long";
        for (uint256 j = 0; j < count; ++j) {
            if (tokens[j] >= m.vocab) return "token";
            if (j + 1 < count && _isStop(s.stop, tokens[j])) return "stop inside";
        }
        if (!_isStop(s.stop, tokens[count - 1]) && count < s.maxTokens && n + count < m.context) return "ended early";
        return "";
    }

    function _isStop(uint32[] memory stop, uint32 token) private pure returns (bool) {
        for (uint256 i = 0; i < stop.length; ++i) {
            if (stop[i] == token) return true;
        }
        return false;
    }

    /// @notice Whether `text` is the concatenation of `texts`, each proven the text of `tokens[j]`
    ///         under `vocabRoot` (`vocab` leaves) by `paths[j]`. Reverts (BadVocabProof) when a
    ///         proof fails.
    function textMatches(
        bytes memory text,
        uint32[] memory tokens,
        bytes32 vocabRoot,
        uint32 vocab,
        bytes[] calldata texts,
        bytes32[][] calldata paths
    ) external pure returns (bool) {
        if (texts.length != tokens.length || paths.length != tokens.length) revert BadVocabProof();
        uint256 off;
        for (uint256 j = 0; j < tokens.length; ++j) {
            bytes32 h = keccak256(texts[j]);
            if (!MerkleLib.verify(vocabRoot, vocab, tokens[j], h, paths[j])) revert BadVocabProof();
            uint256 len = texts[j].length;
            if (off + len > text.length || _sliceHash(text, off, len) != h) return false;
            off += len;
        }
        return off == text.length;
    }

    /// keccak256(b[off .. off + len)), in bounds.
    function _sliceHash(bytes memory b, uint256 off, uint256 len) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            h := keccak256(add(add(b, 0x20), off), len)
        }
    }

    /// Step t's inputs are the token it reads, its position and the caches before it; returns
    /// their root, proven as leaf 0 of the step's S_N.
    function checkInputs(LmManifest calldata m, StepOpening calldata r, uint64 t, uint32 token)
        external
        pure
        returns (bytes32 inputRoot)
    {
        uint256 caches = m.cacheSteps.length;
        if (r.inputs.length != 2 + caches || m.initialCaches.length != caches) revert BadInputs();
        if (r.inputs[0] != _int32Chunk(token) || r.inputs[1] != _int32Chunk(uint32(t))) revert BadInputs();
        uint256 leaves = uint256(m.steps) + 1;
        for (uint256 i = 0; i < caches; ++i) {
            bool ok = t == 0
                ? r.inputs[2 + i] == m.initialCaches[i]
                : MerkleLib.verify(r.prevState, leaves, m.cacheSteps[i], r.inputs[2 + i], r.cachePaths[i]);
            if (!ok) revert BadInputs();
        }
        inputRoot = MerkleLib.rootOf(r.inputs);
        if (!MerkleLib.verify(r.state, leaves, 0, inputRoot, r.inputPath)) revert BadInputs();
    }

    /// The tensorRoot of a one-element int32 tensor: its single chunk, little-endian, zero-padded.
    function _int32Chunk(uint32 v) private pure returns (bytes32) {
        uint256 le = (uint256(v & 0xff) << 24) | (uint256((v >> 8) & 0xff) << 16) | (uint256((v >> 16) & 0xff) << 8)
            | uint256(v >> 24);
        return bytes32(le << 224);
    }

    error BadInputs();

    error BadVocabProof();

    error BadLogitsProof();

    /// @notice A greedy step refuted without its whole row: `proof` is abi.encode(GreedyWitness),
    ///         the 32-byte chunks of the logits row holding logit `other` and logit `next` (the
    ///         token the defender's leaf binds), each with its path in the row's tensor tree
    ///         (TensorRootLib: chunks as leaves, zero-padded). Returns the row's tensor root both
    ///         paths lead to (the caller proves it is step t's logits leaf) and the token of the
    ///         two that the greedy draw prefers: the greater logit, the lower index on a tie (the
    ///         order of `sample`). A `next` outside the vocabulary loses to any `other`.
    function greedyWitness(bytes calldata proof, LmManifest calldata m, uint32 next)
        external
        pure
        returns (bytes32 root, uint32 winner)
    {
        GreedyWitness memory w = abi.decode(proof, (GreedyWitness));
        uint256 width = m.logitsWidth;
        uint256 chunks = (uint256(m.vocab) * width + 31) / 32;
        uint256 depth = MerkleLib.depth(chunks);
        if (w.other >= m.vocab || w.otherPath.length != depth) revert BadLogitsProof();
        root = MerkleLib.rootFromProofMem(w.otherChunk, uint256(w.other) * width / 32, w.otherPath);
        if (next >= m.vocab) return (root, w.other);
        if (!MerkleLib.verifyMem(root, chunks, uint256(next) * width / 32, w.nextChunk, w.nextPath)) {
            revert BadLogitsProof();
        }
        int256 a = _logitIn(w.otherChunk, uint256(w.other) * width % 32, width);
        int256 b = _logitIn(w.nextChunk, uint256(next) * width % 32, width);
        winner = a > b || (a == b && w.other < next) ? w.other : next;
    }

    /// The logit at byte `at` of a row chunk (int8, or int32 little-endian).
    function _logitIn(bytes32 chunk, uint256 b, uint256 width) private pure returns (int256) {
        if (width == 1) return int8(uint8(chunk[b]));
        return int32(
            uint32(uint8(chunk[b])) | (uint32(uint8(chunk[b + 1])) << 8) | (uint32(uint8(chunk[b + 2])) << 16)
                | (uint32(uint8(chunk[b + 3])) << 24)
        );
    }

    /// @notice The token generation step `step` (0 for the first generated token) samples from
    ///         `row`, logits of m.logitsWidth bytes (1: int8, 4: int32 little-endian) with scale
    ///         M * 2^-31 * 2^-shift (src/runtime/lm/sampler.cpp `sample`). Greedy is the first
    ///         candidate of the order; otherwise `s.topK` (<= MAX_TOP_K) candidates are kept.
    function sample(bytes calldata row, LmManifest calldata m, GenerationSpec memory s, uint64 step)
        external
        pure
        returns (uint32)
    {
        uint256 width = m.logitsWidth;
        uint256 vocab = row.length / width;
        uint256 k = s.temperatureMilli == 0 ? 1 : s.topK;
        if (k > vocab) k = vocab;
        (int256[] memory vals, uint256[] memory ids) = _top(row, width, vocab, k);
        if (s.temperatureMilli == 0) return uint32(ids[0]);
        uint256[] memory w = new uint256[](k);
        uint256 total;
        for (uint256 i = 0; i < k; ++i) {
            w[i] = uint256(OpMath.iexp(_scaledGap(vals[i] - vals[0], m.logitsMultiplier, m.logitsShift, s.temperatureMilli)));
            total += w[i];
        }
        uint256 kept;
        uint256 held;
        while (held < k && (held == 0 || kept * 1_000_000 < uint256(s.topPMicro) * total)) {
            kept += w[held++];
        }
        uint256 u = uint256(keccak256(abi.encodePacked(s.seed, step))) % kept;
        uint256 cum;
        for (uint256 i = 0; i < held; ++i) {
            cum += w[i];
            if (cum > u) return uint32(ids[i]);
        }
        return uint32(ids[held - 1]);
    }

    /// trunc(d * M * 2^-31 * 2^-shift * 2^14 * 1000 / temperatureMilli), saturated at INT32_MIN.
    function _scaledGap(int256 d, int256 multiplier, int256 shift, uint256 temperatureMilli)
        private
        pure
        returns (int256 a)
    {
        int256 e = 17 + shift;
        int256 num = d * multiplier * 1000;
        int256 den = int256(temperatureMilli);
        if (e >= 0) den <<= uint256(e);
        else num *= int256(1) << uint256(-e);
        a = num / den;
        if (a < type(int32).min) a = type(int32).min;
    }

    /// The k largest logits, highest first, equal values by lower id: one pass over the row a
    /// 32-byte word at a time. Each logit is compared as a biased unsigned key (value XOR sign
    /// bit, so keys order as values do); only keys above the k-th held one are inserted into the
    /// sorted list of k.
    function _top(bytes calldata row, uint256 width, uint256 vocab, uint256 k)
        private
        pure
        returns (int256[] memory vals, uint256[] memory ids)
    {
        uint256[] memory keys = new uint256[](k);
        ids = new uint256[](k);
        uint256 filled;
        uint256 thr; // a lane passes when key + 1 > thr: 0 until k are held, then (k-th key) + 1
        uint256 lanes = 32 / width;
        for (uint256 first = 0; first < vocab; first += lanes) {
            uint256 pass;
            (first, pass) = _scan(row, width, first, vocab, thr);
            while (pass != 0) {
                uint256 lane = _lowestBit(pass);
                pass &= pass - 1;
                uint256 key = _key(row, width, first + lane);
                if (key + 1 <= thr) continue; // the threshold rose within this word
                uint256 pos = filled < k ? filled : k - 1;
                while (pos > 0 && key > keys[pos - 1]) {
                    keys[pos] = keys[pos - 1];
                    ids[pos] = ids[pos - 1];
                    --pos;
                }
                keys[pos] = key;
                ids[pos] = first + lane;
                if (filled < k) ++filled;
                if (filled == k) thr = keys[k - 1] + 1;
            }
        }
        vals = new int256[](k);
        for (uint256 i = 0; i < k; ++i) {
            vals[i] = width == 1 ? int256(int8(uint8(keys[i] ^ 0x80))) : int256(int32(uint32(keys[i] ^ 0x80000000)));
        }
    }

    /// From the word holding logit `first` on, the first word with a logit (below `vocab`) whose
    /// key + 1 > thr: its first logit and the mask of such lanes (bit i: logit pos + i). `pos` is
    /// past the row when there is none.
    function _scan(bytes calldata row, uint256 width, uint256 first, uint256 vocab, uint256 thr)
        private
        pure
        returns (uint256 pos, uint256 pass)
    {
        assembly ("memory-safe") {
            let m1 := 0x000000ff000000ff000000ff000000ff000000ff000000ff000000ff000000ff
            let m2 := 0x0000ff000000ff000000ff000000ff000000ff000000ff000000ff000000ff00
            let bias4 := 0x8000000080000000800000008000000080000000800000008000000080000000
            let bias1 := 0x8080808080808080808080808080808080808080808080808080808080808080
            let lanes := div(32, width)
            for { pos := first } lt(pos, vocab) { pos := add(pos, lanes) } {
                let w := calldataload(add(row.offset, mul(pos, width)))
                switch width
                case 1 {
                    w := xor(w, bias1)
                    for { let i := 0 } lt(i, 32) { i := add(i, 1) } {
                        pass := or(pass, shl(i, gt(add(byte(i, w), 1), thr)))
                    }
                }
                default {
                    // Little-endian lanes to big-endian, all eight pos once, sign bit biased.
                    w := or(or(shl(24, and(w, m1)), shl(8, and(w, m2))), or(and(shr(8, w), m2), and(shr(24, w), m1)))
                    w := xor(w, bias4)
                    let f := 0xffffffff
                    pass := gt(add(and(shr(224, w), f), 1), thr)
                    pass := or(pass, shl(1, gt(add(and(shr(192, w), f), 1), thr)))
                    pass := or(pass, shl(2, gt(add(and(shr(160, w), f), 1), thr)))
                    pass := or(pass, shl(3, gt(add(and(shr(128, w), f), 1), thr)))
                    pass := or(pass, shl(4, gt(add(and(shr(96, w), f), 1), thr)))
                    pass := or(pass, shl(5, gt(add(and(shr(64, w), f), 1), thr)))
                    pass := or(pass, shl(6, gt(add(and(shr(32, w), f), 1), thr)))
                    pass := or(pass, shl(7, gt(add(and(w, f), 1), thr)))
                }
                // Lanes past the row's end read other calldata: drop them.
                let n := sub(vocab, pos)
                if lt(n, lanes) { pass := and(pass, sub(shl(n, 1), 1)) }
                if pass { break }
            }
        }
    }

    /// The biased key of logit j.
    function _key(bytes calldata row, uint256 width, uint256 j) private pure returns (uint256 key) {
        uint256 word;
        assembly ("memory-safe") {
            word := calldataload(add(row.offset, mul(j, width)))
        }
        if (width == 1) return (word >> 248) ^ 0x80;
        uint256 le = ((word >> 248) & 0xff) | (((word >> 240) & 0xff) << 8) | (((word >> 232) & 0xff) << 16)
            | (((word >> 224) & 0xff) << 24);
        return le ^ 0x80000000;
    }

    function _lowestBit(uint256 x) private pure returns (uint256 i) {
        while (x & 1 == 0) {
            x >>= 1;
            ++i;
        }
    }
}
