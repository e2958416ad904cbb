#pragma once
/// Typed Ethereum JSON-RPC methods over `RpcClient`, plus the anvil helpers tests use.
/// Thread-safe (it holds no mutable state of its own).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chain/clock.hpp"
#include "chain/eth_types.hpp"
#include "chain/rpc_client.hpp"

namespace sigil::chain {

/// EIP-1559 fee caps for the next block.
struct FeeSuggestion {
    u256 max_fee_per_gas = 0;
    u256 max_priority_fee_per_gas = 0;
};

struct FeeOptions {
    std::uint64_t blocks = 10;        ///< eth_feeHistory window
    double reward_percentile = 50.0;  ///< percentile of priority fees paid in the window
    u256 min_priority_fee = 1;        ///< floor for the tip (wei)
};

class EthClient {
public:
    explicit EthClient(RpcClient& rpc) : rpc_(rpc) {}

    RpcClient& rpc() { return rpc_; }

    Result<std::uint64_t, RpcError> chain_id();
    Result<std::uint64_t, RpcError> block_number();
    Result<u256, RpcError> get_balance(const Address& who, const BlockId& at = BlockId::latest());
    /// The account's nonce as of `at`; `BlockId::pending()` counts the node's pending transactions.
    Result<u256, RpcError> get_transaction_count(const Address& who, const BlockId& at = BlockId::latest());
    /// maxPriorityFee = the window's median tip (at least `min_priority_fee`);
    /// maxFee = 2 * next base fee + maxPriorityFee (survives six full blocks of base fee growth).
    Result<FeeSuggestion, RpcError> suggest_fees(const FeeOptions& options = {});
    Result<u256, RpcError> gas_price();
    Result<u256, RpcError> estimate_gas(const CallRequest& req);
    /// eth_call; a revert is `execution_reverted` with the revert data.
    Result<Bytes, RpcError> call(const CallRequest& req, const BlockId& at = BlockId::latest());
    Result<Hash, RpcError> send_raw_transaction(BytesView raw);
    /// The receipt, or nothing while the transaction is pending or unknown.
    Result<std::optional<Receipt>, RpcError> get_transaction_receipt(const Hash& tx);
    /// Whether the node knows the transaction (pending or mined); false once it was dropped.
    Result<bool, RpcError> transaction_known(const Hash& tx);
    /// Polls for the receipt until `timeout` (then a `timeout` error).
    Result<Receipt, RpcError> wait_for_receipt(const Hash& tx, std::chrono::milliseconds timeout,
                                               std::chrono::milliseconds poll = std::chrono::milliseconds(100),
                                               Clock& clock = system_clock());
    Result<std::vector<Log>, RpcError> get_logs(const LogFilter& filter);
    /// The header, or nothing when no such block exists yet.
    Result<std::optional<BlockHeader>, RpcError> get_block(const BlockId& at);
    /// Several headers in one batch request (missing blocks are `not_found`).
    Result<std::vector<BlockHeader>, RpcError> get_blocks(std::uint64_t first, std::uint64_t last);
    Result<std::string, RpcError> get_code(const Address& who, const BlockId& at = BlockId::latest());

    // anvil / hardhat test helpers
    Result<Json, RpcError> evm_snapshot();
    Result<bool, RpcError> evm_revert(const Json& snapshot_id);
    Result<void, RpcError> anvil_mine(std::uint64_t blocks = 1);
    Result<void, RpcError> set_automine(bool on);
    Result<void, RpcError> anvil_drop_transaction(const Hash& tx);

private:
    RpcClient& rpc_;
};

}  // namespace sigil::chain
