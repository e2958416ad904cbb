#pragma once
/// The decode-step program of a language model, derived from its prefill program (the model at its
/// context length C: token ids [1, C] in, logits [1, C, V] out) for incremental generation with a
/// key/value cache (docs/generation.md, "Decoding with a cache").
///
/// Every op of a decoder-only transformer either works on each sequence position alone (norms,
/// linear layers, activations, the head split) or is attention: scores = q k^T over keys, then
/// probabilities times v. The derivation follows the sequence axis through every tensor; where
/// attention reads k or v it writes the new position's row into a cache of all C positions
/// (cache_write) and reads the cache, the causal softmax sees keys up to the position
/// (causal_softmax with an offset), and a constant that varies along the sequence (position
/// embeddings, rotary cos/sin) is read at the position (gather). The step program's logits equal
/// the prefill program's row at that position, bit for bit.

#include <cstdint>
#include <string>
#include <vector>

#include "core/ir/program.hpp"
#include "core/result.hpp"

namespace sigil::runtime::lm {

/// One key or value cache of the step program: its input and its updated output.
struct CacheSlot {
    ir::TensorId input = 0;   ///< program input (the cache before the step)
    ir::TensorId output = 0;  ///< the cache_write output (after the step)
    std::uint32_t axis = 0;   ///< the position axis
};

/// The step program: inputs [token int32 [1, 1], pos int32 [1], caches...], outputs
/// [logits int8 [1, 1, V], caches...] in CacheSlot order.
struct DecodeProgram {
    ir::Program program;
    std::vector<CacheSlot> caches;
    std::uint32_t context = 0;  ///< C, the number of positions a cache holds
    std::uint32_t vocab = 0;
};

/// Derives the step program; an error names the op (index and kind) whose sequence axis cannot
/// be followed.
Result<DecodeProgram, std::string> derive_decode_program(const ir::Program& prefill);

}  // namespace sigil::runtime::lm
