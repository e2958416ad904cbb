#pragma once
/// Text generation with a quantized decoder-only language model (docs/generation.md).
///
/// The .sigil program is the model at its context length C (token ids [1, C] in, logits [1, C, V]
/// out). Generation runs its decode-step program (runtime/lm/decode.hpp): one position per step,
/// with key/value caches of C positions as inputs and outputs, so a step costs one token's linear
/// layers and attention over the cache. Every step is one ordinary run with its own trace (S_N,
/// which covers the caches it read and wrote), so a wrong token can be disputed like any
/// inference.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/ir/program.hpp"
#include "core/result.hpp"
#include "runtime/lm/decode.hpp"
#include "runtime/lm/sampler.hpp"

namespace sigil::runtime {
class Executor;
struct RunProfile;
struct RunResult;
}

namespace sigil::runtime::lm {

struct GenerationOptions {
    SamplingParams sampling;
    std::uint32_t max_tokens = 16;       ///< tokens to generate at most, >= 1
    std::vector<std::uint32_t> stop;     ///< generation ends after any of these
    /// A faulty operator (tests, `sigil devnet --faulty`): generated token `first` is replaced by
    /// `second`, and generation goes on from it as if it had been sampled. Not part of the request.
    std::optional<std::pair<std::uint32_t, std::uint32_t>> alter;
};

struct Generation {
    std::vector<std::uint32_t> prompt;
    std::vector<std::uint32_t> tokens;   ///< generated, a stop token included
    /// S_N of each step's run; step t reads token t of prompt + tokens at position t, and its
    /// leaf binds the token after it.
    std::vector<Hash> states;
    std::string finish;                  ///< "stop", "length" (max_tokens) or "context" (C full)
    Hash generation_root{};              ///< merkle_root of the step leaves
    Hash commitment{};                   ///< binds model, vocabulary, prompt, parameters, steps
    double prefill_ms = 0;               ///< the prompt's steps but the last
    double decode_ms = 0;                ///< the steps that produced generated tokens
    std::vector<double> decode_step_ms;  ///< each of those steps
};

/// keccak256(S_N || token as 4 big-endian bytes): the leaf of one step.
Hash step_leaf(const Hash& state, std::uint32_t token);
/// keccak256 of the parameters' canonical bytes (docs/generation.md).
Hash params_hash(const GenerationOptions& o);
/// keccak256 of the prompt ids, 4 big-endian bytes each.
Hash prompt_hash(const std::vector<std::uint32_t>& prompt);
/// keccak256(stepModelRoot || vocabRoot || promptHash || paramsHash || generationRoot).
Hash generation_commitment(const Hash& model_root, const Hash& vocab_root, const Hash& prompt, const Hash& params,
                           const Hash& generation_root);

class Generator {
public:
    /// Derives the decode-step program from `program` (named error when it is not a language
    /// model) and starts an executor of `threads`. Without `commit` the steps compute no trace
    /// (for timing inference alone): states, roots and the commitment stay empty.
    static Result<Generator, std::string> create(const ir::Program& program, unsigned threads, bool commit = true);
    Generator(Generator&&) noexcept;
    Generator& operator=(Generator&&) noexcept;
    ~Generator();

    std::uint32_t context() const { return step_->context; }
    std::uint32_t vocab() const { return step_->vocab; }
    /// The decode-step program every step runs, and its modelRoot (bound by the commitment).
    const DecodeProgram& step_program() const { return *step_; }
    const Hash& step_model_root() const { return model_root_; }

    /// Generates after `prompt` (1 .. C - 1 ids, each < V). `vocab_root` is bound into the
    /// commitment (zero without a vocabulary).
    /// With `profiles`, each generating step's op and commitment times are appended to it.
    /// `on_token`, when set, is called with each generated token as soon as it is sampled (for
    /// streaming); the generation continues whatever it does. `on_step`, when set, is given each
    /// step's run (its trace: what a dispute opens) with the step's position.
    Result<Generation, std::string> run(const std::vector<std::uint32_t>& prompt, const GenerationOptions& o,
                                        const Hash& vocab_root = {}, std::vector<RunProfile>* profiles = nullptr,
                                        const std::function<void(std::uint32_t)>& on_token = {},
                                        const std::function<void(std::uint32_t, const RunResult&)>& on_step = {});

private:
    Generator() = default;
    std::unique_ptr<DecodeProgram> step_;  // at a fixed address: the executor points into it
    std::unique_ptr<Executor> exec_;
    Hash model_root_{};
    bool commit_ = true;
};

}  // namespace sigil::runtime::lm
