#include "router/service.hpp"

#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/route/health.hpp"

namespace sigil::router {

using nlohmann::json;

namespace {

/// A named input error of the API.
struct BadInput {
    std::string name;
    std::string message;
};

HttpResponse error(int status, const std::string& name, const std::string& message) {
    return {status, json{{"error", name}, {"message", message}}.dump(), "application/json"};
}

std::string amount_text(Amount a) {
    if (a == 0) return "0";
    std::string s;
    while (a != 0) {
        s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(a % 10)));
        a /= 10;
    }
    return s;
}

/// Parses an unsigned decimal (or 0x hex) integer of at most `bits` bits from a JSON string or
/// number.
u256 parse_uint_text(const json& v, const char* field, unsigned bits) {
    std::string text;
    if (v.is_number_unsigned())
        text = std::to_string(v.get<std::uint64_t>());
    else if (v.is_string())
        text = v.get<std::string>();
    else
        throw BadInput{"bad_amount", std::string(field) + ": expected a decimal string or number"};
    auto n = parse_u256(text);
    if (!n || (bits < 256 && (*n >> bits) != 0)) {
        throw BadInput{"bad_amount", std::string(field) + ": not an integer below 2^" + std::to_string(bits)};
    }
    return *n;
}

/// An amount below 2^128.
Amount parse_amount(const json& v, const char* field) {
    const u256 n = parse_uint_text(v, field, 128);
    return static_cast<Amount>(static_cast<std::uint64_t>(n >> 64)) << 64 |
           static_cast<std::uint64_t>(n & u256(~std::uint64_t{0}));
}

Address parse_addr(const json& v, const char* field) {
    if (!v.is_string()) throw BadInput{"bad_address", std::string(field) + ": expected an address string"};
    auto a = parse_address(v.get<std::string>());
    if (!a) throw BadInput{"bad_address", std::string(field) + ": not an address"};
    return *a;
}

Hash parse_hash(const json& v, const char* field) {
    if (!v.is_string()) throw BadInput{"bad_hash", std::string(field) + ": expected 0x + 64 hex digits"};
    auto h = fixed_from_hex<32>(v.get<std::string>());
    if (!h) throw BadInput{"bad_hash", std::string(field) + ": expected 0x + 64 hex digits"};
    return *h;
}

template <typename T>
T parse_uint(const json& v, const char* field, std::uint64_t max) {
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() > max) {
        throw BadInput{"bad_number", std::string(field) + ": expected an integer in [0, " + std::to_string(max) + "]"};
    }
    return static_cast<T>(v.get<std::uint64_t>());
}

double parse_weight(const json& v, const char* field) {
    if (!v.is_number() || !(v.get<double>() >= 0) || v.get<double>() > 1e6) {
        throw BadInput{"bad_weight", std::string(field) + ": expected a number in [0, 1e6]"};
    }
    return v.get<double>();
}

std::vector<std::string> parse_strings(const json& v, const char* field) {
    if (!v.is_array() || v.size() > 64)
        throw BadInput{"bad_list", std::string(field) + ": expected a list of at most 64 strings"};
    std::vector<std::string> out;
    for (const json& e : v) {
        if (!e.is_string()) throw BadInput{"bad_list", std::string(field) + ": expected strings"};
        out.push_back(e.get<std::string>());
    }
    return out;
}

std::uint8_t parse_proof_modes(const json& v) {
    std::uint8_t m = 0;
    for (const std::string& s : parse_strings(v, "proof_modes")) {
        if (s == "challenge")
            m |= route::kProofChallenge;
        else if (s == "redundant")
            m |= route::kProofRedundant;
        else if (s == "sampled")
            m |= route::kProofSampled;
        else
            throw BadInput{"bad_proof_mode", "proof_modes: unknown mode " + s + " (challenge, redundant, sampled)"};
    }
    return m;
}

