#pragma once
/// An in-memory chain for the engine's and the agents' unit tests, on chain/testing's JSON-RPC
/// node: a head block and its timestamp, logs, a mempool that mines on send (`automine`) or on
/// demand, contract views answered by selector, the effect of each mined call by selector, and
/// scripted failures (a refused estimate, a revert on chain, an RPC error on send). Every
/// transaction sent is recorded in order.
///
/// Thread-safe: handlers run under one mutex; `mu` is held while a `View` or an `Effect` runs.

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bindings/abi_tables.hpp"
#include "chain/eth_types.hpp"
#include "chain/testing/fake_node.hpp"
#include "chain/transaction.hpp"
#include "core/keccak.hpp"
#include "core/u256.hpp"

namespace sigil::node::testing {

using chain::Json;
using chain::testing::FakeNode;

/// Word `i` of a call's arguments (after the selector).
inline Hash arg_word(BytesView data, std::size_t i) {
    Hash h{};
    if (data.size() >= 4 + 32 * (i + 1)) std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(4 + 32 * i), 32, h.begin());
    return h;
}

/// An address as a 32-byte ABI word.
inline Hash address_word(const Address& a) {
    Hash w{};
    std::copy(a.begin(), a.end(), w.begin() + 12);
    return w;
}

/// The revert data of custom error `name` from `errors`.
inline Bytes error_data(std::span<const bindings::ErrorInfo> errors, std::string_view name) {
    for (const auto& e : errors) {
        if (e.name == name) return Bytes(e.selector.begin(), e.selector.end());
    }
    return {};
}

class FakeChain {
public:
    using Selector = std::array<std::uint8_t, 4>;
    /// Answers an eth_call's data with the returned bytes.
    using View = std::function<Bytes(BytesView data)>;
    /// Applies a mined transaction's data (the caller's `from`) to the contract's state.
    using Effect = std::function<void(BytesView data, const Address& from)>;

    static constexpr std::uint64_t kHead = 100;
    static constexpr std::uint64_t kNow = 1'000'000;  ///< chain time (s) of every block

    explicit FakeChain(Address sender) : from_(sender) {
        node->on("eth_chainId", [](const Json&) { return Json("0x7a69"); });
        node->on("eth_blockNumber", [this](const Json&) {
            std::lock_guard lock(mu);
            return Json(to_hex_quantity(u256(head)));
        });
        node->on("eth_getBlockByNumber", [this](const Json& p) -> Json {
            std::lock_guard lock(mu);
            const std::string at = p[0];
            const std::uint64_t n = at == "latest" ? head : std::stoull(at, nullptr, 16);
            if (n > head) return nullptr;
            return Json{{"number", to_hex_quantity(u256(n))},
                        {"hash", to_hex(block_hash(n))},
                        {"parentHash", to_hex(n == 0 ? Hash{} : block_hash(n - 1))},
                        {"timestamp", to_hex_quantity(u256(time))},
                        {"baseFeePerGas", "0x64"}};
        });
        node->on("eth_getLogs", [this](const Json& p) -> Json {
            std::lock_guard lock(mu);
            if (fail_logs && fail_logs(p[0])) return FakeNode::error_response(-32000, "upstream timeout");
            const auto num = [&](const char* k, std::uint64_t dflt) {
                return p[0].contains(k) ? std::stoull(p[0][k].get<std::string>(), nullptr, 16) : dflt;
            };
            const std::uint64_t from = num("fromBlock", 0), to = num("toBlock", head);
            Json out = Json::array();
            const auto topic_ok = [&](const chain::Log& l) {
                if (!p[0].contains("topics")) return true;
                const Json& want = p[0]["topics"];
                for (std::size_t i = 0; i < want.size(); ++i) {
                    if (want[i].is_null()) continue;
                    if (i >= l.topics.size()) return false;
                    const std::string have = to_hex(l.topics[i]);
                    bool any = false;
                    if (want[i].is_array()) {
                        for (const auto& w : want[i]) any = any || w.get<std::string>() == have;
                    } else {
                        any = want[i].get<std::string>() == have;
                    }
                    if (!any) return false;
                }
                return true;
            };
            for (const auto& l : logs) {
                if (l.block_number < from || l.block_number > to || !topic_ok(l)) continue;
                Json topics = Json::array();
                for (const auto& t : l.topics) topics.push_back(to_hex(t));
                out.push_back({{"address", to_hex(l.address)},
                               {"topics", topics},
                               {"data", to_hex(l.data)},
                               {"blockNumber", to_hex_quantity(u256(l.block_number))},
                               {"blockHash", to_hex(block_hash(l.block_number))},
                               {"transactionHash", to_hex(l.transaction_hash)},
                               {"logIndex", "0x0"}});
            }
            return out;
        });
        node->on("eth_call", [this](const Json& p) -> Json {
            std::lock_guard lock(mu);
            const Bytes data = *from_hex(p[0]["input"].get<std::string>());
            auto it = data.size() >= 4 ? views.find(selector_of(data)) : views.end();
            if (it == views.end()) return FakeNode::error_response(3, "execution reverted", "0x");
            return to_hex(it->second(data));
        });
        node->on("eth_estimateGas", [this](const Json&) -> Json {
            std::lock_guard lock(mu);
            if (refuse_next) {
                const Bytes data = *refuse_next;
                refuse_next.reset();
                return FakeNode::error_response(3, "execution reverted", to_hex(data));
            }
            return "0x40000";
        });
        node->on("eth_feeHistory", [](const Json&) { return Json{{"baseFeePerGas", {"0x64"}}, {"reward", {{"0x2"}}}}; });
        node->on("eth_getTransactionCount", [this](const Json&) {
            std::lock_guard lock(mu);
            return Json(to_hex_quantity(u256(nonce)));
        });
        node->on("eth_sendRawTransaction", [this](const Json& p) -> Json {
            std::lock_guard lock(mu);
            if (!send_error.empty()) {
                auto e = FakeNode::error_response(-32000, send_error);
                send_error.clear();
                return e;
            }
            auto tx = chain::decode_transaction(*from_hex(p[0].get<std::string>()));
            if (!tx) return FakeNode::error_response(-32602, "undecodable transaction");
            const Bytes data = std::visit([](const auto& t) { return t.data; }, tx->tx);
            sent.push_back(data);
            ++nonce;
            if (automine) mine_locked(tx->hash, data);
            else pool[tx->hash] = data;
            return to_hex(tx->hash);
        });
        node->on("eth_getTransactionReceipt", [this](const Json& p) -> Json {
            std::lock_guard lock(mu);
            auto it = mined.find(*fixed_from_hex<32>(p[0].get<std::string>()));
            if (it == mined.end()) return nullptr;
            return Json{{"transactionHash", p[0]},
                        {"status", it->second ? "0x1" : "0x0"},
                        {"blockNumber", to_hex_quantity(u256(head))},
                        {"blockHash", to_hex(block_hash(head))},
                        {"from", to_hex(from_)},
                        {"to", nullptr},
                        {"gasUsed", "0x1d4c0"},
                        {"logs", Json::array()}};
        });
        node->on("eth_getTransactionByHash", [this](const Json& p) -> Json {
            std::lock_guard lock(mu);
            const Hash h = *fixed_from_hex<32>(p[0].get<std::string>());
            return pool.count(h) || mined.count(h) ? Json{{"hash", p[0]}} : Json();
        });
    }

