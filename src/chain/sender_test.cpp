#include "chain/sender.hpp"

#include <gtest/gtest.h>

#include <set>

#include "chain/testing/fake_node.hpp"
#include "chain/testing/manual_clock.hpp"

namespace sigil::chain {
namespace {

using namespace std::chrono_literals;
using testing::FakeNode;

constexpr const char* kAnvilKey0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/// A node with a mempool of one account: it checks nonces like a real node, mines on demand,
/// and can drop transactions.
class MiniNode {
public:
    MiniNode() {
        node->on("eth_getTransactionCount", [this](const Json&) {
            std::lock_guard lock(mu);
            return Json(to_hex_quantity(u256(next_nonce)));
        });
        node->on("eth_estimateGas", [](const Json&) { return Json("0x5208"); });
        node->on("eth_feeHistory", [](const Json&) {
            return Json{{"baseFeePerGas", {"0x64"}}, {"reward", {{"0x2"}}}};
        });
        node->on("eth_sendRawTransaction", [this](const Json& p) { return accept(p[0].get<std::string>()); });
        node->on("eth_getTransactionByHash", [this](const Json& p) -> Json {
            std::lock_guard lock(mu);
            return pool.count(p[0].get<std::string>()) || mined.count(p[0].get<std::string>()) ? Json("tx") : Json();
        });
        node->on("eth_getTransactionReceipt", [this](const Json& p) -> Json {
            std::lock_guard lock(mu);
            const std::string h = p[0];
            if (!mined.count(h)) return nullptr;
            return Json{{"transactionHash", h}, {"status", "0x1"}, {"blockNumber", "0x1"},
                        {"blockHash", to_hex(Hash{})}, {"from", to_hex(Address{})}, {"to", nullptr},
                        {"gasUsed", "0x5208"}, {"logs", Json::array()}};
        });
    }

    Json accept(const std::string& raw_hex) {
        std::lock_guard lock(mu);
        if (!refusal.empty()) {
            auto r = FakeNode::error_response(-32000, refusal);
            refusal.clear();
            return r;
        }
        auto tx = decode_transaction(*from_hex(raw_hex));
        EXPECT_TRUE(tx);
        const u256 nonce = std::visit([](const auto& t) { return t.nonce; }, tx->tx);
        if (nonce < next_nonce) return FakeNode::error_response(-32003, "nonce too low");
        const std::string h = to_hex(tx->hash);
        if (pool.count(h)) return FakeNode::error_response(-32000, "already known");
        sent.push_back(*tx);
        if (nonce == next_nonce) ++next_nonce;
        (automine ? mined : pool).insert(h);
        return h;
    }

    std::shared_ptr<FakeNode> node = std::make_shared<FakeNode>();
    std::mutex mu;
    std::uint64_t next_nonce = 3;
    bool automine = true;
    std::string refusal;  ///< answer the next send with this error message
    std::set<std::string> pool, mined;
    std::vector<SignedTx> sent;
};

struct Env {
    MiniNode chain;
    RpcClient rpc{chain.node};
    EthClient eth{rpc};
    PrivateKey key = *PrivateKey::from_hex(kAnvilKey0);
    NonceManager nonces{eth, key.address()};
    testing::ManualClock clock;
    Sender sender{eth, key, nonces, 31337, SenderOptions{20, 1000ms, 100ms, 5, {}}, clock};
};

TEST(sender, builds_eip1559_with_estimate_margin_and_suggested_fees) {
    Env env;
    TxRequest req;
    req.to = Address{};
    req.value = 5;
    auto r = env.sender.send_and_wait(req);
    ASSERT_TRUE(r) << r.error().describe();
    ASSERT_EQ(env.chain.sent.size(), 1u);
    const auto& tx = std::get<Eip1559Tx>(env.chain.sent[0].tx);
    EXPECT_EQ(tx.chain_id, 31337u);
    EXPECT_EQ(tx.nonce, 3);
    EXPECT_EQ(tx.gas_limit, 21000 * 120 / 100);
    EXPECT_EQ(tx.max_priority_fee_per_gas, 2);
    EXPECT_EQ(tx.max_fee_per_gas, 2 * 100 + 2);
    EXPECT_EQ(*recover_sender(env.chain.sent[0]), env.key.address());
}

TEST(sender, legacy_when_gas_price_given) {
    Env env;
    TxRequest req;
    req.to = Address{};
    req.gas_price = 7;
    req.gas_limit = 30000;
    ASSERT_TRUE(env.sender.send(req));
    const auto& tx = std::get<LegacyTx>(env.chain.sent[0].tx);
    EXPECT_EQ(tx.gas_price, 7);
    EXPECT_EQ(tx.gas_limit, 30000);
    EXPECT_EQ(env.chain.node->calls("eth_estimateGas"), 0);
}

TEST(sender, nonce_too_low_resyncs_and_retries) {
    Env env;
    TxRequest req;
    req.to = Address{};
    ASSERT_TRUE(env.sender.send(req));  // nonce 3
    env.chain.next_nonce = 10;          // someone else sent 4..9 from this key
    auto r = env.sender.send(req);
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(std::get<Eip1559Tx>(r->tx).nonce, 10);
}

TEST(sender, refused_transactions_give_their_nonce_back) {
    Env env;
    TxRequest req;
    req.to = Address{};
    env.chain.refusal = "insufficient funds for gas * price + value";
    auto r = env.sender.send(req);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, RpcErrorKind::insufficient_funds);
    auto ok = env.sender.send(req);
    ASSERT_TRUE(ok);
    EXPECT_EQ(std::get<Eip1559Tx>(ok->tx).nonce, 3);  // no gap
}

TEST(sender, already_known_is_success) {
    Env env;
    TxRequest req;
    req.to = Address{};
    // A retried request whose first copy had arrived: the node answers "already known".
    env.chain.refusal = "already known";
    auto r = env.sender.send(req);
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(std::get<Eip1559Tx>(r->tx).nonce, 3);
    EXPECT_EQ(std::get<Eip1559Tx>(env.sender.send(req)->tx).nonce, 4);  // nonce 3 stays used
}

TEST(sender, dropped_transaction_is_resent_with_the_same_nonce) {
    Env env;
    env.chain.automine = false;
    TxRequest req;
    req.to = Address{};
    auto sent = env.sender.send(req);
    ASSERT_TRUE(sent);
    {
        // The node drops it: pool emptied, nonce not consumed.
        std::lock_guard lock(env.chain.mu);
        env.chain.pool.clear();
        env.chain.next_nonce = 3;
        env.chain.automine = true;
    }
    auto r = env.sender.wait(*sent, req);
    ASSERT_TRUE(r) << r.error().describe();
    ASSERT_EQ(env.chain.sent.size(), 2u);
    EXPECT_EQ(std::get<Eip1559Tx>(env.chain.sent[1].tx).nonce, 3);
    // Same request, nonce and fees: deterministic signing re-creates the identical transaction.
    EXPECT_EQ(r->transaction_hash, sent->hash);
}

TEST(sender, pending_transaction_at_timeout_is_not_resent) {
    Env env;
    env.chain.automine = false;
    TxRequest req;
    req.to = Address{};
    auto r = env.sender.send_and_wait(req);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, RpcErrorKind::timeout);
    EXPECT_EQ(env.chain.sent.size(), 1u);
}

}  // namespace
}  // namespace sigil::chain
