#pragma once
/// The `sigil node` configuration (docs/node.md): parsed from TOML and validated in full before
/// the node starts. Every refusal names the key it is about, e.g. `chain.chain_id`.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"
#include "core/trace/fault.hpp"
#include "core/u256.hpp"

namespace sigil::node {

/// Every way a configuration can be refused.
enum class ConfigErrorKind {
    io_error,          ///< the file cannot be read
    syntax,            ///< not valid TOML
    missing_key,       ///< a required key is absent
    wrong_type,        ///< a key holds a value of another TOML type
    bad_value,         ///< a value of the right type that is out of range or unparsable
    unknown_key,       ///< a key the node does not know (usually a typo)
    conflicting_keys,  ///< keys that exclude each other, or a required one of several is missing
    dev_key_required,  ///< `operator.private_key` without the --dev-key flag
    duplicate,         ///< two entries with the same identity (model, backend name, token)
};
std::string_view to_string(ConfigErrorKind k) noexcept;

struct ConfigError {
    ConfigErrorKind kind = ConfigErrorKind::bad_value;
    std::string key;     ///< dotted path, e.g. `model[0].price[1].min`
    std::string detail;  ///< what was wrong with it
    /// One line: `<key>: <kind>: <detail>`.
    std::string describe() const;
};

/// A minimum price per call for one payment token.
struct PriceFloor {
    Address token{};
    u256 min = 0;
};

struct ChainConfig {
    std::string rpc_url;
    std::uint64_t chain_id = 0;
    std::uint64_t confirmations = 0;
    std::uint64_t poll_interval_ms = 250;
    std::uint64_t start_block = 0;
};

struct ContractsConfig {
    Address coordinator{};
    Address operator_registry{};
    Address model_registry{};
    /// DisputeGame, the Coordinator's proof market. Zero: no dispute agents (the node neither
    /// defends its claims nor challenges others').
    Address dispute_game{};
    /// ProofMarket (verification bounties); required with `challenger.mode = "bounty"`.
    Address proof_market{};
    /// GenerationGame: disputes of generation claims (optional).
    Address generation_game{};
};

/// `[challenger]`: whether the node re-executes other operators' claims and disputes wrong ones:
/// every claim, a sampled share, or (`bounty`) the claims of ProofMarket bounties for which this
/// account is the drawn verifier (docs/node.md, "Verification bounties").
enum class ChallengeMode { off, all, sample, bounty };
std::string_view to_string(ChallengeMode m) noexcept;

struct ChallengerConfig {
    ChallengeMode mode = ChallengeMode::off;
    double probability = 1.0;      ///< sample: the chance a claim is checked, in (0, 1]
    std::uint64_t seed = 0;        ///< sample: mixed into the per-request draw
    std::optional<u256> max_bond;  ///< most bond tokens held in open challenges (none: no cap)
    bool serve = true;             ///< false: serve no requests, only check others' claims
    /// A seated node challenges the disagreeing reveals of a k > 1 conflict (challengeConflict)
    /// and resolves the conflict when it wins; on whenever contracts.dispute_game is set.
    bool conflicts = true;
};

/// `[fault] kind`: how a faulty node's claim lies (docs/node.md, "Faulty node").
using trace::FaultKind;

/// `[verifier]` (with `challenger.mode = "bounty"`): the account's seat in the ProofMarket's
/// verifier pool.
struct VerifierConfig {
    /// Bond tokens registered when the account is not a verifier yet (approved first); at least
    /// the market's minBond, below 2^96.
    u256 bond = 0;
};

/// `[fault]` (tests and the devnet's faulty scenario): the node posts a wrong claim on a
/// deterministic share of requests and defends it (docs/node.md, "Faulty node").
using FaultConfig = trace::FaultSpec;

/// Where the operator key comes from. Exactly one of: keystore (+ password_file or
/// password_env), or private_key (development only).
struct OperatorConfig {
    std::filesystem::path keystore;
    std::filesystem::path password_file;
    std::string password_env;
    std::string private_key;
};

struct NodeSection {
    std::filesystem::path data_dir;
    unsigned workers = 2;
    std::size_t max_pending = 256;
    std::optional<std::vector<Address>> allow_consumers;
};

struct ApiConfig {
    std::optional<std::string> host;  ///< none: the API is disabled
    std::uint16_t port = 0;           ///< 0: any free port
    std::uint32_t rate_limit_per_second = 50;
    /// A signed off-chain claim is disputable (OffchainClaims.adopt, then the game) until this
    /// many seconds after it is served: its EIP-712 `disputeUntil`. At most 30 days.
    std::uint32_t claim_dispute_seconds = 86'400;
};

struct ModelConfig {
    std::filesystem::path program;
    std::optional<Hash> root;
    std::vector<PriceFloor> prices;
};

/// A language model the node serves through its OpenAI-compatible API (`[[language_model]]`,
/// docs/node.md): clients name it by `name`; every completion is generated by the integer
/// runtime and committed step by step (docs/generation.md).
struct LanguageModelConfig {
    std::string name;               ///< the `model` field of a request: [A-Za-z0-9._:-], 1-64 chars
    std::filesystem::path program;  ///< the imported .sigil program (token ids in, logits out)
    std::filesystem::path vocab;    ///< JSON array of the token texts
    std::optional<Hash> root;       ///< the program's modelRoot, checked at load when given
    std::uint32_t threads = 1;
    std::uint32_t max_tokens = 256;  ///< the largest max_tokens a request may ask for
    /// Chat prompts: each message as chat_template with {role} and {content} replaced, then
    /// chat_suffix (where the assistant's answer begins).
    std::string chat_template = "{content}";
    std::string chat_suffix;
    /// `[[language_model.price]]`: with at least one, the node serves the model's generation
    /// requests on chain (request modelRoot = the decode-step program's), at these floors.
    std::vector<PriceFloor> prices;
};

enum class BackendKind { http, openai };
std::string_view to_string(BackendKind k) noexcept;

struct BackendConfig {
    BackendKind kind = BackendKind::http;
    std::string name;
    std::string url;
    std::string model_id;
    std::vector<PriceFloor> prices;
};

struct NodeConfig {
    ChainConfig chain;
    ContractsConfig contracts;
    OperatorConfig operator_key;
    NodeSection node;
    ApiConfig api;
    std::vector<ModelConfig> models;
    std::vector<BackendConfig> backends;
    std::vector<LanguageModelConfig> language_models;
    ChallengerConfig challenger;
    VerifierConfig verifier;
    FaultConfig fault;
};

/// Which daemon reads the file: `sigil node` (an operator) or `sigil challenger` (a standalone
/// challenger: no operator registration, serves nothing, re-executes others' claims).
///
/// The challenger's file differs from the node's: its key is `[account]` (same keys as
/// `[operator]`); `contracts.coordinator` and `contracts.dispute_game` are required, the
/// registries optional; `[challenger]` is required with `mode = "all"` or `"sample"` (`serve` and
/// `conflicts` are not accepted: it serves nothing and holds no seat); `[[model]]` takes no
/// `[[model.price]]`; `[api]`, `[[backend]]` and `node.allow_consumers` are refused.
enum class ConfigProfile { node, challenger };

/// Parses and validates configuration text. Relative paths are resolved against `base_dir`.
/// `dev_key` allows `operator.private_key` (`account.private_key` for the challenger).
Result<NodeConfig, ConfigError> parse_config(std::string_view text, const std::filesystem::path& base_dir,
                                             bool dev_key, ConfigProfile profile = ConfigProfile::node);

/// Reads `file` and parses it with its directory as the base for relative paths.
Result<NodeConfig, ConfigError> load_config(const std::filesystem::path& file, bool dev_key,
                                            ConfigProfile profile = ConfigProfile::node);

}  // namespace sigil::node
