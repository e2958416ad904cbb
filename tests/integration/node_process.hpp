#pragma once
/// Runs the real `sigil node` (or `sigil challenger`) binary as a child process for the node's integration tests:
/// writes its configuration, starts it, stops it gently or with SIGKILL.

#include <sys/types.h>

#include <filesystem>
#include <string>

#include "chain/keys.hpp"
#include "node_avs.hpp"

namespace sigil::itest {

struct NodeSetup {
    std::filesystem::path dir;      ///< config, data_dir and log live here
    std::filesystem::path program;  ///< .sigil file
    std::string min_price = "1";
    std::uint64_t confirmations = 0;
    std::uint64_t start_block = 0;  ///< first block the node watches
    bool api = true;
    std::uint32_t rate_limit = 1000;
    std::string extra_toml;  ///< appended to the configuration ([challenger], [fault] tables)
    std::string command = "node";  ///< the sigil subcommand: "node" or "challenger"
    std::string config_text;       ///< when set, the whole configuration file (nothing generated)
};

class NodeProcess {
public:
    NodeProcess(const Anvil& node, const AvsDeployment& d, const chain::PrivateKey& key, NodeSetup setup);
    ~NodeProcess();
    NodeProcess(const NodeProcess&) = delete;
    NodeProcess& operator=(const NodeProcess&) = delete;

    /// Starts the binary; waits for the API port when the API is on.
    void start();
    /// SIGTERM and wait.
    void stop();
    /// SIGKILL and wait.
    void kill9();
    bool running() const { return pid_ > 0; }
    std::uint16_t api_port() const { return port_; }
    const std::filesystem::path& log_file() const { return log_; }
    const std::filesystem::path& config_file() const { return config_; }

private:
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    bool api_ = true;  ///< start() waits for "api listening", else for "node started"
    std::filesystem::path config_;
    std::filesystem::path log_;
    std::string command_;
};

/// A .sigil program for the tests: the 784-1024-1024-10 sample MLP (seeded weights).
std::filesystem::path write_test_program(const std::filesystem::path& dir);

/// GET/POST on 127.0.0.1:`port`; returns status and body.
struct HttpReply {
    int status = 0;
    std::string body;
};
HttpReply http_get(std::uint16_t port, const std::string& path);
HttpReply http_post(std::uint16_t port, const std::string& path, const std::string& body);

}  // namespace sigil::itest
