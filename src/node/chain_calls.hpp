#pragma once
/// Read calls and pending checks that the engine and the dispute agent make against the chain.

#include <optional>

#include "chain/eth_client.hpp"
#include "core/address.hpp"
#include "core/bytes.hpp"
#include "node/metrics.hpp"

namespace sigil::node {

/// What an eth_call of `data` to `to` returned, or nullopt when the RPC failed (counted in
/// `metrics` when one is given).
std::optional<Bytes> call_contract(chain::EthClient& eth, const Address& to, const Bytes& data,
                                   Metrics* metrics = nullptr, const chain::BlockId& at = chain::BlockId::latest());

/// The one 32-byte word an eth_call returned; nullopt when the RPC failed or returned another size.
std::optional<Bytes32> call_word(chain::EthClient& eth, const Address& to, const Bytes& data);

/// Whether transaction `tx` is still pending at the node behind `eth`: no receipt yet, and the
/// node still knows it.
bool still_pending(chain::EthClient& eth, const Hash& tx);

}  // namespace sigil::node
