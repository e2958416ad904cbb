#include "chain/eth_client.hpp"

#include <algorithm>

namespace sigil::chain {
namespace {

RpcError bad(std::string what) { return RpcError{RpcErrorKind::malformed_response, 0, std::move(what), {}}; }

}  // namespace

Result<std::uint64_t, RpcError> EthClient::chain_id() { return json_u64(SIGIL_TRY(rpc_.call("eth_chainId"))); }

Result<std::uint64_t, RpcError> EthClient::block_number() {
    return json_u64(SIGIL_TRY(rpc_.call("eth_blockNumber")));
}

Result<u256, RpcError> EthClient::get_balance(const Address& who, const BlockId& at) {
    return json_quantity(SIGIL_TRY(rpc_.call("eth_getBalance", Json::array({to_hex(who), at.to_json()}))));
}

Result<u256, RpcError> EthClient::get_transaction_count(const Address& who, const BlockId& at) {
    return json_quantity(SIGIL_TRY(rpc_.call("eth_getTransactionCount", Json::array({to_hex(who), at.to_json()}))));
}

Result<FeeSuggestion, RpcError> EthClient::suggest_fees(const FeeOptions& options) {
    const Json hist = SIGIL_TRY(rpc_.call(
        "eth_feeHistory",
        Json::array({to_hex_quantity(u256(options.blocks)), "latest", Json::array({options.reward_percentile})})));
    if (!hist.is_object() || !hist.contains("baseFeePerGas") || !hist["baseFeePerGas"].is_array() ||
        hist["baseFeePerGas"].empty())
        return fail(bad("eth_feeHistory without baseFeePerGas"));
    // The last entry is the base fee of the next block.
    const u256 next_base = SIGIL_TRY(json_quantity(hist["baseFeePerGas"].back()));
    std::vector<u256> tips;
    if (hist.contains("reward") && hist["reward"].is_array()) {
        for (const auto& row : hist["reward"]) {
            if (!row.is_array() || row.empty()) return fail(bad("eth_feeHistory reward row malformed"));
            tips.push_back(SIGIL_TRY(json_quantity(row[0])));
        }
    }
    u256 tip = options.min_priority_fee;
    if (!tips.empty()) {
        std::sort(tips.begin(), tips.end());
        tip = std::max(tip, tips[tips.size() / 2]);
    }
    return FeeSuggestion{next_base * 2 + tip, tip};
}

Result<u256, RpcError> EthClient::gas_price() { return json_quantity(SIGIL_TRY(rpc_.call("eth_gasPrice"))); }

Result<u256, RpcError> EthClient::estimate_gas(const CallRequest& req) {
    return json_quantity(SIGIL_TRY(rpc_.call("eth_estimateGas", Json::array({req.to_json()}))));
}

Result<Bytes, RpcError> EthClient::call(const CallRequest& req, const BlockId& at) {
    return json_data(SIGIL_TRY(rpc_.call("eth_call", Json::array({req.to_json(), at.to_json()}))));
}

Result<Hash, RpcError> EthClient::send_raw_transaction(BytesView raw) {
    return json_hash(SIGIL_TRY(rpc_.call("eth_sendRawTransaction", Json::array({to_hex(raw)}))));
}

Result<std::optional<Receipt>, RpcError> EthClient::get_transaction_receipt(const Hash& tx) {
    const Json r = SIGIL_TRY(rpc_.call("eth_getTransactionReceipt", Json::array({to_hex(tx)})));
    if (r.is_null()) return std::optional<Receipt>{};
    return std::optional<Receipt>(SIGIL_TRY(json_receipt(r)));
}

Result<bool, RpcError> EthClient::transaction_known(const Hash& tx) {
    const Json r = SIGIL_TRY(rpc_.call("eth_getTransactionByHash", Json::array({to_hex(tx)})));
    return !r.is_null();
}

Result<Receipt, RpcError> EthClient::wait_for_receipt(const Hash& tx, std::chrono::milliseconds timeout,
                                                      std::chrono::milliseconds poll, Clock& clock) {
    const auto deadline = clock.now() + timeout;
    for (;;) {
        auto r = SIGIL_TRY(get_transaction_receipt(tx));
        if (r) return std::move(*r);
        if (clock.now() >= deadline)
            return fail(RpcError{RpcErrorKind::timeout, 0, "no receipt for " + to_hex(tx), {}});
        clock.sleep_for(poll);
    }
}

Result<std::vector<Log>, RpcError> EthClient::get_logs(const LogFilter& filter) {
    const Json arr = SIGIL_TRY(rpc_.call("eth_getLogs", Json::array({filter.to_json()})));
    if (!arr.is_array()) return fail(bad("eth_getLogs result is not an array"));
    std::vector<Log> out;
    out.reserve(arr.size());
    for (const auto& l : arr) out.push_back(SIGIL_TRY(json_log(l)));
    return out;
}

Result<std::optional<BlockHeader>, RpcError> EthClient::get_block(const BlockId& at) {
    const Json b = SIGIL_TRY(rpc_.call("eth_getBlockByNumber", Json::array({at.to_json(), false})));
    if (b.is_null()) return std::optional<BlockHeader>{};
    return std::optional<BlockHeader>(SIGIL_TRY(json_block_header(b)));
}

Result<std::vector<BlockHeader>, RpcError> EthClient::get_blocks(std::uint64_t first, std::uint64_t last) {
    std::vector<RpcRequest> reqs;
    for (std::uint64_t n = first; n <= last; ++n)
        reqs.push_back({"eth_getBlockByNumber", Json::array({BlockId::number(n).to_json(), false})});
    const auto results = SIGIL_TRY(rpc_.batch(reqs));
    std::vector<BlockHeader> out;
    out.reserve(results.size());
    for (const auto& r : results) {
        if (!r) return fail(r.error());
        if (r->is_null()) return fail(RpcError{RpcErrorKind::not_found, 0, "block not found", {}});
        out.push_back(SIGIL_TRY(json_block_header(*r)));
    }
    return out;
}

Result<std::string, RpcError> EthClient::get_code(const Address& who, const BlockId& at) {
    const Json c = SIGIL_TRY(rpc_.call("eth_getCode", Json::array({to_hex(who), at.to_json()})));
    if (!c.is_string()) return fail(bad("eth_getCode result is not a string"));
    return c.get<std::string>();
}

Result<Json, RpcError> EthClient::evm_snapshot() { return rpc_.call("evm_snapshot"); }

Result<bool, RpcError> EthClient::evm_revert(const Json& snapshot_id) {
    const Json r = SIGIL_TRY(rpc_.call("evm_revert", Json::array({snapshot_id})));
    if (!r.is_boolean()) return fail(bad("evm_revert result is not a boolean"));
    return r.get<bool>();
}

Result<void, RpcError> EthClient::anvil_mine(std::uint64_t blocks) {
    SIGIL_TRY(rpc_.call("anvil_mine", Json::array({to_hex_quantity(u256(blocks))})));
    return {};
}

Result<void, RpcError> EthClient::set_automine(bool on) {
    SIGIL_TRY(rpc_.call("evm_setAutomine", Json::array({on})));
    return {};
}

Result<void, RpcError> EthClient::anvil_drop_transaction(const Hash& tx) {
    SIGIL_TRY(rpc_.call("anvil_dropTransaction", Json::array({to_hex(tx)})));
    return {};
}

}  // namespace sigil::chain
