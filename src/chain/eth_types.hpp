#pragma once
/// Ethereum JSON-RPC data types and their strict JSON decoding (quantities as 0x-hex, data as
/// 0x-hex bytes). A field of the wrong shape is a `malformed_response` error, never a crash.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "chain/rpc_client.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/u256.hpp"

namespace sigil::chain {

/// A block by number or by tag ("latest", "pending", "earliest", "safe", "finalized").
struct BlockId {
    std::variant<std::uint64_t, std::string> value = std::string("latest");
    static BlockId latest() { return {std::string("latest")}; }
    static BlockId pending() { return {std::string("pending")}; }
    static BlockId number(std::uint64_t n) { return {n}; }
    Json to_json() const;
};

struct Log {
    Address address{};
    std::vector<Hash> topics;
    Bytes data;
    std::uint64_t block_number = 0;
    Hash block_hash{};
    Hash transaction_hash{};
    std::uint64_t log_index = 0;
    bool removed = false;
};

struct Receipt {
    Hash transaction_hash{};
    bool status = false;  ///< true when the transaction succeeded
    std::uint64_t block_number = 0;
    Hash block_hash{};
    Address from{};
    std::optional<Address> to;
    std::optional<Address> contract_address;
    u256 gas_used = 0;
    u256 effective_gas_price = 0;
    std::vector<Log> logs;
};

struct BlockHeader {
    std::uint64_t number = 0;
    Hash hash{};
    Hash parent_hash{};
    std::uint64_t timestamp = 0;
    std::optional<u256> base_fee;
};

/// An eth_call / eth_estimateGas request.
struct CallRequest {
    std::optional<Address> from;
    std::optional<Address> to;  ///< none for contract creation
    u256 value = 0;
    Bytes data;
    std::optional<u256> gas;
    Json to_json() const;
};

/// An eth_getLogs filter. `topics[i]` empty means "any"; several entries mean "any of".
struct LogFilter {
    std::optional<std::uint64_t> from_block;
    std::optional<std::uint64_t> to_block;
    std::optional<Hash> block_hash;  ///< EIP-234: exclusive with from/to
    std::vector<Address> addresses;
    std::vector<std::vector<Hash>> topics;
    Json to_json() const;
};

/// Strict decoders of JSON-RPC values.
Result<u256, RpcError> json_quantity(const Json& v);
Result<std::uint64_t, RpcError> json_u64(const Json& v);
Result<Bytes, RpcError> json_data(const Json& v);
Result<Hash, RpcError> json_hash(const Json& v);
Result<Address, RpcError> json_address(const Json& v);
Result<Log, RpcError> json_log(const Json& v);
Result<Receipt, RpcError> json_receipt(const Json& v);
Result<BlockHeader, RpcError> json_block_header(const Json& v);

}  // namespace sigil::chain
