#pragma once
/// `sigil node` and `sigil challenger`: loads and validates the configuration, opens the store, connects to the chain,
/// starts the API and runs the engine until SIGINT/SIGTERM.

#include <filesystem>
#include <string>

#include "core/result.hpp"
#include "node/config.hpp"

namespace sigil::node {

struct DaemonOptions {
    std::filesystem::path config;
    bool dev_key = false;   ///< allow operator.private_key
    bool check_only = false; ///< validate the configuration, load key and models, then exit
    /// `sigil challenger`: the challenger's configuration file, no API; the same engine, store
    /// and dispute agents as the node, serving no requests.
    ConfigProfile profile = ConfigProfile::node;
};

/// Runs the node; returns an error line (`<key>: <reason>`) for a refused start or a fatal
/// failure. A clean stop by signal returns success.
Result<void, std::string> run_daemon(const DaemonOptions& options);

}  // namespace sigil::node
