#pragma once
/// Ethereum transactions: legacy with EIP-155 replay protection and EIP-1559 (type 2).
/// Encoding, signing hash, signing, raw bytes, and strict decoding with signer recovery.
///
///  - legacy signing payload: rlp([nonce, gasPrice, gas, to, value, data, chainId, 0, 0]),
///    v = chainId * 2 + 35 + yParity (https://eips.ethereum.org/EIPS/eip-155); chain id 0 means a
///    pre-EIP-155 transaction (payload without the last three fields, v = 27 + yParity).
///  - type 2: 0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gas, to, value,
///    data, accessList, yParity, r, s]) (https://eips.ethereum.org/EIPS/eip-1559).

#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "chain/keys.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "core/rlp.hpp"
#include "core/u256.hpp"

namespace sigil::chain {

struct AccessListEntry {
    Address address{};
    std::vector<Hash> storage_keys;
    friend bool operator==(const AccessListEntry&, const AccessListEntry&) = default;
};

struct LegacyTx {
    std::uint64_t chain_id = 1;  ///< 0: no EIP-155 replay protection
    u256 nonce = 0;
    u256 gas_price = 0;
    u256 gas_limit = 0;
    std::optional<Address> to;  ///< none: contract creation
    u256 value = 0;
    Bytes data;
    friend bool operator==(const LegacyTx&, const LegacyTx&) = default;
};

struct Eip1559Tx {
    std::uint64_t chain_id = 1;
    u256 nonce = 0;
    u256 max_priority_fee_per_gas = 0;
    u256 max_fee_per_gas = 0;
    u256 gas_limit = 0;
    std::optional<Address> to;
    u256 value = 0;
    Bytes data;
    std::vector<AccessListEntry> access_list;
    friend bool operator==(const Eip1559Tx&, const Eip1559Tx&) = default;
};

using Transaction = std::variant<LegacyTx, Eip1559Tx>;

/// Every way raw transaction bytes can be refused.
enum class TxError {
    rlp,                  ///< not canonical RLP (see `rlp_error`)
    unsupported_type,     ///< an EIP-2718 type other than 2, or an empty input
    wrong_field_count,    ///< the list has the wrong number of fields
    bad_field,            ///< a field of the wrong shape (address not 20 bytes, list where a string belongs)
    bad_signature,        ///< v/yParity, r or s invalid, or no signer recovers
};
std::string_view to_string(TxError e) noexcept;

struct TxDecodeError {
    TxError error = TxError::rlp;
    std::optional<rlp::RlpError> rlp_error;
};

/// A signed transaction with its network encoding.
struct SignedTx {
    Transaction tx;
    Signature signature;
    Bytes raw;   ///< the bytes eth_sendRawTransaction takes (`cast mktx` output)
    Hash hash{}; ///< keccak256(raw), the transaction hash
};

/// The digest the sender signs.
Hash signing_hash(const Transaction& tx);

/// Signs `tx` (deterministic RFC 6979 signature).
SignedTx sign_transaction(const Transaction& tx, const PrivateKey& key);

/// Network encoding of `tx` with signature `sig`.
Bytes encode_signed(const Transaction& tx, const Signature& sig);

/// Decodes raw bytes (legacy or type 2), strictly.
Result<SignedTx, TxDecodeError> decode_transaction(BytesView raw);

/// The address that signed a decoded transaction.
Result<Address, KeyError> recover_sender(const SignedTx& tx);

}  // namespace sigil::chain
