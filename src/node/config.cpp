#include "node/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

namespace sigil::node {

std::string_view to_string(ConfigErrorKind k) noexcept {
    switch (k) {
        case ConfigErrorKind::io_error: return "io_error";
        case ConfigErrorKind::syntax: return "syntax";
        case ConfigErrorKind::missing_key: return "missing_key";
        case ConfigErrorKind::wrong_type: return "wrong_type";
        case ConfigErrorKind::bad_value: return "bad_value";
        case ConfigErrorKind::unknown_key: return "unknown_key";
        case ConfigErrorKind::conflicting_keys: return "conflicting_keys";
        case ConfigErrorKind::dev_key_required: return "dev_key_required";
        case ConfigErrorKind::duplicate: return "duplicate";
    }
    return "unknown";
}

std::string_view to_string(BackendKind k) noexcept {
    return k == BackendKind::http ? "http" : "openai";
}

std::string_view to_string(ChallengeMode m) noexcept {
    switch (m) {
        case ChallengeMode::off:
            return "off";
        case ChallengeMode::all:
            return "all";
        case ChallengeMode::sample:
            return "sample";
        case ChallengeMode::bounty:
            return "bounty";
    }
    return "unknown";
}

std::string ConfigError::describe() const {
    std::string s = key.empty() ? std::string(to_string(kind)) : key + ": " + std::string(to_string(kind));
    if (!detail.empty()) s += ": " + detail;
    return s;
}

namespace {

using Err = ConfigError;

Unexpected<Err> error(ConfigErrorKind kind, std::string key, std::string detail = {}) {
    return fail(Err{kind, std::move(key), std::move(detail)});
}

/// Reads keys of one TOML table, remembering which were read so unknown ones can be refused.
class Table {
public:
    Table(const toml::table* t, std::string path) : t_(t), path_(std::move(path)) {}

    std::string key(std::string_view k) const { return path_.empty() ? std::string(k) : path_ + "." + std::string(k); }
    const std::string& path() const { return path_; }
    bool present() const { return t_ != nullptr; }

    const toml::node* get(std::string_view k) {
        used_.insert(std::string(k));
        return t_ == nullptr ? nullptr : t_->get(k);
    }

    Result<std::optional<std::string>, Err> opt_string(std::string_view k) {
        const toml::node* n = get(k);
        if (n == nullptr) return std::optional<std::string>{};
        if (!n->is_string()) return error(ConfigErrorKind::wrong_type, key(k), "expected a string");
        return std::optional<std::string>{n->as_string()->get()};
    }

    Result<std::string, Err> req_string(std::string_view k) {
        auto v = SIGIL_TRY(opt_string(k));
        if (!v) return error(ConfigErrorKind::missing_key, key(k), "required");
        if (v->empty()) return error(ConfigErrorKind::bad_value, key(k), "must not be empty");
        return *v;
    }