RouteRequest parse_route(const json& j) {
    static const char* const kKnown[] = {
        "models",   "token",       "max_price",   "region_allow", "region_deny",
        "hardware", "proof_modes", "min_quality", "value",        "min_stake_ratio_bips",
        "sort",     "weights",     "fallbacks",   "assignment"};
    for (auto it = j.begin(); it != j.end(); ++it) {
        bool known = false;
        for (const char* k : kKnown) known = known || it.key() == k;
        if (!known) throw BadInput{"unknown_field", "unknown field " + it.key()};
    }
    RouteRequest r;
    if (!j.contains("models") || !j["models"].is_array())
        throw BadInput{"no_model", "models: expected a list of model roots"};
    for (const json& m : j["models"]) r.models.push_back(parse_hash(m, "models"));
    if (!j.contains("token")) throw BadInput{"bad_address", "token: required"};
    r.token = parse_addr(j["token"], "token");
    if (j.contains("max_price")) r.max_price = parse_amount(j["max_price"], "max_price");
    if (j.contains("region_allow")) r.region_allow = parse_strings(j["region_allow"], "region_allow");
    if (j.contains("region_deny")) r.region_deny = parse_strings(j["region_deny"], "region_deny");
    if (j.contains("hardware")) {
        if (!j["hardware"].is_array() || j["hardware"].size() > 64)
            throw BadInput{"bad_list", "hardware: expected a list"};
        for (const json& h : j["hardware"]) r.hardware.push_back(parse_uint<std::uint16_t>(h, "hardware", 65535));
    }
    if (j.contains("proof_modes")) r.proof_modes = parse_proof_modes(j["proof_modes"]);
    if (j.contains("min_quality")) r.min_quality = parse_uint<std::uint16_t>(j["min_quality"], "min_quality", 10'000);
    if (j.contains("value")) r.value = parse_amount(j["value"], "value");
    if (j.contains("min_stake_ratio_bips")) {
        r.min_stake_ratio_bips =
            parse_uint<std::uint32_t>(j["min_stake_ratio_bips"], "min_stake_ratio_bips", 1'000'000);
    }
    if (j.contains("sort")) {
        const json& s = j["sort"];
        const std::string v = s.is_string() ? s.get<std::string>() : "";
        if (v == "weighted")
            r.sort = route::SortMode::weighted;
        else if (v == "price")
            r.sort = route::SortMode::price;
        else if (v == "latency")
            r.sort = route::SortMode::latency;
        else if (v == "quality")
            r.sort = route::SortMode::quality;
        else
            throw BadInput{"bad_sort", "sort: weighted, price, latency or quality"};
    }
    if (j.contains("weights")) {
        const json& w = j["weights"];
        if (!w.is_object()) throw BadInput{"bad_weight", "weights: expected an object"};
        if (w.contains("price")) r.weights.price = parse_weight(w["price"], "weights.price");
        if (w.contains("latency")) r.weights.latency = parse_weight(w["latency"], "weights.latency");
        if (w.contains("quality")) r.weights.quality = parse_weight(w["quality"], "weights.quality");
        if (w.contains("stake")) r.weights.stake = parse_weight(w["stake"], "weights.stake");
    }
    if (j.contains("fallbacks")) r.fallbacks = parse_uint<std::uint32_t>(j["fallbacks"], "fallbacks", 16);
    return r;
}

RequestParams parse_params(const json& p) {
    if (!p.is_object()) throw BadInput{"bad_params", "assignment.params: expected an object"};
    RequestParams r;
    r.model_root = parse_hash(p.value("modelRoot", json()), "params.modelRoot");
    r.input_root = p.contains("inputRoot") ? parse_hash(p["inputRoot"], "params.inputRoot") : Hash{};
    r.token = parse_addr(p.value("token", json()), "params.token");
    r.price = parse_uint_text(p.value("price", json()), "params.price", 96);
    r.redundancy = parse_uint<std::uint8_t>(p.value("redundancy", json(1)), "params.redundancy", 255);
    const json aw = p.value("afterWindow", json(false));
    if (!aw.is_boolean()) throw BadInput{"bad_params", "params.afterWindow: expected a boolean"};
    r.after_window = aw.get<bool>();
    r.callback_gas_limit =
        parse_uint<std::uint32_t>(p.value("callbackGasLimit", json(0)), "params.callbackGasLimit", 0xffffffffu);
    r.ttl = parse_uint<std::uint32_t>(p.value("ttl", json()), "params.ttl", 0xffffffffu);
    r.commit_window = parse_uint<std::uint32_t>(p.value("commitWindow", json()), "params.commitWindow", 0xffffffffu);
    return r;
}

json candidate_json(const Candidate& c) {
    return {{"operator", to_checksum(c.operator_address)},
            {"endpoint", c.endpoint},
            {"model", to_hex(c.model)},
            {"price", amount_text(c.price)},
            {"predicted_ms", c.predicted_ms},
            {"cost", c.cost}};
}

json rejected_json(const std::array<std::uint32_t, 11>& rejected) {
    json j = json::object();
    for (std::size_t i = 1; i < rejected.size(); ++i) {
        if (rejected[i] != 0) j[std::string(route::to_string(static_cast<route::Reject>(i)))] = rejected[i];
    }
    return j;
}

}  // namespace

