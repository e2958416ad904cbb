// `sigil devnet`: a local Sigil network (anvil, the contracts, staked operators, nodes) driven by
// the example consumer, with a summary read back from the chain.
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "devnet/devnet.hpp"
#include "devnet/client.hpp"

namespace sigil::cli {

void register_devnet_commands(CLI::App& app) {
    struct Opts {
        devnet::DevnetOptions d;
        std::string dir, zoo, summary, sigil, model_cache;
        unsigned timeout_s = 120;
    };
    auto o = std::make_shared<Opts>();
    o->dir = "build/devnet";
    o->zoo = std::string(SIGIL_SOURCE_DIR_CLI) + "/build/zoo";
    auto* cmd = app.add_subcommand("devnet",
                                   "Start a local Sigil network: anvil, every contract, staked operators and their "
                                   "nodes; drive the FashionClassifier workload and print the on-chain summary");
    cmd->add_option("--operators", o->d.operators, "Operators (each with its own node)")->capture_default_str();
    cmd->add_flag("--once", o->d.once, "Exit after the summary (stopping anvil and the nodes)");
    cmd->add_flag("--setup-only", o->d.setup_only, "Deploy and stake only: no nodes, no workload");
    cmd->add_option("--rpc-url", o->d.rpc_url, "Use this anvil-compatible node instead of starting anvil");
    cmd->add_option("--dir", o->dir, "Working directory (deployment.json, node configs, logs)")->capture_default_str();
    cmd->add_option("--zoo", o->zoo, "Directory of .sigil models (scripts/build-zoo.sh)")->capture_default_str();
    cmd->add_option("--model-cache", o->model_cache, "Where the small model is trained when there is no zoo (default: DIR/models)");
    cmd->add_option("--summary-json", o->summary, "Also write the summary as JSON here");
    cmd->add_option("--sigil", o->sigil, "The sigil binary that runs `node` (default: this one)");
    cmd->add_option("--singles", o->d.workload.singles, "Single (k = 1) requests")->capture_default_str();
    cmd->add_option("--redundant", o->d.workload.redundant, "k = 3 requests")->capture_default_str();
    cmd->add_option("--routed", o->d.workload.routed,
                    "Requests routed through the router (POST /route + requestRouted)")
        ->capture_default_str();
    cmd->add_option("--routed-window", o->d.workload.routed_window, "Seconds the assigned node has alone")
        ->capture_default_str();
    cmd->add_flag("--no-routing{false}", o->d.routing, "No router: the workload requests without assignments");
    cmd->add_option("--intervals", o->d.workload.subscription_intervals, "Subscription intervals")->capture_default_str();
    cmd->add_option("--faulty", o->d.faulty,
                    "After the workload: this many requests answered by a lying operator and disputed by a "
                    "challenger node (the summary reports each game)")
        ->capture_default_str();
    cmd->add_option("--bounties", o->d.bounties,
                    "Then: this many requests with a full-check verification bounty, re-executed and attested "
                    "by a verifier node that earns the fees (the summary reports each bounty)")
        ->capture_default_str();
    cmd->add_option("--lm", o->d.lm,
                    "Then: this many text completions from the example TextOracle to the language model "
                    "(alternately k = 1 and k = 3), each checked token for token")
        ->capture_default_str();
    cmd->add_option("--lm-dir", o->d.lm_dir, "The language model's lm.sigil and vocab.json (default: ZOO/wordnet-lm)");
    cmd->add_option("--lm-max-tokens", o->d.lm_max_tokens, "Tokens per completion at most")->capture_default_str();
    cmd->add_option("--timeout", o->timeout_s, "Seconds to wait for all callbacks")->capture_default_str();
    cmd->callback([o] {
        o->d.dir = o->dir;
        o->d.zoo = o->zoo;
        o->d.summary_json = o->summary;
        o->d.sigil = o->sigil;
        o->d.model_cache = o->model_cache;
        o->d.workload.timeout = std::chrono::seconds(o->timeout_s);
        int code = 0;
        try {
            code = devnet::run_devnet(o->d, std::cout);
        } catch (const devnet::DevnetError& e) {
            throw CliError(std::string("devnet: ") + e.what());
        }
        if (code != 0) throw CliError("devnet: the workload did not complete correctly (see the summary)");
    });
}

}  // namespace sigil::cli
