#pragma once
/// Generation requests, claims and dispute openings as the contracts see them (docs/generation.md
/// "On chain"; contracts/src/avs/dispute/GenerationLib.sol, GenerationGame.sol).
///
/// A generation request's inline input is "SIGILGEN" || abi.encode(GenerationSpec); its spec names
/// the model by lmRoot = keccak256(abi.encode(LmManifest)), the facts about the decode-step program
/// a dispute needs, derived from the program (`manifest_of`) so every node computes the same one.
/// The claim is (output = abi.encode(uint32[] tokens, bytes text), outputRoot = tensorRoot(output),
/// traceRoot = generationRoot, steps = kGenerationFlag | (n + m - 1), inputRoot = tensorRoot(input)).

#include <cstdint>
#include <string>
#include <vector>

#include "core/abi/value.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"
#include "runtime/lm/generate.hpp"

namespace sigil::trace {
class ExecutionTrace;
}

namespace sigil::runtime::lm {

inline constexpr std::uint64_t kGenerationFlag = std::uint64_t{1} << 63;
inline constexpr std::size_t kMaxStopTokens = 16;
inline constexpr std::uint32_t kMaxOnchainTopK = 64;

/// GenerationLib.sol `LmManifest`.
struct LmManifest {
    Hash step_model_root{};
    Hash vocab_root{};
    std::uint32_t context = 0;
    std::uint32_t vocab = 0;
    std::uint64_t steps = 0;        ///< N, ops of the step program
    std::uint64_t logits_step = 0;  ///< the 1-based op whose output is the logits
    std::uint8_t logits_width = 0;  ///< 1 (int8) or 4 (int32)
    std::int32_t logits_multiplier = 0;
    std::int32_t logits_shift = 0;
    std::vector<std::uint64_t> cache_steps;  ///< per cache: the op writing it
    std::vector<Hash> initial_caches;        ///< per cache: tensorRoot of the cache step 0 reads
};

/// The manifest of `g`'s step program with vocabulary root `vocab_root`.
LmManifest manifest_of(const Generator& g, const Hash& vocab_root);
abi::Value manifest_value(const LmManifest& m);  ///< the LmManifest tuple
Bytes encode_manifest(const LmManifest& m);      ///< abi.encode(m)
Hash lm_root(const LmManifest& m);           ///< keccak256(abi.encode(m))

/// GenerationLib.sol `GenerationSpec`.
struct GenerationSpec {
    Hash lm_root{};
    std::vector<std::uint32_t> prompt;
    GenerationOptions options;
};

/// "SIGILGEN" || abi.encode(spec).
Bytes encode_spec(const GenerationSpec& s);
/// Whether inline input bytes make a request a generation request (they start with "SIGILGEN").
bool is_generation_input(BytesView input);
/// The spec of a generation request's input; an error names what is malformed.
Result<GenerationSpec, std::string> decode_spec(BytesView input);
/// Why `s` cannot be served with `m` for a request of model `model_root` ("" when it can): the
/// rules of GenerationLib.specFault, with the names they refute by ("model", "prompt length", ..).
std::string spec_fault(const GenerationSpec& s, const LmManifest& m, const Hash& model_root);
/// GenerationLib.tokensFault: why `tokens` (claimed with `token_steps` steps) cannot be the whole
/// answer ("" when they can).
std::string tokens_fault(const GenerationSpec& s, const LmManifest& m, const std::vector<std::uint32_t>& tokens,
                         std::uint64_t token_steps);

/// A generation claim, the fields of the Coordinator's Claim.
struct GenerationClaim {
    Bytes output;  ///< abi.encode(uint32[] tokens, bytes text)
    Hash output_root{};
    Hash trace_root{};  ///< generationRoot
    std::uint64_t steps = 0;
    Hash input_root{};
};

Bytes completion_output(const std::vector<std::uint32_t>& tokens, std::string_view text);
/// The tokens and text of a claim's output; an error when it is not abi.encode(uint32[], bytes).
Result<std::pair<std::vector<std::uint32_t>, std::string>, std::string> decode_completion_output(BytesView output);
GenerationClaim generation_claim(BytesView input, const Generation& g, std::string_view text);

/// The leaves of a generation's root, in step order.
std::vector<Hash> generation_leaves(const Generation& g);

/// The descent of a generation's leaf tree to leaf t: per level from the root, the children the
/// defender reveals and whether the challenger picks the right one.
struct Descent {
    std::vector<Hash> lefts, rights;
    std::vector<bool> picks;
};
Descent descend_to(const std::vector<Hash>& leaves, std::uint64_t t);

/// GenerationGame.sol `StepOpening`: the defender's opening of token step t.
struct StepOpening {
    Hash state{};
    std::uint32_t next = 0;
    Hash prev_state{};
    std::uint32_t token = 0;
    std::vector<Hash> prev_path;
    std::vector<Hash> inputs;
    std::vector<Hash> input_path;
    std::vector<std::vector<Hash>> cache_paths;
};

/// Opens step t of generation `g` from the traces of its runs: `cur` of step t, `prev` of step
/// t - 1 (null at t = 0).
StepOpening open_step(const LmManifest& m, const Generation& g, std::uint64_t t, const trace::ExecutionTrace& cur,
                      const trace::ExecutionTrace* prev);
/// The ABI tuple of a StepOpening, and abi.encode of it.
abi::Value step_opening_value(const StepOpening& o);
Bytes encode_step_opening(const StepOpening& o);
/// The children of the node `height` levels above the leaves at `index` of the padded tree over
/// `leaves` (the defender's move in the descent). Precondition: height >= 1.
std::pair<Hash, Hash> tree_children(const std::vector<Hash>& leaves, unsigned height, std::uint64_t index);

/// The logits row of a step (its bytes as committed) and its path as leaf logits_step of the
/// step's S_N: what `proveToken` takes.
struct LogitsOpening {
    Bytes row;
    std::vector<Hash> path;
};
LogitsOpening open_logits(const LmManifest& m, const trace::ExecutionTrace& cur);

/// abi.encode(GreedyWitness): logits `other` and `next` of `row` (m.logits_width bytes each),
/// each as its 32-byte chunk with the chunk's path in the row's tensor tree. What `proveToken`
/// takes instead of the whole row at temperature 0 (GenerationLib.greedyWitness): `other` beats
/// `next` when its logit is greater, or equal at a lower index. Padded with a zero word when its
/// length would equal the row's (which the contract reads as a whole row). Precondition: both
/// below m.vocab.
Bytes greedy_witness(const LmManifest& m, BytesView row, std::uint32_t other, std::uint32_t next);

}  // namespace sigil::runtime::lm