struct Service::Http {
    httplib::Server server;
    std::thread thread;
};

Service::Service(Matcher& engine, ServiceConfig config, std::function<std::int64_t()> now_ms,
                 std::function<std::uint64_t()> unix_s, std::function<std::uint64_t()> random)
    : engine_(engine),
      config_(std::move(config)),
      now_ms_(std::move(now_ms)),
      unix_s_(std::move(unix_s)),
      random_(std::move(random)),
      block_(config_.block) {}

Service::~Service() { stop(); }

HttpResponse Service::handle(const std::string& method, const std::string& path, const std::string& body) {
    if (method == "POST" && path == "/route") return route(body);
    if (method == "POST" && path == "/report") return report(body);
    if (method == "GET" && path == "/operators") return operators();
    if (method == "GET" && path == "/health") return health();
    if (method == "GET" && path == "/metrics") return metrics();
    return error(404, "not_found", method + " " + path);
}

HttpResponse Service::route(const std::string& body) {
    try {
        const json j = json::parse(body, nullptr, true);
        if (!j.is_object()) throw BadInput{"invalid_json", "expected a JSON object"};
        const RouteRequest req = parse_route(j);
        std::optional<RequestParams> params;
        Address consumer{};
        std::optional<u256> nonce, deadline;
        if (j.contains("assignment")) {
            const json& a = j["assignment"];
            if (!a.is_object()) throw BadInput{"bad_params", "assignment: expected an object"};
            if (!config_.key) throw BadInput{"no_signing_key", "this router has no key and cannot sign assignments"};
            consumer = parse_addr(a.value("consumer", json()), "assignment.consumer");
            params = parse_params(a.value("params", json()));
            if (params->model_root != req.models.front() || req.models.size() != 1) {
                throw BadInput{"params_mismatch", "assignment.params.modelRoot must be the single requested model"};
            }
            if (params->token != req.token)
                throw BadInput{"params_mismatch", "assignment.params.token differs from token"};
            if (a.contains("nonce")) nonce = parse_uint_text(a["nonce"], "assignment.nonce", 256);
            if (a.contains("deadline"))
                deadline = parse_uint<std::uint64_t>(a["deadline"], "assignment.deadline", ~std::uint64_t{0});
        }
        RouteRequest effective = req;
        if (params) {
            // The node must accept the request's price (the Coordinator checks listed <= price).
            Amount p = static_cast<Amount>(static_cast<std::uint64_t>(params->price >> 64)) << 64 |
                       static_cast<std::uint64_t>(params->price & u256(~std::uint64_t{0}));
            effective.max_price = std::min(effective.max_price, p);
        }
        const auto t0 = std::chrono::steady_clock::now();
        auto d = engine_.route(effective, now_ms_(), random_());
        decision_ns_.fetch_add(static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count()));
        decisions_.fetch_add(1);
        if (!d) {
            no_candidate_.fetch_add(1);
            return {d.error().error == RouteError::no_candidate ? 409 : 404,
                    json{{"error", std::string(to_string(d.error().error))},
                         {"rejected", rejected_json(d.error().rejected)}}
                        .dump()};
        }
        json out;
        out["version"] = d->version;
        out["considered"] = d->considered;
        out["rejected"] = rejected_json(d->rejected);
        out["candidates"] = json::array();
        for (const Candidate& c : d->ranked) out["candidates"].push_back(candidate_json(c));
        if (params) {
            params->assigned = d->ranked.front().operator_address;
            Assignment a;
            a.consumer = consumer;
            a.params_hash = params_hash(*params);
            a.node = params->assigned;
            a.coordinator = config_.domain.coordinator;
            a.nonce = nonce ? *nonce : (u256(random_()) << 64 | u256(random_()));
            a.deadline = deadline ? *deadline : u256(unix_s_() + config_.assignment_ttl_s);
            const Bytes sig = sign_assignment(*config_.key, a, config_.domain);
            assignments_.fetch_add(1);
            out["assignment"] = {{"router", to_checksum(config_.key->address())},
                                 {"consumer", to_checksum(a.consumer)},
                                 {"node", to_checksum(a.node)},
                                 {"paramsHash", to_hex(a.params_hash)},
                                 {"coordinator", to_checksum(a.coordinator)},
                                 {"registry", to_checksum(config_.domain.registry)},
                                 {"chainId", config_.domain.chain_id},
                                 {"nonce", to_dec(a.nonce)},
                                 {"deadline", to_dec(a.deadline)},
                                 {"digest", to_hex(assignment_digest(a, config_.domain))},
                                 {"signature", to_hex(sig)}};
        }
        return {200, out.dump()};
    } catch (const BadInput& e) {
        bad_requests_.fetch_add(1);
        return error(400, e.name, e.message);
    } catch (const json::exception& e) {
        bad_requests_.fetch_add(1);
        return error(400, "invalid_json", e.what());
    }
}

