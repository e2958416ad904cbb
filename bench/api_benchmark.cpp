// The node's REST API path for signed off-chain jobs (POST /jobs) on the sample CNN
// (src/runtime/exec/sample_models.hpp, 784 int8 inputs), and where its time goes:
//   run_model    inference with the commitment (the claim's traceRoot);
//   sign_claim   the claim's EIP-712 signature;
//   put_offchain the reply made durable in the node's store (WAL synced; group commit), beside
//                commit_per_document, one commit and WAL sync per document (each call its own
//                transaction, as put_offchain was before group commit; set_meta_blob, the same
//                autocommit path), at 1 and 16 writers;
//   post_jobs    the whole request over HTTP (keep-alive clients, 1 and 16 at once), the rate
//                limit raised out of the way. items_per_second is jobs/s.
// And the router's HTTP path beside it (post_route: POST /route over three operators), whose
// decisions take microseconds, so that what is left is the HTTP round trip.
//
//   build/release/bench/api_benchmark --benchmark_repetitions=3 --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "core/ir/codec.hpp"
#include "core/keccak.hpp"
#include "node/api.hpp"
#include "node/signed_claim.hpp"
#include "node/store.hpp"
#include "node/worker_pool.hpp"
#include "router/service.hpp"
#include "runtime/exec/sample_models.hpp"

namespace {

using namespace sigil;

/// A node's API without a chain: the sample CNN served, a store, the rate limit raised.
struct Node {
    std::filesystem::path dir;
    node::NodeConfig cfg;
    chain::PrivateKey key =
        chain::PrivateKey::from_hex("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d").value();
    node::Catalog catalog;
    node::Backends backends{{}};
    std::unique_ptr<node::Store> store;
    node::Metrics metrics;
    std::unique_ptr<node::Api> api;
    std::uint16_t port = 0;
    Bytes input = Bytes(784);

    Node() : dir(std::filesystem::temp_directory_path() / ("sigil-api-bench-" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        const Bytes prog = ir::save_program(runtime::sample_cnn(1, 7));
        std::ofstream(dir / "cnn.sigil", std::ios::binary)
            .write(reinterpret_cast<const char*>(prog.data()), static_cast<std::streamsize>(prog.size()));  // NOLINT
        node::ModelConfig mc;
        mc.program = dir / "cnn.sigil";
        catalog = node::Catalog::load({mc}).value();
        store = std::move(node::Store::open(dir / "store").value());
        cfg.chain.chain_id = 31337;
        cfg.contracts.coordinator[19] = 1;
        cfg.api.host = "127.0.0.1";
        cfg.api.rate_limit_per_second = 1'000'000;
        api = std::make_unique<node::Api>(cfg, key, catalog, backends, *store, metrics,
                                          node::ChainStatus{[] { return std::uint64_t{0}; },
                                                            [] { return std::uint64_t{0}; }});
        port = api->start().value();
        std::mt19937 rng(1);
        for (auto& b : input) b = static_cast<std::uint8_t>(rng());
    }
    ~Node() {
        api->stop();
        std::filesystem::remove_all(dir);
    }
};

Node& node_under_test() {
    static Node n;
    return n;
}

void run_model(benchmark::State& state) {
    const Node& n = node_under_test();
    for (auto _ : state) benchmark::DoNotOptimize(node::run_model(n.catalog.models()[0], n.input));
    state.SetItemsProcessed(state.iterations());
}

void sign_claim(benchmark::State& state) {
    const Node& n = node_under_test();
    const auto claim = node::run_model(n.catalog.models()[0], n.input).value();
    for (auto _ : state) {
        benchmark::DoNotOptimize(node::signed_claim_json(n.key, n.catalog.models()[0].root, claim, 1'900'000'000,
                                                         n.cfg.chain.chain_id, n.cfg.contracts.coordinator));
    }
    state.SetItemsProcessed(state.iterations());
}

std::atomic<std::uint64_t> g_docs{0};

void put_offchain(benchmark::State& state) {
    Node& n = node_under_test();
    const std::string doc(1500, 'x');
    for (auto _ : state) {
        if (!n.store->put_offchain("bench-" + std::to_string(++g_docs), doc)) state.SkipWithError("store");
    }
    state.SetItemsProcessed(state.iterations());
}

void post_jobs(benchmark::State& state) {
    Node& n = node_under_test();
    httplib::Client client("127.0.0.1", n.port);
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);  // as curl, browsers and Node's http do
    // Each job a distinct input (a job's id binds its input root): the first byte counts.
    Bytes input = n.input;
    std::uint32_t k = static_cast<std::uint32_t>(state.thread_index()) << 16;
    for (auto _ : state) {
        ++k;
        input[0] = static_cast<std::uint8_t>(k);
        input[1] = static_cast<std::uint8_t>(k >> 8);
        input[2] = static_cast<std::uint8_t>(k >> 16);
        const std::string body =
            nlohmann::json{{"model", to_hex(n.catalog.models()[0].root)}, {"input", to_hex(input)}}.dump();
        auto res = client.Post("/jobs", body, "application/json");
        if (!res || res->status != 200) state.SkipWithError("POST /jobs failed");
    }
    state.SetItemsProcessed(state.iterations());
}

/// A router serving three operators of one model, on a free port.
struct Router {
    router::Matcher engine;
    std::unique_ptr<router::Service> service;
    int port = 0;
    Hash model = keccak256(std::string_view("bench-model"));
    Address token{};

