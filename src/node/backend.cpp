#include "node/backend.hpp"

#include <httplib.h>

#include "core/keccak.hpp"
#include "core/trace/chunks.hpp"

namespace sigil::node {

std::string_view to_string(BackendErrorKind k) noexcept {
    switch (k) {
        case BackendErrorKind::unknown_backend: return "unknown_backend";
        case BackendErrorKind::bad_input: return "bad_input";
        case BackendErrorKind::unreachable: return "unreachable";
        case BackendErrorKind::http_status: return "http_status";
        case BackendErrorKind::bad_response: return "bad_response";
    }
    return "unknown";
}

std::string BackendError::describe() const {
    return std::string(to_string(kind)) + (detail.empty() ? "" : ": " + detail);
}

namespace {

/// Splits `http://host:port/path` into origin and path ("/" when none).
std::pair<std::string, std::string> split_url(const std::string& url) {
    const auto scheme = url.find("://");
    const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    if (slash == std::string::npos) return {url, "/"};
    return {url.substr(0, slash), url.substr(slash)};
}

Result<nlohmann::json, BackendError> post_json(const std::string& url, const nlohmann::json& body) {
    auto [origin, path] = split_url(url);
    httplib::Client cli(origin);
    cli.set_connection_timeout(5, 0);
    cli.set_read_timeout(120, 0);
    auto res = cli.Post(path, body.dump(), "application/json");
    if (!res) return fail(BackendError{BackendErrorKind::unreachable, httplib::to_string(res.error())});
    if (res->status != 200) {
        return fail(BackendError{BackendErrorKind::http_status, std::to_string(res->status)});
    }
    auto parsed = nlohmann::json::parse(res->body, nullptr, false);
    if (parsed.is_discarded()) return fail(BackendError{BackendErrorKind::bad_response, "not JSON"});
    return parsed;
}

}  // namespace

const BackendConfig* Backends::find(const std::string& name) const {
    for (const auto& b : configs_) {
        if (b.name == name) return &b;
    }
    return nullptr;
}

Hash backend_model_id(const std::string& name) { return keccak256(as_bytes("backend:" + name)); }

const BackendConfig* Backends::find_onchain(const Hash& id) const {
    for (const auto& b : configs_) {
        if (!b.prices.empty() && backend_model_id(b.name) == id) return &b;
    }
    return nullptr;
}

Result<Claim, std::string> agreement_claim(const Backends& backends, const BackendConfig& b, BytesView input) {
    const auto in = nlohmann::json::parse(input.begin(), input.end(), nullptr, false);
    if (!in.is_object()) return fail(std::string("the input is not a JSON object"));
    auto out = backends.call(b.name, in, true);
    if (!out) return fail("backend " + b.name + ": " + out.error().describe());
    const std::string text = b.kind == BackendKind::openai ? (*out)["content"].get<std::string>() : out->dump();
    if (text.empty()) return fail("backend " + b.name + ": an empty answer");
    Claim c;
    c.output.assign(text.begin(), text.end());
    c.output_root = trace::tensor_root(c.output);
    c.input_root = trace::tensor_root(input);
    return c;
}

Result<nlohmann::json, BackendError> Backends::call(const std::string& name, const nlohmann::json& input,
                                                    bool greedy) const {
    const BackendConfig* b = find(name);
    if (b == nullptr) return fail(BackendError{BackendErrorKind::unknown_backend, name});
    if (b->kind == BackendKind::http) return post_json(b->url, input);
    nlohmann::json messages;
    if (input.is_object() && input.contains("messages") && input["messages"].is_array()) {
        messages = input["messages"];
    } else if (input.is_object() && input.contains("prompt") && input["prompt"].is_string()) {
        messages = nlohmann::json::array({{{"role", "user"}, {"content", input["prompt"]}}});
    } else {
        return fail(BackendError{BackendErrorKind::bad_input, "expected {\"messages\": [...]} or {\"prompt\": \"...\"}"});
    }
    std::string url = b->url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    nlohmann::json body = {{"model", b->model_id}, {"messages", messages}};
    if (greedy) body["temperature"] = 0;
    auto raw = SIGIL_TRY(post_json(url + "/chat/completions", body));
    const auto* content = raw.is_object() && raw.contains("choices") && raw["choices"].is_array() &&
                                  !raw["choices"].empty() && raw["choices"][0].is_object() &&
                                  raw["choices"][0].contains("message") && raw["choices"][0]["message"].is_object() &&
                                  raw["choices"][0]["message"].contains("content") &&
                                  raw["choices"][0]["message"]["content"].is_string()
                              ? &raw["choices"][0]["message"]["content"]
                              : nullptr;
    if (content == nullptr) return fail(BackendError{BackendErrorKind::bad_response, "no choices[0].message.content"});
    return nlohmann::json{{"content", *content}, {"raw", raw}};
}

}  // namespace sigil::node
