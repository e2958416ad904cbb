#include "node/outbox.hpp"

#include <algorithm>

#include "node/log.hpp"

namespace sigil::node {

std::string_view to_string(TxStatus s) noexcept {
    switch (s) {
        case TxStatus::landed:
            return "landed";
        case TxStatus::reverted:
            return "reverted";
        case TxStatus::refused:
            return "refused";
        case TxStatus::not_sent:
            return "not_sent";
        case TxStatus::unconfirmed:
            return "unconfirmed";
    }
    return "unknown";
}

Outbox::Outbox(chain::EthClient& eth, chain::Sender& sender, Store& store, Metrics& metrics, chain::Clock& clock,
               chain::RandomSource& random)
    : eth_(eth), sender_(sender), store_(store), metrics_(metrics), clock_(clock), random_(random) {}

void Outbox::rpc_failed(const chain::RpcError& e) { metrics_.rpc_error(std::string(chain::to_string(e.kind))); }

std::optional<Bytes> Outbox::call(const Address& to, const Bytes& data, const chain::BlockId& at) {
    chain::CallRequest c;
    c.to = to;
    c.data = data;
    auto r = eth_.call(c, at);
    if (!r) {
        rpc_failed(r.error());
        return std::nullopt;
    }
    return std::move(*r);
}

std::optional<Bytes32> Outbox::call_word(const Address& to, const Bytes& data) {
    const auto r = call(to, data);
    if (!r || r->size() != 32) return std::nullopt;
    Bytes32 w{};
    std::copy(r->begin(), r->end(), w.begin());
    return w;
}

std::optional<u256> Outbox::call_uint(const Address& to, const Bytes& data) {
    const auto w = call_word(to, data);
    if (!w) return std::nullopt;
    return from_be(*w);
}

bool Outbox::pending(const std::optional<Hash>& tx) {
    if (!tx) return false;
    auto rc = eth_.get_transaction_receipt(*tx);
    if (rc && rc->has_value()) return false;
    auto known = eth_.transaction_known(*tx);
    return known && *known;
}

SentTx Outbox::send(const Address& to, const Bytes& data, const char* kind, const TxChannel& channel,
                    const std::function<void(const Hash&)>& on_sent, const std::optional<Hash>& request) {
    chain::TxRequest req;
    req.to = to;
    req.data = data;
    SentTx out;
    auto sent = sender_.send(req);
    if (!sent) {
        rpc_failed(sent.error());
        if (sent.error().kind == chain::RpcErrorKind::execution_reverted) {
            out.status = TxStatus::refused;
            out.revert = channel.revert_name(sent.error().data);
        } else {
            out.status = TxStatus::not_sent;
            out.revert = sent.error().describe();
            log_json(LogLevel::warn, "transaction not sent", {{"kind", kind}, {"why", out.revert}});
        }
        return out;
    }
    out.hash = sent->hash;
    if (on_sent) on_sent(sent->hash);
    metrics_.tx_sent(kind);
    auto rc = sender_.wait(*sent, req);
    if (!rc) {
        rpc_failed(rc.error());
        out.status = TxStatus::unconfirmed;
        out.revert = rc.error().describe();
        return out;
    }
    out.gas = static_cast<std::uint64_t>(rc->gas_used);
    metrics_.add_gas(out.gas);
    out.status = rc->status ? TxStatus::landed : TxStatus::reverted;
    if (!rc->status) out.revert = "reverted on chain";
    log_json(LogLevel::info, channel.log_msg,
             {{"id", request ? to_hex(*request) : std::string()},
              {"kind", kind},
              {"tx", to_hex(sent->hash)},
              {"ok", out.success()},
              {"gas", out.gas}});
    return out;
}

std::optional<Hash> Outbox::random_word() {
    Hash h{};
    if (!random_.fill(h)) return std::nullopt;
    return h;
}

}  // namespace sigil::node
