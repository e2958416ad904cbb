// `sigil router`: the routing service. Follows the registries on chain and serves the REST API
// of router/service.hpp.

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "chain/eth_client.hpp"
#include "chain/key_source.hpp"
#include "chain/rpc_client.hpp"
#include "chain/transport.hpp"
#include "cli/commands.hpp"
#include "router/chain_follower.hpp"
#include "router/service.hpp"

namespace sigil::cli {

namespace {

struct RouterOptions {
    std::string url;
    std::string host = "127.0.0.1";
    int port = 8600;
    std::string operator_registry;
    std::string model_registry;
    std::string router_registry;
    std::string coordinator;
    std::uint32_t poll_ms = 1'000;
    std::uint64_t assignment_ttl_s = 300;
    std::uint64_t resync_blocks = 100;
    chain::KeySource key;
};

Address need_address(const std::string& text, const char* what) {
    auto a = parse_address(text);
    if (!a) throw CliError(std::string("invalid ") + what + " '" + text + "'");
    return *a;
}

}  // namespace

void register_router_commands(CLI::App& app) {
    auto o = std::make_shared<RouterOptions>();
    auto* cmd = app.add_subcommand("router", "Run the router: follow the registries and serve POST /route");
    const char* env = std::getenv("ETH_RPC_URL");
    o->url = env != nullptr && *env != '\0' ? env : "http://127.0.0.1:8545";
    cmd->add_option("--rpc-url,-r", o->url, "JSON-RPC endpoint (default $ETH_RPC_URL or http://127.0.0.1:8545)");
    cmd->add_option("--host", o->host, "Address to listen on")->capture_default_str();
    cmd->add_option("--port", o->port, "Port to listen on")->capture_default_str();
    cmd->add_option("--operator-registry", o->operator_registry, "OperatorRegistry address")->required();
    cmd->add_option("--model-registry", o->model_registry, "ModelRegistry address")->required();
    cmd->add_option("--router-registry", o->router_registry, "RouterRegistry address (EIP-712 domain)");
    cmd->add_option("--coordinator", o->coordinator, "Coordinator address bound into assignments");
    cmd->add_option("--poll-ms", o->poll_ms, "Milliseconds between chain polls")->capture_default_str();
    cmd->add_option("--resync-blocks", o->resync_blocks,
                    "Full re-read of the registries at least every this many blocks (0: every block)")
        ->capture_default_str();
    cmd->add_option("--assignment-ttl", o->assignment_ttl_s, "Seconds an assignment stays valid")
        ->capture_default_str();
    cmd->add_option("--private-key", o->key.private_key, "Router signing key (hex); without a key no assignments");
    cmd->add_option("--keystore", o->key.keystore, "Keystore file of the router key");
    cmd->add_option("--password-file", o->key.password_file, "File holding the keystore password");
    cmd->callback([o] {
        auto rpc = std::make_shared<chain::RpcClient>(std::make_shared<chain::HttpTransport>(o->url));
        chain::EthClient eth(*rpc);
        router::ServiceConfig config;
        config.assignment_ttl_s = o->assignment_ttl_s;
        if (!o->key.private_key.empty() || !o->key.keystore.empty()) {
            auto key = chain::load_key(o->key);
            if (!key) throw CliError(key.error().describe());
            if (o->router_registry.empty() || o->coordinator.empty()) {
                throw CliError("signing assignments needs --router-registry and --coordinator");
            }
            config.key = *key;
            config.domain.registry = need_address(o->router_registry, "--router-registry");
            config.domain.coordinator = need_address(o->coordinator, "--coordinator");
            auto id = eth.chain_id();
            if (!id) throw CliError(id.error().describe());
            config.domain.chain_id = *id;
        }
        router::FollowerConfig fc;
        fc.operator_registry = need_address(o->operator_registry, "--operator-registry");
        fc.model_registry = need_address(o->model_registry, "--model-registry");
        fc.resync_blocks = o->resync_blocks;
        router::Matcher engine;
        router::ChainFollower follower(eth, fc);
        if (auto first = follower.poll(engine); !first)
            throw CliError("reading the registries: " + first.error().message);
        const auto start = std::chrono::steady_clock::now();
        std::random_device rd;
        auto rng = std::make_shared<std::mt19937_64>((static_cast<std::uint64_t>(rd()) << 32) ^ rd());
        auto rng_mu = std::make_shared<std::mutex>();
        router::Service service(
            engine, config,
            [start] {
                return static_cast<std::int64_t>(
                    std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
                        .count());
            },
            [] {
                return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                                      std::chrono::system_clock::now().time_since_epoch())
                                                      .count());
            },
            [rng, rng_mu] {
                std::lock_guard lock(*rng_mu);
                return (*rng)();
            });
        service.set_block(follower.last_block());
        const int port = service.start(o->host, o->port);
        if (port < 0) throw CliError("cannot listen on " + o->host + ":" + std::to_string(o->port));
        std::cout << "router listening on http://" << o->host << ":" << port << " (" << engine.operators().size()
                  << " operators at block " << follower.last_block() << ")" << std::endl;
        // The single writer: poll the chain until the process is stopped.
        for (;;) {
            std::this_thread::sleep_for(std::chrono::milliseconds(o->poll_ms));
            auto r = follower.poll(engine);
            if (!r)
                std::cerr << "router: chain poll failed: " << r.error().message << std::endl;
            else if (*r)
                service.set_block(follower.last_block());
        }
    });
}

}  // namespace sigil::cli
