#pragma once
/// Registration of the `sigil` command groups. Each group adds its subcommands to the app and
/// reports failures by throwing `CliError`, which main() prints as one line and exits non-zero.

#include <CLI/CLI.hpp>
#include <stdexcept>
#include <string>

namespace sigil::cli {

/// A user-facing failure: printed as `error: <message>` with exit code 1.
struct CliError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void register_util_commands(CLI::App& app);  // keccak, ...
void register_onnx_commands(CLI::App& app);  // onnx conformance
void register_model_commands(CLI::App& app);  // model import/inspect/run
#ifdef SIGIL_WITH_TRAIN
void register_train_commands(CLI::App& app);  // train, finetune, distill, eval, export-onnx
#endif
void register_abi_commands(CLI::App& app);   // abi encode|decode, calldata, sig, sig-event, decode-error

}  // namespace sigil::cli
