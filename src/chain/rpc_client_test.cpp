#include "chain/rpc_client.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <mutex>

#include "chain/testing/manual_clock.hpp"

namespace sigil::chain {
namespace {

using namespace std::chrono_literals;

/// A transport that answers from a script: each entry sees the request body and returns a
/// response body or a transport error.
class ScriptedTransport final : public Transport {
public:
    using Step = std::function<Result<std::string, TransportError>(const Json& request)>;
    void push(Step s) { steps_.push_back(std::move(s)); }
    Result<std::string, TransportError> post(const std::string& body, std::chrono::milliseconds) override {
        std::lock_guard lock(mu_);
        ++posts;
        if (steps_.empty()) return fail(TransportError{TransportErrorKind::connect_failed, 0, "script exhausted"});
        auto step = std::move(steps_.front());
        steps_.pop_front();
        return step(Json::parse(body));
    }
    int posts = 0;

private:
    std::mutex mu_;
    std::deque<Step> steps_;
};

ScriptedTransport::Step answer(Json result) {
    return [result](const Json& req) -> Result<std::string, TransportError> {
        return Json{{"jsonrpc", "2.0"}, {"id", req["id"]}, {"result", result}}.dump();
    };
}
ScriptedTransport::Step error(Json err) {
    return [err](const Json& req) -> Result<std::string, TransportError> {
        return Json{{"jsonrpc", "2.0"}, {"id", req["id"]}, {"error", err}}.dump();
    };
}
ScriptedTransport::Step broken(TransportErrorKind kind, int status = 0) {
    return [kind, status](const Json&) -> Result<std::string, TransportError> {
        return fail(TransportError{kind, status, "injected"});
    };
}

struct Fixture {
    std::shared_ptr<ScriptedTransport> transport = std::make_shared<ScriptedTransport>();
    testing::ManualClock clock;
    RpcClient client{transport, RpcOptions{1000ms, 4, 100ms, 250ms}, clock};
};

TEST(rpc_client, returns_result_and_sends_jsonrpc_request) {
    Fixture f;
    Json seen;
    f.transport->push([&](const Json& req) -> Result<std::string, TransportError> {
        seen = req;
        return Json{{"jsonrpc", "2.0"}, {"id", req["id"]}, {"result", "0x7a69"}}.dump();
    });
    auto r = f.client.call("eth_chainId");
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, "0x7a69");
    EXPECT_EQ(seen["jsonrpc"], "2.0");
    EXPECT_EQ(seen["method"], "eth_chainId");
    EXPECT_TRUE(seen["params"].is_array());
}

TEST(rpc_client, retries_transport_failures_with_backoff) {
    Fixture f;
    f.transport->push(broken(TransportErrorKind::connect_failed));
    f.transport->push(broken(TransportErrorKind::timeout));
    f.transport->push(broken(TransportErrorKind::http_status, 503));
    f.transport->push(answer("0x1"));
    auto r = f.client.call("eth_blockNumber");
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(f.transport->posts, 4);
    EXPECT_EQ(f.clock.sleeps(), (std::vector<std::chrono::milliseconds>{100ms, 200ms, 250ms}));
}

TEST(rpc_client, gives_up_after_max_attempts) {
    Fixture f;
    for (int i = 0; i < 10; ++i) f.transport->push(broken(TransportErrorKind::timeout));
    auto r = f.client.call("eth_blockNumber");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, RpcErrorKind::timeout);
    EXPECT_EQ(f.transport->posts, 4);
}

