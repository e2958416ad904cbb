#include "chain/sender.hpp"

namespace sigil::chain {
namespace {

bool is_nonce_conflict(RpcErrorKind k) {
    return k == RpcErrorKind::nonce_too_low || k == RpcErrorKind::nonce_too_high ||
           k == RpcErrorKind::replacement_underpriced;
}

}  // namespace

Sender::Sender(EthClient& eth, PrivateKey key, NonceManager& nonces, std::uint64_t chain_id, SenderOptions options,
               Clock& clock)
    : eth_(eth), key_(std::move(key)), address_(key_.address()), nonces_(nonces), chain_id_(chain_id),
      options_(options), clock_(clock) {}

Result<u256, RpcError> Sender::gas_limit_for(const TxRequest& req) {
    if (req.gas_limit) return *req.gas_limit;
    CallRequest call;
    call.from = address_;
    call.to = req.to;
    call.value = req.value;
    call.data = req.data;
    const u256 estimate = SIGIL_TRY(eth_.estimate_gas(call));
    return estimate * (100 + options_.gas_margin_percent) / 100;
}

Transaction Sender::build(const TxRequest& req, const u256& nonce, const u256& gas,
                          const std::optional<FeeSuggestion>& fees) const {
    if (req.gas_price) return LegacyTx{chain_id_, nonce, *req.gas_price, gas, req.to, req.value, req.data};
    return Eip1559Tx{chain_id_, nonce, fees->max_priority_fee_per_gas, fees->max_fee_per_gas, gas, req.to,
                     req.value, req.data, {}};
}

Result<SignedTx, RpcError> Sender::send(const TxRequest& req) {
    const u256 gas = SIGIL_TRY(gas_limit_for(req));
    std::optional<FeeSuggestion> fees = req.fees;
    if (!req.gas_price && !fees) fees = SIGIL_TRY(eth_.suggest_fees(options_.fees));
    RpcError last{RpcErrorKind::rpc_error, 0, "no attempt made", {}};
    for (int attempt = 0; attempt < options_.max_attempts; ++attempt) {
        const u256 nonce = SIGIL_TRY(nonces_.reserve());
        SignedTx signed_tx = sign_transaction(build(req, nonce, gas, fees), key_);
        auto sent = eth_.send_raw_transaction(signed_tx.raw);
        if (sent) return signed_tx;
        last = sent.error();
        // Our own bytes are already in the pool (e.g. a retried request that had arrived).
        if (last.kind == RpcErrorKind::already_known) return signed_tx;
        if (is_nonce_conflict(last.kind)) {
            SIGIL_TRY(nonces_.resync());
            continue;
        }
        if (is_transport_failure(last)) {
            // The node may or may not have it: let the chain decide the next nonce.
            (void)nonces_.resync();
        } else {
            nonces_.release(nonce);
        }
        return fail(last);
    }
    return fail(last);
}

Result<Receipt, RpcError> Sender::wait(const SignedTx& sent, const TxRequest& req) {
    SignedTx current = sent;
    for (int attempt = 0; attempt < options_.max_attempts; ++attempt) {
        auto receipt = eth_.wait_for_receipt(current.hash, options_.receipt_timeout, options_.receipt_poll, clock_);
        if (receipt) return receipt;
        if (receipt.error().kind != RpcErrorKind::timeout) return receipt;
        const bool known = SIGIL_TRY(eth_.transaction_known(current.hash));
        if (known) return receipt;  // still pending: never re-send
        SIGIL_TRY(nonces_.resync());
        current = SIGIL_TRY(send(req));
    }
    return fail(RpcError{RpcErrorKind::timeout, 0, "transaction dropped repeatedly", {}});
}

Result<Receipt, RpcError> Sender::send_and_wait(const TxRequest& req) {
    const SignedTx sent = SIGIL_TRY(send(req));
    return wait(sent, req);
}

}  // namespace sigil::chain
