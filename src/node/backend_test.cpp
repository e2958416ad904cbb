// Backends against a real local HTTP server (cpp-httplib) on a free port.

#include "node/backend.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

namespace sigil::node {
namespace {

class LocalServer {
public:
    LocalServer() {
        srv_.Post("/run", [](const httplib::Request& req, httplib::Response& res) {
            auto in = nlohmann::json::parse(req.body);
            res.set_content(nlohmann::json{{"sum", in["a"].get<int>() + in["b"].get<int>()}}.dump(), "application/json");
        });
        srv_.Post("/v1/chat/completions", [](const httplib::Request& req, httplib::Response& res) {
            auto in = nlohmann::json::parse(req.body);
            const std::string text = in["model"].get<std::string>() + ":" +
                                     in["messages"][0]["content"].get<std::string>();
            res.set_content(nlohmann::json{{"choices", {{{"message", {{"role", "assistant"}, {"content", text}}}}}}}.dump(),
                            "application/json");
        });
        srv_.Post("/broken", [](const httplib::Request&, httplib::Response& res) {
            res.status = 500;
            res.set_content("no", "text/plain");
        });
        srv_.Post("/garbage/chat/completions", [](const httplib::Request&, httplib::Response& res) {
            res.set_content("{\"choices\": []}", "application/json");
        });
        port_ = srv_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { srv_.listen_after_bind(); });
    }
    ~LocalServer() {
        srv_.stop();
        thread_.join();
    }
    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

private:
    httplib::Server srv_;
    int port_ = 0;
    std::thread thread_;
};

BackendConfig backend(BackendKind kind, const std::string& name, const std::string& url, const std::string& model = "") {
    BackendConfig b;
    b.kind = kind;
    b.name = name;
    b.url = url;
    b.model_id = model;
    return b;
}

TEST(node_backend, http_and_openai_round_trips) {
    LocalServer srv;
    Backends b({backend(BackendKind::http, "adder", srv.url("/run")),
                backend(BackendKind::openai, "llm", srv.url("/v1"), "tiny"),
                backend(BackendKind::http, "broken", srv.url("/broken")),
                backend(BackendKind::openai, "garbage", srv.url("/garbage"), "m")});
    auto sum = b.call("adder", {{"a", 2}, {"b", 40}});
    ASSERT_TRUE(sum.has_value()) << sum.error().describe();
    EXPECT_EQ((*sum)["sum"], 42);
    auto chat = b.call("llm", {{"prompt", "hello"}});
    ASSERT_TRUE(chat.has_value()) << chat.error().describe();
    EXPECT_EQ((*chat)["content"], "tiny:hello");
    EXPECT_EQ(b.call("llm", {{"x", 1}}).error().kind, BackendErrorKind::bad_input);
    EXPECT_EQ(b.call("nope", {}).error().kind, BackendErrorKind::unknown_backend);
    EXPECT_EQ(b.call("broken", {}).error().kind, BackendErrorKind::http_status);
    EXPECT_EQ(b.call("garbage", {{"prompt", "x"}}).error().kind, BackendErrorKind::bad_response);
}

TEST(node_backend, unreachable) {
    Backends b({backend(BackendKind::http, "gone", "http://127.0.0.1:1/run")});
    EXPECT_EQ(b.call("gone", {}).error().kind, BackendErrorKind::unreachable);
}

}  // namespace
}  // namespace sigil::node
