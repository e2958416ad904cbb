#include "devnet/devnet.hpp"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <thread>

#include "devnet/artifacts.hpp"
#include "devnet/bounties.hpp"
#include "devnet/client.hpp"
#include "devnet/completions.hpp"
#include "devnet/deployer.hpp"
#include "devnet/disputes.hpp"
#include "devnet/process.hpp"

namespace sigil::devnet {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

/// `sigil` in this executable's directory (the devnet runs as sigil-devnet beside it).
fs::path sigil_beside_self() {
    std::error_code ec;
    auto p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path("sigil") : p.parent_path() / "sigil";
}

/// Waits until `url` answers eth_chainId.
std::unique_ptr<Session> connect(const std::string& url, ChildProcess* anvil) {
    const auto until = Clock::now() + std::chrono::seconds(20);
    while (Clock::now() < until) {
        if (anvil != nullptr && !anvil->running()) throw DevnetError("anvil exited at start");
        try {
            return std::make_unique<Session>(url, std::chrono::milliseconds(2000));
        } catch (const DevnetError&) {
        }
        if (!sleep_unless_stopped(std::chrono::milliseconds(100))) throw DevnetError("stopped");
    }
    throw DevnetError("no JSON-RPC node answers at " + url);
}

/// Whether `sigil node` exists in this build (its --help succeeds).
bool node_command_available(const fs::path& sigil, const fs::path& log) {
    ChildProcess p({sigil.string(), "node", "--help"}, log);
    while (p.running()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return p.exit_status() == 0;
}

/// Whether the run has classification requests (else the classifiers are not needed). With
/// `--lm`, `--faulty` alone lies about completions.
bool classifies(const DevnetOptions& o) {
    const auto& w = o.workload;
    return w.singles + w.redundant + w.routed + w.subscription_intervals + o.bounties > 0 ||
           (o.faulty > 0 && o.lm == 0);
}

std::vector<ModelFile> prepare_models(const DevnetOptions& o, const fs::path& dir, std::ostream& out) {
    std::vector<ModelFile> models;
    if (!classifies(o) && o.lm > 0) return models;  // completions only
    for (const auto& p : zoo_models(o.zoo)) models.push_back(load_model(p));
    if (!models.empty()) {
        out << "models: " << models.size() << " from " << o.zoo.string() << "\n";
        return models;
    }
    const fs::path train = (o.sigil.empty() ? sigil_beside_self() : o.sigil).parent_path() / "sigil-train";
    if (!fs::exists(train)) {
        throw DevnetError("no models in " + o.zoo.string() + " and no " + train.string() +
                          " to train one (run scripts/build-zoo.sh, or build with SIGIL_TRAIN=ON)");
    }
    const fs::path cache = o.model_cache.empty() ? dir / "models" : fs::absolute(o.model_cache);
    out << "models: no zoo in " << o.zoo.string() << "; a small MLP trained on Fashion-MNIST (cached in "
        << cache.string() << ")\n";
    const auto start = Clock::now();
    fs::create_directories(cache);
    const auto path = build_quick_model(train, cache, cache / "train.log");
    out << "  ready in " << std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start).count() << " s\n";
    models.push_back(load_model(path));
    return models;
}

}  // namespace

fs::path find_anvil() {
    const fs::path local = contracts_dir() / "node_modules" / ".bin" / "anvil";
    if (fs::exists(local)) return local;
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path != nullptr ? path : "");
    std::string d;
    while (std::getline(dirs, d, ':')) {
        if (!d.empty() && fs::exists(fs::path(d) / "anvil")) return fs::path(d) / "anvil";
    }
    return {};
}

