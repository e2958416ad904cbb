#pragma once
/// Nonces for one sending account, shared by several threads.
///
/// Invariants: between two resyncs, `reserve` never returns the same nonce twice unless it was
/// handed back with `release`; released nonces are reused lowest first, so a refused transaction
/// leaves no gap. After a nonce error ("nonce too low/high") or a dropped transaction, `resync`
/// sets the next nonce to the chain's pending transaction count, which is the nonce the node
/// expects next.

#include <mutex>
#include <optional>
#include <set>

#include "chain/eth_client.hpp"

namespace sigil::chain {

class NonceManager {
public:
    NonceManager(EthClient& eth, const Address& sender) : eth_(eth), sender_(sender) {}

    /// The next nonce to use. The first call reads the pending count from the chain.
    Result<u256, RpcError> reserve();

    /// Hands back a nonce whose transaction the node refused for a reason other than the nonce
    /// (so it was never accepted); the next `reserve` reuses it.
    void release(const u256& nonce);

    /// Re-reads the pending count from the chain and continues from there; forgets released
    /// nonces at or above it (they will be handed out again in order) and below it (used).
    Result<u256, RpcError> resync();

    const Address& sender() const noexcept { return sender_; }

private:
    Result<u256, RpcError> chain_pending_count();

    EthClient& eth_;
    Address sender_;
    std::mutex mu_;
    std::optional<u256> next_;
    std::set<u256> released_;
};

}  // namespace sigil::chain