TEST(rpc_client, never_retries_jsonrpc_errors_or_client_http_errors) {
    Fixture f;
    f.transport->push(error({{"code", -32000}, {"message", "nonce too low"}}));
    auto r = f.client.call("eth_sendRawTransaction", Json::array({"0x00"}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, RpcErrorKind::nonce_too_low);
    EXPECT_EQ(f.transport->posts, 1);
    f.transport->push(broken(TransportErrorKind::http_status, 400));
    auto r2 = f.client.call("eth_chainId");
    EXPECT_EQ(r2.error().kind, RpcErrorKind::http_status);
    EXPECT_EQ(r2.error().code, 400);
    EXPECT_EQ(f.transport->posts, 2);
    EXPECT_TRUE(f.clock.sleeps().empty());
}

TEST(rpc_client, maps_error_objects_to_named_kinds) {
    auto kind = [](Json e) { return classify_error(e).kind; };
    EXPECT_EQ(kind({{"code", -32000}, {"message", "nonce too high"}}), RpcErrorKind::nonce_too_high);
    EXPECT_EQ(kind({{"code", -32000}, {"message", "replacement transaction underpriced"}}),
              RpcErrorKind::replacement_underpriced);
    EXPECT_EQ(kind({{"code", -32000}, {"message", "already known"}}), RpcErrorKind::already_known);
    EXPECT_EQ(kind({{"code", -32003}, {"message", "Insufficient funds for gas * price + value"}}),
              RpcErrorKind::insufficient_funds);
    EXPECT_EQ(kind({{"code", -32601}, {"message", "Method not found"}}), RpcErrorKind::method_not_found);
    EXPECT_EQ(kind({{"code", -32602}, {"message", "bad"}}), RpcErrorKind::invalid_params);
    EXPECT_EQ(kind({{"code", -1}, {"message", "other"}}), RpcErrorKind::rpc_error);
    EXPECT_EQ(kind("string"), RpcErrorKind::malformed_response);
}

// The shapes nodes use for revert data: anvil/geth {"code":3,"data":"0x.."}, nested {"data":{"data":..}},
// and "Reverted 0x.." strings.
TEST(rpc_client, extracts_revert_data) {
    auto e = classify_error({{"code", 3}, {"message", "execution reverted: custom error"}, {"data", "0xdeadbeef"}});
    EXPECT_EQ(e.kind, RpcErrorKind::execution_reverted);
    EXPECT_EQ(to_hex(e.data), "0xdeadbeef");
    e = classify_error({{"code", -32015}, {"message", "VM execution error."}, {"data", "Reverted 0x0102"}});
    EXPECT_EQ(e.kind, RpcErrorKind::rpc_error);  // not a revert message; data left alone
    e = classify_error({{"code", -32000}, {"message", "execution reverted"}, {"data", {{"data", "0x0102"}}}});
    EXPECT_EQ(e.kind, RpcErrorKind::execution_reverted);
    EXPECT_EQ(to_hex(e.data), "0x0102");
    e = classify_error({{"code", -32000}, {"message", "execution reverted"}, {"data", "Reverted 0xabcd"}});
    EXPECT_EQ(to_hex(e.data), "0xabcd");
    EXPECT_NE(e.describe().find("0xabcd"), std::string::npos);
}

TEST(rpc_client, batch_returns_results_in_request_order) {
    Fixture f;
    f.transport->push([](const Json& req) -> Result<std::string, TransportError> {
        // Answer out of order, one with an error.
        Json out = Json::array();
        out.push_back({{"jsonrpc", "2.0"}, {"id", req[2]["id"]}, {"result", "c"}});
        out.push_back({{"jsonrpc", "2.0"}, {"id", req[0]["id"]}, {"result", "a"}});
        out.push_back({{"jsonrpc", "2.0"}, {"id", req[1]["id"]}, {"error", {{"code", 3}, {"message", "execution reverted"}}}});
        return out.dump();
    });
    auto r = f.client.batch({{"a", Json::array()}, {"b", Json::array()}, {"c", Json::array()}});
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 3u);
    EXPECT_EQ(*(*r)[0], "a");
    EXPECT_EQ((*r)[1].error().kind, RpcErrorKind::execution_reverted);
    EXPECT_EQ(*(*r)[2], "c");
}

TEST(rpc_client, batch_reports_missing_entries_and_whole_batch_errors) {
    const std::uint64_t ids[] = {1, 2};
    auto r = decode_batch_response(R"([{"jsonrpc":"2.0","id":1,"result":true}])", ids);
    ASSERT_TRUE(r);
    EXPECT_TRUE((*r)[0]);
    EXPECT_EQ((*r)[1].error().kind, RpcErrorKind::malformed_response);
    auto whole = decode_batch_response(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"x"}})", ids);
    EXPECT_EQ(whole.error().kind, RpcErrorKind::rpc_error);
}

TEST(rpc_client, rejects_malformed_responses) {
    auto kind = [](std::string_view body) { return decode_response(body, 7).error().kind; };
    EXPECT_EQ(kind(""), RpcErrorKind::malformed_response);
    EXPECT_EQ(kind("[1,2"), RpcErrorKind::malformed_response);
    EXPECT_EQ(kind(R"({"jsonrpc":"2.0","id":8,"result":1})"), RpcErrorKind::malformed_response);
    EXPECT_EQ(kind(R"({"jsonrpc":"1.0","id":7,"result":1})"), RpcErrorKind::malformed_response);
    EXPECT_EQ(kind(R"({"jsonrpc":"2.0","id":7})"), RpcErrorKind::malformed_response);
    EXPECT_EQ(kind(R"({"jsonrpc":"2.0","id":"7","result":1})"), RpcErrorKind::malformed_response);
    EXPECT_EQ(kind(R"({"jsonrpc":"2.0","id":7,"result":1,"error":{"code":1}})"), RpcErrorKind::malformed_response);
    EXPECT_TRUE(decode_response(R"({"jsonrpc":"2.0","id":7,"result":null})", 7));
}

}  // namespace
}  // namespace sigil::chain