    /// Answers calls of `f` with `view`; mined calls of `f` apply `effect`.
    void on_call(const bindings::FunctionInfo& f, View view) { views[f.selector] = std::move(view); }
    void on_mined(const bindings::FunctionInfo& f, Effect effect) { effects[f.selector] = std::move(effect); }

    /// Mines every pooled transaction.
    void mine_pool() {
        std::lock_guard lock(mu);
        for (const auto& [h, data] : pool) mine_locked(h, data);
        pool.clear();
    }
    /// Forgets every pooled transaction (a reorg took the block it was in, and no node has it).
    void drop_pool() {
        std::lock_guard lock(mu);
        pool.clear();
    }
    std::size_t sent_count() {
        std::lock_guard lock(mu);
        return sent.size();
    }
    Bytes last_sent() {
        std::lock_guard lock(mu);
        return sent.empty() ? Bytes{} : sent.back();
    }

    std::shared_ptr<FakeNode> node = std::make_shared<FakeNode>();
    std::recursive_mutex mu;
    std::string name = "chain";  ///< mixed into every block hash: another name is another chain
    std::uint64_t head = kHead;
    std::uint64_t time = kNow;
    std::uint64_t nonce = 0;
    bool automine = true;
    bool revert_on_chain = false;      ///< the next mined transaction fails (status 0)
    std::optional<Bytes> refuse_next;  ///< the next estimate reverts with this data
    std::string send_error;            ///< the next send fails with this RPC error
    /// eth_getLogs fails for the filters this returns true for (the filter's JSON object).
    std::function<bool(const Json& filter)> fail_logs;
    std::vector<chain::Log> logs;
    std::vector<Bytes> sent;
    std::map<Hash, Bytes> pool;
    std::map<Hash, bool> mined;

private:
    static Selector selector_of(BytesView data) { return {data[0], data[1], data[2], data[3]}; }
    Hash block_hash(std::uint64_t n) const { return keccak256(as_bytes(name + " block " + std::to_string(n))); }

    void mine_locked(const Hash& h, const Bytes& data) {
        const bool ok = !revert_on_chain;
        revert_on_chain = false;
        mined[h] = ok;
        if (!ok || data.size() < 4) return;
        auto it = effects.find(selector_of(data));
        if (it != effects.end()) it->second(data, from_);
    }

    Address from_;
    std::map<Selector, View> views;
    std::map<Selector, Effect> effects;
};

}  // namespace sigil::node::testing
