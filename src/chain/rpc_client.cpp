#include "chain/rpc_client.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace sigil::chain {
namespace {

constexpr std::size_t kMaxBody = 64u << 20;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool contains(const std::string& hay, std::string_view needle) { return hay.find(needle) != std::string::npos; }

/// Revert data: a hex string, possibly prefixed ("Reverted 0x..."), or nested under "data".
Bytes extract_revert_data(const Json& data, int depth = 0) {
    if (depth > 4) return {};
    if (data.is_object() && data.contains("data")) return extract_revert_data(data["data"], depth + 1);
    if (!data.is_string()) return {};
    const std::string& s = data.get_ref<const std::string&>();
    const auto pos = s.find("0x");
    if (pos == std::string::npos) return {};
    auto bytes = from_hex(std::string_view(s).substr(pos));
    return bytes ? std::move(*bytes) : Bytes{};
}

RpcErrorKind kind_of(std::int64_t code, const std::string& message) {
    const std::string m = lower(message);
    if (contains(m, "nonce too low")) return RpcErrorKind::nonce_too_low;
    if (contains(m, "nonce too high")) return RpcErrorKind::nonce_too_high;
    if (contains(m, "underpriced")) return RpcErrorKind::replacement_underpriced;
    if (contains(m, "already known") || contains(m, "known transaction")) return RpcErrorKind::already_known;
    if (contains(m, "insufficient funds")) return RpcErrorKind::insufficient_funds;
    if (code == 3 || contains(m, "revert")) return RpcErrorKind::execution_reverted;
    if (code == -32601) return RpcErrorKind::method_not_found;
    if (code == -32602) return RpcErrorKind::invalid_params;
    return RpcErrorKind::rpc_error;
}

RpcError malformed(std::string what) { return RpcError{RpcErrorKind::malformed_response, 0, std::move(what), {}}; }

RpcError from_transport(const TransportError& e) {
    switch (e.kind) {
        case TransportErrorKind::timeout: return {RpcErrorKind::timeout, 0, e.detail, {}};
        case TransportErrorKind::http_status:
            return {RpcErrorKind::http_status, e.http_status, "HTTP " + std::to_string(e.http_status), {}};
        default: return {RpcErrorKind::transport, 0, std::string(to_string(e.kind)) + ": " + e.detail, {}};
    }
}

/// The outcome of one response object (already known to carry the right id).
RpcResult decode_object(const Json& obj) {
    if (!obj.is_object()) return fail(malformed("response is not an object"));
    if (!obj.contains("jsonrpc") || obj["jsonrpc"] != "2.0") return fail(malformed("missing jsonrpc 2.0"));
    if (obj.contains("error")) {
        if (obj.contains("result") && !obj["result"].is_null()) return fail(malformed("both result and error"));
        return fail(classify_error(obj["error"]));
    }
    if (!obj.contains("result")) return fail(malformed("neither result nor error"));
    return obj["result"];
}

bool id_matches(const Json& obj, std::uint64_t id) {
    return obj.is_object() && obj.contains("id") && obj["id"].is_number_unsigned() &&
           obj["id"].get<std::uint64_t>() == id;
}

Result<Json, RpcError> parse_body(std::string_view body) {
    if (body.size() > kMaxBody) return fail(malformed("response too large"));
    Json doc = Json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return fail(malformed("response is not JSON"));
    return doc;
}

}  // namespace

RpcError classify_error(const Json& error_object) {
    if (!error_object.is_object()) return malformed("error is not an object");
    RpcError e;
    if (error_object.contains("code") && error_object["code"].is_number_integer())
        e.code = error_object["code"].get<std::int64_t>();
    if (error_object.contains("message") && error_object["message"].is_string())
        e.message = error_object["message"].get<std::string>();
    e.kind = kind_of(e.code, e.message);
    if (e.kind == RpcErrorKind::execution_reverted && error_object.contains("data"))
        e.data = extract_revert_data(error_object["data"]);
    return e;
}

RpcResult decode_response(std::string_view body, std::uint64_t id) {
    const Json doc = SIGIL_TRY(parse_body(body));
    if (!doc.is_object()) return fail(malformed("response is not an object"));
    // An error about the request itself (e.g. a parse error) may come with a null id.
    if (!id_matches(doc, id) && !(doc.contains("id") && doc["id"].is_null() && doc.contains("error")))
        return fail(malformed("response id does not match the request"));
    return decode_object(doc);
}

Result<std::vector<RpcResult>, RpcError> decode_batch_response(std::string_view body,
                                                               std::span<const std::uint64_t> ids) {
    const Json doc = SIGIL_TRY(parse_body(body));
    if (doc.is_object()) {
        // A whole-batch failure is a single error object.
        auto one = decode_object(doc);
        if (!one) return fail(one.error());
        return fail(malformed("batch answered with a single result"));
    }
    if (!doc.is_array()) return fail(malformed("batch response is not an array"));
    std::map<std::uint64_t, const Json*> by_id;
    for (const auto& obj : doc) {
        if (obj.is_object() && obj.contains("id") && obj["id"].is_number_unsigned())
            by_id.emplace(obj["id"].get<std::uint64_t>(), &obj);
    }
    std::vector<RpcResult> out;
    out.reserve(ids.size());
    for (const std::uint64_t id : ids) {
        auto it = by_id.find(id);
        if (it == by_id.end()) {
            out.emplace_back(fail(malformed("no response for request id " + std::to_string(id))));
        } else {
            out.push_back(decode_object(*it->second));
        }
    }
    return out;
}

RpcClient::RpcClient(std::shared_ptr<Transport> transport, RpcOptions options, Clock& clock)
    : transport_(std::move(transport)), options_(options), clock_(clock) {}

Result<std::string, RpcError> RpcClient::post_with_retry(const std::string& body) {
    auto backoff = options_.initial_backoff;
    RpcError last{RpcErrorKind::transport, 0, "no attempt made", {}};
    for (int attempt = 0; attempt < std::max(1, options_.max_attempts); ++attempt) {
        if (attempt > 0) {
            clock_.sleep_for(backoff);
            backoff = std::min(backoff * 2, options_.max_backoff);
        }
        auto res = transport_->post(body, options_.timeout);
        if (res) return std::move(*res);
        last = from_transport(res.error());
        if (!is_transport_failure(last)) break;
    }
    return fail(last);
}

RpcResult RpcClient::call(const std::string& method, Json params) {
    const std::uint64_t id = next_id_.fetch_add(1);
    const Json req = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
    const std::string body = SIGIL_TRY(post_with_retry(req.dump()));
    return decode_response(body, id);
}

Result<std::vector<RpcResult>, RpcError> RpcClient::batch(const std::vector<RpcRequest>& requests) {
    if (requests.empty()) return std::vector<RpcResult>{};
    Json arr = Json::array();
    std::vector<std::uint64_t> ids;
    for (const auto& r : requests) {
        const std::uint64_t id = next_id_.fetch_add(1);
        ids.push_back(id);
        arr.push_back({{"jsonrpc", "2.0"}, {"id", id}, {"method", r.method}, {"params", r.params}});
    }
    const std::string body = SIGIL_TRY(post_with_retry(arr.dump()));
    return decode_batch_response(body, ids);
}

}  // namespace sigil::chain
