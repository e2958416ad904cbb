// `sigil-train`: the model-operation commands (libtorch). Users call them as `sigil <command>`.
#include "cli/forwarded_main.hpp"

int main(int argc, char** argv) {
    return sigil::cli::forwarded_main(
        argc, argv, "sigil: model operations (libtorch)",
        [](CLI::App& app) {
            sigil::cli::register_train_commands(app);
            sigil::cli::register_train_lm_commands(app);
        },
        sigil::cli::kTrainCommands, sigil::cli::kTrainLmGroup, sigil::cli::kTrainLmCommands);
}