HttpResponse Service::report(const std::string& body) {
    try {
        const json j = json::parse(body);
        if (!j.is_object()) throw BadInput{"invalid_json", "expected a JSON object"};
        const Address op = parse_addr(j.value("operator", json()), "operator");
        const json lat = j.value("latency_ms", json());
        if (!lat.is_number() || !(lat.get<double>() >= 0) || lat.get<double>() > 3.6e6) {
            throw BadInput{"bad_number", "latency_ms: expected a number in [0, 3600000]"};
        }
        const json ok = j.value("ok", json());
        if (!ok.is_boolean()) throw BadInput{"bad_params", "ok: expected a boolean"};
        const std::int64_t slot = engine_.slot_of(op);
        if (slot < 0) return error(404, "unknown_operator", to_checksum(op));
        engine_.on_complete(static_cast<std::uint32_t>(slot), lat.get<double>(), ok.get<bool>(), now_ms_());
        reports_.fetch_add(1);
        return {200, json{{"ok", true}}.dump()};
    } catch (const BadInput& e) {
        bad_requests_.fetch_add(1);
        return error(400, e.name, e.message);
    } catch (const json::exception& e) {
        bad_requests_.fetch_add(1);
        return error(400, "invalid_json", e.what());
    }
}

HttpResponse Service::operators() const {
    json out = json::array();
    const std::int64_t now = now_ms_();
    for (const auto& [slot, rec] : engine_.operators()) {
        const route::Load l = engine_.load(slot);
        json services = json::array();
        for (const ServiceRecord& s : rec.services) {
            services.push_back(
                {{"model", to_hex(s.model)}, {"token", to_checksum(s.token)}, {"price", amount_text(s.price)}});
        }
        out.push_back({{"operator", to_checksum(rec.address)},
                       {"active", rec.active},
                       {"endpoint", rec.endpoint},
                       {"region", rec.region},
                       {"hardware", rec.hardware},
                       {"capacity", rec.capacity},
                       {"stake", amount_text(rec.stake)},
                       {"faults", rec.faults},
                       {"services", services},
                       {"outstanding", l.outstanding},
                       {"latency_ms", l.latency.value_ms},
                       {"failures", l.health.failures},
                       {"cooling", route::cooling(l.health, now)}});
    }
    return {200, json{{"operators", out}}.dump()};
}

