#pragma once
/// An in-memory JSON-RPC endpoint for unit tests: a `Transport` that dispatches each request
/// (single or batched) to a handler per method. Unknown methods answer -32601 like a real node.

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "chain/rpc_client.hpp"
#include "chain/transport.hpp"

namespace sigil::chain::testing {

class FakeNode final : public Transport {
public:
    /// A handler returns the `result`, or throws `RpcError`-like objects via `error_response`.
    using Handler = std::function<Json(const Json& params)>;

    void on(const std::string& method, Handler h) {
        std::lock_guard lock(mu_);
        handlers_[method] = std::move(h);
    }
    int calls(const std::string& method) const {
        std::lock_guard lock(mu_);
        auto it = counts_.find(method);
        return it == counts_.end() ? 0 : it->second;
    }

    /// A value a handler returns to make the node answer with a JSON-RPC error object.
    static Json error_response(int code, const std::string& message, Json data = nullptr) {
        Json e = {{"code", code}, {"message", message}};
        if (!data.is_null()) e["data"] = data;
        return Json{{"__error__", e}};
    }

    Result<std::string, TransportError> post(const std::string& body, std::chrono::milliseconds) override {
        const Json req = Json::parse(body);
        if (req.is_array()) {
            Json out = Json::array();
            for (const auto& r : req) out.push_back(answer(r));
            return out.dump();
        }
        return answer(req).dump();
    }

private:
    Json answer(const Json& req) {
        Handler h;
        {
            std::lock_guard lock(mu_);
            const std::string method = req["method"];
            ++counts_[method];
            auto it = handlers_.find(method);
            if (it != handlers_.end()) h = it->second;
        }
        Json out = {{"jsonrpc", "2.0"}, {"id", req["id"]}};
        if (!h) {
            out["error"] = {{"code", -32601}, {"message", "Method not found"}};
            return out;
        }
        Json result = h(req["params"]);
        if (result.is_object() && result.contains("__error__")) {
            out["error"] = result["__error__"];
        } else {
            out["result"] = result;
        }
        return out;
    }

    mutable std::mutex mu_;
    std::map<std::string, Handler> handlers_;
    std::map<std::string, int> counts_;
};

}  // namespace sigil::chain::testing
