#include "node/daemon.hpp"

#include <atomic>
#include <csignal>

#include "chain/transport.hpp"
#include "node/api.hpp"
#include "node/engine.hpp"
#include "node/log.hpp"
#include "node/operator_key.hpp"

namespace sigil::node {

namespace {
std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop = true; }
}  // namespace

Result<void, std::string> run_daemon(const DaemonOptions& options) {
    auto cfg = load_config(options.config, options.dev_key, options.profile);
    if (!cfg) return fail(cfg.error().describe());
    auto key = load_operator_key(cfg->operator_key);
    if (!key) return fail(key.error().describe());
    auto catalog = Catalog::load(cfg->models);
    if (!catalog) return fail(catalog.error().describe());
    auto lms = LmService::load(cfg->language_models);
    if (!lms) return fail(lms.error().describe());
    if (options.check_only) {
        log_json(LogLevel::info, "configuration ok",
                 {{options.profile == ConfigProfile::node ? "operator" : "account", to_checksum(key->address())},
                  {"models", catalog->models().size()},
                  {"language_models", lms->models().size()},
                  {"challenger", to_string(cfg->challenger.mode)},
                  {"verifier_bond", cfg->challenger.mode == ChallengeMode::bounty ? to_dec(cfg->verifier.bond) : ""}});
        return {};
    }
    auto store = Store::open(cfg->node.data_dir);
    if (!store) return fail("node.data_dir: " + store.error().message);

    chain::RpcClient rpc(std::make_shared<chain::HttpTransport>(cfg->chain.rpc_url));
    chain::EthClient eth(rpc);
    Metrics metrics;
    Backends backends(cfg->backends);
    Engine engine(*cfg, *key, *catalog, **store, eth, metrics);
    engine.serve_language_models(&*lms);
    engine.serve_backends(&backends);
    if (auto s = engine.start(); !s) return fail(s.error().message);

    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);

    std::unique_ptr<Api> api;
    if (cfg->api.host) {
        api = std::make_unique<Api>(*cfg, *key, *catalog, backends, **store, metrics,
                                    ChainStatus{[&] { return engine.head(); }, [&] { return engine.next_block(); }},
                                    lms->models().empty() ? nullptr : &*lms);
        auto port = api->start();
        if (!port) return fail(port.error());
        log_json(LogLevel::info, "api listening", {{"host", *cfg->api.host}, {"port", *port}});
    }
    auto r = engine.run(g_stop);
    if (api) api->stop();
    if (!r) {
        log_json(LogLevel::error, "node stopped", {{"error", r.error().message}});
        return fail(r.error().message);
    }
    log_json(LogLevel::info, "node stopped");
    return {};
}

}  // namespace sigil::node
