#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "cli/app.hpp"
#include "cli/commands.hpp"

namespace {

/// Replaces this process with `program` from the same directory. Returns only when that fails.
int forward_to(const char* program, char** argv, const char* hint) {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::string target = (ec ? std::filesystem::path(argv[0]) : self).parent_path() / program;
    execv(target.c_str(), argv);
    std::cerr << "error: cannot run " << target << ": " << std::strerror(errno) << hint << "\n";
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1) {
        for (const auto& cmd : sigil::cli::kTrainCommands) {
            if (std::strcmp(argv[1], cmd.name) == 0) {
                return forward_to("sigil-train", argv, " (build with SIGIL_TRAIN=ON for the model-operation commands)");
            }
        }
        if (argc > 2 && std::strcmp(argv[1], sigil::cli::kTrainLmGroup) == 0) {
            for (const auto& cmd : sigil::cli::kTrainLmCommands) {
                if (std::strcmp(argv[2], cmd.name) == 0) {
                    return forward_to("sigil-train", argv,
                                      " (build with SIGIL_TRAIN=ON for the model-operation commands)");
                }
            }
        }
        for (const auto& cmd : sigil::cli::kDevnetCommands) {
            if (std::strcmp(argv[1], cmd.name) == 0) return forward_to("sigil-devnet", argv, "");
        }
    }
    CLI::App app{"sigil: restaking-secured AI model operations", "sigil"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "sigil 0.1.0");
    sigil::cli::register_util_commands(app);
    sigil::cli::register_abi_commands(app);
    sigil::cli::register_wallet_commands(app);
    sigil::cli::register_tx_commands(app);
    sigil::cli::register_rpc_commands(app);
    sigil::cli::register_onnx_commands(app);
    sigil::cli::register_model_commands(app);
    sigil::cli::register_lm_commands(app);
    sigil::cli::register_node_commands(app);
    sigil::cli::register_challenger_commands(app);
    sigil::cli::register_stake_commands(app);
    sigil::cli::register_router_commands(app);
    sigil::cli::register_claim_commands(app);
    // Listed for --help; never reached, main() forwards them before parsing.
    for (const auto& cmd : sigil::cli::kDevnetCommands) app.add_subcommand(cmd.name, cmd.help)->allow_extras();
    for (const auto& cmd : sigil::cli::kTrainCommands) app.add_subcommand(cmd.name, cmd.help)->allow_extras();
    return sigil::cli::run_app(app, argc, argv);
}
