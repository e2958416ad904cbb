#include "chain/eth_client.hpp"

#include <gtest/gtest.h>

#include "chain/testing/fake_node.hpp"
#include "chain/testing/manual_clock.hpp"

namespace sigil::chain {
namespace {

using namespace std::chrono_literals;
using testing::FakeNode;

struct Node {
    std::shared_ptr<FakeNode> node = std::make_shared<FakeNode>();
    RpcClient rpc{node};
    EthClient eth{rpc};
};

// A receipt in the shape anvil returns (abridged: extra fields are ignored).
const char* kReceipt = R"({"transactionHash":"0x1111111111111111111111111111111111111111111111111111111111111111",
 "blockHash":"0x2222222222222222222222222222222222222222222222222222222222222222","blockNumber":"0x5",
 "from":"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266","to":null,
 "contractAddress":"0x5fbdb2315678afecb367f032d93f642f64180aa3","gasUsed":"0x5208","effectiveGasPrice":"0x3b9aca00",
 "status":"0x1","logs":[{"address":"0x5fbdb2315678afecb367f032d93f642f64180aa3",
 "topics":["0x3333333333333333333333333333333333333333333333333333333333333333"],"data":"0x01",
 "blockNumber":"0x5","blockHash":"0x2222222222222222222222222222222222222222222222222222222222222222",
 "transactionHash":"0x1111111111111111111111111111111111111111111111111111111111111111","logIndex":"0x0",
 "removed":false}]})";

TEST(eth_client, decodes_receipts) {
    Node n;
    n.node->on("eth_getTransactionReceipt", [](const Json&) { return Json::parse(kReceipt); });
    auto r = n.eth.get_transaction_receipt(Hash{});
    ASSERT_TRUE(r) << r.error().describe();
    ASSERT_TRUE(r->has_value());
    const Receipt& rc = **r;
    EXPECT_TRUE(rc.status);
    EXPECT_EQ(rc.block_number, 5u);
    EXPECT_FALSE(rc.to.has_value());
    EXPECT_EQ(to_checksum(*rc.contract_address), "0x5FbDB2315678afecb367f032d93F642f64180aa3");
    EXPECT_EQ(rc.gas_used, 21000);
    ASSERT_EQ(rc.logs.size(), 1u);
    EXPECT_EQ(to_hex(rc.logs[0].data), "0x01");
}

TEST(eth_client, malformed_fields_are_named_errors) {
    Node n;
    auto doc = Json::parse(kReceipt);
    doc["status"] = 1;  // a number, not a quantity string
    n.node->on("eth_getTransactionReceipt", [doc](const Json&) { return doc; });
    EXPECT_EQ(n.eth.get_transaction_receipt(Hash{}).error().kind, RpcErrorKind::malformed_response);
    n.node->on("eth_blockNumber", [](const Json&) { return Json("0x"); });
    EXPECT_EQ(n.eth.block_number().error().kind, RpcErrorKind::malformed_response);
    n.node->on("eth_chainId", [](const Json&) { return Json("0x10000000000000000"); });
    EXPECT_EQ(n.eth.chain_id().error().kind, RpcErrorKind::malformed_response);
}

TEST(eth_client, suggests_fees_from_fee_history) {
    Node n;
    Json seen;
    n.node->on("eth_feeHistory", [&](const Json& p) {
        seen = p;
        return Json{{"oldestBlock", "0x1"},
                    {"baseFeePerGas", {"0x64", "0x6e", "0x78"}},  // next block: 120 wei
                    {"gasUsedRatio", {0.5, 0.5}},
                    {"reward", {{"0x5"}, {"0x9"}, {"0x7"}}}};
    });
    auto f = n.eth.suggest_fees(FeeOptions{3, 50.0, 1});
    ASSERT_TRUE(f) << f.error().describe();
    EXPECT_EQ(f->max_priority_fee_per_gas, 7);    // median of 5, 7, 9
    EXPECT_EQ(f->max_fee_per_gas, 2 * 120 + 7);
    EXPECT_EQ(seen[0], "0x3");
    EXPECT_EQ(seen[1], "latest");
    // Empty blocks (anvil): the tip floor applies.
    n.node->on("eth_feeHistory", [](const Json&) {
        return Json{{"baseFeePerGas", {"0x3b9aca00"}}, {"reward", {{"0x0"}}}};
    });
    f = n.eth.suggest_fees(FeeOptions{1, 50.0, 1000});
    EXPECT_EQ(f->max_priority_fee_per_gas, 1000);
    EXPECT_EQ(f->max_fee_per_gas, u256(2'000'000'000) + 1000);
}

TEST(eth_client, wait_for_receipt_polls_until_found_or_timeout) {
    Node n;
    testing::ManualClock clock;
    int polls = 0;
    n.node->on("eth_getTransactionReceipt", [&](const Json&) {
        return ++polls < 3 ? Json(nullptr) : Json::parse(kReceipt);
    });
    auto r = n.eth.wait_for_receipt(Hash{}, 1000ms, 100ms, clock);
    ASSERT_TRUE(r);
    EXPECT_EQ(polls, 3);
    EXPECT_EQ(clock.sleeps().size(), 2u);
    n.node->on("eth_getTransactionReceipt", [](const Json&) { return Json(nullptr); });
    auto t = n.eth.wait_for_receipt(Hash{}, 1000ms, 100ms, clock);
    EXPECT_EQ(t.error().kind, RpcErrorKind::timeout);
}

TEST(eth_client, call_reports_revert_data) {
    Node n;
    n.node->on("eth_call", [](const Json& p) {
        EXPECT_EQ(p[0]["input"], "0x12345678");
        return FakeNode::error_response(3, "execution reverted", "0x4e487b71" + std::string(62, '0') + "12");
    });
    CallRequest req;
    req.to = Address{};
    req.data = {0x12, 0x34, 0x56, 0x78};
    auto r = n.eth.call(req);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, RpcErrorKind::execution_reverted);
    EXPECT_EQ(r.error().data.size(), 36u);
}

TEST(eth_client, batched_headers_and_missing_blocks) {
    Node n;
    n.node->on("eth_getBlockByNumber", [](const Json& p) -> Json {
        const auto num = *parse_u256(p[0].get<std::string>());
        if (num > 3) return nullptr;
        Hash h{};
        h[31] = static_cast<std::uint8_t>(num);
        Hash parent{};
        parent[31] = static_cast<std::uint8_t>(num - 1);
        return Json{{"number", p[0]}, {"hash", to_hex(h)}, {"parentHash", to_hex(parent)}, {"timestamp", "0x1"}};
    });
    auto hs = n.eth.get_blocks(1, 3);
    ASSERT_TRUE(hs) << hs.error().describe();
    ASSERT_EQ(hs->size(), 3u);
    EXPECT_EQ((*hs)[2].number, 3u);
    EXPECT_EQ((*hs)[2].parent_hash, (*hs)[1].hash);
    EXPECT_EQ(n.eth.get_blocks(3, 4).error().kind, RpcErrorKind::not_found);
    EXPECT_FALSE(n.eth.get_block(BlockId::number(9))->has_value());
}

}  // namespace
}  // namespace sigil::chain