    Result<std::optional<std::uint64_t>, Err> opt_uint(std::string_view k, std::uint64_t lo, std::uint64_t hi) {
        const toml::node* n = get(k);
        if (n == nullptr) return std::optional<std::uint64_t>{};
        if (!n->is_integer()) return error(ConfigErrorKind::wrong_type, key(k), "expected an integer");
        const std::int64_t v = n->as_integer()->get();
        if (v < 0 || static_cast<std::uint64_t>(v) < lo || static_cast<std::uint64_t>(v) > hi) {
            return error(ConfigErrorKind::bad_value, key(k),
                         "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
        }
        return std::optional<std::uint64_t>{static_cast<std::uint64_t>(v)};
    }

    /// A probability: a TOML float or integer in [lo, hi].
    Result<std::optional<double>, Err> opt_fraction(std::string_view k, double lo, bool lo_open, double hi) {
        const toml::node* n = get(k);
        if (n == nullptr) return std::optional<double>{};
        double v = 0;
        if (n->is_floating_point())
            v = n->as_floating_point()->get();
        else if (n->is_integer())
            v = static_cast<double>(n->as_integer()->get());
        else
            return error(ConfigErrorKind::wrong_type, key(k), "expected a number");
        if (!(v <= hi) || v < lo || (lo_open && v == lo)) {
            return error(ConfigErrorKind::bad_value, key(k),
                         std::string("must be in ") + (lo_open ? "(" : "[") + std::to_string(lo) + ", " +
                             std::to_string(hi) + "]");
        }
        return std::optional<double>{v};
    }

    Result<std::optional<bool>, Err> opt_bool(std::string_view k) {
        const toml::node* n = get(k);
        if (n == nullptr) return std::optional<bool>{};
        if (!n->is_boolean()) return error(ConfigErrorKind::wrong_type, key(k), "expected true or false");
        return std::optional<bool>{n->as_boolean()->get()};
    }

    Result<Address, Err> req_address(std::string_view k) {
        const std::string s = SIGIL_TRY(req_string(k));
        return parse_addr(s, key(k));
    }

    static Result<Address, Err> parse_addr(const std::string& s, const std::string& k) {
        auto a = parse_address(s);
        if (!a) return error(ConfigErrorKind::bad_value, k, "bad address (" + std::string(to_string(a.error())) + ")");
        return *a;
    }

    /// Refuses keys that were never read.
    Result<void, Err> check_unknown() const {
        if (t_ == nullptr) return {};
        for (const auto& [k, v] : *t_) {
            if (used_.count(std::string(k.str())) == 0) {
                return error(ConfigErrorKind::unknown_key, key(k.str()), "not a known key");
            }
        }
        return {};
    }

private:
    const toml::table* t_;
    std::string path_;
    std::set<std::string> used_;
};

/// The sub-table `k` of `parent` (absent -> empty reader); a non-table is a type error.
Result<Table, Err> sub_table(Table& parent, std::string_view k) {
    const toml::node* n = parent.get(k);
    if (n == nullptr) return Table(nullptr, parent.key(k));
    if (!n->is_table()) return error(ConfigErrorKind::wrong_type, parent.key(k), "expected a table");
    return Table(n->as_table(), parent.key(k));
}

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& p) {
    const std::filesystem::path path(p);
    return path.is_absolute() ? path : base / path;
}

Result<ChainConfig, Err> read_chain(Table& root) {
    Table t = SIGIL_TRY(sub_table(root, "chain"));
    if (!t.present()) return error(ConfigErrorKind::missing_key, "chain", "required table");
    ChainConfig c;
    c.rpc_url = SIGIL_TRY(t.req_string("rpc_url"));
    if (c.rpc_url.rfind("http://", 0) != 0 && c.rpc_url.rfind("https://", 0) != 0) {
        return error(ConfigErrorKind::bad_value, "chain.rpc_url", "expected an http:// or https:// URL");
    }
    const auto id = SIGIL_TRY(t.opt_uint("chain_id", 1, std::numeric_limits<std::int64_t>::max()));
    if (!id) return error(ConfigErrorKind::missing_key, "chain.chain_id", "required");
    c.chain_id = *id;
    c.confirmations = SIGIL_TRY(t.opt_uint("confirmations", 0, 256)).value_or(0);
    c.poll_interval_ms = SIGIL_TRY(t.opt_uint("poll_interval_ms", 10, 600'000)).value_or(250);
    c.start_block = SIGIL_TRY(t.opt_uint("start_block", 0, std::numeric_limits<std::int64_t>::max())).value_or(0);
    SIGIL_TRY_VOID(t.check_unknown());
    return c;
}

Result<ContractsConfig, Err> read_contracts(Table& root, ConfigProfile profile) {
    Table t = SIGIL_TRY(sub_table(root, "contracts"));
    if (!t.present()) return error(ConfigErrorKind::missing_key, "contracts", "required table");
    ContractsConfig c;
    c.coordinator = SIGIL_TRY(t.req_address("coordinator"));
    if (profile == ConfigProfile::node) {
        c.operator_registry = SIGIL_TRY(t.req_address("operator_registry"));
        c.model_registry = SIGIL_TRY(t.req_address("model_registry"));
        if (auto g = SIGIL_TRY(t.opt_string("dispute_game")))
            c.dispute_game = SIGIL_TRY(Table::parse_addr(*g, t.key("dispute_game")));
    } else {
        // The challenger needs no registry (it is not an operator); they may stay in a shared file.
        if (auto a = SIGIL_TRY(t.opt_string("operator_registry")))
            c.operator_registry = SIGIL_TRY(Table::parse_addr(*a, t.key("operator_registry")));
        if (auto a = SIGIL_TRY(t.opt_string("model_registry")))
            c.model_registry = SIGIL_TRY(Table::parse_addr(*a, t.key("model_registry")));
        c.dispute_game = SIGIL_TRY(t.req_address("dispute_game"));
    }
    if (auto m = SIGIL_TRY(t.opt_string("proof_market")))
        c.proof_market = SIGIL_TRY(Table::parse_addr(*m, t.key("proof_market")));
    if (auto g = SIGIL_TRY(t.opt_string("generation_game")))
        c.generation_game = SIGIL_TRY(Table::parse_addr(*g, t.key("generation_game")));
    SIGIL_TRY_VOID(t.check_unknown());
    return c;
}

Result<ChallengerConfig, Err> read_challenger(Table& root, ConfigProfile profile) {
    Table t = SIGIL_TRY(sub_table(root, "challenger"));
    ChallengerConfig c;
    if (profile == ConfigProfile::challenger) {
        if (!t.present()) return error(ConfigErrorKind::missing_key, "challenger", "required table");
        const auto m = SIGIL_TRY(t.opt_string("mode"));
        if (!m) {
            return error(ConfigErrorKind::missing_key, t.key("mode"), "required: \"all\", \"sample\" or \"bounty\"");
        }
        if (*m == "off") {
            return error(ConfigErrorKind::bad_value, t.key("mode"),
                         "sigil challenger checks claims: expected \"all\", \"sample\" or \"bounty\"");
        }
        for (const char* k : {"serve", "conflicts"}) {
            if (t.get(k) != nullptr) {
                return error(ConfigErrorKind::unknown_key, t.key(k),
                             "not for sigil challenger (it serves no requests and holds no seat)");
            }
        }
        c.serve = false;
        c.conflicts = false;
    }
    if (auto m = SIGIL_TRY(t.opt_string("mode"))) {
        if (*m == "off")
            c.mode = ChallengeMode::off;
        else if (*m == "all")
            c.mode = ChallengeMode::all;
        else if (*m == "sample")
            c.mode = ChallengeMode::sample;
        else if (*m == "bounty")
            c.mode = ChallengeMode::bounty;
        else
            return error(ConfigErrorKind::bad_value, t.key("mode"),
                         "expected \"off\", \"all\", \"sample\" or \"bounty\"");
    }
    if (auto p = SIGIL_TRY(t.opt_fraction("probability", 0.0, true, 1.0))) {
        if (c.mode != ChallengeMode::sample) {
            return error(ConfigErrorKind::conflicting_keys, t.key("probability"), "only with mode = \"sample\"");
        }
        c.probability = *p;
    } else if (c.mode == ChallengeMode::sample) {
        return error(ConfigErrorKind::missing_key, t.key("probability"), "required with mode = \"sample\"");
    }
    if (auto s = SIGIL_TRY(t.opt_uint("seed", 0, std::numeric_limits<std::int64_t>::max()))) c.seed = *s;
    if (auto b = SIGIL_TRY(t.opt_string("max_bond"))) {
        const bool digits = !b->empty() && b->find_first_not_of("0123456789") == std::string::npos;
        auto v = parse_u256(digits ? *b : std::string("x"));
        if (!v) return error(ConfigErrorKind::bad_value, t.key("max_bond"), "expected a decimal integer string");
        c.max_bond = *v;
    }
    if (profile == ConfigProfile::node) {
        if (auto s = SIGIL_TRY(t.opt_bool("serve"))) c.serve = *s;
        if (auto s = SIGIL_TRY(t.opt_bool("conflicts"))) c.conflicts = *s;
    }
    SIGIL_TRY_VOID(t.check_unknown());
    return c;
}

/// `[verifier]`: only with `challenger.mode = "bounty"`, and then required.
Result<VerifierConfig, Err> read_verifier(Table& root, ChallengeMode mode) {
    Table t = SIGIL_TRY(sub_table(root, "verifier"));
    VerifierConfig v;
    if (!t.present()) {
        if (mode == ChallengeMode::bounty) {
            return error(ConfigErrorKind::missing_key, "verifier", "required table with challenger.mode = \"bounty\"");
        }
        return v;
    }
    if (mode != ChallengeMode::bounty) {
        return error(ConfigErrorKind::conflicting_keys, "verifier", "only with challenger.mode = \"bounty\"");
    }
    const std::string b = SIGIL_TRY(t.req_string("bond"));
    auto bond = parse_u256(b.find_first_not_of("0123456789") == std::string::npos ? b : std::string("x"));
    if (!bond) return error(ConfigErrorKind::bad_value, t.key("bond"), "expected a decimal integer string");
    if (*bond == 0) return error(ConfigErrorKind::bad_value, t.key("bond"), "must be above 0");
    if (*bond >= (u256(1) << 96)) {
        return error(ConfigErrorKind::bad_value, t.key("bond"), "above the uint96 range of ProofMarket bonds");
    }
    v.bond = *bond;
    SIGIL_TRY_VOID(t.check_unknown());
    return v;
}

Result<FaultConfig, Err> read_fault(Table& root) {
    Table t = SIGIL_TRY(sub_table(root, "fault"));
    FaultConfig f;
    if (auto p = SIGIL_TRY(t.opt_fraction("probability", 0.0, false, 1.0))) f.probability = *p;
    if (auto s = SIGIL_TRY(t.opt_uint("seed", 0, std::numeric_limits<std::int64_t>::max()))) f.seed = *s;
    if (auto k = SIGIL_TRY(t.opt_string("kind"))) {
        const auto kind = trace::fault_kind_from_string(*k);
        if (!kind) {
            return error(
                ConfigErrorKind::bad_value, t.key("kind"),
                "expected \"trace\", \"input_root\", \"output_bytes\", \"output_root\", \"steps\" or \"token\"");
        }
        // A kind without a chance to lie is a mistake in the file, not an honest node.
        if (f.probability <= 0.0) {
            return error(ConfigErrorKind::conflicting_keys, t.key("kind"), "only with probability > 0");
        }
        f.kind = *kind;
    }
    SIGIL_TRY_VOID(t.check_unknown());
    return f;
}

/// The key table: `[operator]` for the node, `[account]` for the challenger (same keys).
Result<OperatorConfig, Err> read_operator(Table& root, const std::filesystem::path& base, bool dev_key,
                                          const std::string& name) {
    Table t = SIGIL_TRY(sub_table(root, name));
    if (!t.present()) return error(ConfigErrorKind::missing_key, name, "required table");
    const std::string pk = name + ".private_key";
    const std::string ks = name + ".keystore";
    const std::string pf = name + ".password_file";
    const std::string pe = name + ".password_env";
    OperatorConfig c;
    const auto keystore = SIGIL_TRY(t.opt_string("keystore"));
    const auto password_file = SIGIL_TRY(t.opt_string("password_file"));
    const auto password_env = SIGIL_TRY(t.opt_string("password_env"));
    const auto private_key = SIGIL_TRY(t.opt_string("private_key"));
    SIGIL_TRY_VOID(t.check_unknown());
    if (private_key) {
        if (keystore || password_file || password_env) {
            return error(ConfigErrorKind::conflicting_keys, pk,
                         "give either private_key or keystore, not both");
        }
        if (!dev_key) {
            return error(ConfigErrorKind::dev_key_required, pk,
                         "a raw key is accepted only with --dev-key");
        }
        if (private_key->empty()) return error(ConfigErrorKind::bad_value, pk, "empty");
        c.private_key = *private_key;
        return c;
    }
    if (!keystore) {
        return error(ConfigErrorKind::missing_key, ks, "required (or private_key with --dev-key)");
    }
    if (keystore->empty()) return error(ConfigErrorKind::bad_value, ks, "empty");
    if (password_file && password_env) {
        return error(ConfigErrorKind::conflicting_keys, pf,
                     "give either password_file or password_env, not both");
    }
    if (!password_file && !password_env) {
        return error(ConfigErrorKind::missing_key, pf, "required (or password_env)");
    }
    c.keystore = resolve(base, *keystore);
    if (password_file) c.password_file = resolve(base, *password_file);
    if (password_env) {
        if (password_env->empty()) return error(ConfigErrorKind::bad_value, pe, "empty");
        c.password_env = *password_env;
    }
    return c;
}

Result<std::vector<Address>, Err> read_address_list(const toml::node& n, const std::string& key) {
    if (!n.is_array()) return error(ConfigErrorKind::wrong_type, key, "expected an array of addresses");
    std::vector<Address> out;
    std::size_t i = 0;
    for (const toml::node& e : *n.as_array()) {
        const std::string k = key + "[" + std::to_string(i++) + "]";
        if (!e.is_string()) return error(ConfigErrorKind::wrong_type, k, "expected a string");
        out.push_back(SIGIL_TRY(Table::parse_addr(e.as_string()->get(), k)));
    }
    return out;
}

Result<NodeSection, Err> read_node(Table& root, const std::filesystem::path& base, ConfigProfile profile) {
    Table t = SIGIL_TRY(sub_table(root, "node"));
    if (!t.present()) return error(ConfigErrorKind::missing_key, "node", "required table");
    NodeSection c;
    c.data_dir = resolve(base, SIGIL_TRY(t.req_string("data_dir")));
    c.workers = static_cast<unsigned>(SIGIL_TRY(t.opt_uint("workers", 1, 64)).value_or(2));
    c.max_pending = static_cast<std::size_t>(SIGIL_TRY(t.opt_uint("max_pending", 1, 1'000'000)).value_or(256));
    if (const toml::node* n = t.get("allow_consumers")) {
        if (profile == ConfigProfile::challenger) {
            return error(ConfigErrorKind::unknown_key, "node.allow_consumers", "not for sigil challenger (it serves no requests)");
        }
        c.allow_consumers = SIGIL_TRY(read_address_list(*n, "node.allow_consumers"));
    }
    SIGIL_TRY_VOID(t.check_unknown());
    return c;
}

Result<ApiConfig, Err> read_api(Table& root) {
    Table t = SIGIL_TRY(sub_table(root, "api"));
    ApiConfig c;
    const auto listen = SIGIL_TRY(t.opt_string("listen"));
    c.rate_limit_per_second =
        static_cast<std::uint32_t>(SIGIL_TRY(t.opt_uint("rate_limit_per_second", 1, 1'000'000)).value_or(50));
    c.claim_dispute_seconds = static_cast<std::uint32_t>(
        SIGIL_TRY(t.opt_uint("claim_dispute_seconds", 60, 30ULL * 86'400)).value_or(86'400));
    SIGIL_TRY_VOID(t.check_unknown());
    if (!listen || listen->empty()) return c;
    const auto colon = listen->rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == listen->size()) {
        return error(ConfigErrorKind::bad_value, "api.listen", "expected host:port");
    }
    const std::string port = listen->substr(colon + 1);
    std::uint32_t p = 0;
    for (const char ch : port) {
        if (ch < '0' || ch > '9') return error(ConfigErrorKind::bad_value, "api.listen", "port is not a number");
        p = p * 10 + static_cast<std::uint32_t>(ch - '0');
        if (p > 65535) return error(ConfigErrorKind::bad_value, "api.listen", "port above 65535");
    }
    c.host = listen->substr(0, colon);
    c.port = static_cast<std::uint16_t>(p);
    return c;
}

Result<std::vector<PriceFloor>, Err> read_prices(Table& t) {
    std::vector<PriceFloor> out;
    const toml::node* n = t.get("price");
    if (n == nullptr) return error(ConfigErrorKind::missing_key, t.key("price"), "at least one [[price]] entry");
    if (!n->is_array_of_tables()) return error(ConfigErrorKind::wrong_type, t.key("price"), "expected [[price]] tables");
    std::size_t i = 0;
    for (const toml::node& e : *n->as_array()) {
        Table p(e.as_table(), t.key("price") + "[" + std::to_string(i++) + "]");
        PriceFloor f;
        f.token = SIGIL_TRY(p.req_address("token"));
        const std::string min = SIGIL_TRY(p.req_string("min"));
        if (min.find_first_not_of("0123456789") != std::string::npos) {
            return error(ConfigErrorKind::bad_value, p.key("min"), "expected a decimal integer string");
        }
        auto v = parse_u256(min);
        if (!v) return error(ConfigErrorKind::bad_value, p.key("min"), std::string(to_string(v.error())));
        if (*v >= (u256(1) << 96)) {
            return error(ConfigErrorKind::bad_value, p.key("min"), "above the uint96 range of request prices");
        }
        f.min = *v;
        SIGIL_TRY_VOID(p.check_unknown());
        for (const auto& prev : out) {
            if (prev.token == f.token) return error(ConfigErrorKind::duplicate, p.key("token"), "token listed twice");
        }
        out.push_back(f);
    }
    return out;
}

Result<std::vector<ModelConfig>, Err> read_models(Table& root, const std::filesystem::path& base,
                                                  ConfigProfile profile) {
    std::vector<ModelConfig> out;
    const toml::node* n = root.get("model");
    if (n == nullptr) return out;
    if (!n->is_array_of_tables()) return error(ConfigErrorKind::wrong_type, "model", "expected [[model]] tables");
    std::size_t i = 0;
    for (const toml::node& e : *n->as_array()) {
        Table t(e.as_table(), "model[" + std::to_string(i++) + "]");
        ModelConfig m;
        m.program = resolve(base, SIGIL_TRY(t.req_string("program")));
        if (const auto root_hex = SIGIL_TRY(t.opt_string("root"))) {
            auto h = fixed_from_hex<32>(*root_hex);
            if (!h) return error(ConfigErrorKind::bad_value, t.key("root"), "expected 32 bytes of hex");
            m.root = *h;
        }
        if (profile == ConfigProfile::node) {
            m.prices = SIGIL_TRY(read_prices(t));
        } else if (t.get("price") != nullptr) {
            return error(ConfigErrorKind::unknown_key, t.key("price"), "not for sigil challenger (it serves no requests)");
        }
        SIGIL_TRY_VOID(t.check_unknown());
        out.push_back(std::move(m));
    }
    return out;
}

Result<std::vector<BackendConfig>, Err> read_backends(Table& root) {
    std::vector<BackendConfig> out;
    const toml::node* n = root.get("backend");
    if (n == nullptr) return out;
    if (!n->is_array_of_tables()) return error(ConfigErrorKind::wrong_type, "backend", "expected [[backend]] tables");
    std::size_t i = 0;
    for (const toml::node& e : *n->as_array()) {
        Table t(e.as_table(), "backend[" + std::to_string(i++) + "]");
        BackendConfig b;
        const std::string kind = SIGIL_TRY(t.req_string("kind"));
        if (kind == "http") b.kind = BackendKind::http;
        else if (kind == "openai") b.kind = BackendKind::openai;
        else return error(ConfigErrorKind::bad_value, t.key("kind"), "expected \"http\" or \"openai\"");
        b.name = SIGIL_TRY(t.req_string("name"));
        b.url = SIGIL_TRY(t.req_string("url"));
        if (b.url.rfind("http://", 0) != 0 && b.url.rfind("https://", 0) != 0) {
            return error(ConfigErrorKind::bad_value, t.key("url"), "expected an http:// or https:// URL");
        }
        if (b.kind == BackendKind::openai) {
            b.model_id = SIGIL_TRY(t.req_string("model_id"));
        } else if (SIGIL_TRY(t.opt_string("model_id"))) {
            return error(ConfigErrorKind::conflicting_keys, t.key("model_id"), "only for kind = \"openai\"");
        }
        b.prices = SIGIL_TRY(read_prices(t));
        SIGIL_TRY_VOID(t.check_unknown());
        for (const auto& prev : out) {
            if (prev.name == b.name) return error(ConfigErrorKind::duplicate, t.key("name"), "backend name used twice");
        }
        out.push_back(std::move(b));
    }
    return out;
}

Result<std::vector<LanguageModelConfig>, Err> read_language_models(Table& root, const std::filesystem::path& base) {
    std::vector<LanguageModelConfig> out;
    const toml::node* n = root.get("language_model");
    if (n == nullptr) return out;
    if (!n->is_array_of_tables()) {
        return error(ConfigErrorKind::wrong_type, "language_model", "expected [[language_model]] tables");
    }
    std::size_t i = 0;
    for (const toml::node& e : *n->as_array()) {
        Table t(e.as_table(), "language_model[" + std::to_string(i++) + "]");
        LanguageModelConfig m;
        m.name = SIGIL_TRY(t.req_string("name"));
        const bool name_ok =
            !m.name.empty() && m.name.size() <= 64 && std::all_of(m.name.begin(), m.name.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == ':' || c == '-';
            });
        if (!name_ok) return error(ConfigErrorKind::bad_value, t.key("name"), "expected 1-64 of [A-Za-z0-9._:-]");
        m.program = resolve(base, SIGIL_TRY(t.req_string("program")));
        m.vocab = resolve(base, SIGIL_TRY(t.req_string("vocab")));
        if (const auto root_hex = SIGIL_TRY(t.opt_string("root"))) {
            auto h = fixed_from_hex<32>(*root_hex);
            if (!h) return error(ConfigErrorKind::bad_value, t.key("root"), "expected 32 bytes of hex");
            m.root = *h;
        }
        m.threads = static_cast<std::uint32_t>(SIGIL_TRY(t.opt_uint("threads", 1, 256)).value_or(1));
        m.max_tokens = static_cast<std::uint32_t>(SIGIL_TRY(t.opt_uint("max_tokens", 1, 1U << 16)).value_or(256));
        if (auto v = SIGIL_TRY(t.opt_string("chat_template"))) {
            if (v->find("{content}") == std::string::npos) {
                return error(ConfigErrorKind::bad_value, t.key("chat_template"), "must contain {content}");
            }
            m.chat_template = *v;
        }
        m.chat_suffix = SIGIL_TRY(t.opt_string("chat_suffix")).value_or("");
        // With prices the node also serves the model's generation requests on chain.
        if (t.get("price") != nullptr) m.prices = SIGIL_TRY(read_prices(t));
        SIGIL_TRY_VOID(t.check_unknown());
        for (const auto& prev : out) {
            if (prev.name == m.name) {
                return error(ConfigErrorKind::duplicate, t.key("name"), "language model name used twice");
            }
        }
        out.push_back(std::move(m));
    }
    return out;
}

}  // namespace

Result<NodeConfig, ConfigError> parse_config(std::string_view text, const std::filesystem::path& base_dir,
                                             bool dev_key, ConfigProfile profile) {
    toml::table doc;
    try {
        doc = toml::parse(text);
    } catch (const toml::parse_error& e) {
        std::ostringstream msg;
        msg << e.description() << " at line " << e.source().begin.line << ", column " << e.source().begin.column;
        return error(ConfigErrorKind::syntax, "", msg.str());
    }
    Table root(&doc, "");
    NodeConfig c;
    const bool node = profile == ConfigProfile::node;
    if (!node) {
        // Tables of an operator's file that a standalone challenger has no use for.
        if (root.get("operator") != nullptr)
            return error(ConfigErrorKind::unknown_key, "operator", "sigil challenger reads its key from [account]");
        for (const char* k : {"api", "backend", "language_model"}) {
            if (root.get(k) != nullptr)
                return error(ConfigErrorKind::unknown_key, k, "not for sigil challenger (it serves no requests)");
        }
    }
    c.chain = SIGIL_TRY(read_chain(root));
    c.contracts = SIGIL_TRY(read_contracts(root, profile));
    c.operator_key = SIGIL_TRY(read_operator(root, base_dir, dev_key, node ? "operator" : "account"));
    c.node = SIGIL_TRY(read_node(root, base_dir, profile));
    if (node) c.api = SIGIL_TRY(read_api(root));
    c.models = SIGIL_TRY(read_models(root, base_dir, profile));
    if (node) c.backends = SIGIL_TRY(read_backends(root));
    if (node) c.language_models = SIGIL_TRY(read_language_models(root, base_dir));
    c.challenger = SIGIL_TRY(read_challenger(root, profile));
    c.verifier = SIGIL_TRY(read_verifier(root, c.challenger.mode));
    c.fault = SIGIL_TRY(read_fault(root));
    SIGIL_TRY_VOID(root.check_unknown());
    if (!node && c.models.empty()) {
        return error(ConfigErrorKind::missing_key, "model", "at least one [[model]] to re-execute");
    }
    if (c.challenger.mode != ChallengeMode::off && c.contracts.dispute_game == Address{}) {
        return error(ConfigErrorKind::conflicting_keys, "challenger.mode", "needs contracts.dispute_game");
    }
    if (c.challenger.mode == ChallengeMode::bounty && c.contracts.proof_market == Address{}) {
        return error(ConfigErrorKind::missing_key, "contracts.proof_market",
                     "required with challenger.mode = \"bounty\"");
    }
    if (c.models.empty() && c.backends.empty() && c.language_models.empty()) {
        return error(ConfigErrorKind::missing_key, "model",
                     "at least one [[model]], [[language_model]] or [[backend]]");
    }
    if (!c.language_models.empty() && !c.api.host) {
        return error(ConfigErrorKind::conflicting_keys, "language_model", "served through the API: needs api.listen");
    }
    return c;
}

Result<NodeConfig, ConfigError> load_config(const std::filesystem::path& file, bool dev_key, ConfigProfile profile) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return error(ConfigErrorKind::io_error, "", "cannot read " + file.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_config(ss.str(), file.parent_path(), dev_key, profile);
}

}  // namespace sigil::node
