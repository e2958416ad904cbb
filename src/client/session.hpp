#pragma once
/// A connection to one chain plus signing accounts: contract calls by signature with cast-style
/// argument text (or ABI values), deployments, and reverts decoded with the contracts' own error
/// signatures. The layer the restaking CLI commands and every devnet step go through.
///
/// Errors: every failure throws `ClientError` with one line for users (the CLI prints it).

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "chain/eth_client.hpp"
#include "chain/keys.hpp"
#include "chain/nonce_manager.hpp"
#include "chain/sender.hpp"
#include "core/abi.hpp"

namespace sigil::client {

/// A failure of a call, transaction or argument, as one line.
struct ClientError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// One JSON-RPC endpoint.
class Session {
public:
    /// Connects to `url` and reads its chain id (throws when the node does not answer).
    explicit Session(const std::string& url, std::chrono::milliseconds timeout = std::chrono::milliseconds(30'000));
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    chain::EthClient& eth() { return eth_; }
    chain::RpcClient& rpc() { return rpc_; }
    std::uint64_t chain_id() const noexcept { return chain_id_; }
    const std::string& url() const noexcept { return url_; }

    /// eth_call of `sig` (e.g. "balanceOf(address)(uint256)") on `to`; returns the decoded outputs.
    std::vector<abi::Value> call(const Address& to, std::string_view sig, const std::vector<std::string>& args) const;
    std::vector<abi::Value> call_values(const Address& to, std::string_view sig,
                                        const std::vector<abi::Value>& args) const;
    /// The first output of `call` as an unsigned integer / address / bool.
    u256 call_uint(const Address& to, std::string_view sig, const std::vector<std::string>& args) const;
    Address call_address(const Address& to, std::string_view sig, const std::vector<std::string>& args) const;
    bool call_bool(const Address& to, std::string_view sig, const std::vector<std::string>& args) const;

    /// Latest block's timestamp; anvil time travel (evm_increaseTime + one mined block).
    std::uint64_t timestamp();
    void advance_time(std::uint64_t seconds);
    void mine(std::uint64_t blocks = 1);

private:
    std::string url_;
    mutable chain::RpcClient rpc_;
    mutable chain::EthClient eth_;
    std::uint64_t chain_id_ = 0;
};

/// Sends transactions from one key. Not thread-safe.
class Signer {
public:
    Signer(Session& session, const chain::PrivateKey& key);
    Signer(const Signer&) = delete;
    Signer& operator=(const Signer&) = delete;

    const Address& address() const noexcept { return sender_->address(); }
    Session& session() noexcept { return session_; }

    /// Calls `sig` on `to` with cast-syntax `args`; waits for a successful receipt.
    chain::Receipt send(const Address& to, std::string_view sig, const std::vector<std::string>& args,
                        const u256& value = 0);
    chain::Receipt send_values(const Address& to, std::string_view sig, const std::vector<abi::Value>& args,
                               const u256& value = 0);
    chain::Receipt send_data(const std::optional<Address>& to, Bytes data, const u256& value = 0);
    /// Deploys `code` with constructor `ctor` (e.g. "constructor(address,uint32)") and its args.
    Address deploy(const Bytes& code, std::string_view ctor = "", const std::vector<abi::Value>& args = {});

private:
    Session& session_;
    std::unique_ptr<chain::NonceManager> nonces_;
    std::unique_ptr<chain::Sender> sender_;
};

/// Calldata of `sig` with cast-syntax arguments (throws ClientError naming the bad argument).
Bytes encode_call(std::string_view sig, const std::vector<std::string>& args);
Bytes encode_call_values(std::string_view sig, const std::vector<abi::Value>& args);

/// One line for a failed RPC call; reverts are decoded with every error the contracts declare.
std::string describe_rpc_error(const chain::RpcError& e);

/// Parses an address argument; throws ClientError "invalid <what> '<text>': <reason>".
Address parse_address_arg(const std::string& text, std::string_view what);
/// Parses a token amount ("1000", "1.5ether", "2e18"); throws ClientError naming `what`.
u256 parse_amount_arg(const std::string& text, std::string_view what);

}  // namespace sigil::client
