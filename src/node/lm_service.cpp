#include "node/lm_service.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "core/ir/codec.hpp"
#include "core/ir/model_root.hpp"

namespace sigil::node {

using nlohmann::json;

nlohmann::json to_json(const OpenAiError& e) {
    return {{"error",
             {{"message", e.message},
              {"type", e.type},
              {"param", e.param.empty() ? json(nullptr) : json(e.param)},
              {"code", e.code.empty() ? json(nullptr) : json(e.code)}}}};
}

std::string openai_finish(const std::string& finish) { return finish == "stop" ? "stop" : "length"; }

bool is_stop(const CompletionRequest& r, std::uint32_t token) {
    return std::find(r.options.stop.begin(), r.options.stop.end(), token) != r.options.stop.end();
}

std::string completion_text(const CompletionRequest& r, const runtime::lm::Generation& g) {
    std::string text;
    for (std::size_t i = 0; i < g.tokens.size(); ++i) {
        if (i + 1 == g.tokens.size() && g.finish == "stop") break;  // the stop token itself
        text += r.model->vocab.text(g.tokens[i]);
    }
    return text;
}

namespace {

Result<std::string, ConfigError> read_text(const std::filesystem::path& path, const std::string& key) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(ConfigError{ConfigErrorKind::io_error, key, "cannot read " + path.string()});
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

OpenAiError bad(const std::string& param, const std::string& message, const std::string& code = "") {
    return OpenAiError{400, message, param, code, "invalid_request_error"};
}

OpenAiError unsupported(const std::string& param, const std::string& why) {
    return bad(param, param + " is not supported: " + why, "unsupported_parameter");
}

/// A JSON number as a double, or an error naming the field.
Result<double, OpenAiError> number(const json& v, const std::string& param) {
    if (!v.is_number()) return fail(bad(param, param + " must be a number"));
    const double d = v.get<double>();
    if (!std::isfinite(d)) return fail(bad(param, param + " must be finite"));
    return d;
}

Result<std::int64_t, OpenAiError> integer(const json& v, const std::string& param, std::int64_t lo, std::int64_t hi) {
    if (!v.is_number_integer()) return fail(bad(param, param + " must be an integer"));
    const auto i = v.get<std::int64_t>();
    if (i < lo || i > hi) {
        return fail(bad(param, param + " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]"));
    }
    return i;
}

/// The chat messages as one prompt text through the model's template.
Result<std::string, OpenAiError> chat_text(const json& messages, const LanguageModelConfig& cfg) {
    if (!messages.is_array() || messages.empty()) {
        return fail(bad("messages", "messages must be a non-empty array of {role, content}"));
    }
    std::string text;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const json& m = messages[i];
        const std::string at = "messages[" + std::to_string(i) + "]";
        if (!m.is_object() || !m.contains("role") || !m["role"].is_string()) {
            return fail(bad(at + ".role", at + " needs a role"));
        }
        const std::string role = m["role"].get<std::string>();
        if (role != "system" && role != "user" && role != "assistant" && role != "developer") {
            return fail(bad(at + ".role", at + ".role must be system, developer, user or assistant"));
        }
        if (!m.contains("content") || !m["content"].is_string()) {
            return fail(bad(at + ".content", at + ".content must be a string"));
        }
        std::string part = cfg.chat_template;
        for (const auto& [key, value] : {std::pair<std::string, std::string>{"{role}", role},
                                         std::pair<std::string, std::string>{"{content}", m["content"].get<std::string>()}}) {
            for (auto pos = part.find(key); pos != std::string::npos; pos = part.find(key, pos + value.size())) {
                part.replace(pos, key.size(), value);
            }
        }
        text += part;
    }
    return text + cfg.chat_suffix;
}

/// Fields that would change the answer in ways the runtime does not compute: refused unless
/// absent or at their neutral value.
Result<void, OpenAiError> refuse_unsupported(const json& body) {
    for (const char* k : {"presence_penalty", "frequency_penalty"}) {
        if (body.contains(k) && !body[k].is_null() && !(body[k].is_number() && body[k].get<double>() == 0.0)) {
            return fail(unsupported(k, "the sampler has no penalties"));
        }
    }
    if (body.contains("logit_bias") && !body["logit_bias"].is_null() &&
        !(body["logit_bias"].is_object() && body["logit_bias"].empty())) {
        return fail(unsupported("logit_bias", "the sampler reads the committed logits only"));
    }
    for (const char* k : {"logprobs", "top_logprobs"}) {
        if (body.contains(k) && !body[k].is_null() && !(body[k].is_boolean() && !body[k].get<bool>()) &&
            !(body[k].is_number_integer() && body[k].get<std::int64_t>() == 0)) {
            return fail(unsupported(k, "log-probabilities are not returned"));
        }
    }
    if (body.contains("echo") && !body["echo"].is_null() && !(body["echo"].is_boolean() && !body["echo"].get<bool>())) {
        return fail(unsupported("echo", "the prompt is not echoed"));
    }
    if (body.contains("suffix") && !body["suffix"].is_null()) return fail(unsupported("suffix", "no insertion mode"));
    for (const char* k : {"n", "best_of"}) {
        if (body.contains(k) && !body[k].is_null() && !(body[k].is_number_integer() && body[k].get<std::int64_t>() == 1)) {
            return fail(unsupported(k, "one completion per request"));
        }
    }
    return {};
}

}  // namespace

