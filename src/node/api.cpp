#include "node/api.hpp"

#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/keccak.hpp"
#include "node/log.hpp"
#include "node/signed_claim.hpp"
#include "node/worker_pool.hpp"

namespace sigil::node {

namespace {

using nlohmann::json;

/// HTTP workers: one per open connection (keep-alive clients hold theirs between requests).
constexpr std::size_t kApiThreads = 64;

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void reply(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

json prices_json(const std::vector<PriceFloor>& prices) {
    json out = json::array();
    for (const auto& p : prices) out.push_back({{"token", to_checksum(p.token)}, {"min", to_dec(p.min)}});
    return out;
}

json job_json(const JobRecord& j) {
    json out = {{"id", to_hex(j.id)},
                {"onchain", true},
                {"state", to_string(j.state)},
                {"reason", j.reason},
                {"k", j.k},
                {"consumer", to_checksum(j.consumer)},
                {"model", to_hex(j.model_root)},
                {"block", j.block_number},
                {"gas_used", j.gas_used}};
    if (!j.output.empty() || j.steps != 0) {
        out["claim"] = {{"output", to_hex(j.output)},
                        {"outputRoot", to_hex(j.output_root)},
                        {"traceRoot", to_hex(j.trace_root)},
                        {"steps", json_uint64(j.steps)},
                        {"inputRoot", to_hex(j.input_root)}};
    }
    if (j.seat >= 0) out["seat"] = j.seat;
    if (j.tx_hash) out["tx"] = to_hex(*j.tx_hash);
    if (j.done_ms != 0) out["latency_ms"] = j.done_ms - j.seen_ms;
    out["run_us"] = j.run_us;
    return out;
}

}  // namespace

Api::Api(const NodeConfig& cfg, const chain::PrivateKey& key, const Catalog& catalog, const Backends& backends,
         Store& store, Metrics& metrics, ChainStatus status, const LmService* lms)
    : cfg_(cfg),
      key_(key),
      catalog_(catalog),
      backends_(backends),
      store_(store),
      metrics_(metrics),
      status_(std::move(status)),
      lms_(lms),
      limiter_(cfg.api.rate_limit_per_second),
      server_(std::make_unique<httplib::Server>()) {}

Api::~Api() { stop(); }

void Api::stop() {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
}

Result<std::uint16_t, std::string> Api::start() {
    if (!cfg_.api.host) return fail(std::string("api.listen is not set"));
    routes();
    int port = cfg_.api.port;
    if (port == 0) {
        port = server_->bind_to_any_port(*cfg_.api.host);
    } else if (!server_->bind_to_port(*cfg_.api.host, port)) {
        port = -1;
    }
    if (port <= 0) return fail("api.listen: cannot bind " + *cfg_.api.host + ":" + std::to_string(cfg_.api.port));
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    return static_cast<std::uint16_t>(port);
}

void Api::routes() {
    auto& s = *server_;
    s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        if (!limiter_.allow(req.remote_addr, now_ms())) {
            metrics_.api_request(429);
            reply(res, 429, {{"error", "rate_limited"}});
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    s.set_logger([this](const httplib::Request&, const httplib::Response& res) {
        if (res.status != 429) metrics_.api_request(res.status);
    });
    s.set_payload_max_length(8 << 20);
    // Replies go out at once (no Nagle delay behind the client's delayed ACK: ~40 ms a request on
    // a keep-alive connection otherwise), and a keep-alive connection holds a worker while it is
    // open, so there are enough workers for many clients at once.
    s.set_tcp_nodelay(true);
    s.new_task_queue = [] { return new httplib::ThreadPool(kApiThreads); };

    s.Get("/health", [this](const httplib::Request&, httplib::Response& res) {
        reply(res, 200, {{"status", "ok"}, {"head", status_.head()}, {"checkpoint", status_.next_block()}});
    });

    s.Get("/info", [this](const httplib::Request&, httplib::Response& res) {
        json models = json::array();
        for (const auto& m : catalog_.models()) {
            models.push_back({{"root", to_hex(m.root)},
                              {"program", m.path.filename().string()},
                              {"input_bytes", m.input_bytes},
                              {"verifiable", true},
                              {"prices", prices_json(m.prices)}});
        }
        json backends = json::array();
        for (const auto& b : backends_.configs()) {
            backends.push_back({{"name", b.name},
                                {"kind", to_string(b.kind)},
                                {"id", to_hex(backend_model_id(b.name))},
                                {"verifiable", false},
                                {"prices", prices_json(b.prices)}});
        }
        reply(res, 200,
              {{"operator", to_checksum(key_.address())},
               {"chain_id", cfg_.chain.chain_id},
               {"contracts",
                {{"coordinator", to_checksum(cfg_.contracts.coordinator)},
                 {"operator_registry", to_checksum(cfg_.contracts.operator_registry)},
                 {"model_registry", to_checksum(cfg_.contracts.model_registry)}}},
               {"models", models},
               {"backends", backends}});
    });

    s.Post("/jobs", [this](const httplib::Request& req, httplib::Response& res) {
        const json body = json::parse(req.body, nullptr, false);
        if (!body.is_object()) return reply(res, 400, {{"error", "bad_json"}});
        if (body.contains("backend")) {
            if (!body["backend"].is_string() || !body.contains("input")) {
                return reply(res, 400, {{"error", "bad_request"}, {"detail", "backend and input required"}});
            }
            auto out = backends_.call(body["backend"].get<std::string>(), body["input"]);
            if (!out) {
                const int status = out.error().kind == BackendErrorKind::unknown_backend ? 404
                                   : out.error().kind == BackendErrorKind::bad_input    ? 400
                                                                                         : 502;
                return reply(res, status, {{"error", to_string(out.error().kind)}, {"detail", out.error().detail}});
            }
            return reply(res, 200, {{"backend", body["backend"]}, {"verifiable", false}, {"output", *out}});
        }
        if (!body.contains("model") || !body["model"].is_string() || !body.contains("input") ||
            !body["input"].is_string()) {
            return reply(res, 400, {{"error", "bad_request"}, {"detail", "model and input (hex) required"}});
        }
        auto root = fixed_from_hex<32>(body["model"].get<std::string>());
        auto input = from_hex(body["input"].get<std::string>());
        if (!root || !input) return reply(res, 400, {{"error", "bad_hex"}});
        const ServedModel* m = catalog_.find(*root);
        if (m == nullptr) return reply(res, 404, {{"error", "model_not_served"}});
        if (input->size() != m->input_bytes) {
            return reply(res, 400, {{"error", "input_size"}, {"expected", m->input_bytes}});
        }
        auto claim = run_model(*m, *input);
        if (!claim) return reply(res, 500, {{"error", "runtime"}, {"detail", claim.error()}});
        // Disputable until then (wall clock; OffchainClaims.adopt compares with the block time).
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        const std::uint64_t until = static_cast<std::uint64_t>(now) + cfg_.api.claim_dispute_seconds;
        auto signed_doc =
            signed_claim_json(key_, m->root, *claim, until, cfg_.chain.chain_id, cfg_.contracts.coordinator);
        if (!signed_doc) return reply(res, 500, {{"error", "signing"}, {"detail", signed_doc.error()}});
        const Hash id = keccak256(concat({BytesView(m->root.data(), 32), BytesView(claim->input_root.data(), 32),
                                          BytesView(claim->trace_root.data(), 32)}));
        json doc = {{"id", to_hex(id)}, {"onchain", false}, {"state", "done"}, {"model", to_hex(m->root)}};
        doc.update(*signed_doc);
        if (auto put = store_.put_offchain(to_hex(id), doc.dump()); !put) {
            return reply(res, 500, {{"error", "store"}, {"detail", put.error().message}});
        }
        reply(res, 200, doc);
    });

    s.Get(R"(/jobs/(0x[0-9a-fA-F]{64}))", [this](const httplib::Request& req, httplib::Response& res) {
        const std::string id = req.matches[1];
        auto off = store_.offchain(id);
        if (off && off->has_value()) return reply(res, 200, json::parse(**off, nullptr, false));
        auto h = fixed_from_hex<32>(id);
        if (!h) return reply(res, 400, {{"error", "bad_hex"}});
        auto j = store_.job(*h);
        if (!j) return reply(res, 500, {{"error", "store"}});
        if (!j->has_value()) return reply(res, 404, {{"error", "not_found"}});
        reply(res, 200, job_json(**j));
    });

    if (lms_ != nullptr) openai_routes();

    s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
        std::map<std::string, std::uint64_t> states;
        for (int i = 0; i < kJobStateCount; ++i) states[std::string(to_string(static_cast<JobState>(i)))] = 0;
        if (auto c = store_.state_counts()) {
            for (const auto& [st, n] : *c) states[std::string(to_string(st))] = n;
        }
        res.set_content(metrics_.render(states), "text/plain; version=0.0.4");
    });
}

namespace {

/// The choice of a whole completion, or of one streamed piece (`text` then is one token's).
json choice(bool chat, bool chunk, const std::string& text, const json& finish) {
    json c = {{"index", 0}, {"finish_reason", finish}};
    if (!chat) {
        c["text"] = text;
        c["logprobs"] = nullptr;
    } else if (chunk) {
        c["delta"] = finish.is_null() ? json{{"role", "assistant"}, {"content", text}} : json::object();
    } else {
        c["message"] = {{"role", "assistant"}, {"content", text}};
    }
    return c;
}

std::string sse(const json& j) { return "data: " + j.dump() + "\n\n"; }

}  // namespace

void Api::openai_routes() {
    auto& s = *server_;
    s.Get("/v1/models", [this](const httplib::Request&, httplib::Response& res) {
        json data = json::array();
        for (const auto& m : lms_->models()) {
            data.push_back({{"id", m->cfg.name},
                            {"object", "model"},
                            {"created", 0},
                            {"owned_by", to_checksum(key_.address())},
                            {"sigil",
                             {{"model_root", to_hex(m->root)},
                              {"step_model_root", to_hex(m->generator->step_model_root())},
                              {"vocab_root", to_hex(m->vocab.root())},
                              {"context", m->generator->context()},
                              {"vocabulary", m->vocab.size()},
                              {"max_tokens", m->cfg.max_tokens}}}});
        }
        reply(res, 200, {{"object", "list"}, {"data", data}});
    });
    for (const bool chat : {false, true}) {
        s.Post(chat ? "/v1/chat/completions" : "/v1/completions", [this, chat](const httplib::Request& req,
                                                                               httplib::Response& res) {
            const json body = json::parse(req.body, nullptr, false);
            if (body.is_discarded())
                return reply(res, 400,
                             to_json(OpenAiError{400, "the body is not valid JSON", "", "", "invalid_request_error"}));
            auto parsed = lms_->parse(body, chat);
            if (!parsed) return reply(res, parsed.error().status, to_json(parsed.error()));
            const auto created =
                std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                    .count();
            const std::string object = chat ? "chat.completion" : "text_completion";
            const std::string model = parsed->model->cfg.name;
            // The answer: usage, the commitment, and the claim an on-chain request of the same
            // spec gets, signed so that it can be adopted and disputed (docs/node.md).
            auto finish_doc = [this, created](const CompletionRequest& r, const runtime::lm::Generation& g) -> json {
                const LanguageModel& m = *r.model;
                json ids = json::array();
                for (auto t : g.tokens) ids.push_back(t);
                json sigil = {{"model_root", to_hex(m.root)},
                              {"lm_root", to_hex(m.lm_root)},
                              {"commitment", to_hex(g.commitment)},
                              {"token_ids", ids}};
                auto signed_doc = [&]() -> Result<json, std::string> {
                    auto oc = SIGIL_TRY(lms_->offchain_claim(r, g));
                    const Claim claim{oc.claim.output, oc.claim.output_root, oc.claim.trace_root, oc.claim.steps,
                                      oc.claim.input_root};
                    json d = SIGIL_TRY(
                        signed_claim_json(key_, m.manifest.step_model_root, claim,
                                          static_cast<std::uint64_t>(created) + cfg_.api.claim_dispute_seconds,
                                          cfg_.chain.chain_id, cfg_.contracts.coordinator));
                    d["input"] = to_hex(oc.input);
                    return d;
                }();
                if (signed_doc) {
                    sigil.update(*signed_doc);
                } else {
                    log_json(LogLevel::error, "completion claim not signed", {{"why", signed_doc.error()}});
                    sigil["claim"] = nullptr;
                }
                return json{{"usage",
                             {{"prompt_tokens", g.prompt.size()},
                              {"completion_tokens", g.tokens.size()},
                              {"total_tokens", g.prompt.size() + g.tokens.size()}}},
                            {"sigil", sigil}};
            };
            const std::string id =
                (chat ? "chatcmpl-" : "cmpl-") + to_hex(keccak256(req.body + std::to_string(created))).substr(2, 24);
            // The fields every reply object and streamed chunk carries, around one choice.
            const auto envelope = [id, created, model](const std::string& obj, const json& c) {
                return json{{"id", id}, {"object", obj}, {"created", created}, {"model", model}, {"choices", {c}}};
            };
            if (!parsed->stream) {
                auto g = lms_->generate(*parsed);
                if (!g) return reply(res, g.error().status, to_json(g.error()));
                json doc =
                    envelope(object, choice(chat, false, completion_text(*parsed, *g), openai_finish(g->finish)));
                doc.update(finish_doc(*parsed, *g));
                return reply(res, 200, doc);
            }
            // Server-sent events: one chunk per token as it is sampled, then the finish reason,
            // usage and the signed commitment, then [DONE].
            const CompletionRequest r = *parsed;
            res.set_chunked_content_provider(
                "text/event-stream", [this, r, chat, envelope, finish_doc](std::size_t, httplib::DataSink& sink) {
                    const std::string obj = chat ? "chat.completion.chunk" : "text_completion";
                    auto write = [&](const json& j) {
                        const std::string line = sse(j);
                        sink.write(line.data(), line.size());
                    };
                    auto g = lms_->generate(r, [&](std::uint32_t token) {
                        if (!is_stop(r, token))
                            write(envelope(obj, choice(chat, true, r.model->vocab.text(token), nullptr)));
                    });
                    if (!g) {
                        write(to_json(g.error()));
                    } else {
                        json last = envelope(obj, choice(chat, true, "", openai_finish(g->finish)));
                        last.update(finish_doc(r, *g));
                        write(last);
                    }
                    const std::string done = "data: [DONE]\n\n";
                    sink.write(done.data(), done.size());
                    sink.done();
                    return true;
                });
        });
    }
}

}  // namespace sigil::node
