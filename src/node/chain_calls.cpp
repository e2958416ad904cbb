#include "node/chain_calls.hpp"

#include <algorithm>
#include <string>

#include "node/log.hpp"

namespace sigil::node {

std::optional<Bytes> call_contract(chain::EthClient& eth, const Address& to, const Bytes& data, Metrics* metrics,
                                   const chain::BlockId& at) {
    chain::CallRequest c;
    c.to = to;
    c.data = data;
    auto r = eth.call(c, at);
    if (!r) {
        if (metrics) metrics->rpc_error(std::string(chain::to_string(r.error().kind)));
        return std::nullopt;
    }
    return std::move(*r);
}

std::optional<Bytes32> call_word(chain::EthClient& eth, const Address& to, const Bytes& data) {
    const auto r = call_contract(eth, to, data);
    if (!r || r->size() != 32) return std::nullopt;
    Bytes32 w{};
    std::copy(r->begin(), r->end(), w.begin());
    return w;
}

bool still_pending(chain::EthClient& eth, const Hash& tx) {
    auto rc = eth.get_transaction_receipt(tx);
    if (rc && rc->has_value()) return false;
    auto known = eth.transaction_known(tx);
    return known && *known;
}

SentTx send_tx(chain::Sender& sender, Metrics& metrics, const Address& to, const Bytes& data, const char* kind,
               const std::function<void(const Hash&)>& on_sent, std::string (*revert_name)(BytesView),
               const char* log_msg) {
    chain::TxRequest req;
    req.to = to;
    req.data = data;
    SentTx out;
    auto sent = sender.send(req);
    if (!sent) {
        metrics.rpc_error(std::string(chain::to_string(sent.error().kind)));
        out.reverted = sent.error().kind == chain::RpcErrorKind::execution_reverted;
        out.revert = out.reverted ? revert_name(sent.error().data) : sent.error().describe();
        if (!out.reverted) log_json(LogLevel::warn, "transaction not sent", {{"kind", kind}, {"why", out.revert}});
        return out;
    }
    if (on_sent) on_sent(sent->hash);
    metrics.tx_sent(kind);
    auto rc = sender.wait(*sent, req);
    if (!rc) {
        metrics.rpc_error(std::string(chain::to_string(rc.error().kind)));
        out.revert = rc.error().describe();
        return out;
    }
    out.mined = true;
    out.gas = static_cast<std::uint64_t>(rc->gas_used);
    metrics.add_gas(out.gas);
    out.success = rc->status;
    out.reverted = !out.success;
    if (!out.success) out.revert = "reverted on chain";
    log_json(LogLevel::info, log_msg, {{"kind", kind}, {"tx", to_hex(sent->hash)}, {"ok", out.success}, {"gas", out.gas}});
    return out;
}

}  // namespace sigil::node
