#pragma once
/// A throwaway anvil node for integration tests: started on a free loopback port, stopped (and
/// reaped) when the object goes away. Also locates the Foundry tools and the Fixture contract.

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "chain/eth_client.hpp"
#include "chain/keys.hpp"

namespace sigil::itest {

/// Runs a command, returning its stdout (trailing newline removed) and exit status.
struct CommandResult {
    int status = -1;
    std::string out;
};
CommandResult run_command(const std::vector<std::string>& argv);

/// `<source>/contracts/node_modules/.bin/<tool>`.
std::string foundry_tool(const std::string& tool);

/// The creation bytecode of contracts/src/test/Fixture.sol (built with forge if needed).
Bytes fixture_bytecode();

class Anvil {
public:
    Anvil();
    ~Anvil();
    Anvil(const Anvil&) = delete;
    Anvil& operator=(const Anvil&) = delete;

    const std::string& url() const { return url_; }
    chain::EthClient& eth() { return *eth_; }
    /// Default anvil account i (0..9), funded with 10000 ETH.
    static chain::PrivateKey account(int i);

private:
    pid_t pid_ = -1;
    std::string url_;
    std::unique_ptr<chain::RpcClient> rpc_;
    std::unique_ptr<chain::EthClient> eth_;
};

/// The suite's shared node (started on first use, stopped at exit).
Anvil& anvil();

}  // namespace sigil::itest
