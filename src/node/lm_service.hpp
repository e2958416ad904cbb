#pragma once
/// The language models a node serves through its OpenAI-compatible API (docs/node.md, "OpenAI-
/// compatible API"): request parsing with OpenAI's field names and error objects, and generation
/// by the integer runtime, every step committed (docs/generation.md).

#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/trace/fault.hpp"
#include "node/config.hpp"
#include "runtime/lm/generate.hpp"
#include "runtime/lm/onchain.hpp"
#include "runtime/lm/vocab.hpp"

namespace sigil::node {

/// An error as OpenAI's API returns it: {"error": {"message", "type", "param", "code"}}.
struct OpenAiError {
    int status = 400;
    std::string message;
    std::string param;  ///< the offending request field, or ""
    std::string code;   ///< e.g. "model_not_found", "unsupported_parameter", or ""
    std::string type = "invalid_request_error";
};
nlohmann::json to_json(const OpenAiError& e);

/// One served language model. The generator runs one request at a time.
struct LanguageModel {
    LanguageModelConfig cfg;
    Hash root{};  ///< modelRoot of the imported (prefill) program
    runtime::lm::Vocabulary vocab;
    std::unique_ptr<runtime::lm::Generator> generator;
    std::unique_ptr<std::mutex> busy;
    /// What generation requests name the model by on chain (docs/generation.md "On chain").
    runtime::lm::LmManifest manifest;
    Hash lm_root{};
};

/// A parsed /v1/completions or /v1/chat/completions request.
struct CompletionRequest {
    const LanguageModel* model = nullptr;
    bool chat = false;
    bool stream = false;
    std::vector<std::uint32_t> prompt;
    runtime::lm::GenerationOptions options;
};

/// A completion served off-chain as an on-chain request of the same spec would have it answered:
/// the request's inline input ("SIGILGEN" || abi.encode(spec)) and the claim an honest operator
/// posts for it (docs/generation.md "On chain").
struct OffchainCompletion {
    Bytes input;
    runtime::lm::GenerationClaim claim;
};

class LmService {
public:
    /// Loads every `[[language_model]]`: the program (its modelRoot checked against `root` when
    /// given), the vocabulary (one entry per logit), the decode-step program. Errors name
    /// `language_model[i]`.
    static Result<LmService, ConfigError> load(const std::vector<LanguageModelConfig>& models);

    const std::vector<std::unique_ptr<LanguageModel>>& models() const { return models_; }
    const LanguageModel* find(const std::string& name) const;
    /// The model an on-chain generation request of `step_model_root` is for, when it has prices
    /// (`[[language_model.price]]`); null otherwise.
    const LanguageModel* find_onchain(const Hash& step_model_root) const;
    /// The model whose decode-step program is `step_model_root`, with or without prices (what a
    /// challenger re-executes and a defender regenerates).
    const LanguageModel* find_step(const Hash& step_model_root) const;
    /// Generates the answer to an on-chain generation request for `m` and builds its claim. With a
    /// `token` lie (a faulty node, `[fault] kind = "token"`) one generated token is replaced.
    Result<runtime::lm::GenerationClaim, std::string> serve(const LanguageModel& m, BytesView input,
                                                            const std::optional<trace::Lie>& lie = {}) const;
    /// The generation of `spec` on `m` as `serve` makes it (the lie applied), each step's run given
    /// to `on_step`.
    Result<runtime::lm::Generation, std::string> generate_onchain(
        const LanguageModel& m, const runtime::lm::GenerationSpec& spec, const std::optional<trace::Lie>& lie,
        const std::function<void(std::uint32_t, const runtime::RunResult&)>& on_step = {}) const;

    /// Parses a request body (chat: /v1/chat/completions). Field names, defaults and ranges
    /// follow OpenAI's API (temperature in [0, 2], default 1; top_p in (0, 1]; n = 1); Sigil adds
    /// top_k (1 to 64, default 64: the bound of the on-chain sampler, so that every answer can be
    /// disputed). Parameters the runtime cannot honour exactly (penalties, logit_bias, logprobs, echo,
    /// best_of > 1, suffix) are refused by name, never ignored; stop strings must each be one
    /// token of the model's vocabulary.
    Result<CompletionRequest, OpenAiError> parse(const nlohmann::json& body, bool chat) const;

    /// The spec of a parsed request and the claim of its generation `g`, what the API signs so
    /// that the completion can be adopted on chain and disputed (OffchainClaims.adopt). An error
    /// when the request cannot be one on chain (GenerationLib.specFault) or `g` is not its answer.
    Result<OffchainCompletion, std::string> offchain_claim(const CompletionRequest& r,
                                                           const runtime::lm::Generation& g) const;

    /// Generates; `on_token` sees each token as it is sampled.
    Result<runtime::lm::Generation, OpenAiError> generate(const CompletionRequest& r,
                                                          const std::function<void(std::uint32_t)>& on_token = {}) const;

private:
    std::vector<std::unique_ptr<LanguageModel>> models_;
};

/// The text OpenAI clients expect: the generated tokens' text without the stop token that ended
/// it (it stays in the token ids and the commitment).
std::string completion_text(const CompletionRequest& r, const runtime::lm::Generation& g);
/// Whether `token` is one of the request's stop tokens (streaming leaves its text out).
bool is_stop(const CompletionRequest& r, std::uint32_t token);

/// The finish reason OpenAI clients expect: "stop" or "length" (a full context is "length").
std::string openai_finish(const std::string& finish);

}  // namespace sigil::node
