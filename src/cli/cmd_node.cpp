// `sigil node`: the operator daemon (docs/node.md).

#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "node/daemon.hpp"

namespace sigil::cli {

void register_node_commands(CLI::App& app) {
    auto* cmd = app.add_subcommand("node", "Run the operator daemon (docs/node.md)");
    auto opts = std::make_shared<node::DaemonOptions>();
    auto config = std::make_shared<std::string>();
    cmd->add_option("--config", *config, "Configuration file (TOML)")->required();
    cmd->add_flag("--dev-key", opts->dev_key, "Accept operator.private_key (development only)");
    cmd->add_flag("--check", opts->check_only, "Validate the configuration, key and models, then exit");
    cmd->callback([opts, config] {
        opts->config = *config;
        auto r = node::run_daemon(*opts);
        if (!r) throw CliError(r.error());
    });
}

}  // namespace sigil::cli