Result<LmService, ConfigError> LmService::load(const std::vector<LanguageModelConfig>& models) {
    LmService s;
    for (std::size_t i = 0; i < models.size(); ++i) {
        const std::string key = "language_model[" + std::to_string(i) + "]";
        auto m = std::make_unique<LanguageModel>();
        m->cfg = models[i];
        const std::string bytes = SIGIL_TRY(read_text(m->cfg.program, key + ".program"));
        auto p = ir::load_program(as_bytes(bytes));
        if (!p) return fail(ConfigError{ConfigErrorKind::bad_value, key + ".program", "not a valid .sigil program"});
        m->root = ir::model_root(*p);
        if (m->cfg.root && *m->cfg.root != m->root) {
            return fail(ConfigError{ConfigErrorKind::bad_value, key + ".root", "the program's modelRoot is " + to_hex(m->root)});
        }
        auto vocab = runtime::lm::Vocabulary::from_json(SIGIL_TRY(read_text(m->cfg.vocab, key + ".vocab")));
        if (!vocab) return fail(ConfigError{ConfigErrorKind::bad_value, key + ".vocab", vocab.error()});
        m->vocab = std::move(*vocab);
        auto g = runtime::lm::Generator::create(*p, m->cfg.threads);
        if (!g) return fail(ConfigError{ConfigErrorKind::bad_value, key + ".program", "not a language model: " + g.error()});
        if (g->vocab() != m->vocab.size()) {
            return fail(ConfigError{ConfigErrorKind::bad_value, key + ".vocab",
                                    std::to_string(m->vocab.size()) + " entries for " + std::to_string(g->vocab()) +
                                        " logits"});
        }
        m->generator = std::make_unique<runtime::lm::Generator>(std::move(*g));
        m->busy = std::make_unique<std::mutex>();
        m->manifest = runtime::lm::manifest_of(*m->generator, m->vocab.root());
        m->lm_root = runtime::lm::lm_root(m->manifest);
        s.models_.push_back(std::move(m));
    }
    return s;
}

const LanguageModel* LmService::find(const std::string& name) const {
    for (const auto& m : models_) {
        if (m->cfg.name == name) return m.get();
    }
    return nullptr;
}

const LanguageModel* LmService::find_onchain(const Hash& step_model_root) const {
    for (const auto& m : models_) {
        if (!m->cfg.prices.empty() && m->manifest.step_model_root == step_model_root) return m.get();
    }
    return nullptr;
}

const LanguageModel* LmService::find_step(const Hash& step_model_root) const {
    for (const auto& m : models_) {
        if (m->manifest.step_model_root == step_model_root) return m.get();
    }
    return nullptr;
}

