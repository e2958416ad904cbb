#include <exception>
#include <iostream>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"sigil: restaking-secured AI model operations", "sigil"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "sigil 0.1.0");
    sigil::cli::register_util_commands(app);
    sigil::cli::register_onnx_commands(app);
    sigil::cli::register_model_commands(app);
#ifdef SIGIL_WITH_TRAIN
    sigil::cli::register_train_commands(app);
#endif
    sigil::cli::register_abi_commands(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const sigil::cli::CliError& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