HttpResponse Service::health() const {
    return {200, json{{"status", "ok"},
                      {"version", engine_.version()},
                      {"block", block_.load()},
                      {"operators", engine_.operators().size()},
                      {"signer", config_.key ? to_checksum(config_.key->address()) : std::string()}}
                     .dump()};
}

HttpResponse Service::metrics() const {
    std::string m;
    auto line = [&m](const char* name, const char* type, const char* help, double v) {
        m += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " " +
             std::to_string(v) + "\n";
    };
    line("sigil_router_decisions_total", "counter", "Routing decisions made.", static_cast<double>(decisions_.load()));
    line("sigil_router_no_candidate_total", "counter", "Decisions that found no eligible operator.",
         static_cast<double>(no_candidate_.load()));
    line("sigil_router_bad_requests_total", "counter", "Requests refused as malformed.",
         static_cast<double>(bad_requests_.load()));
    line("sigil_router_assignments_total", "counter", "Signed assignments issued.",
         static_cast<double>(assignments_.load()));
    line("sigil_router_reports_total", "counter", "Outcome reports received.", static_cast<double>(reports_.load()));
    line("sigil_router_decision_seconds_total", "counter", "Time spent in decisions.",
         static_cast<double>(decision_ns_.load()) / 1e9);
    line("sigil_router_snapshot_version", "gauge", "Registry snapshots published.",
         static_cast<double>(engine_.version()));
    line("sigil_router_chain_block", "gauge", "Chain height of the registry view.", static_cast<double>(block_.load()));
    line("sigil_router_operators", "gauge", "Operators in the registry view.",
         static_cast<double>(engine_.operators().size()));
    return {200, m, "text/plain; version=0.0.4"};
}

namespace {
void mount(httplib::Server& s, Service& svc) {
    auto bind = [&svc](const char* method) {
        return [&svc, method](const httplib::Request& req, httplib::Response& res) {
            HttpResponse r = svc.handle(method, req.path, req.body);
            res.status = r.status;
            res.set_content(r.body, r.content_type.c_str());
        };
    };
    s.Post("/route", bind("POST"));
    s.Post("/report", bind("POST"));
    s.Get("/operators", bind("GET"));
    s.Get("/health", bind("GET"));
    s.Get("/metrics", bind("GET"));
    s.set_payload_max_length(64 * 1024);
    // A reply goes out in pieces (headers, then body): without TCP_NODELAY Nagle's algorithm holds
    // the body back behind the client's delayed ACK (27 ms a request, bench/api_benchmark
    // post_route). A keep-alive connection holds a worker while open: enough for many clients.
    s.set_tcp_nodelay(true);
    s.new_task_queue = [] { return new httplib::ThreadPool(64); };
}
}  // namespace

int Service::start(const std::string& host, int port) {
    stop();
    http_ = std::make_unique<Http>();
    mount(http_->server, *this);
    const int bound = port == 0 ? http_->server.bind_to_any_port(host.c_str())
                                : (http_->server.bind_to_port(host.c_str(), port) ? port : -1);
    if (bound < 0) {
        http_.reset();
        return -1;
    }
    http_->thread = std::thread([this] { http_->server.listen_after_bind(); });
    while (!http_->server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return bound;
}

bool Service::listen(const std::string& host, int port) {
    stop();
    http_ = std::make_unique<Http>();
    mount(http_->server, *this);
    return http_->server.listen(host.c_str(), port);
}

void Service::stop() {
    if (!http_) return;
    http_->server.stop();
    if (http_->thread.joinable()) http_->thread.join();
    http_.reset();
}

}  // namespace sigil::router