Result<runtime::lm::Generation, std::string> LmService::generate_onchain(
    const LanguageModel& m, const runtime::lm::GenerationSpec& spec, const std::optional<trace::Lie>& lie,
    const std::function<void(std::uint32_t, const runtime::RunResult&)>& on_step) const {
    std::lock_guard lock(*m.busy);
    runtime::lm::GenerationOptions o = spec.options;
    const std::uint32_t v = m.manifest.vocab;
    if (lie && lie->kind == trace::FaultKind::token && v >= 2) {
        auto honest = m.generator->run(spec.prompt, o, m.vocab.root());
        if (!honest) return fail("generation failed: " + honest.error());
        const auto j = static_cast<std::uint32_t>(lie->element % honest->tokens.size());
        o.alter = std::make_pair(j, (honest->tokens[j] + 1 + lie->mask % (v - 1)) % v);
    }
    auto g = m.generator->run(spec.prompt, o, m.vocab.root(), nullptr, {}, on_step);
    if (!g) return fail("generation failed: " + g.error());
    return std::move(*g);
}

Result<runtime::lm::GenerationClaim, std::string> LmService::serve(const LanguageModel& m, BytesView input,
                                                                   const std::optional<trace::Lie>& lie) const {
    auto spec = runtime::lm::decode_spec(input);
    if (!spec) return fail(spec.error());
    if (spec->lm_root != m.lm_root) return fail(std::string("the spec names another language model"));
    if (auto why = runtime::lm::spec_fault(*spec, m.manifest, m.manifest.step_model_root); !why.empty())
        return fail("the spec cannot be served: " + why);
    auto g = generate_onchain(m, *spec, lie);
    if (!g) return fail(g.error());
    auto text = m.vocab.decode(g->tokens);
    if (!text) return fail("detokenization failed: " + text.error());
    return runtime::lm::generation_claim(input, *g, *text);
}

