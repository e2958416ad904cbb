#pragma once
/// Read calls, pending checks and the one-transaction send that the engine and the dispute and
/// bounty agents make against the chain.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "chain/eth_client.hpp"
#include "chain/sender.hpp"
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

/// What became of one agent transaction.
struct SentTx {
    bool success = false;
    bool reverted = false;  ///< refused by the contract (estimate or receipt), not an RPC failure
    bool mined = false;     ///< a receipt was seen
    std::uint64_t gas = 0;
    std::string revert;     ///< the custom error's name (through `revert_name`) or the RPC failure
};

/// Sends `data` to `to` and waits for its receipt; `on_sent` gets the hash before the wait (so the
/// caller stores it first). Logs `log_msg` with `kind`, the hash, outcome and gas; counts RPC
/// errors, sent transactions and gas in `metrics`.
SentTx send_tx(chain::Sender& sender, Metrics& metrics, const Address& to, const Bytes& data, const char* kind,
               const std::function<void(const Hash&)>& on_sent, std::string (*revert_name)(BytesView),
               const char* log_msg);

}  // namespace sigil::node