int run_devnet(const DevnetOptions& o, std::ostream& out) {
    install_stop_handlers();
    if (o.operators == 0) throw DevnetError("--operators must be at least 1");
    if (o.workload.redundant > 0 && o.operators < 3) throw DevnetError("k = 3 requests need at least 3 operators");
    const fs::path dir = fs::absolute(o.dir);
    fs::create_directories(dir);

    // The chain. Children are declared before use so they stop in reverse order: nodes, then anvil.
    std::unique_ptr<ChildProcess> anvil;
    std::string url = o.rpc_url;
    if (url.empty()) {
        const fs::path bin = find_anvil();
        if (bin.empty()) throw DevnetError("no anvil (contracts/node_modules/.bin/anvil or PATH); run scripts/setup.sh");
        const int port = free_port();
        anvil = std::make_unique<ChildProcess>(
            // No state snapshots on disk: anvil leaves them behind in ~/.foundry/anvil/tmp.
            std::vector<std::string>{bin.string(), "--port", std::to_string(port), "--host", "127.0.0.1", "--silent",
                                     "--max-persisted-states", "0"},
            dir / "anvil.log");
        url = "http://127.0.0.1:" + std::to_string(port);
    }
    auto session = connect(url, anvil.get());
    Session& s = *session;
    out << "chain: " << url << " (chain id " << s.chain_id() << ")\n";

    auto models = prepare_models(o, dir, out);
    std::optional<LanguageModelFile> lm;
    if (o.lm > 0) {
        lm = load_language_model(o.lm_dir.empty() ? o.zoo / "wordnet-lm" : fs::absolute(o.lm_dir));
        out << "language model: " << lm->model.name << ", decode-step program " << to_hex(lm->model.root) << "\n";
        models.push_back(lm->model);
    }
    const auto owner_key = devnet_key("owner");
    fund_eth(s, owner_key.address(), u256(1000) * kWad);
    Signer owner(s, owner_key);
    DeployParams dp;
    dp.challenge_window = o.workload.challenge_window;
    const auto t0 = Clock::now();
    const Deployment d = deploy_stack(owner, dp);
    d.save(dir / "deployment.json");
    out << "deployed: coordinator " << to_hex(d.coordinator) << ", deployment in " << (dir / "deployment.json").string()
        << "\n";
    WorldParams wp = o.world;
    wp.operators = o.operators;
    const World w = build_world(owner, d, wp, models);
    out << "world: " << w.operators.size() << " operators with " << wp.delegators_per_operator
        << " delegators each, " << w.models.size() << " model(s) by " << to_hex(w.creator.address) << " ("
        << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count() << " ms)\n";
    for (const auto& m : w.models) out << "  model " << m.name << " " << to_hex(m.root) << "\n";

    std::vector<std::unique_ptr<ChildProcess>> nodes;
    const fs::path sigil = o.sigil.empty() ? sigil_beside_self() : o.sigil;
    bool have_nodes = false;
    if (!o.setup_only) {
        have_nodes = node_command_available(sigil, dir / "node-help.log");
        for (std::size_t i = 0; i < w.operators.size(); ++i) {
            const auto& op = w.operators[i];
            const fs::path ndir = dir / ("node-" + std::to_string(i));
            const fs::path data = fresh_data_dir(ndir);
            const fs::path cfg = ndir / "node.toml";
            std::ofstream(cfg) << node_config(d, w, op, data);
            if (have_nodes) {
                nodes.push_back(std::make_unique<ChildProcess>(
                    std::vector<std::string>{sigil.string(), "node", "--config", cfg.string(), "--dev-key"},
                    ndir / "node.log"));
            }
        }
        if (!have_nodes) out << "nodes: `" << sigil.string() << " node` is not available in this build; configs written\n";
    }
    // The router: bonded in the RouterRegistry, then `sigil router` following the registries.
    std::optional<RouterInfo> router_info;
    std::unique_ptr<ChildProcess> router;
    if (o.routing) {
        router_info = setup_router(owner, d, o.router, free_port());
        router_info->save(dir / "router.json");
        out << "router: registry " << to_hex(router_info->registry) << ", router "
            << to_hex(router_info->router.address) << " bonded " << format_units(o.router.bond) << " stETH\n";
        if (!o.setup_only) {
            router = std::make_unique<ChildProcess>(router_command(sigil, d, *router_info, url, o.router.poll_ms),
                                                    dir / "router.log");
            wait_for_router(router_info->url, w.operators.size(), std::chrono::seconds(20),
                            [&] { return router->running(); });
        }
    }
    out << "endpoints:\n  rpc        " << url << "\n";
    if (router) out << "  router     " << router_info->url << "  (POST /route, GET /operators)\n";
    for (std::size_t i = 0; i < w.operators.size(); ++i) {
        out << "  operator " << i << " " << to_hex(w.operators[i].self.address) << "  " << w.operators[i].endpoint
            << "  (config " << (dir / ("node-" + std::to_string(i)) / "node.toml").string() << ")\n";
    }
    out << "  try: sigil operator status " << to_hex(w.operators[0].self.address) << " --rpc-url " << url
        << " --deployment " << (dir / "deployment.json").string() << "\n";

    int code = 0;
    if (!o.setup_only) {
        if (!have_nodes) throw DevnetError("cannot drive the workload without `sigil node`");
        WorkloadParams wl = o.workload;
        if (router) {
            wl.router_url = router_info->url;
            wl.router_registry = router_info->registry;
        }
        bool ok = true;
        if (classifies(o)) {
            const Summary sum = run_workload(owner, d, w, wl, out);
            out << "\nsummary\n" << sum.to_text();
            if (!o.summary_json.empty()) std::ofstream(o.summary_json) << sum.to_json().dump(2) << '\n';
            ok = sum.all_correct() && sum.escrow_paid_out;
        }
        if (lm) {
            const CompletionSummary cs =
                run_completions(owner, d, w, *lm, o.lm, o.lm_max_tokens,
                                std::chrono::duration_cast<std::chrono::seconds>(o.workload.timeout), out);
            out << "\n" << cs.to_text();
            std::ofstream(dir / "completions.json") << cs.to_json().dump(2) << '\n';
            ok = ok && cs.all_correct();
            if (o.faulty > 0) {
                const CompletionDisputeSummary cd =
                    run_completion_disputes(owner, d, w, *lm, o.faulty, o.lm_max_tokens, dir, sigil, out);
                out << "\n" << cd.to_text();
                std::ofstream(dir / "completion_disputes.json") << cd.to_json().dump(2) << '\n';
                ok = ok && cd.all_caught();
            }
        }
        if (o.faulty > 0 && classifies(o)) {
            const DisputeSummary ds = run_disputes(owner, d, w, o.faulty, dir, sigil, out);
            out << "\n" << ds.to_text();
            std::ofstream(dir / "disputes.json") << ds.to_json().dump(2) << '\n';
            ok = ok && ds.all_caught();
        }
        if (o.bounties > 0) {
            const BountySummary bs = run_bounties(owner, d, w, o.bounties, dir, sigil, out);
            out << "\n" << bs.to_text();
            std::ofstream(dir / "bounties.json") << bs.to_json().dump(2) << '\n';
            ok = ok && bs.all_paid();
        }
        code = ok ? 0 : 1;
    }
    if (o.once) return code;
    out << "running; Ctrl-C stops anvil and the nodes\n" << std::flush;
    while (sleep_unless_stopped(std::chrono::milliseconds(500))) {
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            if (nodes[i] && !nodes[i]->running()) {
                out << "node " << i << " exited (status " << nodes[i]->exit_status() << "); see its node.log\n";
                nodes[i].reset();
            }
        }
        if (router && !router->running()) {
            out << "router exited (status " << router->exit_status() << "); see router.log\n";
            router.reset();
        }
        if (anvil && !anvil->running()) {
            out << "anvil exited\n";
            return 1;
        }
    }
    out << "stopping\n";
    return code;
}

}  // namespace sigil::devnet
