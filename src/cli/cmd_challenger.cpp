// `sigil challenger`: a standalone challenger daemon (docs/node.md, "sigil challenger"). It runs
// the node's engine and dispute agents with the challenger's configuration file: no operator
// registration, no requests served, every (or a sampled share of the) posted claims re-executed,
// wrong ones disputed and played to the end.

#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "node/daemon.hpp"

namespace sigil::cli {

void register_challenger_commands(CLI::App& app) {
    auto* cmd = app.add_subcommand("challenger", "Run a standalone challenger: re-execute claims, dispute wrong ones (docs/node.md)");
    auto opts = std::make_shared<node::DaemonOptions>();
    opts->profile = node::ConfigProfile::challenger;
    auto config = std::make_shared<std::string>();
    cmd->add_option("--config", *config, "Configuration file (TOML)")->required();
    cmd->add_flag("--dev-key", opts->dev_key, "Accept account.private_key (development only)");
    cmd->add_flag("--check", opts->check_only, "Validate the configuration, key and models, then exit");
    cmd->callback([opts, config] {
        opts->config = *config;
        auto r = node::run_daemon(*opts);
        if (!r) throw CliError(r.error());
    });
}

}  // namespace sigil::cli
