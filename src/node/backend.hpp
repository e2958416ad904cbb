#pragma once
/// External model backends, marked non-verifiable (their answers cannot be disputed by
/// re-execution): an HTTP backend in the style of Infernet containers (POST the JSON input, the
/// response body is the JSON output) and an OpenAI-compatible chat-completions backend
/// (`<url>/chat/completions`, the first choice's message content is the output).

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "node/config.hpp"
#include "node/coordinator_abi.hpp"

namespace sigil::node {

/// Every way a backend call can fail.
enum class BackendErrorKind {
    unknown_backend,  ///< no backend of that name
    bad_input,        ///< the input is not what the backend kind takes
    unreachable,      ///< connection failed or timed out
    http_status,      ///< a status other than 200
    bad_response,     ///< the body is not JSON of the expected shape
};
std::string_view to_string(BackendErrorKind k) noexcept;

struct BackendError {
    BackendErrorKind kind = BackendErrorKind::unreachable;
    std::string detail;
    std::string describe() const;
};

/// A backend's model id on chain: keccak256("backend:" + name).
Hash backend_model_id(const std::string& name);

class Backends;

/// The claim of an on-chain request for a backend (docs/node.md "Backends"): agreement-checked,
/// never fraud-provable. The output is the answer's bytes (an openai backend's content, asked at
/// temperature 0; an http backend's JSON), outputRoot its tensor root, inputRoot the input's,
/// traceRoot zero and steps 0: no game can be played on it, so only k seats revealing the same
/// output check it. `input` must be a JSON object (the backend's input).
Result<Claim, std::string> agreement_claim(const Backends& backends, const BackendConfig& b, BytesView input);

class Backends {
public:
    explicit Backends(std::vector<BackendConfig> configs) : configs_(std::move(configs)) {}

    const std::vector<BackendConfig>& configs() const { return configs_; }
    const BackendConfig* find(const std::string& name) const;

    /// Calls backend `name`. http: `input` is posted as is. openai: `input` is either
    /// `{"messages": [...]}` or `{"prompt": "..."}`; the result is `{"content": "...", "raw": ...}`.
    /// `greedy` asks an openai backend for temperature 0 (what agreement between seats needs).
    Result<nlohmann::json, BackendError> call(const std::string& name, const nlohmann::json& input,
                                              bool greedy = false) const;

    /// The backend whose on-chain model id is `id` (`backend_model_id`) and that has prices.
    const BackendConfig* find_onchain(const Hash& id) const;

private:
    std::vector<BackendConfig> configs_;
};

}  // namespace sigil::node
