#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include "chain/rpc_client.hpp"
#include "chain/transport.hpp"

namespace sigil::chain {
namespace {

using namespace std::chrono_literals;

/// A local HTTP server on a free port, stopped on destruction.
class LocalServer {
public:
    explicit LocalServer(httplib::Server::Handler handler) {
        server_.Post("/rpc", std::move(handler));
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~LocalServer() {
        server_.stop();
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/rpc"; }

private:
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
};

TEST(http_transport, posts_json_and_reads_the_body) {
    LocalServer server([](const httplib::Request& req, httplib::Response& res) {
        auto body = Json::parse(req.body);
        res.set_content(Json{{"jsonrpc", "2.0"}, {"id", body["id"]}, {"result", body["method"]}}.dump(),
                        "application/json");
    });
    RpcClient client(std::make_shared<HttpTransport>(server.url()));
    auto r = client.call("web3_clientVersion");
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(*r, "web3_clientVersion");
}

TEST(http_transport, times_out_on_a_slow_server) {
    LocalServer server([](const httplib::Request&, httplib::Response& res) {
        std::this_thread::sleep_for(300ms);
        res.set_content("{}", "application/json");
    });
    HttpTransport t(server.url());
    auto r = t.post("{}", 50ms);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().kind == TransportErrorKind::timeout || r.error().kind == TransportErrorKind::io_error);
}

TEST(http_transport, reports_http_status_and_refused_connections) {
    LocalServer server([](const httplib::Request&, httplib::Response& res) { res.status = 503; });
    HttpTransport t(server.url());
    auto r = t.post("{}", 1000ms);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, TransportErrorKind::http_status);
    EXPECT_EQ(r.error().http_status, 503);
    // Port 1 on loopback: nothing listens there.
    auto refused = HttpTransport("http://127.0.0.1:1").post("{}", 1000ms);
    EXPECT_EQ(refused.error().kind, TransportErrorKind::connect_failed);
    EXPECT_EQ(HttpTransport("ftp://x").post("{}", 1000ms).error().kind, TransportErrorKind::bad_url);
}

}  // namespace
}  // namespace sigil::chain
