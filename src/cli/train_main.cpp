// `sigil-train`: the model-operation commands (libtorch). Users call them as `sigil <command>`.
#include "cli/forwarded_main.hpp"

int main(int argc, char** argv) {
    return sigil::cli::forwarded_main(argc, argv, "sigil: model operations on Fashion-MNIST (libtorch)",
                                      &sigil::cli::register_train_commands, sigil::cli::kTrainCommands);
}
