#pragma once
/// The models a node serves: their programs (loaded and validated once), roots and price floors,
/// and the decision whether to serve a request (a pure function of the request and the policy).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ir/program.hpp"
#include "node/config.hpp"
#include "node/coordinator_abi.hpp"
#include "node/input_uri.hpp"

namespace sigil::node {

/// One served model.
struct ServedModel {
    Hash root{};
    std::filesystem::path path;
    std::shared_ptr<const ir::Program> program;
    std::uint64_t input_bytes = 0;  ///< size of the single input tensor
    std::vector<PriceFloor> prices;
};

class Catalog {
public:
    /// Loads every `[[model]]`; an unreadable program, a program without exactly one input or
    /// whose first output is not the last op's output (the output a dispute holds against S_N), a
    /// root mismatch or a model listed twice is an error naming `model[i]`.
    static Result<Catalog, ConfigError> load(const std::vector<ModelConfig>& models);

    const ServedModel* find(const Hash& root) const;
    const std::vector<ServedModel>& models() const { return models_; }

private:
    std::vector<ServedModel> models_;
};

/// Why a request is not served (stable strings shared by logs, the API and tests).
enum class SkipReason {
    model_not_served,
    token_not_accepted,
    price_below_minimum,
    consumer_not_allowed,
    capacity,
    deadline_passed,
    assigned_elsewhere,
    input_missing,
    input_size,
    bad_redundancy,
    input_unavailable,  ///< the input URI could not be resolved
    input_too_large,    ///< the input behind the URI is larger than the model's input
    input_mismatch,     ///< the input behind the URI does not have the request's inputRoot
    challenger_only,    ///< `[challenger] serve = false`: the node only checks others' claims
    bad_spec,           ///< a generation request this node's language model cannot serve as specified
};
std::string_view to_string(SkipReason r) noexcept;

/// What the decision looks at besides the request.
class LmService;
struct LanguageModel;
class Backends;

struct ServePolicy {
    const Catalog* catalog = nullptr;
    Address self{};
    std::optional<std::vector<Address>> allow_consumers;
    std::size_t max_pending = 256;
    /// The language models whose generation requests the node serves (null: none).
    const LmService* lms = nullptr;
    /// The external backends whose on-chain requests the node serves (null: none).
    const Backends* backends = nullptr;
};

/// What serves a request of `model_root` with inline `input`: a classifier of `catalog`, a
/// language model of `lms` with prices (for a generation spec input) or a backend of `backends`
/// with prices; all null when nothing does.
struct Server {
    const ServedModel* model = nullptr;
    const LanguageModel* lm = nullptr;
    const BackendConfig* backend = nullptr;
    bool found() const { return model != nullptr || lm != nullptr || backend != nullptr; }
};
Server find_server(const Catalog* catalog, const LmService* lms, const Backends* backends, const Hash& model_root,
                   BytesView input);

/// Decides whether to serve `ev`, given `pending` jobs in flight and the chain time `now` (s). A
/// generation request (its input starts with "SIGILGEN") is served by a language model with prices
/// whose decode-step program is the request's model and whose lmRoot the spec names, when the
/// spec is one it can serve (`bad_spec` otherwise).
/// k = 1 with another assigned node is served (by commit and reveal, after its exclusive window);
/// k > 1 with another assigned node is served too, since only the last seat is reserved.
std::optional<SkipReason> decide(const RequestedEvent& ev, const ServePolicy& policy, std::size_t pending,
                                 std::uint64_t now);

/// For a request whose input is given only by commitment and URI: resolves the URI (at most the
/// model's input size), checks the bytes against the request's inputRoot and fills `ev.input`.
/// Nothing when the input is there (or already was); otherwise the reason, with `detail` set.
/// A URI without a commitment (inputRoot zero) is `input_missing`: it is never fetched.
std::optional<SkipReason> resolve_input(RequestedEvent& ev, const Catalog& catalog, const FetchLimits& limits,
                                        std::string& detail);

}  // namespace sigil::node
