#include "router/service.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "core/keccak.hpp"

namespace sigil::router {
namespace {

using nlohmann::json;

const Hash kModel = keccak256(std::string_view("fashion-cnn"));

Address addr(std::uint8_t i) {
    Address a{};
    a[0] = 0xab;
    a[19] = i;
    return a;
}

class ServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        RegistryState s;
        for (std::uint8_t i = 1; i <= 3; ++i) {
            OperatorRecord r;
            r.address = addr(i);
            r.active = true;
            r.endpoint = "http://node" + std::to_string(i);
            r.region = i == 3 ? "us" : "eu";
            r.hardware = 1;
            r.capacity = 4;
            r.stake = 1'000;
            r.services.push_back({kModel, addr(0xee), static_cast<Amount>(i) * 100});
            s.operators.push_back(r);
        }
        s.models = {{kModel, 9'100}};
        engine.publish(s);
        ServiceConfig c;
        c.key = *chain::PrivateKey::from_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
        c.domain = {31337, addr(0x55), addr(0x88)};
        service = std::make_unique<Service>(
            engine, c, [this] { return now; }, [] { return std::uint64_t{1'700'000'000}; },
            [this] { return ++random; });
    }

    json body() const { return {{"models", {to_hex(kModel)}}, {"token", to_checksum(addr(0xee))}, {"sort", "price"}}; }

    HttpResponse post(const json& j) { return service->handle("POST", "/route", j.dump()); }

    Matcher engine;
    std::int64_t now = 0;
    std::uint64_t random = 0;
    std::unique_ptr<Service> service;
};

TEST_F(ServiceTest, route_ranks_candidates) {
    const HttpResponse r = post(body());
    ASSERT_EQ(r.status, 200) << r.body;
    const json j = json::parse(r.body);
    ASSERT_EQ(j["candidates"].size(), 3u);
    EXPECT_EQ(j["candidates"][0]["operator"], to_checksum(addr(1)));
    EXPECT_EQ(j["candidates"][0]["price"], "100");
    EXPECT_EQ(j["candidates"][0]["endpoint"], "http://node1");
    EXPECT_EQ(j["candidates"][2]["operator"], to_checksum(addr(3)));
    EXPECT_FALSE(j.contains("assignment"));
}

TEST_F(ServiceTest, constraints_and_named_errors) {
    json b = body();
    b["region_deny"] = {"eu"};
    json j = json::parse(post(b).body);
    ASSERT_EQ(j["candidates"].size(), 1u);
    EXPECT_EQ(j["candidates"][0]["operator"], to_checksum(addr(3)));
    EXPECT_EQ(j["rejected"]["region_denied"], 2);

    b = body();
    b["max_price"] = "50";
    HttpResponse r = post(b);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(json::parse(r.body)["error"], "no_candidate");
    EXPECT_EQ(json::parse(r.body)["rejected"]["price"], 3);

    b = body();
    b["models"] = {to_hex(keccak256(std::string_view("other")))};
    EXPECT_EQ(post(b).status, 404);

    const std::pair<const char*, json> bad[] = {
        {"unknown_field", json{{"models", {to_hex(kModel)}}, {"token", to_checksum(addr(0xee))}, {"colour", 1}}},
        {"bad_address", json{{"models", {to_hex(kModel)}}, {"token", "0x12"}}},
        {"no_model", json{{"token", to_checksum(addr(0xee))}}},
        {"bad_sort", json{{"models", {to_hex(kModel)}}, {"token", to_checksum(addr(0xee))}, {"sort", "vibes"}}},
        {"bad_number", json{{"models", {to_hex(kModel)}}, {"token", to_checksum(addr(0xee))}, {"min_quality", 10'001}}},
        {"bad_weight",
         json{{"models", {to_hex(kModel)}}, {"token", to_checksum(addr(0xee))}, {"weights", {{"price", -1}}}}},
        {"bad_amount", json{{"models", {to_hex(kModel)}}, {"token", to_checksum(addr(0xee))}, {"value", "12x"}}},
        {"bad_proof_mode",
         json{{"models", {to_hex(kModel)}}, {"token", to_checksum(addr(0xee))}, {"proof_modes", {"zk"}}}},
    };
    for (const auto& [name, j2] : bad) {
        r = post(j2);
        EXPECT_EQ(r.status, 400) << name;
        EXPECT_EQ(json::parse(r.body)["error"], name) << r.body;
    }
    r = service->handle("POST", "/route", "{not json");
    EXPECT_EQ(json::parse(r.body)["error"], "invalid_json");
    EXPECT_EQ(service->handle("GET", "/nope", "").status, 404);
}

TEST_F(ServiceTest, signs_an_assignment_bound_to_the_request) {
    json b = body();
    b["assignment"] = {{"consumer", to_checksum(addr(0x66))},
                       {"nonce", "7"},
                       {"params",
                        {{"modelRoot", to_hex(kModel)},
                         {"token", to_checksum(addr(0xee))},
                         {"price", "250"},
                         {"redundancy", 1},
                         {"callbackGasLimit", 100'000},
                         {"ttl", 3'600},
                         {"commitWindow", 60}}}};
    const HttpResponse r = post(b);
    ASSERT_EQ(r.status, 200) << r.body;
    const json j = json::parse(r.body);
    // The node must list a price <= params.price: operator 3 (300) is excluded.
    EXPECT_EQ(j["candidates"].size(), 2u);
    const json& a = j["assignment"];
    EXPECT_EQ(a["node"], to_checksum(addr(1)));
    EXPECT_EQ(a["nonce"], "7");
    EXPECT_EQ(a["deadline"], "1700000300");
    RequestParams p;
    p.model_root = kModel;
    p.token = addr(0xee);
    p.price = 250;
    p.redundancy = 1;
    p.callback_gas_limit = 100'000;
    p.ttl = 3'600;
    p.commit_window = 60;
    p.assigned = addr(1);
    EXPECT_EQ(a["paramsHash"], to_hex(params_hash(p)));
    Assignment expect{addr(0x66), params_hash(p), addr(1), addr(0x88), 7, 1'700'000'300};
    const AssignmentDomain d{31337, addr(0x55), addr(0x88)};
    auto sig = chain::Signature::from_rsv(*from_hex(a["signature"].get<std::string>()));
    ASSERT_TRUE(sig);
    auto signer = chain::recover_address(assignment_digest(expect, d), *sig);
    ASSERT_TRUE(signer);
    EXPECT_EQ(to_checksum(*signer), a["router"]);

    json mismatch = b;
    mismatch["assignment"]["params"]["modelRoot"] = to_hex(keccak256(std::string_view("x")));
    EXPECT_EQ(json::parse(post(mismatch).body)["error"], "params_mismatch");
}

TEST_F(ServiceTest, reports_feed_health) {
    json rep = {{"operator", to_checksum(addr(1))}, {"latency_ms", 1'000}, {"ok", false}};
    ASSERT_EQ(service->handle("POST", "/report", rep.dump()).status, 200);
    now = 10;  // node 1 is cooling down: node 2 is cheapest now
    json j = json::parse(post(body()).body);
    EXPECT_EQ(j["candidates"][0]["operator"], to_checksum(addr(2)));
    EXPECT_EQ(j["rejected"]["cooling_down"], 1);
    rep["operator"] = to_checksum(addr(9));
    EXPECT_EQ(service->handle("POST", "/report", rep.dump()).status, 404);
    rep["latency_ms"] = -1;
    EXPECT_EQ(service->handle("POST", "/report", rep.dump()).status, 400);

    const json ops = json::parse(service->handle("GET", "/operators", "").body)["operators"];
    ASSERT_EQ(ops.size(), 3u);
    EXPECT_EQ(ops[0]["cooling"], true);
    EXPECT_EQ(ops[0]["failures"], 1);
    const json h = json::parse(service->handle("GET", "/health", "").body);
    EXPECT_EQ(h["status"], "ok");
    EXPECT_EQ(h["operators"], 3);
    const std::string m = service->handle("GET", "/metrics", "").body;
    EXPECT_NE(m.find("sigil_router_decisions_total 1"), std::string::npos) << m;
    EXPECT_NE(m.find("sigil_router_reports_total 1"), std::string::npos) << m;
}

TEST_F(ServiceTest, serves_http) {
    const int port = service->start("127.0.0.1", 0);
    ASSERT_GT(port, 0);
    httplib::Client client("127.0.0.1", port);
    auto res = client.Post("/route", body().dump(), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(json::parse(res->body)["candidates"].size(), 3u);
    auto h = client.Get("/health");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->status, 200);
    service->stop();
}

}  // namespace
}  // namespace sigil::router
