#include "chain/nonce_manager.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "chain/testing/fake_node.hpp"

namespace sigil::chain {
namespace {

struct Node {
    std::shared_ptr<testing::FakeNode> node = std::make_shared<testing::FakeNode>();
    RpcClient rpc{node};
    EthClient eth{rpc};
    std::atomic<std::uint64_t> pending{5};
    Node() {
        node->on("eth_getTransactionCount", [this](const Json& p) {
            EXPECT_EQ(p[1], "pending");
            return Json(to_hex_quantity(u256(pending.load())));
        });
    }
};

TEST(nonce_manager, starts_from_the_chain_pending_count_and_counts_up) {
    Node n;
    NonceManager nm(n.eth, Address{});
    EXPECT_EQ(*nm.reserve(), 5);
    EXPECT_EQ(*nm.reserve(), 6);
    EXPECT_EQ(*nm.reserve(), 7);
    EXPECT_EQ(n.node->calls("eth_getTransactionCount"), 1);
}

TEST(nonce_manager, concurrent_reservations_have_no_gaps_or_duplicates) {
    Node n;
    NonceManager nm(n.eth, Address{});
    std::vector<std::thread> threads;
    std::mutex mu;
    std::vector<u256> got;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                auto v = nm.reserve();
                ASSERT_TRUE(v);
                std::lock_guard lock(mu);
                got.push_back(*v);
            }
        });
    }
    for (auto& t : threads) t.join();
    std::sort(got.begin(), got.end());
    ASSERT_EQ(got.size(), 400u);
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], u256(5 + i));
}

TEST(nonce_manager, released_nonces_are_reused_lowest_first) {
    Node n;
    NonceManager nm(n.eth, Address{});
    for (int i = 0; i < 4; ++i) (void)nm.reserve();  // 5..8
    nm.release(7);
    nm.release(6);
    nm.release(100);  // never handed out: ignored
    EXPECT_EQ(*nm.reserve(), 6);
    EXPECT_EQ(*nm.reserve(), 7);
    EXPECT_EQ(*nm.reserve(), 9);
}

TEST(nonce_manager, resync_follows_the_chain_down_after_a_drop_and_up_after_outside_sends) {
    Node n;
    NonceManager nm(n.eth, Address{});
    for (int i = 0; i < 3; ++i) (void)nm.reserve();  // 5, 6, 7
    // Nonce 5 was dropped by the node: the chain still expects 5.
    EXPECT_EQ(*nm.resync(), 5);
    EXPECT_EQ(*nm.reserve(), 5);
    // Another client sent from the same key: the chain is ahead of us ("nonce too low").
    n.pending = 20;
    nm.release(5);
    EXPECT_EQ(*nm.resync(), 20);
    EXPECT_EQ(*nm.reserve(), 20);  // the released 5 is forgotten
}

TEST(nonce_manager, chain_errors_are_reported_and_retried_on_next_reserve) {
    Node n;
    n.node->on("eth_getTransactionCount",
               [](const Json&) { return testing::FakeNode::error_response(-32000, "header not found"); });
    NonceManager nm(n.eth, Address{});
    auto r = nm.reserve();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, RpcErrorKind::rpc_error);
    n.node->on("eth_getTransactionCount", [](const Json&) { return Json("0x2"); });
    EXPECT_EQ(*nm.reserve(), 2);
}

}  // namespace
}  // namespace sigil::chain