    Router() {
        token[0] = 0xee;
        router::RegistryState s;
        for (std::uint8_t i = 1; i <= 3; ++i) {
            router::OperatorRecord r;
            r.address[19] = i;
            r.active = true;
            r.endpoint = "http://node" + std::to_string(i);
            r.region = "eu";
            r.hardware = 1;
            r.capacity = 4;
            r.stake = 1'000;
            r.services.push_back({model, token, static_cast<route::Amount>(i) * 100});
            s.operators.push_back(r);
        }
        s.models = {{model, 9'100}};
        engine.publish(s);
        router::ServiceConfig c;
        c.key = node_under_test().key;
        std::atomic<std::uint64_t>* counter = &g_docs;
        service = std::make_unique<router::Service>(
            engine, c, [] { return std::int64_t{0}; }, [] { return std::uint64_t{1'700'000'000}; },
            [counter] { return ++*counter; });
        port = service->start("127.0.0.1", 0);
    }
    ~Router() { service->stop(); }
};

void post_route(benchmark::State& state) {
    static Router r;
    httplib::Client client("127.0.0.1", r.port);
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    const std::string body =
        nlohmann::json{{"models", {to_hex(r.model)}}, {"token", to_checksum(r.token)}, {"sort", "price"}}.dump();
    for (auto _ : state) {
        auto res = client.Post("/route", body, "application/json");
        if (!res || res->status != 200) state.SkipWithError("POST /route failed");
    }
    state.SetItemsProcessed(state.iterations());
}

void commit_per_document(benchmark::State& state) {
    Node& n = node_under_test();
    const std::string doc(1500, 'x');
    for (auto _ : state) {
        if (!n.store->set_meta_blob("bench-" + std::to_string(++g_docs), Bytes(doc.begin(), doc.end()))) {
            state.SkipWithError("store");
        }
    }
    state.SetItemsProcessed(state.iterations());
}

BENCHMARK(run_model)->UseRealTime();
BENCHMARK(sign_claim)->UseRealTime();
BENCHMARK(commit_per_document)->Threads(1)->Threads(16)->UseRealTime();
BENCHMARK(put_offchain)->Threads(1)->Threads(16)->UseRealTime();
BENCHMARK(post_jobs)->Threads(1)->Threads(16)->UseRealTime()->MinTime(2.0);
BENCHMARK(post_route)->UseRealTime()->MinTime(2.0);

}  // namespace
