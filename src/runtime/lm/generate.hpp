#pragma once
/// Text generation with a quantized decoder-only language model (docs/generation.md).
///
/// The program is the model specialized to its context length C: one int32 input of token ids
/// [1, C] and one int8 output of logits [1, C, V]. Attention is causal, so the logits of
/// position t - 1 depend only on tokens 0 .. t - 1; each step runs the program on the sequence so
/// far padded to C and reads that row, and every step is one ordinary run with its own trace
/// (S_N), so a wrong token can be disputed like any inference. No KV cache yet: a step costs the
/// whole context.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/ir/program.hpp"
#include "core/result.hpp"
#include "runtime/lm/sampler.hpp"

namespace sigil::runtime {
class Executor;
}

namespace sigil::runtime::lm {

struct GenerationOptions {
    SamplingParams sampling;
    std::uint32_t max_tokens = 16;       ///< tokens to generate at most, >= 1
    std::vector<std::uint32_t> stop;     ///< generation ends after any of these
    std::uint32_t pad = 0;               ///< fills the positions after the sequence
};

struct Generation {
    std::vector<std::uint32_t> prompt;
    std::vector<std::uint32_t> tokens;   ///< generated, a stop token included
    std::vector<Hash> states;            ///< S_N of each step's run
    std::string finish;                  ///< "stop", "length" (max_tokens) or "context" (C full)
    Hash generation_root{};              ///< merkle_root of the step leaves
    Hash commitment{};                   ///< binds model, vocabulary, prompt, parameters, steps
    double ms = 0;                       ///< wall time of all steps
};

/// keccak256(S_N || token as 4 big-endian bytes): the leaf of one step.
Hash step_leaf(const Hash& state, std::uint32_t token);
/// keccak256 of the parameters' canonical bytes (docs/generation.md).
Hash params_hash(const GenerationOptions& o);
/// keccak256 of the prompt ids, 4 big-endian bytes each.
Hash prompt_hash(const std::vector<std::uint32_t>& prompt);
/// keccak256(modelRoot || vocabRoot || promptHash || paramsHash || generationRoot).
Hash generation_commitment(const Hash& model_root, const Hash& vocab_root, const Hash& prompt, const Hash& params,
                           const Hash& generation_root);

class Generator {
public:
    /// Checks the program's shape (named error otherwise) and starts an executor of `threads`.
    /// `program` must outlive the generator.
    static Result<Generator, std::string> create(const ir::Program& program, unsigned threads);
    Generator(Generator&&) noexcept;
    Generator& operator=(Generator&&) noexcept;
    ~Generator();

    std::uint32_t context() const { return context_; }
    std::uint32_t vocab() const { return vocab_; }

    /// Generates after `prompt` (1 .. C - 1 ids, each < V). `vocab_root` is bound into the
    /// commitment (zero without a vocabulary).
    Result<Generation, std::string> run(const std::vector<std::uint32_t>& prompt, const GenerationOptions& o,
                                        const Hash& vocab_root = {});

private:
    Generator() = default;
    const ir::Program* program_ = nullptr;
    std::unique_ptr<Executor> exec_;
    std::uint32_t context_ = 0, vocab_ = 0;
    Hash model_root_{};
};

}  // namespace sigil::runtime::lm