Result<CompletionRequest, OpenAiError> LmService::parse(const json& body, bool chat) const {
    if (!body.is_object()) return fail(bad("", "the body must be a JSON object"));
    if (!body.contains("model") || !body["model"].is_string()) return fail(bad("model", "model is required"));
    CompletionRequest r;
    r.chat = chat;
    r.model = find(body["model"].get<std::string>());
    if (r.model == nullptr) {
        return fail(OpenAiError{404, "The model '" + body["model"].get<std::string>() + "' does not exist", "model",
                                "model_not_found", "invalid_request_error"});
    }
    SIGIL_TRY_VOID(refuse_unsupported(body));
    const LanguageModel& m = *r.model;
    // The prompt: text through the vocabulary, or token ids.
    if (chat) {
        const std::string text = SIGIL_TRY(chat_text(body.contains("messages") ? body["messages"] : json(), m.cfg));
        auto ids = m.vocab.encode(text);
        if (!ids) return fail(bad("messages", "the prompt cannot be tokenized: " + ids.error()));
        r.prompt = std::move(*ids);
    } else {
        if (!body.contains("prompt")) return fail(bad("prompt", "prompt is required"));
        const json& p = body["prompt"];
        if (p.is_string()) {
            auto ids = m.vocab.encode(p.get<std::string>());
            if (!ids) return fail(bad("prompt", "the prompt cannot be tokenized: " + ids.error()));
            r.prompt = std::move(*ids);
        } else if (p.is_array() && !p.empty() && p[0].is_number_integer()) {
            for (const auto& t : p) {
                r.prompt.push_back(static_cast<std::uint32_t>(
                    SIGIL_TRY(integer(t, "prompt", 0, static_cast<std::int64_t>(m.vocab.size()) - 1))));
            }
        } else {
            return fail(bad("prompt", "prompt must be a string or an array of token ids (one prompt per request)"));
        }
    }
    const std::uint32_t context = m.generator->context();
    if (r.prompt.empty() || r.prompt.size() >= context) {
        return fail(OpenAiError{400,
                                "the prompt has " + std::to_string(r.prompt.size()) + " tokens; this model takes 1 to " +
                                    std::to_string(context - 1),
                                chat ? "messages" : "prompt", "context_length_exceeded", "invalid_request_error"});
    }
    auto& o = r.options;
    const char* max_key = chat && body.contains("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
    if (body.contains(max_key) && !body[max_key].is_null()) {
        o.max_tokens = static_cast<std::uint32_t>(SIGIL_TRY(integer(body[max_key], max_key, 1, m.cfg.max_tokens)));
    } else {
        o.max_tokens = chat ? m.cfg.max_tokens : std::min<std::uint32_t>(16, m.cfg.max_tokens);
    }
    double temperature = 1.0;
    if (body.contains("temperature") && !body["temperature"].is_null()) {
        temperature = SIGIL_TRY(number(body["temperature"], "temperature"));
        if (temperature < 0 || temperature > 2) return fail(bad("temperature", "temperature must be in [0, 2]"));
    }
    o.sampling.temperature_milli = static_cast<std::uint32_t>(std::lround(temperature * 1000));
    if (body.contains("top_p") && !body["top_p"].is_null()) {
        const double p = SIGIL_TRY(number(body["top_p"], "top_p"));
        if (!(p > 0 && p <= 1)) return fail(bad("top_p", "top_p must be in (0, 1]"));
        o.sampling.top_p_micro = static_cast<std::uint32_t>(std::clamp<long>(std::lround(p * 1e6), 1, 1'000'000));
    }
    if (body.contains("top_k") && !body["top_k"].is_null()) {
        o.sampling.top_k =
            static_cast<std::uint32_t>(SIGIL_TRY(integer(body["top_k"], "top_k", 1, runtime::lm::kMaxOnchainTopK)));
    } else {
        o.sampling.top_k = runtime::lm::kMaxOnchainTopK;
    }
    if (body.contains("seed") && !body["seed"].is_null()) {
        const auto seed = static_cast<std::uint64_t>(
            SIGIL_TRY(integer(body["seed"], "seed", 0, std::numeric_limits<std::int64_t>::max())));
        for (int b = 0; b < 8; ++b) o.sampling.seed[31 - static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(seed >> (8 * b));
    }
    if (body.contains("stop") && !body["stop"].is_null()) {
        const json& s = body["stop"];
        std::vector<std::string> stops;
        if (s.is_string()) {
            stops.push_back(s.get<std::string>());
        } else if (s.is_array() && s.size() <= 4) {
            for (const auto& x : s) {
                if (!x.is_string()) return fail(bad("stop", "stop must be a string or up to 4 strings"));
                stops.push_back(x.get<std::string>());
            }
        } else {
            return fail(bad("stop", "stop must be a string or up to 4 strings"));
        }
        for (const auto& text : stops) {
            auto ids = m.vocab.encode(text);
            if (!ids || ids->size() != 1) {
                return fail(unsupported("stop", "each stop string must be one token of the model's vocabulary ('" + text +
                                                    "' is not)"));
            }
            o.stop.push_back((*ids)[0]);
        }
    }
    if (body.contains("stream") && !body["stream"].is_null()) {
        if (!body["stream"].is_boolean()) return fail(bad("stream", "stream must be a boolean"));
        r.stream = body["stream"].get<bool>();
    }
    if (auto why = runtime::lm::check(o.sampling); !why.empty()) return fail(bad("", why));
    return r;
}

Result<OffchainCompletion, std::string> LmService::offchain_claim(const CompletionRequest& r,
                                                                  const runtime::lm::Generation& g) const {
    const LanguageModel& m = *r.model;
    runtime::lm::GenerationSpec spec{m.lm_root, r.prompt, r.options};
    spec.options.alter.reset();
    if (auto why = runtime::lm::spec_fault(spec, m.manifest, m.manifest.step_model_root); !why.empty())
        return fail("the request cannot be made on chain: " + why);
    if (g.prompt != spec.prompt) return fail(std::string("the generation is not of this prompt"));
    const auto input = runtime::lm::encode_spec(spec);
    if (auto why = runtime::lm::tokens_fault(spec, m.manifest, g.tokens, spec.prompt.size() + g.tokens.size() - 1);
        !why.empty())
        return fail("the generation breaks the request's rules: " + why);
    auto text = m.vocab.decode(g.tokens);
    if (!text) return fail("detokenization failed: " + text.error());
    return OffchainCompletion{input, runtime::lm::generation_claim(input, g, *text)};
}

Result<runtime::lm::Generation, OpenAiError> LmService::generate(const CompletionRequest& r,
                                                                  const std::function<void(std::uint32_t)>& on_token) const {
    const LanguageModel& m = *r.model;
    std::lock_guard lock(*m.busy);
    auto g = m.generator->run(r.prompt, r.options, m.vocab.root(), nullptr, on_token);
    if (!g) return fail(OpenAiError{500, "generation failed: " + g.error(), "", "runtime_error", "server_error"});
    return std::move(*g);
}

}  // namespace sigil::node
