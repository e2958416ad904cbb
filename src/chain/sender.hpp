#pragma once
/// Sends transactions from one key: builds an EIP-1559 (or legacy) transaction with suggested
/// fees and an estimated gas limit plus a margin, takes a nonce from the shared `NonceManager`,
/// signs, submits, and waits for the receipt.
///
/// Recovery rules: a nonce conflict ("nonce too low/high", "replacement underpriced") resyncs the
/// nonce manager and retries with a fresh nonce; "already known" means our exact bytes are in the
/// pool, which is success. A definite refusal hands the nonce back. A transaction whose receipt
/// does not arrive in time and that the node no longer knows was dropped: the nonce manager
/// resyncs and the request is sent again. A transaction still pending at the timeout is reported
/// as `timeout`, never re-sent (re-sending could execute it twice).
///
/// Thread-safe: several threads may share one Sender (and its NonceManager).

#include <chrono>
#include <optional>

#include "chain/eth_client.hpp"
#include "chain/keys.hpp"
#include "chain/nonce_manager.hpp"
#include "chain/transaction.hpp"

namespace sigil::chain {

struct TxRequest {
    std::optional<Address> to;  ///< none: contract creation
    u256 value = 0;
    Bytes data;
    std::optional<u256> gas_limit;      ///< estimated (plus margin) when absent
    std::optional<FeeSuggestion> fees;  ///< EIP-1559 caps; suggested from eth_feeHistory when absent
    std::optional<u256> gas_price;      ///< when set, a legacy (EIP-155) transaction is sent
};

struct SenderOptions {
    unsigned gas_margin_percent = 20;
    std::chrono::milliseconds receipt_timeout{30'000};
    std::chrono::milliseconds receipt_poll{100};
    int max_attempts = 5;  ///< sends per request, counting retries after nonce conflicts and drops
    FeeOptions fees;
};

class Sender {
public:
    Sender(EthClient& eth, PrivateKey key, NonceManager& nonces, std::uint64_t chain_id, SenderOptions options = {},
           Clock& clock = system_clock());

    /// Builds, signs and submits `req`; returns the transaction the node accepted.
    Result<SignedTx, RpcError> send(const TxRequest& req);

    /// Waits for `sent`'s receipt; re-sends `req` if the node dropped it.
    Result<Receipt, RpcError> wait(const SignedTx& sent, const TxRequest& req);

    /// send() then wait().
    Result<Receipt, RpcError> send_and_wait(const TxRequest& req);

    const Address& address() const noexcept { return address_; }

private:
    Result<u256, RpcError> gas_limit_for(const TxRequest& req);
    Transaction build(const TxRequest& req, const u256& nonce, const u256& gas, const std::optional<FeeSuggestion>& fees) const;

    EthClient& eth_;
    PrivateKey key_;
    Address address_;
    NonceManager& nonces_;
    std::uint64_t chain_id_;
    SenderOptions options_;
    Clock& clock_;
};

}  // namespace sigil::chain
