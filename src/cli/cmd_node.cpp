// `sigil node`: the operator daemon, and `sigil challenger`: a standalone challenger daemon
// (docs/node.md). The challenger runs the node's engine and dispute agents with the challenger's
// configuration file: no operator registration, no requests served, every (or a sampled share of
// the) posted claims re-executed, wrong ones disputed and played to the end; or, with
// `[challenger] mode = "bounty"`, a ProofMarket verifier that re-executes the claims it is drawn
// for, attests or disputes them and collects the fees (both commands accept the mode).

#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "node/daemon.hpp"

namespace sigil::cli {
namespace {

void add_daemon_command(CLI::App& app, const char* name, const char* about, node::ConfigProfile profile,
                        const char* key_help) {
    auto* cmd = app.add_subcommand(name, about);
    auto opts = std::make_shared<node::DaemonOptions>();
    opts->profile = profile;
    auto config = std::make_shared<std::string>();
    cmd->add_option("--config", *config, "Configuration file (TOML)")->required();
    cmd->add_flag("--dev-key", opts->dev_key, key_help);
    cmd->add_flag("--check", opts->check_only, "Validate the configuration, key and models, then exit");
    cmd->callback([opts, config] {
        opts->config = *config;
        auto r = node::run_daemon(*opts);
        if (!r) throw CliError(r.error());
    });
}

}  // namespace

void register_node_commands(CLI::App& app) {
    add_daemon_command(app, "node", "Run the operator daemon (docs/node.md)", node::ConfigProfile::node,
                       "Accept operator.private_key (development only)");
}

void register_challenger_commands(CLI::App& app) {
    add_daemon_command(app, "challenger",
                       "Run a standalone challenger: re-execute claims (all, sampled, or the ProofMarket bounties it is "
                       "drawn for), attest or dispute them (docs/node.md)",
                       node::ConfigProfile::challenger, "Accept account.private_key (development only)");
}

}  // namespace sigil::cli
