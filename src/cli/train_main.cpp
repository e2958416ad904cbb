// `sigil-train`: the model-operation commands (libtorch). Users call them as `sigil <command>`.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>

#include "cli/app.hpp"
#include "cli/commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"sigil: model operations on Fashion-MNIST (libtorch)", "sigil"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "sigil 0.1.0");
    sigil::cli::register_train_commands(app);
    // The forwarding table in `sigil` must name exactly these commands.
    const auto subs = app.get_subcommands([](CLI::App*) { return true; });
    bool same = subs.size() == std::size(sigil::cli::kTrainCommands);
    for (const auto& cmd : sigil::cli::kTrainCommands) {
        same = same && std::any_of(subs.begin(), subs.end(), [&](const CLI::App* s) { return s->get_name() == cmd.name; });
    }
    if (!same) {
        std::cerr << "internal error: kTrainCommands does not match the registered commands\n";
        return EXIT_FAILURE;
    }
    return sigil::cli::run_app(app, argc, argv);
}
