#pragma once
/// Registration of the `sigil` command groups. Each group adds its subcommands to the app and
/// reports failures by throwing `CliError`, which main() prints as one line and exits non-zero.

#include <CLI/CLI.hpp>
#include <stdexcept>
#include <string>

#include "chain/key_source.hpp"

namespace sigil::cli {

/// A user-facing failure: printed as `error: <message>` with exit code 1.
struct CliError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// --private-key, --keystore, --password-file and --password into `src` (every signing command).
void add_key_options(CLI::App* cmd, chain::KeySource& src);

void register_util_commands(CLI::App& app);    // keccak
void register_abi_commands(CLI::App& app);     // abi encode|decode, calldata, sig, sig-event, decode-error
void register_wallet_commands(CLI::App& app);  // wallet new|address|sign|sign-typed-data|verify|decrypt-keystore
void register_tx_commands(CLI::App& app);      // tx sign|decode
void register_rpc_commands(CLI::App& app);     // chain-id, block-number, balance, nonce, receipt, logs, call, send
void register_onnx_commands(CLI::App& app);    // onnx conformance
void register_model_commands(CLI::App& app);   // model import|inspect|run
void register_lm_commands(CLI::App& app);      // lm generate
void register_node_commands(CLI::App& app);    // node (the operator daemon)
void register_challenger_commands(CLI::App& app);  // challenger (standalone challenger daemon)
void register_stake_commands(CLI::App& app);       // operator ..., stake ..., rewards claim, verifier ...
void register_router_commands(CLI::App& app);  // router (routing service)
void register_claim_commands(CLI::App& app);   // claim verify|adopt (signed off-chain claims)

/// The model-operation commands live in a second executable, `sigil-train`, because libtorch makes
/// every process that links it slow to start; `sigil` hands these commands over to it.
void register_train_commands(CLI::App& app);  // defined in cmd_train.cpp, linked into sigil-train only

/// A command `sigil` hands over to a second executable in its directory.
struct ForwardedCommand {
    const char* name;
    const char* help;
};
inline constexpr ForwardedCommand kTrainCommands[] = {
    {"train", "Train an MLP or CNN on Fashion-MNIST (float, libtorch)"},
    {"finetune", "Adapt a trained model: more classes (--classes) or a shifted input (--shift)"},
    {"distill", "Train a smaller student from a teacher with a distillation loss"},
    {"quantize", "Quantize a float ONNX model into a verifiable int8 .sigil program"},
    {"eval", "Accuracy, per-class accuracy, confusion matrix and evaluation record"},
    {"export-onnx", "Export a checkpoint's model to ONNX (opset 13)"},
};
/// `sigil lm <name>` commands that also live in sigil-train (`sigil lm generate` does not).
void register_train_lm_commands(CLI::App& app);  // defined in cmd_lm_train.cpp, linked into sigil-train only
inline constexpr const char* kTrainLmGroup = "lm";
inline constexpr ForwardedCommand kTrainLmCommands[] = {
    {"train", "Train Sigil's GPT-2-architecture language model on WordNet's glosses (float, libtorch)"},
    {"eval", "Held-out perplexity and next-token agreement of a float checkpoint and its int8 program"},
};

/// The local devnet lives in `sigil-devnet`, so that the production commands (node, router,
/// operator, stake, ...) do not link the devnet's orchestration code.
void register_devnet_commands(CLI::App& app);  // defined in cmd_devnet.cpp, linked into sigil-devnet only
inline constexpr ForwardedCommand kDevnetCommands[] = {
    {"devnet",
     "Start a local Sigil network: anvil, every contract, staked operators and their nodes; drive a workload"},
};

}  // namespace sigil::cli
