#include <gtest/gtest.h>

#include "anvil.hpp"
#include "chain/sender.hpp"
#include "fixture_abi.hpp"

namespace sigil::itest {
namespace {

using namespace std::chrono_literals;
using chain::CallRequest;
using chain::RpcErrorKind;
using chain::TxRequest;

Bytes hex(std::string_view h) { return *from_hex(h); }

/// One account's sender, and a freshly deployed Fixture.
struct Deployed {
    chain::PrivateKey key;
    chain::NonceManager nonces;
    chain::Sender sender;
    Address fixture{};

    explicit Deployed(int account)
        : key(Anvil::account(account)),
          nonces(anvil().eth(), key.address()),
          sender(anvil().eth(), key, nonces, 31337, chain::SenderOptions{20, 10'000ms, 20ms, 5, {}}) {
        TxRequest deploy;
        deploy.data = fixture_bytecode();
        auto receipt = sender.send_and_wait(deploy);
        if (!receipt) throw std::runtime_error(receipt.error().describe());
        if (!receipt->status || !receipt->contract_address) throw std::runtime_error("deploy failed");
        fixture = *receipt->contract_address;
    }

    Result<Bytes, chain::RpcError> call(std::string_view data) {
        CallRequest c;
        c.from = key.address();
        c.to = fixture;
        c.data = hex(data);
        return anvil().eth().call(c);
    }
};

TEST(anvil_transactions, deploy_send_eip1559_and_call) {
    Deployed d(0);
    EXPECT_GT(anvil().eth().get_code(d.fixture)->size(), 2u);
    EXPECT_EQ(to_hex(*d.call(fixture::kCounter)), to_hex(to_be32(u256(0))));

    TxRequest store;
    store.to = d.fixture;
    store.data = hex(fixture::kStore7Hello);
    auto receipt = d.sender.send_and_wait(store);
    ASSERT_TRUE(receipt) << receipt.error().describe();
    EXPECT_TRUE(receipt->status);
    ASSERT_EQ(receipt->logs.size(), 1u);
    const auto& log = receipt->logs[0];
    EXPECT_EQ(log.address, d.fixture);
    ASSERT_EQ(log.topics.size(), 3u);
    EXPECT_EQ(to_hex(log.topics[0]), fixture::kStoredTopic);
    EXPECT_EQ(address_from_word(log.topics[1]), d.key.address());
    EXPECT_EQ(from_be(as_bytes(log.topics[2])), 7);
    EXPECT_EQ(to_hex(log.data), fixture::kStringHello);

    EXPECT_EQ(to_hex(*d.call(fixture::kValues7)), fixture::kStringHello);
    EXPECT_EQ(to_hex(*d.call(fixture::kCounter)), to_hex(to_be32(u256(1))));
    // The mined transaction is the EIP-1559 one we signed, from our address.
    EXPECT_EQ(receipt->from, d.key.address());
    EXPECT_GT(receipt->effective_gas_price, 0);
}

TEST(anvil_transactions, legacy_eip155_transaction) {
    Deployed d(0);
    TxRequest store;
    store.to = d.fixture;
    store.data = hex(fixture::kStore7Hello);
    store.gas_price = *anvil().eth().gas_price();
    auto sent = d.sender.send(store);
    ASSERT_TRUE(sent) << sent.error().describe();
    ASSERT_TRUE(std::holds_alternative<chain::LegacyTx>(sent->tx));
    auto receipt = d.sender.wait(*sent, store);
    ASSERT_TRUE(receipt) << receipt.error().describe();
    EXPECT_TRUE(receipt->status);
    EXPECT_EQ(receipt->transaction_hash, sent->hash);
    EXPECT_EQ(to_hex(*d.call(fixture::kCounter)), to_hex(to_be32(u256(1))));
}

TEST(anvil_transactions, value_transfer_moves_balance) {
    auto& eth = anvil().eth();
    auto key = Anvil::account(2);
    chain::NonceManager nonces(eth, key.address());
    chain::Sender sender(eth, key, nonces, 31337);
    const Address to = Anvil::account(3).address();
    const u256 before = *eth.get_balance(to);
    TxRequest pay;
    pay.to = to;
    pay.value = u256("1000000000000000000");
    auto receipt = sender.send_and_wait(pay);
    ASSERT_TRUE(receipt) << receipt.error().describe();
    EXPECT_EQ(*eth.get_balance(to), before + pay.value);
    EXPECT_EQ(receipt->gas_used, 21000);
}

TEST(anvil_transactions, reverts_carry_their_data) {
    Deployed d(1);
    auto custom = d.call(fixture::kFailCustom5);
    ASSERT_FALSE(custom);
    EXPECT_EQ(custom.error().kind, RpcErrorKind::execution_reverted);
    EXPECT_EQ(to_hex(custom.error().data), fixture::kNotAllowedAccount1Code5);

    auto str = d.call(fixture::kFailStringBoom);
    ASSERT_FALSE(str);
    EXPECT_EQ(str.error().kind, RpcErrorKind::execution_reverted);
    EXPECT_EQ(to_hex(str.error().data), fixture::kErrorBoom);

    auto panic = d.call(fixture::kFailPanic1by0);
    ASSERT_FALSE(panic);
    EXPECT_EQ(to_hex(panic.error().data), fixture::kPanic18);

    // Sending a reverting call fails at gas estimation with the same data, and uses no nonce.
    const u256 nonce_before = *anvil().eth().get_transaction_count(d.key.address(), chain::BlockId::pending());
    TxRequest bad;
    bad.to = d.fixture;
    bad.data = hex(fixture::kFailCustom5);
    auto sent = d.sender.send(bad);
    ASSERT_FALSE(sent);
    EXPECT_EQ(sent.error().kind, RpcErrorKind::execution_reverted);
    EXPECT_EQ(to_hex(sent.error().data), fixture::kNotAllowedAccount1Code5);
    EXPECT_EQ(*anvil().eth().get_transaction_count(d.key.address(), chain::BlockId::pending()), nonce_before);
}

TEST(anvil_transactions, batch_and_typed_reads) {
    auto& eth = anvil().eth();
    EXPECT_EQ(*eth.chain_id(), 31337u);
    auto batch = eth.rpc().batch({{"eth_chainId", chain::Json::array()}, {"eth_blockNumber", chain::Json::array()},
                                  {"no_such_method", chain::Json::array()}});
    ASSERT_TRUE(batch);
    EXPECT_EQ(*(*batch)[0], "0x7a69");
    EXPECT_TRUE((*batch)[1]);
    EXPECT_EQ((*batch)[2].error().kind, RpcErrorKind::method_not_found);
    auto fees = eth.suggest_fees();
    ASSERT_TRUE(fees) << fees.error().describe();
    EXPECT_GT(fees->max_fee_per_gas, fees->max_priority_fee_per_gas);
    const auto head = *eth.block_number();
    auto block = eth.get_block(chain::BlockId::number(head));
    ASSERT_TRUE(block && *block);
    EXPECT_EQ((*block)->number, head);
    EXPECT_FALSE(*eth.get_block(chain::BlockId::number(head + 1000)));
}

}  // namespace
}  // namespace sigil::itest
