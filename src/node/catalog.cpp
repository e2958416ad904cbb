#include "node/catalog.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/ir/codec.hpp"
#include "core/ir/model_root.hpp"
#include "node/backend.hpp"
#include "node/lm_service.hpp"
#include "runtime/lm/onchain.hpp"

namespace sigil::node {

std::string_view to_string(SkipReason r) noexcept {
    switch (r) {
        case SkipReason::model_not_served: return "model_not_served";
        case SkipReason::token_not_accepted: return "token_not_accepted";
        case SkipReason::price_below_minimum: return "price_below_minimum";
        case SkipReason::consumer_not_allowed: return "consumer_not_allowed";
        case SkipReason::capacity: return "capacity";
        case SkipReason::deadline_passed: return "deadline_passed";
        case SkipReason::assigned_elsewhere: return "assigned_elsewhere";
        case SkipReason::input_missing: return "input_missing";
        case SkipReason::input_size: return "input_size";
        case SkipReason::input_unavailable: return "input_unavailable";
        case SkipReason::input_too_large: return "input_too_large";
        case SkipReason::input_mismatch: return "input_mismatch";
        case SkipReason::challenger_only: return "challenger_only";
        case SkipReason::bad_redundancy: return "bad_redundancy";
        case SkipReason::bad_spec:
            return "bad_spec";
    }
    return "unknown";
}

Result<Catalog, ConfigError> Catalog::load(const std::vector<ModelConfig>& models) {
    Catalog c;
    for (std::size_t i = 0; i < models.size(); ++i) {
        const std::string key = "model[" + std::to_string(i) + "].program";
        std::ifstream in(models[i].program, std::ios::binary);
        if (!in) return fail(ConfigError{ConfigErrorKind::io_error, key, "cannot read " + models[i].program.string()});
        std::ostringstream ss;
        ss << in.rdbuf();
        const std::string text = ss.str();
        auto p = ir::load_program(as_bytes(text));
        if (!p) return fail(ConfigError{ConfigErrorKind::bad_value, key, "not a valid .sigil program"});
        if (p->inputs.size() != 1 || p->outputs.empty()) {
            return fail(ConfigError{ConfigErrorKind::bad_value, key, "the node serves programs with exactly one input"});
        }
        // A claim delivers outputs[0], and DisputeGame.proveFinalOutput holds it against out_N (the
        // last step's output): a program whose first output is another tensor could get an honest
        // claim slashed, so it is not served.
        if (p->ops.empty() || p->outputs[0] != p->ops.back().output) {
            return fail(ConfigError{ConfigErrorKind::bad_value, key,
                                    "the node serves programs whose first output is the last op's output"});
        }
        ServedModel m;
        m.path = models[i].program;
        m.root = ir::model_root(*p);
        m.input_bytes = ir::byte_size(p->tensors[p->inputs[0]]);
        m.program = std::make_shared<const ir::Program>(std::move(*p));
        if (models[i].root && *models[i].root != m.root) {
            return fail(ConfigError{ConfigErrorKind::bad_value, "model[" + std::to_string(i) + "].root",
                                    "the program's modelRoot is " + to_hex(m.root)});
        }
        if (c.find(m.root) != nullptr) {
            return fail(ConfigError{ConfigErrorKind::duplicate, key, "the same model is listed twice"});
        }
        m.prices = models[i].prices;
        c.models_.push_back(std::move(m));
    }
    return c;
}

const ServedModel* Catalog::find(const Hash& root) const {
    for (const auto& m : models_) {
        if (m.root == root) return &m;
    }
    return nullptr;
}

Server find_server(const Catalog* catalog, const LmService* lms, const Backends* backends, const Hash& model_root,
                   BytesView input) {
    Server s;
    if (runtime::lm::is_generation_input(input)) {
        s.lm = lms != nullptr ? lms->find_onchain(model_root) : nullptr;
    } else {
        s.model = catalog != nullptr ? catalog->find(model_root) : nullptr;
    }
    if (!s.found() && backends != nullptr) s.backend = backends->find_onchain(model_root);
    return s;
}

std::optional<SkipReason> decide(const RequestedEvent& ev, const ServePolicy& policy, std::size_t pending,
                                 std::uint64_t now) {
    if (ev.k == 0) return SkipReason::bad_redundancy;
    const Server server = find_server(policy.catalog, policy.lms, policy.backends, ev.model_root, ev.input);
    if (!server.found()) return SkipReason::model_not_served;
    const ServedModel* m = server.model;
    const LanguageModel* lm = server.lm;
    const BackendConfig* backend = server.backend;
    const PriceFloor* floor = nullptr;
    for (const auto& p : m != nullptr ? m->prices : lm != nullptr ? lm->cfg.prices : backend->prices) {
        if (p.token == ev.token) floor = &p;
    }
    if (floor == nullptr) return SkipReason::token_not_accepted;
    // A generation request's price buys its maxTokens (the Coordinator pays per generated token):
    // a language model's floor is per token. Only canonical specs are served: the Coordinator
    // reads maxTokens at its canonical place, abi.decode wherever the offsets point.
    std::optional<runtime::lm::GenerationSpec> spec;
    if (lm != nullptr) {
        auto decoded = runtime::lm::decode_spec(ev.input);
        if (decoded && runtime::lm::encode_spec(*decoded) == ev.input) spec = std::move(*decoded);
    }
    const u256 floor_price =
        spec && floor->min < (u256(1) << 128) ? floor->min * u256(spec->options.max_tokens) : floor->min;
    if (ev.price < floor_price) return SkipReason::price_below_minimum;
    if (policy.allow_consumers) {
        bool allowed = false;
        for (const auto& a : *policy.allow_consumers) allowed = allowed || a == ev.consumer;
        if (!allowed) return SkipReason::consumer_not_allowed;
    }
    if (now > std::uint64_t{ev.created_at} + ev.ttl) return SkipReason::deadline_passed;
    if (ev.input.empty()) return SkipReason::input_missing;
    if (lm != nullptr) {
        if (!spec || spec->lm_root != lm->lm_root || spec->options.max_tokens > lm->cfg.max_tokens ||
            !runtime::lm::spec_fault(*spec, lm->manifest, ev.model_root).empty()) {
            return SkipReason::bad_spec;
        }
    } else if (backend != nullptr) {
        if (!nlohmann::json::parse(ev.input.begin(), ev.input.end(), nullptr, false).is_object()) {
            return SkipReason::bad_spec;
        }
    } else if (ev.input.size() != m->input_bytes) {
        return SkipReason::input_size;
    }
    if (pending >= policy.max_pending) return SkipReason::capacity;
    return std::nullopt;
}

std::optional<SkipReason> resolve_input(RequestedEvent& ev, const Catalog& catalog, const FetchLimits& limits,
                                        std::string& detail) {
    if (!ev.input.empty()) return std::nullopt;
    // Without a commitment the bytes behind a URI could differ from one fetch to the next (and
    // from one operator to the next), so only committed inputs are fetched.
    if (ev.input_uri.empty() || ev.input_root == Hash{}) return SkipReason::input_missing;
    const ServedModel* m = catalog.find(ev.model_root);
    if (m == nullptr) return SkipReason::model_not_served;
    FetchLimits capped = limits;
    capped.max_bytes = std::min<std::size_t>(limits.max_bytes, static_cast<std::size_t>(m->input_bytes));
    auto bytes = fetch_input(ev.input_uri, capped);
    if (!bytes) {
        detail = bytes.error().describe();
        return bytes.error().kind == InputUriErrorKind::too_large ? SkipReason::input_too_large
                                                                   : SkipReason::input_unavailable;
    }
    if (single_input_root(*bytes) != ev.input_root) {
        detail = "the fetched input's root is " + to_hex(single_input_root(*bytes));
        return SkipReason::input_mismatch;
    }
    ev.input = std::move(*bytes);
    return std::nullopt;
}

}  // namespace sigil::node
