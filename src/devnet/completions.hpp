#pragma once
/// `sigil devnet --lm N`: text completions through the protocol. The devnet registers a language
/// model (lm.sigil and vocab.json of `sigil lm train`, e.g. the zoo's wordnet-lm) by its
/// decode-step program, every node serves it (`[[language_model]]` with a price), and the example
/// consumer contract TextOracle asks for N completions, alternately k = 1 (assigned to an
/// operator, greedy) and k = 3 (commit and reveal; sampled at temperature 0.7 among the top 40
/// tokens from a per-request seed, so every seat draws the same tokens). Each answer is checked against the local runtime's
/// generation, token for token, and reported with its latency and gas.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "devnet/client.hpp"
#include "devnet/models.hpp"
#include "devnet/world.hpp"
#include "runtime/lm/generate.hpp"
#include "runtime/lm/onchain.hpp"
#include "runtime/lm/vocab.hpp"

namespace sigil::devnet {

/// A language model as the devnet serves and checks it.
struct LanguageModelFile {
    ModelFile model;  ///< registered by the decode-step program's root; language_model set
    std::shared_ptr<runtime::lm::Vocabulary> vocab;
    std::shared_ptr<runtime::lm::Generator> generator;
    runtime::lm::LmManifest manifest;
    Hash lm_root{};
};

/// Loads `dir`/lm.sigil and `dir`/vocab.json (throws DevnetError naming what is missing).
LanguageModelFile load_language_model(const std::filesystem::path& dir);

/// One completion as the summary reports it.
struct Completion {
    unsigned k = 1;
    std::string prompt, text;
    std::uint32_t tokens = 0;
    bool answered = false, correct = false;
    double latency_ms = 0;
    std::uint64_t gas = 0;  ///< the consumer's request and every node transaction for it
};

struct CompletionSummary {
    std::vector<Completion> completions;
    bool all_correct() const;
    std::string to_text() const;
    nlohmann::json to_json() const;
};

/// Deploys a TextOracle for `lm`, funds it, asks `count` completions of at most `max_tokens`
/// tokens and waits (at most `timeout`) for their callbacks.
CompletionSummary run_completions(Signer& owner, const Deployment& d, const World& w, const LanguageModelFile& lm,
                                  unsigned count, std::uint32_t max_tokens, std::chrono::seconds timeout,
                                  std::ostream& progress);

/// One altered completion (`--lm N --faulty M`): where the liar changed a token and how it ended.
struct CompletionDispute {
    Hash request{};
    std::string prompt;
    std::uint64_t step = 0;         ///< the token step the game opened (its leaf index)
    std::uint64_t token_index = 0;  ///< the generated token it produced (step - (n - 1))
    std::string claimed, sampled;   ///< the liar's token there and the sampler's, as text
    std::string reason;             ///< how the claim was refuted ("token", or a one-shot rule)
    bool refuted = false, withdrawn = false;
    std::uint64_t transactions = 0, gas = 0;  ///< the GenerationGame's transactions on it
    u256 slashed_shares = 0, consumer_refund = 0;
    double wall_ms = 0;
};

struct CompletionDisputeSummary {
    std::vector<CompletionDispute> disputes;
    bool all_caught() const;
    std::string to_text() const;
    nlohmann::json to_json() const;
};

/// A liar whose node alters one generated token of every answer (`[fault] kind = "token"`) and a
/// challenger node join; the TextOracle asks the liar `count` completions; each is disputed in
/// the GenerationGame, the liar slashed and the oracle's text withdrawn. Nodes' files go to
/// `dir`/node-lm-liar and `dir`/node-lm-challenger.
CompletionDisputeSummary run_completion_disputes(Signer& owner, const Deployment& d, const World& w,
                                                 const LanguageModelFile& lm, unsigned count, std::uint32_t max_tokens,
                                                 const std::filesystem::path& dir, const std::filesystem::path& sigil,
                                                 std::ostream& progress,
                                                 std::chrono::seconds timeout = std::chrono::seconds(120));

}  // namespace sigil::devnet
