#pragma once
/// `sigil devnet`: a whole Sigil network on one machine. Starts anvil (or uses a given node),
/// deploys the stack, creates stakers, operators and a model creator, registers the models,
/// writes node configurations and starts one `sigil node` per operator, drives the example
/// consumer's workload, prints the summary read back from the chain, then keeps running with the
/// endpoints listed (or exits with `once`). SIGINT/SIGTERM stop every process it started.

#include <filesystem>
#include <iosfwd>
#include <string>

#include "devnet/routing.hpp"
#include "devnet/workload.hpp"
#include "devnet/world.hpp"

namespace sigil::devnet {

struct DevnetOptions {
    unsigned operators = 3;
    bool once = false;
    bool setup_only = false;      ///< deploy and set up the world; no nodes, no workload
    std::string rpc_url;          ///< use this (anvil-compatible) node instead of starting anvil
    std::filesystem::path dir;    ///< working directory: deployment.json, node configs, logs
    std::filesystem::path zoo;    ///< directory of .sigil models (default: build/zoo of the source tree)
    std::filesystem::path model_cache;  ///< where the quick model is trained when there is no zoo (default: dir/models)
    std::filesystem::path summary_json;  ///< also write the summary here
    std::filesystem::path sigil;  ///< the sigil binary that runs `node` (default: `sigil` beside this executable)
    unsigned faulty = 0;          ///< after the workload: this many lies, caught by a challenger node
    unsigned bounties = 0;        ///< then: this many requests with a verification bounty, attested by a verifier
    unsigned lm = 0;              ///< then: this many completions of the language model (completions.hpp)
    std::filesystem::path lm_dir;  ///< lm.sigil and vocab.json (default: zoo/wordnet-lm)
    std::uint32_t lm_max_tokens = 24;
    WorkloadParams workload;
    WorldParams world;
    bool routing = true;  ///< a bonded router and `sigil router`; routed requests in the workload
    RouterParams router;
};

/// Runs the devnet; returns the process exit code (with `once`: 0 when every request was
/// answered correctly and the escrow was paid out). Progress and the summary go to `out`.
int run_devnet(const DevnetOptions& options, std::ostream& out);

/// The anvil binary: contracts/node_modules/.bin/anvil, else `anvil` on PATH (empty if none).
std::filesystem::path find_anvil();

}  // namespace sigil::devnet
