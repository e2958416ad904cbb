#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <thread>

#include "anvil.hpp"
#include "chain/sender.hpp"

namespace sigil::itest {
namespace {

using namespace std::chrono_literals;
using chain::TxRequest;

TxRequest transfer_to(const Address& to, std::uint64_t wei) {
    TxRequest t;
    t.to = to;
    t.value = wei;
    t.gas_limit = 21000;  // fixed, so each send is one round trip plus the fee query
    return t;
}

TEST(anvil_nonces, concurrent_senders_share_one_key_without_gaps_or_duplicates) {
    auto& eth = anvil().eth();
    auto key = Anvil::account(4);
    const u256 start = *eth.get_transaction_count(key.address(), chain::BlockId::pending());
    chain::NonceManager nonces(eth, key.address());
    chain::Sender sender(eth, key, nonces, 31337, chain::SenderOptions{20, 10'000ms, 20ms, 5, {}});
    const Address to = Anvil::account(5).address();
    constexpr int kThreads = 4;
    constexpr int kPerThread = 6;
    std::mutex mu;
    std::vector<u256> used;
    std::vector<std::string> errors;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                auto r = sender.send_and_wait(transfer_to(to, static_cast<std::uint64_t>(t * 100 + i + 1)));
                std::lock_guard lock(mu);
                if (!r) {
                    errors.push_back(r.error().describe());
                    continue;
                }
                auto tx = eth.rpc().call("eth_getTransactionByHash", chain::Json::array({to_hex(r->transaction_hash)}));
                used.push_back(*chain::json_quantity((*tx)["nonce"]));
            }
        });
    }
    for (auto& th : threads) th.join();
    ASSERT_TRUE(errors.empty()) << errors.front();
    std::sort(used.begin(), used.end());
    ASSERT_EQ(used.size(), static_cast<std::size_t>(kThreads * kPerThread));
    for (std::size_t i = 0; i < used.size(); ++i) EXPECT_EQ(used[i], start + i) << "gap or duplicate at " << i;
    EXPECT_EQ(*eth.get_transaction_count(key.address()), start + used.size());
}

TEST(anvil_nonces, recovers_after_a_dropped_transaction) {
    auto& eth = anvil().eth();
    auto key = Anvil::account(6);
    chain::NonceManager nonces(eth, key.address());
    chain::Sender sender(eth, key, nonces, 31337, chain::SenderOptions{20, 300ms, 20ms, 5, {}});
    const Address to = Anvil::account(7).address();
    const u256 start = *eth.get_transaction_count(key.address());

    ASSERT_TRUE(eth.set_automine(false));
    const auto req = transfer_to(to, 1);
    auto sent = sender.send(req);
    ASSERT_TRUE(sent) << sent.error().describe();
    ASSERT_TRUE(*eth.transaction_known(sent->hash));
    ASSERT_TRUE(eth.anvil_drop_transaction(sent->hash));
    ASSERT_FALSE(*eth.transaction_known(sent->hash));
    ASSERT_TRUE(eth.set_automine(true));

    // The receipt never comes; the sender sees the node forgot the transaction and sends it again.
    auto receipt = sender.wait(*sent, req);
    ASSERT_TRUE(receipt) << receipt.error().describe();
    EXPECT_TRUE(receipt->status);
    EXPECT_EQ(*eth.get_transaction_count(key.address()), start + 1);
    // And the next send continues without a gap.
    auto next = sender.send_and_wait(transfer_to(to, 2));
    ASSERT_TRUE(next) << next.error().describe();
    EXPECT_EQ(*eth.get_transaction_count(key.address()), start + 2);
}

TEST(anvil_nonces, recovers_when_another_client_used_the_key) {
    auto& eth = anvil().eth();
    auto key = Anvil::account(8);
    chain::NonceManager nonces(eth, key.address());
    chain::Sender sender(eth, key, nonces, 31337);
    const Address to = Anvil::account(9).address();
    ASSERT_TRUE(sender.send_and_wait(transfer_to(to, 1)));
    // Another process sends from the same key, behind the manager's back.
    const u256 n = *eth.get_transaction_count(key.address());
    const auto fees = *eth.suggest_fees();
    chain::Eip1559Tx outside{31337, n, fees.max_priority_fee_per_gas, fees.max_fee_per_gas, 21000, to, 5, {}, {}};
    ASSERT_TRUE(eth.send_raw_transaction(chain::sign_transaction(outside, key).raw));
    // Our next send hits "nonce too low", resyncs and succeeds with n + 1.
    auto r = sender.send(transfer_to(to, 2));
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(std::get<chain::Eip1559Tx>(r->tx).nonce, n + 1);
}

}  // namespace
}  // namespace sigil::itest
