#include "node/chain_calls.hpp"

#include <algorithm>
#include <string>

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

}  // namespace sigil::node
